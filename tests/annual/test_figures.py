"""Each generated figure against the records that produced it, for the whole partnership,
per arm and per council area. The records are made in 2010/11, a year of their own (the
demo starts in 2020), and counted here independently."""

from __future__ import annotations

from datetime import date

import pytest

from safeguarding.calendar import working_days
from safeguarding.models import (
    ActionStatus,
    Area,
    Arm,
    AttendanceStatus,
    ComplaintKind,
    ComplaintState,
    DisputeState,
    GroupKind,
    MeetingState,
    ReviewKind,
    ReviewOutcome,
    ReviewState,
)
from safeguarding.services import annual
from safeguarding.services import budget as budget_svc
from tests.annual.factories import (
    ActionFactory,
    AttendanceFactory,
    ComplaintFactory,
    DisputeFactory,
    GroupFactory,
    MeetingFactory,
    MembershipFactory,
    OrganisationFactory,
    RecommendationFactory,
    ReviewFactory,
)

YEAR = 2010  # 1 April 2010 – 31 March 2011


@pytest.fixture
def records(demo):
    """Meetings of an adults group in the North and a children group in the West, with
    attendance; SARs and CSPRs in both areas; disputes, complaints and actions."""
    org_a, org_b = OrganisationFactory(), OrganisationFactory()
    adults = GroupFactory(kind=GroupKind.subgroup, arm=Arm.adults, area=Area.north)
    children = GroupFactory(kind=GroupKind.subgroup, arm=Arm.children, area=Area.west)
    seats = {
        g.id: [MembershipFactory(group=g, person__organisation=o, organisation=o) for o in (org_a, org_b)]
        for g in (adults, children)
    }
    meetings = [
        MeetingFactory(group=adults, meeting_date=date(2010, 5, 4)),
        MeetingFactory(group=adults, meeting_date=date(2010, 9, 7), state=MeetingState.inquorate),
        MeetingFactory(group=adults, meeting_date=date(2011, 1, 11), state=MeetingState.cancelled),
        MeetingFactory(group=children, meeting_date=date(2010, 6, 15)),
        MeetingFactory(group=children, meeting_date=date(2011, 4, 5)),  # the next year
        MeetingFactory(group=children, meeting_date=date(2010, 3, 31)),  # the year before
    ]
    statuses = {
        meetings[0].id: (AttendanceStatus.present, AttendanceStatus.apologies),
        meetings[1].id: (AttendanceStatus.deputy_present, AttendanceStatus.absent),
        meetings[3].id: (AttendanceStatus.present, AttendanceStatus.present),
        meetings[4].id: (AttendanceStatus.absent, AttendanceStatus.absent),
    }
    for m in meetings:
        for seat, status in zip(seats[m.group_id], statuses.get(m.id, ()), strict=False):
            deputy = seat.person_id if status == AttendanceStatus.deputy_present else None
            AttendanceFactory(meeting_id=m.id, membership=seat, status=status, deputy_person_id=deputy)

    sar = dict(kind=ReviewKind.sar, group=adults)
    reviews = [
        # Received in the year, North: mandatory, commissioned, concluded in the year with two findings.
        ReviewFactory(
            **sar,
            area=Area.north,
            referral_source="Police",
            received_on=date(2010, 4, 20),
            decision=ReviewOutcome.mandatory,
            decided_on=date(2010, 5, 20),
            state=ReviewState.published,
            publication_decided_on=date(2011, 2, 1),
            published_on=date(2011, 2, 1),
        ),
        # North: discretionary, ongoing at year end.
        ReviewFactory(
            **sar,
            area=Area.north,
            referral_source="Hospital",
            received_on=date(2010, 6, 1),
            decision=ReviewOutcome.discretionary,
            decided_on=date(2010, 7, 1),
            state=ReviewState.in_review,
        ),
        # West: not commissioned, with its reason.
        ReviewFactory(
            **sar,
            area=Area.west,
            referral_source="Police",
            received_on=date(2010, 8, 1),
            decision=ReviewOutcome.not_commissioned,
            decided_on=date(2010, 9, 1),
            decision_reason="The criteria were not met",
            state=ReviewState.not_commissioned,
        ),
        # West: received after the year: not counted.
        ReviewFactory(**sar, area=Area.west, referral_source="Police", received_on=date(2011, 4, 2)),
    ]
    RecommendationFactory(review_id=reviews[0].id, number=1)
    RecommendationFactory(review_id=reviews[0].id, number=2)
    cal = working_days()
    cspr = dict(kind=ReviewKind.cspr, group=children)
    notified = date(2010, 10, 4)
    csprs = [
        ReviewFactory(
            **cspr,
            area=Area.west,
            notified_on=notified,
            rapid_review_sent_on=cal.add(notified, 15),
            decision=ReviewOutcome.lcspr,
            decided_on=date(2010, 11, 1),
            state=ReviewState.in_review,
        ),
        ReviewFactory(
            **cspr,
            area=Area.north,
            notified_on=notified,
            rapid_review_sent_on=cal.add(notified, 16),
            decision=ReviewOutcome.not_commissioned,
            decided_on=date(2010, 11, 2),
            state=ReviewState.no_lcspr,
        ),
        ReviewFactory(
            **cspr,
            area=Area.west,
            received_on=date(2009, 1, 1),
            notified_on=date(2009, 1, 5),
            decision=ReviewOutcome.lcspr,
            decided_on=date(2009, 3, 1),
            state=ReviewState.published,
            published_on=date(2010, 12, 1),
        ),
    ]
    DisputeFactory(state=DisputeState.resolved)
    DisputeFactory(state=DisputeState.escalated, breach_recorded_on=date(2010, 8, 1))
    DisputeFactory(state=DisputeState.raised, raised_on=date(2011, 4, 1))
    ComplaintFactory(kind=ComplaintKind.partnership, state=ComplaintState.closed)
    ComplaintFactory(kind=ComplaintKind.member_service, state=ComplaintState.closed, organisation_id=org_a.id)
    ActionFactory(owner_organisation=org_a, status=ActionStatus.completed, completed_on=date(2010, 10, 1))
    ActionFactory(owner_organisation=org_a, status=ActionStatus.completed, completed_on=date(2011, 5, 1))
    return {"org_a": org_a, "org_b": org_b, "meetings": meetings, "reviews": reviews, "csprs": csprs}


