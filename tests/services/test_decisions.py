"""Decisions and votes (one vote per organisation, signed memorandum, declared interests,
a tie decided by the chair's casting vote), interim decisions and their validation,
declarations of interest, and chair's actions with their ratification."""

from __future__ import annotations

from datetime import date

import pytest

from safeguarding.models import (
    AgendaItemKind,
    ChairActionStatus,
    DecisionOutcome,
    MembershipRole,
    Role,
)
from safeguarding.services import meetings as svc
from safeguarding.services import partnership
from safeguarding.services.errors import Conflict, Forbidden, ValidationFailed
from safeguarding.workflows.meetings import chair_action_lifecycle, meeting_lifecycle
from tests.support.factories import (
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)
from tests.support.meetings import (
    FUTURE,
    business,
    close,
    everyone,
    open_meeting,
    publish,
    record,
    schedule,
    votes,
)


@pytest.fixture
def meeting(demo):
    m = schedule(demo)
    open_meeting(m, demo)
    return m


def _decide(demo, item, **kw):
    kw.setdefault("text", "The procedure is adopted.")
    kw.setdefault("method", "vote")
    return svc.record_decision(item, user=demo.user("office"), **kw)


# --- who may vote ---------------------------------------------------------------------------------


def test_one_vote_per_organisation_from_members_who_signed_the_memorandum(demo, meeting):
    eligibility = svc.voting_eligibility(meeting, business(meeting))
    names = {v.organisation.short_name for v in eligibility.voters.values()}
    # Healthwatch has not signed; the chair and the office sit for no organisation.
    assert names == {
        "North Council",
        "West Council",
        "Police",
        "ICB",
        "Hospitals",
        "Fire and Rescue",
        "Probation",
        "Public Health",
        "Voluntary Sector",
    }
    reasons = {person.name: reason for person, org, reason in eligibility.excluded}
    assert reasons["Beverley Tate"] == "has not signed the memorandum of understanding"
    assert reasons["Margaret Ellison"] == "sits for no organisation (the chair has a casting vote only)"
    # The ICB has two members present and still one vote.
    assert sum(1 for v in eligibility.voters.values() if v.organisation.short_name == "ICB") == 1


def test_an_organisation_votes_once(demo, meeting):
    item = business(meeting)
    ballot = votes(demo, north="for", police="against") + votes(demo, north="against")
    with pytest.raises(ValidationFailed) as exc:
        _decide(demo, item, votes=ballot)
    assert exc.value.errors == {
        f"vote_{demo.org('north').id}": "North Council has already voted: one vote per organisation"
    }


def test_a_member_who_has_not_signed_the_memorandum_cannot_vote(demo, meeting):
    with pytest.raises(ValidationFailed) as exc:
        _decide(demo, business(meeting), votes=votes(demo, healthwatch="for", police="for"))
    assert exc.value.errors == {
        f"vote_{demo.org('healthwatch').id}": "Healthwatch County cannot vote on this item: Beverley Tate has not signed the "
        "memorandum of understanding"
    }


def test_a_deputy_votes_only_if_they_signed_the_memorandum_themselves(demo):
    m = schedule(demo)
    # Police's deputy signed in 2021; the ICB's deputy has not (and the SAR chair, the
    # ICB's other member, is away).
    open_meeting(
        m,
        demo,
        everyone(
            police_lead=("deputy_present", "police_deputy"),
            icb_lead=("deputy_present", "icb_deputy"),
            sar_chair="apologies",
        ),
    )
    eligibility = svc.voting_eligibility(m, business(m))
    assert eligibility.voters[demo.org("police").id].as_deputy
    assert demo.org("icb").id not in eligibility.voters
    partnership.record_mou_signature(demo.person("icb_deputy"), date(2026, 11, 1), recorded_by_id=None)
    assert demo.org("icb").id in svc.voting_eligibility(m, svc.agenda_of(m)[-1]).voters


