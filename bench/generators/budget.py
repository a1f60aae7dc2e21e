"""The adults' budgets for the 10 financial years (equal-share scheme): ten lines each, a contribution from each of the 60
partners (the statutory three share a target equally, the rest pay fixed amounts), an
invoice per contribution with payments (some partial, some overdue), and 5,000 spend
records (commitments, and actuals against them or not). Closed years carry their
reserves forward; the last two years are approved."""

from __future__ import annotations

from datetime import date, timedelta

from safeguarding.calendar import today
from safeguarding.models import (
    SAR_AUTHORS_LINE,
    Budget,
    BudgetIncome,
    BudgetLine,
    ContributionAgreement,
    Invoice,
    Payment,
    SpendEntry,
)
from safeguarding.models.base import utcnow
from safeguarding.services.budget import split_equally, with_uplift

ORDER = 20
LINES = [
    ("Salaries – staffing 2 × FT posts including on-costs", "staffing", 79_800_00),
    ("Independent Chair", "independent_chair", 20_000_00),
    (SAR_AUTHORS_LINE, "case_reviews", 26_000_00),
    ("Service user engagement and awareness raising", "engagement", 500_00),
    ("Marketing campaign(s)", "engagement", 5_000_00),
    ("Annual conference(s)", "learning", 4_000_00),
    ("Office costs (postage)", "office", 40_00),
    ("SAR training for SAR sub-group members", "learning", 2_000_00),
    ("e-Learning for VCS/providers and SAR learning", "learning", 6_000_00),
    ("Estimated legal fees – SAR", "legal", 2_000_00),
]
SPEND_RECORDS = 5000


