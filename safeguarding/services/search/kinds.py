"""What the search indexes, kind by kind: how a record becomes an entry (`build`, plain
SQL on the flush's connection), and who may find it — the feature's own rule, reused, never
a new one: `opens` (the result, its title and its public text appear) and `reads` (its
body's words match and its snippet comes from them; by default whoever opens it).

Each rule is the role gate of the record's own page (tests/test_access_table.py) and the
feature's record-level visibility (meetings.meeting_visibility, reviews.visibility and its
agencies, learning.full_text_visible, actions.visibility, …), as SQL on the entry."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import current_app, has_app_context

from safeguarding.formatting import long_date
from safeguarding.models import (
    Action,
    AgendaItem,
    Decision,
    Dispute,
    Escalation,
    Finding,
    Group,
    Meeting,
    Minutes,
    MinutesSection,
    Organisation,
    Paper,
    Person,
    Review,
    ReviewAgency,
    Role,
    SearchEntry,
    StoredFile,
    WorkPlan,
    WorkPlanItem,
)
from safeguarding.models.disputes import dispute_reference
from safeguarding.models.meetings import MeetingKind
from safeguarding.services import actions as actions_svc
from safeguarding.services.attendance.queries import escalation_visibility
from safeguarding.services.disputes import queries as disputes_q
from safeguarding.services.learning.findings import full_text_visible
from safeguarding.services.meetings.minutes import minutes_visibility
from safeguarding.services.meetings.queries import meeting_visibility
from safeguarding.services.reviews import queries as reviews_q
from safeguarding.services.search.text import extract_text

OFFICE, CHAIR, PARTNER = Role.business_office, Role.independent_chair, Role.partner_member
SUBGROUP_CHAIR, VIEWER = Role.subgroup_chair, Role.viewer
SEE_ALL = (OFFICE, CHAIR)
MEMBERS = (OFFICE, CHAIR, PARTNER, SUBGROUP_CHAIR)  # meetings, papers, actions, the directory
# Who may search: every role that opens some kind of record below. Not the administrator
# (no case content), nor anyone signed out.
SEARCHERS = (*MEMBERS, VIEWER, Role.safeguarding_partner, Role.scrutineer)

E = SearchEntry
Row = dict[str, Any]
Condition = sa.ColumnElement[bool]


@dataclass(frozen=True)
class Kind:
    key: str  # the group and the `type` filter
    label: str
    record_type: str
    model: type
    roles: tuple[Role, ...]  # the roles of the record's own page
    build: Callable[[sa.Connection, list[int]], Iterator[Row]]
    visible: Callable[[Any], Condition]  # entries `user` may open (given the roles)
    endpoint: str
    url_args: Callable[[int, int | None], dict[str, int]]
    readable: Callable[[Any], Condition] | None = None  # entries whose body `user` reads

    def opens(self, user: Any) -> Condition:
        if not user.has_role(*self.roles):
            return sa.false()
        return self.visible(user)

    def reads(self, user: Any) -> Condition:
        if not user.has_role(*self.roles):
            return sa.false()
        return (self.readable or self.visible)(user)


# --- sets shared by the kinds' rules ----------------------------------------------------------

# Within one search (`sharing()`), a set several kinds' rules read — the meetings the user
# sees (meetings, agenda items, decisions, papers, minutes), the reviews they read in full —
# is one named subquery (a CTE) of each statement, evaluated once, not once per kind.
_SHARED: ContextVar[dict[str, Any] | None] = ContextVar("search_shared", default=None)


@contextmanager
def sharing() -> Iterator[None]:
    token = _SHARED.set({})
    try:
        yield
    finally:
        _SHARED.reset(token)


def _ids(name: str, build: Callable[[], sa.Select]) -> sa.Select:
    """`SELECT id FROM <name>`, the CTE of `build()` shared within the search (or the
    query itself outside one)."""
    cache = _SHARED.get()
    if cache is None:
        return build()
    if name not in cache:
        cache[name] = build().cte(name)
    cte = cache[name]
    return sa.select(cte.c[0])


def _seen_meetings(user: Any) -> sa.Select:
    return _ids("seen_meetings", lambda: sa.select(Meeting.id).where(meeting_visibility(user)))


def _text(*parts: Any) -> str:
    return "\n".join(str(p) for p in parts if p not in (None, ""))


def _area(value: Any) -> str | None:
    return getattr(value, "value", value)


def _rows(conn: sa.Connection, stmt: sa.Select) -> Iterable[Any]:
    return conn.execute(stmt).all()


# --- meetings, agenda items, decisions, papers, minutes --------------------------------------


def _meeting_name(group_short: str, kind: Any, on: date) -> str:
    word = "extraordinary meeting" if kind == MeetingKind.extraordinary else "meeting"
    return f"{group_short} {word}, {long_date(on)}"


def _build_meetings(conn: sa.Connection, ids: list[int]) -> Iterator[Row]:
    stmt = (
        sa.select(Meeting.id, Meeting.kind, Meeting.meeting_date, Meeting.purpose, Meeting.location)
        .add_columns(Group.short_name, Group.name.label("group_name"), Group.area)
        .join(Group, Group.id == Meeting.group_id)
        .where(Meeting.id.in_(ids))
    )
    for r in _rows(conn, stmt):
        yield {
            "record_id": r.id,
            "title": _meeting_name(r.short_name, r.kind, r.meeting_date),
            "body": _text(r.group_name, r.purpose, r.location),
            "occurred_on": r.meeting_date,
            "area": _area(r.area),
        }


def _build_agenda_items(conn: sa.Connection, ids: list[int]) -> Iterator[Row]:
    stmt = (
        sa.select(AgendaItem.id, AgendaItem.title, AgendaItem.description, AgendaItem.presenter, AgendaItem.meeting_id)
        .add_columns(Meeting.meeting_date, Group.short_name, Meeting.kind, Group.area)
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .join(Group, Group.id == Meeting.group_id)
        .where(AgendaItem.id.in_(ids))
    )
    for r in _rows(conn, stmt):
        yield {
            "record_id": r.id,
            "link_id": r.meeting_id,
            "title": r.title,
            "body": _text(_meeting_name(r.short_name, r.kind, r.meeting_date), r.description, r.presenter),
            "occurred_on": r.meeting_date,
            "area": _area(r.area),
        }


def _build_decisions(conn: sa.Connection, ids: list[int]) -> Iterator[Row]:
    stmt = (
        sa.select(Decision.id, Decision.text, Decision.meeting_id, AgendaItem.title)
        .add_columns(Meeting.meeting_date, Group.short_name, Meeting.kind, Group.area)
        .join(AgendaItem, AgendaItem.id == Decision.agenda_item_id)
        .join(Meeting, Meeting.id == Decision.meeting_id)
        .join(Group, Group.id == Meeting.group_id)
        .where(Decision.id.in_(ids))
    )
    for r in _rows(conn, stmt):
        yield {
            "record_id": r.id,
            "link_id": r.meeting_id,
            "title": f"Decision: {r.title}"[:300],
            "body": _text(r.text, _meeting_name(r.short_name, r.kind, r.meeting_date)),
            "occurred_on": r.meeting_date,
            "area": _area(r.area),
        }


def _file_text(storage_key: str, content_type: str, name: str) -> str:
    """The stored file's text (PDF, DOCX); "" when it cannot be read."""
    if not has_app_context():
        return ""
    path = Path(current_app.config["UPLOAD_FOLDER"]) / storage_key
    try:
        data = path.read_bytes()
    except OSError:
        return ""
    return extract_text(data, content_type, name)


