"""Meetings: decisions and votes — who may vote, recording a decision, validating interim
decisions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import time
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from safeguarding.extensions import db
from safeguarding.models import (
    AgendaItem,
    AgendaRequest,
    AttendanceStatus,
    Decision,
    DecisionMethod,
    DecisionOutcome,
    DecisionValidation,
    DecisionVote,
    Declaration,
    Meeting,
    MeetingState,
    Membership,
    MembershipRole,
    Organisation,
    Person,
    Role,
    VoteChoice,
)
from safeguarding.models.base import utcnow
from safeguarding.models.meetings import HELD_STATES
from safeguarding.services.errors import Conflict, Forbidden, NotFound, ValidationFailed
from safeguarding.services.meetings.common import MEMBER_ROLES
from safeguarding.services.meetings.queries import get_meeting
from safeguarding.services.meetings.register import (
    Register,
    is_quorate,
    load_register,
    movements,
    presiding_chair,
    quorum_sentence,
)
from safeguarding.services.partnership import mou_signed_person_ids

# --- who votes ----------------------------------------------------------------------------


@dataclass
class Voter:
    organisation: Organisation
    person: Person
    as_deputy: bool


@dataclass
class Eligibility:
    """Who may vote on one agenda item: one voter per organisation, and why others may not."""

    voters: dict[int, Voter] = field(default_factory=dict)
    # (person, organisation or None, reason) for attendees who may not vote
    excluded: list[tuple[Person, Organisation | None, str]] = field(default_factory=list)

    @property
    def unrepresented_excluded(self) -> list[tuple[Person, Organisation | None, str]]:
        """Exclusions that leave an organisation without a vote (what the form explains)."""
        return [e for e in self.excluded if e[1] is None or e[1].id not in self.voters]


def voting_eligibility(meeting: Meeting, agenda_item: AgendaItem, register: Register | None = None) -> Eligibility:
    register = register or load_register(meeting)
    attending = [s for s in register.seats if s.represented]
    signed = mou_signed_person_ids([s.attendee_id for s in attending])
    declared = set(
        db.session.scalars(sa.select(Declaration.person_id).where(Declaration.agenda_item_id == agenda_item.id))
    )
    out = Eligibility()
    for s in attending:
        m, person, org = s.membership, s.attendee, s.organisation
        if org is None:
            reason = "sits for no organisation (the chair has a casting vote only)"
        elif m.role == MembershipRole.adviser:
            reason = "is an adviser (advisers do not vote)"
        elif person.id not in signed:
            reason = "has not signed the memorandum of understanding"
        elif person.id in declared:
            reason = "declared an interest in this item"
        else:
            out.voters.setdefault(org.id, Voter(org, person, s.status == AttendanceStatus.deputy_present))
            continue
        out.excluded.append((person, org, reason))
    return out


def _validation_electorate(meeting: Meeting, agenda_item: AgendaItem, register: Register) -> set[int]:
    """Organisations asked to validate an interim decision: each with a voting seat on the
    group (not an adviser) whose member has signed the memorandum and did not declare an
    interest in the item."""
    seats = [s for s in register.seats if s.organisation is not None and s.membership.role != MembershipRole.adviser]
    signed = mou_signed_person_ids([s.membership.person_id for s in seats])
    declared = set(
        db.session.scalars(sa.select(Declaration.person_id).where(Declaration.agenda_item_id == agenda_item.id))
    )
    return {
        s.organisation.id for s in seats if s.membership.person_id in signed and s.membership.person_id not in declared
    }


def _parse_vote(value: Any) -> VoteChoice | None:
    try:
        return VoteChoice(value) if value else None
    except ValueError:
        return None


# --- recording a decision -----------------------------------------------------------------


def record_decision(
    agenda_item: AgendaItem,
    *,
    user: Any,
    method: DecisionMethod | str,
    text: str,
    votes: list[dict[str, Any]] | None = None,
    casting_vote: VoteChoice | str | None = None,
    interim: bool = False,
    decided_at: time | None = None,
    system: bool = False,
) -> Decision:
    """Record a decision on an agenda item while the meeting is in session and quorate.

    `method` "consensus" → agreed. "vote" → `votes` is a list of
    `{"organisation_id", "vote": "for" | "against" | "abstain"}`, one per organisation
    entitled to vote (see `voting_eligibility`); carried when the votes for are more than
    half of the organisations present and entitled to vote (abstentions count against);
    equal votes for and against need `casting_vote` ("for" or "against"), the chair's, when
    it could carry the motion (see `_outcome_of_vote`).
    `interim` decisions stand once every organisation asked has validated them; only an
    interim decision may be recorded at a meeting that is, or has become, inquorate (the
    constitution: the members present may agree one, and it stands once every voting
    organisation has validated it).
    Quorum and who may vote are taken at `decided_at`, the time of the decision, from the
    register's recorded arrivals and departures; without it, after every recorded
    departure."""
    meeting, register, quorate = _meeting_open_for_decisions(
        agenda_item, user=user, system=system, interim=interim, decided_at=decided_at
    )
    errors: dict[str, str] = {}
    try:
        method = DecisionMethod(method)
    except ValueError:
        raise ValidationFailed(errors={"method": "Select how the decision was made"}) from None
    text = (text or "").strip()
    if not text:
        errors["text"] = "Enter what was decided"
    casting = _parse_vote(casting_vote) if casting_vote else None
    if casting_vote and casting not in (VoteChoice.for_, VoteChoice.against):
        errors["casting_vote"] = "The casting vote must be for or against"
    cast: list[tuple[Voter, VoteChoice]] = []
    outcome = DecisionOutcome.agreed
    presiding = presiding_chair(meeting, register)
    counts = {VoteChoice.for_: 0, VoteChoice.against: 0, VoteChoice.abstain: 0}
    if method == DecisionMethod.consensus:
        _check_consensus(votes, casting_vote, errors)
    else:
        eligibility = voting_eligibility(meeting, agenda_item, register)
        _tally_votes(votes, eligibility, errors, cast, counts)
        outcome = _outcome_of_vote(counts, len(eligibility.voters), casting, casting_vote, errors)
    if errors:
        raise ValidationFailed(errors=errors)
    decision = Decision(
        meeting_id=meeting.id,
        agenda_item_id=agenda_item.id,
        method=method,
        outcome=outcome,
        text=text,
        subject_type=agenda_item.subject_type,
        subject_id=agenda_item.subject_id,
        quorate=quorate,
        decided_at=decided_at,
        interim=bool(interim),
        votes_for=counts[VoteChoice.for_],
        votes_against=counts[VoteChoice.against],
        abstentions=counts[VoteChoice.abstain],
        casting_vote=casting if method == DecisionMethod.vote else None,
        casting_vote_by_person_id=presiding.id if (casting and presiding) else None,
        recorded_by_id=user.id if user is not None else None,
    )
    db.session.add(decision)
    db.session.flush()
    _add_votes_and_validations(decision, cast, meeting, agenda_item, register, interim=interim)
    db.session.refresh(decision)
    if decision.validated:
        _decision_final(decision, meeting)
    return decision


DECIDING_STATES = (MeetingState.in_session, MeetingState.inquorate)


def _meeting_open_for_decisions(
    agenda_item: AgendaItem, *, user: Any, system: bool, interim: bool, decided_at: time | None = None
) -> tuple[Meeting, Register, bool]:
    """The item's meeting, its register and whether it is quorate, if `user` may record a
    decision on the item now: the meeting is in session and quorate, or — for an interim
    decision only — in session or recorded inquorate without quorum; the item is still on
    the agenda. The register is taken at `decided_at` (see `Register.at`)."""
    if not system and (user is None or not user.has_role(Role.business_office, Role.independent_chair)):
        raise Forbidden("Only the business office or the chair can record decisions")
    meeting = db.session.get(Meeting, agenda_item.meeting_id)
    if meeting.state not in DECIDING_STATES or (meeting.state == MeetingState.inquorate and not interim):
        raise Conflict(
            f"Decisions can be recorded only while the meeting is in session: it is {meeting.state.label.lower()}"
            + (
                " (the members present may agree an interim decision)"
                if meeting.state == MeetingState.inquorate
                else ""
            )
        )
    if agenda_item.withdrawn:
        raise Conflict("This item has been withdrawn from the agenda")
    if decided_at is not None and not isinstance(decided_at, time):
        raise ValidationFailed(errors={"decided_at": "Enter the time of the decision as a time of day, like 11:20"})
    if decided_at is not None and decided_at < meeting.starts_at:
        raise ValidationFailed(
            errors={
                "decided_at": f"The time of the decision must be after the meeting started at "
                f"{meeting.starts_at.strftime('%H:%M')}"
            }
        )
    whole = load_register(meeting)
    register = whole.at(decided_at)
    quorate, missing = is_quorate(meeting, register)
    if not quorate and not interim:
        when = f" at {decided_at.strftime('%H:%M')}" if decided_at else ""
        moves = [m for m in movements(meeting, whole) if decided_at is None or m.at <= decided_at]
        raise ValidationFailed(
            f"The meeting was not quorate{when}" if decided_at else "The meeting is not quorate",
            reasons=[quorum_sentence(missing) + when]
            + [f"{m.sentence}." for m in moves]
            + (
                ["If the decision was taken earlier, record the time it was taken"]
                if moves and decided_at is None
                else []
            )
            + [
                "The members present may agree an interim decision instead: it stands once every voting "
                "organisation has validated it",
            ],
        )
    return meeting, register, quorate


def _check_consensus(votes: list[dict[str, Any]] | None, casting_vote: Any, errors: dict[str, str]) -> None:
    """A decision by consensus has neither votes nor a casting vote."""
    if votes:
        errors["votes"] = "A decision by consensus has no votes: choose a vote instead"
    if casting_vote:
        errors["casting_vote"] = "The chair has a casting vote only when the votes are tied"


def _tally_votes(
    votes: list[dict[str, Any]] | None,
    eligibility: Eligibility,
    errors: dict[str, str],
    cast: list[tuple[Voter, VoteChoice]],
    counts: dict[VoteChoice, int],
) -> None:
    """Check each vote (one per organisation entitled to vote) and count it: the accepted
    votes go into `cast` and `counts`, the refused ones into `errors`."""
    seen: set[int] = set()
    for v in votes or []:
        org_id = v.get("organisation_id")
        choice = _parse_vote(v.get("vote"))
        key = f"vote_{org_id}"
        voter = eligibility.voters.get(org_id)
        if voter is None:
            errors[key] = _not_entitled_message(org_id, eligibility)
        elif org_id in seen:
            errors[key] = f"{voter.organisation.name} has already voted: one vote per organisation"
        elif choice is None:
            errors[key] = f"Select how {voter.organisation.name} voted"
        else:
            seen.add(org_id)
            cast.append((voter, choice))
            counts[choice] += 1


def _outcome_of_vote(
    counts: dict[VoteChoice, int],
    entitled: int,
    casting: VoteChoice | None,
    casting_vote: Any,
    errors: dict[str, str],
) -> DecisionOutcome:
    """The constitution's majority: carried when the votes for are more than half of the
    `entitled` organisations present and entitled to vote, so an abstention (or an entitled
    organisation recording no vote) counts against. On equal votes for and against the
    chair's casting vote decides, and it can carry the motion only when for + 1 is more than
    half of those entitled; a casting vote is refused in every other case. Checked only when
    nothing else is wrong (what is wrong goes into `errors`; the outcome returned then is
    not used). Entitled organisations that recorded no vote are counted as abstaining."""
    if errors:
        return DecisionOutcome.agreed
    votes_for, votes_against = counts[VoteChoice.for_], counts[VoteChoice.against]
    if votes_for + votes_against + counts[VoteChoice.abstain] == 0:
        errors["votes"] = "Record the vote of at least one organisation"
        return DecisionOutcome.agreed
    counts[VoteChoice.abstain] = entitled - votes_for - votes_against
    tie_the_chair_decides = votes_for == votes_against and 2 * (votes_for + 1) > entitled
    if tie_the_chair_decides:
        if casting is None:
            errors["casting_vote"] = (
                f"The votes are tied {votes_for} to {votes_against}: record the chair's casting vote"
            )
            return DecisionOutcome.agreed
        return DecisionOutcome.carried if casting == VoteChoice.for_ else DecisionOutcome.not_carried
    if casting_vote:
        errors["casting_vote"] = (
            "The chair has a casting vote only when the votes for and against are equal and "
            "one more vote for would be more than half of the organisations entitled to vote"
        )
        return DecisionOutcome.agreed
    return DecisionOutcome.carried if 2 * votes_for > entitled else DecisionOutcome.not_carried


def _add_votes_and_validations(
    decision: Decision,
    cast: list[tuple[Voter, VoteChoice]],
    meeting: Meeting,
    agenda_item: AgendaItem,
    register: Register,
    *,
    interim: bool,
) -> None:
    """The recorded decision's votes and, for an interim decision, a validation to ask of
    each organisation in its electorate."""
    for voter, choice in cast:
        db.session.add(
            DecisionVote(
                decision_id=decision.id,
                organisation_id=voter.organisation.id,
                voter_person_id=voter.person.id,
                vote=choice,
            )
        )
    if interim:
        for org_id in sorted(_validation_electorate(meeting, agenda_item, register)):
            db.session.add(DecisionValidation(decision_id=decision.id, organisation_id=org_id))
    db.session.flush()


def _not_entitled_message(org_id: Any, eligibility: Eligibility) -> str:
    for person, org, reason in eligibility.excluded:
        if org is not None and org.id == org_id:
            return f"{org.name} cannot vote on this item: {person.name} {reason}"
    org = db.session.get(Organisation, org_id) if isinstance(org_id, int) else None
    if org is None:
        return "Select an organisation from the list"
    return f"{org.name} is not represented at the meeting, so it cannot vote"


# --- reading decisions --------------------------------------------------------------------


def decision_stands(decision: Decision) -> bool:
    """A decision stands when it agreed or carried the matter and either was made at a
    quorate meeting (and, if interim, has been validated by every organisation asked) or
    is an interim decision of an inquorate meeting validated by every voting organisation."""
    if decision.outcome not in (DecisionOutcome.agreed, DecisionOutcome.carried):
        return False
    if decision.interim:
        return bool(decision.validated)
    return bool(decision.quorate)


def decisions_for(subject_type: str, subject_id: int) -> list[Decision]:
    """Every decision on a subject (a record of another feature), oldest first. Guards
    such as "approved by the Board" ask `any(decision_stands(d) for d in ...)`."""
    return list(
        db.session.scalars(
            sa.select(Decision)
            .where(Decision.subject_type == subject_type, Decision.subject_id == subject_id)
            .order_by(Decision.recorded_at, Decision.id)
        )
    )


def decisions_of(meeting: Meeting) -> list[Decision]:
    """The meeting's decisions with their votes and validations, in one query."""
    return list(
        db.session.scalars(
            sa.select(Decision)
            .where(Decision.meeting_id == meeting.id)
            .options(joinedload(Decision.votes), joinedload(Decision.validations))
            .order_by(Decision.id)
        ).unique()
    )


