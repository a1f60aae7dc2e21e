"""Meetings since April 2020, through the services: the Board's bi-monthly meetings
every financial year from 2020/21 (the 2026/27 ones up to October held, December and
February still to come), the SAR sub-group's and the Executive's meetings of 2026/27,
attendance with apologies and deputies (one organisation not represented now and then,
never twice running), declarations of interest, decisions — a tied vote decided by the
chair's casting vote, an interim decision still being validated — chair's actions (one
ratified, one awaiting ratification), actions into the shared log, and minutes in every
state (draft, submitted, approved, ratified)."""

from __future__ import annotations

from datetime import date, time, timedelta

from safeguarding.calendar import financial_year_start, financial_year_title
from safeguarding.demo import DemoContext, as_of, at, day, meeting_day, paper, shift, step
from safeguarding.demo.meeting_chair_actions import chair_action_2020, chair_action_2026
from safeguarding.models import AgendaItemKind, AttendanceStatus, GroupKind, Meeting, MembershipRole, Minutes
from safeguarding.services import meetings as svc
from safeguarding.services import partnership
from safeguarding.workflows.meetings import meeting_lifecycle, minutes_lifecycle

# Non-statutory members without a named deputy take turns to miss a meeting (one every
# third meeting, never the same organisation twice running).
ROTATING_APOLOGIES = ["fire_lead", "probation_lead", "ph_lead", "healthwatch_lead", "vcs_lead"]
ONLINE = "Online (Microsoft Teams)"
CHAMBER = "Committee Room 2, North Council, 1 Civic Way, County Town"

BUSINESS = {
    # (year, month): [(title, presenter, decision: None | "consensus" | callable name)]
    (2020, 4): [("Strategic plan 2020 to 2023 and business plan 2020/21", "Business Manager", "consensus")],
    (2020, 6): [("Holding Board meetings online for 2020/21 (COVID-19)", "Independent Chair", "tie")],
    (2020, 10): [
        ("Commissioning an independent reviewer for the SAR concerning Adult B", "SAR sub-group chair", "declared")
    ],
    (2020, 12): [("Annual report 2019/20", "Business Manager", "consensus")],
    (2021, 10): [("Annual report 2020/21", "Business Manager", "consensus")],
    (2022, 10): [("Annual report 2021/22", "Business Manager", "consensus")],
    (2023, 6): [("Multi-agency self-neglect procedure", "Policy and Procedures sub-group chair", "consensus")],
    (2023, 10): [("Annual report 2022/23", "Business Manager", "consensus")],
    (2024, 10): [("Annual report 2023/24", "Business Manager", "consensus")],
    (2025, 10): [("Annual report 2024/25", "Business Manager", "consensus")],
    (2026, 6): [("Learning from LeDeR reviews 2025/26", "ICB Chief Nurse", None)],
    (2026, 10): [
        ("Quarterly performance report, quarter 2 2026/27", "Quality and Performance sub-group chair", "consensus"),
        ("Domestic abuse and safeguarding adults: joint protocol", "Police", "interim_board"),
    ],
}


