"""JSON API for meetings, the register, decisions, declarations, chair's actions and
minutes (the same services as the pages). The schemas are in `schemas`."""

from __future__ import annotations

from typing import Any

from flask_login import current_user
from flask_smorest import Blueprint

from safeguarding import access
from safeguarding.api.schemas import page, page_of, patched
from safeguarding.api.workflow import add_workflow_endpoints
from safeguarding.calendar import financial_year_label, financial_year_start, parse_financial_year, today
from safeguarding.errors import ProblemSchema
from safeguarding.extensions import db
from safeguarding.meetings.schemas import (
    AgendaItemSchema,
    AmendmentSchema,
    ApologiesSchema,
    AttendanceEntrySchema,
    ChairActionArgs,
    ChairActionResource,
    ChairActionSchema,
    DecisionSchema,
    DeclarationArgs,
    DeclarationSchema,
    InterestArgs,
    InterestReturnSchema,
    MeetingArgs,
    MeetingDetail,
    MeetingResource,
    MeetingSchema,
    MeetingUpdateSchema,
    MinutesArgs,
    MinutesDetail,
    MinutesResource,
    MinutesUpdateSchema,
    RegisterSchema,
    RestrictedSchema,
    SeriesSchema,
)
from safeguarding.models import AgendaItem, Role
from safeguarding.services import meetings as svc
from safeguarding.services.errors import NotFound, ValidationFailed
from safeguarding.workflows.meetings import chair_action_lifecycle, meeting_lifecycle, minutes_lifecycle

blp = Blueprint(
    "meetings_api",
    __name__,
    url_prefix="/api/v1",
    description="Meetings, attendance and quorum, decisions, declarations, chair's actions, minutes",
)

OFFICE = (Role.business_office,)
OFFICE_OR_CHAIR = (Role.business_office, Role.independent_chair)
MEMBERS = (Role.partner_member, Role.subgroup_chair)
READERS = (*OFFICE_OR_CHAIR, *MEMBERS)
MINUTES_READERS = (*READERS, Role.viewer)


# --- meetings -------------------------------------------------------------------------------


def _meeting_detail(meeting) -> dict[str, Any]:
    items = svc.agenda_of(meeting, include_withdrawn=True)
    papers: dict[int, list] = {}
    if svc.may_see_papers(meeting, current_user):
        for p in svc.papers_of(meeting):
            papers.setdefault(p.agenda_item_id, []).append(p)
    for item in items:
        item.papers = papers.get(item.id, [])
    meeting.agenda = items
    return meeting


@blp.route("/meetings", methods=["GET"])
@access.roles(*READERS)
@blp.arguments(MeetingArgs, location="query")
@blp.response(200, page_of(MeetingResource))
def list_meetings(args):
    """Meetings you may see (the office and chair: all; members: their groups'), by date."""
    rows, total = svc.list_meetings(
        current_user,
        svc.MeetingFilters(
            group_id=args.get("group_id"),
            date_from=args.get("from_"),
            date_to=args.get("to"),
            state=args.get("state"),
            page=args["page"],
            per_page=args["per_page"],
        ),
    )
    return page(rows, total, args)


@blp.route("/meetings", methods=["POST"])
@access.roles(*OFFICE)
@blp.arguments(MeetingSchema)
@blp.response(201, MeetingDetail)
def create_meeting(body):
    """Schedule a meeting (its standing agenda items are added)."""
    kw = {k: v for k, v in body.items() if v is not None}
    meeting = svc.schedule_meeting(created_by_id=current_user.id, **kw)
    return _meeting_detail(meeting)


@blp.route("/meetings/series", methods=["POST"])
@access.roles(*OFFICE)
@blp.arguments(SeriesSchema)
@blp.response(201, MeetingResource(many=True))
def create_series(body):
    """Schedule a run of meetings (default: 6, every other month, on the same weekday of
    the month as the first)."""
    kw = {k: v for k, v in body.items() if v is not None}
    return svc.schedule_series(created_by_id=current_user.id, **kw)


@blp.route("/meetings/<int:meeting_id>", methods=["GET"])
@access.roles(*READERS)
@blp.response(200, MeetingDetail)
def get_meeting(meeting_id: int):
    """A meeting with its agenda (and papers, once you may see them)."""
    return _meeting_detail(svc.get_meeting(meeting_id, current_user))


