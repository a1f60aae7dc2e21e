"""Pages and API lists use a bounded number of SQL queries whatever the data size
(the benchmark, bench/, measures time at scale; here we pin the query counts)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.support.factories import MembershipFactory, OrganisationFactory, PersonFactory

BUDGET = 15


def _pages(demo):
    org, group, person = demo.org("police").id, demo.group("board").id, demo.person("chair").id
    membership = demo.membership("board", "police_lead").id
    return [
        "/home",
        "/organisations",
        f"/organisations/{org}",
        f"/organisations/{org}/edit",
        "/people",
        f"/people/{person}",
        "/groups",
        f"/groups/{group}",
        f"/groups/{group}/memberships/new",
        f"/memberships/{membership}/edit",
        "/admin/users",
        "/outbox",
        "/outbox/send-again?all=failed",
        "/outbox/discard-held",
        "/jobs",
        "/api/v1/organisations",
        f"/api/v1/organisations/{org}",
        "/api/v1/people",
        "/api/v1/groups",
        f"/api/v1/groups/{group}/memberships",
        f"/api/v1/organisations/{org}/history",
        "/actions",
        "/actions?status=all&overdue=1",
        f"/actions/{demo.id('actions', 'icb_progress')}",
        "/api/v1/actions?status=open",
        "/audit",
        "/audit?page=2",
        "/joint-decisions",
        "/memorandum",
        "/api/v1/chair-actions",
        *[
            url
            for url in _review_pages(demo)
            if not url.startswith(("/reviews/", "/api/v1/reviews/"))
            or url.startswith(("/reviews/all", "/reviews/requests", "/reviews/timeliness"))
        ],
        *_dispute_pages(demo),
        *_budget_pages(demo),
        *_meeting_pages(demo),
        *_office_pages(demo),
        *_attendance_pages(demo),
        *_arrangements_pages(demo),
        *_library_pages(demo),
        *SEARCH_PAGES,
    ]


# The search (issue 25): a word in many kinds of record, filtered, by relevance, a page on.
SEARCH_PAGES = [
    "/search",
    "/search?q=safeguarding",
    "/search?q=board+meeting&type=meetings&type=minutes&area=north&from=2020-01-01&to=2026-12-31",
    "/search?q=safeguarding&order=relevance&page=2",
    "/api/v1/search?q=safeguarding&per_page=100",
    "/api/v1/search?q=police&type=reviews&type=actions",
]


def _library_pages(demo):
    finding, review = demo.id("findings", "closed_0"), demo.id("reviews", "closed")
    return [
        "/findings",
        "/findings?q=hoarding&theme=self_neglect&arm=adults&from=2017-01-01&to=2026-12-31",
        "/findings?page=2",
        f"/findings/{finding}",
        f"/findings/{finding}/edit",
        f"/reviews/{review}/findings/new",
        "/api/v1/findings?per_page=200",
        "/api/v1/findings?q=information+sharing&domain=team_around_person",
        f"/api/v1/findings/{finding}",
        "/reaudits",
        "/reaudits?state=all",
        f"/reaudits/{demo.id('reaudits', 'none')}",
        f"/reaudits/{demo.id('reaudits', 'clear')}",
        f"/reviews/{demo.id('reviews_older', 'sar_2024')}/recommendations/{_first_recommendation(demo)}/findings",
        "/api/v1/reaudits",
        "/api/v1/reports/learning?year=2024-25",
        "/api/v1/reports/learning?year=2024-25&format=csv",
        "/api/v1/learning-reviews",
        "/api/v1/audits",
        *_briefing_pages(demo),
        "/learning-reviews",
        f"/learning-reviews/{demo.id('learning_sources', 'LR 2021/01')}/edit",
        f"/learning-reviews/{demo.id('learning_sources', 'LR 2021/01')}/findings/new",
        "/learning-reviews/new",
        "/audits",
        f"/audits/{demo.id('learning_sources', 'MAA 2026/01')}/edit",
        f"/audits/{demo.id('learning_sources', 'MAA 2026/01')}/findings/new",
        "/audits/new",
    ]


def _briefing_pages(demo):
    published, draft = demo.id("briefings", "audit"), demo.id("briefings", "draft")
    return [
        "/briefings",
        "/briefings?state=draft&page=1",
        f"/briefings/{published}",
        f"/briefings/{draft}",
        f"/briefings/{draft}/edit",
        f"/briefings/{draft}/publish",
        f"/briefings/{published}/confirm",
        f"/briefings/new?review={demo.id('reviews', 'published')}",
        f"/briefings/new?audit={demo.id('learning_sources', 'MAA 2023/01')}",
        "/api/v1/briefings?per_page=200",
        f"/api/v1/briefings/{published}",
        f"/api/v1/briefings/{published}/confirmations",
    ]


def _first_recommendation(demo):
    from safeguarding.extensions import db
    from safeguarding.models import Reaudit

    return db.session.get(Reaudit, demo.id("reaudits", "clear")).recommendation_id


def _arrangements_pages(demo):
    north = demo.id("safeguarding_partners", "north")
    return [
        "/arrangements",
        "/arrangements/edit",
        "/arrangements/partners/new",
        f"/arrangements/partners/{north}/edit",
        "/api/v1/arrangements",
    ]


def _attendance_pages(demo):
    drafted, board = demo.id("escalations", "drafted"), demo.group("board").id
    return [
        "/attendance/escalations",
        "/attendance/escalations?state=all",
        f"/attendance/escalations/{drafted}",
        f"/attendance/escalations/{drafted}/letter",
        f"/attendance/escalations/{drafted}/letter/edit_letter",
        "/attendance/policies",
        f"/attendance/policies/{board}",
        f"/attendance/report?group={board}",
        f"/attendance/report?group={board}&from=2020-04-01&to=2026-11-23",
        "/api/v1/escalations?state=all",
        f"/api/v1/escalations/{drafted}",
        f"/api/v1/escalations/{drafted}/history",
        "/api/v1/attendance-policies",
        f"/api/v1/reports/attendance?group={board}",
        *_workplan_pages(demo),
    ]


def _workplan_pages(demo):
    plan, item = demo.id("work_plans", "sar_2026"), demo.id("work_plan_items", "sar_2026_amber")
    bp, group, upcoming = demo.id("business_plans", "2026"), demo.group("sar").id, demo.id("meetings", "board_upcoming")
    return [
        "/workplans",
        "/workplans?year=all",
        f"/workplans/{plan}",
        f"/workplans/{demo.id('work_plans', 'qp_2026')}",
        f"/workplans/items/{item}",
        "/workplans/business-plans",
        f"/workplans/business-plans/{bp}",
        "/workplans/partnership?year=2026-27",
        "/workplans/partnership?year=2026-27&arm=adults&area=north",
        "/workplans/tor-reviews?year=2026-27",
        f"/workplans/highlight?group={group}&meeting={upcoming}",
        f"/workplans/{plan}/items/new",
        "/api/v1/business-plans",
        f"/api/v1/business-plans/{bp}/priorities",
        "/api/v1/work-plans",
        f"/api/v1/work-plans/{plan}",
        f"/api/v1/work-plans/{plan}/items",
        f"/api/v1/work-plans/{plan}/history",
        f"/api/v1/work-plan-items/{item}/updates",
        f"/api/v1/reports/highlight?group={group}&meeting={upcoming}",
        *_annual_pages(demo),
    ]


def _annual_pages(demo):
    report = demo.id("annual_reports", "2025-26")
    yearly = demo.id("annual_reports", "2025-26-children")  # published, sent to the Panel and Foundations
    published = demo.id("annual_reports", "2024-25")  # agreed by the Board, published, sent to its recipients
    north = demo.org("north").id
    return [
        "/annual-reports",
        f"/annual-reports/{report}",
        "/api/v1/annual-reports",
        f"/api/v1/annual-reports/{report}",
        f"/api/v1/annual-reports/{report}/sections",
        f"/api/v1/annual-reports/{report}/history",
        f"/annual-reports/{yearly}",
        f"/api/v1/annual-reports/{yearly}",
        f"/annual-reports/{published}",
        f"/api/v1/annual-reports/{published}",
        f"/api/v1/annual-reports/{published}/recipients",
        "/annual-reports/distribution-list",
        f"/annual-reports/distribution-list/{north}/leader",
        "/api/v1/me/queue",
    ]


def _dispute_pages(demo):
    dispute, complaint = demo.id("disputes", "convened"), demo.id("complaints", "partnership")
    return [
        "/disputes",
        "/disputes?status=all",
        f"/disputes/{dispute}",
        f"/disputes/{dispute}/meeting",
        f"/disputes/{dispute}/agenda",
        f"/disputes/{demo.id('disputes', 'resolved')}",
        "/complaints?status=all",
        f"/complaints/{complaint}",
        "/api/v1/disputes?all=true",
        f"/api/v1/disputes/{dispute}",
        f"/api/v1/disputes/{dispute}/agenda-agreements",
        "/api/v1/complaints?all=true",
        f"/api/v1/complaints/{complaint}",
    ]


def _review_pages(demo):
    gathering, in_review = demo.id("reviews", "gathering"), demo.id("reviews", "in_review")
    request = demo.id("review_requests", "police_returned")
    lcspr = demo.id("reviews", "cspr_report_sent")
    return [
        "/reviews",
        "/reviews/all",
        "/reviews/all?kind=sar&status=open",
        "/reviews/requests?status=all",
        "/reviews/timeliness?year=2026-27",
        f"/reviews/{gathering}",
        f"/reviews/{in_review}",
        f"/reviews/{gathering}/requests/{request}",
        f"/reviews/{lcspr}",
        f"/reviews/{lcspr}/report-sent-to-panel",
        "/calendar/closure-days",
        "/api/v1/reviews?per_page=200",
        f"/api/v1/reviews/{gathering}",
        f"/api/v1/reviews/{gathering}/history",
        f"/api/v1/reviews/{gathering}/information-requests",
        f"/api/v1/reviews/{in_review}/recommendations",
        f"/api/v1/reviews/{lcspr}",
        "/api/v1/information-requests?per_page=200",
        "/api/v1/reports/review-timeliness?year=2026-27",
    ]


def _budget_pages(demo):
    west_invoice, west = demo.id("invoices", "west"), demo.org("west").id
    return [
        "/budget",
        "/budget/2020-21",
        "/budget/2021-22",
        "/budget/2020-21/contributions",
        "/budget/invoices",
        "/budget/invoices?status=overdue",
        f"/budget/invoices/{west_invoice}",
        f"/budget/organisations/{west}",
        "/budget/2020-21/spend",
        "/budget/2020-21/spend/new",
        "/budget/2020-21/monitoring",
        "/budget/2020-21/monitoring.xlsx",
        "/budget/2020-21/contributions.csv",
        "/api/v1/budgets",
        "/api/v1/budgets/2020-21",
        "/api/v1/budgets/2020-21/lines",
        "/api/v1/contribution-agreements",
        "/api/v1/invoices",
        "/api/v1/payments",
        "/api/v1/spend?year=2020-21",
        "/api/v1/reports/budget-monitoring?year=2020-21",
        "/budget/2026-27-children",
        "/budget/2026-27-children/contributions",
        "/budget/2026-27-children/scheme",
        "/budget/2020-21/scheme",
        "/budget/combined/2026-27/monitoring",
        "/budget/combined/2020-21/monitoring.csv",
        "/budget/2020-21/invoices.xlsx",
        f"/budget/invoices/{west_invoice}/reference",
        "/api/v1/budgets/2026-27-children/scheme",
        "/api/v1/reports/budget-monitoring?year=2026-27&arm=all",
        "/api/v1/reports/invoices?year=2020-21",
    ]


def _office_pages(demo):
    upcoming, paper = demo.id("meetings", "board_upcoming"), demo.id("papers", "board_december_budget")
    return [
        f"/meetings/{upcoming}/papers/{paper}/cover-sheet",
        f"/api/v1/meetings/{upcoming}/papers/{paper}/cover-sheet",
        "/risks",
        "/risks?status=all&rag=red",
        f"/risks/{demo.id('risks', 'funding')}",
        f"/risks/{demo.id('risks', 'funding')}/edit",
        "/risks/new",
        "/api/v1/risks",
        f"/api/v1/risks/{demo.id('risks', 'funding')}/history",
        "/forward-plan?year=2026-27",
        "/api/v1/forward-plan?year=2026-27",
        "/subject-access-requests",
        "/subject-access-requests?state=all",
        f"/subject-access-requests/{demo.id('access_requests', 'extended')}",
        f"/subject-access-requests/{demo.id('access_requests', 'open')}/extend",
        f"/subject-access-requests/{demo.id('access_requests', 'open')}/items",
        f"/api/v1/subject-access-requests/{demo.id('access_requests', 'open')}",
        f"/api/v1/subject-access-requests/{demo.id('access_requests', 'open')}/items",
        "/api/v1/subject-access-requests?state=all",
        "/retention",
        "/retention/finance/edit",
        "/api/v1/retention/classes",
        "/holds?show=all",
        "/holds/new",
        f"/holds/{demo.id('holds', 'iicsa')}/lift",
        "/api/v1/holds?show=all",
        "/disposals",
        "/disposals/new",
        f"/disposals/{demo.id('disposals', 'approved')}",
        f"/disposals/{demo.id('disposals', 'approved')}/approve",
        "/api/v1/disposals",
        "/api/v1/disposals?format=csv",
        "/api/v1/disposals/due",
        "/api/v1/disposal-batches",
        f"/api/v1/disposal-batches/{demo.id('disposals', 'approved')}",
        "/imports",
        "/strategic-plans",
        "/strategic-plans/new",
        f"/strategic-plans/{demo.id('strategic_plans', '2026')}",
        f"/strategic-plans/{demo.id('strategic_plans', '2026')}/objectives",
        f"/strategic-plans/{demo.id('strategic_plans', '2026')}/commitments",
        f"/strategic-plans/{demo.id('strategic_plans', '2026')}/consultations",
        f"/strategic-plans/{demo.id('strategic_plans', '2026')}/agree",
        f"/strategic-plans/{demo.id('strategic_plans', '2026')}/publish",
        "/api/v1/strategic-plans",
        f"/api/v1/strategic-plans/{demo.id('strategic_plans', '2026')}",
    ]


def _meeting_pages(demo):
    held, upcoming = demo.id("meetings", "board_2026_10"), demo.id("meetings", "board_upcoming")
    return [
        "/meetings",
        "/meetings?when=past",
        f"/meetings/{held}",
        f"/meetings/{upcoming}",
        f"/meetings/{held}/attendance",
        f"/meetings/{upcoming}/attendance",
        f"/minutes/{demo.id('minutes', 'ratified')}",
        "/minutes",
        "/chair-actions",
        "/declarations",
        "/interests",
        "/interests/return",
        "/api/v1/interest-returns",
        "/api/v1/meetings",
        f"/api/v1/meetings/{held}",
        f"/api/v1/meetings/{held}/attendance",
        f"/api/v1/meetings/{held}/decisions",
        "/api/v1/minutes",
        "/api/v1/declarations",
    ]


def _grow_meetings(demo, n: int) -> None:
    """n more meetings, and n more agenda items with papers and declarations on the next
    Board meeting (the new Board members above also join every register)."""
    import io
    from datetime import date, timedelta

    from werkzeug.datastructures import FileStorage

    from safeguarding.extensions import db
    from safeguarding.models import Meeting
    from safeguarding.services import meetings, storage

    office = demo.user("office")
    upcoming = db.session.get(Meeting, demo.id("meetings", "board_upcoming"))
    start = date(2028, 1, 4) + timedelta(days=7 * len(meetings.agenda_of(upcoming)))
    for i in range(n):
        meetings.schedule_meeting(group_id=demo.group("sar").id, meeting_date=start + timedelta(days=7 * i))
        item = meetings.add_agenda_item(upcoming, title=f"Grown item {i}")
        stored = storage.save_upload(
            FileStorage(io.BytesIO(b"%PDF-1.4\n%%EOF\n"), filename="grown.pdf"), purpose="meeting_paper"
        )
        meetings.attach_paper(item, stored, title=f"Grown paper {i}")
        meetings.declare_interest(item, user=office, person_id=demo.person("police_lead").id, nature="Grown")


def _grow(demo, n: int) -> None:
    """Add n more organisations, people, board memberships and actions with progress."""
    from datetime import date

    from safeguarding.models import ActionSource
    from safeguarding.services import actions

    board = demo.group("board")
    for _ in range(n):
        org = OrganisationFactory()
        person = PersonFactory(organisation=org)
        MembershipFactory(group=board, person=person, organisation=org, deputy=PersonFactory(organisation=org))
        a = actions.create_action(
            title="Grown action",
            owner_organisation_id=org.id,
            due_date=date(2026, 1, 1),
            source_type=ActionSource.meeting,
            group_id=board.id,
        )
        actions.add_update(a, demo.user("office"), text="Progress", progress=10)
        _grow_disputes(demo, org)
        _grow_reviews(demo, org)
        _grow_budget(org)
        _grow_attendance(demo, org)
    _grow_meetings(demo, n)
    _grow_workplans(demo, n)


def _grow_workplans(demo, n: int) -> None:
    """n more items with updates on the SAR 2026/27 plan, and n more plans (other years)."""
    from datetime import date

    from safeguarding.extensions import db
    from safeguarding.models import ProgressUpdate, WorkPlan, WorkPlanItem
    from safeguarding.services import workplans

    plan = db.session.get(WorkPlan, demo.id("work_plans", "sar_2026"))
    priority = workplans.priorities_of(demo.id("business_plans", "2026"))[0]
    for i in range(n):
        item = WorkPlanItem(
            work_plan_id=plan.id,
            priority_id=priority.id,
            title=f"Grown item {i}",
            lead_organisation_id=demo.org("police").id,
            lead_person_id=demo.person("police_lead").id,
            due_date=date(2027, 1, 1),
            success_measure="Grown",
        )
        db.session.add(item)
        db.session.flush()
        db.session.add(ProgressUpdate(item_id=item.id, text="Grown", percent=10, author_id=demo.user("office").id))
        db.session.add(WorkPlan(group_id=demo.group("pp").id, financial_year=2100 + i))
    db.session.flush()


def _grow_attendance(demo, org) -> None:
    """An escalation about the new organisation (listed with the demo's)."""
    from datetime import date

    from safeguarding.extensions import db
    from safeguarding.models import Escalation, EscalationTrigger, Meeting

    start = db.session.get(Meeting, demo.id("meetings", "board_2026_10"))
    db.session.add(
        Escalation(
            organisation_id=org.id,
            group_id=start.group_id,
            episode_start_meeting_id=start.id,
            detected_on=date(2026, 10, 20),
            trigger_reason=EscalationTrigger.consecutive,
            missed_meetings=[{"meeting_id": start.id, "date": "2026-10-20"}],
            letter_text="Grown.",
        )
    )


def _grow_disputes(demo, org) -> None:
    """A determined dispute with the police, its agenda answered, and a complaint."""
    from datetime import date

    from safeguarding.models import ComplaintKind
    from safeguarding.services import complaints, disputes
    from safeguarding.workflows.disputes import dispute_lifecycle

    office = demo.user("office")
    d = disputes.raise_dispute(
        office,
        subject="Grown dispute",
        summary="Grown",
        party_organisation_ids=[org.id, demo.org("police").id],
        raised_on=date(2026, 11, 1),
    )
    dispute_lifecycle.fire(d, "determine", user=office, version=d.version, params={"determined_on": date(2026, 11, 2)})
    disputes.draft_agenda(d, office, version=d.version, text="Grown agenda")
    disputes.record_agenda_response(d, demo.user("police"), agenda_revision=1, response="agreed")
    complaints.log_complaint(
        office,
        kind=ComplaintKind.member_service,
        received_on=date(2026, 11, 2),
        complainant_name="Grown",
        complainant_contact="grown@example.com",
        summary="Grown",
        organisation_id=org.id,
    )


def _grow_reviews(demo, org) -> None:
    """Another review, and more requests, pauses, events, recommendations and actions on
    the demo's reviews (rows added directly: this measures reading them)."""
    from datetime import date

    from safeguarding.extensions import db
    from safeguarding.models import (
        ActionSource,
        InformationRequest,
        ReviewAgency,
        ReviewEvent,
        ReviewPause,
        ReviewRecommendation,
    )
    from safeguarding.services import actions, reviews

    office = demo.user("office")
    reviews.refer_sar(
        office,
        initials="ZZ",
        age_band="45_64",
        area="north",
        harm_date=date(2026, 1, 1),
        summary="Grown",
        referral_source="Grown",
        agency_ids=[org.id],
    )
    gathering, in_review = demo.id("reviews", "gathering"), demo.id("reviews", "in_review")
    db.session.add_all(
        [
            InformationRequest(
                review_id=gathering,
                organisation_id=org.id,
                request="Grown",
                sent_on=date(2026, 10, 1),
                due_on=date(2026, 10, 29),
                condition_1=True,
                condition_2=True,
                condition_3=True,
            ),
            InformationRequest(
                review_id=gathering,
                organisation_id=demo.org("police").id,
                request="Grown",
                sent_on=date(2026, 10, 1),
                due_on=date(2026, 10, 29),
            ),
            ReviewAgency(review_id=gathering, organisation_id=org.id, added_on=date(2026, 10, 1)),
            ReviewEvent(review_id=in_review, kind="panel_meeting", held_on=date(2026, 8, 1)),
            # Zero-length pauses: more rows to read, deadlines unmoved.
            ReviewPause(
                review_id=in_review,
                started_on=date(2026, 7, 1),
                ended_on=date(2026, 7, 1),
                process="inquest",
                reason="Grown",
                expected_resume_on=date(2026, 7, 2),
            ),
        ]
    )
    number = (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(ReviewRecommendation)
            .where(ReviewRecommendation.review_id == in_review)
        )
        + 1
    )
    rec = ReviewRecommendation(review_id=in_review, number=number, text="Grown")
    db.session.add(rec)
    db.session.flush()
    for owner in (org.id, demo.org("police").id):
        actions.create_action(
            title="Grown review action",
            owner_organisation_id=owner,
            due_date=date(2027, 1, 1),
            source_type=ActionSource.review,
            source_id=rec.id,
            source_label="SAR",
            group_id=demo.group("sar").id,
            restricted=True,
        )


