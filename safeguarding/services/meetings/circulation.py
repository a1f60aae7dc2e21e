"""Meetings: what goes out by email to a group's members and their named deputies — the
papers when they are published (and each paper added afterwards), and the approved
minutes (services/meetings/minutes.py). One message per person, so addresses are not
shared; the outbox's dedupe key makes a second call send nothing new."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from safeguarding.calendar import today
from safeguarding.extensions import db
from safeguarding.models import AgendaItem, Meeting, Membership, Paper, Person
from safeguarding.notify import queue_email, service_url
from safeguarding.services.meetings.common import _current
from safeguarding.services.meetings.queries import papers_of


def members_and_deputies(group_id: int, on: date | None = None) -> list[Person]:
    """The group's members on `on` and their named deputies who are active and have an
    email address, each once, in a stable order."""
    seats = db.session.execute(
        sa.select(Membership.person_id, Membership.deputy_person_id).where(
            Membership.group_id == group_id, _current(on or today())
        )
    ).all()
    ids = {pid for seat in seats for pid in seat if pid}
    if not ids:
        return []
    return list(
        db.session.scalars(
            sa.select(Person)
            .where(Person.id.in_(ids), Person.active.is_(True), Person.email.is_not(None))
            .order_by(Person.id)
        )
    )


def _paper_lines(meeting: Meeting, papers: list[Paper]) -> list[str]:
    positions = {
        item_id: n
        for n, item_id in enumerate(
            db.session.scalars(
                sa.select(AgendaItem.id)
                .where(AgendaItem.meeting_id == meeting.id, AgendaItem.withdrawn.is_(False))
                .order_by(AgendaItem.position)
            ),
            start=1,
        )
    }
    return [f"Item {positions.get(p.agenda_item_id, '–')}: {p.title}" for p in papers]


def _send_papers(meeting: Meeting, papers: list[Paper], *, addition: bool, dedupe: str, on: date | None) -> int:
    """One email per member and named deputy listing `papers`; `dedupe` + person id keeps it
    to once each."""
    lines = _paper_lines(meeting, papers)
    link = service_url("meetings.meeting", meeting_id=meeting.id)
    people = members_and_deputies(meeting.group_id, on)
    for person in people:
        queue_email(
            [person.email],
            f"{'Additional paper' if addition else 'Papers published'}: {meeting.name}",
            "papers_published",
            {"name": person.name, "meeting": meeting.name, "papers": lines, "link": link, "addition": addition},
            kind="papers_published",
            dedupe_key=f"{dedupe}:{person.id}",
        )
    return len(people)


def circulate_papers(meeting: Meeting, on: date | None = None) -> int:
    """Email each member and named deputy, once, that the meeting's papers are published,
    with the list of papers and a link to the meeting. Returns the number of messages."""
    return _send_papers(meeting, papers_of(meeting), addition=False, dedupe=f"papers-published:{meeting.id}", on=on)


def circulate_paper_addition(paper: Paper, meeting: Meeting) -> int:
    """A paper added after the papers were published: email each member and named deputy
    about that paper alone, once."""
    return _send_papers(meeting, [paper], addition=True, dedupe=f"paper-added:{paper.id}", on=None)
