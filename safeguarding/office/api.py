"""JSON API of the meeting office's tools: the agenda pack, cover sheets, the risk register."""

from __future__ import annotations

from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, validate

from safeguarding import access, documents
from safeguarding.api import fields
from safeguarding.calendar import financial_year_start, parse_financial_year, today
from safeguarding.models import PaperPurpose, Role
from safeguarding.office.schemas import (
    CloseSchema,
    ForwardItemSchema,
    ForwardItemUpdateSchema,
    ForwardItemVersionSchema,
    MitigationSchema,
    RiskArgs,
    RiskSchema,
    RiskScoreSchema,
    RiskUpdateSchema,
    YearArgs,
)
from safeguarding.services import agenda_pack, forward_plan, risks
from safeguarding.services import meetings as meetings_svc
from safeguarding.services.errors import NotFound, ValidationFailed

blp = Blueprint(
    "office_api",
    __name__,
    url_prefix="/api/v1",
    description="The meeting office: agenda packs, report cover sheets, the risk register, the forward plan",
)

OFFICE = (Role.business_office,)
PAPER_READERS = (Role.business_office, Role.independent_chair, Role.partner_member, Role.subgroup_chair)
RISK_READERS = PAPER_READERS


class PackArgs(Schema):
    version = fields.String(
        load_default="public",
        validate=validate.OneOf(agenda_pack.VERSIONS),
        metadata={"description": "`public` (items taken in private left out) or `full`"},
    )


@blp.route("/meetings/<int:meeting_id>/pack", methods=["GET"])
@access.roles(*PAPER_READERS)
@blp.arguments(PackArgs, location="query")
@blp.response(200, description="The agenda pack (PDF): cover, agenda with page numbers, papers with bookmarks")
def get_pack(args, meeting_id: int):
    m = meetings_svc.get_meeting(meeting_id, current_user)
    data = agenda_pack.agenda_pack(m, current_user, args["version"])
    return documents.send_file(data, agenda_pack.pack_file_name(m, args["version"]))


class CoverSheetSchema(Schema):
    paper_id = fields.Integer(dump_only=True)
    purpose = fields.String(required=True, validate=validate.OneOf([p.value for p in PaperPurpose]))
    asked_to = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    author = fields.String(required=True, validate=validate.Length(min=1, max=200))
    sponsor_organisation_id = fields.Integer(allow_none=True, load_default=None)
    risks = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=4000))
    version = fields.Integer(metadata={"description": "Give the version you read to change a cover sheet safely"})


def _paper(meeting_id: int, paper_id: int):
    m = meetings_svc.get_meeting(meeting_id, current_user)
    return meetings_svc.get_paper(m, paper_id, current_user)


@blp.route("/meetings/<int:meeting_id>/papers/<int:paper_id>/cover-sheet", methods=["GET"])
@access.roles(*PAPER_READERS)
@blp.response(200, CoverSheetSchema)
def get_cover_sheet(meeting_id: int, paper_id: int):
    sheet = agenda_pack.cover_sheet_of(_paper(meeting_id, paper_id))
    if sheet is None:
        raise NotFound("This paper has no cover sheet")
    return sheet


@blp.route("/meetings/<int:meeting_id>/papers/<int:paper_id>/cover-sheet", methods=["PUT"])
@access.roles(*OFFICE)
@blp.arguments(CoverSheetSchema)
@blp.response(200, CoverSheetSchema)
def put_cover_sheet(body, meeting_id: int, paper_id: int):
    """Enter or change the paper's cover sheet (before the meeting)."""
    return agenda_pack.save_cover_sheet(_paper(meeting_id, paper_id), user=current_user, **body)


# --- the risk register ----------------------------------------------------------------------


def _risk_filters(args) -> risks.RiskFilters:
    status = args["status"]
    return risks.RiskFilters(status=None if status == "all" else status, rag=args.get("rag"))


@blp.route("/risks", methods=["GET"])
@access.roles(*RISK_READERS)
@blp.arguments(RiskArgs, location="query")
@blp.response(200, RiskSchema(many=True))
def list_risks(args):
    """The register, highest score after mitigations first; `format=csv` or `xlsx` for a file."""
    rows = risks.list_risks(current_user, _risk_filters(args))
    if args["format"] == "csv":
        return documents.send_file(risks.register_csv(rows).encode("utf-8"), "risk-register.csv")
    if args["format"] == "xlsx":
        return documents.send_file(risks.register_xlsx(rows), "risk-register.xlsx")
    return rows


