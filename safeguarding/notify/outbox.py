"""Queueing email, and what the outbox page reads and does."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from email.utils import make_msgid, parseaddr
from typing import Any
from urllib.parse import urlsplit

import jinja2
import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload, undefer

from safeguarding.calendar import LONDON
from safeguarding.extensions import db
from safeguarding.formatting import long_date, plural
from safeguarding.models.base import utcnow
from safeguarding.models.outbox import OutboxAttachment, OutboxMessage, OutboxStatus
from safeguarding.services import audit
from safeguarding.services.errors import Conflict, NotFound, ValidationFailed


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    data: bytes

    def __post_init__(self) -> None:
        if not self.filename or "/" in self.filename or "\\" in self.filename or "\n" in self.filename:
            raise ValueError(f"not a safe attachment filename: {self.filename!r}")
        if not re.fullmatch(r"[A-Za-z0-9.+-]+/[A-Za-z0-9.+-]+", self.content_type):
            raise ValueError(f"not a content type: {self.content_type!r}")
        if not isinstance(self.data, bytes | bytearray):
            raise TypeError("attachment data must be bytes")


def mail_configured() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


# --- links and bodies ----------------------------------------------------------------------


def service_url(endpoint: str | None = None, **values: Any) -> str:
    """An absolute link into the service at SERVICE_BASE_URL, built without a request
    (jobs have none): `service_url("notify.message", message_id=3)`."""
    base = current_app.config["SERVICE_BASE_URL"].rstrip("/")
    if endpoint is None:
        return base + "/"
    parts = urlsplit(base)
    adapter = current_app.url_map.bind(parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme or "https")
    return adapter.build(endpoint, values, force_external=True)


def _email_env() -> jinja2.Environment:
    # The app's loader and filters, but plain text (no HTML escaping) and strict: a
    # missing variable is a bug, not a blank in someone's inbox.
    env = current_app.extensions.get("notify_jinja")
    if env is None:
        env = current_app.jinja_env.overlay(undefined=jinja2.StrictUndefined, autoescape=False)
        current_app.extensions["notify_jinja"] = env
    return env


def render_body(template: str, context: Mapping[str, Any]) -> str:
    """The plain-text body from templates/email/<template>.txt."""
    if not template.replace("_", "").replace("-", "").isalnum():
        raise ValueError(f"not an email template name: {template!r}")
    tpl = _email_env().get_template(f"email/{template}.txt")
    text = tpl.render(
        {
            "partnership_name": current_app.config["PARTNERSHIP_NAME"],
            "service_base_url": service_url(),
            "service_url": service_url,
            **context,
        }
    )
    # Tidy: no trailing spaces, at most one blank line in a row, one final newline.
    lines = [line.rstrip() for line in text.strip().splitlines()]
    tidy: list[str] = []
    for line in lines:
        if line or (tidy and tidy[-1]):
            tidy.append(line)
    return "\n".join(tidy) + "\n"


def _addresses(values: Iterable[str], what: str) -> list[str]:
    import email_validator

    if isinstance(values, str):
        raise TypeError(f"{what} must be a list of addresses, not one string")
    out: list[str] = []
    for raw in values:
        value = (raw or "").strip()
        try:
            email_validator.validate_email(value, check_deliverability=False, test_environment=True)
        except email_validator.EmailNotValidError:
            raise ValueError(f"{what}: not an email address: {value!r}") from None
        if value.lower() not in {a.lower() for a in out}:
            out.append(value)
    return out


def _message_id() -> str:
    domain = parseaddr(current_app.config["MAIL_FROM"])[1].rpartition("@")[2] or "localhost"
    return make_msgid(domain=domain)


# --- queueing ------------------------------------------------------------------------------


def _by_key(dedupe_key: str) -> OutboxMessage | None:
    return db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.dedupe_key == dedupe_key))


_quiet: ContextVar[bool] = ContextVar("outbox_quiet", default=False)


@contextmanager
def quiet() -> Iterator[None]:
    """Queue nothing inside the block: for events of the past entered now (an import of
    last year's meetings), which were announced when they happened."""
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)


def is_quiet() -> bool:
    """Inside `quiet()`: what is being recorded happened in the past."""
    return _quiet.get()


