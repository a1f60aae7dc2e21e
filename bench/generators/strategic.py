"""Ten years of the adults' Board's strategic plans: one a financial year (past ones
published, the latest a draft), six objectives each with a commitment from every statutory
partner, and four consultations a plan."""

from __future__ import annotations

from datetime import date

from safeguarding.models import (
    StrategicCommitment,
    StrategicConsultation,
    StrategicObjective,
    StrategicPlan,
    StrategicPlanState,
)
from safeguarding.models.base import utcnow

ORDER = 75  # after the work plans (70)
OBJECTIVES = (
    "Prevention and early intervention",
    "Making safeguarding personal",
    "Learning from reviews",
    "Workforce confidence",
    "Hearing the voice of people with lived experience",
    "Assurance of partner agencies",
)


def generate(ctx) -> None:
    from bench.generate import FIRST_YEAR, YEARS

    now = utcnow()
    orgs = ctx.ids["organisations"][:4]
    plans, objectives, commitments, consultations = [], [], [], []
    for k in range(YEARS):
        year, latest = FIRST_YEAR + k, k == YEARS - 1
        plans.append(
            {
                "id": k + 1,
                "financial_year": year,
                "title": f"Strategic plan {year}/{(year + 1) % 100:02d}",
                "vision": "People in our area live free from abuse and neglect.",
                "state": (StrategicPlanState.draft if latest else StrategicPlanState.published).value,
                "agreed_on": None if latest else date(year, 3, 20),
                "published_on": None if latest else date(year, 4, 1),
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
        )
        for n, title in enumerate(OBJECTIVES, 1):
            oid = len(objectives) + 1
            objectives.append(
                {
                    "id": oid,
                    "plan_id": k + 1,
                    "number": n,
                    "title": title,
                    "description": f"What the Board will do in {year} on {title.lower()}.",
                    "created_at": now,
                    "updated_at": now,
                }
            )
            commitments += [
                {
                    "id": len(commitments) + i + 1,
                    "objective_id": oid,
                    "organisation_id": org,
                    "text": "Report progress to the Board each quarter.",
                    "created_at": now,
                    "updated_at": now,
                }
                for i, org in enumerate(orgs)
            ]
        consultations += [
            {
                "id": len(consultations) + i + 1,
                "plan_id": k + 1,
                "kind": kind,
                "consulted_on": date(year - 1, 12, 1 + i),
                "consulted": "Healthwatch and the voluntary sector forum",
                "response": "Asked for more on lived experience.",
                "changes": "Objective 5 added.",
                "created_at": now,
                "updated_at": now,
            }
            for i, kind in enumerate(("healthwatch", "community", "other", "healthwatch"))
        ]
    ctx.insert(StrategicPlan.__table__, plans, "strategic plans")
    ctx.insert(StrategicObjective.__table__, objectives, "strategic objectives")
    ctx.insert(StrategicCommitment.__table__, commitments, "strategic commitments")
    ctx.insert(StrategicConsultation.__table__, consultations, "strategic consultations")
