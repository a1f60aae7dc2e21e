"""Joint decisions of the children's safeguarding partners (Children Act 2004 s16E;
Working Together 2023): one question put to the partners, one answer per statutory
organisation from its lead or delegated safeguarding partner, carried only when every one
agrees. For a child's case the partners are those of the child's area (that council, the
ICB, the police); for partnership-wide matters all of them. A disagreement pauses the
decision and goes to the partners' dispute route; the partner may agree once it is
resolved. The independent chair and the scrutineer may comment; they do not decide.

What a carried decision does (commission a local review, sign a report off) belongs to the
feature that put the question: it registers `on_carried(subject)`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import sqlalchemy as sa

from safeguarding.calendar import today
from safeguarding.extensions import db
from safeguarding.formatting import long_date
from safeguarding.models import (
    Area,
    Arm,
    JointDecision,
    JointDecisionAnswer,
    JointDecisionComment,
    JointDecisionState,
    JointDecisionSubject,
    Review,
    Role,
    SafeguardingPartner,
)
from safeguarding.models.base import utcnow
from safeguarding.notify.outbox import queue_email, service_url
from safeguarding.services.disputes.commands import raise_dispute
from safeguarding.services.errors import Conflict, Forbidden, NotFound, StaleVersion, ValidationFailed

OPEN_STATES = (JointDecisionState.open, JointDecisionState.disputed)
# Who reads every joint decision; a safeguarding partner reads those put to their organisation.
READ_ALL = (Role.business_office, Role.independent_chair, Role.scrutineer)
COMMENTERS = {Role.independent_chair: "Independent chair", Role.scrutineer: "Independent scrutineer"}

CarriedFn = Callable[[JointDecision, Any], None]
_on_carried: dict[JointDecisionSubject, CarriedFn] = {}


def on_carried(subject: JointDecisionSubject) -> Callable[[CarriedFn], CarriedFn]:
    """Register what a carried decision on `subject` does: `fn(decision, user)`, in the
    transaction of the answer that carried it (`user` gave that answer)."""

    def register(fn: CarriedFn) -> CarriedFn:
        _on_carried[subject] = fn
        return fn

    return register


# --- the partners ---------------------------------------------------------------------------------


def partners_for(area: Area) -> list[SafeguardingPartner]:
    """The children's safeguarding partners who decide a matter of `area` (a child's area,
    or `both` for the partnership's own matters), by organisation name."""
    rows = db.session.scalars(
        sa.select(SafeguardingPartner).where(SafeguardingPartner.arm == Arm.children).order_by(SafeguardingPartner.id)
    )
    return sorted((p for p in rows if p.covers(area)), key=lambda p: p.organisation.name)


def capacities_of(user: Any) -> dict[int, str]:
    """The organisations `user` answers for as a safeguarding partner: {organisation id:
    "lead" or "delegate"}. Needs the role and to be named in the arrangements."""
    if not user.has_role(Role.safeguarding_partner) or user.person_id is None:
        return {}
    rows = db.session.scalars(
        sa.select(SafeguardingPartner).where(
            SafeguardingPartner.arm == Arm.children,
            sa.or_(
                SafeguardingPartner.lead_person_id == user.person_id,
                SafeguardingPartner.delegate_person_id == user.person_id,
            ),
        )
    )
    return {p.organisation_id: ("lead" if p.lead_person_id == user.person_id else "delegate") for p in rows}


def _emails_of(partners: list[SafeguardingPartner]) -> list[str]:
    emails = []
    for p in partners:
        person = p.delegate or p.lead
        if person is not None and person.email:
            emails.append(person.email)
    return emails


# --- reading ---------------------------------------------------------------------------------------


def visible_select(user: Any) -> sa.Select:
    stmt = sa.select(JointDecision)
    if user.has_role(*READ_ALL):
        return stmt
    orgs = list(capacities_of(user))
    if not orgs:
        return stmt.where(sa.false())
    # A partner sees the questions put to its organisation: partnership-wide ones, and a
    # child's case in an area it is a partner for.
    areas = {p.area for p in partners_for(Area.both) if p.organisation_id in orgs}
    if Area.both in areas:
        return stmt
    return stmt.where(JointDecision.area.in_([Area.both, *areas]))


def list_decisions(
    user: Any, *, subject: JointDecisionSubject | None = None, state: JointDecisionState | None = None
) -> list[JointDecision]:
    stmt = visible_select(user)
    if subject is not None:
        stmt = stmt.where(JointDecision.subject == subject)
    if state is not None:
        stmt = stmt.where(JointDecision.state == state)
    return list(db.session.scalars(stmt.order_by(JointDecision.put_on.desc(), JointDecision.id.desc())))


