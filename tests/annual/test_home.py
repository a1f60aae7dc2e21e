"""Each role's home page: the counts match the records (counted here independently), all
of them come from one SELECT, and the query count does not grow with the data."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from safeguarding import home
from safeguarding.calendar import today
from safeguarding.extensions import db
from safeguarding.models import (
    Action,
    ActionSource,
    ChairAction,
    ChairActionStatus,
    Group,
    GroupKind,
    InformationRequest,
    Invoice,
    Meeting,
    MeetingState,
    Membership,
    MembershipRole,
    Minutes,
    MinutesState,
    RequestStatus,
    Review,
    ReviewState,
)
from safeguarding.models.actions import OPEN_STATUSES
from tests.test_query_budget import _grow


def _queue(api_as, who) -> dict[str, dict]:
    r = api_as(who).get("/api/v1/me/queue")
    assert r.status_code == 200
    return {item["key"]: item for item in r.json["items"]}


def _count(stmt) -> int:
    return db.session.scalar(stmt) or 0


def test_business_office_sees_what_is_due_across_modules(api_as, client_as):
    on = today()
    q = _queue(api_as, "office")
    papers = _count(
        sa.select(sa.func.count())
        .select_from(Meeting)
        .where(Meeting.state == MeetingState.scheduled, Meeting.papers_due_on <= on + timedelta(days=7))
    )
    overdue_requests = _count(
        sa.select(sa.func.count())
        .select_from(InformationRequest)
        .where(InformationRequest.status == RequestStatus.sent, InformationRequest.due_on < on)
    )
    overdue_invoices = _count(
        sa.select(sa.func.count())
        .select_from(Invoice)
        .where(Invoice.cancelled_on.is_(None), Invoice.paid_pence < Invoice.amount_pence, Invoice.due_on < on)
    )
    overdue_actions = _count(
        sa.select(sa.func.count()).select_from(Action).where(Action.status.in_(OPEN_STATUSES), Action.due_date < on)
    )
    expected = {
        "meetings.papers": papers,
        "reviews.overdue_requests": overdue_requests,
        "budget.overdue": overdue_invoices,
        "actions.overdue": overdue_actions,
    }
    assert any(expected.values())
    for key, n in expected.items():
        assert q.get(key, {}).get("count", 0) == n, key
    assert q["partnership.organisations"]["kind"] == "info"
    if papers:
        assert q["meetings.papers"]["kind"] == "due" and q["meetings.papers"]["href"].startswith("/meetings")
    page = client_as("office").get("/home").text
    assert "Due or breached this week" in page
    for item in q.values():
        assert item["heading"].replace("'", "&#39;") in page


def test_independent_chair_sees_the_approval_queue(api_as):
    q = _queue(api_as, "chair")
    # the chair approves the Board's and the Executive's minutes (a sub-group's chair its own)
    minutes = _count(
        sa.select(sa.func.count())
        .select_from(Minutes)
        .join(Meeting, Meeting.id == Minutes.meeting_id)
        .join(Group, Group.id == Meeting.group_id)
        .where(Minutes.state == MinutesState.submitted, Group.kind.in_((GroupKind.board, GroupKind.executive)))
    )
    ratify = _count(
        sa.select(sa.func.count())
        .select_from(ChairAction)
        .where(ChairAction.status == ChairActionStatus.awaiting_ratification)
    )
    decisions = _count(
        sa.select(sa.func.count()).select_from(Review).where(Review.state == ReviewState.awaiting_decision)
    )
    assert decisions
    for key, n in {
        "meetings.minutes_to_approve": minutes,
        "meetings.chair_actions": ratify,
        "reviews.decisions": decisions,
    }.items():
        assert q.get(key, {}).get("count", 0) == n, key
    assert q["reviews.decisions"]["kind"] == "approval"
    assert "budget.overdue" not in q and "meetings.papers" not in q


def test_partner_member_sees_their_organisations_work(api_as, demo):
    police = demo.user("police")
    q = _queue(api_as, "police")
    org = police.organisation_id
    own_actions = _count(
        sa.select(sa.func.count())
        .select_from(Action)
        .where(Action.owner_organisation_id == org, Action.status.in_(OPEN_STATUSES))
    )
    review_actions = _count(
        sa.select(sa.func.count())
        .select_from(Action)
        .where(
            Action.owner_organisation_id == org,
            Action.status.in_(OPEN_STATUSES),
            Action.source_type == ActionSource.review,
        )
    )
    requests = _count(
        sa.select(sa.func.count())
        .select_from(InformationRequest)
        .where(InformationRequest.organisation_id == org, InformationRequest.status == RequestStatus.sent)
    )
    invoices = _count(
        sa.select(sa.func.count())
        .select_from(Invoice)
        .where(
            Invoice.organisation_id == org, Invoice.cancelled_on.is_(None), Invoice.paid_pence < Invoice.amount_pence
        )
    )
    assert q.get("actions.organisation", {}).get("count", 0) == own_actions
    assert q.get("reviews.actions", {}).get("count", 0) == review_actions
    assert q.get("reviews.requests", {}).get("count", 0) == requests
    assert q["budget.contributions"]["count"] <= invoices  # published budgets' invoices only
    assert "reviews.decisions" not in q and "budget.overdue" not in q


def test_subgroup_chair_sees_their_groups(api_as, demo):
    person = demo.user("sarchair").person_id
    on = today()
    chaired = sa.select(Membership.group_id).where(
        Membership.person_id == person,
        Membership.role.in_((MembershipRole.chair, MembershipRole.vice_chair)),
        Membership.start_date <= on,
        sa.or_(Membership.end_date.is_(None), Membership.end_date >= on),
    )
    actions = _count(
        sa.select(sa.func.count())
        .select_from(Action)
        .where(Action.group_id.in_(chaired), Action.status.in_(OPEN_STATUSES))
    )
    meetings = _count(
        sa.select(sa.func.count())
        .select_from(Meeting)
        .where(
            Meeting.group_id.in_(chaired),
            Meeting.state.in_((MeetingState.scheduled, MeetingState.papers_published)),
            Meeting.meeting_date >= on,
            Meeting.meeting_date <= on + timedelta(days=56),
        )
    )
    q = _queue(api_as, "sarchair")
    assert actions
    assert q["actions.chaired_groups"]["count"] == actions
    assert q.get("meetings.chaired", {}).get("count", 0) == meetings


def test_every_count_comes_from_one_select(demo, app):
    """`evaluate` issues exactly one statement for all of a role's counts."""
    statements = []

    def before(conn, cursor, statement, *args):
        statements.append(statement)

    for who in ("office", "chair", "police", "sarchair"):
        user = demo.user(who)
        items = home.items_for(user)
        assert len(items) >= 3
        statements.clear()
        sa.event.listen(db.engine, "before_cursor_execute", before)
        try:
            home.evaluate(user, items)
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", before)
        assert len(statements) == 1, who


