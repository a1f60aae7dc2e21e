"""Disputes: raising, determination and the deadline, convening (the late-date rule and
the chair), the agenda agreed by every party, after the meeting, withdrawal, who may do
what, and who may see which dispute."""

from __future__ import annotations

from datetime import date, time

import pytest
import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import (
    Action,
    ActionSource,
    AgendaResponseKind,
    Dispute,
    DisputeState,
    WorkflowHistory,
)
from safeguarding.services import disputes as svc
from safeguarding.services.errors import (
    Conflict,
    Forbidden,
    NotFound,
    StaleVersion,
    ValidationFailed,
)
from safeguarding.workflows.disputes import dispute_lifecycle as lifecycle
from tests.support.factories import PersonFactory

TODAY = date(2026, 11, 23)
AGENDA = "Introductions\nThe disagreement\nOptions\nActions"


def raise_between(demo, *orgs: str, by: str = "office", **kw) -> Dispute:
    return svc.raise_dispute(
        demo.user(by),
        subject=kw.pop("subject", "Referral thresholds"),
        summary=kw.pop("summary", "The parties disagree about thresholds."),
        party_organisation_ids=[demo.org(o).id for o in orgs],
        raised_on=kw.pop("raised_on", date(2026, 11, 1)),
    )


def fire(d, trigger, who, demo, on=TODAY, **kw):
    return lifecycle.fire(d, trigger, user=demo.user(who), version=d.version, as_of=on, **kw)


def determined(demo, on=date(2026, 11, 9), *orgs) -> Dispute:
    d = raise_between(demo, *(orgs or ("police", "west")))
    fire(d, "determine", "chair", demo, params={"determined_on": on})
    return d


def meeting(on: date, **extra):
    return {"meeting_on": on, "meeting_time": "14:00", "location": "Committee Room 2", **extra}


def convened(demo, meeting_on=date(2026, 12, 1), **extra) -> Dispute:
    d = determined(demo)
    fire(d, "convene", "office", demo, params=meeting(meeting_on, **extra))
    return d


# --- raising --------------------------------------------------------------------------------


def test_raising_a_dispute_gives_it_a_reference_and_its_parties(demo):
    d = raise_between(demo, "police", "west", raised_on=date(2026, 11, 20))
    assert d.state == DisputeState.raised
    assert d.reference.startswith("DSP-2026-") and len(d.reference) == 12
    assert [p.organisation_id for p in d.parties] == [demo.org("police").id, demo.org("west").id]
    again = raise_between(demo, "icb", "north", raised_on=date(2026, 11, 21))
    assert again.ref_number == d.ref_number + 1
    # A dispute raised last year, entered now, is numbered in the year it was raised.
    last_year = raise_between(demo, "icb", "north", raised_on=date(2025, 1, 4))
    assert last_year.reference.startswith("DSP-2025-") and last_year.raised_on == date(2025, 1, 4)


def test_a_dispute_needs_a_subject_a_summary_and_two_parties(demo):
    with pytest.raises(ValidationFailed) as exc:
        svc.raise_dispute(demo.user("office"), subject=" ", summary="", party_organisation_ids=[demo.org("police").id])
    assert exc.value.errors == {
        "subject": "Enter what the dispute is about",
        "summary": "Enter a summary of the dispute",
        "party_organisation_ids": "Select at least two organisations in dispute",
    }
    with pytest.raises(ValidationFailed) as exc:
        svc.raise_dispute(
            demo.user("office"),
            subject="x",
            summary="y",
            party_organisation_ids=[demo.org("police").id, demo.org("police").id],
        )
    assert exc.value.errors == {"party_organisation_ids": "Select at least two organisations in dispute"}
    with pytest.raises(ValidationFailed) as exc:
        svc.raise_dispute(
            demo.user("office"), subject="x", summary="y", party_organisation_ids=[demo.org("police").id, 999999]
        )
    assert exc.value.errors == {"party_organisation_ids": "Select organisations from the list"}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Dispute).where(Dispute.subject == "x")) == 0


