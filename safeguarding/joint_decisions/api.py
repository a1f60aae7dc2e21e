"""JSON API for the joint decisions of the children's safeguarding partners: the questions,
one answer per partner, the chair's and scrutineer's comments; the office puts a case's
question and may withdraw one."""

from __future__ import annotations

from typing import Any

from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, validate

from safeguarding import access
from safeguarding.api import fields
from safeguarding.api.schemas import PageArgs, page, page_of
from safeguarding.models import Area, JointDecision, JointDecisionState, JointDecisionSubject, Role
from safeguarding.services import joint_decisions as svc
from safeguarding.services import reviews
from safeguarding.services.errors import NotFound, ValidationFailed
from safeguarding.services.reviews import partners as review_partners

blp = Blueprint(
    "joint_decisions_api",
    __name__,
    url_prefix="/api/v1",
    description="Joint decisions of the children's safeguarding partners",
)

READERS = (Role.business_office, Role.independent_chair, Role.scrutineer, Role.safeguarding_partner)
COMMENTERS = (Role.independent_chair, Role.scrutineer)


class JointAnswerSchema(Schema):
    organisation_id = fields.Integer()
    organisation = fields.String(attribute="organisation.name")
    agree = fields.Boolean(allow_none=True)
    reason = fields.String(allow_none=True)
    answered_by = fields.String(allow_none=True, metadata={"description": "The LSP or DSP who answered"})
    capacity = fields.String(
        allow_none=True,
        metadata={
            "description": "lead, delegate, or recorded (by the office, from the minutes of a decision taken "
            "before the service held the case)"
        },
    )
    answered_at = fields.DateTime(allow_none=True)


class JointCommentSchema(Schema):
    text = fields.String()
    capacity = fields.String()
    by = fields.String(allow_none=True)
    written_at = fields.DateTime()


class JointDecisionSchema(Schema):
    id = fields.Integer()
    number = fields.String(metadata={"description": "Like JD-12"})
    subject = fields.String()
    subject_label = fields.String()
    question = fields.String()
    area = fields.String()
    state = fields.String()
    version = fields.Integer()
    put_on = fields.Date()
    due_on = fields.Date()
    recorded_from = fields.String(
        allow_none=True,
        metadata={"description": "For a decision taken before the service held the case: where it is minuted"},
    )
    decided_on = fields.Date(allow_none=True)
    review_id = fields.Integer(allow_none=True)
    review_reference = fields.String(allow_none=True)
    annual_report_id = fields.Integer(allow_none=True)
    dispute_id = fields.Integer(allow_none=True)
    proposal = fields.Dict()
    answers = fields.List(fields.Nested(JointAnswerSchema), metadata={"description": "One per partner put to"})
    comments = fields.List(fields.Nested(JointCommentSchema))


class JointDecisionArgs(PageArgs):
    subject = fields.String(validate=validate.OneOf([s.value for s in JointDecisionSubject]), load_default=None)
    state = fields.String(validate=validate.OneOf([s.value for s in JointDecisionState]), load_default=None)


class JointDecisionPutSchema(Schema):
    subject = fields.String(required=True, validate=validate.OneOf([s.value for s in review_partners.CASE_SUBJECTS]))
    review_id = fields.Integer(required=True)
    due_on = fields.Date(load_default=None)
    publish = fields.Boolean(load_default=None, metadata={"description": "For a publication decision"})
    reason = fields.String(load_default=None, metadata={"description": "Why not published, and the improvements"})


class JointAnswerIn(Schema):
    organisation_id = fields.Integer(load_default=None, metadata={"description": "Default: the one you answer for"})
    agree = fields.Boolean(required=True)
    reason = fields.String(load_default=None, metadata={"description": "Required when you disagree"})
    version = fields.Integer(load_default=None)


class JointCommentIn(Schema):
    text = fields.String(required=True)


class JointWithdrawIn(Schema):
    reason = fields.String(required=True)
    version = fields.Integer(load_default=None)


