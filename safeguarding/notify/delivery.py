"""Delivering the outbox over SMTP, each message exactly once however many deliverers run.

1. **Claim** due messages in one statement and commit: `pending` ones whose next attempt
   is due (plus `sending` ones whose deliverer vanished `MAIL_CLAIM_TIMEOUT_MINUTES` ago)
   become `sending` with this round's claim token. On PostgreSQL the candidate rows are
   picked `FOR UPDATE SKIP LOCKED`, so concurrent deliverers take different messages
   without waiting; on SQLite the single UPDATE (which re-checks the status: a
   compare-and-set) runs under the database's write lock. Either way one message goes to
   one deliverer.
2. **Send** with smtplib, holding no database lock (SMTP can be slow), one connection for
   the round.
3. **Record** each result in its own transaction, only if the claim token is still ours:
   `sent`, or another attempt with back-off, or `failed` after `MAIL_MAX_ATTEMPTS` (at
   once for a permanent 5xx refusal).

A deliverer that dies between sending and recording leaves the message `sending`; after
the claim timeout it is sent again (at least once beats never). Every attempt carries
the same Message-ID header, so mail systems can recognise the repeat.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import uuid
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from safeguarding.extensions import db
from safeguarding.models.base import utcnow
from safeguarding.models.outbox import OutboxAttachment, OutboxMessage, OutboxStatus
from safeguarding.notify.outbox import mail_configured

log = logging.getLogger("safeguarding.notify")

_messages = OutboxMessage.__table__


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed attempt: 1, 2, 4, 8 … minutes,
    at most MAIL_RETRY_MAX_MINUTES (60)."""
    cap = int(current_app.config.get("MAIL_RETRY_MAX_MINUTES", 60))
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), cap))


def deliver_pending(now: datetime | None = None, limit: int = 50) -> dict[str, int]:
    """Send what is due. Returns how many messages were claimed, sent, left for another
    attempt and given up on. Commits; call it outside a request (the scheduler does)."""
    result = {"claimed": 0, "sent": 0, "retrying": 0, "failed": 0}
    if not mail_configured():
        return result  # development: messages are held for the outbox page
    now = now or utcnow()
    token = uuid.uuid4().hex
    ids = _claim(now, limit, token)
    if not ids:
        return result
    batch: list[tuple[int, int, EmailMessage | None, str | None]] = []
    for m in _load(ids):
        try:
            batch.append((m.id, m.attempts, _email(m), None))
        except Exception as exc:  # a message that cannot be built never will be: give up on it
            batch.append((m.id, m.attempts, None, f"The email could not be built: {_describe(exc)}"))
    db.session.commit()  # end the read before talking to the mail server
    result["claimed"] = len(batch)

    smtp = _Smtp(current_app.config)
    try:
        for message_id, attempts, email, broken in batch:
            error, permanent = (broken, True) if email is None else smtp.send(email)
            if error is None:
                _record_sent(message_id, token, smtp.last_note)
                result["sent"] += 1
            else:
                status = _record_failure(message_id, token, attempts + 1, error, permanent, now)
                result["failed" if status == OutboxStatus.failed else "retrying"] += 1
                log.warning("outbox message %s: attempt %d failed: %s", message_id, attempts + 1, error)
            db.session.commit()
    finally:
        smtp.close()
    return result


# --- claim and record ----------------------------------------------------------------------


def _due(now: datetime) -> Any:
    stale = now - timedelta(minutes=int(current_app.config.get("MAIL_CLAIM_TIMEOUT_MINUTES", 15)))
    return sa.or_(
        sa.and_(
            _messages.c.status == OutboxStatus.pending,
            sa.or_(_messages.c.next_attempt_at.is_(None), _messages.c.next_attempt_at <= now),
        ),
        sa.and_(_messages.c.status == OutboxStatus.sending, _messages.c.claimed_at < stale),
    )


def _claim(now: datetime, limit: int, token: str) -> list[int]:
    pick = sa.select(_messages.c.id).where(_due(now)).order_by(_messages.c.id).limit(limit)
    if db.session.get_bind().dialect.name == "postgresql":
        pick = pick.with_for_update(skip_locked=True)
    ids = (
        db.session.execute(
            sa.update(_messages)
            .where(_messages.c.id.in_(pick), _due(now))
            .values(status=OutboxStatus.sending, claim_token=token, claimed_at=now)
            .returning(_messages.c.id)
        )
        .scalars()
        .all()
    )
    db.session.commit()
    return sorted(ids)


def _load(ids: list[int]) -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            sa.select(OutboxMessage)
            .where(OutboxMessage.id.in_(ids))
            .order_by(OutboxMessage.id)
            .options(selectinload(OutboxMessage.attachments).undefer(OutboxAttachment.data))
            .execution_options(populate_existing=True)
        )
    )