def test_a_partner_member_raises_only_disputes_their_organisation_is_party_to(demo):
    with pytest.raises(ValidationFailed) as exc:
        raise_between(demo, "icb", "west", by="police")
    assert exc.value.errors == {"party_organisation_ids": "Your organisation must be one of the parties to the dispute"}
    d = raise_between(demo, "police", "west", by="police")
    assert d.raised_by_id == demo.user("police").id
    for who in ("chair", "viewer", "admin"):
        with pytest.raises(Forbidden):
            raise_between(demo, "police", "west", by=who)


# --- determination --------------------------------------------------------------------------


def test_determining_the_dispute_fixes_the_deadline(demo):
    d = raise_between(demo, "police", "west", raised_on=date(2026, 1, 20))
    fire(d, "determine", "chair", demo, on=date(2026, 2, 2), params={"determined_on": date(2026, 1, 31)})
    assert (d.state, d.determined_on, d.deadline) == (DisputeState.determined, date(2026, 1, 31), date(2026, 2, 28))
    assert d.deadline_running


def test_the_determination_date_is_asked_for_and_checked(demo):
    d = raise_between(demo, "police", "west", raised_on=date(2026, 11, 10))
    with pytest.raises(ValidationFailed) as exc:
        fire(d, "determine", "office", demo, params={})
    assert exc.value.errors == {"determined_on": "Enter the date the dispute was determined"}
    with pytest.raises(ValidationFailed) as exc:
        fire(d, "determine", "office", demo, params={"determined_on": date(2026, 11, 24)})
    assert exc.value.reasons == ["The date the dispute was determined must be today or in the past"]
    with pytest.raises(ValidationFailed) as exc:
        fire(d, "determine", "office", demo, params={"determined_on": date(2026, 11, 9)})
    assert "on or after the date it was raised (10 November 2026)" in exc.value.reasons[0]
    assert d.state == DisputeState.raised and d.deadline is None


# --- convening ------------------------------------------------------------------------------


def test_convening_records_the_meeting_with_the_independent_chair_by_default(demo):
    d = convened(demo, meeting_on=date(2026, 12, 7))  # the deadline itself is in time
    assert d.state == DisputeState.meeting_convened
    assert (d.meeting_on, d.meeting_time, d.meeting_location) == (date(2026, 12, 7), time(14, 0), "Committee Room 2")
    assert d.chair_person_id == demo.person("chair").id and d.chair_reason is None
    assert not d.breached and d.late_reason is None


def test_a_date_after_the_deadline_is_refused_without_a_reason(demo):
    d = determined(demo)  # 9 November → deadline 7 December
    with pytest.raises(ValidationFailed) as exc:
        fire(d, "convene", "chair", demo, params=meeting(date(2026, 12, 8)))
    assert exc.value.errors == {"late_reason": "Enter the reason the meeting is after the deadline of 7 December 2026"}
    assert d.state == DisputeState.determined and d.meeting_on is None and not d.breached
    assert lifecycle.history(d.id)[-1].trigger == "determine"


def test_a_date_after_the_deadline_with_a_reason_is_accepted_and_counted_as_a_breach(demo):
    d = determined(demo)
    fire(d, "convene", "chair", demo, params=meeting(date(2026, 12, 8), late_reason="Both directors are on leave"))
    assert d.state == DisputeState.meeting_convened
    assert d.late_reason == "Both directors are on leave"
    assert d.breached and d.breach_recorded_on == TODAY
    assert "after the deadline of 7 December 2026: Both directors are on leave" in d.breach_note
    summary = svc.deadline_summary(date(2026, 11, 1), date(2026, 11, 30))
    mine = svc.list_disputes(demo.user("office"), svc.DisputeFilters(status=None, breached=True, per_page=200))[0]
    assert d in mine and summary.breached >= 1


def test_a_late_reason_for_a_meeting_in_time_is_not_kept(demo):
    d = convened(demo, meeting_on=date(2026, 12, 1), late_reason="Not needed")
    assert d.late_reason is None and not d.breached


def test_another_chair_needs_a_reason(demo):
    d = determined(demo)
    vice = demo.person("north_dass")
    with pytest.raises(ValidationFailed) as exc:
        fire(d, "convene", "office", demo, params=meeting(date(2026, 12, 1), chair_person_id=vice.id))
    assert exc.value.errors == {
        "chair_reason": "Enter the reason someone other than the Independent Chair will chair the meeting"
    }
    fire(
        d,
        "convene",
        "office",
        demo,
        params=meeting(
            date(2026, 12, 1), chair_person_id=vice.id, chair_reason="The Independent Chair declared an interest"
        ),
    )
    assert d.chair_person_id == vice.id and d.chair_reason == "The Independent Chair declared an interest"