def _grow_budget(org) -> None:
    """A contribution (with its variation), an invoice part paid, and spend in 2020/21."""
    from datetime import date

    from safeguarding.models import SAR_AUTHORS_LINE
    from safeguarding.services import budget

    b = budget.budget_for_year(2020)
    agreement = budget.add_agreement(
        b,
        organisation_id=org.id,
        kind="fixed",
        fixed_pence=1_000_00,
        variation=budget.Variation("Joined", "Partnership Board", date(2020, 6, 1)),
    )
    invoice = budget.raise_invoice(agreement, issued_on=date(2020, 7, 1))
    budget.record_payment(invoice, amount_pence=400_00, received_on=date(2020, 7, 20))
    c = budget.record_commitment(
        financial_year=2020,
        line_name=SAR_AUTHORS_LINE,
        amount_pence=500_00,
        supplier="Reviewer",
        reference=f"PO-{org.id}",
        committed_on=date(2020, 8, 1),
        description="",
    )
    budget.record_spend_against_commitment(c.id, amount_pence=100_00, spent_on=date(2020, 9, 1), reference="I")


@pytest.mark.parametrize("who", ["office", "admin"])
def test_pages_stay_within_the_query_budget_as_data_grows(client_as, demo, count_queries, who):
    c = client_as(who)
    counts: dict[str, list[int]] = {}
    for size in (0, 25):
        if size:
            _grow(demo, size)
        for url in _pages(demo):
            with count_queries() as q:
                r = c.get(url)
            if r.status_code == 403:
                continue
            assert r.status_code == 200, url
            counts.setdefault(url, []).append(q.count)
    for url, (small, large) in counts.items():
        assert large <= BUDGET, f"{url}: {large} queries"
        assert large == small, f"{url}: {small} queries with the demo, {large} with 25 more organisations"


