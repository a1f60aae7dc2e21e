"""Disputes between partner organisations.

Constitution: "If there is a dispute between Partnership members, the Independent Chair
will convene a joint meeting with the parties. This should take place within 28 days of
the determining that the dispute exists. In most cases the Independent Chair will chair
these meetings. The agenda will be agreed jointly by the parties in dispute."

The state changes (determine, convene, agree the agenda, record the meeting, resolve,
escalate, withdraw) are in workflows/disputes.py; this module holds the rest: raising a
dispute, who may see it, the agenda and each party's response to it, agreed actions, and
what the daily job does (the 7-day alert and the day-29 breach).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app, has_app_context
from sqlalchemy import inspect
from sqlalchemy.orm import defaultload, selectinload

from safeguarding.calendar import today
from safeguarding.extensions import db
from safeguarding.formatting import long_date
from safeguarding.models import (
    Action,
    ActionSource,
    AgendaResponse,
    AgendaResponseKind,
    Dispute,
    DisputeParty,
    DisputeState,
    Group,
    GroupKind,
    Membership,
    MembershipRole,
    Organisation,
    PartnershipState,
    Person,
    Role,
    User,
    UserRole,
)
from safeguarding.models.base import utcnow
from safeguarding.models.disputes import (
    AWAITING_MEETING_STATES,
    CLOSED_DISPUTE_STATES,
    OPEN_DISPUTE_STATES,
)
from safeguarding.services import actions, audit
from safeguarding.services.errors import (
    Conflict,
    Forbidden,
    NotFound,
    StaleVersion,
    ValidationFailed,
)
from safeguarding.services.numbering import insert_numbered, next_number

SEE_ALL = (Role.business_office, Role.independent_chair)
# Constitution: the joint meeting within 28 days of the determination (calendar days).
DEADLINE_DAYS = 28
DEFAULT_ALERT_DAYS = 7
# The agenda may be drafted, and answered, until it is agreed.
AGENDA_OPEN_STATES = (DisputeState.determined, DisputeState.meeting_convened)
# Agreed actions are recorded once the meeting has been held.
ACTION_STATES = (DisputeState.meeting_held, DisputeState.resolved, DisputeState.escalated)


def deadline_for(determined_on: date) -> date:
    """The last day for the joint meeting: 28 calendar days after the determination
    (31 January 2026 → 28 February 2026; 1 February 2028 → 29 February 2028)."""
    return determined_on + timedelta(days=DEADLINE_DAYS)


def alert_days() -> int:
    """Days before the deadline at which the chair and office are alerted (*default* 7,
    `DISPUTE_ALERT_DAYS`)."""
    if has_app_context():
        return int(current_app.config.get("DISPUTE_ALERT_DAYS", DEFAULT_ALERT_DAYS))
    return DEFAULT_ALERT_DAYS


_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$")


def parse_time(text: str | time | None) -> time | None:
    """ "14:00", "14.30", "2pm", "2:30pm", "9am" → a time; None when it is not a time."""
    if isinstance(text, time):
        return text
    m = _TIME.match((text or "").strip().lower().replace(" ", ""))
    if not m:
        return None
    hour, minute, suffix = int(m.group(1)), int(m.group(2) or 0), m.group(3)
    if suffix:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if suffix == "pm" else 0)
    elif m.group(2) is None:
        return None  # "14" alone is ambiguous
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def format_time(t: time | None) -> str:
    """14:00 → "2pm"; 9:30 → "9:30am" (GOV.UK style)."""
    if t is None:
        return ""
    hour = t.hour % 12 or 12
    suffix = "am" if t.hour < 12 else "pm"
    if t.hour == 12 and t.minute == 0:
        return "midday"
    return f"{hour}{f':{t.minute:02d}' if t.minute else ''}{suffix}"


# --- who may see and act -------------------------------------------------------------------


def visibility(user: Any) -> sa.ColumnElement[bool]:
    """The office and chair see every dispute; a partner member sees the disputes their
    organisation is a party to; nobody else sees any."""
    if user.has_role(*SEE_ALL):
        return sa.true()
    if user.has_role(Role.partner_member) and user.organisation_id:
        return Dispute.id.in_(
            sa.select(DisputeParty.dispute_id).where(DisputeParty.organisation_id == user.organisation_id)
        )
    return sa.false()


def party_organisation_ids(dispute: Dispute) -> list[int]:
    if "parties" in inspect(dispute).dict:
        return [p.organisation_id for p in dispute.parties]
    return list(
        db.session.scalars(
            sa.select(DisputeParty.organisation_id)
            .where(DisputeParty.dispute_id == dispute.id)
            .order_by(DisputeParty.id)
        )
    )


def parties_of(dispute: Dispute) -> list[DisputeParty]:
    if "parties" in inspect(dispute).dict:
        return list(dispute.parties)
    return list(
        db.session.scalars(
            sa.select(DisputeParty).where(DisputeParty.dispute_id == dispute.id).order_by(DisputeParty.id)
        )
    )


def is_party_representative(dispute: Dispute, user: Any) -> bool:
    """A partner member of one of the party organisations."""
    return bool(
        user.has_role(Role.partner_member)
        and user.organisation_id
        and user.organisation_id in party_organisation_ids(dispute)
    )


def get_dispute(dispute_id: int, user: Any) -> Dispute:
    dispute = db.session.scalar(
        sa.select(Dispute).where(Dispute.id == dispute_id, visibility(user)).options(selectinload(Dispute.parties))
    )
    if dispute is None:
        raise NotFound("Dispute not found")
    return dispute


@dataclass
class DisputeFilters:
    status: str | None = "open"  # "open", "closed", a state, or None for all
    breached: bool = False
    organisation_id: int | None = None
    page: int = 1
    per_page: int = 50


def list_disputes(user: Any, filters: DisputeFilters) -> tuple[list[Dispute], int]:
    stmt = sa.select(Dispute).where(visibility(user))
    if filters.status == "open":
        stmt = stmt.where(Dispute.state.in_(OPEN_DISPUTE_STATES))
    elif filters.status == "closed":
        stmt = stmt.where(Dispute.state.in_(CLOSED_DISPUTE_STATES))
    elif filters.status:
        stmt = stmt.where(Dispute.state == DisputeState(filters.status))
    if filters.breached:
        stmt = stmt.where(Dispute.breach_recorded_on.is_not(None))
    if filters.organisation_id:
        stmt = stmt.where(
            Dispute.id.in_(
                sa.select(DisputeParty.dispute_id).where(DisputeParty.organisation_id == filters.organisation_id)
            )
        )
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0
    # Open disputes with the nearest deadline first; undetermined ones after; then newest.
    rows = db.session.scalars(
        stmt.options(selectinload(Dispute.parties))
        .order_by(sa.case((Dispute.deadline.is_(None), 1), else_=0), Dispute.deadline, Dispute.id.desc())
        .limit(filters.per_page)
        .offset((filters.page - 1) * filters.per_page)
    )
    return list(rows), total


# --- raising a dispute ---------------------------------------------------------------------


def insert_with_reference(row: Any, year: int) -> None:
    """Give `row` (a dispute or a complaint) the next number of `year` and insert it."""
    model = type(row)

    def number() -> None:
        row.ref_year = year
        row.ref_number = next_number(model.ref_number, model.ref_year == year, series=model.__tablename__, year=year)

    insert_numbered(row, number)


def raise_dispute(
    user: Any, *, subject: str, summary: str, party_organisation_ids: list[int], raised_on: date | None = None
) -> Dispute:
    """The business office or a partner member raises a dispute between two or more
    partner organisations (a partner member's own organisation must be one of them)."""
    if not user.has_role(Role.business_office, Role.partner_member):
        raise Forbidden("Only the business office or a partner member can raise a dispute")
    errors: dict[str, str] = {}
    subject = (subject or "").strip()
    summary = (summary or "").strip()
    if not subject:
        errors["subject"] = "Enter what the dispute is about"
    elif len(subject) > 300:
        errors["subject"] = "The subject must be 300 characters or fewer"
    if not summary:
        errors["summary"] = "Enter a summary of the dispute"
    ids = list(dict.fromkeys(int(i) for i in (party_organisation_ids or [])))
    orgs = list(db.session.scalars(sa.select(Organisation).where(Organisation.id.in_(ids)))) if ids else []
    if len(orgs) != len(ids) or any(o.state == PartnershipState.left for o in orgs):
        errors["party_organisation_ids"] = "Select organisations from the list"
    elif len(ids) < 2:
        errors["party_organisation_ids"] = "Select at least two organisations in dispute"
    elif not user.has_role(Role.business_office) and user.organisation_id not in ids:
        errors["party_organisation_ids"] = "Your organisation must be one of the parties to the dispute"
    if errors:
        raise ValidationFailed(errors=errors)
    on = raised_on or today()
    dispute = Dispute(subject=subject, summary=summary, raised_on=on, raised_by_id=user.id, state=DisputeState.raised)
    insert_with_reference(dispute, on.year)
    for org_id in ids:
        db.session.add(DisputeParty(dispute_id=dispute.id, organisation_id=org_id))
    db.session.flush()
    db.session.refresh(dispute, ["parties"])
    return dispute


def update_dispute(
    dispute: Dispute,
    user: Any,
    *,
    version: int | None,
    subject: str | None = None,
    summary: str | None = None,
    agenda: str | None = None,
) -> Dispute:
    """The business office corrects the subject or summary, or drafts the agenda."""
    if not user.has_role(Role.business_office):
        raise Forbidden("Only the business office can change a dispute's details")
    if version is None:
        raise ValidationFailed(errors={"version": "Give the version of the record you are changing"})
    if version != dispute.version:
        raise StaleVersion()
    if dispute.state in CLOSED_DISPUTE_STATES:
        raise Conflict(f"A {dispute.state.label.lower()} dispute cannot be changed")
    errors = {}
    if subject is not None and not subject.strip():
        errors["subject"] = "Enter what the dispute is about"
    if summary is not None and not summary.strip():
        errors["summary"] = "Enter a summary of the dispute"
    if errors:
        raise ValidationFailed(errors=errors)
    if subject is not None:
        dispute.subject = subject.strip()
    if summary is not None:
        dispute.summary = summary.strip()
    if agenda is not None:
        _draft(dispute, agenda)
    db.session.flush()
    return dispute


# --- the agenda -----------------------------------------------------------------------------


def _draft(dispute: Dispute, text: str) -> None:
    text = (text or "").strip()
    if not text:
        raise ValidationFailed(errors={"agenda": "Enter the agenda"})
    if dispute.state not in AGENDA_OPEN_STATES:
        raise Conflict("The agenda can be drafted once the dispute is determined and until it is agreed")
    if text == dispute.agenda:
        return
    dispute.agenda = text
    # A new revision: agreements to earlier drafts no longer count.
    dispute.agenda_revision += 1
    dispute.agenda_drafted_at = utcnow()
    audit.mark_action(dispute, "draft_agenda")


def draft_agenda(dispute: Dispute, user: Any, *, version: int | None, text: str) -> Dispute:
    """The business office drafts (or redrafts) the meeting's agenda. A redraft clears the
    parties' earlier agreements: each must agree the new draft."""
    if not user.has_role(Role.business_office):
        raise Forbidden("Only the business office drafts the agenda")
    if version is not None and version != dispute.version:
        raise StaleVersion()
    _draft(dispute, text)
    db.session.flush()
    return dispute


@dataclass
class PartyAgenda:
    """One party and its response to the current draft (None: not yet answered)."""

    party: DisputeParty
    response: AgendaResponse | None

    @property
    def agreed(self) -> bool:
        return self.response is not None and self.response.response == AgendaResponseKind.agreed


# Responses name who gave them; the responder's roles are not needed.
_RESPONDER = defaultload(AgendaResponse.by).lazyload(User.role_rows)


def agenda_status(dispute: Dispute) -> list[PartyAgenda]:
    latest: dict[int, AgendaResponse] = {}
    if dispute.agenda_revision:
        for r in db.session.scalars(
            sa.select(AgendaResponse)
            .where(AgendaResponse.dispute_id == dispute.id, AgendaResponse.agenda_revision == dispute.agenda_revision)
            .options(_RESPONDER)
            .order_by(AgendaResponse.id)
        ):
            latest[r.party_id] = r
    return [PartyAgenda(p, latest.get(p.id)) for p in parties_of(dispute)]


def parties_not_agreed(dispute: Dispute) -> list[Organisation]:
    return [s.party.organisation for s in agenda_status(dispute) if not s.agreed]


def changes_proposed(dispute: Dispute) -> list[PartyAgenda]:
    return [
        s
        for s in agenda_status(dispute)
        if s.response is not None and s.response.response == AgendaResponseKind.changes_proposed
    ]


def agenda_history(dispute: Dispute) -> list[AgendaResponse]:
    """Every response to every draft, oldest first."""
    return list(
        db.session.scalars(
            sa.select(AgendaResponse)
            .where(AgendaResponse.dispute_id == dispute.id)
            .options(_RESPONDER)
            .order_by(AgendaResponse.id)
        )
    )


def record_agenda_response(
    dispute: Dispute,
    user: Any,
    *,
    agenda_revision: int | None,
    response: AgendaResponseKind | str,
    changes: str | None = None,
) -> AgendaResponse:
    """A party's representative (a partner member of that organisation) agrees the current
    draft or proposes changes. When the last party agrees and the meeting is convened,
    the agenda is agreed."""
    if not is_party_representative(dispute, user):
        raise Forbidden("Only a representative of a party to the dispute can respond to its agenda")
    if dispute.state not in AGENDA_OPEN_STATES:
        raise Conflict(f"The agenda cannot be answered when the dispute is {dispute.state.label.lower()}")
    if not dispute.agenda_revision:
        raise Conflict("The business office has not drafted the agenda yet")
    errors = {}
    try:
        kind = AgendaResponseKind(response)
    except ValueError:
        kind = None
        errors["response"] = "Select whether you agree the agenda or propose changes"
    changes = (changes or "").strip() or None
    if kind == AgendaResponseKind.changes_proposed and not changes:
        errors["changes"] = "Enter the changes you propose to the agenda"
    if errors:
        raise ValidationFailed(errors=errors)
    if agenda_revision is None or agenda_revision != dispute.agenda_revision:
        raise StaleVersion("The agenda has been redrafted since you read it. Read the new draft and respond again.")
    party = db.session.scalar(
        sa.select(DisputeParty).where(
            DisputeParty.dispute_id == dispute.id, DisputeParty.organisation_id == user.organisation_id
        )
    )
    row = AgendaResponse(
        dispute_id=dispute.id,
        party_id=party.id,
        agenda_revision=dispute.agenda_revision,
        response=kind,
        changes=changes if kind == AgendaResponseKind.changes_proposed else None,
        by_user_id=user.id,
    )
    db.session.add(row)
    db.session.flush()
    if (
        kind == AgendaResponseKind.agreed
        and dispute.state == DisputeState.meeting_convened
        and not parties_not_agreed(dispute)
    ):
        from safeguarding.workflows.disputes import dispute_lifecycle

        dispute_lifecycle.fire(
            dispute, "agree_agenda", user=user, version=dispute.version, comment="Every party has agreed the agenda"
        )
    return row


# --- the meeting and after ------------------------------------------------------------------


def independent_chair_person() -> Person | None:
    """The person of the (first) active account holding the independent chair role."""
    return db.session.scalar(
        sa.select(Person)
        .join(User, User.person_id == Person.id)
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == Role.independent_chair, User.active.is_(True))
        .order_by(User.id)
        .limit(1)
    )


