"""The email outbox.

Every email is an `OutboxMessage` row written by `queue_email` in the same transaction
as the change that causes it (the service flushes; the request or job commits), so an
email exists exactly when its cause does. The scheduler process delivers due messages
every minute with `deliver_pending` (SMTP settings `MAIL_*` in config); a temporary
failure (server down, timeout, 4xx) is retried with back-off (1, 2, 4, 8 … minutes, at
most `MAIL_RETRY_MAX_MINUTES`) until `MAIL_GIVE_UP_AFTER_HOURS` (72) have passed since
the message was queued, and only then marked `failed` (at once when the server refuses it
permanently); nothing is lost while the server is down, and the office's home page and
the outbox page say so while it is. Without `MAIL_SERVER` (development) messages are
`held` and read on the outbox page (/outbox); once a server is configured the office
releases or discards them (page, `POST /api/v1/outbox/retry`, `flask outbox release` /
`discard --held`): never sent silently, never dropped silently.

    from safeguarding.notify import Attachment, queue_email

    queue_email([org.chief_executive_email], f"Attendance at Board meetings ({ref})",
                "attendance_escalation", {"reference": ref, "link": service_url("escalations.view", id=e.id)},
                kind="attendance_escalation", dedupe_key=f"escalation-sent:{e.id}",
                attachments=[Attachment(f"{ref}.pdf", "application/pdf", pdf)])

The body is rendered now, from `templates/email/<template>.txt` (plain text, extending
`email/base.txt`, which adds the partnership's footer and a link to the service).
`dedupe_key` makes a job idempotent: queueing the same key again returns the message
already queued and nothing is sent twice.

**No personal names of the subjects of case reviews** (adults and children the partnership
safeguards, their families) in subjects or bodies — emails leave the service and are
kept in mailboxes we do not control. Use case references ("SAR-2026-03") and a link to
the record in the service (`service_url(...)`), where access is checked. Names of
partner members and chief executives (the recipients) are fine.
"""

from safeguarding.notify.delivery import deliver_pending, retry_delay
from safeguarding.notify.outbox import (
    Attachment,
    discard_held,
    failed_count,
    get_message,
    list_messages,
    queue_email,
    render_body,
    send_again,
    send_again_many,
    service_url,
    stalled,
    status_counts,
)

__all__ = [
    "Attachment",
    "deliver_pending",
    "discard_held",
    "failed_count",
    "get_message",
    "list_messages",
    "queue_email",
    "render_body",
    "retry_delay",
    "send_again",
    "send_again_many",
    "service_url",
    "stalled",
    "status_counts",
]
