"""Case reviews: Safeguarding Adults Reviews (Care Act 2014 s44) and Child Safeguarding
Practice Reviews (Working Together). The only writer of reviews, their information
requests, pauses, events and recommendations; the state column changes only through
workflows/reviews/, whose checks and effects that need this package are registered with
it by name (lifecycle.py).

Need-to-know: the business office, the independent chair and the members (or deputies)
of the review's sub-group see a review in full; partner members of an agency named on a
review see only their own information requests and actions ("agency" access); everyone
else is told the review does not exist (`NotFound`). `view_review` records every view.

For the annual report: `timeliness(financial_year, area=None)` gives the year's figures
(see its docstring), `concluded_reviews` and `ongoing_at` the reviews behind them.

The package, by what its modules hold:

    rules                 settings, statutory deadlines, the LCSPR criteria
    queries               need-to-know, finding a review, the list
    checks                the writers' shared checks (role, version, state, values)
    referrals             SAR referrals and CSPR notifications
    case_details          correcting a review's case details
    screening             s44 screening, the rapid review, whether a route fits
    commissioning         commissioning, the budget commitment, events
    reports               draft and final reports, quality check, Board sign-off
    agencies              the agencies named on a review
    information_requests  information requests and their returns
    recommendations       recommendations and their actions
    deadlines             pauses, elapsed time and deadlines
    dashboards            the dashboard and the home page's counts
    alerts                the daily job's warnings and chasing; who to tell
    figures               timeliness: the annual report's figures
    notification          a CSPR's notification facts, telling the partners, the final
                          report to the Panel before publication
    lifecycle             what the review and information request lifecycles need from
                          here (permissions, guards, effects, loaders), registered by name

Everything public is re-exported here: callers use `from safeguarding.services import
reviews` and `reviews.<name>`.
"""

from __future__ import annotations

# Imported for what it registers with the lifecycles in workflows/reviews/.
from safeguarding.services.reviews import lifecycle  # noqa: F401
from safeguarding.services.reviews.agencies import agencies_of, name_agency
from safeguarding.services.reviews.alerts import (
    agency_emails,
    alerts_of,
    chase_information_requests,
    check_deadlines,
    office_and_chair_emails,
    record_breaches,
    tell_chair_decision_waiting,
)
from safeguarding.services.reviews.case_details import CASE_FIELDS, update_case_details
from safeguarding.services.reviews.checks import INITIALS_RE
from safeguarding.services.reviews.commissioning import (
    COMMISSIONING_STATES,
    add_event,
    commit_contract_value,
    commitment_due,
    events_of,
    record_commissioning,
)
from safeguarding.services.reviews.dashboards import (
    AgencyWaiting,
    Attention,
    Dashboard,
    DashboardRow,
    agency_waiting,
    agency_waiting_selects,
    dashboard,
    decisions_waiting,
    decisions_waiting_select,
    office_attention,
    open_reviews_with_deadlines,
    overdue_requests_select,
)
from safeguarding.services.reviews.deadlines import (
    STATUS_RANK,
    Deadline,
    LazyWorkingDays,
    deadlines,
    elapsed_days,
    paused_days,
    pauses_of,
    report_due,
    report_due_after,
    report_target_months,
    worst,
)
from safeguarding.services.reviews.figures import concluded_reviews, ongoing_at, timeliness, timeliness_by_area
from safeguarding.services.reviews.information_requests import (
    REQUEST_STATES,
    chronology_file,
    count_requests,
    get_request,
    list_requests,
    may_answer,
    outstanding_requests,
    record_request_view,
    request_visibility,
    requests_of,
    return_information,
    s45_refusal,
    send_board_request,
    send_information_request,
)
from safeguarding.services.reviews.notification import (
    NOTIFICATION_FIELDS,
    REPORT_SENT_STATES,
    earliest_publication,
    partners_due_on,
    partners_of,
    published_until,
    record_report_sent,
    statutory_report_target,
    tell_partners,
)
from safeguarding.services.reviews.queries import (
    ReviewFilters,
    access_to,
    agency_organisation_id,
    find_review,
    get_review,
    is_subgroup_member,
    list_reviews,
    may_work_on,
    record_review_view,
    sees_everything,
    view_review,
    visibility,
)
from safeguarding.services.reviews.recommendations import (
    RECOMMENDATION_STATES,
    actions_of,
    add_action,
    add_recommendation,
    get_recommendation,
    open_action_count,
    recommendations_of,
    recommendations_with_actions,
)
from safeguarding.services.reviews.referrals import default_group, notify_serious_incident, refer_sar, reference_for
from safeguarding.services.reviews.reports import (
    BOARD_SUBJECT,
    REPORT_STATES,
    attach_report,
    board_sign_off,
    put_on_board_agenda,
    record_quality_check,
    report_file,
)
from safeguarding.services.reviews.request_letters import letter_docx, letter_pdf
from safeguarding.services.reviews.rules import (
    DEFAULTS,
    FULL_ROLES,
    LCSPR_CRITERIA,
    LCSPR_REPORT_MONTHS,
    MAX_CHILDREN_PER_NOTIFICATION,
    MEMBER_ROLES,
    NOTIFY_PANEL_WORKING_DAYS,
    RAPID_REVIEW_WORKING_DAYS,
    setting,
)
from safeguarding.services.reviews.screening import (
    RAPID_REVIEW_STATES,
    SCREENABLE,
    derive_screening,
    record_rapid_review,
    record_screening,
    route_refusal,
)
from safeguarding.workflows.reviews.review import FAMILY_INFORMED

