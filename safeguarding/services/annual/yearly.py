"""The children's yearly report (Working Together 2023), on the annual report's engine:
signed off by the safeguarding partners jointly (a joint decision of all four, put by the
office; when carried it approves the report as the system, figures frozen as the chair's
approval freezes the adults'), published, then sent to the national Child Safeguarding
Practice Review Panel and to Foundations (the What Works Centre for Children & Families)
**within 7 days of publication**.

Sending is the office's act ("Send to the Panel and Foundations"), not automatic on
publication: the date published is recorded when it happened (often on the partnership's
website before it is entered here), and a late send must still be possible and show as
late. It queues one email to each (the report's PDF attached) and keeps the two outbox
messages as proof: when queued, whether and when delivered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app

from safeguarding import documents
from safeguarding.calendar import financial_year_title, today
from safeguarding.extensions import db
from safeguarding.formatting import long_date
from safeguarding.models import (
    AnnualReport,
    AnnualReportState,
    Area,
    JointDecision,
    JointDecisionSubject,
    OutboxMessage,
    ReportKind,
)
from safeguarding.notify import Attachment, queue_email, service_url
from safeguarding.services import audit, joint_decisions
from safeguarding.services.annual.common import OFFICE, _check_version, _require
from safeguarding.services.annual.queries import title
from safeguarding.services.annual.rendering import document, file_name
from safeguarding.services.errors import Conflict
from safeguarding.workflows.annual import (
    NO_OPEN_QUESTION,
    PUBLISH_YEARLY,
    PUT_TO_PARTNERS,
    annual_report_lifecycle,
)
from safeguarding.workflows.base import TransitionContext

SEND_WITHIN_DAYS = 7  # statutory (Working Together 2023): days after publication


# --- the partners' sign-off -------------------------------------------------------------------


def decision_of(report: AnnualReport) -> JointDecision | None:
    """The latest joint decision put on the report (None for the adults' report)."""
    if report.kind != ReportKind.children:
        return None
    return db.session.scalar(
        sa.select(JointDecision)
        .where(JointDecision.annual_report_id == report.id, JointDecision.subject == JointDecisionSubject.yearly_report)
        .order_by(JointDecision.id.desc())
        .limit(1)
    )


@annual_report_lifecycle.guard(NO_OPEN_QUESTION)
def _no_open_question(ctx: TransitionContext) -> str | None:
    d = decision_of(ctx.row)
    if d is not None and d.state in joint_decisions.OPEN_STATES:
        return f"The report is with the safeguarding partners (joint decision JD-{d.id}): withdraw the question first"
    return None


@annual_report_lifecycle.effect(PUT_TO_PARTNERS)
def _put_to_partners(ctx: TransitionContext) -> None:
    report = ctx.row
    joint_decisions.put_question(
        JointDecisionSubject.yearly_report,
        question=(
            f"Do you sign off the safeguarding partners' yearly report for {financial_year_title(report.financial_year)} "
            "for publication?"
        ),
        area=Area.both,
        due_on=ctx.params["due_on"],
        user=ctx.user,
        annual_report_id=report.id,
    )


@joint_decisions.on_carried(JointDecisionSubject.yearly_report)
def _signed_off(decision: JointDecision, user: Any) -> None:
    """Every partner agreed: the report is approved (as the system) and its figures frozen."""
    report = db.session.get(AnnualReport, decision.annual_report_id) if decision.annual_report_id else None
    if report is None or report.state != AnnualReportState.submitted:
        return
    annual_report_lifecycle.fire(
        report,
        "approve",
        user=None,
        system=True,
        comment=f"Signed off by the safeguarding partners jointly (joint decision JD-{decision.id})",
    )


@annual_report_lifecycle.effect(PUBLISH_YEARLY)
def _published(ctx: TransitionContext) -> None:
    ctx.row.published_on = ctx.params["published_on"]


# --- sending to the Panel and Foundations ------------------------------------------------------


@dataclass(frozen=True)
class Sent:
    """One of the two emails: to whom, the outbox message (proof), queued and delivered."""

    recipient: str  # "panel" or "foundations"
    label: str
    address: str
    message_id: int
    status: str
    status_label: str
    queued_at: datetime | None
    delivered_at: datetime | None


@dataclass(frozen=True)
class NationalSending:
    deadline: date | None  # published + 7 days
    sent_on: date | None
    late: bool  # sent after the deadline
    overdue_days: int  # not sent and the deadline passed: days since it
    messages: list[Sent]

    @property
    def status(self) -> str:
        if self.deadline is None:
            return "not_published"
        if self.sent_on is not None:
            return "sent_late" if self.late else "sent"
        return "overdue" if self.overdue_days else "due"

    @property
    def text(self) -> str:
        if self.deadline is None:
            return "To be sent to the Panel and Foundations within 7 days of publication"
        if self.sent_on is not None:
            when = f"Sent on {long_date(self.sent_on)}"
            return f"{when}: sent late (due by {long_date(self.deadline)})" if self.late else when
        if self.overdue_days:
            return (
                f"Not sent, {self.overdue_days} day{'s' if self.overdue_days != 1 else ''} overdue "
                f"(due by {long_date(self.deadline)})"
            )
        return f"Due by {long_date(self.deadline)}"


LABELS = {"panel": "Child Safeguarding Practice Review Panel", "foundations": "Foundations (What Works Centre)"}


def deadline_of(report: AnnualReport) -> date | None:
    return report.published_on + timedelta(days=SEND_WITHIN_DAYS) if report.published_on else None


def national_sending(report: AnnualReport, on: date | None = None) -> NationalSending | None:
    """The record of sending to the Panel and Foundations (None for the adults' report)."""
    if report.kind != ReportKind.children:
        return None
    on = on or today()
    deadline = deadline_of(report)
    messages = []
    for key, message_id in (("panel", report.panel_message_id), ("foundations", report.foundations_message_id)):
        m = db.session.get(OutboxMessage, message_id) if message_id else None
        if m is not None:
            messages.append(
                Sent(
                    key,
                    LABELS[key],
                    ", ".join(m.to_addrs),
                    m.id,
                    m.status.value,
                    m.status.label,
                    m.queued_at or m.created_at,
                    m.sent_at,
                )
            )
    sent = report.sent_nationally_on
    late = bool(sent and deadline and sent > deadline)
    overdue = (on - deadline).days if (deadline and sent is None and on > deadline) else 0
    return NationalSending(deadline, sent, late, overdue, messages)


def send_nationally(report: AnnualReport, user: Any, *, version: int | None) -> AnnualReport:
    """The office sends the published yearly report to the Panel and to Foundations: one
    email each through the outbox, the PDF attached. Late is allowed and shows as late."""
    _require(user, OFFICE, "send the yearly report to the Panel and Foundations")
    _check_version(report, version)
    if report.kind != ReportKind.children:
        raise Conflict("Only the children's yearly report is sent to the Panel and Foundations")
    if report.state != AnnualReportState.published:
        raise Conflict("Record that the yearly report was published before sending it")
    if report.sent_nationally_on is not None:
        raise Conflict(f"The yearly report was sent on {long_date(report.sent_nationally_on)}")
    pdf = documents.render_pdf(document(report))
    name, on = title(report), today()
    cfg = current_app.config
    ids = {}
    for key, address in (("panel", cfg["PANEL_EMAIL"]), ("foundations", cfg["FOUNDATIONS_EMAIL"])):
        message = queue_email(
            [address],
            f"Safeguarding partners' yearly report {financial_year_title(report.financial_year)}: North and West",
            "yearly_report_national",
            {
                "recipient": LABELS[key],
                "report": name,
                "published_on": long_date(report.published_on) if report.published_on else "",
                "link": service_url("annual.report", report_id=report.id),
            },
            kind="yearly_report_national",
            dedupe_key=f"yearly-report:{report.id}:{key}",
            attachments=[Attachment(file_name(report, "pdf"), "application/pdf", pdf)],
        )
        assert message is not None  # never sent quietly
        ids[key] = message.id
    report.panel_message_id, report.foundations_message_id = ids["panel"], ids["foundations"]
    report.sent_nationally_on = on
    audit.mark_action(report, "send_nationally")
    db.session.flush()
    return report


def unsent_select(user: Any) -> sa.Select:
    """Published yearly reports not yet sent to the Panel and Foundations (a home count)."""
    return (
        sa.select(sa.func.count())
        .select_from(AnnualReport)
        .where(
            AnnualReport.kind == ReportKind.children,
            AnnualReport.state == AnnualReportState.published,
            AnnualReport.sent_nationally_on.is_(None),
        )
    )


def unsent_published_select(user: Any) -> sa.Select:
    """The earliest publication date among them (the nearest deadline)."""
    return sa.select(sa.func.min(AnnualReport.published_on)).where(
        AnnualReport.kind == ReportKind.children,
        AnnualReport.state == AnnualReportState.published,
        AnnualReport.sent_nationally_on.is_(None),
    )


def unsent_detail(count: int, extras: dict[str, Any]) -> str:
    """ "Due by …" or "not sent, N days overdue" for the home page."""
    published = extras.get("published")
    if isinstance(published, str):
        published = date.fromisoformat(published[:10])
    if not isinstance(published, date):
        return "to send within 7 days of publication"
    deadline = published + timedelta(days=SEND_WITHIN_DAYS)
    late = (today() - deadline).days
    if late > 0:
        return f"not sent, {late} day{'s' if late != 1 else ''} overdue (due by {long_date(deadline)})"
    return f"due by {long_date(deadline)} (7 days after publication)"