def _out(
    d: JointDecision,
    references: dict[int, str] | None = None,
    loaded: tuple[dict[int, list[Any]], dict[int, list[Any]]] | None = None,
    partners: dict[Any, list[Any]] | None = None,
) -> dict[str, Any]:
    """One decision; a list passes what it loaded for the whole page (no query per row)."""
    answers_by, comments_by = loaded if loaded is not None else svc.answers_and_comments([d])
    answers = {a.organisation_id: a for a in answers_by[d.id]}
    refs = references if references is not None else svc.review_references([d])
    put_to = partners[d.area] if partners is not None else svc.partners_for(d.area)
    out_answers = []
    for p in put_to:
        a = answers.get(p.organisation_id)
        out_answers.append(
            {
                "organisation_id": p.organisation_id,
                "organisation": p.organisation,
                "agree": a.agree if a else None,
                "reason": a.reason if a else None,
                "answered_by": a.person.name if a and a.person else None,
                "capacity": a.capacity if a else None,
                "answered_at": a.answered_at if a else None,
            }
        )
    return {
        "id": d.id,
        "number": f"JD-{d.id}",
        "subject": d.subject.value,
        "subject_label": d.subject.label,
        "question": d.question,
        "area": d.area.value,
        "state": d.state.value,
        "version": d.version,
        "put_on": d.put_on,
        "due_on": d.due_on,
        "decided_on": d.decided_on,
        "review_id": d.review_id,
        "review_reference": refs.get(d.review_id) if d.review_id else None,
        "annual_report_id": d.annual_report_id,
        "dispute_id": d.dispute_id,
        "recorded_from": d.recorded_from,
        "proposal": d.proposal or {},
        "answers": out_answers,
        "comments": [
            {
                "text": c.text,
                "capacity": c.capacity,
                "by": c.person.name if c.person else None,
                "written_at": c.written_at,
            }
            for c in comments_by[d.id]
        ],
    }


@blp.route("/joint-decisions", methods=["GET"])
@access.roles(*READERS)
@blp.arguments(JointDecisionArgs, location="query")
@blp.response(200, page_of(JointDecisionSchema))
def list_decisions(args):
    """The joint decisions the user may see, newest first (`subject`, `state` filters). A
    safeguarding partner sees those put to their organisation."""
    rows = svc.list_decisions(
        current_user,
        subject=JointDecisionSubject(args["subject"]) if args["subject"] else None,
        state=JointDecisionState(args["state"]) if args["state"] else None,
    )
    start = (args["page"] - 1) * args["per_page"]
    chunk = rows[start : start + args["per_page"]]
    refs, loaded = svc.review_references(chunk), svc.answers_and_comments(chunk)
    every = svc.partners_for(Area.both)  # one query: each area's partners are among them
    partners = {area: [p for p in every if p.covers(area)] for area in {d.area for d in chunk}}
    return page([_out(d, refs, loaded, partners) for d in chunk], len(rows), args)


@blp.route("/joint-decisions/<int:decision_id>", methods=["GET"])
@access.roles(*READERS)
@blp.response(200, JointDecisionSchema)
def get_decision(decision_id: int):
    return _out(svc.get_decision(decision_id, current_user))


@blp.route("/joint-decisions", methods=["POST"])
@access.roles(Role.business_office)
@blp.arguments(JointDecisionPutSchema)
@blp.response(201, JointDecisionSchema)
def put_decision(body):
    """Put a case's question to the safeguarding partners of the child's area: the final
    report's sign-off (`lcspr_report`) or the publication decision (`publication`, with
    `publish` and, when not publishing, `reason`). The rapid review goes to them when it is
    sent for decision (`complete_rapid_review`); `rapid_review` puts it again after a
    withdrawal."""
    try:
        review = reviews.get_review(body["review_id"], current_user)
    except NotFound:
        raise ValidationFailed(errors={"review_id": "No case review with this id"}) from None
    d = review_partners.put(
        JointDecisionSubject(body["subject"]),
        review,
        current_user,
        due_on=body["due_on"],
        publish=body["publish"],
        reason=body["reason"],
    )
    return _out(d)


@blp.route("/joint-decisions/<int:decision_id>/answers", methods=["POST"])
@access.roles(Role.safeguarding_partner)
@blp.arguments(JointAnswerIn)
@blp.response(201, JointDecisionSchema)
def post_answer(body, decision_id: int):
    """Your organisation's answer (as its lead or delegated safeguarding partner): agree,
    or disagree with a reason. It may be changed until the decision is carried."""
    d = svc.get_decision(decision_id, current_user)
    svc.answer(
        d,
        organisation_id=body["organisation_id"],
        agree=body["agree"],
        reason=body["reason"],
        user=current_user,
        version=body["version"],
    )
    return _out(d)


@blp.route("/joint-decisions/<int:decision_id>/comments", methods=["POST"])
@access.roles(*COMMENTERS)
@blp.arguments(JointCommentIn)
@blp.response(201, JointDecisionSchema)
def post_comment(body, decision_id: int):
    """The independent chair's or the scrutineer's comment: advice, not a vote."""
    d = svc.get_decision(decision_id, current_user)
    svc.comment(d, text=body["text"], user=current_user)
    return _out(d)


@blp.route("/joint-decisions/<int:decision_id>/withdraw", methods=["POST"])
@access.roles(Role.business_office)
@blp.arguments(JointWithdrawIn)
@blp.response(200, JointDecisionSchema)
def withdraw(body, decision_id: int):
    d = svc.get_decision(decision_id, current_user)
    svc.withdraw(d, reason=body["reason"], user=current_user, version=body["version"])
    return _out(d)
