"""The annual reports of the Safeguarding Adults Board.

2024/25: published. Written in spring 2025, approved by the Independent Chair on 2 June,
agreed by the Board at its June meeting (a decision by consensus on the report's agenda
item), and published on 21 July 2025: emailed through the outbox to each recipient on the
distribution list (the councils' leaders, the police and crime commissioner and the
ICB's director of nursing have addresses of their own; the commissioner and North's
Health and Wellbeing Board chair take a link, the others the PDF; West's Health and
Wellbeing Board chair has no address, so nothing was sent to them). The emails are held,
like all the demo's mail.

2025/26: started by the business office (figures taken from the demo's records), the
chair's foreword and the priorities written, next year's priorities written by the
police's safeguarding lead as assigned writer, and submitted to the Independent Chair for
approval (the Board agrees it after the chair approves it)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa

from safeguarding.demo import DemoContext, at, day, step
from safeguarding.extensions import db
from safeguarding.models import (
    AgendaItem,
    AgendaItemKind,
    AgendaRequest,
    AnnualReport,
    Decision,
    DecisionMethod,
    DecisionOutcome,
    Meeting,
)
from safeguarding.services import annual as svc
from safeguarding.workflows.annual import annual_report_lifecycle

FOREWORD = (
    "This has been a year of steady progress for the partnership. Partners have attended well, the "
    "Safeguarding Adults Review sub-group has worked through its reviews, and the Board has agreed a budget "
    "that all statutory partners contribute to equally.\n\n"
    "I thank every member organisation and the business office for their work."
)
PRIORITIES = (
    "Our objective is to help and protect adults and children in North and West from abuse and neglect. "
    "Our strategic priorities for 2025/26 were prevention, making safeguarding personal, and learning "
    "from reviews.\n\n"
    "In the North Council area we ran a self-neglect audit; in the West Council area we reviewed the "
    "multi-agency response to exploitation. Both councils' findings were reported to the Board."
)
NEXT_YEAR = (
    "In 2026/27 the partnership will focus on transitions from children's to adults' services, "
    "hospital discharge, and making sure every review's actions are completed on time."
)


# (organisation key, role key, email, send as): the distribution list's own addresses.
CONTACTS = [
    ("north", "leader", "leader@north-council.demo.test", "attachment"),
    ("west", "leader", "leader@west-council.demo.test", "attachment"),
    ("north", "hwb_chair", "hwb.chair@north-council.demo.test", "link"),
    ("police", "pcc", "commissioner@pcc.demo.test", "link"),
    ("icb", "director_of_nursing", "director.nursing@icb.demo.test", "attachment"),
]


def _agreed_at(report: AnnualReport, meeting: Meeting, office) -> None:
    """The Board's consensus decision agreeing the report at `meeting` (held). The chair's
    approval put the report on the next Board agenda still to come; the Board in fact
    agreed it at `meeting`, so that placement is undone."""
    for request in db.session.scalars(
        sa.select(AgendaRequest).where(AgendaRequest.subject_type == svc.SUBJECT, AgendaRequest.subject_id == report.id)
    ):
        request.closed_at = datetime.now(UTC)
    for stray in db.session.scalars(
        sa.select(AgendaItem).where(AgendaItem.subject_type == svc.SUBJECT, AgendaItem.subject_id == report.id)
    ):
        db.session.delete(stray)
    db.session.flush()
    position = (
        db.session.scalar(sa.select(sa.func.max(AgendaItem.position)).where(AgendaItem.meeting_id == meeting.id)) or 0
    ) + 1
    item = AgendaItem(
        meeting_id=meeting.id,
        position=position,
        title="Agreement of the Safeguarding Adults Board annual report 2024/25",
        kind=AgendaItemKind.business,
        subject_type=svc.SUBJECT,
        subject_id=report.id,
        presenter="Business manager",
    )
    db.session.add(item)
    db.session.flush()
    decision = Decision(
        meeting_id=meeting.id,
        agenda_item_id=item.id,
        method=DecisionMethod.consensus,
        outcome=DecisionOutcome.agreed,
        text="The Board agrees the annual report 2024/25 for publication.",
        subject_type=svc.SUBJECT,
        subject_id=report.id,
        quorate=True,
        recorded_by_id=office.id,
        recorded_at=datetime.combine(meeting.meeting_date, datetime.min.time(), tzinfo=UTC).replace(hour=11),
    )
    db.session.add(decision)
    db.session.flush()
    svc.board_decided(decision, meeting)


def _published_2024(ctx: DemoContext) -> AnnualReport:
    office, chair = ctx.users["office"], ctx.users["chair"]
    for org, role, email, send_as in CONTACTS:
        entry = svc.entry_for(ctx.orgs[org].id, role)
        svc.set_contact(entry, office, email=email, send_as=send_as, version=None)
    with at(day(2025, 5, 12)):
        report = svc.start_report(2024, office)
        for key, text in (("foreword", FOREWORD), ("priorities", PRIORITIES), ("next_year", NEXT_YEAR)):
            svc.edit_section(report, svc.section_by_key(report, key), office, version=report.version, text=text)
        annual_report_lifecycle.fire(report, "submit", user=office, version=report.version, comment="For approval")
    with at(day(2025, 6, 2)):
        annual_report_lifecycle.fire(report, "approve", user=chair, version=report.version)
    meeting = ctx.extra["board_by_month"]["2025-06"]
    with at(meeting.meeting_date):
        _agreed_at(report, meeting, office)
    with at(day(2025, 7, 21)):
        annual_report_lifecycle.fire(
            report, "publish", user=office, version=report.version, params={"sent_on": day(2025, 7, 21)}
        )
    return report


@step(90, "annual report")
def seed_annual_report(ctx: DemoContext) -> None:
    published = _published_2024(ctx)
    office, writer = ctx.users["office"], ctx.users["police"]
    report = svc.start_report(2025, office)
    foreword, priorities, next_year = (svc.section_by_key(report, k) for k in ("foreword", "priorities", "next_year"))
    svc.edit_section(report, foreword, office, version=report.version, text=FOREWORD)
    svc.edit_section(report, priorities, office, version=report.version, text=PRIORITIES)
    svc.assign_writer(
        report,
        next_year,
        office,
        version=report.version,
        person_id=writer.person_id,
        due_on=max(day(2026, 12, 18), _today()),
    )
    svc.edit_section(report, next_year, writer, version=report.version, text=NEXT_YEAR)
    annual_report_lifecycle.fire(
        report, "submit", user=office, version=report.version, comment="Ready for the chair's review"
    )
    ctx.extra["annual_reports"] = {"2025-26": report, "2024-25": published}


def _today() -> date:
    from safeguarding.calendar import today

    return today()