@blp.route("/meetings/<int:meeting_id>", methods=["PATCH"])
@access.roles(*OFFICE)
@blp.arguments(MeetingUpdateSchema)
@blp.response(200, MeetingDetail)
def update_meeting(body, meeting_id: int):
    meeting = svc.get_meeting(meeting_id, current_user)
    # Left out, the papers' due date moves with the meeting (the service works it out).
    svc.update_meeting(meeting, **patched(body, meeting, MeetingUpdateSchema, leave_out=("papers_due_on",)))
    return _meeting_detail(meeting)


@blp.route("/meetings/<int:meeting_id>/agenda", methods=["GET"])
@access.roles(*READERS)
@blp.response(200, AgendaItemSchema(many=True))
def list_agenda(meeting_id: int):
    return _meeting_detail(svc.get_meeting(meeting_id, current_user)).agenda


@blp.route("/meetings/<int:meeting_id>/agenda/<int:item_id>/restricted", methods=["PUT"])
@access.roles(*OFFICE)
@blp.arguments(RestrictedSchema)
@blp.response(200, AgendaItemSchema)
def put_restricted(body, meeting_id: int, item_id: int):
    """Mark an agenda item as confidential business (Part B), or open it again."""
    meeting = svc.get_meeting(meeting_id, current_user)
    item = svc.set_restricted(svc.get_agenda_item(meeting, item_id), body["restricted"], user=current_user)
    item.papers = [p for p in svc.papers_of(meeting) if p.agenda_item_id == item.id]
    return item


@blp.route("/meetings/<int:meeting_id>/agenda", methods=["POST"])
@access.roles(*OFFICE)
@blp.arguments(AgendaItemSchema)
@blp.response(201, AgendaItemSchema)
def add_agenda_item(body, meeting_id: int):
    meeting = svc.get_meeting(meeting_id, current_user)
    item = svc.add_agenda_item(meeting, **body)
    item.papers = []
    return item


add_workflow_endpoints(blp, "/meetings", meeting_lifecycle, MeetingResource, readers=access.roles(*READERS))


# --- attendance -------------------------------------------------------------------------------


def _register(meeting, register=None) -> dict[str, Any]:
    register = register or svc.load_register(meeting)
    quorate, missing = svc.is_quorate(meeting, register)
    chair = svc.presiding_chair(meeting, register)
    return {
        "meeting": meeting,
        "quorate": quorate,
        "quorum_missing": missing,
        "seats": register.seats,
        "presiding_chair_person_id": chair.id if chair else None,
    }


@blp.route("/meetings/<int:meeting_id>/attendance", methods=["GET"])
@access.roles(*READERS)
@blp.response(200, RegisterSchema)
def get_attendance(meeting_id: int):
    """The register: every seat on the group on the meeting date with its attendance, and
    whether the meeting is quorate (and if not, what is missing)."""
    return _register(svc.get_meeting(meeting_id, current_user))


@blp.route("/meetings/<int:meeting_id>/attendance", methods=["PUT"])
@access.roles(*OFFICE)
@blp.arguments(AttendanceEntrySchema(many=True))
@blp.response(200, RegisterSchema)
@blp.alt_response(422, schema=ProblemSchema, description="An entry is refused; nothing is saved")
def put_attendance(entries, meeting_id: int):
    """Record the register: a list of `{membership_id, status, deputy_person_id}`. Seats
    not listed are left as they are."""
    meeting = svc.get_meeting(meeting_id, current_user)
    register = svc.record_attendance(meeting, entries, user=current_user)
    return _register(meeting, register)


@blp.route("/meetings/<int:meeting_id>/apologies", methods=["POST"])
@access.roles(Role.business_office, *MEMBERS)
@blp.arguments(ApologiesSchema)
@blp.response(201, RegisterSchema)
def send_apologies(body, meeting_id: int):
    """Send apologies for your seat, optionally naming who attends in your place."""
    meeting = svc.get_meeting(meeting_id, current_user)
    membership_id = body.get("membership_id")
    if membership_id is None:
        own = svc.own_seats(svc.load_register(meeting), current_user)
        membership_id = own[0].membership.id if own else None
    svc.send_apologies(
        meeting, membership_id, user=current_user, deputy_person_id=body.get("deputy_person_id"), note=body.get("note")
    )
    return _register(meeting)


# --- decisions --------------------------------------------------------------------------------


@blp.route("/meetings/<int:meeting_id>/decisions", methods=["GET"])
@access.roles(*READERS)
@blp.response(200, DecisionSchema(many=True))
def list_decisions(meeting_id: int):
    return svc.decisions_of(svc.get_meeting(meeting_id, current_user))