def test_the_meeting_fields_are_checked(demo):
    d = determined(demo)
    gone = PersonFactory(active=False)
    with pytest.raises(ValidationFailed) as exc:
        fire(
            d,
            "convene",
            "office",
            demo,
            params={
                "meeting_on": date(2026, 11, 20),
                "meeting_time": "half two",
                "location": "x",
                "chair_person_id": gone.id,
            },
        )
    # A past date is a meeting already held: convening records it as held, with its outcome.
    assert exc.value.errors == {
        "outcome": "Enter the outcome of the meeting: a meeting on a past date has already taken place",
        "meeting_time": "Enter the time of the meeting, like 14:00 or 2:30pm",
        "chair_person_id": "Select who will chair the meeting from the list",
    }
    with pytest.raises(ValidationFailed) as exc:
        fire(d, "convene", "office", demo, params={})
    assert set(exc.value.errors) == {"meeting_on", "meeting_time", "location"}
    assert d.state == DisputeState.determined


def test_rearranging_to_a_late_date_needs_a_reason_and_records_the_breach(demo):
    d = convened(demo)
    with pytest.raises(ValidationFailed) as exc:
        fire(d, "rearrange", "office", demo, params=meeting(date(2026, 12, 10)), comment="Room unavailable")
    assert "late_reason" in exc.value.errors
    fire(
        d,
        "rearrange",
        "office",
        demo,
        params=meeting(date(2026, 12, 10), late_reason="No room sooner"),
        comment="Room unavailable",
    )
    assert d.state == DisputeState.meeting_convened and d.meeting_on == date(2026, 12, 10) and d.breached
    assert [h.trigger for h in lifecycle.history(d.id)][-2:] == ["convene", "rearrange"]


# --- the agenda -----------------------------------------------------------------------------


def test_the_agenda_is_agreed_when_every_party_has_agreed(demo):
    d = convened(demo)
    with pytest.raises(ValidationFailed) as exc:
        fire(d, "agree_agenda", "office", demo)
    assert exc.value.reasons == ["The business office has not drafted the agenda yet"]
    svc.draft_agenda(d, demo.user("office"), version=d.version, text=AGENDA)
    assert d.agenda_revision == 1
    with pytest.raises(ValidationFailed) as exc:
        fire(d, "agree_agenda", "office", demo)
    assert exc.value.reasons == ["County Police and West Council have not agreed the agenda yet"]
    svc.record_agenda_response(d, demo.user("police"), agenda_revision=1, response="agreed")
    assert d.state == DisputeState.meeting_convened
    with pytest.raises(ValidationFailed) as exc:
        fire(d, "agree_agenda", "chair", demo)
    assert exc.value.reasons == ["West Council has not agreed the agenda yet"]
    svc.record_agenda_response(d, demo.user("west"), agenda_revision=1, response="agreed")
    # The last party's agreement agrees the agenda.
    assert d.state == DisputeState.agenda_agreed
    last = lifecycle.history(d.id)[-1]
    assert (last.trigger, last.actor_id) == ("agree_agenda", demo.user("west").id)