def chair_candidates(current_id: int | None = None) -> list[Person]:
    """Who may be chosen to chair a dispute meeting: the Independent Chair, the current
    members of the Board and the Executive, and the chairs and vice chairs of groups (and
    whoever was chosen before)."""
    on = today()
    seats = (
        sa.select(Membership.person_id)
        .join(Group, Group.id == Membership.group_id)
        .where(
            Membership.start_date <= on,
            sa.or_(Membership.end_date.is_(None), Membership.end_date >= on),
            sa.or_(
                Group.kind.in_((GroupKind.board, GroupKind.executive)),
                Membership.role.in_((MembershipRole.chair, MembershipRole.vice_chair)),
            ),
        )
    )
    chair = independent_chair_person()
    extra = [i for i in (current_id, chair.id if chair else None) if i]
    return list(
        db.session.scalars(
            sa.select(Person)
            .where(Person.active.is_(True), sa.or_(Person.id.in_(seats), Person.id.in_(extra or [0])))
            .order_by(Person.name)
        )
    )


def add_agreed_action(
    dispute: Dispute,
    user: Any,
    *,
    title: str,
    owner_organisation_id: int,
    due_date: date,
    owner_person_id: int | None = None,
    description: str | None = None,
) -> Action:
    """An action agreed at the dispute meeting, into the shared action log (named by the
    dispute's reference, never by people)."""
    if not user.has_role(Role.business_office, Role.independent_chair):
        raise Forbidden("Only the business office or the chair records agreed actions")
    if dispute.state not in ACTION_STATES:
        raise Conflict("Agreed actions are recorded once the meeting has been held")
    return actions.create_action(
        title=title,
        description=description,
        owner_organisation_id=owner_organisation_id,
        owner_person_id=owner_person_id,
        due_date=due_date,
        source_type=ActionSource.dispute,
        source_id=dispute.id,
        source_label=dispute.reference,
        created_by_id=user.id,
    )


