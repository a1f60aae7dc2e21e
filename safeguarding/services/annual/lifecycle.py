"""What the annual report's lifecycle (workflows/annual.py) needs from this service,
registered under the names it declares: which narrative sections are unwritten and which
sections the chair commented on, the emails, the distribution on publication (the Board's agreement: board.py);
and how its pages and API load a report."""

from __future__ import annotations

from typing import Any

from safeguarding.models import AnnualReport, ReportKind, SectionState
from safeguarding.services.annual.commands import tell
from safeguarding.services.annual.distribution import distribute
from safeguarding.services.annual.queries import get_report, narrative_missing, sections_with_comments
from safeguarding.workflows.annual import (
    A_SECTION_COMMENTED,
    MARK_COMMENTED,
    NARRATIVE_WRITTEN,
    PUBLISH,
    TELL_RETURNED,
    TELL_SUBMITTED,
    annual_report_lifecycle,
)
from safeguarding.workflows.base import TransitionContext


@annual_report_lifecycle.guard(NARRATIVE_WRITTEN)
def _narrative_written(ctx: TransitionContext) -> str | None:
    missing = narrative_missing(ctx.row)
    if missing:
        return "Write " + ", ".join(f"‘{s.heading}’" for s in missing) + " before submitting the report"
    return None


@annual_report_lifecycle.effect(TELL_SUBMITTED)
def _tell_submitted(ctx: TransitionContext) -> None:
    tell(ctx.row, "submitted")


@annual_report_lifecycle.guard(A_SECTION_COMMENTED)
def _a_section_commented(ctx: TransitionContext) -> str | None:
    # The office takes the children's yearly report back; a comment is the chair's, optional.
    if ctx.row.kind != ReportKind.children and not sections_with_comments(ctx.row):
        return "Comment on at least one section to say what should change"
    return None


@annual_report_lifecycle.effect(MARK_COMMENTED)
def _mark_commented(ctx: TransitionContext) -> None:
    for s in sections_with_comments(ctx.row):
        s.state = SectionState.changes_requested


@annual_report_lifecycle.effect(TELL_RETURNED)
def _tell_returned(ctx: TransitionContext) -> None:
    tell(ctx.row, "returned")


@annual_report_lifecycle.effect(PUBLISH)
def _set_published(ctx: TransitionContext) -> None:
    ctx.row.published_on = ctx.params["sent_on"]
    distribute(ctx.row, ctx.params["sent_on"])


def _load(report_id: int, user: Any) -> AnnualReport:
    return get_report(report_id, user)


annual_report_lifecycle.serve(loader=_load)