def generate(ctx) -> None:
    from bench.generate import FIRST_YEAR, YEARS

    rng = ctx.rng
    now = utcnow()
    as_of = today()
    org_ids = ctx.ids["organisations"]
    office = ctx.ids["users"][0]
    stamp = {"version": 1, "created_at": now, "updated_at": now}
    budgets, lines, income, agreements, invoices, payments, spend = [], [], [], [], [], [], []
    line_ids: dict[int, list[int]] = {}
    reserves = 40_000_00
    per_year = max(1, ctx.n(SPEND_RECORDS) // YEARS)
    for i in range(YEARS):
        year = FIRST_YEAR + i
        bid = i + 1
        uplift = 200 * i  # 2% a year, not compounded: simple and exact
        closed = i < YEARS - 2
        amounts = [with_uplift(amount, uplift) for _, _, amount in LINES]
        expenditure = sum(amounts)
        target = with_uplift(116_922_00, uplift)
        for j, ((name, category, _), amount) in enumerate(zip(LINES, amounts, strict=True)):
            lid = len(lines) + 1
            lines.append(
                {
                    "id": lid,
                    "budget_id": bid,
                    "name": name,
                    "category": category,
                    "amount_pence": amount,
                    "original_pence": amount,
                    "position": j + 1,
                    **stamp,
                }
            )
            line_ids.setdefault(bid, []).append(lid)
        statutory = split_equally(target, 3)
        others = org_ids[3:]
        fixed = 500_00 + 25_00 * i
        contributions = sum(statutory) + fixed * len(others)
        income.append(
            {
                "id": len(income) + 1,
                "budget_id": bid,
                "name": "Reserves applied",
                "kind": "reserves",
                "amount_pence": max(0, expenditure - contributions),
                "original_pence": None,
                **stamp,
            }
        )
        start = date(year, 4, 1)
        for k, org_id in enumerate(org_ids):
            aid = len(agreements) + 1
            share = k < 3
            amount = statutory[k] if share else fixed
            agreements.append(
                {
                    "id": aid,
                    "budget_id": bid,
                    "organisation_id": org_id,
                    "kind": "equal_share" if share else "fixed",
                    "fixed_pence": None if share else fixed,
                    "percentage_bp": None,
                    "amount_pence": amount,
                    "original_pence": amount,
                    "remainder_pence": 0,
                    "calculation": "An equal share among 3 statutory agencies" if share else "A fixed amount",
                    "contact_name": None,
                    "contact_email": f"finance{org_id}@bench.example",
                    "notes": None,
                    **stamp,
                }
            )
            issued = start + timedelta(days=30 + k % 20)
            # Most pay in full; every seventh pays part; every eleventh nothing (overdue).
            paid = 0 if k % 11 == 5 else (amount // 2 if k % 7 == 3 else amount)
            iid = len(invoices) + 1
            # An invoice overdue for a while has been chased every 14 days by the daily job,
            # the last time 1–14 days ago (so about a fourteenth are due a reminder today).
            due = issued + timedelta(days=30)
            chased = (
                as_of - timedelta(days=iid % 14 + 1) if paid < amount and due < as_of - timedelta(days=14) else None
            )
            invoices.append(
                {
                    "id": iid,
                    "number": f"SP-{year}-{str(year + 1)[-2:]}-{k + 1:03d}",
                    "agreement_id": aid,
                    "budget_id": bid,
                    "organisation_id": org_id,
                    "issued_on": issued,
                    "due_on": issued + timedelta(days=30),
                    "amount_pence": amount,
                    "paid_pence": paid,
                    "description": "Contribution",
                    "sent_to": None,
                    "cancelled_on": None,
                    "cancel_reason": None,
                    "last_chased_on": chased,
                    "chase_count": max(1, (as_of - due).days // 14) if chased else 0,
                    "raised_by_id": office,
                    **stamp,
                }
            )
            if paid:
                payments.append(
                    {
                        "id": len(payments) + 1,
                        "invoice_id": iid,
                        "organisation_id": org_id,
                        "budget_id": bid,
                        "received_on": issued + timedelta(days=20),
                        "amount_pence": paid,
                        "reference": f"BACS {org_id}",
                        "recorded_by_id": office,
                        "recorded_at": now,
                        "reversed_on": None,
                        "reversal_reason": None,
                    }
                )
        spent = 0
        commitments: list[tuple[int, int]] = []
        for n in range(per_year):
            sid = len(spend) + 1
            lid = rng.choice(line_ids[bid])
            on = start + timedelta(days=rng.randint(0, 360))
            if n % 5 == 0:
                amount = rng.randint(500_00, 5_000_00)
                spend.append(
                    {
                        "id": sid,
                        "kind": "commitment",
                        "budget_id": bid,
                        "line_id": lid,
                        "amount_pence": amount,
                        "supplier": f"Supplier {n % 37}",
                        "reference": f"PO-{year}-{n}",
                        "dated_on": on,
                        "description": None,
                        "commitment_id": None,
                        "source_type": None,
                        "source_id": None,
                        "ended_on": None,
                        "end_reason": None,
                        "recorded_by_id": office,
                        **stamp,
                    }
                )
                commitments.append((sid, lid))
            else:
                amount = rng.randint(10_00, 1_500_00)
                against = commitments[-1] if commitments and n % 3 == 0 else None
                spend.append(
                    {
                        "id": sid,
                        "kind": "actual",
                        "budget_id": bid,
                        "line_id": against[1] if against else lid,
                        "amount_pence": amount,
                        "supplier": f"Supplier {n % 37}",
                        "reference": f"INV-{year}-{n}",
                        "dated_on": on,
                        "description": None,
                        "commitment_id": against[0] if against else None,
                        "source_type": None,
                        "source_id": None,
                        "ended_on": None,
                        "end_reason": None,
                        "recorded_by_id": office,
                        **stamp,
                    }
                )
                spent += amount
        income_of_year = contributions
        surplus = income_of_year - spent
        budgets.append(
            {
                "id": bid,
                "arm": "adults",  # one budget per arm per year: these are the adults' Board's
                "financial_year": year,
                "state": "closed" if closed else "approved",
                "contribution_scheme": "equal_share",
                "equal_share_target_pence": target,
                "reserves_brought_forward_pence": reserves,
                "reserves_carried_in": i > 0,
                "notes": None,
                "copied_from_id": bid - 1 if i else None,
                "uplift_bp": 200 if i else None,
                "board_meeting_on": date(year, 3, 15),
                "minute_reference": None,
                "approved_by_id": office,
                "closed_on": date(year + 1, 5, 1) if closed else None,
                "outturn_income_pence": income_of_year if closed else None,
                "outturn_spend_pence": spent if closed else None,
                "surplus_pence": surplus if closed else None,
                "reserves_carried_forward_pence": reserves + surplus if closed else None,
                **stamp,
            }
        )
        if closed:
            reserves += surplus
    ctx.insert(Budget.__table__, budgets, "budgets")
    ctx.insert(BudgetLine.__table__, lines, "budget lines")
    ctx.insert(BudgetIncome.__table__, income, "budget income")
    ctx.insert(ContributionAgreement.__table__, agreements, "contribution agreements")
    ctx.insert(Invoice.__table__, invoices, "invoices")
    ctx.insert(Payment.__table__, payments, "payments")
    ctx.insert(SpendEntry.__table__, spend, "spend")
    ctx.ids["budgets"] = [b["id"] for b in budgets]
    ctx.ids["invoices"] = [x["id"] for x in invoices]
    ctx.ids["spend"] = [s["id"] for s in spend]