def get_decision(decision_id: int, user: Any) -> Decision:
    decision = db.session.get(Decision, decision_id)
    if decision is None:
        raise NotFound("Decision not found")
    get_meeting(decision.meeting_id, user)
    return decision


# --- final decisions and validation -------------------------------------------------------


# What a final Board decision does to its subject, by the agenda subject's kind
# (`subject_type`): each feature that puts things on the Board's agenda registers its own
# with `on_final_decision` (a chair's action: services/meetings/lifecycle.py; a work plan:
# services/workplans), so that this package imports none of them.
DecisionEffect = Callable[[Decision, Meeting], None]
_final_decision_effects: dict[str, DecisionEffect] = {}


def on_final_decision(subject_type: str) -> Callable[[DecisionEffect], DecisionEffect]:
    """Register `fn(decision, meeting)` as what a final decision on a subject of this kind
    does (called once the decision is recorded, or interim and validated by all)."""

    def register(fn: DecisionEffect) -> DecisionEffect:
        _final_decision_effects[subject_type] = fn
        return fn

    return register


def _decision_final(decision: Decision, meeting: Meeting) -> None:
    """The decision is final (recorded, or interim and now validated by all): the subject
    leaves the Board's waiting list, and its feature's registered effect runs (a chair's
    action is ratified or not; a work plan is approved)."""
    if decision.subject_type is None:
        return
    for request in db.session.scalars(
        sa.select(AgendaRequest).where(
            AgendaRequest.subject_type == decision.subject_type,
            AgendaRequest.subject_id == decision.subject_id,
            AgendaRequest.closed_at.is_(None),
        )
    ):
        request.closed_at = utcnow()
    effect = _final_decision_effects.get(decision.subject_type)
    if effect is not None:
        effect(decision, meeting)
    db.session.flush()


