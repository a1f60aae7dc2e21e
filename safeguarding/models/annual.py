"""The partnership's annual reports, one engine and two kinds, one of each per financial
year: the Safeguarding Adults Board's annual report (Care Act 2014 Schedule 2 para 4),
approved by the Independent Chair and published to the statutory recipients; and the
safeguarding partners' yearly report (Working Together 2023), signed off by the partners
jointly, published, and sent to the national Child Safeguarding Practice Review Panel and
to Foundations within 7 days. Each is made of generated data sections (figures frozen on
approval) and narrative sections written by people."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from safeguarding.models.base import Base, TimestampMixin, VersionedMixin, str_enum, utcnow
from safeguarding.models.people import Organisation, Person


class AnnualReportState(StrEnum):
    drafting = "drafting"
    submitted = "submitted"
    changes_requested = "changes_requested"
    approved = "approved"
    published = "published"

    @property
    def label(self) -> str:
        return {
            "drafting": "Drafting",
            "submitted": "Submitted to the chair",
            "changes_requested": "Changes requested",
            "approved": "Approved",
            "published": "Published",
        }[self.value]


class ReportKind(StrEnum):
    adults = "adults"  # the Safeguarding Adults Board's annual report
    children = "children"  # the safeguarding partners' yearly report

    @property
    def label(self) -> str:
        return {
            "adults": "Safeguarding Adults Board annual report",
            "children": "Safeguarding children yearly report",
        }[self.value]


class SectionKind(StrEnum):
    data = "data"
    narrative = "narrative"

    @property
    def label(self) -> str:
        return {"data": "Figures from the records", "narrative": "Written"}[self.value]


class SectionState(StrEnum):
    to_write = "to_write"
    written = "written"
    changes_requested = "changes_requested"

    @property
    def label(self) -> str:
        return {"to_write": "To write", "written": "Written", "changes_requested": "Changes requested"}[self.value]


class AnnualReport(VersionedMixin, TimestampMixin, Base):
    __tablename__ = "annual_reports"
    __table_args__ = (sa.UniqueConstraint("kind", "financial_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ReportKind] = mapped_column(
        str_enum(ReportKind, name="annual_report_kind"), default=ReportKind.adults, server_default="adults"
    )
    financial_year: Mapped[int]  # the year it starts: 2025 → 2025/26
    state: Mapped[AnnualReportState] = mapped_column(
        str_enum(AnnualReportState, name="annual_report_state"), default=AnnualReportState.drafting
    )
    figures_taken_at: Mapped[datetime | None]
    approved_on: Mapped[date | None]
    published_on: Mapped[date | None]
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    # The yearly report (children) sent to the national Panel and to Foundations: the day
    # the office sent it and the two outbox messages (proof: queued, delivered).
    sent_nationally_on: Mapped[date | None]
    panel_message_id: Mapped[int | None] = mapped_column(sa.ForeignKey("outbox_messages.id"))
    foundations_message_id: Mapped[int | None] = mapped_column(sa.ForeignKey("outbox_messages.id"))
    # The adults' annual report is agreed by the Board (the constitution: the Partnership
    # will "produce, authorise and agree" it): the standing decision on its agenda item at
    # a Board meeting, and that meeting's date. Publication waits for it.
    board_decision_id: Mapped[int | None] = mapped_column(sa.ForeignKey("decisions.id"))
    board_agreed_on: Mapped[date | None]

    sections: Mapped[list[AnnualReportSection]] = relationship(
        back_populates="report", order_by="AnnualReportSection.order", lazy="selectin"
    )

    def __repr__(self) -> str:
        return f"<AnnualReport {self.id} {self.kind} {self.financial_year}>"


class AnnualReportSection(TimestampMixin, Base):
    __tablename__ = "annual_report_sections"
    __table_args__ = (sa.UniqueConstraint("report_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(sa.ForeignKey("annual_reports.id"), index=True)
    key: Mapped[str] = mapped_column(sa.String(60))
    heading: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[SectionKind] = mapped_column(str_enum(SectionKind, name="annual_section_kind"))
    order: Mapped[int] = mapped_column("position")
    # Generated (data sections): the figures, tables and chart data as JSON, and a summary.
    figures: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    generated_summary: Mapped[str | None] = mapped_column(sa.Text)
    # The office's edit of the generated summary, or the narrative text.
    text: Mapped[str | None] = mapped_column(sa.Text)
    guidance: Mapped[str | None] = mapped_column(sa.Text)
    writer_person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"))
    due_on: Mapped[date | None]
    chair_comment: Mapped[str | None] = mapped_column(sa.Text)
    state: Mapped[SectionState] = mapped_column(
        str_enum(SectionState, name="annual_section_state"), default=SectionState.to_write
    )

    report: Mapped[AnnualReport] = relationship(back_populates="sections", lazy="raise")
    writer: Mapped[Person | None] = relationship(lazy="joined")

    @property
    def summary(self) -> str:
        """What the report says: the edited text, else the generated summary."""
        return self.text or self.generated_summary or ""


class SendAs(StrEnum):
    attachment = "attachment"  # the report's PDF attached to the email
    link = "link"  # a link to the published report's PDF

    @property
    def label(self) -> str:
        return {"attachment": "The PDF attached", "link": "A link to the report"}[self.value]


class ReportContact(VersionedMixin, TimestampMixin, Base):
    """The directory's address for one recipient of the annual report (a role in an
    organisation: "leader" of North Council), and how the report is sent to it. Where no
    row gives an email, the organisation's chief executive's email is used for the roles
    the chief executive holds (see services/annual/distribution.py)."""

    __tablename__ = "report_contacts"
    __table_args__ = (sa.UniqueConstraint("organisation_id", "role_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    role_key: Mapped[str] = mapped_column(sa.String(40))
    email: Mapped[str | None] = mapped_column(sa.String(320))
    send_as: Mapped[SendAs] = mapped_column(
        str_enum(SendAs, name="report_send_as"), default=SendAs.attachment, server_default="attachment"
    )


class AnnualReportRecipient(Base):
    """One recipient of the published report (the statutory distribution, plus partners):
    the address it was sent to (None: the directory had none), how, and the outbox
    message that carries it (its status is the delivery's)."""

    __tablename__ = "annual_report_recipients"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(sa.ForeignKey("annual_reports.id"), index=True)
    role: Mapped[str] = mapped_column(sa.String(200))  # "Chief executive, North Council"
    statutory: Mapped[bool] = mapped_column(default=True)
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"))
    sent_on: Mapped[date]
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    role_key: Mapped[str | None] = mapped_column(sa.String(40))
    email: Mapped[str | None] = mapped_column(sa.String(320))
    send_as: Mapped[SendAs | None] = mapped_column(str_enum(SendAs, name="report_send_as"))
    message_id: Mapped[int | None] = mapped_column(sa.ForeignKey("outbox_messages.id"))

    organisation: Mapped[Organisation | None] = relationship(lazy="joined")
