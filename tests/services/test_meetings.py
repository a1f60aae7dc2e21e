"""Meetings: scheduling, agendas, papers, the register and quorum, apologies, the
meeting's lifecycle. Decisions, chair's actions and minutes are in the neighbouring
modules."""

from __future__ import annotations

from datetime import date, time

import pytest
import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import (
    AgendaItem,
    AgendaItemKind,
    Attendance,
    AttendanceStatus,
    GroupKind,
    Meeting,
    MeetingKind,
    MeetingState,
    MembershipRole,
    OrganisationKind,
)
from safeguarding.models.meetings import HELD_STATES
from safeguarding.services import meetings as svc
from safeguarding.services.errors import (
    Conflict,
    Forbidden,
    NotFound,
    StaleVersion,
    ValidationFailed,
)
from safeguarding.workflows.meetings import meeting_lifecycle as lifecycle
from tests.support.factories import (
    GroupFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
)
from tests.support.meetings import FUTURE, everyone, open_meeting, publish, record, schedule

# --- scheduling ------------------------------------------------------------------------------


def test_papers_are_due_five_working_days_before_the_meeting():
    # Easter Monday 2020 is not a working day.
    assert svc.papers_due_date(date(2020, 4, 21)) == date(2020, 4, 14)
    # Christmas 2026: Friday 25th and the substitute Boxing Day on Monday 28th.
    assert svc.papers_due_date(date(2026, 12, 29)) == date(2026, 12, 18)
    assert svc.papers_due_date(date(2027, 5, 18)) == date(2027, 5, 11)


def test_a_series_keeps_the_weekday_of_the_month_and_avoids_bank_holidays():
    assert svc.series_dates(date(2020, 4, 21), 6, 2) == [
        date(2020, 4, 21),
        date(2020, 6, 16),
        date(2020, 8, 18),
        date(2020, 10, 20),
        date(2020, 12, 15),
        date(2021, 2, 16),
    ]
    # The first Monday of May 2027 is a bank holiday: the meeting moves to the Tuesday.
    assert svc.series_dates(date(2027, 4, 5), 2, 1) == [date(2027, 4, 5), date(2027, 5, 4)]
    # A fifth Tuesday becomes the month's last Tuesday.
    assert svc.series_dates(date(2027, 3, 30), 2, 1)[1] == date(2027, 4, 27)


def test_the_board_year_is_scheduled_in_one_go_with_standing_items(demo):
    meetings = svc.schedule_series(
        group_id=demo.group("board").id,
        first_date=date(2027, 4, 20),
        count=6,
        interval_months=2,
        location="Committee Room 2",
    )
    assert [m.meeting_date for m in meetings] == [
        date(2027, 4, 20),
        date(2027, 6, 15),
        date(2027, 8, 17),
        date(2027, 10, 19),
        date(2027, 12, 21),
        date(2028, 2, 15),
    ]
    assert all(m.state == MeetingState.scheduled and m.location == "Committee Room 2" for m in meetings)
    items = svc.agenda_of(meetings[0])
    kinds = [i.kind for i in items]
    assert kinds[:5] == [
        AgendaItemKind.apologies,
        AgendaItemKind.declarations,
        AgendaItemKind.previous_minutes,
        AgendaItemKind.action_log,
        AgendaItemKind.chair_actions,
    ]
    subgroups = {
        g.id
        for g in svc.db.session.scalars(
            sa.select(svc.Group).where(svc.Group.kind == GroupKind.subgroup, svc.Group.active.is_(True))
        )
    }
    slots = [i for i in items if i.kind == AgendaItemKind.subgroup_report]
    assert {i.group_id for i in slots} == subgroups and len(slots) == 6
    assert "Report from the Safeguarding Adults Review sub-group" in [i.title for i in slots]


def test_a_sub_group_meeting_has_the_core_standing_items_only(demo):
    m = schedule(demo, "sar")
    assert [i.kind for i in svc.agenda_of(m)] == [
        AgendaItemKind.apologies,
        AgendaItemKind.declarations,
        AgendaItemKind.previous_minutes,
        AgendaItemKind.action_log,
    ]