def actions_of(dispute: Dispute) -> list[Action]:
    return actions.actions_for_source(ActionSource.dispute, dispute.id)


def visible_action_ids(rows: list[Action], user: Any) -> set[int]:
    """Which of a dispute's actions `user` may open in the action log."""
    if not rows:
        return set()
    return set(
        db.session.scalars(sa.select(Action.id).where(Action.id.in_([a.id for a in rows]), actions.visibility(user)))
    )


def record_breach(dispute: Dispute, on: date, note: str) -> bool:
    """Record that the 28-day rule was broken (once). True if it was recorded now."""
    if dispute.breach_recorded_on is not None:
        return False
    dispute.breach_recorded_on = on
    dispute.breach_note = note
    audit.mark_action(dispute, "record_breach")
    return True


def statutory_partners() -> list[Organisation]:
    """The active statutory partners (local authorities, police, ICB): escalations go to
    their chief executives."""
    orgs = db.session.scalars(
        sa.select(Organisation).where(Organisation.state == PartnershipState.active).order_by(Organisation.name)
    )
    return [o for o in orgs if o.is_statutory]


# --- the daily job ---------------------------------------------------------------------------


def breach_note_for(dispute: Dispute) -> str:
    return f"No joint meeting was held by the deadline of {long_date(dispute.deadline)}"