@pytest.mark.parametrize("who", ["office", "sarchair", "police"])
def test_review_pages_stay_within_the_budget_for_the_sub_group_and_agencies(client_as, demo, count_queries, who):
    c = client_as(who)
    counts: dict[str, list[int]] = {}
    for size in (0, 25):
        if size:
            _grow(demo, size)
        for url in _review_pages(demo):
            with count_queries() as q:
                r = c.get(url)
            if r.status_code in (403, 404):
                continue
            assert r.status_code == 200, url
            counts.setdefault(url, []).append(q.count)
    assert len(counts) >= 8
    for url, (small, large) in counts.items():
        assert large <= BUDGET, f"{url}: {large} queries"
        assert large == small, f"{url}: {small} queries with the demo, {large} with 25 more reviews"


def _role_pages(demo, who: str) -> list[str]:
    """The pages bench/pages.py times for the roles other than the office's: a partner
    member's reviews and actions, the viewer's home, the chair's minutes, a sub-group chair's
    actions (each role's home and queue too)."""
    minutes = demo.id("minutes", "approved")
    common = ["/home", "/api/v1/me/queue"]
    return {
        "police": [
            *common,
            "/reviews",
            "/actions",
            "/actions?status=all",
            "/api/v1/actions?per_page=100",
            "/meetings?when=past",
            "/disputes?status=all",
            "/decisions/awaiting-validation",
            *SEARCH_PAGES,
        ],
        "viewer": [
            *common,
            "/minutes",
            "/workplans/business-plans",
            "/briefings",
            f"/briefings/{demo.id('briefings', 'audit')}",
            *SEARCH_PAGES,
        ],
        "chair": [
            *common,
            "/minutes",
            "/actions?status=all",
            "/reviews",
            "/risks",
            f"/minutes/{minutes}",
            *SEARCH_PAGES,
        ],
        "sarchair": [*common, "/actions", "/reviews", *SEARCH_PAGES],
        "admin": [*common, "/admin/users"],
    }[who]


@pytest.mark.parametrize("who", ["police", "viewer", "chair", "sarchair", "admin"])
def test_each_role_s_pages_stay_within_the_budget_as_data_grows(client_as, demo, count_queries, who):
    c = client_as(who)
    counts: dict[str, list[int]] = {}
    for size in (0, 25):
        if size:
            _grow(demo, size)
        for url in _role_pages(demo, who):
            with count_queries() as q:
                r = c.get(url)
            assert r.status_code == 200, url
            counts.setdefault(url, []).append(q.count)
    for url, (small, large) in counts.items():
        assert large <= BUDGET, f"{url}: {large} queries"
        assert large == small, f"{url}: {small} queries with the demo, {large} with 25 more of everything"


def test_readyz_costs_a_few_statements_whatever_the_data(client, demo, count_queries):
    """The load balancer asks often: database, migrations, heartbeat and backlog in at most 4."""
    counts = []
    for size in (0, 25):
        if size:
            _grow(demo, size)
        with count_queries() as q:
            assert client.get("/readyz").status_code in (200, 503)
        counts.append(q.count)
    assert counts[0] == counts[1] <= 4, counts