def test_an_extraordinary_board_meeting_has_no_sub_group_slots_and_says_what_it_is_for(demo):
    with pytest.raises(ValidationFailed) as exc:
        schedule(demo, kind=MeetingKind.extraordinary)
    assert exc.value.errors == {"purpose": "Enter what the extraordinary meeting is for"}
    m = schedule(demo, kind=MeetingKind.extraordinary, purpose="Serious incident at a care home")
    kinds = {i.kind for i in svc.agenda_of(m)}
    assert AgendaItemKind.subgroup_report not in kinds and AgendaItemKind.chair_actions in kinds
    assert m.name == "Board extraordinary meeting, 18 May 2027"


def test_scheduling_refuses_bad_input(demo):
    schedule(demo)
    with pytest.raises(ValidationFailed) as exc:
        svc.schedule_meeting(group_id=demo.group("board").id, meeting_date=FUTURE, starts_at=time(14), ends_at=time(13))
    assert exc.value.errors == {
        "meeting_date": "The Board already has a meeting on 18 May 2027",
        "ends_at": "The meeting must end after it starts",
    }
    with pytest.raises(ValidationFailed) as exc:
        svc.schedule_meeting(group_id=999999, meeting_date=None)
    assert exc.value.errors["group_id"] == "Select the group that is meeting"
    assert exc.value.errors["meeting_date"] == "Enter the date of the meeting"
    with pytest.raises(ValidationFailed) as exc:
        svc.schedule_series(group_id=demo.group("board").id, first_date=FUTURE, count=13, interval_months=0)
    assert set(exc.value.errors) == {"count", "interval_months"}


def test_a_cancelled_meetings_date_can_be_used_again(demo):
    m = schedule(demo)
    lifecycle.fire(m, "cancel", user=demo.user("office"), version=m.version, comment="Room unavailable")
    assert schedule(demo).state == MeetingState.scheduled


def test_moving_a_meeting_moves_its_papers_due_date_and_checks_the_version(demo):
    m = schedule(demo)
    svc.update_meeting(
        m, version=m.version, meeting_date=date(2027, 5, 25), starts_at=time(9), ends_at=time(11), location="Online"
    )
    assert m.papers_due_on == date(2027, 5, 18) and m.location == "Online"
    with pytest.raises(StaleVersion):
        svc.update_meeting(
            m, version=m.version - 1, meeting_date=date(2027, 5, 26), starts_at=time(9), ends_at=time(11), location=None
        )
    open_meeting(m, demo)
    with pytest.raises(Conflict):
        svc.update_meeting(
            m, version=m.version, meeting_date=date(2027, 5, 26), starts_at=time(9), ends_at=time(11), location=None
        )


def test_next_meeting_skips_cancelled_and_held_meetings(demo):
    board = demo.group("board").id
    first, second = schedule(demo), schedule(demo, on=date(2027, 6, 15))
    assert svc.next_meeting(board, date(2027, 5, 1)) == first
    assert svc.next_meeting(board, FUTURE) == second  # strictly after
    lifecycle.fire(first, "cancel", user=demo.user("office"), version=first.version, comment="Snow")
    assert svc.next_meeting(board, date(2027, 5, 1)) == second


# --- agenda ------------------------------------------------------------------------------------


def test_agenda_items_about_a_subject_are_added_once_per_meeting(demo):
    m = schedule(demo)
    a = svc.add_agenda_item(m, title="Budget 2028/29", subject_type="budget", subject_id=7)
    b = svc.add_agenda_item(m, title="Budget 2028/29 (again)", subject_type="budget", subject_id=7)
    assert a.id == b.id
    assert a.position == len(svc.agenda_of(m))
    with pytest.raises(ValidationFailed) as exc:
        svc.add_agenda_item(m, title=" ")
    assert exc.value.errors == {"title": "Enter the title of the agenda item"}


