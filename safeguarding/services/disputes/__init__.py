"""Disputes between partner organisations.

Constitution: "If there is a dispute between Partnership members, the Independent Chair
will convene a joint meeting with the parties. This should take place within 28 days of
the determining that the dispute exists. In most cases the Independent Chair will chair
these meetings. The agenda will be agreed jointly by the parties in dispute."

The state changes (determine, convene, agree the agenda, record the meeting, resolve,
escalate, withdraw) are in workflows/disputes.py; this package holds the rest: raising a
dispute, who may see it, the agenda and each party's response to it, agreed actions, and
what the daily job does (the 7-day alert and the day-29 breach).

The package: `common` (constants, meeting times), `queries` (who may see and act; lists
and lookups), `commands` (raising and correcting a dispute, agreed actions), `agenda` (the
agenda and each party's response), `deadlines` (the 28-day rule and the daily job),
`figures` (reports and home page counts) and `lifecycle` (what workflows/disputes.py needs
from this service, registered on it by name; importing the package registers it). Callers
import from the package: everything is re-exported here.
"""

from safeguarding.services.disputes import lifecycle  # noqa: F401  (registers the dispute lifecycle's rules)
from safeguarding.services.disputes.agenda import (
    PartyAgenda,
    agenda_history,
    agenda_status,
    changes_proposed,
    draft_agenda,
    parties_not_agreed,
    record_agenda_response,
)
from safeguarding.services.disputes.commands import (
    add_agreed_action,
    insert_with_reference,
    raise_dispute,
    update_dispute,
)
from safeguarding.services.disputes.common import (
    ACTION_STATES,
    AGENDA_OPEN_STATES,
    DEADLINE_DAYS,
    DEFAULT_ALERT_DAYS,
    SEE_ALL,
    format_time,
    parse_time,
)
from safeguarding.services.disputes.deadlines import (
    alert_days,
    alert_recipients,
    breach_note_for,
    deadline_for,
    disputes_due_an_alert,
    record_breach,
    record_breaches,
    send_deadline_alerts,
)
from safeguarding.services.disputes.figures import (
    DeadlineSummary,
    Upcoming,
    agendas_awaiting,
    agendas_awaiting_select,
    deadline_summary,
    deadlines_between,
    home_deadlines_this_week,
    home_needing_meeting,
    needing_meeting,
    open_for_organisation,
    open_for_organisation_select,
)
from safeguarding.services.disputes.queries import (
    DisputeFilters,
    actions_of,
    chair_candidates,
    get_dispute,
    independent_chair_person,
    is_party_representative,
    list_disputes,
    parties_of,
    party_organisation_ids,
    statutory_partners,
    visibility,
    visible_action_ids,
)

__all__ = [
    "SEE_ALL",
    "DEADLINE_DAYS",
    "DEFAULT_ALERT_DAYS",
    "AGENDA_OPEN_STATES",
    "ACTION_STATES",
    "deadline_for",
    "alert_days",
    "parse_time",
    "format_time",
    "visibility",
    "party_organisation_ids",
    "parties_of",
    "is_party_representative",
    "get_dispute",
    "DisputeFilters",
    "list_disputes",
    "insert_with_reference",
    "raise_dispute",
    "update_dispute",
    "draft_agenda",
    "PartyAgenda",
    "agenda_status",
    "parties_not_agreed",
    "changes_proposed",
    "agenda_history",
    "record_agenda_response",
    "independent_chair_person",
    "chair_candidates",
    "add_agreed_action",
    "actions_of",
    "visible_action_ids",
    "record_breach",
    "statutory_partners",
    "breach_note_for",
    "record_breaches",
    "disputes_due_an_alert",
    "send_deadline_alerts",
    "alert_recipients",
    "DeadlineSummary",
    "deadline_summary",
    "Upcoming",
    "needing_meeting",
    "deadlines_between",
    "home_needing_meeting",
    "home_deadlines_this_week",
    "open_for_organisation_select",
    "agendas_awaiting_select",
    "open_for_organisation",
    "agendas_awaiting",
]
