"""Factories for the records the annual report counts (meetings and attendance, reviews
and their recommendations, disputes, complaints, actions), built on the shared ones."""

from __future__ import annotations

from datetime import date, time

import factory

from safeguarding.models import (
    Action,
    ActionSource,
    ActionStatus,
    Area,
    Attendance,
    AttendanceStatus,
    Complaint,
    ComplaintKind,
    ComplaintState,
    Dispute,
    DisputeState,
    Meeting,
    MeetingState,
    Review,
    ReviewKind,
    ReviewState,
)
from safeguarding.models.reviews import AgeBand, ReviewRecommendation
from tests.support.factories import GroupFactory, MembershipFactory, OrganisationFactory, _Base

__all__ = ["GroupFactory", "MembershipFactory", "OrganisationFactory"]


class MeetingFactory(_Base):
    class Meta:
        model = Meeting

    group = factory.SubFactory(GroupFactory)
    meeting_date = date(2010, 6, 1)
    starts_at = time(10, 0)
    ends_at = time(12, 0)
    papers_due_on = factory.LazyAttribute(lambda m: m.meeting_date)
    state = MeetingState.closed


class AttendanceFactory(_Base):
    class Meta:
        model = Attendance

    meeting_id = None  # give meeting_id=
    membership = factory.SubFactory(MembershipFactory)
    status = AttendanceStatus.present


class ReviewFactory(_Base):
    class Meta:
        model = Review

    kind = ReviewKind.sar
    year = 2010
    sequence = factory.Sequence(lambda n: 9000 + n)
    reference = factory.LazyAttribute(lambda r: f"{'SAR' if r.kind == ReviewKind.sar else 'CSPR'}-T-{r.sequence}")
    state = ReviewState.referred
    group = factory.SubFactory(GroupFactory)
    area = Area.north
    initials = "AB"
    age_band = AgeBand.age_1_4
    summary = "Test"
    received_on = date(2010, 5, 1)
    referral_source = "Police"


class RecommendationFactory(_Base):
    class Meta:
        model = ReviewRecommendation

    review_id = None  # give review_id=
    number = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Finding {n}")


class DisputeFactory(_Base):
    class Meta:
        model = Dispute

    ref_year = 2010
    ref_number = factory.Sequence(lambda n: 900 + n)
    subject = "Test dispute"
    summary = "Test"
    raised_on = date(2010, 7, 1)
    state = DisputeState.raised


class ComplaintFactory(_Base):
    class Meta:
        model = Complaint

    ref_year = 2010
    ref_number = factory.Sequence(lambda n: 900 + n)
    kind = ComplaintKind.partnership
    received_on = date(2010, 7, 1)
    complainant_name = "A complainant"
    complainant_contact = "c@example.com"
    summary = "Test"
    state = ComplaintState.received


class ActionFactory(_Base):
    class Meta:
        model = Action

    title = "Test action"
    source_type = ActionSource.other
    owner_organisation = factory.SubFactory(OrganisationFactory)
    due_date = date(2010, 9, 1)
    status = ActionStatus.open
