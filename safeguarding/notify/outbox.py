"""Queueing email, and what the outbox page reads and does."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from email.utils import make_msgid, parseaddr
from typing import Any
from urllib.parse import urlsplit

import jinja2
import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload, undefer

from safeguarding.extensions import db
from safeguarding.models.base import utcnow
from safeguarding.models.outbox import OutboxAttachment, OutboxMessage, OutboxStatus
from safeguarding.services import audit
from safeguarding.services.errors import Conflict, NotFound


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
) -> OutboxMessage:
    """Write an email to the outbox in the caller's transaction (flush only).

    The body is rendered now from templates/email/<template>.txt. With a `dedupe_key`
    already in the outbox, the message already queued is returned and nothing new is
    written. No personal names of case-review subjects in `subject` or `context` (see the
    package docstring)."""
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


def send_again(message: OutboxMessage) -> None:
    """Put a failed message (or, once a mail server is configured, a held one) back in
    the queue with a fresh set of attempts."""
    if not can_send_again(message):
        raise Conflict(f"This message is {message.status.label.lower()}: only failed messages can be sent again")
    mailable = mail_configured()
    result = db.session.execute(
        sa.update(OutboxMessage.__table__)
        .where(OutboxMessage.__table__.c.id == message.id, OutboxMessage.__table__.c.status == message.status)
        .values(
            status=OutboxStatus.pending if mailable else OutboxStatus.held,
            attempts=0,
            next_attempt_at=utcnow() if mailable else None,
            claim_token=None,
        )
    )
    if result.rowcount != 1:
        raise Conflict("This message was changed by someone else. Reload the page and try again.")
    audit.record("send_again", OutboxMessage.__tablename__, message.id, {"status": message.status})
    db.session.expire(message)


def attachment_data(message_id: int, attachment_id: int) -> OutboxAttachment:
    row = db.session.scalar(
        sa.select(OutboxAttachment)
        .where(OutboxAttachment.id == attachment_id, OutboxAttachment.outbox_message_id == message_id)
        .options(undefer(OutboxAttachment.data))
    )
    if row is None:
        raise NotFound("Attachment not found")
    return row