@blp.route("/risks", methods=["POST"])
@access.roles(*OFFICE)
@blp.arguments(RiskSchema)
@blp.response(201, RiskSchema)
def create_risk(body):
    return risks.create_risk(user=current_user, **body)


@blp.route("/risks/<int:risk_id>", methods=["GET"])
@access.roles(*RISK_READERS)
@blp.response(200, RiskSchema)
def get_risk(risk_id: int):
    return risks.get_risk(risk_id, current_user)


@blp.route("/risks/<int:risk_id>", methods=["PATCH"])
@access.roles(*OFFICE)
@blp.arguments(RiskUpdateSchema)
@blp.response(200, RiskSchema)
def update_risk(body, risk_id: int):
    """Change a risk; a change of a score adds an assessment to its history."""
    return risks.update_risk(risks.get_risk(risk_id, current_user), user=current_user, **body)


@blp.route("/risks/<int:risk_id>/close", methods=["POST"])
@access.roles(*OFFICE)
@blp.arguments(CloseSchema)
@blp.response(200, RiskSchema)
def close_risk(body, risk_id: int):
    return risks.close_risk(risks.get_risk(risk_id, current_user), user=current_user, **body)


@blp.route("/risks/<int:risk_id>/history", methods=["GET"])
@access.roles(*RISK_READERS)
@blp.response(200, RiskScoreSchema(many=True))
def risk_history(risk_id: int):
    return risks.history_of(risks.get_risk(risk_id, current_user))


@blp.route("/risks/<int:risk_id>/actions", methods=["GET"])
@access.roles(*RISK_READERS)
@blp.response(200, MitigationSchema(many=True))
def risk_actions(risk_id: int):
    return risks.actions_of(risks.get_risk(risk_id, current_user))


@blp.route("/risks/<int:risk_id>/actions", methods=["POST"])
@access.roles(*OFFICE)
@blp.arguments(MitigationSchema)
@blp.response(201, MitigationSchema)
def add_risk_action(body, risk_id: int):
    """A mitigating action, in the shared action log."""
    return risks.add_mitigation(risks.get_risk(risk_id, current_user), user=current_user, **body)


# --- the forward plan -----------------------------------------------------------------------


def _year(raw: str | None) -> int:
    if not raw:
        return financial_year_start(today())
    try:
        return parse_financial_year(raw)
    except ValueError as exc:
        raise ValidationFailed(errors={"year": str(exc)}) from exc


@blp.route("/forward-plan", methods=["GET"])
@access.roles(*RISK_READERS)
@blp.arguments(YearArgs, location="query")
@blp.response(200, ForwardItemSchema(many=True))
def get_forward_plan(args):
    """The year's cycle of business by month (`year` = `2026-27`, default: this year), with
    the meeting and agenda item each is placed on."""
    items = forward_plan.plan_of(_year(args.get("year")))
    meetings = forward_plan.meetings_of(items)
    for i in items:
        m = meetings.get(i.meeting_id)
        i.meeting_date = m.meeting_date if m else None
    return items


@blp.route("/forward-plan", methods=["POST"])
@access.roles(*OFFICE)
@blp.arguments(YearArgs)
@blp.response(201, ForwardItemSchema(many=True))
def build_forward_plan(body):
    """Build the year's plan from the yearly cycle and place it on the Board's agendas."""
    return forward_plan.build_year(_year(body.get("year")), user=current_user)


@blp.route("/forward-plan/items", methods=["POST"])
@access.roles(*OFFICE)
@blp.arguments(ForwardItemSchema)
@blp.response(201, ForwardItemSchema)
def add_forward_item(body):
    year = _year(body.pop("year", None))
    return forward_plan.add_item(year, user=current_user, **body)


@blp.route("/forward-plan/items/<int:item_id>", methods=["PATCH"])
@access.roles(*OFFICE)
@blp.arguments(ForwardItemUpdateSchema)
@blp.response(200, ForwardItemSchema)
def update_forward_item(body, item_id: int):
    """Change an item; another month moves it to that meeting's agenda."""
    item = forward_plan.get_item(item_id)
    values = {"title": item.title, "month": item.month, "notes": item.notes, **body}
    return forward_plan.update_item(item, user=current_user, **values)


@blp.route("/forward-plan/items/<int:item_id>/remove", methods=["POST"])
@access.roles(*OFFICE)
@blp.arguments(ForwardItemVersionSchema)
@blp.response(200, ForwardItemSchema)
def remove_forward_item(body, item_id: int):
    return forward_plan.remove_item(forward_plan.get_item(item_id), user=current_user, **body)
