"""Before the decision: a SAR's screening against the s44 criteria, a CSPR's rapid
review, and whether a route fits them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from safeguarding.calendar import today
from safeguarding.extensions import db
from safeguarding.models import PanelOutcome, Review, ReviewKind, ReviewOutcome, ReviewState, ScreeningOutcome
from safeguarding.services import audit
from safeguarding.services.errors import Conflict, ValidationFailed
from safeguarding.services.reviews.checks import _check_dates, _check_version, _require_state, _require_worker
from safeguarding.services.reviews.rules import LCSPR_CRITERIA

# --- SAR screening (s44) -----------------------------------------------------------------------


def derive_screening(
    *, in_area: bool | None, needs: bool | None, abuse: bool | None, concern: bool | None
) -> ScreeningOutcome:
    """Care Act 2014 s44, in its words. A review is *mandatory* (s44(1)–(3)) for an adult
    in the Board's area with needs for care and support (whether or not the local authority
    met them) when there is reasonable cause for concern about how the Board, its members or
    others worked together to safeguard the adult, and condition 1 (the adult has died and
    the Board knows or suspects that the death resulted from abuse or neglect) or condition 2
    (the adult is alive and the Board knows or suspects that the adult has experienced
    serious abuse or neglect) is met — `abuse` is the answer to whichever condition applies.
    It is *discretionary* (s44(4)) in any other case involving an adult in its area with
    needs for care and support; otherwise s44 does not apply (criteria not met)."""
    if not (in_area and needs):
        return ScreeningOutcome.criteria_not_met
    if abuse and concern:
        return ScreeningOutcome.mandatory
    return ScreeningOutcome.discretionary


# The questions, in the Act's words (the page's labels and the errors name them).
QUESTIONS = {
    "in_area": "Is the adult in the Board's area?",
    "needs": "Does the adult have needs for care and support (whether or not the local authority has been "
    "meeting any of those needs)?",
    "died": "Has the adult died?",
    "abuse": "If the adult has died: does the Board know or suspect that the death resulted from abuse or "
    "neglect (whether or not it knew about or suspected the abuse or neglect before the adult died)? "
    "If the adult is alive: does the Board know or suspect that the adult has experienced serious abuse or "
    "neglect?",
    "concern": "Is there reasonable cause for concern about how the Board, members of it or other persons with "
    "relevant functions worked together to safeguard the adult?",
}
UNANSWERED = {
    "in_area": "Select whether the adult is in the Board's area",
    "needs": "Select whether the adult has needs for care and support",
    "died": "Select whether the adult has died",
    "abuse": "Select whether the Board knows or suspects abuse or neglect",
    "concern": "Select whether there is reasonable cause for concern about how agencies worked together",
}


SCREENABLE = (ReviewState.screening, ReviewState.information_gathering, ReviewState.awaiting_decision)


def record_screening(
    review: Review,
    user: Any,
    *,
    version: int | None,
    in_area: bool | None,
    in_area_reason: str | None,
    needs: bool | None,
    needs_reason: str | None,
    died: bool | None,
    abuse: bool | None,
    abuse_reason: str | None,
    concern: bool | None,
    concern_reason: str | None,
    screened_on: date | None = None,
) -> Review:
    """The sub-group (or the office) answers each s44 question with a reason; the route
    is derived from the answers (`derive_screening`). It may be revised until the chair
    decides. `screened_on` is the date of the sub-group's screening (default today)."""
    _require_worker(review, user)
    _check_version(review, version)
    if review.kind != ReviewKind.sar:
        raise Conflict("Only a SAR is screened against the s44 criteria")
    _require_state(review, SCREENABLE, "record the screening")
    errors: dict[str, str] = {}
    answers = {"in_area": in_area, "needs": needs, "died": died, "abuse": abuse, "concern": concern}
    for name, answer in answers.items():
        if answer is None:
            errors[name] = UNANSWERED[name]
    reasons = {
        "in_area_reason": in_area_reason,
        "needs_reason": needs_reason,
        "abuse_reason": abuse_reason,
        "concern_reason": concern_reason,
    }
    for name, text in reasons.items():
        if not (text or "").strip():
            errors[name] = "Enter the reason for this answer"
    _check_dates(errors, today(), screened_on=(screened_on, "The date of the screening"))
    if errors:
        raise ValidationFailed(errors=errors)
    review.s44_in_area, review.s44_in_area_reason = in_area, in_area_reason.strip()
    review.s44_needs, review.s44_needs_reason = needs, needs_reason.strip()
    review.s44_died, review.s44_abuse, review.s44_abuse_reason = died, abuse, abuse_reason.strip()
    review.s44_concern, review.s44_concern_reason = concern, concern_reason.strip()
    review.screening_outcome = derive_screening(in_area=in_area, needs=needs, abuse=abuse, concern=concern)
    review.screened_on = screened_on or today()
    audit.mark_action(review, "screening")
    db.session.flush()
    return review