def test_advisers_do_not_vote(demo):
    org = OrganisationFactory()
    adviser = MembershipFactory(
        group=demo.group("board"), person=PersonFactory(organisation=org), organisation=org, role=MembershipRole.adviser
    )
    partnership.record_mou_signature(adviser.person, date(2026, 1, 5), recorded_by_id=None)
    m = schedule(demo)
    statuses = everyone()
    open_meeting(m, demo, statuses)
    svc.record_attendance(
        m, [{"membership_id": adviser.id, "status": "present"}], user=demo.user("office"), as_of=FUTURE
    )
    eligibility = svc.voting_eligibility(m, business(m))
    assert org.id not in eligibility.voters
    assert (adviser.person, org, "is an adviser (advisers do not vote)") in eligibility.excluded


def test_a_declared_interest_takes_the_person_out_of_the_decision(demo, meeting):
    item = business(meeting, title="Commissioning a reviewer")
    svc.declare_interest(item, user=demo.user("icb"), nature="My team is named in the report")
    svc.declare_interest(
        item,
        user=demo.user("office"),
        person_id=demo.person("acute_lead").id,
        nature="The Trust is an agency in the review",
    )
    eligibility = svc.voting_eligibility(meeting, item)
    # The ICB still votes through its other member; the hospitals cannot.
    assert eligibility.voters[demo.org("icb").id].person.id == demo.person("sar_chair").id
    assert demo.org("acute").id not in eligibility.voters
    with pytest.raises(ValidationFailed) as exc:
        _decide(demo, item, votes=votes(demo, acute="for", north="for"))
    assert "Gemma Fox declared an interest in this item" in exc.value.errors[f"vote_{demo.org('acute').id}"]
    # Another item is unaffected.
    assert demo.org("acute").id in svc.voting_eligibility(meeting, business(meeting, title="Other")).voters


def test_a_declared_interest_keeps_the_person_out_of_the_consequent_action(demo, meeting):
    item = business(meeting, title="Commissioning a reviewer")
    svc.declare_interest(item, user=demo.user("icb"), nature="My team is named in the report")
    kw = {"user": demo.user("office"), "title": "Commission the reviewer", "due_date": date(2027, 7, 1)}
    with pytest.raises(ValidationFailed) as exc:
        svc.raise_action(
            item, owner_organisation_id=demo.org("icb").id, owner_person_id=demo.person("icb_lead").id, **kw
        )
    assert exc.value.errors == {
        "owner_person_id": "This person declared an interest in the item, so they take no part in the action "
        "that follows from it: give it to someone else"
    }
    assert svc.actions_of(meeting) == {}
    # someone else at the organisation may take it; the same person may on another item
    other = svc.raise_action(
        item, owner_organisation_id=demo.org("icb").id, owner_person_id=demo.person("sar_chair").id, **kw
    )
    elsewhere = svc.raise_action(
        business(meeting, title="Other"),
        owner_organisation_id=demo.org("icb").id,
        owner_person_id=demo.person("icb_lead").id,
        **kw,
    )
    assert {a.id for actions in svc.actions_of(meeting).values() for a in actions} == {other.id, elsewhere.id}


# --- majority, tie and casting vote -----------------------------------------------------------------


def _entitled(demo, meeting, item) -> int:
    return len(svc.voting_eligibility(meeting, item).voters)


def test_carried_only_by_more_than_half_of_the_organisations_entitled_to_vote(demo, meeting):
    """The constitution: carried when votes for > E / 2, E the organisations present and
    entitled to vote; an abstention, or an entitled organisation recording no vote, counts
    against."""
    item = business(meeting)
    assert _entitled(demo, meeting, item) == 9
    carried = _decide(
        demo,
        item,
        votes=votes(demo, north="for", west="for", police="for", icb="for", acute="for", fire="against"),
    )
    assert (carried.outcome, carried.votes_for, carried.votes_against, carried.abstentions) == (
        DecisionOutcome.carried,
        5,
        1,
        3,
    )
    assert svc.decision_stands(carried)
    # a majority of those voting for or against, but not of those entitled: not carried
    lost = _decide(
        demo,
        business(meeting, title="Second"),
        votes=votes(demo, north="for", west="for", police="against", icb="abstain", acute="abstain"),
    )
    assert (lost.outcome, lost.votes_for, lost.votes_against, lost.abstentions) == (
        DecisionOutcome.not_carried,
        2,
        1,
        6,
    )
    assert not svc.decision_stands(lost)


