"""The email outbox: every email is a row written in the same transaction as the change
that causes it, then delivered by the scheduler (see safeguarding/notify/)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from safeguarding.models.base import Base, str_enum, utcnow


class OutboxStatus(StrEnum):
    held = "held"  # no mail server configured (development): read it on the outbox page
    pending = "pending"  # waiting for delivery (or for its next attempt)
    sending = "sending"  # claimed by a deliverer
    sent = "sent"
    failed = "failed"  # gave up; the business office may send it again
    discarded = "discarded"  # held mail the business office chose not to send (reason in last_error)

    @property
    def label(self) -> str:
        return {
            "held": "Held",
            "pending": "Waiting",
            "sending": "Sending",
            "sent": "Sent",
            "failed": "Failed",
            "discarded": "Discarded",
        }[self.value]

    @property
    def colour(self) -> str:
        return {
            "held": "grey",
            "pending": "blue",
            "sending": "light-blue",
            "sent": "green",
            "failed": "red",
            "discarded": "orange",
        }[self.value]


class OutboxMessage(Base):
    __tablename__ = "outbox_messages"
    __table_args__ = (
        # The deliverer's query: due messages in order.
        sa.Index("ix_outbox_messages_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # What the email is about, for filtering and for tests ("attendance_reminder").
    kind: Mapped[str] = mapped_column(sa.String(60), index=True)
    # Queueing the same key again returns the existing message: makes jobs idempotent.
    dedupe_key: Mapped[str | None] = mapped_column(sa.String(200), unique=True)
    to_addrs: Mapped[list[str]] = mapped_column(sa.JSON)
    cc_addrs: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    subject: Mapped[str] = mapped_column(sa.String(300))
    body: Mapped[str] = mapped_column(sa.Text)
    # The Message-ID header, fixed when queued so every attempt sends the same one.
    message_id: Mapped[str] = mapped_column(sa.String(250), unique=True)
    status: Mapped[OutboxStatus] = mapped_column(str_enum(OutboxStatus, name="outbox_status"))
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    # Set by the deliverer that claimed the message; only it may record the result. The
    # deliverer refreshes `claimed_at` just before each attempt, so on a message waiting
    # for another attempt it is the time of the last attempt.
    claim_token: Mapped[str | None] = mapped_column(sa.String(32))
    claimed_at: Mapped[datetime | None]
    # When it last entered the queue to be sent (queued with a mail server configured,
    # released from held, or sent again): it is given up on MAIL_GIVE_UP_AFTER_HOURS later.
    queued_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # Who caused it: a user's email or "system: <job>".
    queued_by: Mapped[str] = mapped_column(sa.String(320))

    attachments: Mapped[list[OutboxAttachment]] = relationship(
        back_populates="message", lazy="raise", cascade="all, delete-orphan", order_by="OutboxAttachment.id"
    )

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.kind} {self.status}>"


class OutboxAttachment(Base):
    __tablename__ = "outbox_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    outbox_message_id: Mapped[int] = mapped_column(sa.ForeignKey("outbox_messages.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(sa.String(200))
    content_type: Mapped[str] = mapped_column(sa.String(120))
    size: Mapped[int]
    # deferred: lists of attachments never load the bytes.
    data: Mapped[bytes] = mapped_column(sa.LargeBinary, deferred=True)

    message: Mapped[OutboxMessage] = relationship(back_populates="attachments", lazy="raise")
