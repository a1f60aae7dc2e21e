"""The budget's counts on the home page."""

from __future__ import annotations

from flask import url_for

from safeguarding import home
from safeguarding.formatting import money, plural
from safeguarding.models import Role
from safeguarding.services import budget as svc


def _office_detail(n: int, x) -> str:
    return f"{plural(n, 'invoice')} past due: {money(int(x.get('owed') or 0))} owed"


def _partner_detail(n: int, x) -> str:
    owed, overdue = int(x.get("owed") or 0), int(x.get("overdue") or 0)
    detail = (
        f"{money(owed)} outstanding" + (f", {money(overdue)} overdue" if overdue else "")
        if n
        else "Nothing outstanding"
    )
    return f"{'unpaid invoice' if n == 1 else 'unpaid invoices'}: {detail}"


home.count(
    {Role.business_office},
    35,
    "Overdue contributions",
    lambda u: url_for("budget.invoices", status="overdue"),
    _office_detail,
    lambda u: svc.home_selects(u, "overdue")["count"],
    key="budget.overdue",
    kind=home.DUE,
    extras={"owed": lambda u: svc.home_selects(u, "overdue")["owed"]},
)


home.count(
    {Role.partner_member},
    36,
    "Your organisation's contributions",
    lambda u: url_for("budget.account", org_id=svc.partner_organisation_id(u)),
    _partner_detail,
    lambda u: svc.home_selects(u, "outstanding")["count"] if svc.partner_organisation_id(u) else None,
    key="budget.contributions",
    kind=home.TASK,
    show_zero=True,
    extras={
        "owed": lambda u: svc.home_selects(u, "outstanding")["owed"],
        "overdue": lambda u: svc.home_selects(u, "outstanding")["overdue"],
    },
)
