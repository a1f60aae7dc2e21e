"""Who may act on a review, and what must hold before each of its transitions.

The guards here look at the review and the trigger's fields only. Those that need the
service (who works on the review, the requests still awaited, the route the screening
allows, the deadlines, the Board's sign-off, the action plan) are names, registered by
services/reviews/lifecycle.py."""

from __future__ import annotations

from safeguarding.models import Review, ReviewKind, ReviewOutcome, Role
from safeguarding.workflows.base import TransitionContext

OFFICE = {Role.business_office}
CHAIR = {Role.independent_chair}
WORKERS = {Role.business_office, Role.partner_member, Role.subgroup_chair}

# Registered by services/reviews/lifecycle.py.
# The permission: the office, or a member of the review's sub-group.
WORKER_PERMISSION = "worker"
# The guards.
NO_OUTSTANDING_REQUESTS = "no_outstanding_requests"
ROUTE_FITS_RECOMMENDATION = "route_fits_recommendation"  # the route in the "recommendation" field
ROUTE_FITS_OUTCOME = "route_fits_outcome"  # the route in the "outcome" field
RAPID_REVIEW_DELAY_EXPLAINED = "rapid_review_delay_explained"
REPORT_DELAY_EXPLAINED = "report_delay_explained"
BOARD_SIGNED_OFF = "board_signed_off"
ACTION_PLAN_IN_PLACE = "action_plan_in_place"
ALL_ACTIONS_CLOSED = "all_actions_closed"
# A CSPR's decisions are the safeguarding partners' (joint decisions): carried before the
# lifecycle records them.
PARTNERS_DECIDED = "partners_decided"  # decide: the rapid review's joint decision, same outcome
PARTNERS_AGREED_PUBLICATION = "partners_agreed_publication"  # publish: the same publication decision


def chair_decides(review: Review, user: object) -> bool:
    """The independent chair decides whether a SAR is commissioned; a local child
    safeguarding practice review is the safeguarding partners' joint decision (the chair
    may comment on it, not make it)."""
    return review.kind == ReviewKind.sar


# An LCSPR's report goes to the Panel and the Secretary of State at least 7 working days
# before publication (the working-day calendar is the service's).
PUBLICATION_AFTER_PANEL = "publication_after_panel"


# --- guards ------------------------------------------------------------------------------------


def _decision_date_valid(ctx: TransitionContext) -> str | None:
    """The day the Chair decided (often at a meeting, entered later): today or earlier.
    (Its order against the review's earlier dates is not checked yet: the recommendation's
    date is still the day it was entered, not made.)"""
    on = ctx.params.get("decided_on")
    if on is not None and on > ctx.as_of:
        return "The date of the decision must be today or in the past"
    return None


def _national_review_fits(ctx: TransitionContext) -> str | None:
    """Only the national Panel's answer to a CSPR's rapid review; dated today or earlier,
    not before the notification."""
    r: Review = ctx.row
    if r.kind != ReviewKind.cspr:
        return "Only a child safeguarding practice review can be taken as a national review"
    on = ctx.params.get("panel_response_on")
    if on is not None and on > ctx.as_of:
        return "The date of the Panel's decision must be today or in the past"
    if on is not None and r.notified_on is not None and on < r.notified_on:
        return "The date of the Panel's decision must be on or after the notification"
    return None


def _screened(ctx: TransitionContext) -> str | None:
    if ctx.row.screening_outcome is None:
        return "Record the screening against the s44 criteria first"
    return None


def _notification_recorded(ctx: TransitionContext) -> str | None:
    if ctx.row.notified_on is None:
        return "Record the date the notification was sent to the national panel first"
    return None


def _rapid_review_recorded(ctx: TransitionContext) -> str | None:
    r: Review = ctx.row
    # The rapid review goes to the Panel with the partners' joint decision, so the date it
    # was sent may come after (it is what the 15 working days measure).
    if not r.rapid_review_reasons:
        return "Record the rapid review's findings first"
    if ctx.params.get("recommendation") == ReviewOutcome.lcspr.value and not r.lcspr_criteria:
        return "Record which criteria for a local review the case meets first"
    return None


def _commissioning_recorded(ctx: TransitionContext) -> str | None:
    r: Review = ctx.row
    missing = [
        what
        for what, value in (
            ("the terms of reference", r.terms_of_reference),
            ("the methodology", r.methodology),
            ("the independent reviewer", r.reviewer),
        )
        if not value
    ]
    if r.kind == ReviewKind.sar and r.contract_value_pence is None:
        missing.append("the contract value")
    if missing:
        return "Record " + ", ".join(missing[:-1]) + (" and " if len(missing) > 1 else "") + missing[-1] + " first"
    return None


def _period_recorded(ctx: TransitionContext) -> str | None:
    if ctx.row.period_from is None or ctx.row.period_to is None:
        return "Record the period the review covers first"
    return None


def _resume_after_today(ctx: TransitionContext) -> str | None:
    resume = ctx.params.get("expected_resume_on")
    if resume is not None and resume <= ctx.as_of:
        return "The expected resume date must be in the future"
    return None


def _draft_uploaded(ctx: TransitionContext) -> str | None:
    if ctx.row.draft_report_file_id is None:
        return "Upload the draft report first"
    return None


def _family_recorded(ctx: TransitionContext) -> str | None:
    if ctx.row.family_invited is None:
        return "Record whether the family was invited to contribute first"
    return None


def _quality_checked(ctx: TransitionContext) -> str | None:
    if ctx.row.quality_check_passed is not True:
        return "The sub-group has not passed the draft report in its quality check"
    return None


def _final_uploaded(ctx: TransitionContext) -> str | None:
    if ctx.row.final_report_file_id is None:
        return "Upload the final report first"
    return None


def _publication_complete(ctx: TransitionContext) -> str | None:
    p = ctx.params
    if p.get("publish") is True:
        if p.get("published_on") is None or not p.get("publication_url"):
            return "Enter the publication date and the link to the published report"
    elif p.get("publish") is False and not p.get("not_published_reason"):
        return "Enter the reasons the report will not be published"
    return None