def _build_papers(conn: sa.Connection, ids: list[int]) -> Iterator[Row]:
    stmt = (
        sa.select(Paper.id, Paper.title, Paper.meeting_id, AgendaItem.title.label("item_title"))
        .add_columns(StoredFile.storage_key, StoredFile.content_type, StoredFile.original_name)
        .add_columns(Meeting.meeting_date, Group.short_name, Meeting.kind, Group.area)
        .join(StoredFile, StoredFile.id == Paper.stored_file_id)
        .join(AgendaItem, AgendaItem.id == Paper.agenda_item_id)
        .join(Meeting, Meeting.id == Paper.meeting_id)
        .join(Group, Group.id == Meeting.group_id)
        .where(Paper.id.in_(ids))
    )
    for r in _rows(conn, stmt):
        text = _file_text(r.storage_key, r.content_type, r.original_name)
        yield {
            "record_id": r.id,
            "link_id": r.meeting_id,
            "title": r.title,
            "body": _text(r.item_title, _meeting_name(r.short_name, r.kind, r.meeting_date), text),
            "occurred_on": r.meeting_date,
            "area": _area(r.area),
        }


def _build_minutes_sections(conn: sa.Connection, ids: list[int]) -> Iterator[Row]:
    stmt = (
        sa.select(MinutesSection.id, MinutesSection.text, MinutesSection.minutes_id, AgendaItem.title)
        .add_columns(Meeting.meeting_date, Group.short_name, Meeting.kind, Group.area)
        .join(AgendaItem, AgendaItem.id == MinutesSection.agenda_item_id)
        .join(Minutes, Minutes.id == MinutesSection.minutes_id)
        .join(Meeting, Meeting.id == Minutes.meeting_id)
        .join(Group, Group.id == Meeting.group_id)
        .where(MinutesSection.id.in_(ids))
    )
    for r in _rows(conn, stmt):
        name = _meeting_name(r.short_name, r.kind, r.meeting_date)
        yield {
            "record_id": r.id,
            "link_id": r.minutes_id,
            "title": f"Minutes of the {name}: {r.title}"[:300],
            "body": r.text or "",
            "occurred_on": r.meeting_date,
            "area": _area(r.area),
        }