def test_abstentions_count_against_three_for_two_against_five_abstaining_is_not_carried(demo):
    """domain.md's example (3 for, 2 against, the rest abstaining) at the demo Board, where
    every organisation entitled to vote is present: carried under "a majority of those
    voting for or against", not carried under the constitution."""
    m = schedule(demo)
    open_meeting(m, demo)
    item = business(m)
    voters = svc.voting_eligibility(m, item).voters
    orgs = list(voters)
    assert len(orgs) >= 5
    choices = ["for"] * 3 + ["against"] * 2 + ["abstain"] * (len(orgs) - 5)
    decision = _decide(
        demo, item, votes=[{"organisation_id": o, "vote": c} for o, c in zip(orgs, choices, strict=True)]
    )
    assert (decision.votes_for, decision.votes_against, decision.abstentions) == (3, 2, len(orgs) - 5)
    assert decision.outcome == DecisionOutcome.not_carried


def test_a_tie_needs_the_chairs_casting_vote_when_it_could_carry_the_motion(demo, meeting):
    item = business(meeting)
    # 4 for, 4 against, 1 abstaining of 9: for + 1 = 5 > 9 / 2, so the chair decides
    tie = votes(
        demo,
        north="for",
        police="for",
        west="for",
        icb="for",
        acute="against",
        fire="against",
        probation="against",
        public_health="against",
        vcs="abstain",
    )
    with pytest.raises(ValidationFailed) as exc:
        _decide(demo, item, votes=tie)
    assert exc.value.errors == {"casting_vote": "The votes are tied 4 to 4: record the chair's casting vote"}
    assert svc.decisions_of(meeting) == []
    decision = _decide(demo, item, votes=tie, casting_vote="against")
    assert decision.outcome == DecisionOutcome.not_carried
    assert decision.casting_vote_by_person_id == demo.person("chair").id
    assert {v.organisation_id: v.vote.value for v in decision.votes}[demo.org("north").id] == "for"
    carried = _decide(demo, business(meeting, title="Second"), votes=tie, casting_vote="for")
    assert carried.outcome == DecisionOutcome.carried


def test_a_tie_the_casting_vote_cannot_carry_is_lost_without_one(demo, meeting):
    """2 for, 2 against, 5 abstaining of 9: for + 1 = 3 is not more than 9 / 2, so the
    motion is lost and a casting vote is refused."""
    tie = votes(demo, north="for", police="for", west="against", icb="against")
    lost = _decide(demo, business(meeting), votes=tie)
    assert (lost.outcome, lost.abstentions, lost.casting_vote) == (DecisionOutcome.not_carried, 5, None)
    with pytest.raises(ValidationFailed) as exc:
        _decide(demo, business(meeting, title="Second"), votes=tie, casting_vote="for")
    assert set(exc.value.errors) == {"casting_vote"}


def test_the_casting_vote_is_only_for_a_tie(demo, meeting):
    with pytest.raises(ValidationFailed) as exc:
        _decide(
            demo, business(meeting), votes=votes(demo, north="for", police="for", west="against"), casting_vote="for"
        )
    assert exc.value.errors == {
        "casting_vote": "The chair has a casting vote only when the votes for and against are equal and "
        "one more vote for would be more than half of the organisations entitled to vote"
    }
    with pytest.raises(ValidationFailed) as exc:
        _decide(demo, business(meeting), votes=[])
    assert exc.value.errors == {"votes": "Record the vote of at least one organisation"}


