"""The annual report: who may do what, the report's states, and the guards every part of
the service shares. (The arms and areas are defined with the section registry, in
annual_sections/registry.py.)"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from safeguarding.models import AnnualReport, AnnualReportState, Role
from safeguarding.services.errors import Forbidden, StaleVersion, ValidationFailed

OFFICE = (Role.business_office,)
CHAIR = (Role.independent_chair,)
# The safeguarding partners (LSPs, DSPs) and the independent scrutineer read the published
# reports, and the children's yearly report while it is drafted (the partners sign it off;
# the scrutineer's assessment is one of its sections).
READERS = (
    Role.business_office,
    Role.independent_chair,
    Role.partner_member,
    Role.subgroup_chair,
    Role.viewer,
    Role.safeguarding_partner,
    Role.scrutineer,
)
# Who may write a section (the office, or the section's named writer: a member, the chair
# for the foreword, the scrutineer for the assessment) and read the drafting trail;
# viewers read the published report.
WRITERS = (
    Role.business_office,
    Role.independent_chair,
    Role.partner_member,
    Role.subgroup_chair,
    Role.safeguarding_partner,
    Role.scrutineer,
)
YEARLY_DRAFT_READERS = (Role.safeguarding_partner, Role.scrutineer)
EDITABLE = (AnnualReportState.drafting,)
FROZEN = (AnnualReportState.approved, AnnualReportState.published)


def _check_version(report: AnnualReport, version: int | None) -> None:
    if version is None:
        raise ValidationFailed(errors={"version": "Give the version of the report you are changing"})
    if version != report.version:
        raise StaleVersion()


def _require(user: Any, roles: Sequence[Role], what: str) -> None:
    if user is None or not user.has_role(*roles):
        raise Forbidden(f"You do not have permission to {what}")
