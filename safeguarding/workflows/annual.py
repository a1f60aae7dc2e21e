"""The annual report: drafting → submitted (to the Independent Chair) → changes requested
(the chair, with a comment on at least one section) → drafting again (the office
redrafts) → … → approved (the chair only; the figures are frozen) → published (the office
records the statutory distribution).

What needs the annual report service (which sections are unwritten or commented, the
emails, the distribution) is named here and registered by services/annual/lifecycle.py;
the page link by annual/routes.py."""

from __future__ import annotations

from safeguarding.formatting import long_date
from safeguarding.models import AnnualReport, AnnualReportState, Role, SectionState
from safeguarding.workflows.base import Lifecycle, Param, Transition, TransitionContext

OFFICE = {Role.business_office}
CHAIR = {Role.independent_chair}

# Registered by services/annual/lifecycle.py.
NARRATIVE_WRITTEN = "narrative_written"  # guard: every narrative section has its text
A_SECTION_COMMENTED = "a_section_commented"  # guard: the chair commented on a section
MARK_COMMENTED = "mark_commented"  # effect: the commented sections need changes
TELL_SUBMITTED = "tell_submitted"  # effect: email the chair
TELL_RETURNED = "tell_returned"  # effect: email the office
PUBLISH = "publish"  # effect: the date sent and the statutory distribution


def _clear_comments(ctx: TransitionContext) -> None:
    for s in ctx.row.sections:
        s.chair_comment = None
        if s.state == SectionState.changes_requested:
            s.state = SectionState.written


def _set_approved(ctx: TransitionContext) -> None:
    ctx.row.approved_on = ctx.as_of


def _sent_date_valid(ctx: TransitionContext) -> str | None:
    sent = ctx.params.get("sent_on")
    if sent is None:
        return None
    if sent > ctx.as_of:
        return "The date the report was sent must be today or in the past"
    if ctx.row.approved_on and sent < ctx.row.approved_on:
        return f"The date the report was sent must be on or after the date it was approved ({long_date(ctx.row.approved_on)})"
    return None


annual_report_lifecycle = Lifecycle(
    "annual_report",
    AnnualReport,
    AnnualReportState,
    [
        Transition(
            "submit",
            "drafting",
            "submitted",
            OFFICE,
            "Submit to the chair",
            guards=[NARRATIVE_WRITTEN],
            apply=_clear_comments,
            after=TELL_SUBMITTED,
        ),
        Transition(
            "request_changes",
            "submitted",
            "changes_requested",
            CHAIR,
            "Return with comments",
            guards=[A_SECTION_COMMENTED],
            apply=MARK_COMMENTED,
            after=TELL_RETURNED,
            comment_label="Overall comment",
        ),
        Transition(
            "redraft",
            "changes_requested",
            "drafting",
            OFFICE,
            "Redraft the report",
            confirm="The report goes back to drafting so its sections can be changed; the chair's comments "
            "stay with their sections until it is submitted again.",
        ),
        Transition(
            "approve",
            "submitted",
            "approved",
            CHAIR,
            "Approve the report",
            apply=_set_approved,
            confirm="Approving freezes the report's figures: later changes to the records will not alter it.",
        ),
        Transition(
            "publish",
            "approved",
            "published",
            OFFICE,
            "Publish and record the distribution",
            params=[
                Param(
                    "sent_on",
                    "date",
                    "Date the report was sent",
                    message="Enter the date the report was sent",
                    hint="To the chief executive and leader of each council, the police and crime "
                    "commissioner, Local Healthwatch and the chair of the Health and Wellbeing "
                    "Board, and to every partner",
                )
            ],
            guards=[_sent_date_valid],
            apply=PUBLISH,
        ),
    ],
    initial="drafting",
    noun="annual report",
)
