"""JSON API for annual reports: the list, starting one, a report, its sections (edit a
summary or narrative, assign a writer, the chair's comments), the PDF and DOCX, and the
uniform workflow endpoints."""

from __future__ import annotations

from typing import Any

from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, validate

from safeguarding import access, documents
from safeguarding.api import fields
from safeguarding.api.schemas import PageArgs, page, page_of, workflow_fields
from safeguarding.api.workflow import add_workflow_endpoints
from safeguarding.calendar import financial_year_label, parse_financial_year
from safeguarding.models import SendAs
from safeguarding.services import annual as svc
from safeguarding.services.errors import NotFound, ValidationFailed
from safeguarding.workflows.annual import annual_report_lifecycle

blp = Blueprint("annual_api", __name__, url_prefix="/api/v1", description="The partnership's annual report")

READERS = svc.READERS


class AnnualReportSectionSchema(Schema):
    id = fields.Integer()
    key = fields.String(
        metadata={
            "description": "foreword, priorities, meetings, members, sars, csprs, budget, "
            "disputes, next_year, and any section other features register"
        }
    )
    heading = fields.String()
    kind = fields.Function(lambda s: s.kind.value, metadata={"description": "data (generated) or narrative"})
    order = fields.Integer()
    state = fields.Function(lambda s: s.state.value)
    summary = fields.String(metadata={"description": "What the report says: the edited text or the generated summary"})
    generated_summary = fields.String(allow_none=True)
    text = fields.String(
        allow_none=True, metadata={"description": "The narrative, or the office's edit of the summary"}
    )
    writer_person_id = fields.Integer(allow_none=True)
    due_on = fields.Date(allow_none=True)
    chair_comment = fields.String(allow_none=True)
    figures = fields.Dict(
        metadata={
            "description": "{'variants': [{'label', 'arm', 'area', 'figures': [{'key', "
            "'label', 'value', 'format'}], 'tables', 'charts', 'summary'}]}: "
            "the whole partnership first, then each arm and council area"
        }
    )


def _decision(r) -> dict[str, Any] | None:
    d = svc.decision_of(r)
    if d is None:
        return None
    return {
        "id": d.id,
        "state": d.state.value,
        "state_label": d.state.label,
        "put_on": d.put_on.isoformat(),
        "due_on": d.due_on.isoformat(),
        "decided_on": d.decided_on.isoformat() if d.decided_on else None,
        "link": f"/api/v1/joint-decisions/{d.id}",
    }


def _sending(r) -> dict[str, Any] | None:
    s = svc.national_sending(r)
    if s is None:
        return None
    return {
        "deadline": s.deadline.isoformat() if s.deadline else None,
        "sent_on": s.sent_on.isoformat() if s.sent_on else None,
        "status": s.status,
        "text": s.text,
        "late": s.late,
        "overdue_days": s.overdue_days,
        "messages": [
            {
                "to": m.recipient,
                "address": m.address,
                "outbox_message_id": m.message_id,
                "status": m.status,
                "queued_at": m.queued_at.isoformat() if m.queued_at else None,
                "delivered_at": m.delivered_at.isoformat() if m.delivered_at else None,
            }
            for m in s.messages
        ],
    }


def _board(r) -> dict[str, Any] | None:
    a = svc.agreement(r)
    if a is None:
        return None
    return {
        "agreed": a.agreed,
        "decision_id": a.decision_id,
        "meeting_id": a.meeting_id,
        "agreed_on": a.agreed_on.isoformat() if a.agreed_on else None,
        "on_agenda_for": a.on_agenda_for.isoformat() if a.on_agenda_for else None,
        "awaiting_approval": a.before_approval,
        "text": a.text,
        "link": f"/api/v1/meetings/{a.meeting_id}" if a.meeting_id else None,
    }


