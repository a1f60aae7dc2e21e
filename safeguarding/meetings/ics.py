"""iCalendar (RFC 5545) for meetings, with the `icalendar` library: a member's private
feed and a single meeting's download. Summaries name the group, never a person."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from flask import current_app
from icalendar import Calendar, Event

from safeguarding.calendar import LONDON
from safeguarding.models import Meeting, MeetingKind, MeetingState

PRODID = "-//Safeguarding Partnership//Meetings//EN"


def _uid(meeting: Meeting) -> str:
    host = current_app.config["SERVICE_BASE_URL"].split("//", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    return f"meeting-{meeting.id}@{host or 'safeguarding-partnership'}"


def _event(meeting: Meeting, url: str) -> Event:
    event = Event()
    event.add("uid", _uid(meeting))
    kind = "extraordinary meeting" if meeting.kind == MeetingKind.extraordinary else "meeting"
    event.add("summary", f"{meeting.group.name} {kind}")
    event.add("dtstart", datetime.combine(meeting.meeting_date, meeting.starts_at, tzinfo=LONDON))
    event.add("dtend", datetime.combine(meeting.meeting_date, meeting.ends_at, tzinfo=LONDON))
    event.add("dtstamp", datetime.now(UTC))
    event.add("last-modified", meeting.updated_at)
    event.add("sequence", meeting.version)
    if meeting.location:
        event.add("location", meeting.location)
    description = [meeting.purpose] if meeting.purpose else []
    description.append(f"Agenda and papers: {url}")
    event.add("description", "\n".join(description))
    event.add("url", url)
    event.add("status", "CANCELLED" if meeting.state == MeetingState.cancelled else "CONFIRMED")
    return event


def calendar(meetings: Iterable[Meeting], url_for_meeting, *, name: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/London")
    for meeting in meetings:
        cal.add_component(_event(meeting, url_for_meeting(meeting)))
    cal.add_missing_timezones()
    return cal.to_ical()