def queue_email(
    to: list[str],
    subject: str,
    template: str,
    context: dict,
    *,
    kind: str,
    dedupe_key: str | None = None,
    cc: Iterable[str] = (),
    attachments: Iterable[Attachment] = (),
) -> OutboxMessage | None:
    """Write an email to the outbox in the caller's transaction (flush only); None inside
    `quiet()` (nothing is queued).

    The body is rendered now from templates/email/<template>.txt. With a `dedupe_key`
    already in the outbox, the message already queued is returned and nothing new is
    written. No personal names of case-review subjects in `subject` or `context` (see the
    package docstring)."""
    if _quiet.get():
        return None
    recipients = _addresses(to, "to")
    copies = [a for a in _addresses(cc, "cc") if a.lower() not in {r.lower() for r in recipients}]
    if not recipients:
        raise ValueError("an email needs at least one recipient")
    if not subject.strip() or "\n" in subject or "\r" in subject or len(subject) > 300:
        raise ValueError(f"an email subject is one line of at most 300 characters: {subject!r}")
    if dedupe_key is not None and (existing := _by_key(dedupe_key)) is not None:
        return existing

    mailable = mail_configured()
    now = utcnow()
    message = OutboxMessage(
        kind=kind,
        dedupe_key=dedupe_key,
        to_addrs=recipients,
        cc_addrs=copies,
        subject=subject.strip(),
        body=render_body(template, context),
        message_id=_message_id(),
        status=OutboxStatus.pending if mailable else OutboxStatus.held,
        attempts=0,
        next_attempt_at=now if mailable else None,
        queued_at=now if mailable else None,
        created_at=now,
        queued_by=audit.current_actor().label,
    )
    message.attachments = [
        OutboxAttachment(filename=a.filename, content_type=a.content_type, size=len(a.data), data=bytes(a.data))
        for a in attachments
    ]
    if dedupe_key is None:
        db.session.add(message)
        db.session.flush()
        return message
    try:
        # A savepoint: if another transaction queued the same key meanwhile, only this
        # insert is undone and theirs is returned.
        with db.session.begin_nested():
            db.session.add(message)
            db.session.flush()
    except IntegrityError:
        existing = _by_key(dedupe_key)
        if existing is None:
            raise
        return existing
    return message


# --- the outbox page ----------------------------------------------------------------------


def list_messages(
    status: OutboxStatus | None = None, *, page: int = 1, per_page: int = 50
) -> tuple[list[OutboxMessage], int]:
    stmt = sa.select(OutboxMessage)
    count = sa.select(sa.func.count()).select_from(OutboxMessage)
    if status is not None:
        stmt = stmt.where(OutboxMessage.status == status)
        count = count.where(OutboxMessage.status == status)
    rows = db.session.scalars(
        stmt.order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return list(rows), db.session.scalar(count) or 0


def status_counts() -> dict[OutboxStatus, int]:
    rows = db.session.execute(sa.select(OutboxMessage.status, sa.func.count()).group_by(OutboxMessage.status))
    counts = {s: 0 for s in OutboxStatus}
    counts.update({OutboxStatus(s): n for s, n in rows})
    return counts


def failed_count() -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(OutboxMessage).where(OutboxMessage.status == OutboxStatus.failed)
        )
        or 0
    )


def get_message(message_id: int) -> OutboxMessage:
    """A message with its attachments' names and sizes (not their bytes)."""
    message = db.session.scalar(
        sa.select(OutboxMessage).where(OutboxMessage.id == message_id).options(selectinload(OutboxMessage.attachments))
    )
    if message is None:
        raise NotFound("Message not found")
    return message


def can_send_again(message: OutboxMessage) -> bool:
    return message.status == OutboxStatus.failed or (message.status == OutboxStatus.held and mail_configured())


def _requeue_values() -> dict[str, Any]:
    """A fresh start in the queue: the give-up deadline counts from now."""
    mailable = mail_configured()
    now = utcnow()
    return {
        "status": OutboxStatus.pending if mailable else OutboxStatus.held,
        "attempts": 0,
        "next_attempt_at": now if mailable else None,
        "queued_at": now if mailable else None,
        "claim_token": None,
    }


