"""Minutes: drafted per agenda item by the office, approved or returned by the group's chair
only (the independent chair for the Board and the Executive, a sub-group's own chair),
ratified only at a later quorate meeting of the same group, then immutable (corrections
are amendments). Viewers read ratified minutes only."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import Minutes, MinutesSection, MinutesState
from safeguarding.services import meetings as svc
from safeguarding.services.errors import (
    Conflict,
    Forbidden,
    NotFound,
    StaleVersion,
    ValidationFailed,
)
from safeguarding.workflows.meetings import minutes_lifecycle as lifecycle
from tests.support.meetings import close, everyone, open_meeting, record, schedule

LATER = date(2027, 6, 15)


@pytest.fixture
def held(demo):
    m = schedule(demo)
    open_meeting(m, demo)
    close(m, demo)
    return m


def _written(demo, meeting) -> Minutes:
    minutes = svc.start_minutes(meeting, user=demo.user("office"))
    items = svc.agenda_of(meeting)
    svc.update_minutes(
        minutes,
        version=minutes.version,
        user=demo.user("office"),
        sections={items[0].id: "Apologies from no one.", items[3].id: "Actions reviewed."},
    )
    return minutes


def _approved(demo, meeting) -> Minutes:
    minutes = _written(demo, meeting)
    lifecycle.fire(minutes, "submit", user=demo.user("office"), version=minutes.version)
    lifecycle.fire(minutes, "approve", user=demo.user("chair"), version=minutes.version)
    return minutes


def test_minutes_are_written_per_agenda_item_by_the_office(demo, held):
    minutes = _written(demo, held)
    sections = svc.sections_of(minutes)
    assert set(sections) == {i.id for i in svc.agenda_of(held)}
    assert sections[svc.agenda_of(held)[0].id].text == "Apologies from no one."
    with pytest.raises(Conflict):
        svc.start_minutes(held, user=demo.user("office"))  # one set per meeting
    with pytest.raises(Forbidden):
        svc.update_minutes(minutes, version=minutes.version, sections={}, user=demo.user("chair"))
    with pytest.raises(StaleVersion):
        svc.update_minutes(minutes, version=minutes.version - 1, sections={}, user=demo.user("office"))
    with pytest.raises(ValidationFailed):
        svc.update_minutes(minutes, version=minutes.version, sections={999999: "x"}, user=demo.user("office"))


def test_minutes_wait_for_the_meeting(demo):
    m = schedule(demo)
    with pytest.raises(Conflict):
        svc.start_minutes(m, user=demo.user("office"))
    open_meeting(m, demo)
    minutes = _written(demo, m)  # drafting may start in the meeting
    with pytest.raises(ValidationFailed) as exc:
        lifecycle.fire(minutes, "submit", user=demo.user("office"), version=minutes.version)
    assert exc.value.reasons == ["Close the meeting before its minutes are submitted"]


def test_empty_minutes_are_not_submitted(demo, held):
    minutes = svc.start_minutes(held, user=demo.user("office"))
    with pytest.raises(ValidationFailed) as exc:
        lifecycle.fire(minutes, "submit", user=demo.user("office"), version=minutes.version)
    assert exc.value.reasons == ["Write the minutes of at least one item first"]


def test_only_the_chair_approves_or_returns_minutes(demo, held):
    minutes = _written(demo, held)
    lifecycle.fire(minutes, "submit", user=demo.user("office"), version=minutes.version)
    for who in ("office", "police", "north"):
        with pytest.raises(Forbidden):
            lifecycle.fire(minutes, "approve", user=demo.user(who), version=minutes.version)
        with pytest.raises(Forbidden):
            lifecycle.fire(minutes, "return_for_changes", user=demo.user(who), version=minutes.version, comment="No")
    with pytest.raises(ValidationFailed) as exc:
        lifecycle.fire(minutes, "return_for_changes", user=demo.user("chair"), version=minutes.version)
    assert exc.value.errors == {"comment": "Enter what needs to change"}
    lifecycle.fire(
        minutes,
        "return_for_changes",
        user=demo.user("chair"),
        version=minutes.version,
        comment="Item 4 needs the owners of the actions",
    )
    assert minutes.state == MinutesState.draft
    assert lifecycle.history(minutes.id)[-1].comment == "Item 4 needs the owners of the actions"
    lifecycle.fire(minutes, "submit", user=demo.user("office"), version=minutes.version)
    lifecycle.fire(minutes, "approve", user=demo.user("chair"), version=minutes.version, as_of=date(2027, 6, 1))
    assert minutes.state == MinutesState.approved and minutes.approved_on == date(2027, 6, 1)


SAR_GROUP = ["sar_chair", "north_deputy", "west_deputy", "police_deputy", "acute_deputy"]


def test_a_sub_groups_minutes_are_approved_by_its_own_chair_not_the_independent_chair(demo):
    """The constitution: minutes go to the group's Chair — the independent chair for the
    Board and the Executive, a sub-group's own chair for a sub-group."""
    m = schedule(demo, "sar")
    open_meeting(m, demo, everyone(people=SAR_GROUP), group="sar")
    close(m, demo)
    minutes = _written(demo, m)
    lifecycle.fire(minutes, "submit", user=demo.user("office"), version=minutes.version)
    sar_chair = demo.user("sarchair")
    # the sub-group's chair sees the minutes submitted to them, and is offered approval
    assert svc.get_minutes(minutes.id, sar_chair).id == minutes.id
    assert {o.trigger for o in lifecycle.options(minutes, sar_chair)} >= {"approve", "return_for_changes"}
    for who in ("chair", "office", "police"):
        with pytest.raises(Forbidden):
            lifecycle.fire(minutes, "approve", user=demo.user(who), version=minutes.version)
        with pytest.raises(Forbidden):
            lifecycle.fire(minutes, "return_for_changes", user=demo.user(who), version=minutes.version, comment="No")
    lifecycle.fire(minutes, "approve", user=sar_chair, version=minutes.version)
    assert minutes.state == MinutesState.approved and minutes.approved_by_id == sar_chair.id


