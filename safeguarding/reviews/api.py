"""JSON API for case reviews.

    /api/v1/reviews                                  list (kind, state, area, status, q); create a
                                                     SAR referral or a CSPR notification
    /api/v1/reviews/<id>                             the review (+ PATCH case details)
    /api/v1/reviews/<id>/transitions, /history       the uniform workflow endpoints
    /api/v1/reviews/<id>/screening                   PUT the s44 screening (SAR)
    /api/v1/reviews/<id>/rapid-review                PUT the rapid review (CSPR)
    /api/v1/reviews/<id>/commissioning               PUT the commissioning
    /api/v1/reviews/<id>/information-requests        list (an agency sees its own); send one
    /api/v1/reviews/<id>/recommendations             list with their actions; add one
    /api/v1/reviews/<id>/recommendations/<rid>/actions   add an action
    /api/v1/information-requests                     the requests you may see (partners: yours)
    /api/v1/information-requests/<id>                one request (+ transitions: respond,
                                                     withdraw, ask_again; history)
    /api/v1/reports/review-timeliness?year=2020-21   the year's figures (services.reviews.timeliness)

Reviews you may not know exist are 404s, like the pages; every read of a review is
recorded in the audit log.
"""

from __future__ import annotations

from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError, validate, validates_schema

from safeguarding import access
from safeguarding.actions.api import ActionResource
from safeguarding.api import fields
from safeguarding.api.schemas import PageArgs, page, page_of, workflow_fields
from safeguarding.api.workflow import add_workflow_endpoints
from safeguarding.calendar import parse_financial_year, today
from safeguarding.errors import ProblemSchema
from safeguarding.models import (
    AgeBand,
    Area,
    Methodology,
    ParallelProcess,
    RequestStatus,
    ReviewKind,
    ReviewState,
    Role,
)
from safeguarding.services import reviews as svc
from safeguarding.services.errors import ValidationFailed
from safeguarding.services.reviews.screening import QUESTIONS
from safeguarding.workflows.reviews import request_lifecycle, review_lifecycle

blp = Blueprint(
    "reviews_api",
    __name__,
    url_prefix="/api/v1",
    description="Case reviews: Safeguarding Adults Reviews and Child Safeguarding Practice Reviews",
)

# As the pages (reviews/routes/): viewers and administrators never see case content;
# anyone with an account may refer (POST /reviews).
READERS = (Role.business_office, Role.independent_chair, Role.partner_member, Role.subgroup_chair)
OFFICE = (Role.business_office,)
WORKERS = (Role.business_office, Role.partner_member, Role.subgroup_chair)


def _enum(enum_cls, **kw):
    return fields.Enum(enum_cls, by_value=True, **kw)


class DeadlineSchema(Schema):
    kind = fields.Function(lambda d: d.kind.value)
    label = fields.String()
    due_on = fields.Date()
    met_on = fields.Date(allow_none=True)
    status = fields.String(metadata={"description": "on_track, due_soon, breached, met, met_late or paused"})
    remaining = fields.Integer(
        metadata={"description": "Days left (working days when `working`); negative when overdue"}
    )
    working = fields.Boolean(metadata={"description": "Counted in working days"})


