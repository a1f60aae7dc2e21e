"""Helpers for meeting tests: schedule a meeting of a demo group, record its register by
person key, publish and open it."""

from __future__ import annotations

from datetime import date
from typing import Any

from safeguarding.models import Meeting
from safeguarding.services import meetings as svc
from safeguarding.workflows.meetings import meeting_lifecycle

# After the demo's last Board meeting (February 2027): free dates for new meetings.
FUTURE = date(2027, 5, 18)
# A working day before the demo's "today" (23 November 2026) with no demo meeting: pages
# fire triggers as of the real today, which is on or after it.
PAST = date(2026, 11, 19)
BOARD = [
    "chair",
    "north_dass",
    "west_dass",
    "police_lead",
    "icb_lead",
    "acute_lead",
    "fire_lead",
    "probation_lead",
    "ph_lead",
    "healthwatch_lead",
    "vcs_lead",
    "sar_chair",
    "office",
]


def schedule(demo: Any, group: str = "board", on: date = FUTURE, **kw: Any) -> Meeting:
    return svc.schedule_meeting(
        group_id=demo.group(group).id, meeting_date=on, created_by_id=demo.user("office").id, **kw
    )


def entries(demo: Any, group: str, statuses: dict[str, Any]) -> list[dict[str, Any]]:
    """{"police_lead": "present", "west_dass": ("deputy_present", "west_deputy")} → API-style entries."""
    out = []
    for person, value in statuses.items():
        status, deputy = (value, None) if isinstance(value, str) else value
        out.append(
            {
                "membership_id": demo.membership(group, person).id,
                "status": status,
                "deputy_person_id": demo.person(deputy).id if deputy else None,
            }
        )
    return out


def record(meeting: Meeting, demo: Any, statuses: dict[str, Any], group: str = "board") -> svc.Register:
    return svc.record_attendance(
        meeting, entries(demo, group, statuses), user=demo.user("office"), as_of=meeting.meeting_date
    )


def everyone(status: str = "present", people: list[str] = BOARD, **overrides: Any) -> dict[str, Any]:
    statuses = {p: status for p in people}
    statuses.update(overrides)
    return statuses


def publish(meeting: Meeting, demo: Any) -> Meeting:
    return meeting_lifecycle.fire(
        meeting, "publish_papers", user=demo.user("office"), version=meeting.version, as_of=meeting.papers_due_on
    )


def open_meeting(meeting: Meeting, demo: Any, statuses: dict[str, Any] | None = None, group: str = "board") -> Meeting:
    """Publish the papers, record the register (everyone present by default) and open."""
    if meeting.state.value == "scheduled":
        publish(meeting, demo)
    record(meeting, demo, statuses if statuses is not None else everyone(), group=group)
    return meeting_lifecycle.fire(
        meeting, "open", user=demo.user("office"), version=meeting.version, as_of=meeting.meeting_date
    )


def close(meeting: Meeting, demo: Any) -> Meeting:
    return meeting_lifecycle.fire(
        meeting, "close", user=demo.user("office"), version=meeting.version, as_of=meeting.meeting_date
    )


def business(meeting: Meeting, title: str = "Self-neglect procedure", **kw: Any):
    return svc.add_agenda_item(meeting, title=title, **kw)


def votes(demo: Any, **choices: str) -> list[dict[str, Any]]:
    """votes(demo, north="for", police="against") with organisation keys."""
    return [{"organisation_id": demo.org(k).id, "vote": v} for k, v in choices.items()]