def _visible_meetings(user: Any) -> Condition:
    if user.has_role(*SEE_ALL):
        return sa.true()
    return E.link_id.in_(_seen_meetings(user))


def _visible_meeting_records(user: Any) -> Condition:
    if user.has_role(*SEE_ALL):
        return sa.true()
    return E.record_id.in_(_seen_meetings(user))


def _visible_papers(user: Any) -> Condition:
    """meetings.may_see_papers: the office and the chair always; members of a meeting they
    see once its papers are published."""
    if user.has_role(*SEE_ALL):
        return sa.true()
    return E.link_id.in_(
        sa.select(Meeting.id).where(Meeting.id.in_(_seen_meetings(user)), Meeting.papers_published_on.is_not(None))
    )


def _visible_minutes_sections(user: Any) -> Condition:
    """The minutes the user may open (meetings.minutes_visibility), and of those a
    restricted item's section only for whoever sees the meeting's confidential business
    (meetings.sees_restricted: the office, the chair, those who see the meeting)."""
    if user.has_role(*SEE_ALL):
        return sa.true()
    minutes = E.link_id.in_(sa.select(Minutes.id).where(minutes_visibility(user)))
    restricted = (
        sa.select(MinutesSection.id)
        .join(AgendaItem, AgendaItem.id == MinutesSection.agenda_item_id)
        .where(AgendaItem.restricted.is_(True))
    )
    sees_restricted = E.link_id.in_(sa.select(Minutes.id).where(Minutes.meeting_id.in_(_seen_meetings(user))))
    return sa.and_(minutes, sa.or_(E.record_id.not_in(restricted), sees_restricted))


# --- actions, reviews, findings, letters, disputes, work plans, the directory -----------------


def _build_actions(conn: sa.Connection, ids: list[int]) -> Iterator[Row]:
    stmt = sa.select(
        Action.id,
        Action.title,
        Action.description,
        Action.source_label,
        Action.closure_reason,
        Action.due_date,
        Action.area,
        Organisation.name,
    ).join(Organisation, Organisation.id == Action.owner_organisation_id)
    for r in _rows(conn, stmt.where(Action.id.in_(ids))):
        yield {
            "record_id": r.id,
            "title": r.title,
            "body": _text(r.description, r.source_label, r.name, r.closure_reason),
            "occurred_on": r.due_date,
            "area": _area(r.area),
        }


REVIEW_TEXT = (
    "initials",
    "summary",
    "referral_source",
    "family_notes",
    "parallel_notes",
    "delay_explanation",
    "s44_in_area_reason",
    "s44_needs_reason",
    "s44_abuse_reason",
    "s44_concern_reason",
    "siblings_note",
    "rapid_review_reasons",
    "panel_response",
    "recommendation_reason",
    "decision_reason",
    "alternative_learning",
    "terms_of_reference",
    "reviewer",
    "quality_check_notes",
    "not_published_reason",
)


def _build_reviews(conn: sa.Connection, ids: list[int]) -> Iterator[Row]:
    cols = [getattr(Review, name) for name in REVIEW_TEXT]
    stmt = sa.select(Review.id, Review.reference, Review.kind, Review.received_on, Review.area, *cols)
    for r in _rows(conn, stmt.where(Review.id.in_(ids))):
        yield {
            "record_id": r.id,
            # What a named agency sees of it (reviews/agency.html): the reference and kind.
            "title": f"{r.reference}: {r.kind.label}",
            "body": _text(*(getattr(r, name) for name in REVIEW_TEXT)),
            "occurred_on": r.received_on,
            "area": _area(r.area),
        }