def send_again(message: OutboxMessage) -> None:
    """Put a failed message (or, once a mail server is configured, a held one) back in
    the queue with a fresh set of attempts."""
    if not can_send_again(message):
        raise Conflict(f"This message is {message.status.label.lower()}: only failed messages can be sent again")
    result = db.session.execute(
        sa.update(_table)
        .where(_table.c.id == message.id, _table.c.status == message.status)
        .values(**_requeue_values())
    )
    if result.rowcount != 1:
        raise Conflict("This message was changed by someone else. Reload the page and try again.")
    audit.record("send_again", OutboxMessage.__tablename__, message.id, {"status": message.status})
    db.session.expire(message)


# --- in bulk: a selection, every failed one, every held one -----------------------------------

_table = OutboxMessage.__table__
ALL_FAILED = "failed"
ALL_HELD = "held"
MAX_SELECTION = 1000
Selection = list[int] | str  # ids, or ALL_FAILED / ALL_HELD


def _resendable() -> list[OutboxStatus]:
    return [OutboxStatus.failed, OutboxStatus.held] if mail_configured() else [OutboxStatus.failed]


def _since_clause(since: date | None) -> Any:
    if since is None:
        return sa.true()
    return _table.c.created_at >= datetime.combine(since, time(), LONDON).astimezone(UTC)


def _chosen(selection: Selection, since: date | None = None) -> Any:
    """The WHERE clause for a selection, refusing one that cannot be sent again as a whole."""
    if selection == ALL_FAILED:
        return sa.and_(_table.c.status == OutboxStatus.failed, _since_clause(since))
    if selection == ALL_HELD:
        if not mail_configured():
            raise Conflict("No mail server is configured (MAIL_SERVER is not set): held emails stay held")
        return sa.and_(_table.c.status == OutboxStatus.held, _since_clause(since))
    if isinstance(selection, str) or not selection:
        raise ValidationFailed(errors={"ids": "Select the emails to send again"})
    ids = sorted(set(selection))
    if len(ids) > MAX_SELECTION:
        raise ValidationFailed(errors={"ids": f"Select at most {MAX_SELECTION} emails at a time"})
    found = dict(db.session.execute(sa.select(_table.c.id, _table.c.status).where(_table.c.id.in_(ids))).all())
    missing = [i for i in ids if i not in found]
    if missing:
        raise ValidationFailed(errors={"ids": f"There is no email {missing[0]}"})
    wrong = [i for i in ids if OutboxStatus(found[i]) not in _resendable()]
    if wrong:
        status = OutboxStatus(found[wrong[0]]).label.lower()
        raise ValidationFailed(
            errors={
                "ids": f"Email {wrong[0]} is {status}: only failed emails (and held ones, once a mail server is "
                "configured) can be sent again"
            }
        )
    return sa.and_(_table.c.id.in_(ids), _table.c.status.in_(_resendable()))


def selection_count(selection: Selection, since: date | None = None) -> int:
    """How many emails a selection would send again (for the confirmation page)."""
    where = _chosen(selection, since)
    return db.session.scalar(sa.select(sa.func.count()).select_from(_table).where(where)) or 0


def send_again_many(selection: Selection, since: date | None = None) -> int:
    """Put a selection back in the queue with fresh attempts: a list of ids (each failed,
    or held once a mail server is configured), every failed email, or every held email
    (releasing them; `since` keeps those queued before that date held). One audit entry
    with the count. Returns the count."""
    where = _chosen(selection, since)
    result = db.session.execute(sa.update(_table).where(where).values(**_requeue_values()))
    count = int(result.rowcount or 0)
    if not isinstance(selection, str) and count != len(set(selection)):
        raise Conflict("Some of these emails were changed by someone else. Reload the page and try again.")
    what = selection if isinstance(selection, str) else "selected"
    changes: dict[str, Any] = {"count": count, "selection": what}
    if not isinstance(selection, str):
        changes["ids"] = sorted(set(selection))
    if since is not None:
        changes["since"] = since
    audit.record("release_held" if selection == ALL_HELD else "send_again_bulk", _table.name, what, changes)
    return count


