"""Meetings: the constants and guards every part of the service shares."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa

from safeguarding.models import Membership, OrganisationKind, Role
from safeguarding.services.errors import Forbidden, StaleVersion

SEE_ALL = (Role.business_office, Role.independent_chair)
MEMBER_ROLES = (Role.partner_member, Role.subgroup_chair)
# Papers are published this many working days before the meeting (default; domain.md).
PAPERS_WORKING_DAYS = 5
KIND_PHRASES = {
    OrganisationKind.local_authority: "a local authority",
    OrganisationKind.police: "the police",
    OrganisationKind.icb: "the integrated care board",
}
CHAIR_ACTION = "chair_action"
MINUTES = "minutes"
# Standing items of each ordinary Board meeting (issue 17), each about the meeting itself
# (`subject_id` = the meeting's id): the attendance report and the risk register's top
# risks. The forward plan's "top risks" business links to the item of the same title.
ATTENDANCE_REPORT = "attendance_report"
TOP_RISKS = "top_risks"
ATTENDANCE_REPORT_TITLE = "Attendance report: attendance at Board meetings by organisation"
TOP_RISKS_TITLE = "Risk register: the top risks"


def _check_version(row: Any, version: int | None) -> None:
    if version is not None and version != row.version:
        raise StaleVersion()


def _require_office(user: Any, what: str) -> None:
    if user is None or not user.has_role(Role.business_office):
        raise Forbidden(f"Only the business office can {what}")


def _current(on: date | sa.ColumnElement) -> sa.ColumnElement[bool]:
    return sa.and_(Membership.start_date <= on, sa.or_(Membership.end_date.is_(None), Membership.end_date >= on))