class ReviewSchema(Schema):
    id = fields.Integer(dump_only=True)
    kind = _enum(ReviewKind, dump_only=True)
    reference = fields.String(dump_only=True)
    arm = fields.Function(lambda r: r.arm.value)
    area = _enum(Area)
    group_id = fields.Integer()
    initials = fields.String()
    age_band = _enum(AgeBand)
    harm_date = fields.Date(allow_none=True, metadata={"description": "Date of death or serious harm"})
    summary = fields.String()
    received_on = fields.Date(
        metadata={"description": "SAR: referral received; CSPR: the local authority became aware"}
    )
    referral_source = fields.String()
    referrer_organisation_id = fields.Integer(allow_none=True)
    received_by_email = fields.Boolean()
    period_from = fields.Date(allow_none=True)
    period_to = fields.Date(allow_none=True)
    family_invited = fields.Boolean(allow_none=True)
    family_notes = fields.String(allow_none=True)
    parallel_processes = fields.List(fields.String())
    parallel_notes = fields.String(allow_none=True)
    delay_explanation = fields.String(allow_none=True)
    screening = fields.Function(
        lambda r: (
            None
            if r.screening_outcome is None
            else {
                "outcome": r.screening_outcome.value,
                "screened_on": r.screened_on.isoformat() if r.screened_on else None,
                "in_area": r.s44_in_area,
                "in_area_reason": r.s44_in_area_reason,
                "needs": r.s44_needs,
                "needs_reason": r.s44_needs_reason,
                "died": r.s44_died,
                "abuse": r.s44_abuse,
                "abuse_reason": r.s44_abuse_reason,
                "concern": r.s44_concern,
                "concern_reason": r.s44_concern_reason,
            }
        )
    )
    notified_on = fields.Date(allow_none=True)
    children_count = fields.Integer(allow_none=True)
    looked_after = fields.Boolean(allow_none=True)
    lcspr_criteria = fields.List(fields.String())
    rapid_review_reasons = fields.String(allow_none=True)
    rapid_review_sent_on = fields.Date(allow_none=True)
    panel_response = fields.String(allow_none=True)
    panel_response_on = fields.Date(allow_none=True)
    recommendation = fields.Function(lambda r: r.recommendation.value if r.recommendation else None)
    recommendation_reason = fields.String(allow_none=True)
    recommended_on = fields.Date(allow_none=True)
    decision = fields.Function(lambda r: r.decision.value if r.decision else None)
    decision_reason = fields.String(allow_none=True)
    alternative_learning = fields.String(allow_none=True)
    decided_on = fields.Date(allow_none=True)
    terms_of_reference = fields.String(allow_none=True)
    methodology = fields.Function(lambda r: r.methodology.value if r.methodology else None)
    reviewer = fields.String(allow_none=True)
    contract_value_pence = fields.Integer(allow_none=True)
    report_due_on = fields.Date(allow_none=True, metadata={"description": "Before any pause is added"})
    review_started_on = fields.Date(allow_none=True)
    draft_received_on = fields.Date(allow_none=True)
    has_draft_report = fields.Function(lambda r: r.draft_report_file_id is not None)
    has_final_report = fields.Function(lambda r: r.final_report_file_id is not None)
    quality_checked_on = fields.Date(allow_none=True)
    quality_check_passed = fields.Boolean(allow_none=True)
    quality_check_notes = fields.String(allow_none=True)
    signed_off_on = fields.Date(allow_none=True)
    published = fields.Boolean(allow_none=True)
    publication_decided_on = fields.Date(allow_none=True)
    published_on = fields.Date(allow_none=True)
    publication_url = fields.String(allow_none=True)
    not_published_reason = fields.String(allow_none=True)
    family_informed = fields.String(allow_none=True)
    monitoring_started_on = fields.Date(allow_none=True)
    closed_on = fields.Date(allow_none=True)


ReviewResource = Schema.from_dict(
    {**ReviewSchema._declared_fields, **workflow_fields(review_lifecycle)}, name="ReviewResource"
)
ReviewDetail = Schema.from_dict(
    {
        **ReviewSchema._declared_fields,
        **workflow_fields(review_lifecycle),
        "deadlines": fields.List(fields.Nested(DeadlineSchema)),
    },
    name="ReviewDetail",
)


class ReviewArgs(PageArgs):
    kind = fields.String(validate=validate.OneOf([k.value for k in ReviewKind]))
    state = fields.String(validate=validate.OneOf([s.value for s in ReviewState]))
    area = fields.String(validate=validate.OneOf([a.value for a in Area]))
    status = fields.String(load_default="all", validate=validate.OneOf(["open", "closed", "all"]))
    q = fields.String(metadata={"description": "Part of a case reference"})