def get_decision(decision_id: int, user: Any) -> JointDecision:
    row = db.session.scalar(visible_select(user).where(JointDecision.id == decision_id))
    if row is None:
        raise NotFound("No such joint decision")
    return row


def answers_of(decision: JointDecision) -> list[JointDecisionAnswer]:
    return list(
        db.session.scalars(
            sa.select(JointDecisionAnswer)
            .where(JointDecisionAnswer.decision_id == decision.id)
            .order_by(JointDecisionAnswer.id)
        )
    )


def answers_and_comments(
    rows: list[JointDecision],
) -> tuple[dict[int, list[JointDecisionAnswer]], dict[int, list[JointDecisionComment]]]:
    """The answers and comments of a page of decisions, by decision id (two queries)."""
    ids = [d.id for d in rows]
    answers: dict[int, list[JointDecisionAnswer]] = {i: [] for i in ids}
    comments: dict[int, list[JointDecisionComment]] = {i: [] for i in ids}
    if ids:
        for a in db.session.scalars(
            sa.select(JointDecisionAnswer)
            .where(JointDecisionAnswer.decision_id.in_(ids))
            .order_by(JointDecisionAnswer.id)
        ):
            answers[a.decision_id].append(a)
        for c in db.session.scalars(
            sa.select(JointDecisionComment)
            .where(JointDecisionComment.decision_id.in_(ids))
            .order_by(JointDecisionComment.id)
        ):
            comments[c.decision_id].append(c)
    return answers, comments


def comments_of(decision: JointDecision) -> list[JointDecisionComment]:
    return list(
        db.session.scalars(
            sa.select(JointDecisionComment)
            .where(JointDecisionComment.decision_id == decision.id)
            .order_by(JointDecisionComment.id)
        )
    )


def review_references(rows: list[JointDecision]) -> dict[int, str]:
    """The case reference of each review the decisions are about (one query)."""
    ids = {d.review_id for d in rows if d.review_id is not None}
    if not ids:
        return {}
    return dict(db.session.execute(sa.select(Review.id, Review.reference).where(Review.id.in_(ids))).all())


def decisions_for(*, review_id: int | None = None, annual_report_id: int | None = None) -> list[JointDecision]:
    """The joint decisions put on a review or a yearly report, oldest first."""
    stmt = sa.select(JointDecision).order_by(JointDecision.id)
    if review_id is not None:
        stmt = stmt.where(JointDecision.review_id == review_id)
    if annual_report_id is not None:
        stmt = stmt.where(JointDecision.annual_report_id == annual_report_id)
    return list(db.session.scalars(stmt))


def carried(subject: JointDecisionSubject, *, review_id: int | None = None, annual_report_id: int | None = None):
    """The carried decision on `subject` for that review or report, or None."""
    return db.session.scalar(
        sa.select(JointDecision)
        .where(
            JointDecision.subject == subject,
            JointDecision.state == JointDecisionState.carried,
            JointDecision.review_id == review_id if review_id is not None else sa.true(),
            JointDecision.annual_report_id == annual_report_id if annual_report_id is not None else sa.true(),
        )
        .order_by(JointDecision.id.desc())
        .limit(1)
    )


def waiting_select(user: Any) -> sa.Select | None:
    """Open questions `user`'s organisations have not agreed (for the home page): built of
    subqueries only, so the home page's one SELECT holds it."""
    if not user.has_role(Role.safeguarding_partner) or user.person_id is None:
        return None
    mine = sa.select(SafeguardingPartner).where(
        SafeguardingPartner.arm == Arm.children,
        sa.or_(
            SafeguardingPartner.lead_person_id == user.person_id,
            SafeguardingPartner.delegate_person_id == user.person_id,
        ),
    )
    my_orgs = mine.with_only_columns(SafeguardingPartner.organisation_id)
    my_areas = mine.with_only_columns(SafeguardingPartner.area)
    answered = sa.select(JointDecisionAnswer.decision_id).where(
        JointDecisionAnswer.organisation_id.in_(my_orgs), JointDecisionAnswer.agree.is_(True)
    )
    return sa.select(sa.func.count(JointDecision.id)).where(
        JointDecision.state.in_(OPEN_STATES),
        JointDecision.id.not_in(answered),
        sa.or_(
            JointDecision.area == Area.both,
            JointDecision.area.in_(my_areas),
            sa.exists(mine.where(SafeguardingPartner.area == Area.both)),
        ),
    )


# --- putting a question -------------------------------------------------------------------------------


