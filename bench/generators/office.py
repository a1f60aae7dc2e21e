"""The meeting office at scale: a risk register of 200 risks raised over the ten years
(most closed, 40 open), each with its score history (about six assessments), and the
forward plan: the Board's cycle of business for every financial year (about 30 items a
year, those of past years placed on their meetings)."""

from __future__ import annotations

from datetime import date, timedelta

from safeguarding.models import ForwardKind, ForwardPlanItem, Risk, RiskScore, RiskStatus
from safeguarding.models.base import utcnow

ORDER = 60


def generate(ctx) -> None:
    from bench.generate import FIRST_YEAR, YEARS

    rng = ctx.rng
    now = utcnow()
    orgs = ctx.ids["organisations"]
    count = ctx.n(200)
    risks, scores = [], []
    for i in range(count):
        raised = date(FIRST_YEAR, 4, 1) + timedelta(days=int(i * 365 * YEARS / count))
        is_open = i >= count - 40
        row = {
            "id": i + 1,
            "reference": f"R{i + 1:04d}",
            "title": f"Risk {i + 1} to the partnership's arrangements",
            "cause": "Generated for the benchmark.",
            "effect": "Generated for the benchmark.",
            "owner_organisation_id": orgs[i % 3],
            "owner_person_id": None,
            "inherent_likelihood": rng.randint(2, 5),
            "inherent_impact": rng.randint(2, 5),
            "residual_likelihood": rng.randint(1, 3),
            "residual_impact": rng.randint(1, 4),
            "controls": "Quarterly review at the Executive.",
            "review_date": raised + timedelta(days=365 * 2 if is_open else 180),
            "status": (RiskStatus.open if is_open else RiskStatus.closed).value,
            "closed_reason": None if is_open else "Mitigated",
            "created_by_id": 1,
            "version": 1,
            "created_at": now,
            "updated_at": now,
        }
        risks.append(row)
        for k in range(rng.randint(3, 9)):
            scores.append(
                {
                    "id": len(scores) + 1,
                    "risk_id": row["id"],
                    "assessed_on": raised + timedelta(days=91 * k),
                    "inherent_likelihood": row["inherent_likelihood"],
                    "inherent_impact": row["inherent_impact"],
                    "residual_likelihood": rng.randint(1, 3),
                    "residual_impact": rng.randint(1, 4),
                    "note": None,
                    "recorded_by_id": 1,
                    "recorded_at": now,
                }
            )
    ctx.insert(Risk.__table__, risks, "risks")
    ctx.insert(RiskScore.__table__, scores, "risk scores")
    ctx.ids["risks"] = [r["id"] for r in risks]

    kinds = [k for k in ForwardKind if k != ForwardKind.highlight_report]  # those name a sub-group
    items = []
    for year in range(FIRST_YEAR, FIRST_YEAR + YEARS + 1):
        for k in range(ctx.n(30)):
            items.append(
                {
                    "id": len(items) + 1,
                    "financial_year": year,
                    "group_id": 1,
                    "kind": kinds[k % len(kinds)].value,
                    "title": f"Business item {k + 1} for {year}",
                    "month": k % 12 + 1,
                    "sub_group_id": None,
                    "notes": None,
                    "active": True,
                    "meeting_id": None,
                    "agenda_item_id": None,
                    "version": 1,
                    "created_at": now,
                    "updated_at": now,
                }
            )
    ctx.insert(ForwardPlanItem.__table__, items, "forward plan items")
    ctx.ids["forward_plan_items"] = [r["id"] for r in items]
