"""The URLs the benchmark times, as (role, url). Features add theirs here."""

from __future__ import annotations

import sqlalchemy as sa

from safeguarding.calendar import financial_year_label, today
from safeguarding.models import (
    AccessRequest,
    AccessRequestState,
    BriefingState,
    Budget,
    Complaint,
    Dispute,
    DisputeState,
    Group,
    Invoice,
    LearningBriefing,
    Meeting,
    MeetingState,
    Minutes,
    Organisation,
    Person,
    Review,
    ReviewRecommendation,
    Role,
    StrategicPlan,
    User,
)

OFFICE = Role.business_office
CHAIR = Role.independent_chair
PARTNER = Role.partner_member


def pages(session) -> list[tuple[Role, str]]:
    org = session.scalar(sa.select(Organisation.id).order_by(Organisation.id))
    group = session.scalar(sa.select(Group.id).order_by(Group.id))
    person = session.scalar(sa.select(Person.id).order_by(Person.id))
    # The review with the most recommendations (and so actions), and an open one.
    planned = session.scalar(
        sa.select(ReviewRecommendation.review_id)
        .group_by(ReviewRecommendation.review_id)
        .order_by(sa.func.count().desc(), ReviewRecommendation.review_id)
    )
    open_review = session.scalar(sa.select(Review.id).where(Review.state == "in_review").order_by(Review.id))
    return [
        (OFFICE, "/home"),
        (OFFICE, "/organisations"),
        (OFFICE, f"/organisations/{org}"),
        (OFFICE, "/people"),
        (OFFICE, "/people?page=20"),
        (OFFICE, f"/people/{person}"),
        (OFFICE, "/groups"),
        (OFFICE, f"/groups/{group}"),
        (OFFICE, "/api/v1/organisations"),
        (OFFICE, "/api/v1/people?per_page=100"),
        (OFFICE, "/api/v1/groups"),
        (OFFICE, f"/api/v1/groups/{group}/memberships"),
        (OFFICE, "/actions"),
        (OFFICE, "/actions?status=all"),
        (OFFICE, "/api/v1/actions?per_page=100"),
        (OFFICE, "/reviews"),
        (OFFICE, "/reviews/all"),
        (OFFICE, "/reviews/all?status=closed&page=5"),
        (OFFICE, "/reviews/requests?status=all"),
        (OFFICE, "/reviews/timeliness?year=2024-25"),
        (OFFICE, f"/reviews/{planned}"),
        (OFFICE, f"/reviews/{open_review}"),
        (Role.independent_chair, "/reviews"),
        (OFFICE, "/api/v1/reviews?per_page=100"),
        (OFFICE, f"/api/v1/reviews/{planned}/recommendations"),
        (OFFICE, "/api/v1/information-requests?per_page=100"),
        (OFFICE, "/api/v1/reports/review-timeliness?year=2024-25"),
        (OFFICE, "/actions?source=review"),
        (OFFICE, "/findings"),
        (OFFICE, "/findings?q=information+sharing&theme=information_sharing"),
        (Role.viewer, "/findings?q=hoarding"),
        (OFFICE, "/api/v1/findings?per_page=100&q=risk+assessment"),
        (OFFICE, "/api/v1/reports/learning?year=2024-25"),
        *_briefings(session),
        *_disputes(session),
        *_budget(session),
        *meeting_pages(session),
        *attendance_pages(session),
        *_workplans(session),
        *home_pages(session),
        *role_pages(session),
        *office_pages(session),
        *search_pages(),
    ]


def _workplans(session) -> list[tuple[Role, str]]:
    from safeguarding.models import WorkPlan, WorkPlanItem

    plan = session.scalar(sa.select(WorkPlan.id).order_by(WorkPlan.financial_year.desc(), WorkPlan.id)) or 1
    item = (
        session.scalar(sa.select(WorkPlanItem.id).where(WorkPlanItem.work_plan_id == plan).order_by(WorkPlanItem.id))
        or 1
    )
    year = session.scalar(sa.select(sa.func.max(WorkPlan.financial_year))) or 2025
    label = f"{year}-{str(year + 1)[-2:]}"
    return [
        (OFFICE, "/workplans"),
        (OFFICE, "/workplans?year=all"),
        (OFFICE, f"/workplans/{plan}"),
        (OFFICE, f"/workplans/items/{item}"),
        (OFFICE, f"/workplans/partnership?year={label}"),
        (OFFICE, f"/workplans/partnership?year={label}&arm=adults&area=north"),
        (OFFICE, "/workplans/business-plans"),
        (Role.viewer, "/workplans/business-plans"),
        (OFFICE, "/api/v1/work-plans?per_page=100"),
        (OFFICE, f"/api/v1/work-plans/{plan}/items"),
        (OFFICE, f"/api/v1/work-plan-items/{item}/updates"),
    ]