class AnnualReportSchema(Schema):
    id = fields.Integer(dump_only=True)
    kind = fields.Function(
        lambda r: r.kind.value,
        metadata={
            "description": "adults (the Safeguarding Adults Board's annual report, approved by the chair) or "
            "children (the safeguarding partners' yearly report, signed off by the partners jointly)"
        },
    )
    financial_year = fields.Function(
        lambda r: financial_year_label(r.financial_year), metadata={"description": "Like 2025-26"}
    )
    title = fields.Function(svc.title)
    figures_taken_at = fields.DateTime(allow_none=True)
    approved_on = fields.Date(allow_none=True)
    published_on = fields.Date(allow_none=True)
    joint_decision = fields.Function(
        _decision,
        metadata={
            "description": "children: the latest joint decision putting the report to the safeguarding partners "
            "({id, state: open|disputed|carried|withdrawn, put_on, due_on, decided_on}); null for adults "
            "or before it is put"
        },
    )
    national_sending = fields.Function(
        _sending,
        metadata={
            "description": "children: sending to the national Panel and Foundations within 7 days of publication "
            "({deadline, sent_on, status: not_published|due|overdue|sent|sent_late, late, overdue_days, "
            "messages: [{to, address, outbox_message_id, status, queued_at, delivered_at}]}); null for adults"
        },
    )
    board_agreement = fields.Function(
        _board,
        metadata={
            "description": "adults: the Board's agreement ({agreed, decision_id, meeting_id, agreed_on} of the "
            "standing decision) or what is awaited (awaiting_approval: the chair has not approved it yet; "
            "on_agenda_for: the date of the Board meeting it is before); publication is refused (422) until "
            "agreed; null for children"
        },
    )
    links = fields.Function(
        lambda r: {
            "recipients": f"/api/v1/annual-reports/{r.id}/recipients",
            "pdf": f"/api/v1/annual-reports/{r.id}.pdf",
            "docx": f"/api/v1/annual-reports/{r.id}.docx",
            "sections": f"/api/v1/annual-reports/{r.id}/sections",
        }
    )


AnnualReportResource = Schema.from_dict(
    {**AnnualReportSchema._declared_fields, **workflow_fields(annual_report_lifecycle)}, name="AnnualReportResource"
)


class AnnualReportStartSchema(Schema):
    financial_year = fields.String(required=True, metadata={"description": "Like 2025-26"})
    kind = fields.String(
        load_default="adults",
        validate=validate.OneOf(["adults", "children"]),
        metadata={"description": "adults (the default) or children (the yearly report)"},
    )


class VersionSchema(Schema):
    version = fields.Integer(required=True, strict=True, metadata={"description": "The report's version"})


class SectionUpdateSchema(Schema):
    version = fields.Integer(required=True, strict=True, metadata={"description": "The report's version"})
    text = fields.String(allow_none=True, validate=validate.Length(max=20000))


class SectionWriterSchema(Schema):
    version = fields.Integer(required=True, strict=True)
    person_id = fields.Integer(required=True, strict=True)
    due_on = fields.Date(required=True)


class ChairCommentsSchema(Schema):
    comments = fields.Dict(
        keys=fields.String(),
        values=fields.String(allow_none=True),
        required=True,
        metadata={"description": "section id → the chair's comment (empty clears it)"},
    )


def _year(label: str) -> int:
    try:
        return parse_financial_year(label)
    except ValueError:
        raise ValidationFailed(errors={"financial_year": "Give the financial year like 2025-26"}) from None


@blp.route("/annual-reports", methods=["GET"])
@access.roles(*READERS)
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_of(AnnualReportResource))
def list_reports(args):
    """The annual reports you may see (drafts: the office, the chair and sections' writers)."""
    rows = [r for r in svc.list_reports() if svc.may_see_draft(r, current_user)]
    start = (args["page"] - 1) * args["per_page"]
    return page(rows[start : start + args["per_page"]], len(rows), args)


@blp.route("/annual-reports", methods=["POST"])
@access.roles(*svc.OFFICE)
@blp.arguments(AnnualReportStartSchema)
@blp.response(201, AnnualReportResource)
def start_report(body):
    """Start the report for a financial year (business office): its sections, with the
    figures taken from the records now."""
    return svc.start_report(_year(body["financial_year"]), current_user, body.get("kind") or "adults")


@blp.route("/annual-reports/<int:report_id>", methods=["GET"])
@access.roles(*READERS)
@blp.response(200, AnnualReportResource)
def get_report(report_id: int):
    return svc.get_report(report_id, current_user)


@blp.route("/annual-reports/<int:report_id>/sections", methods=["GET"])
@access.roles(*READERS)
@blp.response(200, AnnualReportSectionSchema(many=True))
def sections(report_id: int):
    """Every section in order, with its stored figures."""
    return svc.get_report(report_id, current_user).sections