def _waiting_for(demo, who: str) -> int:
    return db.session.scalar(svc.minutes_to_approve_select(demo.user(who)))


def test_each_chair_is_counted_the_minutes_waiting_for_their_own_approval(demo, held):
    before = {who: _waiting_for(demo, who) for who in ("chair", "sarchair")}
    board = _written(demo, held)
    lifecycle.fire(board, "submit", user=demo.user("office"), version=board.version)
    assert _waiting_for(demo, "chair") == before["chair"] + 1
    assert _waiting_for(demo, "sarchair") == before["sarchair"]
    m = schedule(demo, "sar")
    open_meeting(m, demo, everyone(people=SAR_GROUP), group="sar")
    close(m, demo)
    sar = _written(demo, m)
    lifecycle.fire(sar, "submit", user=demo.user("office"), version=sar.version)
    assert _waiting_for(demo, "chair") == before["chair"] + 1
    assert _waiting_for(demo, "sarchair") == before["sarchair"] + 1
    assert _waiting_for(demo, "police") == 0


def test_a_sub_group_chair_does_not_approve_the_boards_minutes(demo, held):
    minutes = _written(demo, held)
    lifecycle.fire(minutes, "submit", user=demo.user("office"), version=minutes.version)
    sar_chair = demo.user("sarchair")  # a Board member, but not its chair
    assert not {o.trigger for o in lifecycle.options(minutes, sar_chair)} & {"approve", "return_for_changes"}
    with pytest.raises(Forbidden):
        lifecycle.fire(minutes, "approve", user=sar_chair, version=minutes.version)
    lifecycle.fire(minutes, "approve", user=demo.user("chair"), version=minutes.version)
    assert minutes.state == MinutesState.approved


def test_approved_minutes_are_not_edited_but_amended(demo, held):
    minutes = _approved(demo, held)
    with pytest.raises(Conflict) as exc:
        svc.update_minutes(minutes, version=minutes.version, sections={}, user=demo.user("office"))
    assert exc.value.message == "Minutes that are approved cannot be changed: record an amendment instead"
    amendment = svc.add_amendment(
        minutes, user=demo.user("office"), text="Add West's apologies", reason="Omitted in error"
    )
    assert svc.amendments_of(minutes) == [amendment]