def test_a_proposal_sends_the_agenda_back_and_a_redraft_clears_agreements(demo):
    d = convened(demo)
    svc.draft_agenda(d, demo.user("office"), version=d.version, text=AGENDA)
    svc.record_agenda_response(d, demo.user("police"), agenda_revision=1, response=AgendaResponseKind.agreed)
    with pytest.raises(ValidationFailed) as exc:
        svc.record_agenda_response(d, demo.user("west"), agenda_revision=1, response="changes_proposed")
    assert exc.value.errors == {"changes": "Enter the changes you propose to the agenda"}
    svc.record_agenda_response(
        d, demo.user("west"), agenda_revision=1, response="changes_proposed", changes="Add the feedback timescales"
    )
    assert [s.party.organisation.name for s in svc.changes_proposed(d)] == ["West Council"]
    assert d.state == DisputeState.meeting_convened

    svc.draft_agenda(d, demo.user("office"), version=d.version, text=AGENDA + "\nFeedback timescales")
    assert d.agenda_revision == 2
    assert [s.response for s in svc.agenda_status(d)] == [None, None]  # the police must agree again
    assert {o.name for o in svc.parties_not_agreed(d)} == {"County Police", "West Council"}
    # An answer to the old draft is refused.
    with pytest.raises(StaleVersion):
        svc.record_agenda_response(d, demo.user("police"), agenda_revision=1, response="agreed")
    svc.record_agenda_response(d, demo.user("west"), agenda_revision=2, response="agreed")
    svc.record_agenda_response(d, demo.user("police"), agenda_revision=2, response="agreed")
    assert d.state == DisputeState.agenda_agreed
    assert len(svc.agenda_history(d)) == 4  # every response is kept


def test_agreement_before_convening_is_recorded_as_agreed_once_convened(demo):
    d = determined(demo)
    svc.draft_agenda(d, demo.user("office"), version=d.version, text=AGENDA)
    for who in ("police", "west"):
        svc.record_agenda_response(d, demo.user(who), agenda_revision=1, response="agreed")
    assert d.state == DisputeState.determined  # the meeting is not convened yet
    fire(d, "convene", "chair", demo, params=meeting(date(2026, 12, 1)))
    assert lifecycle.may_fire(d, demo.user("west"), "agree_agenda")  # a party's representative
    assert not lifecycle.may_fire(d, demo.user("icb"), "agree_agenda")
    fire(d, "agree_agenda", "west", demo)
    assert d.state == DisputeState.agenda_agreed


def test_only_a_partys_representative_answers_the_agenda(demo):
    d = convened(demo)
    svc.draft_agenda(d, demo.user("office"), version=d.version, text=AGENDA)
    for who in ("icb", "office", "chair"):
        with pytest.raises(Forbidden):
            svc.record_agenda_response(d, demo.user(who), agenda_revision=1, response="agreed")
    with pytest.raises(Forbidden):
        svc.draft_agenda(d, demo.user("police"), version=d.version, text="Ours")
    with pytest.raises(ValidationFailed) as exc:
        svc.record_agenda_response(d, demo.user("police"), agenda_revision=1, response="maybe")
    assert exc.value.errors == {"response": "Select whether you agree the agenda or propose changes"}


def test_the_agenda_cannot_change_once_agreed(demo):
    d = convened(demo)
    svc.draft_agenda(d, demo.user("office"), version=d.version, text=AGENDA)
    for who in ("police", "west"):
        svc.record_agenda_response(d, demo.user(who), agenda_revision=1, response="agreed")
    assert d.state == DisputeState.agenda_agreed
    with pytest.raises(Conflict):
        svc.draft_agenda(d, demo.user("office"), version=d.version, text="Something else")
    with pytest.raises(Conflict):
        svc.record_agenda_response(d, demo.user("police"), agenda_revision=1, response="agreed")
    raised = raise_between(demo, "police", "west")
    with pytest.raises(Conflict):
        svc.draft_agenda(raised, demo.user("office"), version=raised.version, text=AGENDA)


# --- after the meeting -----------------------------------------------------------------------


def agreed(demo, meeting_on=date(2026, 12, 1), **extra) -> Dispute:
    d = convened(demo, meeting_on=meeting_on, **extra)
    svc.draft_agenda(d, demo.user("office"), version=d.version, text=AGENDA)
    for who in ("police", "west"):
        svc.record_agenda_response(d, demo.user(who), agenda_revision=1, response="agreed")
    return d


