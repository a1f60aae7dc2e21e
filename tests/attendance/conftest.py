"""A small group of our own (two organisations: A with a named deputy, B without) and
held meetings whose registers the tests write directly, so each rule is tested alone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

import pytest

from safeguarding.extensions import db
from safeguarding.models import (
    Attendance,
    AttendanceStatus,
    Group,
    Meeting,
    MeetingState,
    Membership,
    Organisation,
)
from safeguarding.services import attendance as svc
from tests.support.factories import (
    GroupFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
)

FIRST = date(2026, 9, 1)


@dataclass
class Setup:
    group: Group
    a: Organisation
    b: Organisation
    seat_a: Membership
    seat_b: Membership
    meetings: list[Meeting]

    def hold(self, on: date | None = None, *, a: str = "present", b: str = "present") -> Meeting:
        """A held (closed) meeting with A's and B's statuses: present, deputy, apologies, absent."""
        on = on or (self.meetings[-1].meeting_date + timedelta(days=14) if self.meetings else FIRST)
        m = Meeting(
            group_id=self.group.id,
            meeting_date=on,
            starts_at=time(10),
            ends_at=time(11),
            papers_due_on=on - timedelta(days=7),
            state=MeetingState.closed,
        )
        db.session.add(m)
        db.session.flush()
        for seat, status in ((self.seat_a, a), (self.seat_b, b)):
            deputy = seat.deputy_person_id if status == "deputy" else None
            db.session.add(
                Attendance(
                    meeting_id=m.id,
                    membership_id=seat.id,
                    deputy_person_id=deputy,
                    status=AttendanceStatus.deputy_present if status == "deputy" else AttendanceStatus(status),
                )
            )
        db.session.flush()
        self.meetings.append(m)
        return m

    def series(self, *statuses: str, org: str = "a") -> list[Meeting]:
        return [self.hold(**{org: s}) for s in statuses]

    @property
    def last(self) -> date:
        return self.meetings[-1].meeting_date


@pytest.fixture
def setup(demo) -> Setup:
    # Settle whatever the demo's own records call for first, so what follows is ours alone.
    svc.scan(date(2026, 8, 31))
    group = GroupFactory(name="Attendance test group", short_name="Test group")
    a, b = OrganisationFactory(name="Organisation A"), OrganisationFactory(name="Organisation B")
    a.chief_executive_name, a.chief_executive_title = "Dr Alex Morgan", "Chief Executive"
    a.chief_executive_address = "Organisation A\n1 High Street\nCounty Town\nCT1 2AB"
    seat_a = MembershipFactory(
        group=group,
        person=PersonFactory(organisation=a, email="member.a@a.example"),
        deputy=PersonFactory(organisation=a, email="deputy.a@a.example"),
    )
    seat_b = MembershipFactory(group=group, person=PersonFactory(organisation=b, email="member.b@b.example"))
    db.session.flush()
    return Setup(group, a, b, seat_a, seat_b, [])