def test_the_next_board_agenda_is_idempotent_per_subject_and_waits_for_a_meeting(demo):
    after = date(2027, 3, 1)  # after the demo's February 2027 Board
    assert (
        svc.add_to_next_board_agenda("Escalation: Fire", subject_type="escalation", subject_id=42, after=after) is None
    )
    m = schedule(demo)
    placed = [i for i in svc.agenda_of(m) if i.subject_type == "escalation"]
    assert [(i.title, i.subject_id) for i in placed] == [("Escalation: Fire", 42)]
    again = svc.add_to_next_board_agenda("Escalation: Fire", subject_type="escalation", subject_id=42, after=after)
    assert again.id == placed[0].id
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(AgendaItem).where(AgendaItem.subject_type == "escalation")
        )
        == 1
    )


def test_a_subject_is_carried_to_the_next_meeting_when_a_meeting_is_cancelled_or_ends_undecided(demo):
    first, second = schedule(demo), schedule(demo, on=date(2027, 6, 15))
    item = svc.add_to_next_board_agenda(
        "Work plan approval", subject_type="work_plan", subject_id=3, after=date(2027, 3, 1)
    )
    assert item.meeting_id == first.id
    lifecycle.fire(first, "cancel", user=demo.user("office"), version=first.version, comment="Snow")
    moved = [i for i in svc.agenda_of(second) if i.subject_type == "work_plan"]
    assert len(moved) == 1
    open_meeting(second, demo)
    lifecycle.fire(second, "close", user=demo.user("office"), version=second.version, as_of=second.meeting_date)
    third = schedule(demo, on=date(2027, 8, 17))
    assert [i.subject_id for i in svc.agenda_of(third) if i.subject_type == "work_plan"] == [3]


def test_agenda_items_move_and_are_withdrawn_with_a_reason(demo):
    m = schedule(demo)
    office = demo.user("office")
    items = svc.agenda_of(m)
    svc.move_agenda_item(items[3], "up", user=office)
    assert [i.id for i in svc.agenda_of(m)][2:4] == [items[3].id, items[2].id]
    with pytest.raises(ValidationFailed) as exc:
        svc.withdraw_agenda_item(items[0], user=office, reason="Not needed")
    assert "standing item on every agenda" in exc.value.reasons[0]
    with pytest.raises(ValidationFailed):
        svc.withdraw_agenda_item(items[-1], user=office, reason=" ")
    svc.withdraw_agenda_item(items[-1], user=office, reason="No report this time")
    assert items[-1] not in svc.agenda_of(m) and items[-1].withdrawn_reason == "No report this time"
    with pytest.raises(Forbidden):
        svc.withdraw_agenda_item(items[-2], user=demo.user("chair"), reason="x")


# --- publishing papers -------------------------------------------------------------------------


def test_papers_published_on_time_need_no_reason(demo):
    m = schedule(demo)
    lifecycle.fire(m, "publish_papers", user=demo.user("office"), version=m.version, as_of=m.papers_due_on)
    assert m.state == MeetingState.papers_published and m.papers_published_on == date(2027, 5, 11)
    assert m.late_publication_reason is None


def test_late_publication_needs_a_recorded_reason(demo):
    m = schedule(demo)
    late = date(2027, 5, 13)
    with pytest.raises(ValidationFailed) as exc:
        lifecycle.fire(m, "publish_papers", user=demo.user("office"), version=m.version, as_of=late)
    assert exc.value.reasons == ["The papers were due by 11 May 2027: give the reason they are published late"]
    assert m.state == MeetingState.scheduled
    lifecycle.fire(
        m,
        "publish_papers",
        user=demo.user("office"),
        version=m.version,
        as_of=late,
        params={"late_reason": "The police data arrived late"},
    )
    assert m.late_publication_reason == "The police data arrived late"