class ReviewCreateSchema(Schema):
    kind = fields.String(
        required=True,
        validate=validate.OneOf([k.value for k in ReviewKind]),
        metadata={
            "description": "sar: a referral (anyone); cspr: a serious incident notification (the business office)"
        },
    )
    initials = fields.String(required=True)
    age_band = fields.String(required=True, validate=validate.OneOf([b.value for b in AgeBand]))
    area = fields.String(required=True, validate=validate.OneOf([a.value for a in Area]))
    harm_date = fields.Date(required=True, metadata={"description": "Date of death or serious harm"})
    summary = fields.String(required=True)
    referral_source = fields.String(allow_none=True)
    referrer_organisation_id = fields.Integer(allow_none=True)
    agency_ids = fields.List(fields.Integer(), load_default=list)
    received_on = fields.Date(allow_none=True, metadata={"description": "SAR referral received by email (office)"})
    received_by_email = fields.Boolean(load_default=False)
    la_aware_on = fields.Date(allow_none=True, metadata={"description": "CSPR: the local authority became aware"})
    notified_on = fields.Date(
        allow_none=True, metadata={"description": "CSPR: notification sent to the national panel"}
    )
    children_count = fields.Integer(load_default=1)
    looked_after = fields.Boolean(load_default=False)


class ReceiptSchema(Schema):
    id = fields.Integer()
    reference = fields.String()
    kind = fields.Function(lambda r: r.kind.value)
    state = fields.Function(lambda r: r.state.value)


class ReviewPatchSchema(Schema):
    version = fields.Integer(required=True, strict=True)
    initials = fields.String()
    age_band = fields.String(validate=validate.OneOf([b.value for b in AgeBand]))
    area = fields.String(validate=validate.OneOf([a.value for a in Area]))
    harm_date = fields.Date()
    summary = fields.String()
    referral_source = fields.String()
    referrer_organisation_id = fields.Integer(allow_none=True)
    group_id = fields.Integer()
    period_from = fields.Date(allow_none=True)
    period_to = fields.Date(allow_none=True)
    family_invited = fields.Boolean(allow_none=True)
    family_notes = fields.String(allow_none=True)
    parallel_processes = fields.List(fields.String(validate=validate.OneOf([p.value for p in ParallelProcess])))
    parallel_notes = fields.String(allow_none=True)
    delay_explanation = fields.String(allow_none=True)
    notified_on = fields.Date(allow_none=True)
    children_count = fields.Integer()
    looked_after = fields.Boolean()


class ScreeningSchema(Schema):
    """The s44 questions in the Act's words, each with a reason (but `died`)."""

    version = fields.Integer(required=True, strict=True)
    in_area = fields.Boolean(required=True, allow_none=True, metadata={"description": QUESTIONS["in_area"]})
    in_area_reason = fields.String(required=True, allow_none=True)
    needs = fields.Boolean(required=True, allow_none=True, metadata={"description": QUESTIONS["needs"]})
    needs_reason = fields.String(required=True, allow_none=True)
    died = fields.Boolean(required=True, allow_none=True, metadata={"description": QUESTIONS["died"]})
    abuse = fields.Boolean(required=True, allow_none=True, metadata={"description": QUESTIONS["abuse"]})
    abuse_reason = fields.String(required=True, allow_none=True)
    concern = fields.Boolean(required=True, allow_none=True, metadata={"description": QUESTIONS["concern"]})
    concern_reason = fields.String(required=True, allow_none=True)


class RapidReviewSchema(Schema):
    version = fields.Integer(required=True, strict=True)
    criteria = fields.List(fields.String(validate=validate.OneOf(list(svc.LCSPR_CRITERIA))), load_default=list)
    reasons = fields.String(required=True, allow_none=True)
    sent_on = fields.Date(allow_none=True, load_default=None)
    panel_response = fields.String(allow_none=True, load_default=None)
    panel_response_on = fields.Date(allow_none=True, load_default=None)


class CommissioningSchema(Schema):
    version = fields.Integer(required=True, strict=True)
    terms_of_reference = fields.String(required=True, allow_none=True)
    methodology = fields.String(required=True, allow_none=True, validate=validate.OneOf([m.value for m in Methodology]))
    reviewer = fields.String(required=True, allow_none=True)
    contract_value_pence = fields.Integer(required=True, allow_none=True, strict=True)
    period_from = fields.Date(allow_none=True)
    period_to = fields.Date(allow_none=True)