def record_breaches(as_of: date) -> int:
    """Day 29 (or later) without a held meeting: record the breach, once per dispute."""
    due = db.session.scalars(
        sa.select(Dispute)
        .where(
            Dispute.state.in_(AWAITING_MEETING_STATES), Dispute.deadline < as_of, Dispute.breach_recorded_on.is_(None)
        )
        .order_by(Dispute.id)
    )
    count = 0
    for dispute in due:
        count += record_breach(dispute, as_of, breach_note_for(dispute))
    db.session.flush()
    return count


def disputes_due_an_alert(as_of: date) -> list[Dispute]:
    """Determined, no meeting convened, and `alert_days()` or fewer days left (the deadline
    not yet passed), not yet alerted."""
    return list(
        db.session.scalars(
            sa.select(Dispute)
            .where(
                Dispute.state == DisputeState.determined,
                Dispute.deadline >= as_of,
                Dispute.deadline <= as_of + timedelta(days=alert_days()),
                Dispute.deadline_alert_sent_on.is_(None),
            )
            .order_by(Dispute.deadline, Dispute.id)
        )
    )


def send_deadline_alerts(as_of: date) -> int:
    """Email the Independent Chair and the business office about each determined dispute
    with `alert_days()` or fewer days left and no meeting convened — once per dispute
    (the email's dedupe key and `deadline_alert_sent_on` both say so)."""
    from safeguarding.services.dispute_letters import send_deadline_alert

    count = 0
    for dispute in disputes_due_an_alert(as_of):
        if send_deadline_alert(dispute, as_of):
            dispute.deadline_alert_sent_on = as_of
            audit.mark_action(dispute, "deadline_alert")
            count += 1
    db.session.flush()
    return count


