"""The JSON shapes of the case reviews API (reviews/api.py): resources, arguments and
bodies, with the input rules of `safeguarding.api.fields`."""

from __future__ import annotations

from flask import url_for
from marshmallow import Schema, ValidationError, validate, validates_schema

from safeguarding.actions.api import ActionResource
from safeguarding.api import fields
from safeguarding.api.schemas import PageArgs, workflow_fields
from safeguarding.calendar import parse_financial_year, today
from safeguarding.models import (
    AbuseOrNeglect,
    AgeBand,
    Area,
    IncidentKind,
    Methodology,
    PanelOutcome,
    ParallelProcess,
    RequestStatus,
    ReviewKind,
    ReviewState,
)
from safeguarding.services import reviews as svc
from safeguarding.services.reviews.screening import QUESTIONS
from safeguarding.workflows.reviews import request_lifecycle, review_lifecycle


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
    incident = fields.Function(lambda r: r.incident.value if r.incident else None)
    abuse_or_neglect = fields.Function(lambda r: r.abuse_or_neglect.value if r.abuse_or_neglect else None)
    ofsted_notified_on = fields.Date(allow_none=True)
    secretary_of_state_notified_on = fields.Date(allow_none=True)
    partners_told_on = fields.Date(allow_none=True)
    partners_told = fields.List(
        fields.Dict(),
        metadata={"description": "The safeguarding partners the service emailed: organisation_id, organisation, on"},
    )
    siblings_harmed = fields.Integer(allow_none=True)
    siblings_note = fields.String(allow_none=True)
    lcspr_criteria = fields.List(fields.String())
    rapid_review_reasons = fields.String(allow_none=True)
    rapid_review_sent_on = fields.Date(allow_none=True)
    panel_outcome = fields.Function(lambda r: r.panel_outcome.value if r.panel_outcome else None)
    panel_response = fields.String(
        allow_none=True, metadata={"description": "The reason the Panel disagrees, or the note of its response"}
    )
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
    report_sent_to_panel_on = fields.Date(
        allow_none=True, metadata={"description": "LCSPR: final report sent to the Panel and the Secretary of State"}
    )
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
        "partners_due_on": fields.Date(
            allow_none=True, metadata={"description": "CSPR: the partners are told within 5 working days of awareness"}
        ),
        "earliest_publication_on": fields.Date(
            allow_none=True, metadata={"description": "LCSPR: 7 working days after the report went to the Panel"}
        ),
        "published_until": fields.Date(
            allow_none=True, metadata={"description": "LCSPR: published for at least a year, until this date"}
        ),
        "statutory_report_target_on": fields.Date(
            allow_none=True, metadata={"description": "LCSPR: 6 months from the decision, before any pause"}
        ),
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
    incident = fields.String(allow_none=True, validate=validate.OneOf([k.value for k in IncidentKind]))
    abuse_or_neglect = fields.String(allow_none=True, validate=validate.OneOf([a.value for a in AbuseOrNeglect]))
    ofsted_notified_on = fields.Date(allow_none=True)
    secretary_of_state_notified_on = fields.Date(allow_none=True)
    partners_told_on = fields.Date(allow_none=True)
    siblings_harmed = fields.Integer(allow_none=True)
    siblings_note = fields.String(allow_none=True)


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
    incident = fields.String(allow_none=True, validate=validate.OneOf([k.value for k in IncidentKind]))
    abuse_or_neglect = fields.String(allow_none=True, validate=validate.OneOf([a.value for a in AbuseOrNeglect]))
    ofsted_notified_on = fields.Date(allow_none=True)
    secretary_of_state_notified_on = fields.Date(allow_none=True)
    partners_told_on = fields.Date(allow_none=True)
    siblings_harmed = fields.Integer(allow_none=True)
    siblings_note = fields.String(allow_none=True)


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
    panel_outcome = fields.String(
        allow_none=True,
        load_default=None,
        validate=validate.OneOf([o.value for o in PanelOutcome if o is not PanelOutcome.national_review]),
        metadata={
            "description": "agrees or disagrees (with the reason in panel_response); a national review is "
            "the transition record_national_review"
        },
    )


class ReportSentSchema(Schema):
    version = fields.Integer(required=True, strict=True)
    sent_on = fields.Date(required=True, allow_none=True)


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
    review_id = fields.Integer(dump_only=True, allow_none=True)
    reference = fields.String(dump_only=True, metadata={"description": "The letter's reference"})
    review_reference = fields.Function(lambda r: r.review.reference if r.review else None, dump_only=True)
    purpose = fields.Function(lambda r: r.purpose.value, dump_only=True)
    purpose_detail = fields.String(dump_only=True, allow_none=True)
    organisation_id = fields.Integer(
        allow_none=True, load_default=None, metadata={"description": "An agency in the directory, or leave out"}
    )
    recipient_name = fields.String(
        allow_none=True, load_default=None, metadata={"description": "A person or body outside the directory"}
    )
    recipient_address = fields.String(allow_none=True, load_default=None)
    recipient_email = fields.String(
        allow_none=True, load_default=None, metadata={"description": "The letter is emailed here (PDF)"}
    )
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
    refusal_reason = fields.String(dump_only=True, allow_none=True)
    refused_on = fields.Date(dump_only=True, allow_none=True)
    overdue = fields.Function(lambda r: r.is_overdue(today()), dump_only=True)
    last_chased_on = fields.Date(dump_only=True, allow_none=True)
    chase_count = fields.Integer(dump_only=True)
    letter_pdf = fields.Function(
        lambda r: url_for("reviews_api.request_letter", request_id=r.id, fmt="pdf"), dump_only=True
    )


class BoardRequestSchema(RequestSchema):
    """A request under s45 for another Board function."""

    purpose = fields.String(required=True, validate=validate.OneOf(["audit", "data"]))
    purpose_detail = fields.String(required=True, validate=validate.Length(min=1, max=300))


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
