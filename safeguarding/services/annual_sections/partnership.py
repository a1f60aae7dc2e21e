"""The annual report's built-in sections: what each member organisation did, the budget and
contributions, disputes and complaints, sub-group work plans and attendance escalations."""

from __future__ import annotations

from collections import Counter

import sqlalchemy as sa

from safeguarding.calendar import financial_year_bounds, financial_year_title
from safeguarding.extensions import db
from safeguarding.formatting import money
from safeguarding.models import (
    Action,
    ActionStatus,
    Arm,
    Budget,
    Complaint,
    ComplaintKind,
    ComplaintState,
    Dispute,
    DisputeState,
    Group,
    MeetingState,
)
from safeguarding.services import budget as budget_svc
from safeguarding.services.annual_sections.common import _pct, _plural
from safeguarding.services.annual_sections.meetings import _held_meetings, _org_names, attendance_by_organisation
from safeguarding.services.annual_sections.registry import ChartData, Figure, SectionData, Table, section
from safeguarding.services.budget.arithmetic import split_by_weights

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
    """The adults' Board's budget of the year, with its share of any joint budget."""
    return arm_budget_section(year, Arm.adults)


def _joint_share(year: int, which: Arm) -> tuple[Budget, int, dict[str, int]] | None:
    """The arm's share of the year's joint budget: (the joint budget, the share in basis
    points, its figures split to the penny by the largest remainder rule as the combined
    monitoring report splits them). None without a joint budget with shares."""
    joint = budget_svc.budget_for_year(year, Arm.both)
    if joint is None or joint.adults_share_bp is None:
        return None
    weights = [joint.adults_share_bp, joint.children_share_bp or 0]
    index = 0 if which == Arm.adults else 1
    m = budget_svc.monitoring(joint)
    figures = {
        f: split_by_weights(getattr(m, f), weights)[index] for f in ("budget_pence", "actual_pence", "forecast_pence")
    }
    return joint, weights[index], figures


def arm_budget_section(year: int, which: Arm) -> SectionData:
    """An arm's budget and contributions for the year (the adults' Board's for the annual
    report, the children's partnership's for its yearly report), and the arm's share of a
    joint budget for shared costs, which is reported beside it and never counted twice."""
    b = budget_svc.budget_for_year(year, which)
    whose = "the Board's" if which == Arm.adults else "the children's partnership's"
    joint = _joint_share(year, which)
    if b is None:
        summary = f"No budget of {whose} own was recorded for {financial_year_title(year)}."
        figures = [Figure("income", "Income", None, "money")]
        tables: list[Table] = []
        if joint is not None:
            figures.append(
                Figure("joint_share_budget", "Its share of the joint budget", joint[2]["budget_pence"], "money")
            )
            tables.append(_joint_table(joint))
            summary += f" Its share of the joint budget for shared costs was {money(joint[2]['budget_pence'])}."
        return SectionData(figures, tables, summary=summary)
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
    who = "The partnership's" if which == Arm.adults else "The children's partnership's"
    summary = (
        f"{who} income in {financial_year_title(year)} was {money(position.income_pence)}, of "
        f"which {money(s.totals.contributions_pence)} came from partners' contributions. It spent "
        f"{money(m.actual_pence)} against a budget of {money(m.budget_pence)} (forecast outturn "
        f"{money(m.forecast_pence)}). Reserves brought forward were "
        f"{money(position.reserves_brought_forward_pence)}."
    )
    if joint is not None:
        figures.append(Figure("joint_share_budget", "Its share of the joint budget", joint[2]["budget_pence"], "money"))
        tables.append(_joint_table(joint))
        summary += (
            f" Its share ({joint[1] / 100:g}%) of the joint budget for shared costs was "
            f"{money(joint[2]['budget_pence'])}, reported separately."
        )
    return SectionData(figures, tables, charts, summary)


def _joint_table(joint: tuple[Budget, int, dict[str, int]]) -> Table:
    _, share_bp, f = joint
    return Table(
        f"Share of the joint budget for shared costs ({share_bp / 100:g}%)",
        ["Budget", "Actual", "Forecast outturn"],
        [[f["budget_pence"], f["actual_pence"], f["forecast_pence"]]],
        ["money", "money", "money"],
    )


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