def test_the_database_refuses_changes_to_approved_minutes(demo, held):
    minutes = _approved(demo, held)
    section = db.session.scalar(sa.select(MinutesSection).where(MinutesSection.minutes_id == minutes.id).limit(1))
    section.text = "Rewritten history"
    with pytest.raises(RuntimeError, match="immutable"):
        db.session.flush()
    db.session.rollback()


def test_minutes_are_ratified_only_at_a_later_quorate_meeting_of_the_same_group(demo, held):
    minutes = _approved(demo, held)
    office = demo.user("office")
    # No later meeting in session.
    with pytest.raises(ValidationFailed) as exc:
        lifecycle.fire(minutes, "ratify", user=office, version=minutes.version)
    assert exc.value.reasons == ["Choose the meeting of the group, now in session, that ratifies the minutes"]
    # A meeting of another group.
    sar = schedule(demo, "sar", on=LATER)
    open_meeting(
        sar, demo, {"sar_chair": "present", "north_deputy": "present", "police_deputy": "present"}, group="sar"
    )
    with pytest.raises(ValidationFailed) as exc:
        lifecycle.fire(minutes, "ratify", user=office, version=minutes.version, params={"meeting_id": sar.id})
    assert exc.value.reasons == ["Minutes are ratified by a meeting of the same group (Safeguarding Partnership Board)"]
    # The same meeting cannot ratify itself.
    with pytest.raises(ValidationFailed) as exc:
        lifecycle.fire(minutes, "ratify", user=office, version=minutes.version, params={"meeting_id": held.id})
    assert exc.value.reasons == ["Minutes are ratified only at a later meeting of the group"]
    # A later Board meeting that has lost its quorum.
    later = schedule(demo, on=LATER)
    open_meeting(later, demo)
    record(later, demo, {"icb_lead": "absent", "sar_chair": "absent"})
    with pytest.raises(ValidationFailed) as exc:
        lifecycle.fire(minutes, "ratify", user=office, version=minutes.version, params={"meeting_id": later.id})
    assert exc.value.reasons == [
        "The meeting that ratifies the minutes is not quorate: no one from the integrated care board is present"
    ]
    assert minutes.state == MinutesState.approved
    record(later, demo, {"icb_lead": "present"})
    lifecycle.fire(minutes, "ratify", user=office, version=minutes.version)  # the one in session
    assert minutes.state == MinutesState.ratified
    assert (minutes.ratified_on, minutes.ratified_at_meeting_id) == (LATER, later.id)
    (decision,) = svc.decisions_for("minutes", minutes.id)
    assert decision.meeting_id == later.id and svc.decision_stands(decision)


def test_a_closed_meeting_cannot_ratify(demo, held):
    minutes = _approved(demo, held)
    later = schedule(demo, on=LATER)
    open_meeting(later, demo)
    close(later, demo)
    with pytest.raises(ValidationFailed) as exc:
        lifecycle.fire(
            minutes, "ratify", user=demo.user("office"), version=minutes.version, params={"meeting_id": later.id}
        )
    assert exc.value.reasons == ["The meeting that ratifies the minutes must be in session"]


def test_ratified_minutes_are_immutable(demo):
    minutes = db.session.get(Minutes, demo.id("minutes", "ratified"))
    assert minutes.state == MinutesState.ratified
    with pytest.raises(Conflict) as exc:
        svc.update_minutes(minutes, version=minutes.version, sections={}, user=demo.user("office"))
    assert exc.value.message == "Ratified minutes are the permanent record: record an amendment instead"
    assert lifecycle.available_triggers(minutes, demo.user("office")) == []
    assert lifecycle.available_triggers(minutes, demo.user("chair")) == []
    section = db.session.scalar(
        sa.select(MinutesSection).where(MinutesSection.minutes_id == minutes.id, MinutesSection.text != "").limit(1)
    )
    section.text = "Changed"
    with pytest.raises(RuntimeError):
        db.session.flush()
    db.session.rollback()


def test_draft_minutes_are_not_amended(demo):
    minutes = db.session.get(Minutes, demo.id("minutes", "draft"))
    with pytest.raises(Conflict):
        svc.add_amendment(minutes, user=demo.user("office"), text="x", reason="y")
    with pytest.raises(ValidationFailed):
        svc.add_amendment(
            db.session.get(Minutes, demo.id("minutes", "ratified")), user=demo.user("office"), text=" ", reason=" "
        )