def test_after_the_meeting_outcome_actions_and_resolution(demo):
    d = agreed(demo)
    with pytest.raises(ValidationFailed) as exc:
        fire(
            d,
            "record_meeting",
            "office",
            demo,
            on=date(2026, 11, 30),
            params={"held_on": date(2026, 12, 1), "outcome": "Agreed"},
        )
    assert exc.value.reasons == ["The date the meeting was held must be today or in the past"]
    with pytest.raises(Conflict):
        svc.add_agreed_action(
            d, demo.user("office"), title="x", owner_organisation_id=demo.org("west").id, due_date=date(2027, 1, 31)
        )
    fire(
        d,
        "record_meeting",
        "office",
        demo,
        on=date(2026, 12, 1),
        params={"held_on": date(2026, 12, 1), "outcome": "Thresholds agreed"},
    )
    assert (d.state, d.held_on, d.outcome, d.breached) == (
        DisputeState.meeting_held,
        date(2026, 12, 1),
        "Thresholds agreed",
        False,
    )
    action = svc.add_agreed_action(
        d,
        demo.user("chair"),
        title="Publish the agreed threshold guidance",
        owner_organisation_id=demo.org("west").id,
        due_date=date(2027, 1, 31),
    )
    assert (action.source_type, action.source_id, action.source_label) == (ActionSource.dispute, d.id, d.reference)
    assert svc.actions_of(d) == [action]
    with pytest.raises(Forbidden):
        svc.add_agreed_action(
            d, demo.user("police"), title="x", owner_organisation_id=demo.org("west").id, due_date=date(2027, 1, 31)
        )
    with pytest.raises(ValidationFailed) as exc:
        fire(d, "resolve", "chair", demo, params={})
    assert exc.value.errors == {"resolution": "Enter how the dispute was resolved"}
    fire(d, "resolve", "chair", demo, on=date(2026, 12, 3), params={"resolution": "Both accepted the guidance"})
    assert (d.state, d.resolution, d.closed_on) == (
        DisputeState.resolved,
        "Both accepted the guidance",
        date(2026, 12, 3),
    )
    assert not d.deadline_running


def test_a_meeting_held_after_the_deadline_is_a_breach_and_one_held_in_time_is_not(demo):
    late = agreed(demo)
    fire(
        late,
        "record_meeting",
        "office",
        demo,
        on=date(2026, 12, 9),
        params={"held_on": date(2026, 12, 8), "outcome": "Postponed a day; agreed"},
    )
    assert late.breached and "held on 8 December 2026, after the deadline of 7 December 2026" in late.breach_note
    # The day-29 job recorded a breach, but the meeting had in fact been held on time.
    on_time = agreed(demo)
    assert svc.record_breaches(date(2026, 12, 8)) >= 1
    assert on_time.breached
    fire(
        on_time,
        "record_meeting",
        "office",
        demo,
        on=date(2026, 12, 9),
        params={"held_on": date(2026, 12, 7), "outcome": "Agreed"},
    )
    assert not on_time.breached and on_time.breach_note is None


def test_escalation_is_the_chairs(demo):
    d = agreed(demo)
    fire(
        d,
        "record_meeting",
        "office",
        demo,
        on=date(2026, 12, 1),
        params={"held_on": date(2026, 12, 1), "outcome": "No agreement"},
    )
    with pytest.raises(Forbidden):
        fire(d, "escalate", "office", demo, params={"escalation_reason": "No agreement"})
    assert d.state == DisputeState.meeting_held


def test_withdrawal_needs_a_reason_and_closes_any_open_dispute(demo):
    d = convened(demo)
    with pytest.raises(ValidationFailed) as exc:
        fire(d, "withdraw", "office", demo)
    assert exc.value.errors == {"comment": "Enter reason for withdrawing"}
    fire(d, "withdraw", "office", demo, comment="Settled between the parties")
    assert (d.state, d.withdrawal_reason, d.closed_on) == (DisputeState.withdrawn, "Settled between the parties", TODAY)
    with pytest.raises(Conflict):
        fire(d, "withdraw", "office", demo, comment="Again")
    assert set(lifecycle.transitions["withdraw"].sources) == {
        "raised",
        "determined",
        "meeting_convened",
        "agenda_agreed",
        "meeting_held",
    }


# --- who may do what ------------------------------------------------------------------------


