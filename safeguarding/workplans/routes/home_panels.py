"""Work plans: the home page's counts and panels."""

from __future__ import annotations

from flask import url_for

from safeguarding import home
from safeguarding.calendar import financial_year_start, financial_year_title, today
from safeguarding.models import Rag, Role
from safeguarding.services import workplans as svc
from safeguarding.workplans.routes.common import READERS


def _year_title() -> str:
    return financial_year_title(financial_year_start(today()))


home.count(
    {Role.independent_chair, Role.business_office},
    40,
    "Red work plan items",
    lambda u: url_for("workplans.partnership"),
    lambda n, _: f"overdue or overridden to red in approved plans for {_year_title()}",
    lambda u: svc.rating_count_select(financial_year_start(today()), (Rag.red,)),
    key="workplans.red",
    kind=home.INFO,
)


def _chaired_rag_select(user):
    if not user.person_id:
        return None
    from safeguarding.services.actions import current_group_ids_select

    return svc.rating_count_select(
        financial_year_start(today()),
        (Rag.red, Rag.amber),
        group_ids=current_group_ids_select(user.person_id, today(), chairing=True),
    )


def _business_plans_panel(user):
    if user.has_role(*READERS):
        return None  # the work plans pages link to them
    return home.Panel(
        "Business plans",
        None,
        url_for("workplans.business_plans"),
        "the partnership's strategic and business plans, year by year",
        home.INFO,
        "workplans.business_plans",
    )


# Viewers have no work plans page in the navigation: this is their way to the plans.
home.add({Role.viewer}, 90, _business_plans_panel)


home.count(
    {Role.subgroup_chair},
    12,
    "Red and amber items in your work plans",
    "workplans.index",
    lambda n, _: (
        f"in this year's approved plans of the groups you chair ({_year_title()}): "
        "post an update or flag what is at risk"
    ),
    _chaired_rag_select,
    key="workplans.chaired_rag",
    kind=home.TASK,
)