@pytest.fixture
def report(records, demo):
    return annual.start_report(YEAR, demo.user("office"))


def _f(report, key, figure, **kw):
    return annual.figure(annual.section_by_key(report, key), figure, **kw)


def test_meetings_held_quorate_and_attendance_per_arm_and_area(report):
    # Held in the year: adults 2 (1 quorate, 1 inquorate; 1 cancelled), children 1 (quorate).
    assert _f(report, "meetings", "held") >= 3  # the demo's own meetings in 2010/11 count too (none exist)
    assert _f(report, "meetings", "held", arm="adults") == 2
    assert _f(report, "meetings", "quorate", arm="adults") == 1
    assert _f(report, "meetings", "inquorate", arm="adults") == 1
    assert _f(report, "meetings", "cancelled", arm="adults") == 1
    assert _f(report, "meetings", "held", arm="children") == 1
    assert _f(report, "meetings", "held", area="north") == 2
    assert _f(report, "meetings", "held", area="west") == 1
    # Seats represented / expected: adults 2 of 4 (present, deputy present); children 2 of 2.
    assert _f(report, "meetings", "attendance_rate", arm="adults") == 50
    assert _f(report, "meetings", "attendance_rate", arm="children") == 100
    assert _f(report, "meetings", "held") == 3 and _f(report, "meetings", "attendance_rate") == 67


def test_attendance_table_by_partner(report, records):
    section = annual.section_by_key(report, "meetings")
    table = next(t for t in annual.variant(section)["tables"] if t["caption"] == "Attendance by partner organisation")
    rows = {r[0]: r[1:] for r in table["rows"]}
    assert rows[records["org_a"].name] == [3, 3, 100]
    assert rows[records["org_b"].name] == [1, 3, 33]
    assert annual.variant(section)["charts"][0]["series"][0]["values"]