class RequestSchema(Schema):
    id = fields.Integer(dump_only=True)
    review_id = fields.Integer(dump_only=True)
    reference = fields.Function(lambda r: r.review.reference, dump_only=True)
    organisation_id = fields.Integer(required=True)
    request = fields.String(required=True)
    sent_on = fields.Date(allow_none=True)
    due_on = fields.Date(allow_none=True, metadata={"description": "Default: 20 working days after sending"})
    conditions = fields.List(
        fields.Integer(validate=validate.Range(min=1, max=4)),
        load_default=list,
        metadata={"description": "s45 conditions that apply (SAR): 1 and 2, and 3 or 4"},
    )
    response = fields.String(dump_only=True, allow_none=True)
    returned_on = fields.Date(dump_only=True, allow_none=True)
    has_chronology = fields.Function(lambda r: r.chronology_file_id is not None, dump_only=True)
    withdrawn_reason = fields.String(dump_only=True, allow_none=True)
    overdue = fields.Function(lambda r: r.is_overdue(today()), dump_only=True)
    last_chased_on = fields.Date(dump_only=True, allow_none=True)
    chase_count = fields.Integer(dump_only=True)


RequestResource = Schema.from_dict(
    {**RequestSchema._declared_fields, **workflow_fields(request_lifecycle)}, name="InformationRequestResource"
)


class RequestArgs(PageArgs):
    status = fields.String(validate=validate.OneOf([s.value for s in RequestStatus]))
    overdue = fields.Boolean(load_default=False)
    organisation_id = fields.Integer()


class ActionInSchema(Schema):
    title = fields.String(required=True)
    owner_organisation_id = fields.Integer(required=True)
    due_date = fields.Date(required=True)
    owner_person_id = fields.Integer(allow_none=True)
    description = fields.String(allow_none=True)


class RecommendationSchema(Schema):
    id = fields.Integer(dump_only=True)
    number = fields.Integer(dump_only=True)
    text = fields.String(required=True)
    actions = fields.List(fields.Nested(ActionResource), dump_only=True)


class RecommendationCreateSchema(Schema):
    text = fields.String(required=True)
    actions = fields.List(fields.Nested(ActionInSchema), load_default=list)


class TimelinessArgs(Schema):
    year = fields.String(required=True, metadata={"description": "Financial year, like 2020-21"})
    area = fields.String(validate=validate.OneOf([a.value for a in Area]))

    @validates_schema
    def _year(self, data, **kwargs):
        try:
            parse_financial_year(data.get("year", ""))
        except ValueError as exc:
            raise ValidationError(str(exc), field_name="year") from None


class TimelinessSchema(Schema):
    financial_year = fields.Integer()
    label = fields.String()
    area = fields.String(allow_none=True)
    from_ = fields.Date(data_key="from", attribute="from")
    to = fields.Date()
    referrals_received = fields.Dict(keys=fields.String(), values=fields.Integer())
    decisions = fields.Dict()
    sars_commissioned = fields.Dict(keys=fields.String(), values=fields.Integer())
    lcsprs_commissioned = fields.Integer()
    reviews_completed = fields.Dict(keys=fields.String(), values=fields.Integer())
    ongoing_at_year_end = fields.Dict(keys=fields.String(), values=fields.Integer())
    timeliness = fields.Dict(metadata={"description": "Per measure and kind: count, median_days, min_days, max_days"})
    actions = fields.Function(
        lambda t: {
            **t["actions"],
            "not_implemented_reasons": [
                {**a, "closed_on": a["closed_on"].isoformat()} for a in t["actions"]["not_implemented_reasons"]
            ],
        }
    )


# --- reviews ---------------------------------------------------------------------------------------


@blp.route("/reviews", methods=["GET"])
@access.roles(*READERS)
@blp.arguments(ReviewArgs, location="query")
@blp.response(200, page_of(ReviewResource))
def list_reviews(args):
    """The reviews you may see in full (the office and chair: all; sub-group members:
    their group's), filtered."""
    rows, total = svc.list_reviews(
        current_user,
        svc.ReviewFilters(
            kind=args.get("kind"),
            state=args.get("state"),
            area=args.get("area"),
            status=None if args["status"] == "all" else args["status"],
            q=args.get("q"),
            page=args["page"],
            per_page=args["per_page"],
        ),
    )
    return page(rows, total, args)


