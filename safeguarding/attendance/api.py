"""JSON API for attendance monitoring: each group's thresholds, escalations (a workflow
resource with the letter as PDF and DOCX) and the attendance report (JSON or CSV)."""

from __future__ import annotations

from typing import Any

from flask import Response, request
from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, validate

from safeguarding import access, documents
from safeguarding.api import fields
from safeguarding.api.schemas import PageArgs, page, page_of, workflow_fields
from safeguarding.api.workflow import add_workflow_endpoints
from safeguarding.models import EscalationState, Role
from safeguarding.services import attendance as svc
from safeguarding.workflows.attendance import escalation_lifecycle

blp = Blueprint(
    "attendance_api",
    __name__,
    url_prefix="/api/v1",
    description="Attendance monitoring: thresholds, escalation letters and the attendance report",
)

# As the pages (attendance/routes.py): no letters, escalations or thresholds for viewers;
# the attendance report for them too.
READERS = (Role.business_office, Role.independent_chair, Role.partner_member)
STAFF = (Role.business_office, Role.independent_chair)
REPORT_READERS = (*READERS, Role.viewer)
OFFICE = (Role.business_office,)


# --- policies ---------------------------------------------------------------------------------


class PolicySchema(Schema):
    group_id = fields.Integer(dump_only=True)
    group = fields.Function(lambda p: p._group_name, dump_only=True)
    is_default = fields.Boolean(dump_only=True, metadata={"description": "The group uses the constitution's defaults"})
    version = fields.Integer(
        dump_only=True, allow_none=True, metadata={"description": "null while the group uses the defaults"}
    )
    reminder_after = fields.Integer(dump_only=True)
    escalate_after = fields.Integer(dump_only=True)
    min_rate_percent = fields.Integer(dump_only=True)
    min_held = fields.Integer(dump_only=True)
    window_months = fields.Integer(dump_only=True)
    response_days = fields.Integer(dump_only=True)
    resolve_after = fields.Integer(dump_only=True)


class PolicyUpdateSchema(Schema):
    version = fields.Integer(
        required=True,
        allow_none=True,
        strict=True,
        metadata={"description": "The policy's version (null while it uses the defaults)"},
    )
    reminder_after = fields.Integer(strict=True)
    escalate_after = fields.Integer(strict=True)
    min_rate_percent = fields.Integer(strict=True)
    min_held = fields.Integer(strict=True)
    window_months = fields.Integer(strict=True)
    response_days = fields.Integer(strict=True)
    resolve_after = fields.Integer(strict=True)


class _Named:
    """A Policy with its group's name, for the schema."""

    def __init__(self, policy: svc.Policy, name: str) -> None:
        self._p = policy
        self._group_name = name

    def __getattr__(self, item: str) -> Any:
        return getattr(self._p, item)


@blp.route("/attendance-policies", methods=["GET"])
@access.roles(*STAFF)
@blp.response(200, PolicySchema(many=True))
def list_policies():
    """Every active group's thresholds (the defaults where the group has none of its own)."""
    return [_Named(p, g.name) for g, p in svc.list_policies()]


@blp.route("/attendance-policies/<int:group_id>", methods=["GET"])
@access.roles(*STAFF)
@blp.response(200, PolicySchema)
def get_policy(group_id: int):
    group = svc.get_group(group_id)
    return _Named(svc.policy_for(group_id), group.name)


@blp.route("/attendance-policies/<int:group_id>", methods=["PATCH"])
@access.roles(*OFFICE)
@blp.arguments(PolicyUpdateSchema)
@blp.response(200, PolicySchema)
def update_policy(body, group_id: int):
    """Change a group's thresholds (the business office). 409 when `version` is stale."""
    version = body.pop("version")
    group = svc.get_group(group_id)
    return _Named(svc.update_policy(group_id, version=version, values=body), group.name)


# --- escalations ------------------------------------------------------------------------------


class MissedSchema(Schema):
    meeting_id = fields.Integer()
    date = fields.String()


class EscalationSchema(Schema):
    id = fields.Integer(dump_only=True)
    reference = fields.String(dump_only=True, metadata={"description": "Like ATT-0001"})
    organisation_id = fields.Integer(dump_only=True)
    organisation = fields.String(attribute="organisation.name", dump_only=True)
    group_id = fields.Integer(dump_only=True)
    group = fields.String(attribute="group.name", dump_only=True)
    episode_start_meeting_id = fields.Integer(dump_only=True)
    trigger_reason = fields.Function(
        lambda e: e.trigger_reason.value, dump_only=True, metadata={"description": "consecutive or low_rate"}
    )
    missed_meetings = fields.List(fields.Nested(MissedSchema), dump_only=True)
    represented_percent = fields.Integer(dump_only=True, allow_none=True)
    held_in_window = fields.Integer(dump_only=True, allow_none=True)
    detected_on = fields.Date(dump_only=True)
    letter_text = fields.String(dump_only=True, allow_none=True)
    drafted_on = fields.Date(dump_only=True, allow_none=True)
    approved_on = fields.Date(dump_only=True, allow_none=True)
    sent_on = fields.Date(dump_only=True, allow_none=True)
    response_due_on = fields.Date(dump_only=True, allow_none=True)
    response_received_on = fields.Date(dump_only=True, allow_none=True)
    response_summary = fields.String(dump_only=True, allow_none=True)
    escalated_on = fields.Date(dump_only=True, allow_none=True)
    escalation_reason = fields.String(dump_only=True, allow_none=True)
    withdrawal_reason = fields.String(dump_only=True, allow_none=True)
    closed_on = fields.Date(dump_only=True, allow_none=True)