def test_who_reads_which_minutes(demo):
    ids = {k: demo.id("minutes", k) for k in ("draft", "submitted", "approved", "ratified")}
    viewer, police = demo.user("viewer"), demo.user("police")
    assert svc.get_minutes(ids["ratified"], viewer).state == MinutesState.ratified
    for state in ("draft", "submitted", "approved"):
        with pytest.raises(NotFound):
            svc.get_minutes(ids[state], viewer)
    rows, _ = svc.list_minutes(viewer, svc.MinutesFilters(per_page=200))
    assert rows and all(m.state == MinutesState.ratified for m in rows)
    # Members read the approved (circulated) and ratified minutes of their groups.
    assert svc.get_minutes(ids["approved"], police)
    with pytest.raises(NotFound):
        svc.get_minutes(ids["draft"], police)  # the Executive's draft
    with pytest.raises(NotFound):
        svc.get_minutes(ids["submitted"], police)  # the SAR sub-group's: not police_lead's group
    for who in ("office", "chair"):
        assert svc.get_minutes(ids["draft"], demo.user(who))
    with pytest.raises(NotFound):
        svc.get_minutes(ids["ratified"], demo.user("admin"))


def test_the_demo_has_minutes_in_every_state(demo):
    states = {
        k: db.session.get(Minutes, demo.id("minutes", k)).state.value
        for k in ("draft", "submitted", "approved", "ratified")
    }
    assert states == {"draft": "draft", "submitted": "submitted", "approved": "approved", "ratified": "ratified"}


def test_an_inquorate_meeting_is_minuted_and_its_minutes_ratified_later(demo):
    minutes = db.session.get(Minutes, demo.id("minutes", "inquorate"))
    assert minutes.meeting.state.value == "inquorate" and minutes.state == MinutesState.ratified
    assert minutes.ratified_at_meeting_id != minutes.meeting_id


def test_approved_minutes_are_circulated_to_the_groups_members(demo, held):
    from safeguarding.models import OutboxMessage

    minutes = _written(demo, held)
    lifecycle.fire(minutes, "submit", user=demo.user("office"), version=minutes.version)
    # Nothing is sent before approval.
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.dedupe_key.like(f"minutes-circulated:{minutes.id}:%"))
        )
        == 0
    )
    lifecycle.fire(minutes, "approve", user=demo.user("chair"), version=minutes.version, as_of=date(2027, 5, 25))
    messages = db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.dedupe_key.like(f"minutes-circulated:{minutes.id}:%"))
    ).all()
    board = [demo.membership("board", k) for k in ("police_lead", "west_dass", "fire_lead")]
    addresses = {a for m in messages for a in m.to_addrs}
    assert {m.person.email for m in board} <= addresses
    assert demo.person("police_deputy").email in addresses  # named deputies too
    assert demo.person("north_dcs").email not in addresses  # not on the Board
    assert all(len(m.to_addrs) == 1 for m in messages)  # one each: addresses are not shared
    message = next(m for m in messages if m.to_addrs == [demo.person("police_lead").email])
    assert message.subject == "Approved minutes: Board meeting, 18 May 2027"
    assert "Hello Ch Supt Daniel Reeve," in message.body and f"/minutes/{minutes.id}" in message.body
    assert minutes.circulated_at is not None
    assert svc.circulate_minutes(minutes, date(2027, 5, 25)) == len(messages)
    assert db.session.scalar(
        sa.select(sa.func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.dedupe_key.like(f"minutes-circulated:{minutes.id}:%"))
    ) == len(messages)


def test_restricted_minutes_fail_closed_when_no_feature_names_the_case_groups(demo, monkeypatch):
    """The groups whose minutes are restricted (the SAR and CSPR sub-groups) are named by
    the reviews feature; if nothing has named them, reading minutes is refused rather
    than shown to everyone."""
    from safeguarding.services.meetings import minutes

    assert svc.case_group_ids()  # the reviews feature registered its groups
    monkeypatch.setattr(minutes, "_case_group_sources", [])
    with pytest.raises(RuntimeError, match="groups that discuss cases"):
        svc.case_group_ids()
