"""Information requests (Care Act s45 for the adults' Board; Children Act 2004 s16H for
the children's safeguarding partners): for a case review or another Board function, to an
agency in the directory or to anyone outside it, with the letter kept as sent."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from safeguarding.models.base import Base, TimestampMixin, VersionedMixin, str_enum
from safeguarding.models.files import StoredFile
from safeguarding.models.people import Organisation
from safeguarding.models.reviews import Review


class RequestStatus(StrEnum):
    sent = "sent"
    returned = "returned"
    withdrawn = "withdrawn"
    refused = "refused"

    @property
    def label(self) -> str:
        return {"sent": "Awaiting return", "returned": "Returned", "withdrawn": "Withdrawn", "refused": "Refused"}[
            self.value
        ]


class RequestPurpose(StrEnum):
    """The Board function an information request serves (s45 covers any of them)."""

    review = "review"
    audit = "audit"
    data = "data"

    @property
    def label(self) -> str:
        return {"review": "A case review", "audit": "A multi-agency audit", "data": "Performance or other data"}[
            self.value
        ]


class InformationRequest(VersionedMixin, TimestampMixin, Base):
    """A request for information (for the adults' Board, under Care Act s45): for a case
    review, or for another of the Board's functions (an audit, data); to an agency in the
    directory, or to any other person or body (a GP practice, a care home) by name, address
    and email. Its letter is kept as sent."""

    __tablename__ = "review_information_requests"
    __table_args__ = (
        sa.Index("ix_review_information_requests_org_status", "organisation_id", "status"),
        sa.Index("ix_review_information_requests_status_due", "status", "due_on"),
        sa.CheckConstraint("organisation_id IS NOT NULL OR recipient_name IS NOT NULL", name="has_recipient"),
        sa.CheckConstraint("review_id IS NOT NULL OR purpose <> 'review'", name="review_purpose_has_review"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int | None] = mapped_column(sa.ForeignKey("reviews.id"), index=True)
    purpose: Mapped[RequestPurpose] = mapped_column(
        str_enum(RequestPurpose, name="request_purpose"), default=RequestPurpose.review, server_default="review"
    )
    # The Board function served, for a request that is not for a review ("Multi-agency
    # audit of self-neglect cases, 2026").
    purpose_detail: Mapped[str | None] = mapped_column(sa.String(300))
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"))
    # A person or body outside the directory.
    recipient_name: Mapped[str | None] = mapped_column(sa.String(200))
    recipient_address: Mapped[str | None] = mapped_column(sa.Text)
    recipient_email: Mapped[str | None] = mapped_column(sa.String(254))
    request: Mapped[str] = mapped_column(sa.Text)
    sent_on: Mapped[date]
    due_on: Mapped[date]
    # s45 conditions that apply: 1 for the Board's functions; 2 likely to hold relevant
    # information; 3 about the person, their functions or someone they serve; 4 derived
    # from information already supplied under s45.
    condition_1: Mapped[bool] = mapped_column(default=False)
    condition_2: Mapped[bool] = mapped_column(default=False)
    condition_3: Mapped[bool] = mapped_column(default=False)
    condition_4: Mapped[bool] = mapped_column(default=False)
    status: Mapped[RequestStatus] = mapped_column(
        str_enum(RequestStatus, name="request_status"), default=RequestStatus.sent
    )
    response: Mapped[str | None] = mapped_column(sa.Text)
    chronology_file_id: Mapped[int | None] = mapped_column(sa.ForeignKey("stored_files.id"))
    returned_on: Mapped[date | None]
    returned_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    withdrawn_reason: Mapped[str | None] = mapped_column(sa.Text)
    # A refusal to supply, with its reason (the Board may then seek a court order).
    refusal_reason: Mapped[str | None] = mapped_column(sa.Text)
    refused_on: Mapped[date | None]
    last_chased_on: Mapped[date | None]
    chase_count: Mapped[int] = mapped_column(default=0)
    # The request letter as sent (kept: what was asked is what the record shows).
    sent_pdf: Mapped[bytes | None] = deferred(mapped_column(sa.LargeBinary))
    sent_docx: Mapped[bytes | None] = deferred(mapped_column(sa.LargeBinary))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    review: Mapped[Review | None] = relationship(lazy="joined")
    organisation: Mapped[Organisation | None] = relationship(lazy="joined")
    chronology: Mapped[StoredFile | None] = relationship(lazy="joined")

    @property
    def conditions(self) -> list[int]:
        return [n for n in (1, 2, 3, 4) if getattr(self, f"condition_{n}")]

    @property
    def recipient(self) -> str:
        """Who the request is to: the agency, or the person or body outside the directory."""
        return self.organisation.name if self.organisation is not None else (self.recipient_name or "")

    @property
    def reference(self) -> str:
        """The letter's reference: "SAR-2026-002/IR7" for a review's request, "S45/2026/12"
        for one for another Board function (no names)."""
        if self.review is not None:
            return f"{self.review.reference}/IR{self.id}"
        return f"S45/{self.sent_on.year}/{self.id}"

    def is_overdue(self, on: date) -> bool:
        return self.status == RequestStatus.sent and self.due_on < on
