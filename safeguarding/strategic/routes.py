"""The strategic plan's pages: the list, a plan with its objectives, commitments,
consultations and progress, the office's forms, the Board's agreement, publication and the
PDF."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from safeguarding import access, documents, nav
from safeguarding.calendar import financial_year_title, parse_financial_year
from safeguarding.extensions import db
from safeguarding.formatting import long_date
from safeguarding.forms import error_summary
from safeguarding.models import (
    BusinessPlan,
    Decision,
    Organisation,
    Priority,
    StrategicPlan,
    StrategicPlanState,
)
from safeguarding.services import strategic as svc
from safeguarding.services.errors import ServiceError
from safeguarding.strategic.forms import (
    CommitmentForm,
    ConfirmForm,
    ConsultationForm,
    LinkForm,
    ObjectiveForm,
    PlanEditForm,
    PlanForm,
    selected_id,
)
from safeguarding.web import choices, form_failed, form_page

bp = Blueprint("strategic", __name__)
nav.add("Strategic plans", "strategic.index", order=54, group="Plans and actions")


def _summary(form: Any, extra: dict[str, str] | None = None) -> dict[str, Any] | None:
    return error_summary(form, extra) if (form.errors or extra) else None


def _plan(plan_id: int) -> StrategicPlan:
    return svc.get_plan(plan_id, current_user)


def _priorities(plan: StrategicPlan) -> list[Priority]:
    return list(
        db.session.scalars(
            sa.select(Priority)
            .join(BusinessPlan, BusinessPlan.id == Priority.business_plan_id)
            .where(BusinessPlan.financial_year == plan.financial_year)
            .order_by(Priority.number)
        )
    )


def _plan_url(plan: StrategicPlan) -> str:
    return url_for("strategic.plan", plan_id=plan.id)


def _form_context(title: str, plan: StrategicPlan | None, *, button: str, intro: str = "") -> dict[str, Any]:
    """What `web.form_page` renders strategic/form.html with."""
    return {
        "template": "strategic/form.html",
        "title": title,
        "plan": plan,
        "back": _plan_url(plan) if plan else url_for("strategic.index"),
        "button": button,
        "intro": intro,
    }


@bp.route("/strategic-plans")
@access.roles(*svc.READERS)
def index():
    return render_template("strategic/index.html", plans=svc.list_plans(current_user), year_title=financial_year_title)


@bp.route("/strategic-plans/new", methods=["GET", "POST"])
@access.roles(*svc.OFFICE)
def new():
    form = PlanForm()
    return form_page(
        form,
        lambda: svc.create_plan(
            current_user,
            financial_year=parse_financial_year(form.financial_year.data),
            title=form.title.data,
            vision=form.vision.data,
        ),
        done=lambda plan: f"{svc.title_of(plan)} recorded: add its objectives",
        then=_plan_url,
        **_form_context("Record a strategic plan", None, button="Record the plan"),
    )


@bp.route("/strategic-plans/<int:plan_id>")
@access.roles(*svc.READERS)
def plan(plan_id: int):
    p = _plan(plan_id)
    progress, organisations = svc.progress_of(p)
    decision = db.session.get(Decision, p.board_decision_id) if p.board_decision_id else None
    return render_template(
        "strategic/plan.html",
        plan=p,
        title=svc.title_of(p),
        progress=progress,
        organisations=organisations,
        commitments=svc.commitments_of(p),
        consultations=svc.consultations_of(p),
        agreement_meeting_id=decision.meeting_id if decision and svc.sees_drafts(current_user) else None,
        office=current_user.has_role(*svc.OFFICE),
    )


@bp.route("/strategic-plans/<int:plan_id>/edit", methods=["GET", "POST"])
@access.roles(*svc.OFFICE)
def edit(plan_id: int):
    p = _plan(plan_id)
    form = PlanEditForm(obj=p)
    if request.method == "GET":
        form.version.data = str(p.version)
    return form_page(
        form,
        lambda: svc.update_plan(
            p, current_user, version=form.version_value, title=form.title.data, vision=form.vision.data
        ),
        done="Strategic plan saved",
        then=_plan_url(p),
        **_form_context(f"Change the {svc.title_of(p).lower()}", p, button="Save"),
    )


@bp.route("/strategic-plans/<int:plan_id>/objectives", methods=["GET", "POST"])
@access.roles(*svc.OFFICE)
def objectives(plan_id: int):
    p = _plan(plan_id)
    objectives = svc.objectives_of(p)
    priority_choices = [(pr.id, pr.label) for pr in _priorities(p)]
    add, link = ObjectiveForm(prefix="add"), LinkForm(prefix="link")
    add.priority_ids.choices = link.priority_ids.choices = priority_choices
    link.objective_id.choices = [("", "Select an objective")] + [(str(o.id), o.label) for o in objectives]
    extra: dict[str, str] = {}
    failed = None
    if "link-objective_id" in request.form:
        if link.validate_on_submit():
            try:
                svc.link_priorities(
                    p,
                    current_user,
                    objective_id=selected_id(link.objective_id.data),
                    priority_ids=link.priority_ids.data,
                )
            except ServiceError as exc:
                extra = form_failed(link, exc)
            else:
                flash("Priorities linked", "success")
                return redirect(url_for("strategic.objectives", plan_id=p.id))
        failed = link
    elif request.method == "POST":
        if add.validate_on_submit():
            try:
                svc.add_objective(
                    p,
                    current_user,
                    title=add.title.data,
                    description=add.description.data,
                    priority_ids=add.priority_ids.data,
                )
            except ServiceError as exc:
                extra = form_failed(add, exc)
            else:
                flash("Objective added", "success")
                return redirect(url_for("strategic.objectives", plan_id=p.id))
        failed = add
    return render_template(
        "strategic/objectives.html",
        plan=p,
        title=svc.title_of(p),
        objectives=objectives,
        linked=svc.priorities_by_objective(p),
        add=add,
        link=link,
        has_priorities=bool(priority_choices),
        summary=_summary(failed, extra) if failed is not None else None,
        draft=p.state == StrategicPlanState.draft,
    )


@bp.route("/strategic-plans/<int:plan_id>/commitments", methods=["GET", "POST"])
@access.roles(*svc.OFFICE)
def commitments(plan_id: int):
    p = _plan(plan_id)
    form = CommitmentForm()
    objectives = svc.objectives_of(p)
    form.objective_id.choices = [("", "Select an objective")] + [(str(o.id), o.label) for o in objectives]
    form.organisation_id.choices = choices(
        db.session.scalars(sa.select(Organisation).order_by(Organisation.name)), blank="Select an organisation"
    )
    return form_page(
        form,
        lambda: svc.save_commitment(
            p,
            current_user,
            objective_id=selected_id(form.objective_id.data),
            organisation_id=selected_id(form.organisation_id.data),
            text=form.text.data,
        ),
        done="What the organisation will do is recorded",
        then=url_for("strategic.commitments", plan_id=p.id),
        template="strategic/commitments.html",
        plan=p,
        title=svc.title_of(p),
        objectives=objectives,
        commitments=svc.commitments_of(p),
        draft=p.state == StrategicPlanState.draft,
    )


@bp.route("/strategic-plans/<int:plan_id>/consultations", methods=["GET", "POST"])
@access.roles(*svc.OFFICE)
def consultations(plan_id: int):
    p = _plan(plan_id)
    form = ConsultationForm()
    return form_page(
        form,
        lambda: svc.add_consultation(
            p,
            current_user,
            kind=form.kind.data,
            consulted_on=form.consulted_on.data,
            consulted=form.consulted.data,
            response=form.response.data,
            changes=form.changes.data,
        ),
        done="Consultation recorded",
        then=url_for("strategic.consultations", plan_id=p.id),
        template="strategic/consultations.html",
        plan=p,
        title=svc.title_of(p),
        consultations=svc.consultations_of(p),
        open=p.state != StrategicPlanState.published,
    )


@bp.route("/strategic-plans/<int:plan_id>/agree", methods=["GET", "POST"])
@access.roles(*svc.OFFICE)
def agree(plan_id: int):
    """The Board agrees the plan by a decision: the office puts it on the next Board
    meeting's agenda; the decision recorded there agrees it."""
    p = _plan(plan_id)
    form = ConfirmForm()
    return form_page(
        form,
        lambda: svc.put_before_board(p, current_user),
        done=lambda meeting: (
            f"On the agenda of the Board meeting on {long_date(meeting.meeting_date)}"
            if meeting
            else "The plan goes on the next Board meeting's agenda when one is scheduled"
        ),
        then=_plan_url(p),
        template="strategic/agree.html",
        plan=p,
        title=svc.title_of(p),
        missing=svc.missing_for_board(p) if p.state == StrategicPlanState.draft else [],
    )


@bp.route("/strategic-plans/<int:plan_id>/publish", methods=["GET", "POST"])
@access.roles(*svc.OFFICE)
def publish(plan_id: int):
    p = _plan(plan_id)
    form = ConfirmForm()
    if request.method == "GET":
        form.version.data = str(p.version)
    return form_page(
        form,
        lambda: svc.publish(p, current_user, version=form.version_value),
        done=f"{svc.title_of(p)} published",
        then=_plan_url(p),
        template="strategic/publish.html",
        plan=p,
        title=svc.title_of(p),
    )


@bp.route("/strategic-plans/<int:plan_id>/plan.pdf")
@access.roles(*svc.READERS)
def pdf(plan_id: int):
    """The published PDF as it was published; a draft (office and chair) rendered now."""
    p = _plan(plan_id)
    data = p.published_pdf if p.state == StrategicPlanState.published else svc.plan_pdf(p)
    return documents.send_file(data, svc.file_name(p))