class Demo:
    def __init__(self, ctx: DemoContext) -> None:
        self.ctx = ctx
        self.office = ctx.users["office"]
        self.chair = ctx.users["chair"]
        self.key_of = {p.id: k for k, p in ctx.people.items()}
        self.pending_minutes: dict[int, list[Minutes]] = {}  # group id → approved, not yet ratified
        self.meetings: dict[str, Meeting] = {}
        self.minutes: dict[str, Minutes] = {}
        self.decisions: dict[str, object] = {}
        self.index = 0

    # --- one meeting -------------------------------------------------------------------------

    def hold(
        self,
        meeting: Meeting,
        *,
        apologies=(),
        deputies=(),
        absent=(),
        late: str | None = None,
        inquorate: bool = False,
        minutes_to: str = "approved",
        business=(),
        on_open=None,
    ) -> Minutes:
        """Publish the papers, take apologies, record the register, open (ratifying the
        group's approved minutes), record the business, close, and minute the meeting up
        to `minutes_to`."""
        held = meeting.meeting_date
        as_of = held - timedelta(days=1) if late else meeting.papers_due_on
        with at(as_of):
            meeting_lifecycle.fire(
                meeting,
                "publish_papers",
                user=self.office,
                version=meeting.version,
                as_of=as_of,
                params={"late_reason": late},
            )
        register = svc.load_register(meeting)
        by_key = {self.key_of[s.membership.person_id]: s for s in register.seats}
        # This year's apologies come in beforehand (earlier years' are on the register only:
        # quicker to build, the same record).
        for key in (*apologies, *deputies) if held >= day(2026, 1, 1) else ():
            seat = by_key[key]
            with at(held - timedelta(days=3)):
                svc.send_apologies(
                    meeting,
                    seat.membership.id,
                    user=self.office,
                    as_of=held - timedelta(days=3),
                    deputy_person_id=seat.membership.deputy_person_id if key in deputies else None,
                    note="Sent by email to the business office",
                )
        entries = []
        for key, seat in by_key.items():
            deputy = None
            if key in deputies:
                status = AttendanceStatus.deputy_present
                deputy = seat.membership.deputy_person_id
            elif key in apologies:
                status = AttendanceStatus.apologies
            elif key in absent:
                status = AttendanceStatus.absent
            else:
                status = AttendanceStatus.present
            entries.append({"membership_id": seat.membership.id, "status": status.value, "deputy_person_id": deputy})
        with at(held):
            self._meet(meeting, entries, held, inquorate, business, on_open)
        return self.minute(meeting, None, minutes_to)

    def _meet(self, meeting: Meeting, entries: list, held: date, inquorate: bool, business, on_open) -> None:
        """The meeting itself: the register, then the business (or the inquorate record)."""
        svc.record_attendance(meeting, entries, user=self.office, as_of=held)
        if inquorate:
            meeting_lifecycle.fire(
                meeting,
                "record_inquorate",
                user=self.office,
                version=meeting.version,
                as_of=held,
                comment="No one from the police was present; the meeting could not proceed",
            )
        else:
            meeting_lifecycle.fire(meeting, "open", user=self.chair, version=meeting.version, as_of=held)
            for earlier in self.pending_minutes.pop(meeting.group_id, []):
                minutes_lifecycle.fire(
                    earlier,
                    "ratify",
                    user=self.office,
                    version=earlier.version,
                    as_of=held,
                    params={"meeting_id": meeting.id},
                )
            for item, decide in business:
                decide(meeting, item)
            if on_open:
                on_open(meeting)
            meeting_lifecycle.fire(meeting, "close", user=self.chair, version=meeting.version, as_of=held)

    def minute(self, meeting: Meeting, items, minutes_to: str) -> Minutes:
        """Minute the meeting the next day, submit a week later, the chair approves a week
        after that (each up to `minutes_to`)."""
        held = meeting.meeting_date
        with at(held + timedelta(days=1)):
            minutes = self._write(meeting)
        if minutes_to == "draft":
            return minutes
        with at(held + timedelta(days=7)):
            minutes_lifecycle.fire(
                minutes, "submit", user=self.office, version=minutes.version, as_of=held + timedelta(days=7)
            )
        if minutes_to == "submitted":
            return minutes
        with at(held + timedelta(days=14)):
            minutes_lifecycle.fire(
                minutes,
                "approve",
                user=self.approver(meeting),
                version=minutes.version,
                as_of=held + timedelta(days=14),
            )
        self.pending_minutes.setdefault(meeting.group_id, []).append(minutes)
        return minutes

    def _write(self, meeting: Meeting) -> Minutes:
        minutes = svc.start_minutes(meeting, user=self.office)
        register = svc.load_register(meeting)
        away = [s.membership.person.name for s in register.seats if s.status == AttendanceStatus.apologies]
        texts = {}
        for item in svc.agenda_of(meeting):
            if meeting.state.value == "inquorate":
                texts[item.id] = (
                    (
                        "The meeting was not quorate: no one from the police was present. It did not "
                        "proceed; the items stand over to the next meeting."
                    )
                    if item.position == 1
                    else ""
                )
                continue
            texts[item.id] = {
                AgendaItemKind.apologies: ("Apologies were received from " + ", ".join(away) + ".")
                if away
                else "There were no apologies.",
                AgendaItemKind.declarations: "The chair reminded members of the declarations received in writing.",
                AgendaItemKind.previous_minutes: "The minutes of the previous meeting were agreed as a true record.",
                AgendaItemKind.action_log: "Members reviewed the action log; completed actions were closed.",
                AgendaItemKind.chair_actions: "The chair reported the decisions taken since the last meeting.",
                AgendaItemKind.subgroup_report: f"The {item.group.short_name if item.group else 'sub-group'} "
                "highlight report was received and noted.",
            }.get(item.kind, f"{item.presenter or 'The lead'} introduced the item and members discussed it.")
        svc.update_minutes(minutes, version=minutes.version, sections=texts, user=self.office)
        return minutes

    def approver(self, meeting: Meeting):
        """The group's chair approves its minutes: the independent chair for the Board and
        the Executive, a sub-group's own chair (their account) for a sub-group."""
        if meeting.group.kind in (GroupKind.board, GroupKind.executive):
            return self.chair
        (chair_person_id,) = [
            m.person_id
            for m in partnership.current_memberships(meeting.group_id, meeting.meeting_date)
            if m.role == MembershipRole.chair
        ]
        return next(u for u in self.ctx.users.values() if u.person_id == chair_person_id)

    # --- business ------------------------------------------------------------------------------

    def consensus(self, text: str, *, interim: bool = False):
        def decide(meeting: Meeting, item) -> None:
            decision = svc.record_decision(item, user=self.office, method="consensus", text=text, interim=interim)
            if interim:
                story = meeting.meeting_date - shift()  # keyed by the story's year
                self.decisions[f"interim_{meeting.group.short_name.lower()}_{story:%Y}"] = decision

        return decide

    def board_business(self, meeting: Meeting, story: date) -> list:
        out = []
        for title, presenter, how in BUSINESS.get((story.year, story.month), []):
            item = svc.add_agenda_item(
                meeting,
                title=title,
                presenter=presenter,
                description="For decision" if how else "For information",
                # case business at the Board is confidential (Part B): taken in private
                restricted=how == "declared",
            )
            if how == "declared":
                self.ctx.extra.setdefault("agenda_items", {})["restricted_board_item"] = item
            if how == "consensus":
                out.append((item, self.consensus(f"The Board agreed: {title[0].lower() + title[1:]}.")))
            elif how == "tie":
                out.append((item, self.tied_vote))
            elif how == "declared":
                out.append((item, self.declared_vote))
            elif how == "interim_board":
                out.append(
                    (
                        item,
                        self.consensus(
                            "The Board agreed the joint protocol in principle, subject to the "
                            "wording of section 4; members will validate the final text.",
                            interim=True,
                        ),
                    )
                )
            else:
                out.append((item, lambda m, i: None))
        # Chair's actions waiting for this meeting's ratification (added automatically).
        for item in svc.agenda_of(meeting):
            if item.subject_type == svc.CHAIR_ACTION:
                out.append((item, self.consensus("The Board ratified the chair's action.")))
        return out

    def tied_vote(self, meeting: Meeting, item) -> None:
        orgs = self.ctx.orgs
        votes = [
            (orgs["north"], "for"),
            (orgs["police"], "for"),
            (orgs["icb"], "for"),
            (orgs["public_health"], "for"),
            (orgs["west"], "against"),
            (orgs["acute"], "against"),
            (orgs["probation"], "against"),
            (orgs["vcs"], "against"),
        ]
        self.decisions["casting"] = svc.record_decision(
            item,
            user=self.office,
            method="vote",
            casting_vote="for",
            text="Board meetings are held online for the rest of 2020/21 and reviewed in April 2021.",
            votes=[{"organisation_id": o.id, "vote": v} for o, v in votes],
        )

    def declared_vote(self, meeting: Meeting, item) -> None:
        orgs = self.ctx.orgs
        svc.declare_interest(
            item,
            user=self.office,
            person_id=self.ctx.people["acute_lead"].id,
            nature="County University Hospitals is one of the agencies involved in the case of "
            "Adult B; the Director of Nursing line-manages staff who will give evidence.",
        )
        voters = ["north", "west", "police", "icb", "probation", "public_health", "vcs"]
        self.decisions["declared"] = svc.record_decision(
            item,
            user=self.office,
            method="vote",
            text="An independent reviewer is commissioned for the SAR concerning Adult B, within the agreed budget.",
            votes=[{"organisation_id": orgs[k].id, "vote": "for" if k != "vcs" else "abstain"} for k in voters],
        )

    def attendance_pattern(self, k: int) -> dict:
        """Who sends apologies or a deputy at the k-th Board meeting."""
        apologies = [ROTATING_APOLOGIES[(k // 3) % len(ROTATING_APOLOGIES)]] if k % 3 == 1 else []
        deputies = {0: ["police_lead"], 2: ["west_dass"], 3: ["icb_lead"]}.get(k % 4, [])
        if k % 7 == 5:
            deputies.append("acute_lead")
        return {"apologies": apologies, "deputies": deputies}


@step(75, "meetings")
def seed_meetings(ctx: DemoContext) -> None:
    d = Demo(ctx)
    office, board = d.office, ctx.groups["board"]
    # Two deputies have signed the memorandum themselves, so they may vote when deputising.
    for key in ("police_deputy", "west_deputy"):
        with at(day(2021, 5, 4)):
            partnership.record_mou_signature(ctx.people[key], day(2021, 5, 4), recorded_by_id=office.id)

    k = 0
    for year in range(2020, 2027):
        location = ONLINE if year in (2020, 2021) else CHAMBER
        first = date(year, 4, 1)
        first += timedelta(days=(1 - first.weekday()) % 7 + 14)  # the third Tuesday of April
        # The story's dates (a year of bi-monthly meetings), each moved to the load day.
        series = [
            (
                story,
                svc.schedule_meeting(
                    group_id=board.id,
                    meeting_date=meeting_day(story),
                    starts_at=time(10, 0),
                    ends_at=time(12, 30),
                    location=location,
                    created_by_id=office.id,
                ),
            )
            for story in svc.series_dates(first, 6, 2)
        ]
        for story, meeting in series:
            ctx.extra.setdefault("board_by_month", {})[f"{story:%Y-%m}"] = meeting
            if story > date(2026, 11, 23):
                continue
            key = f"board_{story:%Y_%m}"
            d.meetings[key] = meeting
            pattern = d.attendance_pattern(k)
            kw: dict = {}
            if (year, story.month) == (2020, 12):
                # The chair was away: the vice chair (North's Director of Adult Social Services) chaired.
                pattern["apologies"] = [*pattern["apologies"], "chair"]
            if (year, story.month) == (2020, 10):
                kw["late"] = "The quarter 2 performance data from the police arrived after the deadline"
            if (year, story.month) == (2023, 8):
                # The police sent apologies with no deputy: the meeting was inquorate.
                pattern = {"apologies": ["police_lead"], "deputies": []}
                kw["inquorate"] = True
            if (year, story.month) == (2026, 10):
                kw["minutes_to"] = "approved"
                kw["on_open"] = lambda m: _october_2026(d, m)
            business = d.board_business(meeting, story)
            if (year, story.month) == (2020, 4):
                item = next(i for i, _ in business)
                paper(ctx, item, "Strategic plan 2020 to 2023", "strategic-plan-2020-2023.pdf")
            minutes = d.hold(meeting, business=business, **pattern, **kw)
            d.minutes[key] = minutes
            if (year, story.month) == (2020, 8):
                _chair_action_2020(d)
            k += 1

    _executive(d)
    _sar_subgroup(d)
    _upcoming(d)

    ctx.extra["meetings"] = {
        "board_2020_04": d.meetings["board_2020_04"],
        "board_2020_06": d.meetings["board_2020_06"],
        "board_2020_10": d.meetings["board_2020_10"],
        "board_2020_12": d.meetings["board_2020_12"],
        "board_inquorate": d.meetings["board_2023_08"],
        "board_2026_08": d.meetings["board_2026_08"],
        "board_2026_10": d.meetings["board_2026_10"],
        "board_upcoming": d.meetings["board_upcoming"],
        "board_february": d.meetings["board_february"],
        "sar_2026_11": d.meetings["sar_2026_11"],
        "sar_upcoming": d.meetings["sar_upcoming"],
        "exec_2020": d.meetings["exec_2020"],
        "exec_2026_11": d.meetings["exec_2026_11"],
    }
    ctx.extra["minutes"] = {
        "ratified": d.minutes["board_2026_08"],
        "approved": d.minutes["board_2026_10"],
        "submitted": d.minutes["sar_2026_11"],
        "draft": d.minutes["exec_2026_11"],
        "inquorate": d.minutes["board_2023_08"],
    }
    ctx.extra["chair_actions"] = {"ratified": d.chair_action_2020, "awaiting": d.chair_action_2026}
    ctx.extra["decisions"] = {
        "casting": d.decisions["casting"],
        "declared": d.decisions["declared"],
        "interim_validated": d.decisions["interim_executive_2020"],
        "interim_pending": d.decisions["interim_executive_2026"],
        "interim_board": d.decisions["interim_board_2026"],
    }


def _october_2026(d: Demo, meeting: Meeting) -> None:
    ctx = d.ctx
    items = svc.agenda_of(meeting)
    performance = next(i for i in items if i.title.startswith("Quarterly performance"))
    svc.raise_action(
        performance,
        user=d.office,
        title="Present the domestic abuse referral data by area",
        owner_organisation_id=ctx.orgs["police"].id,
        owner_person_id=ctx.people["police_deputy"].id,
        due_date=day(2026, 12, 15),
        description="The Board asked for North and West figures separately.",
    )
    svc.raise_action(
        performance,
        user=d.office,
        title="Circulate the hospital discharge audit summary",
        owner_organisation_id=ctx.orgs["acute"].id,
        due_date=day(2027, 1, 31),
    )


def _chair_action_2020(d: Demo) -> None:
    with at(day(2020, 9, 2)):
        d.chair_action_2020 = chair_action_2020(d.ctx, d.chair)


def _executive(d: Demo) -> None:
    ctx = d.ctx
    exec_group = ctx.groups["exec"]
    first = svc.schedule_meeting(
        group_id=exec_group.id,
        meeting_date=meeting_day(date(2020, 7, 7)),
        starts_at=time(14, 0),
        ends_at=time(15, 30),
        location=ONLINE,
        created_by_id=d.office.id,
    )
    item = svc.add_agenda_item(
        first, title="Winter safeguarding protocol 2020/21", presenter="North Council", description="For decision"
    )
    d.meetings["exec_2020"] = first
    d.hold(
        first,
        business=[
            (
                item,
                d.consensus(
                    "The protocol is agreed subject to the final wording of the "
                    "escalation section, to be validated by all members.",
                    interim=True,
                ),
            )
        ],
    )
    decision = d.decisions["interim_executive_2020"]
    with at(day(2020, 7, 14)):
        for who in ("north", "west", "police", "icb"):
            svc.validate_decision(decision, user=ctx.users[who])
    recent = svc.schedule_meeting(
        group_id=exec_group.id,
        meeting_date=meeting_day(date(2026, 11, 17)),
        starts_at=time(14, 0),
        ends_at=time(15, 30),
        location=CHAMBER,
        created_by_id=d.office.id,
    )
    item = svc.add_agenda_item(
        recent,
        title=f"Partner contributions {financial_year_title(financial_year_start(as_of()) + 1)}",
        presenter="Business Manager",
        description="For decision",
    )
    d.meetings["exec_2026_11"] = recent
    d.minutes["exec_2026_11"] = d.hold(
        recent,
        deputies=["police_lead"],
        minutes_to="draft",
        business=[
            (
                item,
                d.consensus(
                    f"Contributions for {financial_year_title(financial_year_start(as_of()) + 1)} rise by 3%, "
                    "subject to the councils' budget setting in February.",
                    interim=True,
                ),
            )
        ],
    )
    with at(day(2026, 11, 20)):
        for who in ("north", "west"):
            svc.validate_decision(d.decisions["interim_executive_2026"], user=ctx.users[who])


def _sar_subgroup(d: Demo) -> None:
    ctx = d.ctx
    sar = ctx.groups["sar"]
    series = [
        svc.schedule_meeting(
            group_id=sar.id,
            meeting_date=meeting_day(story),
            starts_at=time(9, 30),
            ends_at=time(11, 30),
            location=CHAMBER,
            created_by_id=d.office.id,
        )
        for story in svc.series_dates(date(2026, 5, 12), 4, 3)
    ]
    for meeting, apologies, minutes_to in zip(
        series[:3], (["west_deputy"], [], ["acute_deputy"]), ("approved", "approved", "submitted"), strict=True
    ):
        item = svc.add_agenda_item(
            meeting,
            title="Referrals for a Safeguarding Adults Review",
            presenter="SAR chair",
            description="For decision",
        )
        d.minutes[f"sar_{meeting.meeting_date - shift():%Y_%m}"] = d.hold(
            meeting,
            apologies=apologies,
            minutes_to=minutes_to,
            business=[(item, d.consensus("Referrals were considered against the Care Act section 44 criteria."))],
        )
    d.meetings["sar_2026_11"] = series[2]
    d.meetings["sar_upcoming"] = series[3]


def _upcoming(d: Demo) -> None:
    ctx = d.ctx
    upcoming = svc.next_meeting(ctx.groups["board"].id, day(2026, 11, 23))
    next_year = financial_year_title(financial_year_start(as_of()) + 1)  # the budget being set
    d.meetings["board_upcoming"] = upcoming
    d.meetings["board_february"] = svc.next_meeting(ctx.groups["board"].id, upcoming.meeting_date)
    budget = svc.add_agenda_item(
        upcoming,
        title=f"Draft budget and partner contributions {next_year}",
        presenter="Business Manager",
        description="For decision",
    )
    paper(ctx, budget, f"Draft budget {next_year}", f"draft-budget-{next_year.replace('/', '-')}.pdf")
    with at(day(2026, 11, 13)):
        d.chair_action_2026 = chair_action_2026(d.ctx, d.chair)
    # West's director cannot come in December and names their deputy.
    west = next(s for s in svc.load_register(upcoming).seats if s.membership.person_id == ctx.people["west_dass"].id)
    with at(day(2026, 11, 20)):
        svc.send_apologies(
            upcoming,
            west.membership.id,
            user=ctx.users["west"],
            as_of=day(2026, 11, 20),
            deputy_person_id=ctx.people["west_deputy"].id,
            note="Budget setting at the council",
        )
