"""Business plans, sub-group work plans, their items, progress updates and RAG, year-end
carry-forward, highlight reports to the Board and terms-of-reference reviews.

The work plan's state changes (submit, return for changes, approve — only from a
standing Board decision — and close at year end) are in workflows/workplans.py.

The package: `common` (constants, permissions and guards), `rag` (the RAG rules,
`derive_rag`, and the daily recalculation), `queries` (lookups and lists), `commands`
(drafting business plans, priorities, work plans and items; the Board's approval;
terms-of-reference reviews; attaching highlight reports), `progress` (an approved plan's
items: updates, status, risk, override, year end), `highlights` (the highlight report)
and `figures` (counts by rating: the partnership view, the annual report, the home page);
`lifecycle` registers what the work plan's lifecycle needs from them (permissions, guards,
effects, the loader) when imported here. Callers import from the package: everything is
re-exported here.
"""

from safeguarding.services.workplans import lifecycle  # noqa: F401  (registers the lifecycle's rules)
from safeguarding.services.workplans.commands import (
    add_item,
    add_priority,
    attach_highlight,
    board_decided,
    create_business_plan,
    create_work_plan,
    put_on_board_agenda,
    record_tor_review,
    update_business_plan,
    update_item,
    update_priority,
)
from safeguarding.services.workplans.common import (
    BUSINESS_PLAN_READERS,
    MEMBER_ROLES,
    OFFICE,
    READERS,
    WORK_PLAN,
    chaired_group_ids,
    may_edit_plan,
    may_update_item,
)
from safeguarding.services.workplans.figures import (
    RAG_ORDER,
    PartnershipView,
    partnership_view,
    rating_count_select,
    year_summary,
)
from safeguarding.services.workplans.highlights import (
    Highlight,
    attached_papers,
    board_meetings_around,
    board_meetings_for_year,
    get_board_meeting,
    get_subgroup,
    highlight,
    highlight_report,
    subgroup_slot,
)
from safeguarding.services.workplans.progress import (
    carry_forward,
    change_status,
    close_item,
    flag_at_risk,
    post_update,
    set_override,
)
from safeguarding.services.workplans.queries import (
    TorStatus,
    board_approval,
    business_plan_for_year,
    get_business_plan,
    get_item,
    get_priority,
    get_update,
    get_work_plan,
    items_of,
    list_business_plans,
    list_work_plans,
    plan_for,
    priorities_of,
    subgroups,
    tor_flags,
    tor_reviews,
    tor_status,
    unsettled_items,
    updates_of,
)
from safeguarding.services.workplans.rag import (
    DEFAULT_POLICY,
    RagPolicy,
    derive_rag,
    rag_reason,
    recalculate,
    recalculate_all,
)

__all__ = [
    "WORK_PLAN",
    "OFFICE",
    "READERS",
    "BUSINESS_PLAN_READERS",
    "MEMBER_ROLES",
    "chaired_group_ids",
    "may_edit_plan",
    "may_update_item",
    "list_business_plans",
    "get_business_plan",
    "business_plan_for_year",
    "create_business_plan",
    "update_business_plan",
    "priorities_of",
    "get_priority",
    "add_priority",
    "update_priority",
    "subgroups",
    "get_work_plan",
    "plan_for",
    "list_work_plans",
    "create_work_plan",
    "items_of",
    "get_item",
    "add_item",
    "update_item",
    "RagPolicy",
    "DEFAULT_POLICY",
    "derive_rag",
    "rag_reason",
    "recalculate",
    "recalculate_all",
    "post_update",
    "updates_of",
    "get_update",
    "change_status",
    "flag_at_risk",
    "set_override",
    "unsettled_items",
    "carry_forward",
    "close_item",
    "board_approval",
    "put_on_board_agenda",
    "board_decided",
    "record_tor_review",
    "tor_reviews",
    "TorStatus",
    "tor_status",
    "tor_flags",
    "RAG_ORDER",
    "PartnershipView",
    "partnership_view",
    "Highlight",
    "board_meetings_around",
    "get_board_meeting",
    "get_subgroup",
    "highlight",
    "highlight_report",
    "subgroup_slot",
    "attached_papers",
    "attach_highlight",
    "board_meetings_for_year",
    "year_summary",
    "rating_count_select",
]