def test_sar_figures_per_area(report):
    assert _f(report, "sars", "referrals") == 3
    assert _f(report, "sars", "referrals", area="north") == 2
    assert _f(report, "sars", "referrals", area="west") == 1
    assert _f(report, "sars", "referrals", arm="adults") == 3
    assert (
        _f(report, "sars", "mandatory"),
        _f(report, "sars", "discretionary"),
        _f(report, "sars", "not_commissioned"),
    ) == (1, 1, 1)
    assert _f(report, "sars", "not_commissioned", area="north") == 0
    assert _f(report, "sars", "concluded") == 1 and _f(report, "sars", "concluded", area="west") == 0
    assert _f(report, "sars", "ongoing") == 1 and _f(report, "sars", "ongoing", area="north") == 1
    assert _f(report, "sars", "findings") == 2
    # There is no children's variant of the SAR section.
    with pytest.raises(KeyError):
        _f(report, "sars", "referrals", arm="children")


def test_sar_tables_say_sources_findings_and_reasons(report, records):
    v = annual.variant(annual.section_by_key(report, "sars"))
    tables = {t["caption"]: t for t in v["tables"]}
    assert dict(map(tuple, tables["Referrals by source"]["rows"])) == {"Police": 2, "Hospital": 1}
    decisions = tables["Decisions made in the year"]["rows"]
    assert [
        records["reviews"][2].reference,
        ReviewOutcome.not_commissioned.label,
        "The criteria were not met",
    ] in decisions
    findings = tables["Findings of SARs concluded in the year (Schedule 2 (d))"]["rows"]
    assert [r[0] for r in findings] == [records["reviews"][0].reference] * 2
    ongoing = tables["SARs ongoing at year end (Schedule 2 (e))"]["rows"]
    assert [r[0] for r in ongoing] == [records["reviews"][1].reference]


def test_cspr_figures_per_area(report):
    assert _f(report, "csprs", "notifications") == 2
    assert _f(report, "csprs", "rapid_reviews") == 2
    assert _f(report, "csprs", "rapid_in_time") == 1  # 15 working days on time, 16 late
    assert _f(report, "csprs", "rapid_in_time", area="west") == 1
    assert _f(report, "csprs", "rapid_in_time", area="north") == 0
    assert _f(report, "csprs", "lcsprs_commissioned") == 1
    assert _f(report, "csprs", "lcsprs_published") == 1 and _f(report, "csprs", "lcsprs_published", area="north") == 0
    assert _f(report, "csprs", "notifications", arm="children") == 2


def test_members_disputes_and_complaints(report, records):
    assert _f(report, "members", "actions_completed") == 1
    members = annual.variant(annual.section_by_key(report, "members"))["tables"][0]["rows"]
    row = next(r for r in members if r[0] == records["org_a"].name)
    assert row[1:5] == [3, 3, 100, 1]
    assert (
        _f(report, "disputes", "disputes"),
        _f(report, "disputes", "resolved"),
        _f(report, "disputes", "escalated"),
        _f(report, "disputes", "late_meetings"),
    ) == (2, 1, 1, 1)
    assert (
        _f(report, "disputes", "complaints"),
        _f(report, "disputes", "complaints_partnership"),
        _f(report, "disputes", "complaints_member"),
    ) == (2, 1, 1)
    text = str(annual.section_by_key(report, "disputes").figures)
    assert "A complainant" not in text and "c@example.com" not in text  # no personal data


def test_budget_section_reuses_the_monitoring_figures(demo):
    r = annual.start_report(2020, demo.user("office"))
    b = budget_svc.budget_for_year(2020)
    m = budget_svc.monitoring(b)
    s = budget_svc.summary(b)
    assert _f(r, "budget", "expenditure_budget") == m.budget_pence
    assert _f(r, "budget", "actual") == m.actual_pence
    assert _f(r, "budget", "outturn") == m.forecast_pence
    assert _f(r, "budget", "contributions") == s.totals.contributions_pence
    assert _f(r, "budget", "reserves_brought_forward") == b.reserves_brought_forward_pence
    lines = annual.variant(annual.section_by_key(r, "budget"))["tables"][1]["rows"]
    assert [row[0] for row in lines] == [row.line.name for row in m.rows]
