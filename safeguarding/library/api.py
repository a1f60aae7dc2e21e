"""JSON API for the learning library.

    /api/v1/findings?q=&theme=&domain=&arm=&area=&from=&to=   the library: all findings of all
                                                               years, searched and filtered,
                                                               with counts per theme and the
                                                               recurrence of each theme
    /api/v1/findings (POST)                                    record a finding (the office)
    /api/v1/findings/<id>                                      one finding (+ PATCH, the office)
    /api/v1/recommendations/<id>/findings (PUT)                the findings a recommendation
                                                               answers (the office)
    /api/v1/reaudits?state=                                    re-audits (the office, the chair)
    /api/v1/reaudits/<id>/result (POST)                        record a re-audit (the office)
    /api/v1/reports/learning?year=2026-27[&format=csv]         the year's learning figures
    /api/v1/learning-reviews, /api/v1/audits                   the other sources (sources_api.py)

Need-to-know: `statement` is null unless you may see the finding's source; everyone with
the library reads `public_statement` and the tags.
"""

from __future__ import annotations

from flask import Response, request
from flask_login import current_user
from marshmallow import Schema, ValidationError, validate, validates_schema

from safeguarding import access
from safeguarding.api import fields
from safeguarding.api.schemas import PageArgs, PatchSchema
from safeguarding.calendar import parse_financial_year
from safeguarding.errors import ProblemSchema
from safeguarding.extensions import db
from safeguarding.models import (
    Area,
    Arm,
    ImpactRating,
    LearningReview,
    MultiAgencyAudit,
    Review,
    ReviewRecommendation,
    Role,
    SourceKind,
)
from safeguarding.models.learning import PRACTICE_DOMAINS, TAG_LABELS, THEMES
from safeguarding.services import learning
from safeguarding.services.errors import NotFound, ValidationFailed
from safeguarding.services.learning import reaudits as reaudit_svc

from . import sources_api  # noqa: F401  (learning reviews and audits join the blueprint)
from .api_blueprint import blp
from .rules import LIBRARY_READERS, OFFICE


class TagSchema(Schema):
    code = fields.String()
    taxonomy = fields.Function(lambda t: t.taxonomy.value)
    label = fields.String()


class AgencySchema(Schema):
    id = fields.Function(lambda a: a.organisation_id)
    name = fields.Function(lambda a: a.organisation.name)


class FindingSchema(Schema):
    id = fields.Integer()
    version = fields.Integer()
    source_kind = fields.String()
    source_reference = fields.String()
    review_id = fields.Integer(allow_none=True)
    learning_review_id = fields.Integer(allow_none=True)
    audit_id = fields.Integer(allow_none=True)
    arm = fields.String()
    area = fields.String()
    found_on = fields.Date()
    statement = fields.String(
        allow_none=True, metadata={"description": "The finding; null unless you may see its source"}
    )
    public_statement = fields.String(metadata={"description": "The anonymised statement everyone may read"})
    keywords = fields.List(fields.String())
    tags = fields.List(fields.Nested(TagSchema))
    agencies = fields.List(fields.Nested(AgencySchema))


class RecurrenceSchema(Schema):
    code = fields.String()
    label = fields.String()
    sources = fields.Integer(metadata={"description": "Reviews, learning reviews and audits with the theme"})
    findings = fields.Integer()


class LibraryArgs(PageArgs):
    q = fields.String(load_default="", validate=validate.Length(max=200), metadata={"description": "Words to find"})
    theme = fields.String(
        load_default=None, validate=validate.OneOf(list(THEMES)), metadata={"description": "A theme's code"}
    )
    domain = fields.String(load_default=None, validate=validate.OneOf(list(PRACTICE_DOMAINS)))
    arm = fields.String(load_default=None, validate=validate.OneOf([a.value for a in Arm]))
    area = fields.String(load_default=None, validate=validate.OneOf([a.value for a in Area]))
    source = fields.String(load_default=None, validate=validate.OneOf([s.value for s in SourceKind]))
    from_ = fields.Date(load_default=None, data_key="from", metadata={"description": "Found on or after"})
    to = fields.Date(load_default=None, metadata={"description": "Found on or before"})
    since = fields.Integer(
        load_default=None,
        validate=validate.Range(min=1900, max=2100),
        metadata={"description": "Recurrence counts sources since 1 January of this year (default: 5 years back)"},
    )

    @validates_schema
    def _period(self, data, **kwargs):
        if data.get("from_") and data.get("to") and data["from_"] > data["to"]:
            raise ValidationError({"to": ["The end date must be the same as or after the start date"]})


class LibrarySchema(Schema):
    items = fields.List(fields.Nested(FindingSchema))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()
    themes = fields.Dict(
        keys=fields.String(), values=fields.Integer(), metadata={"description": "Findings per tag, as filtered"}
    )
    arms = fields.Dict(keys=fields.String(), values=fields.Integer())
    since = fields.Integer()
    recurrence = fields.List(fields.Nested(RecurrenceSchema))