def discard_held(reason: str, since: date | None = None) -> int:
    """Mark every held email (queued on or after `since`) discarded, with the reason:
    kept on the outbox page, never sent. One audit entry with the count and reason."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationFailed(errors={"reason": "Enter why the held emails are being discarded"})
    if len(reason) > 500:
        raise ValidationFailed(errors={"reason": "The reason must be 500 characters or fewer"})
    result = db.session.execute(
        sa.update(_table)
        .where(_table.c.status == OutboxStatus.held, _since_clause(since))
        .values(status=OutboxStatus.discarded, last_error=f"Discarded: {reason}", next_attempt_at=None)
    )
    count = int(result.rowcount or 0)
    audit.record("discard_held", _table.name, "held", {"count": count, "reason": reason, "since": since})
    return count


def held_summary() -> tuple[int, datetime | None]:
    """(how many emails are held, when the oldest was queued)."""
    row = db.session.execute(
        sa.select(sa.func.count(), sa.func.min(_table.c.created_at)).where(_table.c.status == OutboxStatus.held)
    ).one()
    return int(row[0] or 0), as_utc(row[1])


# --- "The mail server has not accepted mail since 14:05; 37 emails are waiting" -----------


def as_utc(value: Any) -> datetime | None:
    """A timestamp from an aggregate (SQLite may hand it back as text) as aware UTC."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def last_accepted_select(user: Any = None) -> sa.Select:
    """When the mail server last accepted a message."""
    return sa.select(sa.func.max(_table.c.sent_at))


def _failing() -> Any:
    """Messages whose last attempt failed after the server last accepted one."""
    last = last_accepted_select().scalar_subquery()
    return sa.and_(
        _table.c.status == OutboxStatus.pending,
        _table.c.attempts > 0,
        sa.or_(last.is_(None), _table.c.claimed_at > last),
    )


def stalled_select(user: Any = None) -> sa.Select:
    """How many emails are waiting while the mail server is not accepting mail: 0 while
    mail flows (nothing has failed since the last message the server accepted)."""
    return (
        sa.select(sa.func.count())
        .select_from(_table)
        .where(
            _table.c.status.in_([OutboxStatus.pending, OutboxStatus.sending]),
            sa.exists().where(_failing()),
        )
    )


def first_failing_select(user: Any = None) -> sa.Select:
    """When the oldest of the messages that have failed since then was queued."""
    return sa.select(sa.func.min(sa.func.coalesce(_table.c.queued_at, _table.c.created_at))).where(_failing())


def stalled_since(first_failing: Any, last_accepted: Any) -> datetime | None:
    """Since when the server has not accepted mail, as far as the outbox can tell: the
    last message it accepted, or the first one it refused after that (queued later)."""
    times = [t for t in (as_utc(first_failing), as_utc(last_accepted)) if t is not None]
    return max(times) if times else None


def stalled_sentence(waiting: int, since: datetime | None) -> str:
    """ "The mail server has not accepted mail since 14:05; 37 emails are waiting" """
    when = "a while"
    if since is not None:
        local = since.astimezone(LONDON)
        when = f"{local:%H:%M}"
        if local.date() != utcnow().astimezone(LONDON).date():
            when += f" on {long_date(local)}"
    verb = "is" if waiting == 1 else "are"
    return f"The mail server has not accepted mail since {when}; {plural(waiting, 'email')} {verb} waiting"


def stalled() -> str | None:
    """The sentence for the outbox page while mail is not flowing, else None (one query)."""
    row = db.session.execute(
        sa.select(
            stalled_select().scalar_subquery(),
            first_failing_select().scalar_subquery(),
            last_accepted_select().scalar_subquery(),
        )
    ).one()
    if not row[0]:
        return None
    return stalled_sentence(int(row[0]), stalled_since(row[1], row[2]))


def attachment_data(message_id: int, attachment_id: int) -> OutboxAttachment:
    row = db.session.scalar(
        sa.select(OutboxAttachment)
        .where(OutboxAttachment.id == attachment_id, OutboxAttachment.outbox_message_id == message_id)
        .options(undefer(OutboxAttachment.data))
    )
    if row is None:
        raise NotFound("Attachment not found")
    return row
