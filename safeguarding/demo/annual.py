"""The 2025/26 annual report: started by the business office (figures taken from the
demo's records), the chair's foreword and the priorities written, next year's priorities
written by the police's safeguarding lead as assigned writer, and submitted to the
Independent Chair for approval."""

from __future__ import annotations

from datetime import date

from safeguarding.demo import DemoContext, day, step
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


@step(90, "annual report")
def seed_annual_report(ctx: DemoContext) -> None:
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
    ctx.extra["annual_reports"] = {"2025-26": report}


def _today() -> date:
    from safeguarding.calendar import today

    return today()