def _visible_reviews(user: Any) -> Condition:
    """reviews.access_to: in full (reviews.visibility), or as a named agency."""
    full = _full_reviews(user)
    org_id = reviews_q.agency_organisation_id(user)
    if org_id is None:
        return full
    named = sa.select(ReviewAgency.review_id).where(ReviewAgency.organisation_id == org_id)
    return sa.or_(full, E.record_id.in_(named))


def _full_reviews(user: Any) -> Condition:
    if reviews_q.sees_everything(user):
        return sa.true()
    return E.record_id.in_(_ids("full_reviews", lambda: sa.select(Review.id).where(reviews_q.visibility(user))))


def _build_findings(conn: sa.Connection, ids: list[int]) -> Iterator[Row]:
    stmt = sa.select(
        Finding.id,
        Finding.source_reference,
        Finding.found_on,
        Finding.area,
        Finding.public_statement,
        Finding.search_public,
        Finding.statement,
    )
    for r in _rows(conn, stmt.where(Finding.id.in_(ids))):
        yield {
            "record_id": r.id,
            "title": f"Finding of {r.source_reference}",
            "public_text": _text(r.public_statement, r.search_public),
            "body": r.statement or "",
            "occurred_on": r.found_on,
            "area": _area(r.area),
        }


def _readable_findings(user: Any) -> Condition:
    if reviews_q.sees_everything(user):
        return sa.true()
    return E.record_id.in_(sa.select(Finding.id).where(full_text_visible(user)))


def _build_escalations(conn: sa.Connection, ids: list[int]) -> Iterator[Row]:
    stmt = sa.select(
        Escalation.id,
        Escalation.detected_on,
        Escalation.drafted_on,
        Escalation.letter_text,
        Escalation.response_summary,
        Escalation.escalation_reason,
        Escalation.withdrawal_reason,
        Organisation.name,
        Organisation.area,
        Group.name.label("group_name"),
    )
    stmt = stmt.join(Organisation, Organisation.id == Escalation.organisation_id).join(
        Group, Group.id == Escalation.group_id
    )
    for r in _rows(conn, stmt.where(Escalation.id.in_(ids))):
        yield {
            "record_id": r.id,
            "title": f"ATT-{r.id:04d}: attendance letter to {r.name}"[:300],
            "body": _text(r.group_name, r.letter_text, r.response_summary, r.escalation_reason, r.withdrawal_reason),
            "occurred_on": r.drafted_on or r.detected_on,
            "area": _area(r.area),
        }


def _build_disputes(conn: sa.Connection, ids: list[int]) -> Iterator[Row]:
    stmt = sa.select(
        Dispute.id,
        Dispute.ref_year,
        Dispute.ref_number,
        Dispute.subject,
        Dispute.summary,
        Dispute.agenda,
        Dispute.outcome,
        Dispute.resolution,
        Dispute.escalation_reason,
        Dispute.withdrawal_reason,
        Dispute.breach_note,
        Dispute.raised_on,
        Dispute.determined_on,
    )
    for r in _rows(conn, stmt.where(Dispute.id.in_(ids))):
        yield {
            "record_id": r.id,
            "title": f"{dispute_reference(r.ref_year, r.ref_number)}: {r.subject}"[:300],
            "body": _text(
                r.summary, r.agenda, r.outcome, r.resolution, r.escalation_reason, r.withdrawal_reason, r.breach_note
            ),
            "occurred_on": r.determined_on or r.raised_on,
            "area": None,
        }


def _build_work_plans(conn: sa.Connection, ids: list[int]) -> Iterator[Row]:
    stmt = sa.select(WorkPlan.id, WorkPlan.financial_year, Group.name, Group.area).join(
        Group, Group.id == WorkPlan.group_id
    )
    items: dict[int, list[str]] = {}
    item_rows = sa.select(
        WorkPlanItem.work_plan_id, WorkPlanItem.title, WorkPlanItem.success_measure, WorkPlanItem.status_reason
    ).where(WorkPlanItem.work_plan_id.in_(ids))
    for i in _rows(conn, item_rows.order_by(WorkPlanItem.id)):
        items.setdefault(i.work_plan_id, []).append(_text(i.title, i.success_measure, i.status_reason))
    for r in _rows(conn, stmt.where(WorkPlan.id.in_(ids))):
        year = r.financial_year
        yield {
            "record_id": r.id,
            "title": f"{r.name} work plan {year}/{str(year + 1)[-2:]}",
            "body": _text(*items.get(r.id, [])),
            "occurred_on": date(year, 4, 1),
            "area": _area(r.area),
        }