def alert_recipients() -> list[str]:
    """The Independent Chair and the business office (active accounts)."""
    return list(
        db.session.scalars(
            sa.select(User.email)
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role.in_(SEE_ALL), User.active.is_(True))
            .distinct()
            .order_by(User.email)
        )
    )


# --- reports and home panels -----------------------------------------------------------------


@dataclass
class DeadlineSummary:
    determined: int
    breached: int


def deadline_summary(start: date, end: date) -> DeadlineSummary:
    """Disputes determined between `start` and `end` and how many broke the 28-day rule
    (reports count a meeting on a date after the deadline as a breach)."""
    row = db.session.execute(
        sa.select(
            sa.func.count(),
            sa.func.count(Dispute.breach_recorded_on),
        ).where(Dispute.determined_on.between(start, end), Dispute.state != DisputeState.withdrawn)
    ).one()
    return DeadlineSummary(determined=row[0], breached=row[1])


@dataclass
class Upcoming:
    count: int
    nearest: date | None  # the nearest deadline among them


def needing_meeting() -> Upcoming:
    """Determined disputes with no meeting convened (one query, for the home page)."""
    count, nearest = db.session.execute(
        sa.select(sa.func.count(), sa.func.min(Dispute.deadline)).where(Dispute.state == DisputeState.determined)
    ).one()
    return Upcoming(count or 0, nearest)