def validate_decision(decision: Decision, *, user: Any) -> DecisionValidation:
    """A member (or their named deputy who has signed the memorandum) validates an interim
    decision electronically for their organisation."""
    if not decision.interim:
        raise Conflict("Only interim decisions are validated after the meeting")
    meeting = db.session.get(Meeting, decision.meeting_id)
    if meeting.state not in HELD_STATES:
        raise Conflict("Interim decisions are validated after the meeting has closed")
    if not user.person_id or not user.has_role(*MEMBER_ROLES):
        raise Forbidden("Only members of the group validate interim decisions")
    seats = [
        s
        for s in load_register(meeting).seats
        if s.organisation is not None
        and s.membership.role != MembershipRole.adviser
        and user.person_id in (s.membership.person_id, s.membership.deputy_person_id)
    ]
    if not seats:
        raise Forbidden("Only members of the group validate interim decisions")
    if all(s.membership.person_id != user.person_id for s in seats) and not mou_signed_person_ids([user.person_id]):
        raise Forbidden("A deputy must have signed the memorandum of understanding to validate a decision")
    org_ids = {s.organisation.id for s in seats}
    pending = [v for v in decision.validations if v.organisation_id in org_ids]
    if not pending:
        raise Forbidden("Your organisation is not asked to validate this decision")
    row = next((v for v in pending if v.validated_at is None), None)
    if row is None:
        raise Conflict("Your organisation has already validated this decision")
    row.validated_at = utcnow()
    row.validated_by_person_id = user.person_id
    row.validated_by_user_id = user.id
    db.session.flush()
    if decision.validated:
        _decision_final(decision, meeting)
    return row