class FindingInSchema(Schema):
    review_id = fields.Integer(load_default=None)
    learning_review_id = fields.Integer(load_default=None)
    audit_id = fields.Integer(load_default=None)
    source_kind = fields.String(
        load_default=None, metadata={"description": "For a CSPR: rapid_review or lcspr (default from its decision)"}
    )
    statement = fields.String(required=True)
    public_statement = fields.String(required=True)
    found_on = fields.Date(required=True)
    tags = fields.List(fields.String(validate=validate.OneOf(list(TAG_LABELS))), load_default=list)
    keywords = fields.List(fields.String(), load_default=list)
    agency_ids = fields.List(fields.Integer(), load_default=list)


class FindingPatchSchema(PatchSchema):
    version = fields.Integer(required=True)
    source_kind = fields.String()
    statement = fields.String()
    public_statement = fields.String()
    found_on = fields.Date()
    tags = fields.List(fields.String(validate=validate.OneOf(list(TAG_LABELS))))
    keywords = fields.List(fields.String())
    agency_ids = fields.List(fields.Integer())


def finding_dict(finding, full: bool, tags: list, agencies: list) -> dict:
    return {
        "id": finding.id,
        "version": finding.version,
        "source_kind": finding.source_kind.value,
        "source_reference": finding.source_reference,
        "review_id": finding.review_id,
        "learning_review_id": finding.learning_review_id,
        "audit_id": finding.audit_id,
        "arm": finding.arm.value,
        "area": finding.area.value,
        "found_on": finding.found_on,
        "statement": finding.statement if full else None,
        "public_statement": finding.public_statement,
        "keywords": finding.keywords,
        "tags": tags,
        "agencies": agencies,
    }


def _one(finding) -> dict:
    tags, agencies = learning.tags_and_agencies([finding.id])
    full = learning.may_read_statement(finding, current_user)
    return finding_dict(finding, full, tags[finding.id], agencies[finding.id])


@blp.route("/findings", methods=["GET"])
@access.roles(*LIBRARY_READERS)
@blp.arguments(LibraryArgs, location="query")
@blp.response(200, LibrarySchema)
def list_findings(args):
    """Every finding of every year, newest first: full-text search (`q`), filters, counts
    per theme and the recurrence of each theme since a year."""
    f = learning.LibraryFilters(
        q=args["q"],
        theme=args["theme"],
        domain=args["domain"],
        arm=args["arm"],
        area=args["area"],
        source=args["source"],
        from_=args["from_"],
        to=args["to"],
        since=args["since"],
        page=args["page"],
        per_page=args["per_page"],
    )
    lib = learning.search(f, current_user, chart=False)
    return {
        "items": [finding_dict(r.finding, r.full, r.tags, r.agencies) for r in lib.rows],
        "total": lib.total,
        "page": f.page,
        "per_page": f.per_page,
        "themes": lib.themes,
        "arms": lib.arms,
        "since": lib.since,
        "recurrence": lib.recurrence,
    }


def _source(body) -> learning.Source:
    given = [(k, body.get(k)) for k in ("review_id", "learning_review_id", "audit_id") if body.get(k) is not None]
    if len(given) != 1:
        raise ValidationFailed(errors={"review_id": "Give one source: review_id, learning_review_id or audit_id"})
    key, source_id = given[0]
    model = {"review_id": Review, "learning_review_id": LearningReview, "audit_id": MultiAgencyAudit}[key]
    row = db.session.get(model, source_id)
    if row is None:
        raise ValidationFailed(errors={key: "No such source"})
    return learning.Source(row)


@blp.route("/findings", methods=["POST"])
@access.roles(*OFFICE)
@blp.arguments(FindingInSchema)
@blp.response(201, FindingSchema)
@blp.alt_response(422, schema=ProblemSchema)
def create_finding(body):
    """Record a finding of a review, a learning review or an audit (the business office)."""
    finding = learning.record_finding(
        _source(body),
        current_user,
        statement=body["statement"],
        public_statement=body["public_statement"],
        found_on=body["found_on"],
        tags=body["tags"],
        keywords=body["keywords"],
        agency_ids=body["agency_ids"],
        source_kind=body["source_kind"],
    )
    return _one(finding)


@blp.route("/findings/<int:finding_id>", methods=["GET"])
@access.roles(*LIBRARY_READERS)
@blp.response(200, FindingSchema)
def get_finding(finding_id: int):
    """One finding (its statement only if you may see its source)."""
    return _one(learning.get_finding(finding_id, current_user))


@blp.route("/findings/<int:finding_id>", methods=["PATCH"])
@access.roles(*OFFICE)
@blp.arguments(FindingPatchSchema)
@blp.response(200, FindingSchema)
@blp.alt_response(409, schema=ProblemSchema)
@blp.alt_response(422, schema=ProblemSchema)
def patch_finding(body, finding_id: int):
    """Edit a finding (the business office); `version` is the one you read."""
    finding = learning.get_finding(finding_id, current_user)
    tags, agencies = learning.tags_and_agencies([finding.id])
    learning.update_finding(
        finding,
        current_user,
        version=body["version"],
        statement=body.get("statement", finding.statement),
        public_statement=body.get("public_statement", finding.public_statement),
        found_on=body.get("found_on", finding.found_on),
        tags=body.get("tags", [t.code for t in tags[finding.id]]),
        keywords=body.get("keywords", finding.keywords),
        agency_ids=body.get("agency_ids", [a.organisation_id for a in agencies[finding.id]]),
        source_kind=body.get("source_kind"),
    )
    return _one(finding)


