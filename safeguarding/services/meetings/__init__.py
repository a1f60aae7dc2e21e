"""Meetings and governance: scheduling, agendas and papers, the register and quorum,
declarations of interest, decisions and votes, chair's actions, minutes.

Rules (../shared/docs/domain.md, "Meetings"; constitution):

- **Quorum**: the chair or vice chair of the group (or a person recorded as the nominated
  chair for the meeting) present in person, AND each of the three key statutory partner
  kinds — local authority, police, integrated care board — represented by its member in
  person or by a deputy (`deputy_present`: the member's named deputy, or another person of
  the organisation the member named for that meeting). The partnership serves two
  councils: the local-authority requirement is met when at least one of them is
  represented. The Board and the Executive always need all three kinds; a sub-group
  needs those statutory kinds that hold a seat on it (the Communications and Engagement
  sub-group has no police seat, and could otherwise never meet).
- **Voting**: one vote per organisation, cast by its member present or by the deputy
  present for them; only a person who has signed the memorandum of understanding votes
  (a deputy must have signed it themselves: the member's signature does not pass to
  them); advisers, people sitting for no organisation (the independent chair) and anyone
  who declared an interest in the item do not vote. A motion is carried when the votes
  for are more than half of the organisations present and entitled to vote (E), so an
  abstention counts against (3 for, 2 against, 5 abstaining: not carried); on equal votes
  for and against the chair's casting vote decides, and can carry it only when for + 1 > E / 2.
- No decision is recorded unless the meeting is in session and quorate, except an
  *interim* decision, which the members present at a meeting that is (or has become)
  inquorate may agree, and which stands only once every voting organisation has validated
  it. An *interim* decision also needs the electronic validation, after the meeting, of every
  organisation with a voting seat on the group whose member has signed the memorandum
  (and did not declare an interest in the item); it stands when all have validated.
- Minutes are immutable once approved; corrections are recorded amendments. They are
  ratified only at a later, quorate meeting of the same group that is in session.

The package: `queries` (who sees what; lists and lookups of meetings, agenda, papers,
actions, the calendar feed), `commands` (scheduling and changing meetings, actions raised
at them), `agenda` (agenda items, subjects waiting for the Board, papers), `register`
(attendance, apologies, deputies, quorum), `declarations`, `decisions` (votes,
validation), `chair_actions`, `minutes`, `home` (home page counts) and `common`
(constants and guards); `lifecycle` registers what the meeting, minutes and chair's action
lifecycles need from them (guards, effects, the loaders) when imported here. Features that
put subjects on the Board's agenda register what a final decision does to them
(`on_final_decision`); features whose groups discuss cases register those groups
(`case_groups`): this package imports none of them. Callers import from the package:
everything is re-exported here.
"""

from safeguarding.extensions import db  # read as meetings.db by tests (the single module imported it)
from safeguarding.models import Group, Role  # likewise
from safeguarding.services.meetings import lifecycle  # noqa: F401  (registers the lifecycles' rules)
from safeguarding.services.meetings.agenda import (
    UNWITHDRAWABLE,
    add_agenda_item,
    add_to_next_board_agenda,
    attach_paper,
    carry_forward,
    move_agenda_item,
    set_restricted,
    withdraw_agenda_item,
)
from safeguarding.services.meetings.chair_actions import (
    awaiting_ratification,
    chair_action_visibility,
    get_chair_action,
    list_chair_actions,
    may_take_chairs_action,
    record_chair_action,
    statutory_organisations,
)
from safeguarding.services.meetings.circulation import (
    circulate_paper_addition,
    circulate_papers,
    members_and_deputies,
)
from safeguarding.services.meetings.commands import (
    papers_due_date,
    raise_action,
    schedule_meeting,
    schedule_series,
    series_dates,
    update_meeting,
    working_days_before,
)
from safeguarding.services.meetings.common import (
    ATTENDANCE_REPORT,
    ATTENDANCE_REPORT_TITLE,
    CHAIR_ACTION,
    KIND_PHRASES,
    MEMBER_ROLES,
    MINUTES,
    PAPERS_WORKING_DAYS,
    SEE_ALL,
    TOP_RISKS,
    TOP_RISKS_TITLE,
)
from safeguarding.services.meetings.decisions import (
    DECIDING_STATES,
    Eligibility,
    Voter,
    decision_stands,
    decisions_for,
    decisions_of,
    get_decision,
    on_final_decision,
    record_decision,
    validate_decision,
    validations_awaiting,
    voting_eligibility,
)
from safeguarding.services.meetings.declarations import (
    declarations_of,
    declarations_visibility,
    declare_interest,
    list_declarations,
)
from safeguarding.services.meetings.home import (
    awaiting_ratification_select,
    chaired_meetings_select,
    count_awaiting_ratification,
    count_minutes,
    count_minutes_select,
    meetings_needing_minutes,
    meetings_needing_minutes_select,
    papers_due_soon,
    papers_due_soon_select,
    upcoming_without_reply,
    upcoming_without_reply_select,
    validations_awaiting_select,
)
from safeguarding.services.meetings.interests import (
    RegisterRow,
    may_read_register,
    record_interest_return,
    register_of_interests,
    yet_to_declare_select,
)
from safeguarding.services.meetings.minutes import (
    MinutesFilters,
    add_amendment,
    amendments_of,
    approves_minutes,
    case_group_ids,
    case_groups,
    circulate_minutes,
    get_minutes,
    list_minutes,
    minutes_of,
    minutes_to_approve_select,
    minutes_visibility,
    private_item_ids,
    ratification_problem,
    ratifying_candidates,
    record_ratification,
    restricted_minutes_group_ids,
    sections_of,
    sees_restricted,
    start_minutes,
    update_minutes,
)
from safeguarding.services.meetings.queries import (
    MeetingFilters,
    actions_of,
    agenda_of,
    attendance_summaries,
    board,
    calendar_meetings,
    get_agenda_item,
    get_meeting,
    get_paper,
    list_meetings,
    may_see_papers,
    meeting_visibility,
    next_meeting,
    papers_of,
    user_for_calendar_token,
)
from safeguarding.services.meetings.register import (
    Register,
    Seat,
    complete_register,
    is_quorate,
    load_register,
    missing_phrase,
    movements,
    name_deputy,
    nominate_chair,
    own_seats,
    people_by_id,
    presiding_chair,
    quorum_sentence,
    record_attendance,
    send_apologies,
)