def deadlines_between(start: date, end: date) -> Upcoming:
    """Disputes whose meeting is still to be held and whose deadline falls between the dates."""
    count, nearest = db.session.execute(
        sa.select(sa.func.count(), sa.func.min(Dispute.deadline)).where(
            Dispute.state.in_(AWAITING_MEETING_STATES), Dispute.deadline.between(start, end)
        )
    ).one()
    return Upcoming(count or 0, nearest)


def home_needing_meeting(user: Any) -> tuple[sa.Select, sa.Select]:
    """(count, nearest deadline) of determined disputes with no meeting convened, as
    selects for the home page."""
    where = Dispute.state == DisputeState.determined
    return sa.select(sa.func.count()).select_from(Dispute).where(where), sa.select(sa.func.min(Dispute.deadline)).where(
        where
    )


def home_deadlines_this_week(user: Any) -> tuple[sa.Select, sa.Select]:
    """(count, nearest deadline) of disputes whose meeting is still to be held and whose
    deadline falls in the next 7 days or has passed."""
    on = today()
    where = sa.and_(Dispute.state.in_(AWAITING_MEETING_STATES), Dispute.deadline <= on + timedelta(days=6))
    return sa.select(sa.func.count()).select_from(Dispute).where(where), sa.select(sa.func.min(Dispute.deadline)).where(
        where
    )


def open_for_organisation_select(organisation_id: int) -> sa.Select:
    return (
        sa.select(sa.func.count())
        .select_from(Dispute)
        .where(
            Dispute.state.in_(OPEN_DISPUTE_STATES),
            Dispute.id.in_(sa.select(DisputeParty.dispute_id).where(DisputeParty.organisation_id == organisation_id)),
        )
    )


def agendas_awaiting_select(user: Any) -> sa.Select | None:
    """Drafted agendas of the user's organisation's disputes that it has not yet answered."""
    if not (user.has_role(Role.partner_member) and user.organisation_id):
        return None
    answered = (
        sa.select(AgendaResponse.id)
        .join(DisputeParty, DisputeParty.id == AgendaResponse.party_id)
        .where(
            AgendaResponse.dispute_id == Dispute.id,
            AgendaResponse.agenda_revision == Dispute.agenda_revision,
            DisputeParty.organisation_id == user.organisation_id,
        )
    )
    return (
        sa.select(sa.func.count())
        .select_from(Dispute)
        .where(
            Dispute.state.in_(AGENDA_OPEN_STATES),
            Dispute.agenda_revision > 0,
            Dispute.id.in_(
                sa.select(DisputeParty.dispute_id).where(DisputeParty.organisation_id == user.organisation_id)
            ),
            ~sa.exists(answered),
        )
    )


def open_for_organisation(organisation_id: int) -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Dispute)
            .where(
                Dispute.state.in_(OPEN_DISPUTE_STATES),
                Dispute.id.in_(
                    sa.select(DisputeParty.dispute_id).where(DisputeParty.organisation_id == organisation_id)
                ),
            )
        )
        or 0
    )


def agendas_awaiting(user: Any) -> int:
    """Drafted agendas of the user's organisation's disputes that it has not yet answered."""
    if not (user.has_role(Role.partner_member) and user.organisation_id):
        return 0
    answered = (
        sa.select(AgendaResponse.id)
        .join(DisputeParty, DisputeParty.id == AgendaResponse.party_id)
        .where(
            AgendaResponse.dispute_id == Dispute.id,
            AgendaResponse.agenda_revision == Dispute.agenda_revision,
            DisputeParty.organisation_id == user.organisation_id,
        )
    )
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Dispute)
            .where(
                Dispute.state.in_(AGENDA_OPEN_STATES),
                Dispute.agenda_revision > 0,
                Dispute.id.in_(
                    sa.select(DisputeParty.dispute_id).where(DisputeParty.organisation_id == user.organisation_id)
                ),
                ~sa.exists(answered),
            )
        )
        or 0
    )
