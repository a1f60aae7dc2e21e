"""JSON API for disputes (a workflow resource with the parties' agenda agreements) and
complaints (a workflow resource; lists never show complainants' details)."""

from __future__ import annotations

from typing import Any

from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, validate

from safeguarding import access
from safeguarding.api import fields
from safeguarding.api.schemas import PageArgs, page, page_of, workflow_fields
from safeguarding.api.workflow import add_workflow_endpoints
from safeguarding.calendar import today
from safeguarding.formatting import days_left
from safeguarding.models import (
    AgendaResponseKind,
    ComplaintKind,
    ComplaintState,
    DisputeState,
    ResponseMethod,
    Role,
)
from safeguarding.services import complaints as complaints_svc
from safeguarding.services import disputes as svc
from safeguarding.workflows.disputes import (
    complaint_lifecycle,
    complaint_options,
    dispute_lifecycle,
)

blp = Blueprint(
    "disputes_api", __name__, url_prefix="/api/v1", description="Disputes between partner organisations, and complaints"
)

READERS = (Role.business_office, Role.independent_chair, Role.partner_member)
RAISERS = (Role.business_office, Role.partner_member)
HANDLERS = (Role.business_office, Role.independent_chair)


# --- disputes -------------------------------------------------------------------------------


class PartySchema(Schema):
    organisation_id = fields.Integer()
    name = fields.String(attribute="organisation.name")
    short_name = fields.String(attribute="organisation.short_name")


def _days_left(d) -> str | None:
    return days_left(d.deadline, today()) if d.deadline_running else None


class DisputeSchema(Schema):
    id = fields.Integer(dump_only=True)
    reference = fields.String(dump_only=True, metadata={"description": "Like DSP-2026-003"})
    subject = fields.String(required=True, validate=validate.Length(min=1, max=300))
    summary = fields.String(required=True, validate=validate.Length(min=1))
    party_organisation_ids = fields.List(
        fields.Integer(), required=True, load_only=True, metadata={"description": "Two or more partner organisations"}
    )
    parties = fields.List(fields.Nested(PartySchema), dump_only=True)
    raised_on = fields.Date(
        metadata={
            "description": "The day it was raised, today or earlier (default today): a dispute raised at a "
            "meeting last week, or last year's, keeps its own date"
        }
    )
    determined_on = fields.Date(dump_only=True, allow_none=True)
    deadline = fields.Date(
        dump_only=True,
        allow_none=True,
        metadata={"description": "The date the dispute was determined + 28 calendar days"},
    )
    days_left = fields.Function(
        _days_left,
        dump_only=True,
        metadata={"description": "While the meeting is still to be held: '5 days left', 'due today', '2 days overdue'"},
    )
    meeting_on = fields.Date(dump_only=True, allow_none=True)
    meeting_time = fields.Time(dump_only=True, allow_none=True, format="%H:%M")
    meeting_location = fields.String(dump_only=True, allow_none=True)
    chair_person_id = fields.Integer(dump_only=True, allow_none=True)
    chair_name = fields.Function(lambda d: d.chair_person.name if d.chair_person else None, dump_only=True)
    chair_reason = fields.String(dump_only=True, allow_none=True)
    late_reason = fields.String(dump_only=True, allow_none=True)
    agenda = fields.String(dump_only=True, allow_none=True)
    agenda_revision = fields.Integer(dump_only=True)
    held_on = fields.Date(dump_only=True, allow_none=True)
    outcome = fields.String(dump_only=True, allow_none=True)
    resolution = fields.String(dump_only=True, allow_none=True)
    escalation_reason = fields.String(dump_only=True, allow_none=True)
    escalated_on = fields.Date(dump_only=True, allow_none=True)
    withdrawal_reason = fields.String(dump_only=True, allow_none=True)
    closed_on = fields.Date(dump_only=True, allow_none=True)
    breached = fields.Boolean(dump_only=True, metadata={"description": "The 28-day rule was broken"})
    breach_recorded_on = fields.Date(dump_only=True, allow_none=True)
    breach_note = fields.String(dump_only=True, allow_none=True)


DisputeResource = Schema.from_dict(
    {**DisputeSchema._declared_fields, **workflow_fields(dispute_lifecycle)}, name="DisputeResource"
)


