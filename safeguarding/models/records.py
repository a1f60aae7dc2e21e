"""Information governance (domain.md, "Information governance"): requests of the right of
access (UK GDPR Art. 15), the retention schedule's record classes as the office has set
them, and holds that stop disposal."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from safeguarding.models.base import Base, TimestampMixin, VersionedMixin, str_enum


class AccessRequestState(StrEnum):
    open = "open"
    answered = "answered"
    withdrawn = "withdrawn"

    @property
    def label(self) -> str:
        return {"open": "Open", "answered": "Answered", "withdrawn": "Withdrawn"}[self.value]


class AccessRequest(VersionedMixin, TimestampMixin, Base):
    """A subject access request: who asked, when, when their identity was checked, the
    names and email addresses to look for, any extension (once, by two months, with the
    reason and the date the person was told) and the answer. Its reference (DSAR-2026-001)
    is what pages, URLs and emails use, never the requester's name."""

    __tablename__ = "access_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(sa.String(20), unique=True)
    number: Mapped[int]
    year: Mapped[int]
    requester_name: Mapped[str] = mapped_column(sa.String(200))
    requester_email: Mapped[str | None] = mapped_column(sa.String(320))
    received_on: Mapped[date]
    identity_checked_on: Mapped[date | None]
    search_names: Mapped[str] = mapped_column(sa.Text, default="")
    search_emails: Mapped[str] = mapped_column(sa.Text, default="")
    state: Mapped[AccessRequestState] = mapped_column(
        str_enum(AccessRequestState, name="access_request_state"), default=AccessRequestState.open
    )
    # Worked out by the service from the dates above (services/records/access.py) and kept
    # so that lists and the home page can sort and count by them.
    due_on: Mapped[date] = mapped_column(index=True)
    extended_to: Mapped[date | None]
    extended_on: Mapped[date | None]
    extension_reason: Mapped[str | None] = mapped_column(sa.Text)
    person_told_on: Mapped[date | None]
    answered_on: Mapped[date | None]
    outcome: Mapped[str | None] = mapped_column(sa.Text)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    # "Find what we hold": when the search for the person last ran (its items are
    # DisclosureItem rows); the disclosure bundle built from the decisions, as a stored ZIP
    # with its sha256, and the date it was sent (the date of the answer).
    searched_on: Mapped[date | None]
    bundle_file_id: Mapped[int | None] = mapped_column(sa.ForeignKey("stored_files.id"))
    bundle_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    bundle_built_on: Mapped[date | None]
    bundle_sent_on: Mapped[date | None]

    __table_args__ = (sa.UniqueConstraint("year", "number", name="uq_access_requests_year_number"),)

    @property
    def deadline(self) -> date:
        """The date the answer is due: the extended date once extended."""
        return self.extended_to or self.due_on


class DisclosureDecision(StrEnum):
    pending = "pending"
    disclose = "disclose"
    redact = "redact"
    withhold = "withhold"

    @property
    def label(self) -> str:
        return {
            "pending": "Not decided",
            "disclose": "Disclose",
            "redact": "Disclose with redactions",
            "withhold": "Withhold",
        }[self.value]


