"""The annual report: drafting → submitted (to the Independent Chair) → changes requested
(the chair, with a comment on at least one section) → drafting again (the office
redrafts) → … → approved (the chair only; the figures are frozen) → published (the office
records the statutory distribution)."""

from __future__ import annotations

from flask import url_for

from safeguarding.formatting import long_date
from safeguarding.models import AnnualReport, AnnualReportState, Role, SectionState
from safeguarding.services import annual as svc
from safeguarding.workflows.base import Lifecycle, Param, Transition, TransitionContext

OFFICE = {Role.business_office}
CHAIR = {Role.independent_chair}


def _narrative_written(ctx: TransitionContext) -> str | None:
    missing = svc.narrative_missing(ctx.row)
    if missing:
        return "Write " + ", ".join(f"‘{s.heading}’" for s in missing) + " before submitting the report"
    return None


def _clear_comments(ctx: TransitionContext) -> None:
    for s in ctx.row.sections:
        s.chair_comment = None
        if s.state == SectionState.changes_requested:
            s.state = SectionState.written


def _a_section_commented(ctx: TransitionContext) -> str | None:
    if not svc.sections_with_comments(ctx.row):
        return "Comment on at least one section to say what should change"
    return None


def _mark_commented(ctx: TransitionContext) -> None:
    for s in svc.sections_with_comments(ctx.row):
        s.state = SectionState.changes_requested


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


def _set_published(ctx: TransitionContext) -> None:
    ctx.row.published_on = ctx.params["sent_on"]
    svc.record_distribution(ctx.row, ctx.params["sent_on"])


def _load(report_id: int, user) -> AnnualReport:
    return svc.get_report(report_id, user)


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
            guards=[_narrative_written],
            apply=_clear_comments,
            after=lambda ctx: svc.tell(ctx.row, "submitted"),
        ),
        Transition(
            "request_changes",
            "submitted",
            "changes_requested",
            CHAIR,
            "Return with comments",
            guards=[_a_section_commented],
            apply=_mark_commented,
            after=lambda ctx: svc.tell(ctx.row, "returned"),
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
            apply=_set_published,
        ),
    ],
    initial="drafting",
    noun="annual report",
    loader=_load,
    url=lambda r: url_for("annual.report", report_id=r.id),
)