def _build_people(conn: sa.Connection, ids: list[int]) -> Iterator[Row]:
    stmt = sa.select(Person.id, Person.name, Person.job_title, Person.email, Organisation.name.label("org")).outerjoin(
        Organisation, Organisation.id == Person.organisation_id
    )
    for r in _rows(conn, stmt.where(Person.id.in_(ids))):
        yield {"record_id": r.id, "title": r.name, "body": _text(r.job_title, r.email, r.org), "occurred_on": None}


def _build_organisations(conn: sa.Connection, ids: list[int]) -> Iterator[Row]:
    stmt = sa.select(
        Organisation.id,
        Organisation.name,
        Organisation.short_name,
        Organisation.area,
        Organisation.chief_executive_name,
        Organisation.chief_executive_title,
        Organisation.safeguarding_lead_name,
    )
    for r in _rows(conn, stmt.where(Organisation.id.in_(ids))):
        yield {
            "record_id": r.id,
            "title": r.name,
            "body": _text(r.short_name, r.chief_executive_name, r.chief_executive_title, r.safeguarding_lead_name),
            "occurred_on": None,
            "area": _area(r.area),
        }


def _all(user: Any) -> Condition:
    return sa.true()


def _in(model: type, rule: Callable[[Any], Condition]) -> Callable[[Any], Condition]:
    def visible(user: Any) -> Condition:
        if user.has_role(*SEE_ALL):
            return sa.true()
        return E.record_id.in_(sa.select(model.id).where(rule(user)))  # type: ignore[attr-defined]

    return visible


KINDS: tuple[Kind, ...] = (
    Kind("meetings", "Meetings", "meeting", Meeting, MEMBERS, _build_meetings,
         _visible_meeting_records, "meetings.meeting", lambda i, _l: {"meeting_id": i}),
    Kind("agenda_items", "Agenda items", "agenda_item", AgendaItem, MEMBERS, _build_agenda_items,
         _visible_meetings, "meetings.meeting", lambda _i, m: {"meeting_id": m or 0}),
    Kind("decisions", "Decisions", "decision", Decision, MEMBERS, _build_decisions,
         _visible_meetings, "meetings.meeting", lambda _i, m: {"meeting_id": m or 0}),
    Kind("papers", "Papers", "paper", Paper, MEMBERS, _build_papers,
         _visible_papers, "meetings.paper", lambda i, m: {"meeting_id": m or 0, "paper_id": i}),
    Kind("minutes", "Minutes", "minutes_section", MinutesSection, (*MEMBERS, VIEWER), _build_minutes_sections,
         _visible_minutes_sections, "meetings.minutes", lambda _i, m: {"minutes_id": m or 0}),
    Kind("actions", "Actions", "action", Action, MEMBERS, _build_actions,
         _in(Action, actions_svc.visibility), "actions.action", lambda i, _l: {"action_id": i}),
    Kind("reviews", "Case reviews", "review", Review, MEMBERS, _build_reviews,
         _visible_reviews, "reviews.review", lambda i, _l: {"review_id": i}, readable=_full_reviews),
    Kind("findings", "Findings", "finding", Finding, SEARCHERS, _build_findings,
         _all, "library.finding", lambda i, _l: {"finding_id": i}, readable=_readable_findings),
    Kind("letters", "Letters", "escalation", Escalation, (OFFICE, CHAIR, PARTNER), _build_escalations,
         _in(Escalation, escalation_visibility), "attendance.escalation", lambda i, _l: {"escalation_id": i}),
    Kind("disputes", "Disputes", "dispute", Dispute, (OFFICE, CHAIR, PARTNER), _build_disputes,
         _in(Dispute, disputes_q.visibility), "disputes.dispute", lambda i, _l: {"dispute_id": i}),
    Kind("work_plans", "Work plans", "work_plan", WorkPlan, MEMBERS, _build_work_plans,
         _all, "workplans.plan", lambda i, _l: {"plan_id": i}),
    Kind("people", "People", "person", Person, MEMBERS, _build_people,
         _all, "partnership.person", lambda i, _l: {"person_id": i}),
    Kind("organisations", "Organisations", "organisation", Organisation, MEMBERS, _build_organisations,
         _all, "partnership.organisation", lambda i, _l: {"org_id": i}),
)  # fmt: skip
BY_KEY = {k.key: k for k in KINDS}
BY_RECORD_TYPE = {k.record_type: k for k in KINDS}
BY_MODEL = {k.model: k for k in KINDS}
