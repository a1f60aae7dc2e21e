"""Helpers for annual report tests: the Board agrees the adults' report (a decision at a
Board meeting of its own on the report's agenda item), and taking a report to published."""

from __future__ import annotations

from datetime import date
from typing import Any

from safeguarding.calendar import today
from safeguarding.models import AnnualReport, Decision, SectionKind
from safeguarding.services import annual
from safeguarding.services import meetings as svc
from safeguarding.workflows.annual import annual_report_lifecycle
from tests.support.meetings import close, everyone, open_meeting, schedule


def board_meeting(demo: Any, on: date | None = None, **statuses: str):
    """An extraordinary Board meeting in session on `on` (default today: the Board meets
    after the chair's approval), everyone present unless told."""
    meeting = schedule(demo, on=on or today(), kind="extraordinary", purpose="Agreement of the annual report")
    return open_meeting(meeting, demo, everyone(**statuses))


def board_agrees(report: AnnualReport, demo: Any, *, outcome: str = "agreed", on: date | None = None) -> Decision:
    """The Board decides on the report at a quorate meeting: agreed by consensus
    (`outcome="agreed"`), carried by a vote (`"carried"`) or a vote not carried
    (`"not_carried"`). The meeting is closed afterwards."""
    meeting = board_meeting(demo, on)
    item = svc.add_agenda_item(
        meeting, title="Agreement of the annual report", subject_type=annual.SUBJECT, subject_id=report.id
    )
    office = demo.user("office")
    if outcome == "agreed":
        decision = svc.record_decision(item, user=office, method="consensus", text="The Board agrees the report.")
    else:
        choice = "for" if outcome == "carried" else "against"
        voters = svc.voting_eligibility(meeting, item).voters
        decision = svc.record_decision(
            item,
            user=office,
            method="vote",
            text="The Board agrees the report.",
            votes=[{"organisation_id": org_id, "vote": choice} for org_id in voters],
        )
    close(meeting, demo)
    return decision


def write_all(report: AnnualReport, user: Any) -> None:
    for s in report.sections:
        if s.kind == SectionKind.narrative and not s.text:
            annual.edit_section(report, s, user, version=report.version, text=f"Text of {s.heading}")


def approve(report: AnnualReport, demo: Any) -> AnnualReport:
    """Take a drafting or submitted adults' report to approved (the chair)."""
    office, chair = demo.user("office"), demo.user("chair")
    if report.state.value == "drafting":
        write_all(report, office)
        annual_report_lifecycle.fire(report, "submit", user=office, version=report.version)
    annual_report_lifecycle.fire(report, "approve", user=chair, version=report.version)
    return report


def agree_and_publish(report: AnnualReport, demo: Any, sent_on: date | None = None) -> AnnualReport:
    """Approved (if not yet), agreed by the Board, and published by the office."""
    if report.state.value in ("drafting", "submitted"):
        approve(report, demo)
    if report.board_decision_id is None:
        board_agrees(report, demo)
    annual_report_lifecycle.fire(
        report, "publish", user=demo.user("office"), version=report.version, params={"sent_on": sent_on or today()}
    )
    return report