def test_the_vice_chair_casts_the_vote_when_presiding(demo):
    m = schedule(demo)
    open_meeting(m, demo, everyone(chair="apologies"))
    tie = votes(
        demo,
        north="for",
        police="for",
        icb="for",
        acute="for",
        west="against",
        fire="against",
        probation="against",
        public_health="against",
    )
    decision = _decide(demo, business(m), votes=tie, casting_vote="for")
    assert decision.outcome == DecisionOutcome.carried
    assert decision.casting_vote_by_person_id == demo.person("north_dass").id


def test_consensus_has_no_votes(demo, meeting):
    item = business(meeting)
    with pytest.raises(ValidationFailed) as exc:
        _decide(demo, item, method="consensus", votes=votes(demo, north="for"))
    assert "votes" in exc.value.errors
    decision = _decide(demo, item, method="consensus")
    assert decision.outcome == DecisionOutcome.agreed and svc.decision_stands(decision)
    with pytest.raises(ValidationFailed) as exc:
        _decide(demo, item, method="consensus", text=" ")
    assert exc.value.errors == {"text": "Enter what was decided"}


# --- when a decision may be recorded ------------------------------------------------------------------


def test_no_decision_unless_the_meeting_is_in_session(demo):
    m = schedule(demo)
    item = business(m)
    with pytest.raises(Conflict) as exc:
        _decide(demo, item, method="consensus")
    assert "only while the meeting is in session" in exc.value.message
    open_meeting(m, demo)
    close(m, demo)
    with pytest.raises(Conflict):
        _decide(demo, item, method="consensus")


def test_no_decision_while_the_meeting_is_inquorate(demo, meeting):
    record(meeting, demo, {"police_lead": "absent"})
    with pytest.raises(ValidationFailed) as exc:
        _decide(demo, business(meeting), method="consensus")
    assert exc.value.reasons == [
        "Not quorate: no one from the police is present",
        "The members present may agree an interim decision instead: it stands once every voting organisation "
        "has validated it",
    ]
    assert svc.decisions_of(meeting) == []


def test_an_interim_decision_at_a_meeting_that_lost_quorum_stands_once_every_voting_organisation_validates(demo):
    """The constitution: the members present at an inquorate meeting may agree an interim
    decision; it stands only once every voting organisation — present or not — validates."""
    m = schedule(demo, "exec")
    people = {"chair": "present", "north_dass": "present", "west_dass": "present", "police_lead": "present"}
    open_meeting(m, demo, {**people, "icb_lead": "present"}, group="exec")
    record(m, demo, {"icb_lead": "absent"}, group="exec")  # the ICB leaves: quorum is lost
    item = business(m, title="Winter protocol")
    decision = _decide(demo, item, method="consensus", text="Adopted for the winter", interim=True)
    assert (decision.quorate, decision.interim) == (False, True)
    assert {v.organisation_id for v in decision.validations} == {
        demo.org(k).id for k in ("north", "west", "police", "icb")
    }
    close(m, demo)
    for who in ("north", "west", "police"):
        svc.validate_decision(decision, user=demo.user(who))
    assert not svc.decision_stands(decision)  # the ICB, absent, has not validated yet
    svc.validate_decision(decision, user=demo.user("icb"))
    assert svc.decision_stands(decision)


def test_a_meeting_recorded_inquorate_takes_interim_decisions_only(demo, client_as):
    m = schedule(demo, "exec")
    publish(m, demo)
    record(
        m,
        demo,
        {"chair": "present", "north_dass": "present", "west_dass": "present", "icb_lead": "present"},
        group="exec",
    )
    item = business(m, title="Winter protocol")
    meeting_lifecycle.fire(m, "record_inquorate", user=demo.user("office"), version=m.version, as_of=m.meeting_date)
    with pytest.raises(Conflict) as exc:
        _decide(demo, item, method="consensus")
    assert exc.value.message == (
        "Decisions can be recorded only while the meeting is in session: it is inquorate "
        "(the members present may agree an interim decision)"
    )
    page = client_as("office").get(f"/meetings/{m.id}").text
    assert "Record an interim decision" in page and "Record a decision<" not in page
    assert "Record an interim decision" not in client_as("police").get(f"/meetings/{m.id}").text
    decision = _decide(demo, item, method="consensus", text="Adopted for the winter", interim=True)
    assert (decision.quorate, svc.decision_stands(decision)) == (False, False)
    for who in ("north", "west", "police", "icb"):
        svc.validate_decision(decision, user=demo.user(who))
    assert svc.decision_stands(decision)