@blp.route("/meetings/<int:meeting_id>/decisions", methods=["POST"])
@access.roles(*OFFICE_OR_CHAIR)
@blp.arguments(DecisionSchema)
@blp.response(201, DecisionSchema)
@blp.alt_response(409, schema=ProblemSchema, description="The meeting is not in session")
@blp.alt_response(422, schema=ProblemSchema, description="Not quorate, or the votes break a rule")
def record_decision(body, meeting_id: int):
    """Record a decision on an agenda item: by consensus, or by vote (one vote per
    organisation entitled to vote; a tie needs the chair's `casting_vote`)."""
    meeting = svc.get_meeting(meeting_id, current_user)
    item = svc.get_agenda_item(meeting, body["agenda_item_id"])
    return svc.record_decision(
        item,
        user=current_user,
        method=body["method"],
        text=body["text"],
        votes=body["votes"],
        casting_vote=body.get("casting_vote"),
        interim=body["interim"],
        decided_at=body.get("decided_at"),
    )


@blp.route("/decisions/<int:decision_id>/validations", methods=["POST"])
@access.roles(*MEMBERS)
@blp.response(201, DecisionSchema)
def validate_decision(decision_id: int):
    """Validate an interim decision for your organisation."""
    decision = svc.get_decision(decision_id, current_user)
    svc.validate_decision(decision, user=current_user)
    return decision


# --- declarations -----------------------------------------------------------------------------


@blp.route("/declarations", methods=["GET"])
@access.roles(*READERS)
@blp.arguments(DeclarationArgs, location="query")
@blp.response(200, page_of(DeclarationSchema))
def list_declarations(args):
    """The register of declarations of interest (the chair and the office: all; members: their own)."""
    rows, total = svc.list_declarations(
        current_user, meeting_id=args.get("meeting_id"), page=args["page"], per_page=args["per_page"]
    )
    return page(rows, total, args)


@blp.route("/declarations", methods=["POST"])
@access.roles(*READERS)
@blp.arguments(DeclarationSchema)
@blp.response(201, DeclarationSchema)
def declare(body):
    """Declare an interest in an agenda item (in writing to the chair)."""
    item = db.session.get(AgendaItem, body["agenda_item_id"])
    if item is None:
        raise NotFound("Agenda item not found")
    svc.get_meeting(item.meeting_id, current_user)
    return svc.declare_interest(item, user=current_user, nature=body["nature"], person_id=body.get("person_id"))


# --- chair's actions ----------------------------------------------------------------------------


@blp.route("/chair-actions", methods=["GET"])
@access.roles(*READERS)
@blp.arguments(ChairActionArgs, location="query")
@blp.response(200, page_of(ChairActionResource))
def list_chair_actions(args):
    rows, total = svc.list_chair_actions(
        current_user, status=args.get("status"), page=args["page"], per_page=args["per_page"]
    )
    return page(rows, total, args)


@blp.route("/chair-actions", methods=["POST"])
@access.roles(Role.independent_chair, *MEMBERS)
@blp.arguments(ChairActionSchema)
@blp.response(201, ChairActionResource)
def record_chair_action(body):
    """The chair (or the Board's vice chair) records an urgent decision taken between
    meetings, with the consultation of each of the three statutory agencies; it goes on
    the next Board agenda for ratification."""
    return svc.record_chair_action(user=current_user, **body)


@blp.route("/chair-actions/<int:action_id>", methods=["GET"])
@access.roles(*READERS)
@blp.response(200, ChairActionResource)
def get_chair_action(action_id: int):
    return svc.get_chair_action(action_id, current_user)


add_workflow_endpoints(
    blp, "/chair-actions", chair_action_lifecycle, ChairActionResource, readers=access.roles(*READERS)
)


# --- minutes ------------------------------------------------------------------------------------


def _minutes_detail(minutes) -> Any:
    """The minutes with a section per agenda item; an item taken in private that the reader
    may not see gives only its number and `"private": true` (no title, no text)."""
    sections = svc.sections_of(minutes)
    private = svc.private_item_ids(minutes.meeting, current_user)
    minutes.sections = [
        {"agenda_item_id": i.id, "position": n, "private": True, "text": f"Item {n} was taken in private."}
        if i.id in private
        else {
            "agenda_item_id": i.id,
            "position": n,
            "private": False,
            "title": i.title,
            "text": sections[i.id].text if i.id in sections else "",
        }
        for n, i in enumerate(svc.agenda_of(minutes.meeting), start=1)
    ]
    return minutes