def test_wrong_role_wrong_state_and_stale_version_are_refused(demo):
    d = raise_between(demo, "police", "west")
    for who in ("police", "west", "viewer", "admin"):
        with pytest.raises(Forbidden):
            fire(d, "determine", who, demo, params={"determined_on": date(2026, 11, 9)})
    with pytest.raises(Conflict) as exc:
        fire(d, "convene", "office", demo, params=meeting(date(2026, 12, 1)))
    assert "when the dispute is raised" in exc.value.message
    with pytest.raises(StaleVersion):
        lifecycle.fire(
            d, "determine", user=demo.user("office"), version=d.version - 1, params={"determined_on": date(2026, 11, 9)}
        )
    assert d.state == DisputeState.raised
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(WorkflowHistory)
            .where(WorkflowHistory.lifecycle == "dispute", WorkflowHistory.entity_id == d.id)
        )
        == 0
    )
    fire(d, "determine", "office", demo, params={"determined_on": date(2026, 11, 9)})
    with pytest.raises(Forbidden):
        fire(d, "convene", "police", demo, params=meeting(date(2026, 12, 1)))


def test_the_buttons_follow_the_rules(demo):
    d = convened(demo)
    assert set(lifecycle.available_triggers(d, demo.user("office"))) == {"rearrange", "agree_agenda", "withdraw"}
    assert lifecycle.available_triggers(d, demo.user("police")) == ["agree_agenda"]
    assert lifecycle.available_triggers(d, demo.user("icb")) == []  # not a party
    assert lifecycle.available_triggers(d, demo.user("viewer")) == []


# --- who may see ----------------------------------------------------------------------------


def test_parties_see_their_own_disputes_and_others_do_not(demo):
    d = raise_between(demo, "police", "west")
    for who in ("police", "west", "office", "chair"):
        assert svc.get_dispute(d.id, demo.user(who)) == d
    for who in ("icb", "north", "sarchair", "viewer", "admin"):
        with pytest.raises(NotFound):
            svc.get_dispute(d.id, demo.user(who))
    ids = {x.id for x in svc.list_disputes(demo.user("icb"), svc.DisputeFilters(status=None, per_page=200))[0]}
    assert d.id not in ids
    assert svc.list_disputes(demo.user("viewer"), svc.DisputeFilters(status=None))[1] == 0
    assert (
        svc.list_disputes(
            demo.user("office"), svc.DisputeFilters(status=None, organisation_id=demo.org("west").id, per_page=200)
        )[0].count(d)
        == 1
    )


def test_the_list_puts_the_nearest_deadline_first(demo):
    later = determined(demo, date(2026, 11, 20))
    sooner = determined(demo, date(2026, 11, 3))
    rows = [
        r
        for r in svc.list_disputes(demo.user("office"), svc.DisputeFilters(per_page=200))[0]
        if r.id in (later.id, sooner.id)
    ]
    assert rows == [sooner, later]


def test_home_panel_counts(demo):
    d = determined(demo, date(2026, 11, 2), "icb", "west")
    due = svc.needing_meeting()
    assert due.count >= 1 and due.nearest <= d.deadline
    before = svc.deadlines_between(date(2026, 11, 24), date(2026, 11, 30))
    assert before.nearest <= date(2026, 11, 30)
    fire(d, "convene", "office", demo, params=meeting(date(2026, 11, 27)))
    assert svc.needing_meeting().count == due.count - 1
    # Convened but not yet held: its deadline still counts this week.
    assert svc.deadlines_between(date(2026, 11, 24), date(2026, 11, 30)).count == before.count
    before = svc.agendas_awaiting(demo.user("icb"))
    svc.draft_agenda(d, demo.user("office"), version=d.version, text=AGENDA)
    assert svc.agendas_awaiting(demo.user("icb")) == before + 1
    svc.record_agenda_response(d, demo.user("icb"), agenda_revision=1, response="agreed")
    assert svc.agendas_awaiting(demo.user("icb")) == before
    assert svc.agendas_awaiting(demo.user("office")) == 0


def test_agreed_actions_carry_the_reference_and_no_names(demo):
    d = agreed(demo)
    fire(
        d,
        "record_meeting",
        "office",
        demo,
        on=date(2026, 12, 1),
        params={"held_on": date(2026, 12, 1), "outcome": "Agreed"},
    )
    svc.add_agreed_action(
        d,
        demo.user("office"),
        title="Joint briefing",
        owner_organisation_id=demo.org("police").id,
        due_date=date(2027, 1, 31),
    )
    labels = set(
        db.session.scalars(
            sa.select(Action.source_label).where(Action.source_type == ActionSource.dispute, Action.source_id == d.id)
        )
    )
    assert labels == {d.reference}
