"""JSON API for case reviews.

    /api/v1/reviews                                  list (kind, state, area, status, q); create a
                                                     SAR referral or a CSPR notification
    /api/v1/reviews/<id>                             the review (+ PATCH case details)
    /api/v1/reviews/<id>/transitions, /history       the uniform workflow endpoints
    /api/v1/reviews/<id>/screening                   PUT the s44 screening (SAR)
    /api/v1/reviews/<id>/rapid-review                PUT the rapid review (CSPR)
    /api/v1/reviews/<id>/commissioning               PUT the commissioning
    /api/v1/reviews/<id>/report-sent-to-panel        PUT the date an LCSPR's final report went to
                                                     the Panel and the Secretary of State
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

from flask import abort
from flask_login import current_user
from flask_smorest import Blueprint

from safeguarding import access
from safeguarding.actions.api import ActionResource
from safeguarding.api.schemas import page, page_of
from safeguarding.api.workflow import add_workflow_endpoints
from safeguarding.calendar import parse_financial_year, today
from safeguarding.documents import send_file
from safeguarding.errors import ProblemSchema
from safeguarding.models import ReviewKind, Role
from safeguarding.reviews.schemas import (
    ActionInSchema,
    BoardRequestSchema,
    CommissioningSchema,
    RapidReviewSchema,
    ReceiptSchema,
    RecommendationCreateSchema,
    RecommendationSchema,
    ReportSentSchema,
    RequestArgs,
    RequestResource,
    RequestSchema,
    ReviewArgs,
    ReviewCreateSchema,
    ReviewDetail,
    ReviewPatchSchema,
    ReviewResource,
    ScreeningSchema,
    TimelinessArgs,
    TimelinessSchema,
)
from safeguarding.services import reviews as svc
from safeguarding.services.errors import ValidationFailed
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
        **{k: body[k] for k in svc.NOTIFICATION_FIELDS if k in body},
    )


def _detail(review):
    review.deadlines = svc.deadlines(review, today())
    if review.kind == ReviewKind.cspr:
        review.partners_due_on = svc.partners_due_on(review)
        review.earliest_publication_on = svc.earliest_publication(review)
        review.published_until = svc.published_until(review)
        review.statutory_report_target_on = svc.statutory_report_target(review)
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


@blp.route("/reviews/<int:review_id>/report-sent-to-panel", methods=["PUT"])
@access.roles(*OFFICE)
@blp.arguments(ReportSentSchema)
@blp.response(200, ReviewDetail)
@blp.alt_response(422, schema=ProblemSchema)
def put_report_sent(body, review_id: int):
    """Record the date an LCSPR's final report was sent to the Panel and the Secretary of
    State; it may be published 7 working days later (`earliest_publication_on`)."""
    review = svc.get_review(review_id, current_user)
    return _detail(svc.record_report_sent(review, current_user, **body))


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


@blp.route("/information-requests", methods=["POST"])
@access.roles(*OFFICE)
@blp.arguments(BoardRequestSchema)
@blp.response(201, RequestResource)
@blp.alt_response(422, schema=ProblemSchema)
def send_board_request(body):
    """Send a request under s45 for another Board function (`purpose` audit or data, with
    `purpose_detail`), to an agency (`organisation_id`) or to anyone outside the directory
    (`recipient_name` with `recipient_email` and/or `recipient_address`). The letter is kept
    and emailed to an outside recipient."""
    return svc.send_board_request(current_user, **body)


@blp.route("/information-requests/<int:request_id>/letter.<fmt>", methods=["GET"])
@access.roles(*READERS)
@blp.response(200, description="The request letter as sent (PDF or DOCX)")
def request_letter(request_id: int, fmt: str):
    if fmt not in ("pdf", "docx"):
        abort(404)
    req = svc.get_request(request_id, current_user)
    data = svc.letter_pdf(req) if fmt == "pdf" else svc.letter_docx(req)
    return send_file(data, f"{req.reference.replace('/', '-')}-letter.{fmt}")


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