@blp.route("/minutes", methods=["GET"])
@access.roles(*MINUTES_READERS)
@blp.arguments(MinutesArgs, location="query")
@blp.response(200, page_of(MinutesResource))
def list_minutes(args):
    """Minutes you may read (viewers: ratified minutes only)."""
    rows, total = svc.list_minutes(
        current_user,
        svc.MinutesFilters(
            state=args.get("state"), group_id=args.get("group_id"), page=args["page"], per_page=args["per_page"]
        ),
    )
    return page(rows, total, args)


@blp.route("/meetings/<int:meeting_id>/minutes", methods=["POST"])
@access.roles(*OFFICE)
@blp.response(201, MinutesDetail)
def start_minutes(meeting_id: int):
    """Start the minutes of a meeting (one section per agenda item)."""
    return _minutes_detail(svc.start_minutes(svc.get_meeting(meeting_id, current_user), user=current_user))


@blp.route("/minutes/<int:minutes_id>", methods=["GET"])
@access.roles(*MINUTES_READERS)
@blp.response(200, MinutesDetail)
def get_minutes(minutes_id: int):
    return _minutes_detail(svc.get_minutes(minutes_id, current_user))


@blp.route("/minutes/<int:minutes_id>", methods=["PATCH"])
@access.roles(*OFFICE)
@blp.arguments(MinutesUpdateSchema)
@blp.response(200, MinutesDetail)
def update_minutes(body, minutes_id: int):
    """Write draft minutes, item by item."""
    minutes = svc.get_minutes(minutes_id, current_user)
    svc.update_minutes(
        minutes,
        version=body["version"],
        user=current_user,
        sections={s["agenda_item_id"]: s["text"] for s in body.get("sections", [])},
    )
    return _minutes_detail(minutes)


@blp.route("/minutes/<int:minutes_id>/amendments", methods=["GET"])
@access.roles(*MINUTES_READERS)
@blp.response(200, AmendmentSchema(many=True))
def list_amendments(minutes_id: int):
    minutes = svc.get_minutes(minutes_id, current_user)
    private = svc.private_item_ids(minutes.meeting, current_user)
    return [a for a in svc.amendments_of(minutes) if a.agenda_item_id not in private]


@blp.route("/minutes/<int:minutes_id>/amendments", methods=["POST"])
@access.roles(*OFFICE)
@blp.arguments(AmendmentSchema)
@blp.response(201, AmendmentSchema)
def add_amendment(body, minutes_id: int):
    """Correct approved or ratified minutes (the original text is kept)."""
    return svc.add_amendment(svc.get_minutes(minutes_id, current_user), user=current_user, **body)


# The history is the making of the minutes (returned for changes, with the chair's
# comments on the draft): not the viewers', who read the ratified record.
add_workflow_endpoints(
    blp,
    "/minutes",
    minutes_lifecycle,
    MinutesResource,
    readers=access.roles(*MINUTES_READERS),
    history_readers=access.roles(*READERS),
)


# --- the annual register of interests ---------------------------------------------------------


def _financial_year(label: str | None, field: str) -> int:
    try:
        return parse_financial_year(label) if label else financial_year_start(today())
    except ValueError:
        raise ValidationFailed(errors={field: "Give the financial year like 2026-27"}) from None


def _register_line(person: Any, row: Any, year: int) -> dict[str, Any]:
    return {
        "person_id": person.id,
        "person": person.name,
        "financial_year": financial_year_label(year),
        "made": row is not None,
        "nil": row.nil if row else None,
        "interests": row.interests if row else None,
        "declared_on": row.declared_on if row else None,
    }


@blp.route("/interest-returns", methods=["GET"])
@access.roles(*OFFICE_OR_CHAIR)
@blp.arguments(InterestArgs, location="query")
@blp.response(200, InterestReturnSchema(many=True))
def list_interest_returns(args):
    """The register of interests for a financial year: every current Board member, with their
    return or `"made": false`."""
    year = _financial_year(args.get("year"), "year")
    return [_register_line(r.person, r.interest_return, year) for r in svc.register_of_interests(year)]


@blp.route("/interest-returns", methods=["POST"])
@access.roles(*READERS)
@blp.arguments(InterestReturnSchema)
@blp.response(201, InterestReturnSchema)
def post_interest_return(body):
    """A Board member's return of interests for the year (or a nil return); the office may
    record one for any Board member with `person_id`."""
    year = _financial_year(body["financial_year"], "financial_year")
    row = svc.record_interest_return(
        current_user,
        financial_year=year,
        nil=body["nil"],
        interests=body.get("interests"),
        declared_on=body.get("declared_on"),
        person_id=body.get("person_id"),
    )
    return _register_line(row.person, row, year)