def test_only_the_business_office_publishes_papers(demo):
    m = schedule(demo)
    with pytest.raises(Forbidden):
        lifecycle.fire(m, "publish_papers", user=demo.user("chair"), version=m.version, as_of=m.papers_due_on)
    with pytest.raises(StaleVersion):
        lifecycle.fire(m, "publish_papers", user=demo.user("office"), version=m.version + 1, as_of=m.papers_due_on)


# --- quorum --------------------------------------------------------------------------------------


def test_quorate_with_the_chair_and_the_three_statutory_partners(demo):
    m = schedule(demo)
    only = {"chair": "present", "north_dass": "present", "police_lead": "present", "icb_lead": "present"}
    record(m, demo, only)
    assert svc.is_quorate(m) == (True, [])


def test_not_quorate_says_which_partner_is_missing(demo):
    m = schedule(demo)
    record(m, demo, everyone(police_lead="apologies"))
    quorate, missing = svc.is_quorate(m)
    assert not quorate
    assert missing == ["No one from the police is present"]
    assert svc.quorum_sentence(missing) == "Not quorate: no one from the police is present"


def test_the_group_may_need_each_council_present(demo, api_as):
    """domain.md: whether both councils must be present for the local-authority seat is a
    group setting (default: either council)."""
    m = schedule(demo)
    only = {"chair": "present", "north_dass": "present", "police_lead": "present", "icb_lead": "present"}
    record(m, demo, only)
    assert svc.is_quorate(m) == (True, [])  # either council will do
    board = demo.group("board")
    r = api_as("office").patch(
        f"/api/v1/groups/{board.id}", json={"version": board.version, "each_council_required": True}
    )
    assert r.status_code == 200 and r.json["each_council_required"] is True
    db.session.refresh(board)
    quorate, missing = svc.is_quorate(m)
    assert not quorate
    assert missing == [f"No one from {demo.org('west').name} is present (the group needs each council)"]
    record(m, demo, {"west_dass": "present"})
    assert svc.is_quorate(m) == (True, [])
    # with no council at all, one sentence says so (not one per council as well)
    record(m, demo, {"west_dass": "apologies", "north_dass": "apologies"})
    assert svc.is_quorate(m)[1] == ["No one from a local authority is present"]


def test_a_deputy_counts_for_their_member(demo):
    m = schedule(demo)
    record(m, demo, everyone(police_lead=("deputy_present", "police_deputy")))
    assert svc.is_quorate(m)[0]


def test_apologies_naming_a_deputy_do_not_count_until_the_deputy_attends(demo):
    m = schedule(demo)
    record(m, demo, everyone(police_lead=("apologies", "police_deputy")))
    assert svc.is_quorate(m) == (False, ["No one from the police is present"])


def test_either_council_meets_the_local_authority_requirement(demo):
    m = schedule(demo)
    record(m, demo, everyone(north_dass="apologies"))  # the vice chair is away; the chair is present
    assert svc.is_quorate(m)[0]
    record(m, demo, everyone(north_dass="apologies", west_dass="absent"))
    assert svc.is_quorate(m) == (False, ["No one from a local authority is present"])


def test_the_chair_or_vice_chair_or_a_nominated_chair_must_be_present(demo):
    m = schedule(demo)
    record(m, demo, everyone(chair="apologies"))
    assert svc.is_quorate(m)[0]  # North's director is the vice chair
    assert svc.presiding_chair(m, svc.load_register(m)).id == demo.person("north_dass").id
    record(m, demo, everyone(chair="apologies", north_dass=("deputy_present", "north_deputy")))
    assert svc.is_quorate(m) == (False, ["The chair, the vice chair or a nominated chair is not present"])
    svc.nominate_chair(m, demo.person("west_dass").id, user=demo.user("office"))
    assert svc.is_quorate(m)[0]
    record(m, demo, {"west_dass": ("deputy_present", "west_deputy")})
    assert not svc.is_quorate(m)[0]  # the nominated chair is not there in person


def test_the_nominated_chair_must_sit_on_the_group(demo):
    m = schedule(demo)
    with pytest.raises(ValidationFailed):
        svc.nominate_chair(m, demo.person("viewer").id, user=demo.user("office"))
    with pytest.raises(Forbidden):
        svc.nominate_chair(m, demo.person("west_dass").id, user=demo.user("chair"))