def test_only_the_office_or_the_chair_record_decisions(demo, meeting):
    with pytest.raises(Forbidden):
        svc.record_decision(business(meeting), user=demo.user("police"), method="consensus", text="x")
    assert svc.record_decision(business(meeting), user=demo.user("chair"), method="consensus", text="Agreed").id


def test_decisions_about_a_subject_are_found_by_other_features(demo, meeting):
    item = svc.add_agenda_item(meeting, title="Work plan 2027/28", subject_type="work_plan", subject_id=12)
    assert svc.decisions_for("work_plan", 12) == []
    decision = _decide(demo, item, method="consensus", text="The work plan is approved.")
    assert svc.decisions_for("work_plan", 12) == [decision]
    assert (decision.subject_type, decision.subject_id) == ("work_plan", 12)
    assert any(svc.decision_stands(d) for d in svc.decisions_for("work_plan", 12))


# --- interim decisions ----------------------------------------------------------------------------------


def test_an_interim_decision_stands_when_every_voting_member_has_validated_it(demo):
    m = schedule(demo, "exec")
    open_meeting(
        m,
        demo,
        {
            "chair": "present",
            "north_dass": "present",
            "west_dass": "present",
            "police_lead": "present",
            "icb_lead": "present",
        },
        group="exec",
    )
    item = business(m, title="Winter protocol", subject_type="protocol", subject_id=1)
    decision = _decide(demo, item, method="consensus", text="Agreed subject to wording", interim=True)
    assert {v.organisation_id for v in decision.validations} == {
        demo.org(k).id for k in ("north", "west", "police", "icb")
    }
    assert not svc.decision_stands(decision)
    with pytest.raises(Conflict):
        svc.validate_decision(decision, user=demo.user("north"))  # not until the meeting has closed
    close(m, demo)
    for who in ("north", "west", "police"):
        svc.validate_decision(decision, user=demo.user(who))
        assert not svc.decision_stands(decision)
    with pytest.raises(Conflict):
        svc.validate_decision(decision, user=demo.user("police"))
    with pytest.raises(Forbidden):
        svc.validate_decision(decision, user=demo.user("office"))
    svc.validate_decision(decision, user=demo.user("icb"))
    assert svc.decision_stands(decision)


def test_members_of_other_groups_cannot_validate(demo):
    m = schedule(demo, "exec")
    open_meeting(
        m,
        demo,
        {"chair": "present", "north_dass": "present", "police_lead": "present", "icb_lead": "present"},
        group="exec",
    )
    decision = _decide(demo, business(m), method="consensus", interim=True)
    close(m, demo)
    outsider = UserFactory(
        person_id=demo.person("acute_lead").id, organisation_id=demo.org("acute").id, roles=[Role.partner_member]
    )
    with pytest.raises(Forbidden):
        svc.validate_decision(decision, user=outsider)
    demo_pending = svc.validations_awaiting(demo.user("police"))
    assert decision.id in {v.decision_id for v in demo_pending}


# --- declarations -----------------------------------------------------------------------------------------