def put_question(
    subject: JointDecisionSubject,
    *,
    question: str,
    area: Area,
    due_on: date | None,
    user: Any,
    review_id: int | None = None,
    annual_report_id: int | None = None,
    proposal: dict[str, Any] | None = None,
) -> JointDecision:
    """Put a question to the safeguarding partners of `area` (all of them for `both`) and
    email each. Refused while the same question is still open."""
    errors: dict[str, str] = {}
    question = (question or "").strip()
    if not question:
        errors["question"] = "Enter the question put to the safeguarding partners"
    on = today()
    if due_on is None:
        errors["due_on"] = "Enter the date the answers are due"
    elif due_on < on:
        errors["due_on"] = "The date the answers are due must be today or in the future"
    partners = partners_for(area)
    if not partners:
        errors["area"] = "Record the safeguarding partners in the arrangements first"
    if errors:
        raise ValidationFailed(errors=errors)
    pending = db.session.scalar(
        sa.select(JointDecision.id).where(
            JointDecision.subject == subject,
            JointDecision.state.in_(OPEN_STATES),
            JointDecision.review_id.is_(None) if review_id is None else JointDecision.review_id == review_id,
            (
                JointDecision.annual_report_id.is_(None)
                if annual_report_id is None
                else JointDecision.annual_report_id == annual_report_id
            ),
        )
    )
    if pending is not None:
        raise Conflict("This question is already with the safeguarding partners")
    decision = JointDecision(
        subject=subject,
        question=question,
        area=area,
        proposal=dict(proposal or {}),
        review_id=review_id,
        annual_report_id=annual_report_id,
        state=JointDecisionState.open,
        put_on=on,
        due_on=due_on,
        put_by_id=getattr(user, "id", None),
    )
    db.session.add(decision)
    db.session.flush()
    emails = _emails_of(partners)
    if emails:
        queue_email(
            emails,
            f"Joint decision JD-{decision.id}: your answer is needed",
            "joint_decision_put",
            {
                "number": f"JD-{decision.id}",
                "subject": subject.label,
                "question": question,
                "due_on": long_date(due_on),
                "link": service_url("joint_decisions.decision", decision_id=decision.id),
            },
            kind="joint_decision",
            dedupe_key=f"joint-decision-{decision.id}-put",
        )
    return decision


# --- answering -------------------------------------------------------------------------------------


def answer(
    decision: JointDecision,
    *,
    organisation_id: int | None,
    agree: bool | None,
    reason: str | None,
    user: Any,
    version: int | None = None,
) -> JointDecision:
    """A safeguarding partner answers for its organisation (its LSP or DSP only)."""
    if version is not None and version != decision.version:
        raise StaleVersion()
    if decision.state not in OPEN_STATES:
        raise Conflict(f"This decision is closed: {decision.state.label.lower()}")
    partners = {p.organisation_id: p for p in partners_for(decision.area)}
    capacities = capacities_of(user)
    errors: dict[str, str] = {}
    if organisation_id is None and len(capacities) == 1:
        organisation_id = next(iter(capacities))
    if organisation_id is None or organisation_id not in partners:
        errors["organisation_id"] = "Select a safeguarding partner this question was put to"
    reason = (reason or "").strip() or None
    if agree is None:
        errors["agree"] = "Select whether your organisation agrees"
    elif agree is False and not reason:
        errors["reason"] = "Enter why your organisation disagrees"
    if errors:
        raise ValidationFailed(errors=errors)
    assert organisation_id is not None and agree is not None
    capacity = capacities.get(organisation_id)
    if capacity is None:
        raise Forbidden("Only that organisation's lead or delegated safeguarding partner can answer for it")
    row = db.session.scalar(
        sa.select(JointDecisionAnswer).where(
            JointDecisionAnswer.decision_id == decision.id, JointDecisionAnswer.organisation_id == organisation_id
        )
    )
    if row is None:
        row = JointDecisionAnswer(decision_id=decision.id, organisation_id=organisation_id)
        db.session.add(row)
    row.agree = agree
    row.reason = reason
    row.person_id = user.person_id
    row.capacity = capacity
    row.answered_by_id = user.id
    row.answered_at = utcnow()
    db.session.flush()
    _settle(decision, partners, user)
    return decision