@blp.route("/reviews", methods=["POST"])
@access.signed_in
@blp.arguments(ReviewCreateSchema)
@blp.response(201, ReceiptSchema)
@blp.alt_response(422, schema=ProblemSchema)
def create_review(body):
    """Refer an adult for a SAR (anyone with an account) or record a serious incident
    notification (the business office). Answers with the case reference."""
    agency_ids = body.get("agency_ids") or []
    if body["kind"] == ReviewKind.sar.value:
        return svc.refer_sar(
            current_user,
            initials=body["initials"],
            age_band=body["age_band"],
            area=body["area"],
            harm_date=body["harm_date"],
            summary=body["summary"],
            referral_source=body.get("referral_source"),
            referrer_organisation_id=body.get("referrer_organisation_id"),
            agency_ids=agency_ids,
            received_on=body.get("received_on"),
            received_by_email=body["received_by_email"],
        )
    return svc.notify_serious_incident(
        current_user,
        initials=body["initials"],
        age_band=body["age_band"],
        area=body["area"],
        harm_date=body["harm_date"],
        summary=body["summary"],
        la_aware_on=body.get("la_aware_on"),
        notified_on=body.get("notified_on"),
        children_count=body["children_count"],
        looked_after=body["looked_after"],
        referral_source=body.get("referral_source"),
        agency_ids=agency_ids,
    )


def _detail(review):
    review.deadlines = svc.deadlines(review, today())
    return review


@blp.route("/reviews/<int:review_id>", methods=["GET"])
@access.roles(*READERS)
@blp.response(200, ReviewDetail)
def get_review(review_id: int):
    """A review, with its deadlines. The read is recorded in the audit log."""
    review = svc.get_review(review_id, current_user)
    svc.record_review_view(review)
    return _detail(review)


@blp.route("/reviews/<int:review_id>", methods=["PATCH"])
@access.roles(*OFFICE)
@blp.arguments(ReviewPatchSchema)
@blp.response(200, ReviewDetail)
@blp.alt_response(409, schema=ProblemSchema, description="Stale version")
def update_review(body, review_id: int):
    """The business office changes a review's details; send the `version` you read."""
    review = svc.get_review(review_id, current_user)
    version = body.pop("version")
    return _detail(svc.update_case_details(review, current_user, version=version, **body))


@blp.route("/reviews/<int:review_id>/screening", methods=["PUT"])
@access.roles(*WORKERS)
@blp.arguments(ScreeningSchema)
@blp.response(200, ReviewDetail)
def put_screening(body, review_id: int):
    """Record the SAR screening: each s44 question, in the Act's words, with a reason; the route is derived."""
    review = svc.get_review(review_id, current_user)
    return _detail(svc.record_screening(review, current_user, **body))


@blp.route("/reviews/<int:review_id>/rapid-review", methods=["PUT"])
@access.roles(*WORKERS)
@blp.arguments(RapidReviewSchema)
@blp.response(200, ReviewDetail)
def put_rapid_review(body, review_id: int):
    """Record a CSPR's rapid review: criteria, reasons, date sent, the panel's response."""
    review = svc.get_review(review_id, current_user)
    return _detail(svc.record_rapid_review(review, current_user, **body))


@blp.route("/reviews/<int:review_id>/commissioning", methods=["PUT"])
@access.roles(*OFFICE)
@blp.arguments(CommissioningSchema)
@blp.response(200, ReviewDetail)
def put_commissioning(body, review_id: int):
    """Record the commissioning: terms of reference, methodology, reviewer, contract value
    (in pence) and the period in scope."""
    review = svc.get_review(review_id, current_user)
    return _detail(svc.record_commissioning(review, current_user, **body))


add_workflow_endpoints(blp, "/reviews", review_lifecycle, ReviewResource, readers=access.roles(*READERS))


# --- information requests ---------------------------------------------------------------------------


@blp.route("/reviews/<int:review_id>/information-requests", methods=["GET"])
@access.roles(*READERS)
@blp.response(200, RequestResource(many=True))
def review_requests(review_id: int):
    """A review's information requests: all of them for those who see the review in full;
    their own for partner members of a named agency."""
    review, _ = svc.find_review(review_id, current_user)
    return svc.requests_of(review, current_user)


