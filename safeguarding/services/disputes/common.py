"""Disputes: the constants every part of the service shares, and meeting times as people write them."""

from __future__ import annotations

import re
from datetime import time

from safeguarding.models import DisputeState, Role

SEE_ALL = (Role.business_office, Role.independent_chair)
# Constitution: the joint meeting within 28 days of the determination (calendar days).
DEADLINE_DAYS = 28
DEFAULT_ALERT_DAYS = 7
# The agenda may be drafted, and answered, until it is agreed.
AGENDA_OPEN_STATES = (DisputeState.determined, DisputeState.meeting_convened)
# Agreed actions are recorded once the meeting has been held.
ACTION_STATES = (DisputeState.meeting_held, DisputeState.resolved, DisputeState.escalated)


_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$")


def parse_time(text: str | time | None) -> time | None:
    """ "14:00", "14.30", "2pm", "2:30pm", "9am" → a time; None when it is not a time."""
    if isinstance(text, time):
        return text
    m = _TIME.match((text or "").strip().lower().replace(" ", ""))
    if not m:
        return None
    hour, minute, suffix = int(m.group(1)), int(m.group(2) or 0), m.group(3)
    if suffix:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if suffix == "pm" else 0)
    elif m.group(2) is None:
        return None  # "14" alone is ambiguous
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def format_time(t: time | None) -> str:
    """14:00 → "2pm"; 9:30 → "9:30am" (GOV.UK style)."""
    if t is None:
        return ""
    hour = t.hour % 12 or 12
    suffix = "am" if t.hour < 12 else "pm"
    if t.hour == 12 and t.minute == 0:
        return "midday"
    return f"{hour}{f':{t.minute:02d}' if t.minute else ''}{suffix}"
