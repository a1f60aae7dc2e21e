"""The forward plan: the Board's cycle of business placed on its agendas (see `plan`)."""

from safeguarding.services.forward_plan.plan import (
    BOARD_MONTHS,
    FY_MONTHS,
    MONTH_NAMES,
    SUBJECT,
    add_item,
    build_year,
    default_cycle,
    get_item,
    meetings_of,
    place,
    place_waiting,
    plan_of,
    remove_item,
    sub_groups_of,
    target_meeting,
    update_item,
)

__all__ = [
    "BOARD_MONTHS",
    "FY_MONTHS",
    "MONTH_NAMES",
    "SUBJECT",
    "add_item",
    "build_year",
    "default_cycle",
    "get_item",
    "meetings_of",
    "place",
    "place_waiting",
    "plan_of",
    "remove_item",
    "sub_groups_of",
    "target_meeting",
    "update_item",
]
