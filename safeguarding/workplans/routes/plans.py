"""Business plans and sub-group work plans, pages: business plans (list, a year's plan with
its priorities, forms); work plans (list, a plan with its items and RAG tags); adding,
changing and showing an item."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from safeguarding import access
from safeguarding.calendar import financial_year_label, financial_year_start, financial_year_title, today
from safeguarding.extensions import db
from safeguarding.models import ItemStatus, Role, User, WorkPlanState
from safeguarding.services import learning
from safeguarding.services import workplans as svc
from safeguarding.services.errors import ServiceError, ValidationFailed
from safeguarding.web import choices, form_failed
from safeguarding.workflows.workplans import work_plan_lifecycle as lifecycle
from safeguarding.workplans.forms import (
    BusinessPlanEditForm,
    BusinessPlanForm,
    ItemForm,
    PriorityForm,
    UpdateForm,
    WorkPlanForm,
)
from safeguarding.workplans.routes.common import (
    EDITORS,
    OFFICE,
    READERS,
    STATE_COLOURS,
    _form,
    _item_for,
    _organisation_choices,
    _parse_year_field,
    _people_choices,
    _year_arg,
    bp,
)

# --- business plans ------------------------------------------------------------------------


@bp.route("/workplans/business-plans")
@access.roles(*svc.BUSINESS_PLAN_READERS)
def business_plans():
    return render_template("workplans/business_plans.html", plans=svc.list_business_plans(), label=financial_year_title)


@bp.route("/workplans/business-plans/new", methods=["GET", "POST"])
@access.roles(*OFFICE)
def new_business_plan():
    form = BusinessPlanForm()
    extra = {}
    if form.validate_on_submit():
        year = _parse_year_field(form)
        try:
            if year is None:
                raise ValidationFailed(errors={"financial_year": "Enter the financial year, like 2026-27"})
            plan = svc.create_business_plan(current_user, financial_year=year, strategic_plan=form.strategic_plan.data)
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(f"Business plan {financial_year_title(plan.financial_year)} recorded: add its priorities", "success")
            return redirect(url_for("workplans.business_plan", plan_id=plan.id))
    return _form(
        "Record a business plan", form, url_for("workplans.business_plans"), button="Record the plan", extra=extra
    )


@bp.route("/workplans/business-plans/<int:plan_id>")
@access.roles(*svc.BUSINESS_PLAN_READERS)
def business_plan(plan_id: int):
    plan = svc.get_business_plan(plan_id)
    return render_template(
        "workplans/business_plan.html",
        plan=plan,
        priorities=svc.priorities_of(plan.id),
        title=financial_year_title(plan.financial_year),
        year_label=financial_year_label(plan.financial_year),
    )


@bp.route("/workplans/business-plans/<int:plan_id>/edit", methods=["GET", "POST"])
@access.roles(*OFFICE)
def edit_business_plan(plan_id: int):
    plan = svc.get_business_plan(plan_id)
    form = BusinessPlanEditForm(obj=plan)
    if request.method == "GET":
        form.version.data = str(plan.version)
    extra = {}
    if form.validate_on_submit():
        try:
            svc.update_business_plan(
                plan, current_user, version=form.version_value, strategic_plan=form.strategic_plan.data
            )
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash("Strategic plan updated", "success")
            return redirect(url_for("workplans.business_plan", plan_id=plan.id))
    return _form(
        "Change the strategic plan",
        form,
        url_for("workplans.business_plan", plan_id=plan.id),
        caption=f"Business plan {financial_year_title(plan.financial_year)}",
        extra=extra,
    )


@bp.route("/workplans/business-plans/<int:plan_id>/priorities/new", methods=["GET", "POST"])
@access.roles(*OFFICE)
def new_priority(plan_id: int):
    plan = svc.get_business_plan(plan_id)
    form = PriorityForm()
    extra = {}
    if form.validate_on_submit():
        try:
            svc.add_priority(
                plan,
                current_user,
                title=form.title.data,
                description=form.description.data,
                arm=form.arm.data,
                area=form.area.data,
                outcomes=form.outcomes.data,
            )
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash("Priority added", "success")
            return redirect(url_for("workplans.business_plan", plan_id=plan.id))
    return _form(
        "Add a priority",
        form,
        url_for("workplans.business_plan", plan_id=plan.id),
        caption=f"Business plan {financial_year_title(plan.financial_year)}",
        extra=extra,
    )


@bp.route("/workplans/priorities/<int:priority_id>/edit", methods=["GET", "POST"])
@access.roles(*OFFICE)
def edit_priority(priority_id: int):
    priority = svc.get_priority(priority_id)
    form = PriorityForm(obj=priority)
    if request.method == "GET":
        form.version.data = str(priority.version)
        form.arm.data, form.area.data = priority.arm.value, priority.area.value
    extra = {}
    if form.validate_on_submit():
        try:
            svc.update_priority(
                priority,
                current_user,
                version=form.version_value,
                title=form.title.data,
                description=form.description.data,
                arm=form.arm.data,
                area=form.area.data,
                outcomes=form.outcomes.data,
            )
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash("Priority updated", "success")
            return redirect(url_for("workplans.business_plan", plan_id=priority.business_plan_id))
    return _form(
        f"Change priority {priority.number}",
        form,
        url_for("workplans.business_plan", plan_id=priority.business_plan_id),
        extra=extra,
    )


# --- work plans ----------------------------------------------------------------------------


@bp.route("/workplans")
@access.roles(*READERS)
def index():
    year = request.args.get("year")
    selected = _year_arg() if year and year != "all" else None
    rows = svc.list_work_plans(year=selected)
    return render_template(
        "workplans/index.html",
        rows=rows,
        year=selected,
        label=financial_year_title,
        year_label=financial_year_label,
        colours=STATE_COLOURS,
        rags=svc.RAG_ORDER,
        current_year=financial_year_start(today()),
        can_create=current_user.has_role(*EDITORS),
    )


@bp.route("/workplans/new", methods=["GET", "POST"])
@access.roles(*EDITORS)
def new():
    form = WorkPlanForm()
    groups = svc.subgroups()
    if not current_user.has_role(Role.business_office):
        mine = svc.chaired_group_ids(current_user)
        groups = [g for g in groups if g.id in mine]
    form.group_id.choices = choices(groups, blank="Select the sub-group")
    if request.method == "GET":
        form.financial_year.data = financial_year_label(financial_year_start(today()))
    extra = {}
    if form.validate_on_submit():
        try:
            plan = svc.create_work_plan(
                current_user, group_id=int(form.group_id.data), financial_year=_parse_year_field(form)
            )
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash("Work plan started: add its items", "success")
            return redirect(url_for("workplans.plan", plan_id=plan.id))
    return _form("Start a work plan", form, url_for("workplans.index"), button="Start the plan", extra=extra)


@bp.route("/workplans/<int:plan_id>")
@access.roles(*READERS)
def plan(plan_id: int):
    p = svc.get_work_plan(plan_id)
    items = svc.items_of(p)
    on = today()
    decision = svc.board_approval(p) if p.state == WorkPlanState.submitted else None
    options = lifecycle.options(p, current_user)
    if p.state == WorkPlanState.submitted and decision is None:
        options = [o for o in options if o.trigger != "approve"]
    return render_template(
        "workplans/plan.html",
        p=p,
        items=items,
        today=on,
        lifecycle=lifecycle,
        options=options,
        history=lifecycle.history(p.id),
        colours=STATE_COLOURS,
        title=financial_year_title,
        can_edit=svc.may_edit_plan(p, current_user),
        reason=svc.rag_reason,
        unsettled=svc.unsettled_items(p) if p.state == WorkPlanState.approved else 0,
        board_meetings=svc.board_meetings_for_year(p.financial_year),
        year_label=financial_year_label,
        programme=learning.audit_programme(p.group_id, p.financial_year),
        sees_audits=current_user.has_role(Role.business_office, Role.independent_chair),
        records_audits=current_user.has_role(Role.business_office),
    )


@bp.route("/workplans/<int:plan_id>/items/new", methods=["GET", "POST"])
@access.roles(*EDITORS)
def new_item(plan_id: int):
    p = svc.get_work_plan(plan_id)
    if not svc.may_edit_plan(p, current_user):
        abort(403)
    form = _item_form(ItemForm(), p)
    extra = {}
    if form.validate_on_submit():
        try:
            svc.add_item(p, current_user, **_item_values(form))
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash("Item added", "success")
            return redirect(url_for("workplans.plan", plan_id=p.id))
    return _form(
        "Add an item",
        form,
        url_for("workplans.plan", plan_id=p.id),
        caption=f"{p.group.name} {financial_year_title(p.financial_year)}",
        extra=extra,
    )


def _item_form(form, p):
    bp_ = svc.business_plan_for_year(p.financial_year)
    form.priority_id.choices = choices(
        svc.priorities_of(bp_.id) if bp_ else [], label=lambda r: r.label, blank="Select a priority"
    )
    form.lead_organisation_id.choices = _organisation_choices("Select the lead organisation")
    form.lead_person_id.choices = _people_choices("No named person")
    return form


def _item_values(form) -> dict:
    def num(v):
        return int(v) if v else None

    return {
        "priority_id": num(form.priority_id.data),
        "title": form.title.data,
        "lead_person_id": num(form.lead_person_id.data),
        "lead_organisation_id": num(form.lead_organisation_id.data),
        "due_date": form.due_date.data,
        "success_measure": form.success_measure.data,
        "is_audit": bool(form.is_audit.data),
    }


@bp.route("/workplans/items/<int:item_id>")
@access.roles(*READERS)
def item(item_id: int):
    it, p = svc.get_item(item_id)
    on = today()
    may_update = svc.may_update_item(it, p, current_user)
    return render_template(
        "workplans/item.html",
        it=it,
        p=p,
        updates=svc.updates_of(it),
        today=on,
        reason=svc.rag_reason(it, on),
        title=financial_year_title,
        may_update=may_update and p.state == WorkPlanState.approved,
        can_edit=svc.may_edit_plan(p, current_user),
        form=UpdateForm(),
        open_statuses=(ItemStatus.not_started, ItemStatus.in_progress),
        override_by=db.session.get(User, it.override_by_id) if it.override_by_id else None,
        carried_out_by=learning.carried_out_by(it),
        sees_audits=current_user.has_role(Role.business_office, Role.independent_chair),
        records_audits=current_user.has_role(Role.business_office),
    )


@bp.route("/workplans/items/<int:item_id>/edit", methods=["GET", "POST"])
@access.roles(*EDITORS)
def edit_item(item_id: int):
    it, p = _item_for(item_id, edit=True)
    form = _item_form(ItemForm(obj=it), p)
    if request.method == "GET":
        form.version.data = str(it.version)
        form.priority_id.data = str(it.priority_id)
        form.lead_organisation_id.data = str(it.lead_organisation_id or "")
        form.lead_person_id.data = str(it.lead_person_id or "")
    extra = {}
    if form.validate_on_submit():
        try:
            svc.update_item(it, p, current_user, version=form.version_value, **_item_values(form))
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash("Item updated", "success")
            return redirect(url_for("workplans.item", item_id=it.id))
    return _form("Change the item", form, url_for("workplans.item", item_id=it.id), extra=extra)
