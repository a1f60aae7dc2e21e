"""The record sources of the class "Attendance registers and escalation letters" (listed
with the others in `sources.py`), six years after the meeting by default.

- **attendance** (`attendance`, one row of a meeting's register; trigger: the meeting's
  date): due once the meeting took place or was cancelled. Disposal empties the row's
  note (apologies and their reason, what the office wrote); who — the seat, the deputy —
  the status and the times stay, so the register still counts. A hold on the meeting
  covers its register.
- **escalation** (`escalation`, the Chair's letter about persistent non-attendance and
  what followed; trigger: the day it closed — resolved, put before the Board or
  withdrawn —, which is never before its meetings): the letter's body replaced by
  "Disposed of on <date>"; the letter as sent (PDF and Word, the addressee's name and
  address in them) deleted; the response's summary and the reasons for escalating or
  withdrawing emptied. The reference (ATT-0001), organisation, group, the meetings missed
  (ids and dates), the figures, the dates and the state stay. A hold on the escalation,
  or on the first meeting it was about, covers it."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from safeguarding.models import Attendance, Escalation, Meeting, MeetingState
from safeguarding.models.attendance import CLOSED_ESCALATION_STATES
from safeguarding.models.meetings import HELD_STATES
from safeguarding.services.records.sources_base import Source

ESCALATION_TEXTS = ("response_summary", "escalation_reason", "withdrawal_reason")

MEETING_DATE = (
    sa.select(Meeting.meeting_date).where(Meeting.id == Attendance.meeting_id).correlate(Attendance).scalar_subquery()
)
OVER = (*HELD_STATES, MeetingState.cancelled)


def _register_due(last: date) -> sa.ColumnElement[bool]:
    """The register rows of meetings held or cancelled on or before `last`."""
    return Attendance.meeting_id.in_(sa.select(Meeting.id).where(Meeting.meeting_date <= last, Meeting.state.in_(OVER)))


def _dispose_attendance(a: Attendance, text: str) -> None:
    a.note = None


def _dispose_escalation(e: Escalation, text: str) -> None:
    e.letter_text = None if e.letter_text is None else text
    e.sent_pdf, e.sent_docx = None, None
    for column in ESCALATION_TEXTS:
        setattr(e, column, None)


ATTENDANCE_SOURCES: tuple[Source, ...] = (
    Source(
        "attendance",
        "attendance",
        Attendance,
        (),  # the meeting took place or was cancelled: in `_register_due`
        MEETING_DATE,
        ("note",),
        lambda a: f"Attendance {a.id} (meeting {a.meeting_id})",
        _dispose_attendance,
        held_with=(("meeting", "meeting_id"),),
        due_where=_register_due,
    ),
    Source(
        "attendance",
        "escalation",
        Escalation,
        (Escalation.state.in_(CLOSED_ESCALATION_STATES), Escalation.closed_on.is_not(None)),
        Escalation.closed_on,
        ("letter_text", "sent_pdf", "sent_docx", *ESCALATION_TEXTS),
        lambda e: e.reference,
        _dispose_escalation,
        held_with=(("meeting", "episode_start_meeting_id"),),
    ),
)
