"""The annual report's built-in data sections, each generated from the year's records
(see `safeguarding.services.annual` for the registry). Per arm and per area, a record
counts when its own arm or area is exactly that one (records for both arms or both areas
count in the whole partnership's figures only), so the parts never double count."""

from __future__ import annotations

from collections import Counter, defaultdict

import sqlalchemy as sa

from safeguarding.calendar import financial_year_bounds, financial_year_title, working_days
from safeguarding.extensions import db
from safeguarding.formatting import money
from safeguarding.models import (
    Action,
    ActionStatus,
    Area,
    Arm,
    Attendance,
    Complaint,
    ComplaintKind,
    ComplaintState,
    Dispute,
    DisputeState,
    Group,
    Meeting,
    MeetingState,
    Membership,
    Organisation,
    Review,
    ReviewKind,
    ReviewOutcome,
)
from safeguarding.models.meetings import REPRESENTED, AttendanceStatus
from safeguarding.models.reviews import ReviewRecommendation
from safeguarding.services import budget as budget_svc
from safeguarding.services import reviews as reviews_svc
from safeguarding.services.annual import ChartData, Figure, SectionData, Table, section


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _pct(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def _scope(arm: str | None, area: str | None) -> str:
    if arm:
        return {"adults": " for adults", "children": " for children"}[arm]
    if area:
        return f" in the {area.capitalize()} Council area"
    return ""


# --- meetings and attendance ---------------------------------------------------------------------


def _held_meetings(year: int, arm: str | None, area: str | None):
    start, end = financial_year_bounds(year)
    stmt = (
        sa.select(Meeting.id, Meeting.state, Group.name, Group.id.label("group_id"))
        .join(Group, Group.id == Meeting.group_id)
        .where(
            Meeting.meeting_date.between(start, end),
            Meeting.state.in_((MeetingState.closed, MeetingState.inquorate, MeetingState.cancelled)),
        )
    )
    if arm:
        stmt = stmt.where(Group.arm == Arm(arm))
    if area:
        stmt = stmt.where(Group.area == Area(area))
    return list(db.session.execute(stmt.order_by(Group.name)))


def attendance_by_organisation(meeting_ids: list[int]) -> dict[int, tuple[int, int]]:
    """organisation id → (meetings represented, seats expected) over the given meetings."""
    if not meeting_ids:
        return {}
    rows = db.session.execute(
        sa.select(Membership.organisation_id, Attendance.status)
        .join(Membership, Membership.id == Attendance.membership_id)
        .where(Attendance.meeting_id.in_(meeting_ids), Membership.organisation_id.is_not(None))
    )
    out: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for org_id, status in rows:
        out[org_id][1] += 1
        if AttendanceStatus(status) in REPRESENTED:
            out[org_id][0] += 1
    return {k: (v[0], v[1]) for k, v in out.items()}


def _org_names() -> dict[int, str]:
    return {k: v for k, v in db.session.execute(sa.select(Organisation.id, Organisation.name))}


@section("meetings", 30, "Board and sub-group meetings")
def meetings_section(year: int, *, arm: str | None, area: str | None) -> SectionData:
    rows = _held_meetings(year, arm, area)
    held = [r for r in rows if r.state != MeetingState.cancelled]
    quorate = sum(1 for r in held if r.state == MeetingState.closed)
    cancelled = len(rows) - len(held)
    by_group: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for r in rows:
        g = by_group[r.name]
        if r.state == MeetingState.cancelled:
            g[2] += 1
        else:
            g[0] += 1
            g[1] += r.state == MeetingState.closed
    attendance = attendance_by_organisation([r.id for r in held])
    names = _org_names()
    att_rows = sorted(((names.get(o, "?"), a, e, _pct(a, e)) for o, (a, e) in attendance.items()), key=lambda x: x[0])
    figures = [
        Figure("held", "Meetings held", len(held)),
        Figure("quorate", "Quorate meetings", quorate),
        Figure("inquorate", "Inquorate meetings", len(held) - quorate),
        Figure("cancelled", "Meetings cancelled", cancelled),
        Figure(
            "attendance_rate",
            "Attendance (seats represented)",
            _pct(sum(a for _, a, _, _ in att_rows), sum(e for _, _, e, _ in att_rows)),
            "percent",
        ),
    ]
    tables = [
        Table(
            "Meetings by group",
            ["Group", "Held", "Quorate", "Cancelled"],
            [[g, *v] for g, v in sorted(by_group.items())],
            ["text", "number", "number", "number"],
        ),
        Table(
            "Attendance by partner organisation",
            ["Organisation", "Seats represented", "Seats expected", "Attendance"],
            [list(r) for r in att_rows],
            ["text", "number", "number", "percent"],
        ),
    ]
    short = {k: v for k, v in db.session.execute(sa.select(Organisation.name, Organisation.short_name))}
    charts = (
        [
            ChartData(
                "Attendance by partner organisation (per cent of seats represented)",
                [short.get(r[0]) or r[0] for r in att_rows],
                [("Attendance", [r[3] or 0 for r in att_rows])],
                "percent",
            )
        ]
        if att_rows
        else []
    )
    summary = (
        f"{_plural(len(held), 'meeting')} of the Board and its groups took place{_scope(arm, area)} in "
        f"{financial_year_title(year)}, {quorate} of them quorate"
        + (f"; {cancelled} {'was' if cancelled == 1 else 'were'} cancelled" if cancelled else "")
        + "."
    )
    if att_rows:
        summary += f" Partners were represented at {figures[4].value}% of the seats they held."
    return SectionData(figures, tables, charts, summary)


# --- Safeguarding Adults Reviews ---------------------------------------------------------------


def _reviews(kind: ReviewKind, year: int, area: str | None) -> list[Review]:
    _, end = financial_year_bounds(year)
    stmt = sa.select(Review).where(Review.kind == kind, Review.received_on <= end)
    if area:
        stmt = stmt.where(Review.area == Area(area))
    return list(db.session.scalars(stmt.order_by(Review.reference)))


def _between(d, start, end) -> bool:
    return d is not None and start <= d <= end


def _recommendations(review_ids: list[int]) -> dict[int, list[ReviewRecommendation]]:
    out: dict[int, list[ReviewRecommendation]] = defaultdict(list)
    if review_ids:
        for rec in db.session.scalars(
            sa.select(ReviewRecommendation)
            .where(ReviewRecommendation.review_id.in_(review_ids))
            .order_by(ReviewRecommendation.number)
        ):
            out[rec.review_id].append(rec)
    return out


def _action_status_by_review(review_ids: list[int]) -> dict[int, Counter]:
    out: dict[int, Counter] = defaultdict(Counter)
    if review_ids:
        rows = db.session.execute(
            sa.select(ReviewRecommendation.review_id, Action.status, sa.func.count())
            .join(ReviewRecommendation, ReviewRecommendation.id == Action.source_id)
            .where(Action.source_type == "review", ReviewRecommendation.review_id.in_(review_ids))
            .group_by(ReviewRecommendation.review_id, Action.status)
        )
        for review_id, status, n in rows:
            out[review_id][ActionStatus(status).value] += n
    return out


@section("sars", 50, "Safeguarding Adults Reviews", breakdown=("arm", "area"), arms=("adults",))
def sars_section(year: int, *, arm: str | None, area: str | None) -> SectionData:
    """Care Act 2014 Schedule 2 para 4 (d)–(g): findings of SARs concluded in the year,
    SARs ongoing at year end, what was done to implement findings, reasons for not
    implementing a finding; with referrals by source, decisions and timeliness."""
    if arm == "children":
        return SectionData(summary="Safeguarding Adults Reviews concern adults.")
    start, end = financial_year_bounds(year)
    t = reviews_svc.timeliness(year, area)
    reviews = _reviews(ReviewKind.sar, year, area)
    received = [r for r in reviews if _between(r.received_on, start, end)]
    sources = Counter(r.referral_source.strip() or "Not recorded" for r in received)
    decided = [r for r in reviews if _between(r.decided_on, start, end) and r.decision is not None]
    concluded = [r for r in reviews if _between(r.publication_decided_on, start, end)]
    ongoing = [
        r
        for r in reviews
        if r.decision is not None
        and ReviewOutcome(r.decision).commissions
        and r.decided_on
        and r.decided_on <= end
        and not (r.publication_decided_on and r.publication_decided_on <= end)
    ]
    recs = _recommendations([r.id for r in concluded])
    statuses = _action_status_by_review([r.id for r in concluded + ongoing])
    d = t["decisions"]["sar"]
    actions = t["actions"]
    timing = t["timeliness"]
    figures = [
        Figure("referrals", "Referrals received", len(received)),
        Figure("mandatory", "Decided: mandatory SAR", d["mandatory"]),
        Figure("discretionary", "Decided: discretionary SAR", d["discretionary"]),
        Figure("not_commissioned", "Decided: not commissioned", d["not_commissioned"]),
        Figure("concluded", "SARs concluded in the year", len(concluded)),
        Figure("ongoing", "SARs ongoing at year end", len(ongoing)),
        Figure("findings", "Findings of SARs concluded", sum(len(recs[r.id]) for r in concluded)),
        Figure("actions_implemented", "Actions implemented in the year", actions["implemented"]),
        Figure("actions_not_implemented", "Decisions not to implement a finding", actions["not_implemented"]),
        Figure(
            "median_referral_to_decision",
            "Median days from referral to decision",
            timing["referral_to_decision"]["sar"]["median_days"],
            "days",
        ),
    ]
    tables = [
        Table(
            "Referrals by source",
            ["Source", "Referrals"],
            [[s, n] for s, n in sorted(sources.items())],
            ["text", "number"],
        ),
        Table(
            "Decisions made in the year",
            ["Review", "Decision", "Reason"],
            [[r.reference, ReviewOutcome(r.decision).label, r.decision_reason or ""] for r in decided],
            ["text", "text", "text"],
        ),
        Table(
            "Findings of SARs concluded in the year (Schedule 2 (d))",
            ["Review", "Finding"],
            [[r.reference, f"{rec.number}. {rec.text}"] for r in concluded for rec in recs[r.id]],
            ["text", "text"],
        ),
        Table(
            "SARs ongoing at year end (Schedule 2 (e))",
            ["Review", "Decided on", "Stage"],
            [[r.reference, r.decided_on.isoformat() if r.decided_on else "", r.state.label] for r in ongoing],
            ["text", "date", "text"],
        ),
        Table(
            "What was done to implement findings (Schedule 2 (f))",
            ["Review", "Actions completed", "Actions open", "Not implemented"],
            [
                [
                    r.reference,
                    statuses[r.id]["completed"],
                    statuses[r.id]["open"] + statuses[r.id]["in_progress"] + statuses[r.id]["completion_claimed"],
                    statuses[r.id]["not_implemented"],
                ]
                for r in concluded + ongoing
            ],
            ["text", "number", "number", "number"],
        ),
        Table(
            "Reasons for decisions not to implement a finding (Schedule 2 (g))",
            ["Review", "Action", "Organisation", "Reason"],
            [
                [a["reference"], a["title"], a["organisation"], a["reason"] or ""]
                for a in actions["not_implemented_reasons"]
            ],
            ["text", "text", "text", "text"],
        ),
        Table(
            "Timeliness (median days, paused time left out)",
            ["Stage", "Reviews", "Median days"],
            [
                [label, timing[m]["sar"]["count"], timing[m]["sar"]["median_days"]]
                for m, label in (
                    ("referral_to_decision", "Referral to decision"),
                    ("decision_to_draft", "Decision to draft report"),
                    ("draft_to_publication", "Draft report to publication"),
                )
            ],
            ["text", "number", "days"],
        ),
    ]
    summary = (
        f"The partnership received {_plural(len(received), 'referral')} for a Safeguarding Adults Review"
        f"{_scope(None, area)} in {financial_year_title(year)} and commissioned "
        f"{d['mandatory'] + d['discretionary']} ({d['mandatory']} mandatory, {d['discretionary']} "
        f"discretionary); {d['not_commissioned']} did not meet the criteria or were not commissioned. "
        f"{_plural(len(concluded), 'SAR')} concluded in the year with "
        f"{_plural(figures[6].value or 0, 'finding')}; {len(ongoing)} {'was' if len(ongoing) == 1 else 'were'} "
        f"ongoing at the end of the year. {_plural(actions['implemented'], 'action')} to implement findings "
        f"{'was' if actions['implemented'] == 1 else 'were'} completed"
        + (
            f", and {actions['not_implemented']} {'was' if actions['not_implemented'] == 1 else 'were'} "
            f"not implemented, for the reasons given."
            if actions["not_implemented"]
            else "."
        )
    )
    return SectionData(figures, tables, [], summary)


# --- Child Safeguarding Practice Reviews ------------------------------------------------------------


@section("csprs", 60, "Child Safeguarding Practice Reviews", breakdown=("arm", "area"), arms=("children",))
def csprs_section(year: int, *, arm: str | None, area: str | None) -> SectionData:
    if arm == "adults":
        return SectionData(summary="Child Safeguarding Practice Reviews concern children.")
    start, end = financial_year_bounds(year)
    reviews = _reviews(ReviewKind.cspr, year, area)
    cal = working_days()
    notified = [r for r in reviews if _between(r.notified_on, start, end)]
    rapid = [r for r in reviews if _between(r.rapid_review_sent_on, start, end)]
    in_time = [r for r in rapid if r.notified_on and r.rapid_review_sent_on <= cal.add(r.notified_on, 15)]
    commissioned = [r for r in reviews if _between(r.decided_on, start, end) and r.decision == ReviewOutcome.lcspr]
    published = [r for r in reviews if _between(r.published_on, start, end)]
    figures = [
        Figure("notifications", "Serious incidents notified to the national panel", len(notified)),
        Figure("rapid_reviews", "Rapid reviews completed", len(rapid)),
        Figure("rapid_in_time", "Rapid reviews within 15 working days", len(in_time)),
        Figure("rapid_in_time_rate", "Rapid reviews on time", _pct(len(in_time), len(rapid)), "percent"),
        Figure("lcsprs_commissioned", "Local reviews (LCSPRs) commissioned", len(commissioned)),
        Figure("lcsprs_published", "LCSPRs published", len(published)),
    ]
    tables = [
        Table(
            "Rapid reviews in the year",
            ["Review", "Notified on", "Rapid review sent on", "Within 15 working days"],
            [
                [
                    r.reference,
                    r.notified_on.isoformat() if r.notified_on else "",
                    r.rapid_review_sent_on.isoformat(),
                    "Yes" if r in in_time else "No",
                ]
                for r in rapid
            ],
            ["text", "date", "date", "text"],
        ),
        Table(
            "LCSPRs published in the year",
            ["Review", "Published on"],
            [[r.reference, r.published_on.isoformat()] for r in published],
            ["text", "date"],
        ),
    ]
    summary = (
        f"{_plural(len(notified), 'serious incident')}{_scope(None, area)} "
        f"{'was' if len(notified) == 1 else 'were'} notified to the national panel in "
        f"{financial_year_title(year)}. {_plural(len(rapid), 'rapid review')} "
        f"{'was' if len(rapid) == 1 else 'were'} completed, {len(in_time)} within 15 working days. "
        f"{_plural(len(commissioned), 'local child safeguarding practice review')} "
        f"{'was' if len(commissioned) == 1 else 'were'} commissioned and {len(published)} published."
    )
    return SectionData(figures, tables, [], summary)


# --- what each member organisation did (Schedule 2 (c)) ----------------------------------------------


@section("members", 40, "What each member organisation did", breakdown=())
def members_section(year: int, *, arm: str | None, area: str | None) -> SectionData:
    start, end = financial_year_bounds(year)
    held = [r.id for r in _held_meetings(year, None, None) if r.state != MeetingState.cancelled]
    attendance = attendance_by_organisation(held)
    completed = {
        k: v
        for k, v in db.session.execute(
            sa.select(Action.owner_organisation_id, sa.func.count())
            .where(Action.status == ActionStatus.completed, Action.completed_on.between(start, end))
            .group_by(Action.owner_organisation_id)
        )
    }
    b = budget_svc.budget_for_year(year)
    agreed: dict[int, int] = {}
    paid: dict[int, int] = {}
    if b is not None:
        agreements = budget_svc.agreements_of(b)
        balances = budget_svc.balances_by_agreement(agreements)
        for a in agreements:
            agreed[a.organisation_id] = agreed.get(a.organisation_id, 0) + a.amount_pence
            paid[a.organisation_id] = paid.get(a.organisation_id, 0) + balances[a.id].paid_pence
    names = _org_names()
    orgs = sorted(set(attendance) | set(completed) | set(agreed), key=lambda o: names.get(o, ""))
    rows = [
        [
            names.get(o, "?"),
            attendance.get(o, (0, 0))[0],
            attendance.get(o, (0, 0))[1],
            _pct(*attendance[o]) if o in attendance else None,
            completed.get(o, 0),
            agreed.get(o, 0),
            paid.get(o, 0),
        ]
        for o in orgs
    ]
    figures = [
        Figure("organisations", "Member organisations", len(orgs)),
        Figure("actions_completed", "Actions completed by members", sum(completed.values())),
        Figure("contributions_agreed", "Contributions agreed", sum(agreed.values()), "money"),
        Figure("contributions_paid", "Contributions paid", sum(paid.values()), "money"),
    ]
    table = Table(
        "Each member organisation's attendance, actions and contributions",
        [
            "Organisation",
            "Seats represented",
            "Seats expected",
            "Attendance",
            "Actions completed",
            "Contribution agreed",
            "Contribution paid",
        ],
        rows,
        ["text", "number", "number", "percent", "number", "money", "money"],
    )
    summary = (
        f"{_plural(len(orgs), 'member organisation')} took part in {financial_year_title(year)}. Between them "
        f"they completed {_plural(sum(completed.values()), 'action')} and paid "
        f"{money(sum(paid.values()))} of the {money(sum(agreed.values()))} of contributions agreed."
    )
    return SectionData(figures, [table], [], summary)


# --- budget ------------------------------------------------------------------------------------------


@section("budget", 70, "Budget and contributions", breakdown=())
def budget_section(year: int, *, arm: str | None, area: str | None) -> SectionData:
    b = budget_svc.budget_for_year(year)
    if b is None:
        return SectionData(
            [Figure("income", "Income", None, "money")],
            summary=f"No budget was recorded for {financial_year_title(year)}.",
        )
    s = budget_svc.summary(b)
    m = budget_svc.monitoring(b)
    position = budget_svc.year_end_position(b, s)
    balances = budget_svc.balances_by_agreement(s.agreements)
    income_rows = [[a.organisation.name, a.amount_pence, balances[a.id].paid_pence] for a in s.agreements]
    income_rows += [[i.name, i.amount_pence, None] for i in s.income]
    spend_rows = [[r.line.name, r.budget_pence, r.actual_pence, r.forecast_pence, r.variance_pence] for r in m.rows]
    figures = [
        Figure("income", "Income (contributions and other income)", position.income_pence, "money"),
        Figure("contributions", "Contributions agreed", s.totals.contributions_pence, "money"),
        Figure("expenditure_budget", "Expenditure budget", m.budget_pence, "money"),
        Figure("actual", "Actual spend", m.actual_pence, "money"),
        Figure("outturn", "Forecast outturn", m.forecast_pence, "money"),
        Figure(
            "reserves_brought_forward", "Reserves brought forward", position.reserves_brought_forward_pence, "money"
        ),
        Figure(
            "reserves_carried_forward",
            "Reserves carried forward",
            b.reserves_carried_forward_pence
            if b.reserves_carried_forward_pence is not None
            else position.reserves_carried_forward_pence,
            "money",
        ),
    ]
    tables = [
        Table("Income by partner", ["Source", "Agreed", "Paid"], income_rows, ["text", "money", "money"]),
        Table(
            "Expenditure by line",
            ["Line", "Budget", "Actual", "Forecast outturn", "Variance"],
            spend_rows,
            ["text", "money", "money", "money", "money"],
        ),
    ]
    charts = (
        [
            ChartData(
                f"Budget, forecast outturn and actual spend by line, {financial_year_title(year)}",
                [r[0] for r in spend_rows],
                [
                    ("Budget", [r[1] for r in spend_rows]),
                    ("Forecast outturn", [r[3] for r in spend_rows]),
                    ("Actual", [r[2] for r in spend_rows]),
                ],
                "money",
            )
        ]
        if spend_rows
        else []
    )
    summary = (
        f"The partnership's income in {financial_year_title(year)} was {money(position.income_pence)}, of "
        f"which {money(s.totals.contributions_pence)} came from partners' contributions. It spent "
        f"{money(m.actual_pence)} against a budget of {money(m.budget_pence)} (forecast outturn "
        f"{money(m.forecast_pence)}). Reserves brought forward were "
        f"{money(position.reserves_brought_forward_pence)}."
    )
    return SectionData(figures, tables, charts, summary)


# --- disputes and complaints ----------------------------------------------------------------------


@section("disputes", 80, "Disputes and complaints", breakdown=())
def disputes_section(year: int, *, arm: str | None, area: str | None) -> SectionData:
    start, end = financial_year_bounds(year)
    raised = list(
        db.session.execute(
            sa.select(Dispute.state, Dispute.breach_recorded_on).where(Dispute.raised_on.between(start, end))
        )
    )
    states = Counter(DisputeState(s) for s, _ in raised)
    breaches = sum(1 for _, b in raised if b is not None)
    complaints = list(
        db.session.execute(sa.select(Complaint.kind, Complaint.state).where(Complaint.received_on.between(start, end)))
    )
    kinds = Counter(ComplaintKind(k) for k, _ in complaints)
    cstates = Counter(ComplaintState(s) for _, s in complaints)
    figures = [
        Figure("disputes", "Disputes raised", len(raised)),
        Figure("resolved", "Disputes resolved", states[DisputeState.resolved]),
        Figure("escalated", "Disputes escalated to chief executives", states[DisputeState.escalated]),
        Figure("withdrawn", "Disputes withdrawn", states[DisputeState.withdrawn]),
        Figure("late_meetings", "Joint meetings after the 28-day deadline", breaches),
        Figure("complaints", "Complaints received", len(complaints)),
        Figure("complaints_partnership", "About the operation of the partnership", kinds[ComplaintKind.partnership]),
        Figure(
            "complaints_member", "About a member organisation's service (referred)", kinds[ComplaintKind.member_service]
        ),
    ]
    tables = [
        Table(
            "Disputes raised in the year, by where they stand",
            ["Stage", "Disputes"],
            [[s.label, states[s]] for s in DisputeState if states[s]],
            ["text", "number"],
        ),
        Table(
            "Complaints received in the year, by where they stand",
            ["Stage", "Complaints"],
            [[s.label, cstates[s]] for s in ComplaintState if cstates[s]],
            ["text", "number"],
        ),
    ]
    summary = (
        f"{_plural(len(raised), 'dispute')} between partners {'was' if len(raised) == 1 else 'were'} raised "
        f"in {financial_year_title(year)}: {states[DisputeState.resolved]} resolved, "
        f"{states[DisputeState.escalated]} escalated to chief executives. The partnership received "
        f"{_plural(len(complaints), 'complaint')}, {kinds[ComplaintKind.partnership]} about its own operation."
    )
    return SectionData(figures, tables, [], summary)


# --- sub-group work plans -------------------------------------------------------------------------


@section("workplans", 45, "Sub-group achievements against their work plans", breakdown=())
def workplans_section(year: int, *, arm: str | None, area: str | None) -> SectionData:
    from safeguarding.services import workplans as workplans_svc

    per_group = workplans_svc.year_summary(year)
    names = (
        dict(db.session.execute(sa.select(Group.id, Group.name).where(Group.id.in_(per_group))).all())
        if per_group
        else {}
    )
    rows = sorted(per_group.items(), key=lambda kv: names.get(kv[0], ""))
    total = sum(c["total"] for c in per_group.values())
    done = sum(c["completed"] for c in per_group.values())
    carried = sum(c["carried_forward"] for c in per_group.values())
    red = sum(c.get("red", 0) for c in per_group.values())
    amber = sum(c.get("amber", 0) for c in per_group.values())
    green = sum(c.get("green", 0) for c in per_group.values())
    figures = [
        Figure("plans", "Sub-groups with a work plan", len(per_group)),
        Figure("items", "Work plan items", total),
        Figure("completed", "Items completed", done),
        Figure("completed_percent", "Items completed (%)", _pct(done, total), "percent"),
        Figure("carried_forward", "Items carried forward into next year", carried),
        Figure("red", "Items rated red", red),
        Figure("amber", "Items rated amber", amber),
        Figure("green", "Items rated green", green),
    ]
    table = Table(
        "Work plan items by sub-group",
        ["Sub-group", "Items", "Completed", "Carried forward", "Red", "Amber", "Green"],
        [
            [
                names.get(g, f"Group {g}"),
                c["total"],
                c["completed"],
                c["carried_forward"],
                c.get("red", 0),
                c.get("amber", 0),
                c.get("green", 0),
            ]
            for g, c in rows
        ],
        ["text", "number", "number", "number", "number", "number", "number"],
    )
    chart = ChartData(
        "Work plan items by rating, per sub-group",
        [names.get(g, f"Group {g}") for g, _ in rows],
        [
            ("Completed", [c["completed"] for _, c in rows]),
            ("Green", [c.get("green", 0) for _, c in rows]),
            ("Amber", [c.get("amber", 0) for _, c in rows]),
            ("Red", [c.get("red", 0) for _, c in rows]),
        ],
    )
    summary = (
        f"In {financial_year_title(year)} {_plural(len(per_group), 'sub-group')} worked to a plan of "
        f"{_plural(total, 'item')}: {done} completed ({_pct(done, total) or 0}%), {carried} carried forward "
        f"into the next year, {red} red and {amber} amber at the time these figures were taken."
    )
    return SectionData(figures, [table], [chart] if rows else [], summary)


# --- attendance escalations -------------------------------------------------------------------------


@section("escalations", 85, "Attendance escalations", breakdown=())
def escalations_section(year: int, *, arm: str | None, area: str | None) -> SectionData:
    from safeguarding.models import Escalation, EscalationState

    start, end = financial_year_bounds(year)
    rows = list(
        db.session.execute(
            sa.select(Escalation.organisation_id, Escalation.state, Escalation.sent_on).where(
                Escalation.detected_on.between(start, end)
            )
        )
    )
    states = Counter(EscalationState(s) for _, s, _ in rows)
    sent = sum(1 for _, _, on in rows if on is not None)
    by_org = Counter(org for org, _, _ in rows)
    names = _org_names() if by_org else {}
    figures = [
        Figure("escalations", "Persistent non-attendance escalations", len(rows)),
        Figure("letters_sent", "Letters sent by the chair to chief executives", sent),
        Figure("resolved", "Resolved", states[EscalationState.resolved]),
        Figure("escalated_to_board", "Escalated to the Board", states[EscalationState.escalated_to_board]),
        Figure("withdrawn", "Withdrawn", states[EscalationState.withdrawn]),
    ]
    tables = [
        Table(
            "Escalations detected in the year, by organisation",
            ["Organisation", "Escalations"],
            [
                [names.get(o, f"Organisation {o}"), n]
                for o, n in sorted(by_org.items(), key=lambda kv: names.get(kv[0], ""))
            ],
            ["text", "number"],
        ),
        Table(
            "Escalations detected in the year, by where they stand",
            ["Stage", "Escalations"],
            [[s.label, states[s]] for s in EscalationState if states[s]],
            ["text", "number"],
        ),
    ]
    summary = (
        f"In {financial_year_title(year)} persistent non-attendance led to "
        f"{_plural(len(rows), 'escalation')} involving {_plural(len(by_org), 'organisation')}; the chair wrote to "
        f"{_plural(sent, 'chief executive')}, {states[EscalationState.resolved]} resolved and "
        f"{states[EscalationState.escalated_to_board]} escalated to the Board."
    )
    return SectionData(figures, tables, [], summary)