def test_declarations_are_in_writing_from_members_and_seen_by_the_chair(demo, meeting):
    item = business(meeting)
    with pytest.raises(ValidationFailed) as exc:
        svc.declare_interest(item, user=demo.user("police"), nature=" ")
    assert exc.value.errors == {"nature": "Enter the nature of the interest"}
    declaration = svc.declare_interest(item, user=demo.user("police"), nature="Related to an open investigation")
    with pytest.raises(ValidationFailed) as exc:
        svc.declare_interest(item, user=demo.user("police"), nature="Again")
    assert exc.value.errors == {"agenda_item_id": "An interest in this item has already been declared"}
    with pytest.raises(Forbidden):
        svc.declare_interest(item, user=demo.user("police"), person_id=demo.person("icb_lead").id, nature="x")
    assert declaration in svc.list_declarations(demo.user("chair"))[0]
    assert declaration in svc.list_declarations(demo.user("police"))[0]
    assert declaration not in svc.list_declarations(demo.user("icb"))[0]
    assert svc.list_declarations(demo.user("viewer"))[1] == 0
    outsider = demo.user("northdcs")  # chairs the CSPR group; not on the Board
    with pytest.raises(ValidationFailed) as exc:
        svc.declare_interest(item, user=outsider, nature="x")
    assert exc.value.errors == {
        "person_id": "Only a member of the group or a deputy can declare an interest in its business"
    }
    # A named deputy may declare (they may attend in the member's place).
    deputy = UserFactory(
        person_id=demo.person("acute_deputy").id, organisation_id=demo.org("acute").id, roles=[Role.partner_member]
    )
    assert (
        svc.declare_interest(item, user=deputy, nature="Named in the report").person_id
        == demo.person("acute_deputy").id
    )
    close(meeting, demo)
    with pytest.raises(Conflict):
        svc.declare_interest(business_closed(meeting), user=demo.user("police"), nature="late")


def test_the_chair_is_told_of_each_declaration(demo, meeting):
    import sqlalchemy as sa

    from safeguarding.extensions import db
    from safeguarding.models import OutboxMessage

    declaration = svc.declare_interest(business(meeting), user=demo.user("police"), nature="Open investigation")
    (message,) = db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.dedupe_key.like(f"declaration:{declaration.id}:%"))
    ).all()
    assert message.to_addrs == ["chair@demo.test"]
    assert message.subject == "Declaration of interest: Board meeting, 18 May 2027"
    assert "Ch Supt Daniel Reeve has declared an interest" in message.body
    assert "Open investigation" not in message.body and "/declarations" in message.body


def business_closed(meeting):
    return svc.agenda_of(meeting)[0]


# --- chair's action -----------------------------------------------------------------------------------------


def _consultations(demo, *keys, on=date(2026, 11, 20)):
    return [{"organisation_id": demo.org(k).id, "consulted_on": on, "view": f"{k} agrees"} for k in keys]


def test_chairs_action_needs_the_three_statutory_agencies_consulted(demo):
    chair = demo.user("chair")
    with pytest.raises(ValidationFailed) as exc:
        svc.record_chair_action(
            user=chair,
            title="Urgent",
            decision="Do it",
            urgency="Cannot wait",
            decided_on=date(2026, 11, 21),
            consultations=_consultations(demo, "west", "icb"),
        )
    assert exc.value.reasons == [
        "Record the consultation of the police: the chair decides in consultation with the three statutory agencies"
    ]
    with pytest.raises(ValidationFailed) as exc:
        svc.record_chair_action(
            user=chair,
            title="Urgent",
            decision="Do it",
            urgency="Cannot wait",
            decided_on=date(2026, 11, 19),
            consultations=_consultations(demo, "west", "icb", "police") + _consultations(demo, "fire"),
        )
    assert (
        exc.value.errors[f"consultation_{demo.org('fire').id}"]
        == "Record consultations with the statutory agencies only"
    )
    assert (
        exc.value.errors[f"consulted_on_{demo.org('west').id}"]
        == "West Council must have been consulted on or before the decision"
    )


