"""The strategic plan as a document (a `Report`: HTML preview, PDF)."""

from __future__ import annotations

from safeguarding.calendar import financial_year_title
from safeguarding.documents import Report, Section, Table, render_pdf
from safeguarding.formatting import long_date
from safeguarding.models import StrategicPlan, StrategicPlanState
from safeguarding.services.strategic.common import commitments_of, consultations_of, objectives_of, title_of
from safeguarding.services.strategic.progress import priorities_by_objective


def file_name(plan: StrategicPlan) -> str:
    return f"strategic-plan-{plan.financial_year}-{str(plan.financial_year + 1)[-2:]}.pdf"


def plan_report(plan: StrategicPlan) -> Report:
    year = financial_year_title(plan.financial_year)
    sections = []
    vision = [line.strip() for line in (plan.vision or "").splitlines() if line.strip()]
    sections.append(
        Section(
            "About this plan",
            [
                *vision,
                f"This is the Safeguarding Adults Board's strategic plan for {year} (Care Act 2014, Schedule 2 "
                "paragraph 3): its objectives, what each member organisation will do to achieve them, and how the "
                "Board consulted Local Healthwatch and involved the community in preparing it.",
            ],
        )
    )
    commitments = commitments_of(plan)
    linked = priorities_by_objective(plan)
    for o in objectives_of(plan):
        paragraphs = [o.description] if o.description else []
        if linked.get(o.id):
            paragraphs.append(
                f"Business plan priorities for {year} that derive from it: "
                + "; ".join(p.label for p in linked[o.id])
                + "."
            )
        tables = []
        if commitments.get(o.id):
            tables.append(
                Table(
                    f"What each member organisation will do: objective {o.number}",
                    ["Organisation", "What it will do"],
                    [[c.organisation.name, c.text] for c in commitments[o.id]],
                )
            )
        sections.append(Section(f"Objective {o.label}", paragraphs or ["No description."], tables))
    consultations = consultations_of(plan)
    sections.append(
        Section(
            "How we consulted",
            ["Each consultation: when, whom, what they told us and what changed in the plan as a result."],
            [
                Table(
                    "Consultations",
                    ["Date", "Consulted", "What they said", "What changed"],
                    [
                        [long_date(c.consulted_on), f"{c.kind.label}: {c.consulted}", c.response, c.changes or "—"]
                        for c in consultations
                    ],
                )
            ]
            if consultations
            else [],
        )
    )
    agreement = (
        f"The Board agreed this plan at its meeting on {long_date(plan.agreed_on)}."
        if plan.agreed_on
        else "The Board has not agreed this plan yet."
    )
    sections.append(Section("Agreement", [agreement]))
    return Report(
        title=title_of(plan),
        subtitle=plan.title,
        sections=sections,
        date=plan.published_on or plan.agreed_on,
        reference=f"SP-{plan.financial_year}",
        draft=plan.state != StrategicPlanState.published,
    )


def plan_pdf(plan: StrategicPlan) -> bytes:
    return render_pdf(plan_report(plan))
