"""The draft and final reports, the sub-group's quality check and the Board's sign-off."""

from __future__ import annotations

from datetime import date
from typing import Any

from safeguarding.calendar import today
from safeguarding.extensions import db
from safeguarding.models import Meeting, Review, ReviewState, StoredFile
from safeguarding.services import audit, meetings
from safeguarding.services.errors import NotFound, ValidationFailed
from safeguarding.services.reviews.checks import (
    _check_dates,
    _check_version,
    _require_office,
    _require_state,
    _require_worker,
)

REPORT_STATES = {
    "draft": (ReviewState.in_review, ReviewState.draft_report),
    "final": (ReviewState.draft_report, ReviewState.signed_off),
}


def attach_report(review: Review, user: Any, stored: StoredFile, *, which: str, version: int | None) -> Review:
    """Attach the draft report (before it is submitted) or the final report (before
    publication)."""
    _require_office(user)
    _check_version(review, version)
    if which not in REPORT_STATES:
        raise ValidationFailed(errors={"which": "Choose the draft or the final report"})
    _require_state(review, REPORT_STATES[which], f"attach the {which} report")
    if which == "draft":
        review.draft_report_file_id = stored.id
    else:
        review.final_report_file_id = stored.id
    audit.mark_action(review, f"{which}_report")
    db.session.flush()
    return review


def report_file(review: Review, which: str) -> StoredFile:
    """The draft or final report, for a user already checked to see the review in full;
    the download is recorded."""
    file_id = {"draft": review.draft_report_file_id, "final": review.final_report_file_id}.get(which)
    stored = db.session.get(StoredFile, file_id) if file_id else None
    if stored is None:
        raise NotFound("No report has been uploaded")
    audit.record("download", "reviews", review.id, {"file": f"{which}_report"})
    return stored


BOARD_SUBJECT = "review"  # subject_type of the Board's agenda items and decisions on a review


def board_sign_off(review: Review) -> Any:
    """The Board's standing decision signing off the review (made at a quorate meeting;
    an interim one once validated), the latest if several; None without one."""
    standing = [d for d in meetings.decisions_for(BOARD_SUBJECT, review.id) if meetings.decision_stands(d)]
    return standing[-1] if standing else None


def put_on_board_agenda(review: Review, user: Any | None = None, *, after: date | None = None) -> date | None:
    """Put the review's sign-off on the agenda of the next Board meeting (once: the
    meetings feature keeps one item per subject until the Board decides it). Returns the
    date of that meeting, or None when no Board meeting is scheduled yet (the item then
    goes on the next one scheduled)."""
    if user is not None:
        _require_office(user)
    _require_state(review, (ReviewState.draft_report,), "put the review on the Board's agenda")
    item = meetings.add_to_next_board_agenda(
        f"Sign-off of case review {review.reference}",
        subject_type=BOARD_SUBJECT,
        subject_id=review.id,
        after=after or today(),
    )
    return db.session.get(Meeting, item.meeting_id).meeting_date if item is not None else None


def record_quality_check(
    review: Review,
    user: Any,
    *,
    version: int | None,
    passed: bool | None,
    notes: str | None,
    checked_on: date | None = None,
) -> Review:
    """The sub-group's quality check of the draft report (`checked_on`: the date of the
    sub-group's meeting, default today). When it passes, the review goes on the next Board
    agenda for sign-off."""
    _require_worker(review, user)
    _check_version(review, version)
    _require_state(review, (ReviewState.draft_report,), "record the quality check")
    errors: dict[str, str] = {}
    if passed is None:
        errors["passed"] = "Select whether the draft report meets the quality markers"
    if not (notes or "").strip():
        errors["notes"] = "Enter the sub-group's findings"
    _check_dates(errors, today(), checked_on=(checked_on, "The date of the quality check"))
    if errors:
        raise ValidationFailed(errors=errors)
    review.quality_check_passed = passed
    review.quality_check_notes = notes.strip()
    review.quality_checked_on = checked_on or today()
    audit.mark_action(review, "quality_check")
    db.session.flush()
    if passed:
        put_on_board_agenda(review, after=review.quality_checked_on)
    return review