def test_a_sub_group_needs_only_the_statutory_kinds_that_sit_on_it():
    council = OrganisationFactory(kind=OrganisationKind.local_authority)
    group = GroupFactory(kind=GroupKind.subgroup)
    chair = MembershipFactory(group=group, role=MembershipRole.chair)
    member = MembershipFactory(group=group, person=PersonFactory(organisation=council), organisation=council)
    m = svc.schedule_meeting(group_id=group.id, meeting_date=FUTURE)
    svc.record_attendance(
        m,
        [{"membership_id": chair.id, "status": "present"}, {"membership_id": member.id, "status": "present"}],
        user=_office(),
        as_of=FUTURE,
    )
    assert svc.is_quorate(m) == (True, [])
    group.kind = GroupKind.board  # the Board and the Executive always need all three
    assert svc.is_quorate(m)[1] == [
        "No one from the police is present",
        "No one from the integrated care board is present",
    ]


def _office():
    from safeguarding.models import User

    return db.session.scalar(sa.select(User).where(User.email == "office@demo.test"))


# --- the register ---------------------------------------------------------------------------------


def test_before_the_day_only_apologies_are_recorded(demo):
    m = schedule(demo)
    before = date(2027, 5, 17)
    with pytest.raises(ValidationFailed) as exc:
        svc.record_attendance(
            m,
            [{"membership_id": demo.membership("board", "police_lead").id, "status": "present"}],
            user=demo.user("office"),
            as_of=before,
        )
    key = f"status_{demo.membership('board', 'police_lead').id}"
    assert exc.value.errors[key].startswith("The register can be recorded on or after 18 May 2027")
    svc.record_attendance(
        m,
        [{"membership_id": demo.membership("board", "police_lead").id, "status": "apologies"}],
        user=demo.user("office"),
        as_of=before,
    )


def test_a_deputy_must_be_named_and_work_for_the_members_organisation(demo):
    m = schedule(demo)
    fire = demo.membership("board", "fire_lead")  # no named deputy
    with pytest.raises(ValidationFailed) as exc:
        record(m, demo, {"fire_lead": "deputy_present"})
    assert exc.value.errors == {f"deputy_{fire.id}": "Select the deputy who attended for Andrew Price"}
    with pytest.raises(ValidationFailed) as exc:
        record(m, demo, {"police_lead": ("deputy_present", "icb_deputy")})
    assert (
        "The deputy must work for County Police"
        in exc.value.errors[f"deputy_{demo.membership('board', 'police_lead').id}"]
    )
    with pytest.raises(ValidationFailed):
        record(m, demo, {"police_lead": ("present", "police_deputy")})
    # With no deputy given, the member's named deputy is recorded.
    register = record(m, demo, {"police_lead": "deputy_present"})
    seat = register.seat(demo.membership("board", "police_lead").id)
    assert seat.row.deputy_person_id == demo.person("police_deputy").id and seat.represented


def test_a_bad_entry_saves_nothing(demo):
    m = schedule(demo)
    with pytest.raises(ValidationFailed) as exc:
        record(m, demo, {"police_lead": "present", "fire_lead": "deputy_present"})
    assert (
        db.session.scalar(sa.select(sa.func.count()).select_from(Attendance).where(Attendance.meeting_id == m.id)) == 0
    )
    sar_only = demo.membership("sar", "north_deputy").id
    with pytest.raises(ValidationFailed) as exc:
        svc.record_attendance(
            m, [{"membership_id": sar_only, "status": "present"}], user=demo.user("office"), as_of=FUTURE
        )
    assert f"membership_{sar_only}" in exc.value.errors
    with pytest.raises(Forbidden):
        svc.record_attendance(m, [], user=demo.user("chair"), as_of=FUTURE)


