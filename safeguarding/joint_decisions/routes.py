"""Pages: the joint decisions list, a decision (the question, each partner's answer, the
comments), answering, commenting, withdrawing, and putting a case's question."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from safeguarding import access, home, nav
from safeguarding.calendar import today
from safeguarding.extensions import db
from safeguarding.forms import error_summary
from safeguarding.joint_decisions.forms import AnswerForm, CommentForm, PutForm, WithdrawForm
from safeguarding.models import JointDecision, JointDecisionState, JointDecisionSubject, Review, Role
from safeguarding.services import joint_decisions as svc
from safeguarding.services import reviews
from safeguarding.services.errors import ServiceError
from safeguarding.services.reviews import partners as review_partners
from safeguarding.web import form_failed

bp = Blueprint("joint_decisions", __name__)
nav.add("Joint decisions", "joint_decisions.index", order=34, group="Meetings")

READERS = (Role.business_office, Role.independent_chair, Role.scrutineer, Role.safeguarding_partner)
COMMENTERS = (Role.independent_chair, Role.scrutineer)
CASE_SUBJECTS = {s.value: s for s in review_partners.CASE_SUBJECTS}


def _subject_arg() -> JointDecisionSubject | None:
    value = request.args.get("subject") or None
    return JointDecisionSubject(value) if value in JointDecisionSubject.__members__ else None


def _state_arg() -> JointDecisionState | None:
    value = request.args.get("state") or None
    return JointDecisionState(value) if value in JointDecisionState.__members__ else None


@bp.route("/joint-decisions")
@access.roles(*READERS)
def index():
    subject, state = _subject_arg(), _state_arg()
    rows = svc.list_decisions(current_user, subject=subject, state=state)
    return render_template(
        "joint_decisions/index.html",
        rows=rows,
        subject=subject,
        state=state,
        subjects=list(JointDecisionSubject),
        states=list(JointDecisionState),
        references=svc.review_references(rows),
    )


def _answer_form(decision: JointDecision, partners: list[Any], capacities: dict[int, str]) -> AnswerForm | None:
    mine = [p for p in partners if p.organisation_id in capacities]
    if not mine or decision.state not in svc.OPEN_STATES:
        return None
    form = AnswerForm()
    form.organisation_id.choices = [(str(p.organisation_id), p.organisation.name) for p in mine]
    if request.method == "GET":
        form.version.data = str(decision.version)
        if len(mine) == 1:
            form.organisation_id.data = str(mine[0].organisation_id)
    return form


def _page(
    decision: JointDecision,
    *,
    answer_form: AnswerForm | None = None,
    comment_form: CommentForm | None = None,
    withdraw_form: WithdrawForm | None = None,
    extra: dict[str, str] | None = None,
):
    partners = svc.partners_for(decision.area)
    capacities = svc.capacities_of(current_user)
    answer_form = answer_form or _answer_form(decision, partners, capacities)
    may_comment = current_user.has_role(*COMMENTERS) and decision.state in svc.OPEN_STATES
    comment_form = comment_form or (CommentForm() if may_comment else None)
    if withdraw_form is None and current_user.has_role(Role.business_office) and decision.state in svc.OPEN_STATES:
        withdraw_form = WithdrawForm()
        withdraw_form.version.data = str(decision.version)
    forms = [f for f in (answer_form, comment_form, withdraw_form) if f is not None and f.errors]
    summary = None
    if forms or extra:
        summary = error_summary(forms[0] if forms else CommentForm(formdata=None), extra or {})
    answers = {a.organisation_id: a for a in svc.answers_of(decision)}
    review = db.session.get(Review, decision.review_id) if decision.review_id else None
    return render_template(
        "joint_decisions/decision.html",
        decision=decision,
        partners=partners,
        answers=answers,
        comments=svc.comments_of(decision),
        review=review,
        link_review=review is not None and current_user.has_role(Role.business_office, Role.independent_chair),
        answer_form=answer_form,
        comment_form=comment_form,
        withdraw_form=withdraw_form,
        summary=summary,
        today=today(),
    )


@bp.route("/joint-decisions/<int:decision_id>")
@access.roles(*READERS)
def decision(decision_id: int):
    return _page(svc.get_decision(decision_id, current_user))


@bp.route("/joint-decisions/<int:decision_id>/answer", methods=["POST"])
@access.roles(Role.safeguarding_partner)
def answer(decision_id: int):
    d = svc.get_decision(decision_id, current_user)
    form = _answer_form(d, svc.partners_for(d.area), svc.capacities_of(current_user))
    if form is None:
        abort(403)
    if form.validate_on_submit():
        try:
            svc.answer(
                d,
                organisation_id=int(form.organisation_id.data),
                agree=form.agree.data == "yes",
                reason=form.reason.data,
                user=current_user,
                version=form.version_value,
            )
        except ServiceError as exc:
            extra = form_failed(form, exc)
            return _page(svc.get_decision(decision_id, current_user), answer_form=form, extra=extra)
        flash(f"Your answer to JD-{d.id} is recorded: {d.state.label.lower()}", "success")
        return redirect(url_for("joint_decisions.decision", decision_id=d.id))
    return _page(d, answer_form=form)


@bp.route("/joint-decisions/<int:decision_id>/comment", methods=["POST"])
@access.roles(*COMMENTERS)
def comment(decision_id: int):
    d = svc.get_decision(decision_id, current_user)
    form = CommentForm()
    if form.validate_on_submit():
        try:
            svc.comment(d, text=form.text.data, user=current_user)
        except ServiceError as exc:
            return _page(d, comment_form=form, extra=form_failed(form, exc))
        flash(f"Your comment on JD-{d.id} is recorded", "success")
        return redirect(url_for("joint_decisions.decision", decision_id=d.id))
    return _page(d, comment_form=form)


@bp.route("/joint-decisions/<int:decision_id>/withdraw", methods=["POST"])
@access.roles(Role.business_office)
def withdraw(decision_id: int):
    d = svc.get_decision(decision_id, current_user)
    form = WithdrawForm()
    if form.validate_on_submit():
        try:
            svc.withdraw(d, reason=form.reason.data, user=current_user, version=form.version_value)
        except ServiceError as exc:
            return _page(svc.get_decision(decision_id, current_user), withdraw_form=form, extra=form_failed(form, exc))
        flash(f"JD-{d.id} is withdrawn", "success")
        return redirect(url_for("joint_decisions.decision", decision_id=d.id))
    return _page(d, withdraw_form=form)


@bp.route("/reviews/<int:review_id>/joint-decisions/<subject>", methods=["GET", "POST"])
@access.roles(Role.business_office)
def put(review_id: int, subject: str):
    if subject not in CASE_SUBJECTS:
        abort(404)
    review = reviews.get_review(review_id, current_user)
    which = CASE_SUBJECTS[subject]
    form = PutForm()
    extra: dict[str, str] = {}
    if form.validate_on_submit():
        publish = {"yes": True, "no": False}.get(form.publish.data or "")
        try:
            d = review_partners.put(
                which, review, current_user, publish=publish, reason=form.reason.data, due_on=form.due_on.data
            )
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(f"The question is with the safeguarding partners as JD-{d.id}", "success")
            return redirect(url_for("joint_decisions.decision", decision_id=d.id))
    return render_template(
        "joint_decisions/put.html",
        form=form,
        review=review,
        subject=which,
        summary=error_summary(form, extra) if (form.errors or extra) else None,
    )


home.count(
    {Role.safeguarding_partner},
    15,
    "Joint decisions waiting for your answer",
    lambda user: url_for("joint_decisions.index", state="open"),
    lambda n, extras: f"{n} {'question needs' if n == 1 else 'questions need'} your organisation's answer",
    svc.waiting_select,
    key="joint_decisions_waiting",
    kind=home.APPROVAL,
)