__all__ = [
    "RegisterRow",
    "may_read_register",
    "record_interest_return",
    "register_of_interests",
    "yet_to_declare_select",
    "circulate_paper_addition",
    "circulate_papers",
    "members_and_deputies",
    "DECIDING_STATES",
    "db",
    "Group",
    "Role",
    "SEE_ALL",
    "MEMBER_ROLES",
    "PAPERS_WORKING_DAYS",
    "KIND_PHRASES",
    "ATTENDANCE_REPORT",
    "ATTENDANCE_REPORT_TITLE",
    "TOP_RISKS",
    "TOP_RISKS_TITLE",
    "CHAIR_ACTION",
    "MINUTES",
    "meeting_visibility",
    "get_meeting",
    "may_see_papers",
    "MeetingFilters",
    "list_meetings",
    "attendance_summaries",
    "board",
    "next_meeting",
    "agenda_of",
    "get_agenda_item",
    "papers_of",
    "get_paper",
    "actions_of",
    "user_for_calendar_token",
    "calendar_meetings",
    "working_days_before",
    "papers_due_date",
    "schedule_meeting",
    "series_dates",
    "schedule_series",
    "update_meeting",
    "raise_action",
    "add_agenda_item",
    "add_to_next_board_agenda",
    "carry_forward",
    "move_agenda_item",
    "UNWITHDRAWABLE",
    "withdraw_agenda_item",
    "attach_paper",
    "Seat",
    "Register",
    "load_register",
    "presiding_chair",
    "is_quorate",
    "missing_phrase",
    "movements",
    "quorum_sentence",
    "people_by_id",
    "record_attendance",
    "own_seats",
    "send_apologies",
    "name_deputy",
    "nominate_chair",
    "complete_register",
    "declare_interest",
    "declarations_visibility",
    "list_declarations",
    "declarations_of",
    "Voter",
    "Eligibility",
    "voting_eligibility",
    "record_decision",
    "decision_stands",
    "decisions_for",
    "decisions_of",
    "get_decision",
    "on_final_decision",
    "validate_decision",
    "validations_awaiting",
    "may_take_chairs_action",
    "statutory_organisations",
    "record_chair_action",
    "chair_action_visibility",
    "list_chair_actions",
    "get_chair_action",
    "awaiting_ratification",
    "case_group_ids",
    "case_groups",
    "minutes_visibility",
    "get_minutes",
    "minutes_of",
    "MinutesFilters",
    "list_minutes",
    "start_minutes",
    "sections_of",
    "update_minutes",
    "add_amendment",
    "amendments_of",
    "ratifying_candidates",
    "ratification_problem",
    "circulate_minutes",
    "record_ratification",
    "upcoming_without_reply_select",
    "upcoming_without_reply",
    "chaired_meetings_select",
    "validations_awaiting_select",
    "papers_due_soon_select",
    "papers_due_soon",
    "meetings_needing_minutes_select",
    "meetings_needing_minutes",
    "count_minutes_select",
    "count_minutes",
    "approves_minutes",
    "minutes_to_approve_select",
    "private_item_ids",
    "restricted_minutes_group_ids",
    "sees_restricted",
    "set_restricted",
    "awaiting_ratification_select",
    "count_awaiting_ratification",
]