def home_pages(session) -> list[tuple[Role, str]]:
    """Every role's home page and queue (one SELECT of counts each), and the annual reports."""
    from safeguarding.models import AnnualReport

    out = [
        (role, url) for role in (OFFICE, CHAIR, PARTNER, Role.subgroup_chair) for url in ("/home", "/api/v1/me/queue")
    ]
    out.append((OFFICE, "/annual-reports"))
    report = session.scalar(sa.select(AnnualReport.id).order_by(AnnualReport.financial_year.desc()).limit(1))
    if report:
        out += [(OFFICE, f"/annual-reports/{report}"), (OFFICE, f"/api/v1/annual-reports/{report}/sections")]
    return out


def _disputes(session) -> list[tuple[Role, str]]:
    dispute = (
        session.scalar(sa.select(Dispute.id).where(Dispute.state == DisputeState.meeting_convened).order_by(Dispute.id))
        or 1
    )
    held = session.scalar(sa.select(Dispute.id).where(Dispute.state == DisputeState.resolved).order_by(Dispute.id)) or 1
    complaint = session.scalar(sa.select(Complaint.id).order_by(Complaint.id)) or 1
    return [
        (OFFICE, "/disputes"),
        (OFFICE, "/disputes?status=all"),
        (OFFICE, "/disputes?status=all&page=5"),
        (PARTNER, "/disputes?status=all"),
        (OFFICE, f"/disputes/{dispute}"),
        (CHAIR, f"/disputes/{dispute}/meeting"),
        (OFFICE, f"/disputes/{held}"),
        (OFFICE, "/complaints?status=all"),
        (OFFICE, f"/complaints/{complaint}"),
        (OFFICE, "/api/v1/disputes?all=true&per_page=100"),
        (PARTNER, "/api/v1/disputes?all=true&per_page=100"),
        (OFFICE, f"/api/v1/disputes/{dispute}/agenda-agreements"),
        (OFFICE, "/api/v1/complaints?all=true&per_page=100"),
        (CHAIR, "/home"),
    ]


def _budget(session) -> list[tuple[Role, str]]:
    year = session.scalar(sa.select(sa.func.max(Budget.financial_year)))
    if year is None:
        return []
    label = financial_year_label(year)
    invoice = session.scalar(sa.select(Invoice.id).order_by(Invoice.id.desc()))
    org = session.scalar(sa.select(Invoice.organisation_id).order_by(Invoice.id.desc()))
    partner = session.scalar(sa.select(User.organisation_id).where(User.email == "partner_member@bench.example"))
    return [
        (OFFICE, "/budget"),
        (OFFICE, f"/budget/{label}"),
        (OFFICE, f"/budget/{label}/contributions"),
        (OFFICE, f"/budget/{label}/spend"),
        (OFFICE, f"/budget/{label}/monitoring"),
        (OFFICE, f"/budget/{label}/monitoring.xlsx"),
        (OFFICE, "/budget/invoices"),
        (OFFICE, "/budget/invoices?status=overdue"),
        (OFFICE, f"/budget/invoices/{invoice}"),
        (OFFICE, f"/budget/organisations/{org}"),
        (Role.partner_member, f"/budget/organisations/{partner}"),
        (Role.partner_member, "/home"),
        (OFFICE, f"/api/v1/reports/budget-monitoring?year={label}"),
        (OFFICE, f"/api/v1/reports/budget-monitoring?year={label}&format=csv"),
        (OFFICE, "/api/v1/invoices?per_page=100"),
        (OFFICE, "/api/v1/spend?per_page=100"),
        (OFFICE, "/api/v1/contribution-agreements?per_page=100"),
    ]