def test_closing_records_everyone_not_on_the_register_as_absent(demo):
    m = schedule(demo)
    open_meeting(
        m,
        demo,
        {
            "chair": "present",
            "north_dass": "present",
            "police_lead": "present",
            "icb_lead": "present",
            "fire_lead": "apologies",
        },
    )
    lifecycle.fire(m, "close", user=demo.user("chair"), version=m.version, as_of=FUTURE)
    rows = {r.membership_id: r for r in db.session.scalars(sa.select(Attendance).where(Attendance.meeting_id == m.id))}
    assert len(rows) == 13
    assert rows[demo.membership("board", "west_dass").id].status == AttendanceStatus.absent
    assert rows[demo.membership("board", "fire_lead").id].status == AttendanceStatus.apologies
    assert not rows[demo.membership("board", "fire_lead").id].represented
    assert rows[demo.membership("board", "police_lead").id].represented
    assert m.is_held
    held = db.session.scalars(sa.select(Meeting.id).where(Meeting.is_held)).all()
    assert m.id in held and all(
        x.state in HELD_STATES for x in db.session.scalars(sa.select(Meeting).where(Meeting.is_held))
    )


# --- apologies ------------------------------------------------------------------------------------


def test_members_send_their_own_apologies_and_name_a_deputy(demo):
    m = schedule(demo)
    police = demo.user("police")
    seat = demo.membership("board", "police_lead")
    row = svc.send_apologies(
        m, seat.id, user=police, deputy_person_id=demo.person("police_deputy").id, as_of=date(2027, 5, 1)
    )
    assert row.status == AttendanceStatus.apologies and row.deputy_person_id == demo.person("police_deputy").id
    with pytest.raises(Forbidden):
        svc.send_apologies(m, demo.membership("board", "icb_lead").id, user=police, as_of=date(2027, 5, 1))
    with pytest.raises(ValidationFailed) as exc:
        svc.name_deputy(m, seat.id, demo.person("icb_deputy").id, user=police, as_of=date(2027, 5, 1))
    assert exc.value.errors == {"deputy_person_id": "The deputy must work for County Police"}
    # The office records apologies received by email for anyone.
    svc.send_apologies(m, demo.membership("board", "icb_lead").id, user=demo.user("office"), as_of=date(2027, 5, 1))


def test_apologies_cannot_be_sent_after_the_meeting(demo):
    m = schedule(demo)
    with pytest.raises(Conflict):
        svc.send_apologies(
            m, demo.membership("board", "police_lead").id, user=demo.user("police"), as_of=date(2027, 5, 19)
        )
    open_meeting(m, demo)
    with pytest.raises(Conflict):
        svc.send_apologies(m, demo.membership("board", "police_lead").id, user=demo.user("police"), as_of=FUTURE)


# --- the meeting's lifecycle -------------------------------------------------------------------------


def test_a_meeting_opens_only_on_the_day_and_when_quorate(demo):
    m = schedule(demo)
    publish(m, demo)
    with pytest.raises(ValidationFailed) as exc:
        lifecycle.fire(m, "open", user=demo.user("chair"), version=m.version, as_of=date(2027, 5, 17))
    assert "The meeting is not until 18 May 2027" in exc.value.reasons
    record(m, demo, everyone(police_lead="apologies", icb_lead="absent", sar_chair="absent"))
    with pytest.raises(ValidationFailed) as exc:
        lifecycle.fire(m, "open", user=demo.user("chair"), version=m.version, as_of=FUTURE)
    assert exc.value.reasons == [
        "The meeting is not quorate, so it cannot proceed: no one from the police is present "
        "and no one from the integrated care board is present"
    ]
    lifecycle.fire(m, "record_inquorate", user=demo.user("chair"), version=m.version, as_of=FUTURE)
    assert m.state == MeetingState.inquorate and m.is_held