def validations_awaiting(user: Any) -> list[DecisionValidation]:
    """Interim decisions waiting for the user's organisation's validation, at meetings of
    groups the user sits on (as member or named deputy). One query when nothing waits."""
    if not (user.person_id and user.organisation_id and user.has_role(*MEMBER_ROLES)):
        return []
    pending = db.session.execute(
        sa.select(DecisionValidation, Meeting.group_id, Meeting.meeting_date)
        .join(Decision, Decision.id == DecisionValidation.decision_id)
        .join(Meeting, Meeting.id == Decision.meeting_id)
        .where(
            DecisionValidation.organisation_id == user.organisation_id,
            DecisionValidation.validated_at.is_(None),
            Meeting.state.in_(HELD_STATES),
        )
        .order_by(DecisionValidation.id)
        .limit(200)
    ).all()
    if not pending:
        return []
    seats = db.session.execute(
        sa.select(Membership.group_id, Membership.start_date, Membership.end_date).where(
            Membership.organisation_id == user.organisation_id,
            sa.or_(Membership.person_id == user.person_id, Membership.deputy_person_id == user.person_id),
        )
    ).all()
    return [
        v
        for v, group_id, day in pending
        if any(g == group_id and start <= day and (end is None or end >= day) for g, start, end in seats)
    ]
