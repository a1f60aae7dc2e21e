"""Delivering the outbox over SMTP: at most one send per claim, however many deliverers run.

1. **Claim** due messages in one statement and commit: `pending` ones whose next attempt
   is due (plus `sending` ones whose claim has not been refreshed for
   `MAIL_CLAIM_TIMEOUT_MINUTES`: their deliverer vanished or fell behind) become `sending`
   with this round's claim token. On PostgreSQL the candidate rows are picked
   `FOR UPDATE SKIP LOCKED`, so concurrent deliverers take different messages without
   waiting; on SQLite the single UPDATE (which re-checks the status: a compare-and-set)
   runs under the database's write lock. Either way one message goes to one deliverer.
2. **Confirm the claim** immediately before each message: a compare-and-set on the claim
   token that refreshes `claimed_at` (committed), so a slow round keeps what it is sending
   and loses only what it has not reached yet; a message another deliverer has taken over
   meanwhile is skipped, not sent.
3. **Send** with smtplib, holding no database lock (SMTP can be slow), one connection for
   the round.
4. **Record** each result in its own transaction, only if the claim token is still ours:
   `sent`, or another attempt with back-off (1, 2, 4 … minutes, at most
   `MAIL_RETRY_MAX_MINUTES`) for a temporary failure (refused connection, timeout, 4xx),
   until `MAIL_GIVE_UP_AFTER_HOURS` have passed since the message was queued; `failed` at
   once for a permanent 5xx refusal or a message that cannot be built.

When a round gets mail through, messages waiting only because the server could not be
reached are brought forward to the next round instead of waiting out their back-off.

The one window left: the server accepted a message and the deliverer died before
recording it. The message stays `sending`, is sent again after the claim timeout (at
least once beats never), and carries the same Message-ID header, so mail systems can
recognise the repeat.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import uuid
from collections.abc import Callable
from dataclasses import dataclass
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

# How a failed connection's error begins (the outbox page and the bring-forward read it).
UNREACHABLE = "Could not connect to the mail server"


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed attempt: 1, 2, 4, 8 … minutes,
    at most MAIL_RETRY_MAX_MINUTES (60)."""
    cap = int(current_app.config.get("MAIL_RETRY_MAX_MINUTES", 60))
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), cap))


def deliver_pending(now: datetime | None = None, limit: int = 50) -> dict[str, int]:
    """Send what is due. Returns how many messages were claimed, sent, left for another
    attempt, given up on and skipped (taken over by another deliverer before we reached
    them). Commits; call it outside a request (the scheduler does).

    `now` is the round's start (the tests move it to simulate hours passing); the round's
    clock runs on from it as real time passes."""
    result = {"claimed": 0, "sent": 0, "retrying": 0, "failed": 0, "skipped": 0}
    if not mail_configured():
        return result  # development: messages are held for the outbox page
    started = utcnow()
    base = now or started

    def clock() -> datetime:
        return base + (utcnow() - started)

    token = uuid.uuid4().hex
    ids = _claim(base, limit, token)
    if not ids:
        return result
    batch: list[tuple[_Claimed, EmailMessage | None, str | None]] = []
    for m in _load(ids):
        claimed = _Claimed(m.id, m.attempts, m.queued_at or m.created_at)
        try:
            batch.append((claimed, _email(m), None))
        except Exception as exc:  # a message that cannot be built never will be: give up on it
            batch.append((claimed, None, f"The email could not be built: {_describe(exc)}"))
    db.session.commit()  # end the read before talking to the mail server
    result["claimed"] = len(batch)

    smtp = _Smtp(current_app.config)
    try:
        for claimed, email, broken in batch:
            _deliver_one(smtp, token, claimed, email, broken, clock, result)
        if result["sent"]:
            _bring_forward_unreachable(clock())
            db.session.commit()
    finally:
        smtp.close()
    return result


@dataclass(frozen=True)
class _Claimed:
    id: int
    attempts: int
    queued_at: datetime


def _deliver_one(
    smtp: _Smtp,
    token: str,
    claimed: _Claimed,
    email: EmailMessage | None,
    broken: str | None,
    clock: Callable[[], datetime],
    result: dict[str, int],
) -> None:
    at = clock()
    if not _confirm_claim(claimed.id, token, at):
        db.session.commit()
        result["skipped"] += 1
        log.info("outbox message %s: taken over by another deliverer; skipped", claimed.id)
        return
    db.session.commit()  # the refreshed claim is visible before the message goes
    error, permanent = (broken, True) if email is None else smtp.send(email)
    if error is None:
        _record_sent(claimed.id, token, smtp.last_note, clock())
        result["sent"] += 1
    else:
        status = _record_failure(claimed, token, error, permanent, at)
        result["failed" if status == OutboxStatus.failed else "retrying"] += 1
        log.warning("outbox message %s: attempt %d failed: %s", claimed.id, claimed.attempts + 1, error)
    db.session.commit()


# --- claim and record ----------------------------------------------------------------------


def claim_timeout() -> timedelta:
    return timedelta(minutes=float(current_app.config.get("MAIL_CLAIM_TIMEOUT_MINUTES") or 15))


def give_up_after() -> timedelta:
    return timedelta(hours=float(current_app.config.get("MAIL_GIVE_UP_AFTER_HOURS") or 72))


def _due(now: datetime) -> Any:
    stale = now - claim_timeout()
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


def _confirm_claim(message_id: int, token: str, at: datetime) -> bool:
    """Compare-and-set: still ours? Then refresh `claimed_at` so nobody takes it over
    while we send it."""
    done = db.session.execute(sa.update(_messages).where(_ours(message_id, token)).values(claimed_at=at))
    return done.rowcount == 1


def _record_sent(message_id: int, token: str, note: str | None, at: datetime) -> None:
    db.session.execute(
        sa.update(_messages)
        .where(_ours(message_id, token))
        .values(
            status=OutboxStatus.sent,
            sent_at=at,
            attempts=_messages.c.attempts + 1,
            next_attempt_at=None,
            last_error=note,
        )
    )


def _record_failure(claimed: _Claimed, token: str, error: str, permanent: bool, at: datetime) -> OutboxStatus:
    attempts = claimed.attempts + 1
    window = give_up_after()
    expired = at >= claimed.queued_at + window
    give_up = permanent or expired
    if expired and not permanent:
        hours = window.total_seconds() / 3600
        error = f"{error} (given up: not accepted within {hours:g} hours of being queued)"
    status = OutboxStatus.failed if give_up else OutboxStatus.pending
    db.session.execute(
        sa.update(_messages)
        .where(_ours(claimed.id, token))
        .values(
            status=status,
            attempts=attempts,
            last_error=error[:2000],
            next_attempt_at=None if give_up else at + retry_delay(attempts),
        )
    )
    return status


def _bring_forward_unreachable(at: datetime) -> None:
    """The server is accepting mail again: what waits only because it could not be
    reached goes in the next round rather than after its back-off."""
    db.session.execute(
        sa.update(_messages)
        .where(
            _messages.c.status == OutboxStatus.pending,
            _messages.c.next_attempt_at > at,
            _messages.c.last_error.like(UNREACHABLE + "%"),
        )
        .values(next_attempt_at=at)
    )


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
                    f"{UNREACHABLE} {self.config['MAIL_SERVER']}:{self.config.get('MAIL_PORT')}: {_describe(exc)}"
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