def test_home_and_queue_queries_do_not_grow_with_the_data(client_as, api_as, demo, count_queries):
    clients = {
        (who, url): (client_as if url == "/home" else api_as)(who)
        for who in ("office", "chair", "police", "sarchair", "viewer")
        for url in ("/home", "/api/v1/me/queue")
    }
    counts: dict = {}
    for size in (0, 15):
        if size:
            _grow(demo, size)
        for key, c in clients.items():
            with count_queries() as q:
                assert c.get(key[1]).status_code == 200
            counts.setdefault(key, []).append(q.count)
    for key, (small, large) in counts.items():
        assert large == small and large <= 8, (key, small, large)


def test_the_queue_needs_a_signed_in_user(client):
    r = client.get("/api/v1/me/queue")
    assert r.status_code == 401 and r.content_type.startswith("application/problem+json")


def test_a_count_key_cannot_be_declared_twice():
    import pytest

    with pytest.raises(ValueError):
        home.count({home.Role.admin}, 1, "Again", "main.home", "", lambda u: None, key="partnership.organisations")


def test_annual_report_items_for_the_chair_and_a_writer(api_as, demo):
    from safeguarding.models import AnnualReport, AnnualReportState
    from safeguarding.services import annual

    submitted = _count(
        sa.select(sa.func.count()).select_from(AnnualReport).where(AnnualReport.state == AnnualReportState.submitted)
    )
    assert submitted == 1  # the demo's 2025/26 report
    q = _queue(api_as, "chair")
    assert q["annual.to_review"]["count"] == submitted and q["annual.to_review"]["kind"] == "approval"
    assert "annual.to_write" not in _queue(api_as, "icb")
    report = annual.start_report(2019, demo.user("office"))
    section = annual.section_by_key(report, "next_year")
    annual.assign_writer(
        report,
        section,
        demo.user("office"),
        version=report.version,
        person_id=demo.user("icb").person_id,
        due_on=today() + timedelta(days=7),
    )
    assert _queue(api_as, "icb")["annual.to_write"]["count"] == 1
    annual.edit_section(report, section, demo.user("icb"), version=report.version, text="Written")
    assert "annual.to_write" not in _queue(api_as, "icb")
