"""The annual report: drafting → submitted (to the Independent Chair) → changes requested
(the chair, with a comment on at least one section) → drafting again (the office
redrafts) → … → approved (the chair only; the figures are frozen; the report goes on the
next Board meeting's agenda) → published (the office, once a standing Board decision has
agreed the report; the report is emailed to each statutory recipient and partner).

The children's yearly report runs on the same lifecycle with the partners in the chair's
place (Working Together 2023): once submitted, the office puts it to the safeguarding
partners (`put_to_partners`, a joint decision of all four; the report stays submitted);
when every partner agrees, the joint decision fires `approve` as the system (the chair's
`approve` is refused: `allowed`); the office returns it to drafting if it must change
(the chair may comment on its sections, not decide), and publishes it with the date it
was published (`publish_yearly`).

What needs the annual report service (which sections are unwritten or commented, the
emails, the distribution) is named here and registered by services/annual/lifecycle.py;
the page link by annual/routes.py."""

from __future__ import annotations

from typing import Any

from safeguarding.formatting import long_date
from safeguarding.models import AnnualReport, AnnualReportState, ReportKind, Role, SectionState
from safeguarding.workflows.base import Lifecycle, Param, Transition, TransitionContext

OFFICE = {Role.business_office}
CHAIR = {Role.independent_chair}

# Registered by services/annual/lifecycle.py.
NARRATIVE_WRITTEN = "narrative_written"  # guard: every narrative section has its text
A_SECTION_COMMENTED = "a_section_commented"  # guard: the chair commented on a section (adults)
MARK_COMMENTED = "mark_commented"  # effect: the commented sections need changes
TELL_SUBMITTED = "tell_submitted"  # effect: email the chair
TELL_RETURNED = "tell_returned"  # effect: email the office
PUBLISH = "publish"  # effect: the date sent and the statutory distribution
PUT_TO_PARTNERS = "put_to_partners"  # effect: the joint decision put to the safeguarding partners
NO_OPEN_QUESTION = "no_open_question"  # guard: no question is with the partners (children)
PUBLISH_YEARLY = "publish_yearly"  # effect: the date the yearly report was published
BOARD_AGENDA = "board_agenda"  # effect: the approved adults' report goes on the Board's agenda
BOARD_AGREED = "board_agreed"  # guard: the Board's standing decision agreed the adults' report


def _adults(row: AnnualReport, user: Any) -> bool:
    return row.kind == ReportKind.adults


def _children(row: AnnualReport, user: Any) -> bool:
    return row.kind == ReportKind.children


def _returner(row: AnnualReport, user: Any) -> bool:
    """The chair returns the adults' report; the office takes the children's yearly report
    back (the chair comments on it, the partners decide)."""
    role = Role.business_office if row.kind == ReportKind.children else Role.independent_chair
    return user is not None and bool(user.has_role(role))


def _clear_comments(ctx: TransitionContext) -> None:
    for s in ctx.row.sections:
        s.chair_comment = None
        if s.state == SectionState.changes_requested:
            s.state = SectionState.written


def _set_approved(ctx: TransitionContext) -> None:
    ctx.row.approved_on = ctx.as_of


def _published_date_valid(ctx: TransitionContext) -> str | None:
    published = ctx.params.get("published_on")
    if published is None:
        return None
    if published > ctx.as_of:
        return "The date the report was published must be today or in the past"
    if ctx.row.approved_on and published < ctx.row.approved_on:
        return (
            "The date the report was published must be on or after the date the partners signed it off "
            f"({long_date(ctx.row.approved_on)})"
        )
    return None


def _sent_date_valid(ctx: TransitionContext) -> str | None:
    sent = ctx.params.get("sent_on")
    if sent is None:
        return None
    if sent > ctx.as_of:
        return "The date the report was sent must be today or in the past"
    if ctx.row.approved_on and sent < ctx.row.approved_on:
        return f"The date the report was sent must be on or after the date it was approved ({long_date(ctx.row.approved_on)})"
    if ctx.row.board_agreed_on and sent < ctx.row.board_agreed_on:
        return (
            "The date the report was sent must be on or after the date the Board agreed it "
            f"({long_date(ctx.row.board_agreed_on)})"
        )
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
            CHAIR | OFFICE,
            "Return with comments",
            allowed=_returner,
            guards=[A_SECTION_COMMENTED, NO_OPEN_QUESTION],
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
            "put_to_partners",
            "submitted",
            "submitted",
            OFFICE,
            "Put to the safeguarding partners",
            allowed=_children,
            params=[
                Param(
                    "due_on",
                    "date",
                    "Date the partners' answers are due",
                    message="Enter the date the partners' answers are due",
                    hint="Each safeguarding partner (North Council, West Council, the ICB and the police) answers "
                    "through its lead or delegated safeguarding partner; the report is signed off when all agree",
                )
            ],
            guards=[NO_OPEN_QUESTION],
            after=PUT_TO_PARTNERS,
        ),
        Transition(
            "approve",
            "submitted",
            "approved",
            CHAIR,
            "Approve the report",
            # The children's yearly report is signed off by the safeguarding partners jointly:
            # their carried joint decision fires this as the system; the chair cannot.
            allowed=_adults,
            apply=_set_approved,
            after=BOARD_AGENDA,
            confirm="Approving freezes the report's figures: later changes to the records will not alter it.",
        ),
        Transition(
            "publish",
            "approved",
            "published",
            OFFICE,
            "Publish and send to the recipients",
            params=[
                Param(
                    "sent_on",
                    "date",
                    "Date the report was sent",
                    message="Enter the date the report was sent",
                    hint="It is emailed now, through the outbox, to the chief executive and leader of each "
                    "council, the police and crime commissioner, Local Healthwatch and the chair of the Health "
                    "and Wellbeing Board, and to every partner, at the addresses in the distribution list",
                )
            ],
            allowed=_adults,
            guards=[BOARD_AGREED, _sent_date_valid],
            apply=PUBLISH,
        ),
        Transition(
            "publish_yearly",
            "approved",
            "published",
            OFFICE,
            "Record that the report was published",
            allowed=_children,
            params=[
                Param(
                    "published_on",
                    "date",
                    "Date the report was published",
                    message="Enter the date the report was published",
                    hint="It must then be sent to the national Child Safeguarding Practice Review Panel and to "
                    "Foundations within 7 days",
                )
            ],
            guards=[_published_date_valid],
            apply=PUBLISH_YEARLY,
        ),
    ],
    initial="drafting",
    noun="annual report",
)