def test_chairs_action_goes_on_the_next_board_agenda_and_is_ratified_there(demo):
    action = svc.record_chair_action(
        user=demo.user("chair"),
        title="Publish the review early",
        decision="Publish on 1 December",
        urgency="The inquest opens first",
        decided_on=date(2026, 11, 21),
        consultations=_consultations(demo, "north", "police", "icb"),
    )
    assert action.status == ChairActionStatus.awaiting_ratification
    december = svc.next_meeting(demo.group("board").id, date(2026, 11, 21))
    items = svc.agenda_of(december)
    item = next(i for i in items if i.subject_type == "chair_action" and i.subject_id == action.id)
    standing = next(i for i in items if i.kind == AgendaItemKind.chair_actions)
    assert item.position > standing.position
    assert all(i.subject_type == "chair_action" for i in items if standing.position < i.position < item.position)
    assert action in svc.awaiting_ratification()
    open_meeting(december, demo, everyone(west_dass=("deputy_present", "west_deputy")))
    svc.record_decision(item, user=demo.user("office"), method="consensus", text="Ratified")
    assert action.status == ChairActionStatus.ratified and action.ratified_on == date(2026, 12, 15)
    assert action not in svc.awaiting_ratification()


def test_a_chairs_action_the_board_rejects_is_not_ratified(demo):
    action = svc.record_chair_action(
        user=demo.user("north"),
        title="Pause the audit",
        decision="Pause",
        urgency="Staff shortage",
        decided_on=date(2026, 11, 21),
        consultations=_consultations(demo, "west", "police", "icb"),
    )
    december = svc.next_meeting(demo.group("board").id, date(2026, 11, 21))
    item = next(i for i in svc.agenda_of(december) if i.subject_id == action.id and i.subject_type == "chair_action")
    open_meeting(december, demo)
    svc.record_decision(
        item,
        user=demo.user("office"),
        method="vote",
        text="Not ratified",
        votes=votes(demo, north="for", west="against", police="against"),
    )
    assert action.status == ChairActionStatus.not_ratified


def test_only_the_chair_or_the_boards_vice_chair_take_chairs_action(demo):
    with pytest.raises(Forbidden):
        svc.record_chair_action(
            user=demo.user("police"),
            title="x",
            decision="x",
            urgency="x",
            decided_on=date(2026, 11, 21),
            consultations=_consultations(demo, "north", "police", "icb"),
        )
    assert svc.may_take_chairs_action(demo.user("north"))  # North's director is the vice chair
    assert not svc.may_take_chairs_action(demo.user("office"))


def test_chairs_actions_are_seen_by_the_boards_members_only(demo):
    from safeguarding.services.errors import NotFound

    action = demo_action(demo)
    assert svc.get_chair_action(action.id, demo.user("police")) == action  # on the Board
    cspr_chair = demo.user("northdcs")
    with pytest.raises(NotFound):
        svc.get_chair_action(action.id, cspr_chair)
    assert svc.list_chair_actions(cspr_chair)[1] == 0
    assert svc.list_chair_actions(demo.user("viewer"))[1] == 0


def test_no_one_ratifies_a_chairs_action_by_hand(demo):
    action = demo_action(demo)
    for who in ("office", "chair"):
        assert chair_action_lifecycle.available_triggers(action, demo.user(who)) == []
        with pytest.raises(Forbidden):
            chair_action_lifecycle.fire(action, "ratify", user=demo.user(who), version=action.version)


def demo_action(demo):
    from safeguarding.extensions import db
    from safeguarding.models import ChairAction

    return db.session.get(ChairAction, demo.id("chair_actions", "awaiting"))


def test_the_demo_ratified_its_2020_chairs_action_at_the_october_board(demo):
    from safeguarding.extensions import db
    from safeguarding.models import ChairAction

    action = db.session.get(ChairAction, demo.id("chair_actions", "ratified"))
    assert action.status == ChairActionStatus.ratified and action.ratified_on == date(2020, 10, 20)
    (decision,) = svc.decisions_for("chair_action", action.id)
    assert decision.meeting_id == demo.id("meetings", "board_2020_10") and svc.decision_stands(decision)