@blp.route("/reviews/<int:review_id>/information-requests", methods=["POST"])
@access.roles(*WORKERS)
@blp.arguments(RequestSchema)
@blp.response(201, RequestResource)
@blp.alt_response(422, schema=ProblemSchema)
def send_request(body, review_id: int):
    """Send an information request to a named agency (for a SAR, under s45 with the
    conditions that apply)."""
    review = svc.get_review(review_id, current_user)
    return svc.send_information_request(review, current_user, **body)


@blp.route("/information-requests", methods=["GET"])
@access.roles(*READERS)
@blp.arguments(RequestArgs, location="query")
@blp.response(200, page_of(RequestResource))
def list_requests(args):
    """The information requests you may see: a partner member sees their organisation's
    (and those of reviews their groups handle)."""
    rows, total = svc.list_requests(
        current_user,
        status=args.get("status"),
        overdue=args["overdue"],
        organisation_id=args.get("organisation_id"),
        page=args["page"],
        per_page=args["per_page"],
    )
    return page(rows, total, args)


@blp.route("/information-requests/<int:request_id>", methods=["GET"])
@access.roles(*READERS)
@blp.response(200, RequestResource)
def get_request(request_id: int):
    req = svc.get_request(request_id, current_user)
    svc.record_request_view(req)
    return req


add_workflow_endpoints(blp, "/information-requests", request_lifecycle, RequestResource, readers=access.roles(*READERS))


# --- recommendations ------------------------------------------------------------------------------


def _recommendations(review):
    return [
        {"id": r.id, "number": r.number, "text": r.text, "actions": actions}
        for r, actions in svc.recommendations_with_actions(review)
    ]


@blp.route("/reviews/<int:review_id>/recommendations", methods=["GET"])
@access.roles(*READERS)
@blp.response(200, RecommendationSchema(many=True))
def list_recommendations(review_id: int):
    """The report's recommendations, each with its actions in the shared log."""
    return _recommendations(svc.get_review(review_id, current_user))


@blp.route("/reviews/<int:review_id>/recommendations", methods=["POST"])
@access.roles(*OFFICE)
@blp.arguments(RecommendationCreateSchema)
@blp.response(201, RecommendationSchema)
def add_recommendation(body, review_id: int):
    """Add a recommendation, optionally with its actions for named agencies."""
    review = svc.get_review(review_id, current_user)
    rec = svc.add_recommendation(review, current_user, text=body["text"])
    made = []
    for i, a in enumerate(body.get("actions") or []):
        try:
            made.append(svc.add_action(review, rec, current_user, **a))
        except ValidationFailed as exc:
            raise ValidationFailed(
                errors={f"actions.{i}.{k}": v for k, v in exc.errors.items()}, reasons=exc.reasons
            ) from None
    return {"id": rec.id, "number": rec.number, "text": rec.text, "actions": made}


@blp.route("/reviews/<int:review_id>/recommendations/<int:recommendation_id>/actions", methods=["POST"])
@access.roles(*OFFICE)
@blp.arguments(ActionInSchema)
@blp.response(201, ActionResource)
def add_recommendation_action(body, review_id: int, recommendation_id: int):
    """Add an action for a named agency to a recommendation (restricted: need-to-know)."""
    review = svc.get_review(review_id, current_user)
    rec = svc.get_recommendation(review, recommendation_id)
    return svc.add_action(review, rec, current_user, **body)


# --- the timeliness report ------------------------------------------------------------------------


@blp.route("/reports/review-timeliness", methods=["GET"])
@access.roles(Role.business_office, Role.independent_chair)
@blp.arguments(TimelinessArgs, location="query")
@blp.response(200, TimelinessSchema)
def review_timeliness(args):
    """The year's case review figures: referrals received, decisions, SARs commissioned
    (mandatory/discretionary), reviews completed and ongoing, median and range of days
    referral → decision → draft report → publication (paused time left out), and actions
    implemented or not implemented with reasons; optionally for one area."""
    return svc.timeliness(parse_financial_year(args["year"]), args.get("area"))