def _settle(decision: JointDecision, partners: dict[int, SafeguardingPartner], user: Any) -> None:
    answers = {a.organisation_id: a for a in answers_of(decision)}
    disagreeing = [a for a in answers.values() if not a.agree and a.organisation_id in partners]
    if disagreeing:
        decision.state = JointDecisionState.disputed
        if decision.dispute_id is None:
            first = disagreeing[0]
            dispute = raise_dispute(
                user,
                subject=f"Joint decision JD-{decision.id}: {decision.subject.label}",
                summary=f"{first.organisation.name} disagrees: {first.reason}",
                party_organisation_ids=list(partners),
                system=True,
            )
            decision.dispute_id = dispute.id
    elif all(answers.get(org) is not None and answers[org].agree for org in partners):
        decision.state = JointDecisionState.carried
        decision.decided_on = today()
        db.session.flush()
        effect = _on_carried.get(decision.subject)
        if effect is not None:
            effect(decision, user)
    else:
        decision.state = JointDecisionState.open
    db.session.flush()


# --- comments and withdrawal ------------------------------------------------------------------------


def comment(decision: JointDecision, *, text: str | None, user: Any) -> JointDecisionComment:
    """The independent chair or the scrutineer advises; they do not decide."""
    capacity = next((label for role, label in COMMENTERS.items() if user.has_role(role)), None)
    if capacity is None:
        raise Forbidden("Only the independent chair or the independent scrutineer can comment")
    text = (text or "").strip()
    if not text:
        raise ValidationFailed(errors={"text": "Enter your comment"})
    row = JointDecisionComment(
        decision_id=decision.id, text=text, capacity=capacity, user_id=user.id, person_id=user.person_id
    )
    db.session.add(row)
    db.session.flush()
    return row


def withdraw(decision: JointDecision, *, reason: str | None, user: Any, version: int | None = None) -> JointDecision:
    if not user.has_role(Role.business_office):
        raise Forbidden("Only the business office can withdraw a question")
    if version is not None and version != decision.version:
        raise StaleVersion()
    if decision.state not in OPEN_STATES:
        raise Conflict(f"This decision is closed: {decision.state.label.lower()}")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(errors={"reason": "Enter why the question is withdrawn"})
    decision.state = JointDecisionState.withdrawn
    decision.withdrawn_reason = reason
    db.session.flush()
    return decision


# --- a decision the partners took before the service held the case ------------------------------


def record_taken(
    subject: JointDecisionSubject,
    *,
    question: str,
    area: Area,
    decided_on: date | None,
    recorded_from: str | None,
    user: Any,
    review_id: int | None = None,
    proposal: dict[str, Any] | None = None,
) -> JointDecision:
    """The business office records a joint decision the safeguarding partners took before
    their records came into the service (an import of the office's tracker): every partner
    of `area` agreed on `decided_on`, as minuted in `recorded_from`. The office records; it
    does not decide: the decision must be in the past, its source named, and each answer
    shows it was recorded by the office (capacity "recorded"), not given in the service.
    A question on the same matter still open in the service is settled by it."""
    if not user.has_role(Role.business_office):
        raise Forbidden("Only the business office can record a decision the partners took outside the service")
    errors: dict[str, str] = {}
    recorded_from = (recorded_from or "").strip()
    if not recorded_from:
        errors["recorded_from"] = "Enter where the partners' decision is recorded, such as the minutes of their meeting"
    if decided_on is None:
        errors["decided_on"] = "Enter the date the safeguarding partners decided"
    elif decided_on >= today():
        errors["decided_on"] = (
            "A decision taken today or later is made in the service by the partners themselves, not recorded"
        )
    partners = partners_for(area)
    if not partners:
        errors["area"] = "Record the safeguarding partners in the arrangements first"
    if errors:
        raise ValidationFailed(errors=errors)
    assert decided_on is not None
    decision = db.session.scalar(
        sa.select(JointDecision).where(
            JointDecision.subject == subject,
            JointDecision.state.in_(OPEN_STATES),
            JointDecision.review_id.is_(None) if review_id is None else JointDecision.review_id == review_id,
        )
    )
    if decision is None:
        decision = JointDecision(
            subject=subject,
            question=question,
            area=area,
            proposal=dict(proposal or {}),
            review_id=review_id,
            put_on=decided_on,
            due_on=decided_on,
            put_by_id=getattr(user, "id", None),
        )
        db.session.add(decision)
    decision.recorded_from = recorded_from
    db.session.flush()
    existing = {a.organisation_id: a for a in answers_of(decision)}
    for p in partners:
        row = existing.get(p.organisation_id)
        if row is None:
            row = JointDecisionAnswer(decision_id=decision.id, organisation_id=p.organisation_id)
            db.session.add(row)
        row.agree, row.reason, row.person_id = True, None, None
        row.capacity, row.answered_by_id, row.answered_at = "recorded", user.id, utcnow()
    decision.state = JointDecisionState.carried
    decision.decided_on = decided_on
    db.session.flush()
    effect = _on_carried.get(subject)
    if effect is not None:
        effect(decision, user)
    db.session.flush()
    return decision
