"""The adults' Board's strategic plan (Care Act 2014 Schedule 2 para 3): see `commands`
(recording, the Board's agreement, publication), `progress` (how far its objectives were
achieved, through the business plan priorities and work plans) and `document` (the PDF)."""

from safeguarding.services.strategic.commands import (
    add_consultation,
    add_objective,
    board_decided,
    create_plan,
    link_priorities,
    missing_for_board,
    publish,
    put_before_board,
    save_commitment,
    update_plan,
)
from safeguarding.services.strategic.common import (
    DRAFT_READERS,
    OFFICE,
    READERS,
    SUBJECT,
    commitments_of,
    consultations_of,
    get_objective,
    get_plan,
    list_plans,
    objectives_of,
    plan_for_year,
    sees_drafts,
    title_of,
)
from safeguarding.services.strategic.document import file_name, plan_pdf, plan_report
from safeguarding.services.strategic.progress import (
    ObjectiveProgress,
    OrganisationProgress,
    Tally,
    priorities_by_objective,
    progress_of,
)

__all__ = [
    "DRAFT_READERS",
    "OFFICE",
    "READERS",
    "SUBJECT",
    "ObjectiveProgress",
    "OrganisationProgress",
    "Tally",
    "add_consultation",
    "add_objective",
    "board_decided",
    "commitments_of",
    "consultations_of",
    "create_plan",
    "file_name",
    "get_objective",
    "get_plan",
    "link_priorities",
    "list_plans",
    "missing_for_board",
    "objectives_of",
    "plan_for_year",
    "plan_pdf",
    "plan_report",
    "priorities_by_objective",
    "progress_of",
    "publish",
    "put_before_board",
    "save_commitment",
    "sees_drafts",
    "title_of",
    "update_plan",
]