def test_a_quorate_meeting_is_not_recorded_as_inquorate(demo):
    m = schedule(demo)
    open_meeting(m, demo)
    assert m.state == MeetingState.in_session
    with pytest.raises(ValidationFailed) as exc:
        lifecycle.fire(m, "record_inquorate", user=demo.user("office"), version=m.version, as_of=FUTURE)
    assert exc.value.reasons == ["The meeting is quorate: it can proceed"]
    # Quorum lost during the meeting: it is then recorded as inquorate.
    record(m, demo, {"police_lead": "absent"})
    lifecycle.fire(m, "record_inquorate", user=demo.user("office"), version=m.version, as_of=FUTURE)
    assert m.state == MeetingState.inquorate


def test_cancelling_needs_a_reason_and_only_before_the_meeting(demo):
    m = schedule(demo)
    with pytest.raises(ValidationFailed) as exc:
        lifecycle.fire(m, "cancel", user=demo.user("office"), version=m.version)
    assert exc.value.errors == {"comment": "Enter reason for cancelling"}
    with pytest.raises(Forbidden):
        lifecycle.fire(m, "cancel", user=demo.user("police"), version=m.version, comment="x")
    open_meeting(m, demo)
    with pytest.raises(Conflict):
        lifecycle.fire(m, "cancel", user=demo.user("office"), version=m.version, comment="Too late")


def test_partners_cannot_run_a_meeting(demo):
    m = schedule(demo)
    publish(m, demo)
    record(m, demo, everyone())
    for trigger in ("open", "record_inquorate", "cancel"):
        assert not lifecycle.may_fire(m, demo.user("police"), trigger)
        with pytest.raises(Forbidden):
            lifecycle.fire(m, trigger, user=demo.user("police"), version=m.version, comment="x", as_of=FUTURE)


# --- who sees what ----------------------------------------------------------------------------------


def test_partners_see_the_meetings_of_their_groups_only(demo):
    sar = schedule(demo, "sar")
    board = schedule(demo)
    police = demo.user("police")  # sits on the Board and the Executive, not the SAR sub-group
    assert svc.get_meeting(board.id, police) == board
    with pytest.raises(NotFound):
        svc.get_meeting(sar.id, police)
    rows, _ = svc.list_meetings(police, svc.MeetingFilters(per_page=200, date_from=FUTURE))
    assert board in rows and sar not in rows
    for nobody in ("viewer", "admin"):
        assert svc.list_meetings(demo.user(nobody), svc.MeetingFilters())[1] == 0
    assert sar in svc.list_meetings(demo.user("office"), svc.MeetingFilters(per_page=200, date_from=FUTURE))[0]


def test_a_deputy_named_for_a_meeting_sees_it(demo):
    from tests.support.factories import UserFactory

    m = schedule(demo, "sar")
    deputy_user = UserFactory(
        person_id=demo.person("icb_deputy").id, organisation_id=demo.org("icb").id, roles=[svc.Role.partner_member]
    )
    with pytest.raises(NotFound):
        svc.get_meeting(m.id, deputy_user)
    svc.send_apologies(
        m,
        demo.membership("sar", "sar_chair").id,
        user=demo.user("sarchair"),
        deputy_person_id=demo.person("icb_deputy").id,
        as_of=date(2027, 5, 1),
    )
    assert svc.get_meeting(m.id, deputy_user) == m


def test_papers_are_shown_to_members_once_published(demo, tmp_path):
    import io

    from werkzeug.datastructures import FileStorage

    from safeguarding.services import storage

    m = schedule(demo)
    item = svc.agenda_of(m)[3]
    stored = storage.save_upload(
        FileStorage(io.BytesIO(b"%PDF-1.4\n%%EOF\n"), filename="plan.pdf"), purpose="meeting_paper"
    )
    paper = svc.attach_paper(item, stored, title="Business plan")
    police = demo.user("police")
    with pytest.raises(NotFound):
        svc.get_paper(m, paper.id, police)
    assert svc.get_paper(m, paper.id, demo.user("chair")) == paper
    publish(m, demo)
    assert svc.get_paper(m, paper.id, police) == paper
    with pytest.raises(ValidationFailed):
        svc.attach_paper(item, stored, title=" ")