def route_refusal(review: Review, outcome: ReviewOutcome | str | None) -> str | None:
    """Why `outcome` cannot be recommended or decided for this review, or None.

    A SAR's route must follow its s44 screening (SCIE quality marker 2: the route and why);
    a CSPR is commissioned as a local review or not at all."""
    if outcome is None:
        return None
    outcome = ReviewOutcome(outcome)
    if review.kind == ReviewKind.cspr:
        if outcome in (ReviewOutcome.mandatory, ReviewOutcome.discretionary):
            return "A child safeguarding practice review is commissioned as a local review (LCSPR), not as a SAR"
        return None
    if outcome is ReviewOutcome.lcspr:
        return "A SAR is commissioned as mandatory or discretionary, not as a local child safeguarding practice review"
    screened = review.screening_outcome
    if screened is None:
        return "Record the screening against the s44 criteria first"
    if outcome is ReviewOutcome.mandatory and screened is not ScreeningOutcome.mandatory:
        return (
            "The screening does not meet the s44 criteria for a mandatory review: commission a discretionary "
            "review or revise the screening"
        )
    if outcome is ReviewOutcome.discretionary and screened is ScreeningOutcome.mandatory:
        return "The screening meets the s44 criteria for a mandatory review: the Board must commission it as mandatory"
    if outcome is ReviewOutcome.discretionary and screened is ScreeningOutcome.criteria_not_met:
        return (
            "A discretionary review needs an adult in the Board's area with needs for care and support: "
            "the screening found otherwise"
        )
    if outcome is ReviewOutcome.not_commissioned and screened is ScreeningOutcome.mandatory:
        return (
            "The screening meets the s44 criteria for a mandatory review: the Board must arrange one. Revise the "
            "screening if the facts have changed"
        )
    return None


# --- CSPR rapid review -------------------------------------------------------------------------

RAPID_REVIEW_STATES = (
    ReviewState.rapid_review,
    ReviewState.awaiting_decision,
    ReviewState.lcspr_commissioned,
    ReviewState.no_lcspr,
    ReviewState.in_review,
    ReviewState.paused,
)


def record_rapid_review(
    review: Review,
    user: Any,
    *,
    version: int | None,
    criteria: Sequence[str],
    reasons: str | None,
    sent_on: date | None,
    panel_response: str | None = None,
    panel_response_on: date | None = None,
    panel_outcome: PanelOutcome | str | None = None,
) -> Review:
    """The rapid review: which LCSPR criteria apply and why, the date it was sent to the
    national panel, and the panel's response when it comes: its outcome (agrees, or
    disagrees with a reason in `panel_response`) and date. A national review is recorded
    with the lifecycle's `record_national_review`, which closes the local route."""
    _require_worker(review, user)
    _check_version(review, version)
    if review.kind != ReviewKind.cspr:
        raise Conflict("Only a CSPR has a rapid review")
    _require_state(review, RAPID_REVIEW_STATES, "record the rapid review")
    errors: dict[str, str] = {}
    unknown = [c for c in criteria if c not in LCSPR_CRITERIA]
    if unknown:
        errors["criteria"] = "Select criteria from the list"
    if not (reasons or "").strip():
        errors["reasons"] = "Enter the rapid review's findings and reasons"
    on = today()
    _check_dates(
        errors,
        on,
        sent_on=(sent_on, "The date the rapid review was sent"),
        panel_response_on=(panel_response_on, "The date of the panel's response"),
    )
    if sent_on and review.notified_on and sent_on < review.notified_on and "sent_on" not in errors:
        errors["sent_on"] = "The rapid review must be sent on or after the notification"
    if (panel_response or "").strip() and panel_response_on is None:
        errors["panel_response_on"] = "Enter the date of the panel's response"
    outcome = _panel_outcome(errors, panel_outcome, panel_response, panel_response_on, sent_on)
    if errors:
        raise ValidationFailed(errors=errors)
    review.panel_outcome = outcome
    review.lcspr_criteria = sorted(set(criteria))
    review.rapid_review_reasons = reasons.strip()
    review.rapid_review_sent_on = sent_on
    review.panel_response = (panel_response or "").strip() or None
    review.panel_response_on = panel_response_on
    audit.mark_action(review, "rapid_review")
    db.session.flush()
    return review


def _panel_outcome(
    errors: dict[str, str],
    value: PanelOutcome | str | None,
    text: str | None,
    on: date | None,
    sent_on: date | None,
) -> PanelOutcome | None:
    """The Panel's outcome: agrees, or disagrees with a reason; dated, after the rapid
    review was sent. A national review has its own transition."""
    if value in (None, ""):
        return None
    try:
        outcome = PanelOutcome(value)
    except ValueError:
        errors["panel_outcome"] = "Select the Panel's response from the list"
        return None
    if outcome is PanelOutcome.national_review:
        errors["panel_outcome"] = "Record a national review with ‘Record a national review’: it closes the local review"
        return None
    if outcome is PanelOutcome.disagrees and not (text or "").strip():
        errors["panel_response"] = "Enter the reason the Panel disagrees"
    if on is None:
        errors.setdefault("panel_response_on", "Enter the date of the panel's response")
    elif sent_on is not None and on < sent_on and "panel_response_on" not in errors:
        errors["panel_response_on"] = "The panel's response must be on or after the date the rapid review was sent"
    return outcome