def _section(report, section_id: int):
    return svc.get_section(report, section_id)


@blp.route("/annual-reports/<int:report_id>/sections/<int:section_id>", methods=["PATCH"])
@access.roles(*svc.WRITERS)
@blp.arguments(SectionUpdateSchema)
@blp.response(200, AnnualReportSectionSchema)
def update_section(body, report_id: int, section_id: int):
    """Write a narrative section, or edit a data section's summary (empty text restores
    the generated one): the office, or the section's writer, while drafting."""
    r = svc.get_report(report_id, current_user)
    section = _section(r, section_id)
    # Left out, the text stays as it is (a PATCH keeps what it does not mention).
    return svc.edit_section(r, section, current_user, version=body["version"], text=body.get("text", section.text))


@blp.route("/annual-reports/<int:report_id>/sections/<int:section_id>/writer", methods=["PUT"])
@access.roles(*svc.OFFICE)
@blp.arguments(SectionWriterSchema)
@blp.response(200, AnnualReportSectionSchema)
def assign_writer(body, report_id: int, section_id: int):
    r = svc.get_report(report_id, current_user)
    return svc.assign_writer(
        r,
        _section(r, section_id),
        current_user,
        version=body["version"],
        person_id=body["person_id"],
        due_on=body["due_on"],
    )


@blp.route("/annual-reports/<int:report_id>/comments", methods=["PUT"])
@access.roles(*svc.CHAIR)
@blp.arguments(ChairCommentsSchema)
@blp.response(200, AnnualReportSectionSchema(many=True))
def comment(body, report_id: int):
    """The chair's comments on sections of a submitted report; then fire
    `request_changes` to return it."""
    r = svc.get_report(report_id, current_user)
    try:
        comments = {int(k): v for k, v in body["comments"].items()}
    except ValueError:
        raise ValidationFailed(errors={"comments": "Key each comment by the section's id"}) from None
    svc.comment_on_sections(r, current_user, comments)
    return r.sections


@blp.route("/annual-reports/<int:report_id>.<fmt>", methods=["GET"])
@access.roles(*READERS)
def download(report_id: int, fmt: str) -> Any:
    """The report as a PDF or a Word document (`.pdf`, `.docx`)."""
    r = svc.get_report(report_id, current_user)
    if fmt not in ("pdf", "docx"):
        raise NotFound("Give .pdf or .docx")
    doc = svc.document(r)
    data = documents.render_pdf(doc) if fmt == "pdf" else documents.render_docx(doc)
    return documents.send_file(data, svc.file_name(r, fmt))


@blp.route("/annual-reports/<int:report_id>/national-sending", methods=["POST"])
@access.roles(*svc.OFFICE)
@blp.arguments(VersionSchema)
@blp.response(200, AnnualReportResource)
def send_nationally(body, report_id: int):
    """Send the published children's yearly report to the national Child Safeguarding
    Practice Review Panel and to Foundations (business office): one email each through the
    outbox with the PDF; due within 7 days of publication, later is recorded as late."""
    r = svc.get_report(report_id, current_user)
    return svc.send_nationally(r, current_user, version=body["version"])


class RecipientSchema(Schema):
    id = fields.Function(lambda d: d.recipient.id)
    role = fields.Function(lambda d: d.recipient.role)
    role_key = fields.Function(lambda d: d.recipient.role_key)
    statutory = fields.Function(lambda d: d.recipient.statutory)
    organisation_id = fields.Function(lambda d: d.recipient.organisation_id)
    address = fields.Function(
        lambda d: d.recipient.email if current_user.has_role(*svc.OFFICE) else None,
        metadata={"description": "The address it was sent to (the business office only; else null)"},
    )
    send_as = fields.Function(
        lambda d: d.recipient.send_as.value if d.recipient.send_as else None,
        metadata={"description": "attachment (the PDF attached) or link (a link to the published PDF)"},
    )
    sent_on = fields.Function(lambda d: d.recipient.sent_on.isoformat())
    status = fields.Function(
        lambda d: d.status,
        metadata={"description": "queued, sent, failed, held, discarded, or no_address (nothing was sent)"},
    )
    outbox_message_id = fields.Function(lambda d: d.message.id if d.message else None)
    attempts = fields.Function(lambda d: d.message.attempts if d.message else 0)
    delivered_at = fields.Function(lambda d: d.delivered_at.isoformat() if d.delivered_at else None)