class DisputeUpdateSchema(Schema):
    version = fields.Integer(required=True, strict=True)
    subject = fields.String(validate=validate.Length(min=1, max=300))
    summary = fields.String(validate=validate.Length(min=1))
    agenda = fields.String(metadata={"description": "The business office's draft; a new draft clears agreements"})


class DisputeArgs(PageArgs):
    status = fields.String(
        validate=validate.OneOf(["open", "closed", *[s.value for s in DisputeState]]),
        metadata={"description": "open (default), closed, or a state"},
    )
    all = fields.Boolean(load_default=False, metadata={"description": "Every status"})
    breached = fields.Boolean(load_default=False)
    organisation_id = fields.Integer()


class AgendaPartySchema(Schema):
    organisation_id = fields.Integer(attribute="party.organisation_id")
    organisation = fields.String(attribute="party.organisation.name")
    response = fields.Function(lambda s: s.response.response.value if s.response else None)
    changes = fields.Function(lambda s: s.response.changes if s.response else None)
    by = fields.Function(lambda s: s.response.by.email if s.response and s.response.by else None)
    at = fields.Function(lambda s: s.response.at.isoformat() if s.response else None)


class AgendaAgreementsSchema(Schema):
    agenda = fields.String(allow_none=True)
    agenda_revision = fields.Integer()
    agreed_by_every_party = fields.Boolean()
    parties = fields.List(fields.Nested(AgendaPartySchema))


class AgendaResponseSchema(Schema):
    agenda_revision = fields.Integer(
        required=True, strict=True, metadata={"description": "The draft you are answering (its agenda_revision)"}
    )
    response = fields.String(required=True, validate=validate.OneOf([k.value for k in AgendaResponseKind]))
    changes = fields.String(allow_none=True, metadata={"description": "Needed when proposing changes"})


def _agreements(d) -> dict[str, Any]:
    status = svc.agenda_status(d)
    return {
        "agenda": d.agenda,
        "agenda_revision": d.agenda_revision,
        "agreed_by_every_party": bool(d.agenda_revision) and all(s.agreed for s in status),
        "parties": status,
    }


@blp.route("/disputes", methods=["GET"])
@access.roles(*READERS)
@blp.arguments(DisputeArgs, location="query")
@blp.response(200, page_of(DisputeResource))
def list_disputes(args):
    """The disputes you may see (the office and chair: all; partner members: their
    organisation's), the nearest deadline first."""
    status = None if args["all"] else args.get("status", "open")
    rows, total = svc.list_disputes(
        current_user,
        svc.DisputeFilters(
            status=status,
            breached=args["breached"],
            organisation_id=args.get("organisation_id"),
            page=args["page"],
            per_page=args["per_page"],
        ),
    )
    return page(rows, total, args)


@blp.route("/disputes", methods=["POST"])
@access.roles(*RAISERS)
@blp.arguments(DisputeSchema)
@blp.response(201, DisputeResource)
def create_dispute(body):
    """Raise a dispute between two or more partner organisations (a partner member's own
    organisation must be one of them)."""
    return svc.raise_dispute(current_user, **body)


@blp.route("/disputes/<int:dispute_id>", methods=["GET"])
@access.roles(*READERS)
@blp.response(200, DisputeResource)
def get_dispute(dispute_id: int):
    return svc.get_dispute(dispute_id, current_user)


@blp.route("/disputes/<int:dispute_id>", methods=["PATCH"])
@access.roles(Role.business_office)
@blp.arguments(DisputeUpdateSchema)
@blp.response(200, DisputeResource)
def update_dispute(body, dispute_id: int):
    """Correct the subject or summary, or draft the agenda (business office)."""
    return svc.update_dispute(svc.get_dispute(dispute_id, current_user), current_user, **body)


@blp.route("/disputes/<int:dispute_id>/agenda-agreements", methods=["GET"])
@access.roles(*READERS)
@blp.response(200, AgendaAgreementsSchema)
def agenda_agreements(dispute_id: int):
    """The current draft agenda and each party's response to it."""
    return _agreements(svc.get_dispute(dispute_id, current_user))