def meeting_pages(session) -> list[tuple[Role, str]]:
    """The meeting list, a Board meeting's page and register (the latest held, and the
    next), minutes, and the meetings API."""
    board = session.scalar(sa.select(Group.id).where(Group.kind == "board").order_by(Group.id))
    held = session.scalar(
        sa.select(Meeting.id)
        .where(Meeting.group_id == board, Meeting.state == MeetingState.closed)
        .order_by(Meeting.meeting_date.desc())
        .limit(1)
    )
    upcoming = (
        session.scalar(
            sa.select(Meeting.id)
            .where(Meeting.group_id == board, Meeting.meeting_date >= today())
            .order_by(Meeting.meeting_date)
            .limit(1)
        )
        or held
    )
    minutes = session.scalar(sa.select(Minutes.id).where(Minutes.meeting_id == held))
    return [
        (OFFICE, "/meetings"),
        (OFFICE, "/meetings?when=past"),
        (OFFICE, "/meetings?when=past&page=40"),
        (OFFICE, f"/meetings?when=all&group={board}"),
        (OFFICE, f"/meetings/{held}"),
        (OFFICE, f"/meetings/{upcoming}"),
        (OFFICE, f"/meetings/{held}/attendance"),
        (OFFICE, f"/meetings/{upcoming}/attendance"),
        (OFFICE, "/minutes"),
        (OFFICE, f"/minutes/{minutes}"),
        (OFFICE, "/chair-actions"),
        (OFFICE, "/declarations"),
        (Role.partner_member, "/meetings?when=past"),
        (Role.viewer, "/minutes"),
        (OFFICE, "/api/v1/meetings?per_page=100"),
        (OFFICE, f"/api/v1/meetings/{held}/attendance"),
        (OFFICE, "/api/v1/minutes?per_page=100"),
    ]


def attendance_pages(session) -> list[tuple[Role, str]]:
    """The escalations list and an escalation's page, the Board's attendance report (12
    months and the whole ten years) and the API."""
    from safeguarding.models import Escalation

    board = session.scalar(sa.select(Group.id).where(Group.kind == "board").order_by(Group.id))
    escalation = session.scalar(sa.select(Escalation.id).order_by(Escalation.id.desc())) or 1
    return [
        (OFFICE, "/attendance/escalations"),
        (OFFICE, "/attendance/escalations?state=all&page=3"),
        (OFFICE, f"/attendance/escalations/{escalation}"),
        (OFFICE, f"/attendance/report?group={board}"),
        (OFFICE, f"/attendance/report?group={board}&from=2016-04-01"),
        (PARTNER, f"/attendance/report?group={board}"),
        (OFFICE, "/api/v1/escalations?state=all&per_page=100"),
        (OFFICE, f"/api/v1/reports/attendance?group={board}"),
    ]


def role_pages(session) -> list[tuple[Role, str]]:
    """The pages each of the other roles lives in: a partner member's reviews and actions,
    the viewer's home, the chair's minutes, the audit log and the administrator's pages."""
    from safeguarding.models import Meeting as M

    minutes = session.scalar(
        sa.select(Minutes.id).join(M, M.id == Minutes.meeting_id).order_by(M.meeting_date.desc()).limit(1)
    )
    return [
        (PARTNER, "/reviews"),
        (PARTNER, "/actions"),
        (PARTNER, "/actions?status=all"),
        (PARTNER, "/api/v1/actions?per_page=100"),
        (Role.viewer, "/home"),
        (Role.viewer, "/api/v1/me/queue"),
        (Role.subgroup_chair, "/actions"),
        (CHAIR, "/minutes"),
        (CHAIR, f"/minutes/{minutes}"),
        (CHAIR, "/actions?status=all"),
        (OFFICE, "/audit"),
        (OFFICE, "/audit?page=50"),
        (Role.admin, "/home"),
        (Role.admin, "/admin/users"),
        (OFFICE, "/jobs"),
        (OFFICE, "/outbox"),
    ]


def search_pages() -> list[tuple[Role, str]]:
    """One search across the records (issue 25), for each role that searches: common words
    (thousands of matches to count, a page to rank), filters, a later page, the API."""
    return [
        (OFFICE, "/search?q=safeguarding"),
        (OFFICE, "/search?q=board+meeting&order=relevance"),
        (OFFICE, "/search?q=review&type=actions&from=2020-04-01&to=2024-03-31&area=north"),
        (OFFICE, "/search?q=safeguarding&page=20"),
        (OFFICE, "/api/v1/search?q=action&per_page=100"),
        (CHAIR, "/search?q=minutes"),
        (PARTNER, "/search?q=review"),
        (PARTNER, "/api/v1/search?q=safeguarding&type=reviews&type=actions"),
        (Role.subgroup_chair, "/search?q=work+plan"),
        (Role.viewer, "/search?q=board"),
        (Role.viewer, "/search?q=safeguarding&order=relevance"),
    ]