__all__ = [
    "tell_partners",
    "statutory_report_target",
    "record_report_sent",
    "published_until",
    "partners_of",
    "partners_due_on",
    "earliest_publication",
    "REPORT_SENT_STATES",
    "NOTIFICATION_FIELDS",
    "AgencyWaiting",
    "Attention",
    "BOARD_SUBJECT",
    "CASE_FIELDS",
    "COMMISSIONING_STATES",
    "DEFAULTS",
    "Dashboard",
    "DashboardRow",
    "Deadline",
    "FAMILY_INFORMED",
    "FULL_ROLES",
    "INITIALS_RE",
    "LCSPR_CRITERIA",
    "LCSPR_REPORT_MONTHS",
    "LazyWorkingDays",
    "MAX_CHILDREN_PER_NOTIFICATION",
    "MEMBER_ROLES",
    "NOTIFY_PANEL_WORKING_DAYS",
    "RAPID_REVIEW_STATES",
    "RAPID_REVIEW_WORKING_DAYS",
    "RECOMMENDATION_STATES",
    "REPORT_STATES",
    "REQUEST_STATES",
    "ReviewFilters",
    "SCREENABLE",
    "STATUS_RANK",
    "access_to",
    "actions_of",
    "add_action",
    "add_event",
    "add_recommendation",
    "agencies_of",
    "agency_emails",
    "agency_organisation_id",
    "agency_waiting",
    "agency_waiting_selects",
    "alerts_of",
    "attach_report",
    "board_sign_off",
    "chase_information_requests",
    "check_deadlines",
    "chronology_file",
    "commit_contract_value",
    "commitment_due",
    "concluded_reviews",
    "count_requests",
    "dashboard",
    "deadlines",
    "decisions_waiting",
    "decisions_waiting_select",
    "default_group",
    "derive_screening",
    "elapsed_days",
    "events_of",
    "find_review",
    "get_recommendation",
    "get_request",
    "get_review",
    "is_subgroup_member",
    "list_requests",
    "list_reviews",
    "may_answer",
    "may_work_on",
    "name_agency",
    "notify_serious_incident",
    "office_and_chair_emails",
    "record_breaches",
    "office_attention",
    "ongoing_at",
    "open_action_count",
    "open_reviews_with_deadlines",
    "outstanding_requests",
    "overdue_requests_select",
    "paused_days",
    "pauses_of",
    "put_on_board_agenda",
    "recommendations_of",
    "recommendations_with_actions",
    "record_commissioning",
    "record_quality_check",
    "record_rapid_review",
    "record_request_view",
    "record_review_view",
    "record_screening",
    "refer_sar",
    "reference_for",
    "report_due",
    "report_due_after",
    "report_file",
    "report_target_months",
    "request_visibility",
    "requests_of",
    "return_information",
    "route_refusal",
    "s45_refusal",
    "sees_everything",
    "send_information_request",
    "send_board_request",
    "letter_pdf",
    "letter_docx",
    "setting",
    "tell_chair_decision_waiting",
    "timeliness",
    "timeliness_by_area",
    "update_case_details",
    "view_review",
    "visibility",
    "worst",
]