@blp.route("/disputes/<int:dispute_id>/agenda-agreements", methods=["POST"])
@access.roles(Role.partner_member)
@blp.arguments(AgendaResponseSchema)
@blp.response(201, AgendaAgreementsSchema)
def respond_to_agenda(body, dispute_id: int):
    """Your organisation agrees the current draft or proposes changes (a partner member
    of a party). When every party has agreed a convened meeting's agenda, it is agreed."""
    d = svc.get_dispute(dispute_id, current_user)
    svc.record_agenda_response(d, current_user, **body)
    return _agreements(d)


add_workflow_endpoints(blp, "/disputes", dispute_lifecycle, DisputeResource, readers=access.roles(*READERS))


# --- complaints -----------------------------------------------------------------------------


class ComplaintListSchema(Schema):
    """What lists show: never the complainant's name or contact, nor the summary."""

    id = fields.Integer(dump_only=True)
    reference = fields.String(dump_only=True, metadata={"description": "Like CMP-2026-001"})
    kind = fields.Enum(ComplaintKind, by_value=True, required=True)
    received_on = fields.Date(required=True)
    organisation_id = fields.Integer(
        allow_none=True, metadata={"description": "For a complaint about a member's service"}
    )
    referred_on = fields.Date(dump_only=True, allow_none=True)
    closed_on = fields.Date(dump_only=True, allow_none=True)


class ComplaintSchema(ComplaintListSchema):
    complainant_name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    complainant_contact = fields.String(required=True, validate=validate.Length(min=1, max=320))
    summary = fields.String(required=True, validate=validate.Length(min=1))
    assigned_to = fields.Function(lambda c: c.assigned_to.email if c.assigned_to else None, dump_only=True)
    investigation_started_on = fields.Date(dump_only=True, allow_none=True)
    outcome = fields.String(dump_only=True, allow_none=True)
    responded_on = fields.Date(dump_only=True, allow_none=True)
    response_method = fields.Enum(ResponseMethod, by_value=True, dump_only=True, allow_none=True)
    organisation_notified_at = fields.DateTime(dump_only=True, allow_none=True)


def _complaint_workflow_fields() -> dict[str, fields.Field]:
    out = workflow_fields(complaint_lifecycle)
    out["available_triggers"] = fields.Function(
        lambda c: [o.trigger for o in complaint_options(c, current_user)],
        metadata={"description": "Triggers the requesting user may fire now"},
    )
    return out


ComplaintListResource = Schema.from_dict(
    {**ComplaintListSchema._declared_fields, **_complaint_workflow_fields()}, name="ComplaintListResource"
)
ComplaintResource = Schema.from_dict(
    {**ComplaintSchema._declared_fields, **_complaint_workflow_fields()}, name="ComplaintResource"
)


class ComplaintArgs(PageArgs):
    status = fields.String(validate=validate.OneOf(["open", *[s.value for s in ComplaintState]]))
    all = fields.Boolean(load_default=False, metadata={"description": "Every status"})
    kind = fields.String(validate=validate.OneOf([k.value for k in ComplaintKind]))


@blp.route("/complaints", methods=["GET"])
@access.roles(*HANDLERS)
@blp.arguments(ComplaintArgs, location="query")
@blp.response(200, page_of(ComplaintListResource))
def list_complaints(args):
    """Complaints (business office and Chair), newest first, without complainants' details."""
    status = None if args["all"] else args.get("status", "open")
    rows, total = complaints_svc.list_complaints(
        current_user,
        complaints_svc.ComplaintFilters(
            status=status, kind=args.get("kind"), page=args["page"], per_page=args["per_page"]
        ),
    )
    return page(rows, total, args)


@blp.route("/complaints", methods=["POST"])
@access.roles(*HANDLERS)
@blp.arguments(ComplaintSchema)
@blp.response(201, ComplaintResource)
def create_complaint(body):
    """Log a complaint: about the partnership (assigned to the Chair) or about a member
    organisation's service (give organisation_id; then refer it)."""
    return complaints_svc.log_complaint(current_user, **body)


@blp.route("/complaints/<int:complaint_id>", methods=["GET"])
@access.roles(*HANDLERS)
@blp.response(200, ComplaintResource)
def get_complaint(complaint_id: int):
    c = complaints_svc.get_complaint(complaint_id, current_user)
    complaints_svc.record_view(c)
    return c


add_workflow_endpoints(blp, "/complaints", complaint_lifecycle, ComplaintResource, readers=access.roles(*HANDLERS))