@blp.route("/annual-reports/<int:report_id>/recipients", methods=["GET"])
@access.roles(*READERS)
@blp.response(200, RecipientSchema(many=True))
def recipients(report_id: int):
    """The published report's recipients and each one's delivery, read from the outbox."""
    return svc.deliveries(svc.get_report(report_id, current_user))


@blp.route("/annual-reports/<int:report_id>/recipients/<int:recipient_id>/send", methods=["POST"])
@access.roles(*svc.OFFICE)
@blp.response(200, RecipientSchema)
def send_to_recipient(report_id: int, recipient_id: int):
    """Send the report again to one recipient (business office): a failed or held email
    goes back in the outbox's queue; a recipient that had no address is sent to at the
    distribution list's address now (422 while it has none; 409 when queued or sent)."""
    r = svc.get_report(report_id, current_user)
    recipient = svc.get_recipient(r, recipient_id)
    svc.send_to_recipient(r, recipient, current_user)
    return next(d for d in svc.deliveries(r) if d.recipient.id == recipient.id)


@blp.route("/annual-reports/<int:report_id>/board-agenda", methods=["POST"])
@access.roles(*svc.OFFICE)
@blp.response(200, AnnualReportResource)
def board_agenda(report_id: int):
    """Put the approved adults' report on the next Board meeting's agenda for its
    agreement (business office; the chair's approval does it too). 409 in another state."""
    r = svc.get_report(report_id, current_user)
    svc.put_on_board_agenda(r, current_user)
    return r


add_workflow_endpoints(
    blp,
    "/annual-reports",
    annual_report_lifecycle,
    AnnualReportResource,
    readers=access.roles(*READERS),
    history_readers=access.roles(*svc.WRITERS),
)


# --- the distribution list ------------------------------------------------------------------


class DistributionEntrySchema(Schema):
    organisation_id = fields.Function(lambda e: e.organisation.id)
    organisation = fields.Function(lambda e: e.organisation.name)
    role_key = fields.String(metadata={"description": "The recipient's role in the organisation (e.g. leader)"})
    role = fields.String(metadata={"description": "The recipient, in words"})
    statutory = fields.Boolean(metadata={"description": "A recipient the Care Act names (else another partner)"})
    email = fields.String(allow_none=True, metadata={"description": "Where the report goes (None: nowhere yet)"})
    from_chief_executive = fields.Boolean(
        metadata={"description": "The address is the chief executive's from the organisation's record"}
    )
    send_as = fields.Function(lambda e: e.send_as.value, metadata={"description": "attachment or link"})
    version = fields.Function(
        lambda e: e.contact.version if e.contact is not None else None,
        metadata={"description": "The entry's version for a PUT (null while it has no address of its own)"},
    )


class DistributionContactSchema(Schema):
    email = fields.String(
        allow_none=True, load_default=None, metadata={"description": "Empty or null: none of its own"}
    )
    send_as = fields.String(required=True, validate=validate.OneOf([s.value for s in SendAs]))
    version = fields.Integer(allow_none=True, load_default=None, metadata={"description": "null for a new entry"})


@blp.route("/annual-reports/distribution-list", methods=["GET"])
@access.roles(*svc.OFFICE)
@blp.response(200, DistributionEntrySchema(many=True))
def distribution_list():
    """Who the published annual report goes to (business office): the statutory
    recipients, then every other active partner, with each one's address and how it gets
    the report."""
    return svc.distribution_list()


@blp.route("/annual-reports/distribution-list/<int:organisation_id>/<role_key>", methods=["PUT"])
@access.roles(*svc.OFFICE)
@blp.arguments(DistributionContactSchema)
@blp.response(200, DistributionEntrySchema)
def set_distribution_contact(body, organisation_id: int, role_key: str):
    """Record a recipient's address and how it gets the report (business office); 404 for
    a recipient not on the list, 409 for a stale version."""
    if role_key not in svc.ROLES:
        raise NotFound("That recipient is not on the distribution list")
    entry = svc.entry_for(organisation_id, role_key)
    svc.set_contact(entry, current_user, email=body["email"], send_as=body["send_as"], version=body["version"])
    return svc.entry_for(organisation_id, role_key)
