"""Attendance monitoring and escalation letters.

Constitution: "Attendance at meetings is recorded and reported at Partnership meetings. In
the event of one member's persistent non-attendance, the Chair will write to Chief
Executive of the organisation to address the concern and reach a resolution."

An organisation is *represented* at a held meeting (`Meeting.is_held`) when its member
or a deputy was present (`AttendanceStatus.represented`); apologies without a deputy are
non-attendance. Per group (`AttendancePolicy`, or `DEFAULT_POLICY`): not represented at
2 consecutive held meetings → a reminder to the member and deputy; at 3 consecutive, or
represented at fewer than 50 % of the group's held meetings in the last 12 months (at
least 4 held) → an escalation, whose letter is drafted at once.

`scan(as_of)` (the daily job `attendance_scan`) loads every (group, organisation, held
meeting, represented) in one query and makes one pass over it. An *episode* is the run of
meetings not represented that ends at the latest held meeting, named by its first
meeting; one episode gives at most one reminder and one escalation (unique constraints),
so re-runs, backfills and a second runner change nothing. The same pass moves escalations
on: `sent` with no response by its date → escalated to the Board; `response_received` and
represented at the next 2 held meetings after the letter → resolved, or not represented at
one of them → escalated to the Board.

The lifecycle (draft → approved by the Chair → sent → response → resolved / escalated to
the Board / withdrawn) is in workflows/attendance.py.

The package: `common` (constants, `months_before`), `policy` (each group's thresholds),
`scanning` (the daily scan: reminders, escalations, moving sent letters on), `queries` (who
sees what; lists and counts of escalations), `report` (the attendance report),
`letters` (the escalation letter, sending it, the Board) and `lifecycle` (what
workflows/attendance.py needs from this service, registered on it by name; importing the
package registers it). Callers import from the package: everything is re-exported here.
"""

from safeguarding.services.attendance import lifecycle  # noqa: F401  (registers the escalation lifecycle's rules)
from safeguarding.services.attendance.common import (
    CELL_LABELS,
    CONSTITUTION,
    EDITORS,
    REPORT_ALL,
    SEE_ALL,
    SUBJECT_TYPE,
    months_before,
)
from safeguarding.services.attendance.letters import (
    attendance_record,
    build_letter,
    default_letter_text,
    letter_docx,
    letter_pdf,
    put_before_board,
    require_letter,
    response_due,
    send_letter,
)
from safeguarding.services.attendance.policy import (
    POLICY_FIELDS,
    POLICY_LABELS,
    POLICY_LIMITS,
    Policy,
    get_group,
    list_policies,
    policies_by_group,
    policy_for,
    update_policy,
)
from safeguarding.services.attendance.queries import (
    EscalationFilters,
    count_select,
    escalation_visibility,
    get_escalation,
    list_escalations,
    open_count,
    sees_all,
    sees_whole_report,
)
from safeguarding.services.attendance.report import (
    AttendanceReport,
    OrgRow,
    attendance_report,
    group_report,
    report_csv,
    report_period,
)
from safeguarding.services.attendance.scanning import (
    Finding,
    Held,
    ScanResult,
    _insert_once,
    assess,
    scan,
)

__all__ = [
    "SEE_ALL",
    "REPORT_ALL",
    "EDITORS",
    "SUBJECT_TYPE",
    "CONSTITUTION",
    "CELL_LABELS",
    "Policy",
    "POLICY_FIELDS",
    "POLICY_LABELS",
    "POLICY_LIMITS",
    "policies_by_group",
    "policy_for",
    "list_policies",
    "get_group",
    "update_policy",
    "Held",
    "ScanResult",
    "months_before",
    "Finding",
    "assess",
    "_insert_once",
    "scan",
    "sees_all",
    "sees_whole_report",
    "escalation_visibility",
    "get_escalation",
    "EscalationFilters",
    "list_escalations",
    "open_count",
    "count_select",
    "OrgRow",
    "AttendanceReport",
    "report_period",
    "attendance_report",
    "group_report",
    "report_csv",
    "default_letter_text",
    "attendance_record",
    "response_due",
    "build_letter",
    "letter_pdf",
    "letter_docx",
    "require_letter",
    "send_letter",
    "put_before_board",
]