def office_pages(session) -> list[tuple[Role, str]]:
    """The pages later features added: the risk register, the forward plan, information
    requests, budgets per arm (combined monitoring), the annual report's distribution,
    joint decisions, interests, arrangements, terms of reference and highlight reports."""
    from safeguarding.models import InformationRequest, Risk

    risk = session.scalar(sa.select(Risk.id).where(Risk.status == "open").order_by(Risk.id)) or 1
    request, review = session.execute(
        sa.select(InformationRequest.id, InformationRequest.review_id).order_by(InformationRequest.id.desc()).limit(1)
    ).one()
    subgroup = session.scalar(sa.select(Group.id).where(Group.kind == "subgroup").order_by(Group.id))
    board_meeting = session.scalar(
        sa.select(Meeting.id)
        .join(Group, Group.id == Meeting.group_id)
        .where(Group.kind == "board", Meeting.meeting_date >= today())
        .order_by(Meeting.meeting_date)
        .limit(1)
    )
    year = session.scalar(sa.select(sa.func.max(Budget.financial_year)))
    label = financial_year_label(year) if year else "2025-26"
    plan = session.scalar(sa.select(sa.func.max(StrategicPlan.id)))
    open_request = session.scalar(
        sa.select(AccessRequest.id).where(AccessRequest.state == AccessRequestState.open).order_by(AccessRequest.id)
    )
    return [
        (OFFICE, "/risks"),
        (OFFICE, f"/risks/{risk}"),
        (CHAIR, "/risks"),
        (OFFICE, "/api/v1/risks"),
        (OFFICE, f"/api/v1/risks/{risk}/history"),
        (OFFICE, "/forward-plan"),
        (OFFICE, "/api/v1/forward-plan"),
        (OFFICE, "/subject-access-requests?state=all"),
        (OFFICE, "/api/v1/subject-access-requests?state=all"),
        (OFFICE, "/strategic-plans"),
        (OFFICE, f"/strategic-plans/{plan}"),
        (OFFICE, f"/api/v1/strategic-plans/{plan}"),
        (Role.viewer, "/strategic-plans"),
        (OFFICE, f"/subject-access-requests/{open_request}/items"),
        (OFFICE, f"/api/v1/subject-access-requests/{open_request}"),
        (OFFICE, "/retention"),
        (OFFICE, "/holds?show=all"),
        (OFFICE, "/disposals"),
        (OFFICE, "/api/v1/disposals"),
        (OFFICE, "/api/v1/disposals/due"),
        (OFFICE, f"/reviews/{review}/requests/{request}"),
        (OFFICE, f"/budget/combined/{label}/monitoring"),
        (OFFICE, "/api/v1/budgets"),
        (OFFICE, "/api/v1/payments?per_page=100"),
        (OFFICE, "/annual-reports/distribution-list"),
        (OFFICE, "/joint-decisions"),
        (OFFICE, "/interests"),
        (OFFICE, "/arrangements"),
        (OFFICE, "/memorandum"),
        (PARTNER, "/decisions/awaiting-validation"),
        (OFFICE, "/workplans/tor-reviews"),
        (OFFICE, f"/workplans/highlight?group={subgroup}&meeting={board_meeting}"),
        (OFFICE, "/attendance/policies"),
        (OFFICE, "/api/v1/chair-actions"),
        (OFFICE, "/api/v1/declarations"),
    ]


def _briefings(session) -> list[tuple[Role, str]]:
    """The learning briefings: the list (the office's, a viewer's), the newest published
    one with its dissemination table, its confirmations."""
    newest = session.scalar(
        sa.select(LearningBriefing.id)
        .where(LearningBriefing.state == BriefingState.published)
        .order_by(LearningBriefing.published_on.desc(), LearningBriefing.id)
        .limit(1)
    )
    if newest is None:
        return [(OFFICE, "/briefings"), (OFFICE, "/learning-reviews"), (OFFICE, "/audits")]
    return [
        (OFFICE, "/briefings"),
        (OFFICE, "/briefings?page=3"),
        (Role.viewer, "/briefings"),
        (OFFICE, f"/briefings/{newest}"),
        (Role.viewer, f"/briefings/{newest}"),
        (OFFICE, "/api/v1/briefings?per_page=100"),
        (OFFICE, f"/api/v1/briefings/{newest}/confirmations"),
        (OFFICE, "/learning-reviews"),
        (OFFICE, "/audits"),
    ]