class DisclosureItem(VersionedMixin, TimestampMixin, Base):
    """One record found for a subject access request ("find what we hold"): what it is
    (its type and id, a title without personal names, how it was found) and the office's
    decision — disclose, disclose with redactions (the phrases to blank out, or for a file
    the redacted copy the office uploads), or withhold — with the reason."""

    __tablename__ = "disclosure_items"
    __table_args__ = (sa.UniqueConstraint("access_request_id", "record_type", "record_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    access_request_id: Mapped[int] = mapped_column(sa.ForeignKey("access_requests.id"), index=True)
    record_type: Mapped[str] = mapped_column(sa.String(40))
    record_id: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(300))
    occurred_on: Mapped[date | None]
    found_by: Mapped[str] = mapped_column(sa.String(60))
    decision: Mapped[DisclosureDecision] = mapped_column(
        str_enum(DisclosureDecision, name="disclosure_decision"), default=DisclosureDecision.pending
    )
    reason: Mapped[str | None] = mapped_column(sa.Text)
    redactions: Mapped[str | None] = mapped_column(sa.Text)
    redacted_file_id: Mapped[int | None] = mapped_column(sa.ForeignKey("stored_files.id"))
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decided_on: Mapped[date | None]


class RetentionTrigger(StrEnum):
    closed = "closed"  # the review closed or its report published
    meeting = "meeting"  # the meeting's date
    financial_year_end = "financial_year_end"
    person_left = "person_left"
    created = "created"  # the record's own date

    @property
    def label(self) -> str:
        return {
            "closed": "Review closed or report published",
            "meeting": "Date of the meeting",
            "financial_year_end": "End of the financial year",
            "person_left": "Person left the partnership",
            "created": "Date of the record",
        }[self.value]


class FinalAction(StrEnum):
    keep = "keep"
    dispose = "dispose"
    review = "review"

    @property
    def label(self) -> str:
        return {"keep": "Keep permanently", "dispose": "Dispose of", "review": "Review"}[self.value]


class RetentionRule(VersionedMixin, TimestampMixin, Base):
    """The office's setting for one record class of the retention schedule (the classes
    and their defaults are in services/records/schedule.py): the period in years (None:
    permanent), the trigger, the final action, and whether the office has confirmed it
    (an unconfirmed class disposes of nothing)."""

    __tablename__ = "retention_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    class_key: Mapped[str] = mapped_column(sa.String(40), unique=True)
    period_years: Mapped[int | None]
    trigger: Mapped[RetentionTrigger] = mapped_column(str_enum(RetentionTrigger, name="retention_trigger"))
    final_action: Mapped[FinalAction] = mapped_column(str_enum(FinalAction, name="retention_final_action"))
    confirmed: Mapped[bool] = mapped_column(default=False)
    confirmed_on: Mapped[date | None]
    note: Mapped[str | None] = mapped_column(sa.Text)


class HoldScope(StrEnum):
    record = "record"
    review = "review"
    record_class = "class"

    @property
    def label(self) -> str:
        return {
            "record": "One record",
            "review": "A case review and everything attached to it",
            "class": "A whole class",
        }[self.value]


class Hold(VersionedMixin, TimestampMixin, Base):
    """A hold that stops disposal (an inquiry's instruction, a claim, a complaint): on one
    record (its type and id), a case review with everything attached to it, or a whole
    record class; with the reason and who placed it; lifted with a reason, never deleted."""

    __tablename__ = "holds"

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[HoldScope] = mapped_column(str_enum(HoldScope, name="hold_scope"))
    record_type: Mapped[str | None] = mapped_column(sa.String(40))
    record_id: Mapped[int | None]
    review_id: Mapped[int | None] = mapped_column(sa.ForeignKey("reviews.id"))
    class_key: Mapped[str | None] = mapped_column(sa.String(40))
    reason: Mapped[str] = mapped_column(sa.Text)
    placed_on: Mapped[date]
    placed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    lifted_on: Mapped[date | None]
    lifted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    lift_reason: Mapped[str | None] = mapped_column(sa.Text)

    @property
    def active(self) -> bool:
        return self.lifted_on is None


class DisposalState(StrEnum):
    proposed = "proposed"
    approved = "approved"
    rejected = "rejected"
    cancelled = "cancelled"

    @property
    def label(self) -> str:
        return {
            "proposed": "Waiting for approval",
            "approved": "Approved and disposed of",
            "rejected": "Rejected",
            "cancelled": "Cancelled",
        }[self.value]

    @property
    def colour(self) -> str:
        return {"proposed": "blue", "approved": "green", "rejected": "red", "cancelled": "grey"}[self.value]


class DisposalBatch(VersionedMixin, TimestampMixin, Base):
    """Records past their date proposed for disposal by one business-office user and
    approved (or rejected) by another; the approval disposes of them in the same
    transaction (services/records/disposal.py)."""

    __tablename__ = "disposal_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    # None: every class due when proposed; otherwise the one class proposed.
    class_key: Mapped[str | None] = mapped_column(sa.String(40))
    state: Mapped[DisposalState] = mapped_column(
        str_enum(DisposalState, name="disposal_state"), default=DisposalState.proposed
    )
    proposed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    proposed_on: Mapped[date]
    approved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    approved_on: Mapped[date | None]
    # Why it was rejected or cancelled.
    reason: Mapped[str | None] = mapped_column(sa.Text)

    @property
    def reference(self) -> str:
        return f"DISP-{self.id:04d}"


class DisposalRecord(TimestampMixin, Base):
    """One record of a disposal batch, and after approval the evidence that it was
    destroyed under the schedule: its class, type, id and reference (never a name), the
    dates, the rule applied as it then stood, and who proposed and approved. Kept for ever
    (the certificate of destruction, GET /api/v1/disposals)."""

    __tablename__ = "disposal_records"
    __table_args__ = (sa.Index("ix_disposal_records_record", "record_table", "record_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(sa.ForeignKey("disposal_batches.id"), index=True)
    class_key: Mapped[str] = mapped_column(sa.String(40))
    record_type: Mapped[str] = mapped_column(sa.String(40))  # as holds name it: "outbox_message"
    record_table: Mapped[str] = mapped_column(sa.String(60))  # as the audit log names it
    record_id: Mapped[int]
    reference: Mapped[str] = mapped_column(sa.String(60))
    trigger_on: Mapped[date]
    due_on: Mapped[date]
    period_years: Mapped[int]
    trigger: Mapped[RetentionTrigger] = mapped_column(str_enum(RetentionTrigger, name="retention_trigger"))
    final_action: Mapped[FinalAction] = mapped_column(str_enum(FinalAction, name="retention_final_action"))
    disposed_on: Mapped[date | None]
    # Why an approved batch left the record alone (a hold placed since it was proposed).
    not_disposed_reason: Mapped[str | None] = mapped_column(sa.Text)
    proposed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    approved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
