"""Report cover sheets: each paper may carry one — its purpose (decision, assurance or
information), what the meeting is asked to do, its author, the sponsoring organisation and
the risks it raises. Entered with the paper (or afterwards) by the business office while
the meeting is still to happen; shown in the agenda pack before the paper and on the API."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import CoverSheet, Meeting, Organisation, Paper, PaperPurpose, Role
from safeguarding.models.meetings import UPCOMING_STATES
from safeguarding.services.errors import Conflict, Forbidden, StaleVersion, ValidationFailed

LIMITS = {"asked_to": 2000, "author": 200, "risks": 4000}


def cover_sheet_of(paper: Paper) -> CoverSheet | None:
    return db.session.scalar(sa.select(CoverSheet).where(CoverSheet.paper_id == paper.id))


def cover_sheets_of(papers: list[Paper]) -> dict[int, CoverSheet]:
    """The papers' cover sheets by paper id (one query)."""
    if not papers:
        return {}
    rows = db.session.scalars(sa.select(CoverSheet).where(CoverSheet.paper_id.in_([p.id for p in papers])))
    return {s.paper_id: s for s in rows}


def save_cover_sheet(
    paper: Paper,
    *,
    user: Any,
    purpose: str | None,
    asked_to: str | None,
    author: str | None,
    sponsor_organisation_id: int | None = None,
    risks: str | None = None,
    version: int | None = None,
) -> CoverSheet:
    """Enter or change a paper's cover sheet (the business office, before the meeting)."""
    if user is None or not user.has_role(Role.business_office):
        raise Forbidden("Only the business office can enter cover sheets")
    meeting = db.session.get(Meeting, paper.meeting_id)
    if meeting is None or meeting.state not in UPCOMING_STATES:
        raise Conflict("The cover sheet of a paper for a meeting that has ended cannot be changed")
    values = {"asked_to": (asked_to or "").strip(), "author": (author or "").strip(), "risks": (risks or "").strip()}
    errors: dict[str, str] = {}
    if purpose not in PaperPurpose.__members__:
        errors["purpose"] = "Select whether the paper is for decision, assurance or information"
    if not values["asked_to"]:
        errors["asked_to"] = "Enter what the meeting is asked to do"
    if not values["author"]:
        errors["author"] = "Enter the author of the paper"
    for name, limit in LIMITS.items():
        if len(values[name]) > limit:
            errors[name] = f"This must be {limit} characters or fewer"
    if sponsor_organisation_id is not None and db.session.get(Organisation, sponsor_organisation_id) is None:
        errors["sponsor_organisation_id"] = "Select the sponsoring organisation from the list"
    if errors:
        raise ValidationFailed(errors=errors)
    sheet = cover_sheet_of(paper)
    if sheet is None:
        sheet = CoverSheet(paper_id=paper.id)
        db.session.add(sheet)
    elif version is not None and version != sheet.version:
        raise StaleVersion()
    sheet.purpose = PaperPurpose(purpose)
    sheet.asked_to = values["asked_to"]
    sheet.author = values["author"]
    sheet.sponsor_organisation_id = sponsor_organisation_id
    sheet.risks = values["risks"] or None
    db.session.flush()
    return sheet