def _ours(message_id: int, token: str) -> Any:
    return sa.and_(
        _messages.c.id == message_id, _messages.c.claim_token == token, _messages.c.status == OutboxStatus.sending
    )


def _record_sent(message_id: int, token: str, note: str | None) -> None:
    db.session.execute(
        sa.update(_messages)
        .where(_ours(message_id, token))
        .values(
            status=OutboxStatus.sent,
            sent_at=utcnow(),
            attempts=_messages.c.attempts + 1,
            next_attempt_at=None,
            last_error=note,
        )
    )


def _record_failure(
    message_id: int, token: str, attempts: int, error: str, permanent: bool, now: datetime
) -> OutboxStatus:
    give_up = permanent or attempts >= int(current_app.config.get("MAIL_MAX_ATTEMPTS", 8))
    status = OutboxStatus.failed if give_up else OutboxStatus.pending
    db.session.execute(
        sa.update(_messages)
        .where(_ours(message_id, token))
        .values(
            status=status,
            attempts=attempts,
            last_error=error[:2000],
            next_attempt_at=None if give_up else now + retry_delay(attempts),
        )
    )
    return status


# --- SMTP ----------------------------------------------------------------------------------


def _email(message: OutboxMessage) -> EmailMessage:
    email = EmailMessage()
    email["From"] = current_app.config["MAIL_FROM"]
    email["To"] = ", ".join(message.to_addrs)
    if message.cc_addrs:
        email["Cc"] = ", ".join(message.cc_addrs)
    email["Subject"] = message.subject
    email["Date"] = formatdate(usegmt=True)
    email["Message-ID"] = message.message_id
    email["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies, please
    email.set_content(message.body)
    for attachment in message.attachments:
        maintype, subtype = attachment.content_type.split("/")
        email.add_attachment(attachment.data, maintype=maintype, subtype=subtype, filename=attachment.filename)
    return email


def _describe(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
        return f"{exc.smtp_code} {text}"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


class _Smtp:
    """One connection for a delivery round, opened when first needed. If the server
    cannot be reached, every message of the round records that without trying again."""

    def __init__(self, config: Any) -> None:
        self.config = config
        self.client: smtplib.SMTP | None = None
        self.unreachable: str | None = None
        self.last_note: str | None = None

    def _connect(self) -> smtplib.SMTP:
        cfg = self.config
        host, port, timeout = cfg["MAIL_SERVER"], int(cfg.get("MAIL_PORT") or 25), float(cfg.get("MAIL_TIMEOUT") or 10)
        if cfg.get("MAIL_USE_SSL"):
            client: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(host, port, timeout=timeout)
        try:
            if cfg.get("MAIL_USE_TLS") and not cfg.get("MAIL_USE_SSL"):
                client.starttls(context=ssl.create_default_context())
            if cfg.get("MAIL_USERNAME"):
                client.login(cfg["MAIL_USERNAME"], cfg.get("MAIL_PASSWORD") or "")
        except BaseException:
            client.close()
            raise
        return client

    def send(self, email: EmailMessage) -> tuple[str | None, bool]:
        """(None, _) when the server accepted it; otherwise (error, permanent)."""
        self.last_note = None
        if self.unreachable:
            return self.unreachable, False
        if self.client is None:
            try:
                self.client = self._connect()
            except (OSError, smtplib.SMTPException) as exc:
                # Not the message's fault (the server is down, a password is wrong): retry.
                self.unreachable = (
                    f"Could not connect to the mail server {self.config['MAIL_SERVER']}:"
                    f"{self.config.get('MAIL_PORT')}: {_describe(exc)}"
                )
                return self.unreachable, False
        try:
            refused = self.client.send_message(email)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            detail = "; ".join(
                f"{addr}: {code} {msg.decode(errors='replace') if isinstance(msg, bytes) else msg}"
                for addr, (code, msg) in exc.recipients.items()
            )
            return f"Every recipient was refused: {detail}", all(500 <= c < 600 for c in codes)
        except smtplib.SMTPResponseException as exc:
            return f"The mail server refused the message: {_describe(exc)}", 500 <= exc.smtp_code < 600
        except (OSError, smtplib.SMTPException) as exc:
            self.close()  # the connection is in an unknown state: the next message reconnects
            return f"Sending failed: {_describe(exc)}", False
        if refused:
            self.last_note = "Sent, but these recipients were refused: " + "; ".join(
                f"{addr}: {code}" for addr, (code, _) in refused.items()
            )
        return None, False

    def close(self) -> None:
        client, self.client = self.client, None
        if client is None:
            return
        try:
            client.quit()
        except (OSError, smtplib.SMTPException):
            pass
        finally:
            client.close()
