"""The safeguarding partners' yearly report for 2025/26 (children): drafted by the business
office in the spring, submitted, put to the four safeguarding partners as a joint decision
and signed off when the last of them agreed (each answer given by the partner's delegated
safeguarding partner, as themselves), published in July and sent to the national Child
Safeguarding Practice Review Panel and to Foundations three days later, within the 7 days."""

from __future__ import annotations

from safeguarding.demo import DemoContext, at, day, step
from safeguarding.services import annual as svc
from safeguarding.services import joint_decisions
from safeguarding.workflows.annual import annual_report_lifecycle as lifecycle

TEXTS = {
    "impact": (
        "The safeguarding partners met every month and agreed three priorities for 2025/26: neglect, child "
        "exploitation, and hearing the voice of the child.\n\n"
        "In the North Council area the neglect toolkit is now used in every early help assessment, and repeat "
        "child protection plans for neglect fell. In the West Council area the exploitation panel met weekly "
        "and more children at risk had a named lead professional."
    ),
    "little_progress": (
        "Information sharing between health visitors and schools at the point a child starts school improved "
        "less than we planned: the new protocol was agreed late in the year. It is carried into 2026/27."
    ),
    "voice": (
        "Young people from both councils' children in care councils reviewed our exploitation leaflets and "
        "told us they were too long; we rewrote them with them. Parents who took part in a local review said "
        "they wanted to be kept informed as it progressed, and the review process now says how."
    ),
    "scrutiny": (
        "The independent scrutineer found the partners' joint leadership strong and their use of data "
        "improving, and asked them to show more clearly how learning from reviews changed practice. The "
        "partners accepted the assessment and will report on it next year."
    ),
    "agencies": (
        "Schools, colleges and early years settings took part through the education safeguarding forum, which "
        "met each term; 94% of schools completed the section 11 audit. Health providers, probation, the fire "
        "service and the voluntary sector took part in the audits and the learning events."
    ),
}
ANSWERS = [  # who answers (a demo account: the delegated safeguarding partner) and when
    ("northdcs", day(2026, 6, 22)),
    ("icb", day(2026, 6, 24)),
    ("police", day(2026, 6, 26)),
    ("westdcs", day(2026, 6, 30)),
]


@step(91, "children's yearly report")
def seed_yearly_report(ctx: DemoContext) -> None:
    office = ctx.users["office"]
    with at(day(2026, 5, 11)):
        report = svc.start_report(2025, office, "children")
    with at(day(2026, 6, 8)):
        for key, text in TEXTS.items():
            svc.edit_section(report, svc.section_by_key(report, key), office, version=report.version, text=text)
    with at(day(2026, 6, 15)):
        lifecycle.fire(report, "submit", user=office, version=report.version, comment="Ready for the partners")
    with at(day(2026, 6, 16)):
        lifecycle.fire(
            report, "put_to_partners", user=office, version=report.version, params={"due_on": day(2026, 7, 3)}
        )
    decision = svc.decision_of(report)
    assert decision is not None
    for account, on in ANSWERS:
        with at(on):
            user = ctx.users[account]
            joint_decisions.answer(decision, organisation_id=None, agree=True, reason=None, user=user)
    with at(day(2026, 7, 14)):
        lifecycle.fire(
            report, "publish_yearly", user=office, version=report.version, params={"published_on": day(2026, 7, 14)}
        )
    with at(day(2026, 7, 17)):
        svc.send_nationally(report, office, version=report.version)
    ctx.extra["annual_reports"]["2025-26-children"] = report
    ctx.extra["joint_decisions"] = {**ctx.extra.get("joint_decisions", {}), "yearly_report": decision}