EscalationResource = Schema.from_dict(
    {**EscalationSchema._declared_fields, **workflow_fields(escalation_lifecycle)}, name="EscalationResource"
)


class EscalationArgs(PageArgs):
    state = fields.String(
        validate=validate.OneOf(["open", "closed", "all", *[s.value for s in EscalationState]]),
        metadata={"description": "open, closed, all (default) or a state"},
    )
    group_id = fields.Integer()
    organisation_id = fields.Integer()


@blp.route("/escalations", methods=["GET"])
@access.roles(*READERS)
@blp.arguments(EscalationArgs, location="query")
@blp.response(200, page_of(EscalationResource))
def list_escalations(args):
    """The escalations you may see (the office and the chair: all; partner members: the
    letters sent to their own organisation), newest first."""
    state = args.get("state")
    rows, total = svc.list_escalations(
        current_user,
        svc.EscalationFilters(
            state=None if state in (None, "all") else state,
            group_id=args.get("group_id"),
            organisation_id=args.get("organisation_id"),
            page=args["page"],
            per_page=args["per_page"],
        ),
    )
    return page(rows, total, args)


@blp.route("/escalations/<int:escalation_id>", methods=["GET"])
@access.roles(*READERS)
@blp.response(200, EscalationResource)
def get_escalation(escalation_id: int):
    return svc.get_escalation(escalation_id, current_user)


@blp.route("/escalations/<int:escalation_id>/letter.pdf", methods=["GET"])
@access.roles(*READERS)
@blp.response(200, description="The letter as a PDF (as sent, once sent)")
def letter_pdf(escalation_id: int):
    e = svc.get_escalation(escalation_id, current_user)
    return documents.send_file(svc.letter_pdf(e), f"{e.reference}-letter.pdf")


@blp.route("/escalations/<int:escalation_id>/letter.docx", methods=["GET"])
@access.roles(*READERS)
@blp.response(200, description="The letter as a Word document (as sent, once sent)")
def letter_docx(escalation_id: int):
    e = svc.get_escalation(escalation_id, current_user)
    return documents.send_file(svc.letter_docx(e), f"{e.reference}-letter.docx")


add_workflow_endpoints(blp, "/escalations", escalation_lifecycle, EscalationResource, readers=access.roles(*READERS))


# --- the attendance report ----------------------------------------------------------------------


class ReportArgs(Schema):
    group = fields.Integer(required=True, metadata={"description": "The group's id"})
    from_ = fields.Date(data_key="from", metadata={"description": "Default: 12 months before `to`"})
    to = fields.Date(metadata={"description": "Default: today"})
    format = fields.String(validate=validate.OneOf(["json", "csv"]))


class CellSchema(Schema):
    meeting_id = fields.Integer()
    status = fields.String(metadata={"description": "Present, Deputy, Apologies, Absent or Not a member"})


class ReportRowSchema(Schema):
    organisation_id = fields.Integer()
    organisation = fields.String()
    held = fields.Integer()
    represented = fields.Integer()
    percent = fields.Integer(allow_none=True)
    cells = fields.List(fields.Nested(CellSchema))


class ReportMeetingSchema(Schema):
    meeting_id = fields.Integer()
    date = fields.Date()


class ReportSchema(Schema):
    group_id = fields.Integer()
    group = fields.String()
    start = fields.Date()
    end = fields.Date()
    meetings = fields.List(fields.Nested(ReportMeetingSchema))
    organisations = fields.List(fields.Nested(ReportRowSchema))


def _wants_csv(args: dict[str, Any]) -> bool:
    if args.get("format"):
        return args["format"] == "csv"
    return (
        request.accept_mimetypes.best_match(["application/json", "text/csv"], default="application/json") == "text/csv"
    )


@blp.route("/reports/attendance", methods=["GET"])
@access.roles(*REPORT_READERS)
@blp.arguments(ReportArgs, location="query")
@blp.response(200, ReportSchema)
def attendance_report(args):
    """Each organisation's attendance at a group's held meetings (default: the last 12
    months): counts, percentage and each meeting's status. Partner members see their own
    organisation only. JSON by default; CSV with `format=csv` or `Accept: text/csv`."""
    report = svc.attendance_report(current_user, args["group"], args.get("from_"), args.get("to"))
    if _wants_csv(args):
        return Response(
            svc.report_csv(report),
            mimetype="text/csv",
            headers={
                "Content-Disposition": f'attachment; filename="attendance-{report.group.id}-{report.start.isoformat()}-'
                f'{report.end.isoformat()}.csv"'
            },
        )
    return {
        "group_id": report.group.id,
        "group": report.group.name,
        "start": report.start,
        "end": report.end,
        "meetings": [{"meeting_id": mid, "date": on} for mid, on in report.meetings],
        "organisations": [
            {
                "organisation_id": r.organisation.id,
                "organisation": r.organisation.name,
                "held": r.held,
                "represented": r.represented,
                "percent": r.percent,
                "cells": [
                    {"meeting_id": mid, "status": r.cells.get(mid, "Not a member")} for mid, _ in report.meetings
                ],
            }
            for r in report.rows
        ],
    }