# --- from recommendation to impact ------------------------------------------------------------------

OFFICE_OR_CHAIR = (Role.business_office, Role.independent_chair)


class AnsweredSchema(Schema):
    finding_ids = fields.List(fields.Integer(), required=True)


@blp.route("/recommendations/<int:recommendation_id>/findings", methods=["PUT"])
@access.roles(*OFFICE)
@blp.arguments(AnsweredSchema)
@blp.response(200, AnsweredSchema)
@blp.alt_response(422, schema=ProblemSchema)
def put_answered_findings(body, recommendation_id: int):
    """The findings (of its own review) a recommendation answers; replaces the set."""
    rec = db.session.get(ReviewRecommendation, recommendation_id)
    if rec is None:
        raise NotFound("Recommendation not found")
    return {"finding_ids": learning.link_findings(rec, body["finding_ids"], current_user)}


class ReauditSchema(Schema):
    id = fields.Integer()
    version = fields.Integer()
    recommendation_id = fields.Integer()
    state = fields.Function(lambda a: a.state.value)
    scheduled_on = fields.Date()
    due_on = fields.Date()
    reminded_on = fields.Date(allow_none=True)
    completed_on = fields.Date(allow_none=True)
    checked = fields.String(allow_none=True)
    rating = fields.Function(lambda a: a.rating.value if a.rating else None, allow_none=True)
    evidence = fields.String(allow_none=True)


class ReauditArgs(Schema):
    state = fields.String(load_default=None, validate=validate.OneOf(["scheduled", "completed"]))


class ReauditResultSchema(Schema):
    version = fields.Integer(required=True)
    completed_on = fields.Date(required=True)
    checked = fields.String(required=True)
    rating = fields.String(required=True, validate=validate.OneOf([r.value for r in ImpactRating]))
    evidence = fields.String(required=True)


@blp.route("/reaudits", methods=["GET"])
@access.roles(*OFFICE_OR_CHAIR)
@blp.arguments(ReauditArgs, location="query")
@blp.response(200, ReauditSchema(many=True))
def list_reaudits(args):
    """Re-audits of recommendations, soonest due first (at most 200)."""
    return [a for a, _, _ in reaudit_svc.list_reaudits(args["state"])]


@blp.route("/reaudits/<int:reaudit_id>/result", methods=["POST"])
@access.roles(*OFFICE)
@blp.arguments(ReauditResultSchema)
@blp.response(200, ReauditSchema)
@blp.alt_response(409, schema=ProblemSchema)
@blp.alt_response(422, schema=ProblemSchema)
def record_reaudit(body, reaudit_id: int):
    """Record what the re-audit checked and its impact rating with the evidence."""
    row = reaudit_svc.get_reaudit(reaudit_id)
    return reaudit_svc.record_reaudit(row, current_user, **body)


class LearningReportArgs(Schema):
    year = fields.String(required=True, metadata={"description": "Financial year, like 2026-27"})
    format = fields.String(load_default=None, validate=validate.OneOf(["json", "csv"]))

    @validates_schema
    def _year(self, data, **kwargs):
        try:
            parse_financial_year(data.get("year", ""))
        except ValueError as exc:
            raise ValidationError(str(exc), field_name="year") from None


class LearningReportSchema(Schema):
    year = fields.String(attribute="label")
    findings = fields.Integer()
    by_theme = fields.Dict(keys=fields.String(), values=fields.Integer())
    since = fields.Integer()
    recurrence = fields.List(fields.Nested(RecurrenceSchema))
    stages = fields.Dict(
        keys=fields.String(), values=fields.Integer(), metadata={"description": "open, complete, re_audited, embedded"}
    )
    ratings = fields.Dict(keys=fields.String(), values=fields.Integer(), metadata={"description": "none, some, clear"})


@blp.route("/reports/learning", methods=["GET"])
@access.roles(*LIBRARY_READERS)
@blp.arguments(LearningReportArgs, location="query")
@blp.response(200, LearningReportSchema)
def learning_report(args):
    """The year's learning: findings by theme, recurrence, recommendations by stage and the
    re-audits' impact ratings (counts only). JSON, or CSV with `format=csv` or `Accept: text/csv`."""
    report = learning.learning_report(parse_financial_year(args["year"]))
    wants_csv = args["format"] == "csv" or (
        args["format"] is None
        and request.accept_mimetypes.best_match(["application/json", "text/csv"], default="application/json")
        == "text/csv"
    )
    if wants_csv:
        return Response(
            learning.report_csv(report),
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="learning-{report.label}.csv"'},
        )
    return report
