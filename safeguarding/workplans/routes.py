"""Business plans and sub-group work plans: pages.

Business plans (list, a year's plan with its priorities, forms); work plans (list, a
plan with its items and RAG tags, an item with its progress updates and the forms to
post an update, change the status, flag a risk, override the rating and settle it at
year end); the partnership view (every sub-group's plan for a year: counts by RAG per
priority, a chart by sub-group, filters); highlight reports for a Board meeting (page,
PDF, DOCX, attached to the agenda's sub-group slot); terms-of-reference reviews."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from safeguarding import access, charts, documents, home, nav, validation
from safeguarding.calendar import (
    financial_year_label,
    financial_year_start,
    financial_year_title,
    parse_financial_year,
    today,
)
from safeguarding.extensions import db
from safeguarding.formatting import long_date
from safeguarding.forms import error_summary
from safeguarding.models import (
    Area,
    Arm,
    ItemStatus,
    Meeting,
    Organisation,
    PartnershipState,
    Person,
    Rag,
    Role,
    User,
    WorkPlanState,
)
from safeguarding.services import storage
from safeguarding.services import workplans as svc
from safeguarding.services.errors import ServiceError, ValidationFailed
from safeguarding.web import choices, form_failed, int_arg
from safeguarding.workflows.workplans import work_plan_lifecycle as lifecycle
from safeguarding.workplans.forms import (
    BusinessPlanEditForm,
    BusinessPlanForm,
    ItemForm,
    OverrideForm,
    PriorityForm,
    RiskForm,
    StatusForm,
    TorReviewForm,
    UpdateForm,
    WorkPlanForm,
    YearEndForm,
)

bp = Blueprint("workplans", __name__)

READERS = svc.READERS
EDITORS = (Role.business_office, Role.subgroup_chair)
UPDATERS = (Role.business_office, Role.subgroup_chair, Role.partner_member)
OFFICE = (Role.business_office,)

nav.add("Work plans", "workplans.index", order=55)

STATE_COLOURS = {"draft": "grey", "submitted": "yellow", "approved": "green", "closed": "blue"}
RAG_COLOURS = {r.value: r.colour for r in Rag}
RAG_HEX = {
    Rag.red: "#d4351c",
    Rag.amber: "#f47738",
    Rag.green: "#00703c",
    Rag.complete: "#1d70b8",
    Rag.not_rated: "#505a5f",
}


def _summary(form, extra=None):
    return error_summary(form, extra) if (form.errors or extra) else None


def _year_arg() -> int:
    raw = request.args.get("year")
    if not raw:
        return financial_year_start(today())
    try:
        return parse_financial_year(raw)
    except ValueError:
        abort(400)


def _parse_year_field(form, field: str = "financial_year") -> int | None:
    try:
        return parse_financial_year(getattr(form, field).data)
    except ValueError:
        return None


def _form(
    template_title: str,
    form,
    back: str,
    *,
    caption: str = "",
    button: str = "Save",
    intro: str = "",
    multipart: bool = False,
    extra=None,
):
    return render_template(
        "workplans/form.html",
        title=template_title,
        form=form,
        back=back,
        caption=caption,
        button=button,
        intro=intro,
        multipart=multipart,
        summary=_summary(form, extra),
    )


def _organisation_choices(blank: str):
    rows = db.session.scalars(
        sa.select(Organisation).where(Organisation.state != PartnershipState.left).order_by(Organisation.name)
    )
    return choices(rows, blank=blank)


def _people_choices(blank: str):
    rows = db.session.scalars(sa.select(Person).where(Person.active.is_(True)).order_by(Person.name))
    return choices(
        rows, label=lambda p: f"{p.name} ({p.organisation.short_name})" if p.organisation else p.name, blank=blank
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
    )


def _item_for(item_id: int, *, edit: bool = False):
    it, p = svc.get_item(item_id)
    allowed = svc.may_edit_plan(p, current_user) if edit else svc.may_update_item(it, p, current_user)
    if not allowed:
        abort(403)
    return it, p


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


@bp.route("/workplans/items/<int:item_id>/updates", methods=["POST"])
@access.roles(*UPDATERS)
def post_update(item_id: int):
    it, p = _item_for(item_id)
    form = UpdateForm()
    extra = {}
    if form.validate_on_submit():
        try:
            svc.post_update(
                it,
                p,
                current_user,
                text=form.text.data,
                percent=form.percent.data,
                milestone=form.milestone.data,
                evidence=form.evidence.data or None,
            )
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(f"Progress posted: the item is now rated {it.rating.label.lower()}", "success")
            return redirect(url_for("workplans.item", item_id=it.id))
    it, p = svc.get_item(item_id)
    on = today()
    return render_template(
        "workplans/item.html",
        it=it,
        p=p,
        updates=svc.updates_of(it),
        today=on,
        reason=svc.rag_reason(it, on),
        title=financial_year_title,
        may_update=p.state == WorkPlanState.approved,
        can_edit=svc.may_edit_plan(p, current_user),
        form=form,
        summary=_summary(form, extra),
        open_statuses=(ItemStatus.not_started, ItemStatus.in_progress),
        override_by=None,
    )


@bp.route("/workplans/items/<int:item_id>/status", methods=["GET", "POST"])
@access.roles(*UPDATERS)
def status(item_id: int):
    it, p = _item_for(item_id)
    form = StatusForm()
    if request.method == "GET":
        form.version.data = str(it.version)
        form.status.data = it.status.value
        form.reason.data = it.status_reason
    extra = {}
    if form.validate_on_submit():
        try:
            svc.change_status(
                it, p, current_user, version=form.version_value, status=form.status.data, reason=form.reason.data
            )
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(f"Status changed to {it.status.label.lower()}", "success")
            return redirect(url_for("workplans.item", item_id=it.id))
    return _form("Change the status", form, url_for("workplans.item", item_id=it.id), caption=it.title, extra=extra)


@bp.route("/workplans/items/<int:item_id>/risk", methods=["GET", "POST"])
@access.roles(*UPDATERS)
def risk(item_id: int):
    it, p = _item_for(item_id)
    form = RiskForm()
    if request.method == "GET":
        form.version.data = str(it.version)
        form.at_risk.data = it.at_risk
        form.at_risk_reason.data = it.at_risk_reason
    extra = {}
    if form.validate_on_submit():
        try:
            svc.flag_at_risk(
                it,
                p,
                current_user,
                version=form.version_value,
                at_risk=form.at_risk.data,
                reason=form.at_risk_reason.data,
            )
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash("At-risk flag " + ("set" if it.at_risk else "cleared"), "success")
            return redirect(url_for("workplans.item", item_id=it.id))
    return _form("Flag the item at risk", form, url_for("workplans.item", item_id=it.id), caption=it.title, extra=extra)


@bp.route("/workplans/items/<int:item_id>/override", methods=["GET", "POST"])
@access.roles(*EDITORS)
def override(item_id: int):
    it, p = _item_for(item_id, edit=True)
    form = OverrideForm()
    if request.method == "GET":
        form.version.data = str(it.version)
        form.rag.data = it.rag_override.value if it.rag_override else ""
        form.justification.data = it.override_justification
    extra = {}
    if form.validate_on_submit():
        try:
            svc.set_override(
                it,
                p,
                current_user,
                version=form.version_value,
                rag=form.rag.data,
                justification=form.justification.data,
            )
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash("Rating override " + ("set" if it.rag_override else "cleared"), "success")
            return redirect(url_for("workplans.item", item_id=it.id))
    return _form(
        "Override the rating",
        form,
        url_for("workplans.item", item_id=it.id),
        caption=it.title,
        intro=f"The derived rating is {it.rag.label.lower()}: {svc.rag_reason(it, today())}.",
        extra=extra,
    )


@bp.route("/workplans/items/<int:item_id>/year-end", methods=["GET", "POST"])
@access.roles(*EDITORS)
def year_end(item_id: int):
    it, p = _item_for(item_id, edit=True)
    form = YearEndForm()
    if request.method == "GET":
        form.version.data = str(it.version)
    extra = {}
    if form.validate_on_submit():
        try:
            if form.action.data == "carry":
                copy = svc.carry_forward(it, p, current_user, version=form.version_value, due_date=form.due_date.data)
                flash(f"Carried forward into the {financial_year_title(p.financial_year + 1)} plan", "success")
                return redirect(url_for("workplans.item", item_id=copy.id))
            svc.close_item(it, p, current_user, version=form.version_value, reason=form.reason.data)
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash("Item closed", "success")
            return redirect(url_for("workplans.plan", plan_id=p.id))
    return _form(
        "Carry forward or close the item", form, url_for("workplans.item", item_id=it.id), caption=it.title, extra=extra
    )


@bp.route("/workplans/updates/<int:update_id>/evidence")
@access.roles(*READERS)
def evidence(update_id: int):
    update, _item, _plan = svc.get_update(update_id)
    if update.evidence is None:
        abort(404)
    return storage.send_stored(
        update.evidence, f"evidence-{update.id}.{update.evidence.storage_key.rsplit('.', 1)[-1]}"
    )


# --- the partnership view ------------------------------------------------------------------


@bp.route("/workplans/partnership")
@access.roles(*READERS)
def partnership():
    year = _year_arg()
    arm = request.args.get("arm") or None
    area = request.args.get("area") or None
    if arm not in (None, *Arm.__members__) or area not in (None, *Area.__members__):
        abort(400)
    organisation_id = int_arg("organisation")
    view = svc.partnership_view(year, arm=arm, area=area, organisation_id=organisation_id)
    names = [g.short_name for g in view.groups]
    chart = charts.bar_chart(
        f"Work plan items by RAG rating per sub-group, {financial_year_title(year)}",
        names,
        [
            charts.Series(r.label, [view.by_group.get(g.id, {}).get(r, 0) for g in view.groups], RAG_HEX[r])
            for r in svc.RAG_ORDER
        ],
        stacked=True,
    )
    return render_template(
        "workplans/partnership.html",
        view=view,
        chart=chart,
        year=year,
        title=financial_year_title(year),
        year_label=financial_year_label,
        rags=svc.RAG_ORDER,
        arm=arm,
        area=area,
        organisation_id=organisation_id,
        arms=Arm,
        areas=Area,
        organisations=_organisation_choices("Any organisation"),
        colours=RAG_COLOURS,
        state_colours=STATE_COLOURS,
    )


# --- highlight reports ---------------------------------------------------------------------


def _highlight_args():
    group = svc.get_subgroup(int_arg("group"))
    meeting = svc.get_board_meeting(int_arg("meeting"))
    return group, meeting


@bp.route("/workplans/highlight")
@access.roles(*READERS)
def highlight():
    group, meeting = _highlight_args()
    h = svc.highlight(group, meeting)
    report = svc.highlight_report(h)
    args = {"group": group.id, "meeting": meeting.id}
    return render_template(
        "workplans/highlight.html",
        title=h.title,
        document=documents.render_html(report),
        pdf_url=url_for("workplans.highlight_pdf", **args),
        docx_url=url_for("workplans.highlight_docx", **args),
        back_url=url_for("workplans.plan", plan_id=h.plan.id) if h.plan else url_for("workplans.index"),
        h=h,
        may_attach=svc.may_edit_plan(group.id, current_user)
        and meeting.state.value in ("scheduled", "papers_published", "in_session"),
        papers=svc.attached_papers(group, meeting),
    )


@bp.route("/workplans/highlight.pdf")
@access.roles(*READERS)
def highlight_pdf():
    group, meeting = _highlight_args()
    h = svc.highlight(group, meeting)
    return documents.send_file(documents.render_pdf(svc.highlight_report(h)), f"{h.reference}.pdf")


@bp.route("/workplans/highlight.docx")
@access.roles(*READERS)
def highlight_docx():
    group, meeting = _highlight_args()
    h = svc.highlight(group, meeting)
    return documents.send_file(documents.render_docx(svc.highlight_report(h)), f"{h.reference}.docx")


@bp.route("/workplans/highlight/attach", methods=["POST"])
@access.roles(*EDITORS)
def attach_highlight():
    group = svc.get_subgroup(request.form.get("group", type=validation.parse_id))
    meeting = svc.get_board_meeting(request.form.get("meeting", type=validation.parse_id))
    try:
        svc.attach_highlight(group, meeting, current_user)
    except ServiceError as exc:
        db.session.rollback()
        flash(exc.message if not isinstance(exc, ValidationFailed) else "; ".join(exc.messages), "error")
    else:
        flash(f"Highlight report attached to the Board meeting of {long_date(meeting.meeting_date)}", "success")
    return redirect(url_for("workplans.highlight", group=group.id, meeting=meeting.id))


# --- terms of reference reviews ------------------------------------------------------------


@bp.route("/workplans/tor-reviews")
@access.roles(*READERS)
def tor_reviews():
    year = _year_arg()
    return render_template(
        "workplans/tor_reviews.html",
        statuses=svc.tor_status(year),
        year=year,
        title=financial_year_title(year),
        year_label=financial_year_label,
        can_record=current_user.has_role(*EDITORS),
    )


@bp.route("/workplans/tor-reviews/new", methods=["GET", "POST"])
@access.roles(*EDITORS)
def new_tor_review():
    form = TorReviewForm()
    groups = svc.subgroups()
    if not current_user.has_role(Role.business_office):
        mine = svc.chaired_group_ids(current_user)
        groups = [g for g in groups if g.id in mine]
    form.group_id.choices = choices(groups, blank="Select the sub-group")
    meetings_ = db.session.scalars(
        sa.select(Meeting)
        .where(Meeting.group_id.in_([g.id for g in groups] or [0]), Meeting.meeting_date <= today())
        .order_by(Meeting.meeting_date.desc())
        .limit(60)
    )
    form.meeting_id.choices = choices(
        meetings_, label=lambda m: f"{m.group.short_name}, {long_date(m.meeting_date)}", blank="Not at a meeting"
    )
    extra = {}
    if form.validate_on_submit():
        try:
            review = svc.record_tor_review(
                current_user,
                group_id=int(form.group_id.data),
                reviewed_on=form.reviewed_on.data,
                meeting_id=int(form.meeting_id.data) if form.meeting_id.data else None,
                notes=form.notes.data,
            )
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash("Terms of reference review recorded", "success")
            return redirect(url_for("workplans.tor_reviews", year=financial_year_label(review.financial_year)))
    return _form(
        "Record a terms of reference review",
        form,
        url_for("workplans.tor_reviews"),
        button="Record the review",
        extra=extra,
    )


# --- home panels ----------------------------------------------------------------------------


def _year_title() -> str:
    return financial_year_title(financial_year_start(today()))


home.count(
    {Role.independent_chair, Role.business_office},
    40,
    "Red work plan items",
    lambda u: url_for("workplans.partnership"),
    lambda n, _: f"overdue or overridden to red in approved plans for {_year_title()}",
    lambda u: svc.rating_count_select(financial_year_start(today()), (Rag.red,)),
    key="workplans.red",
    kind=home.INFO,
)


def _chaired_rag_select(user):
    if not user.person_id:
        return None
    from safeguarding.services.actions import current_group_ids_select

    return svc.rating_count_select(
        financial_year_start(today()),
        (Rag.red, Rag.amber),
        group_ids=current_group_ids_select(user.person_id, today(), chairing=True),
    )


def _business_plans_panel(user):
    if user.has_role(*READERS):
        return None  # the work plans pages link to them
    return home.Panel(
        "Business plans",
        None,
        url_for("workplans.business_plans"),
        "the partnership's strategic and business plans, year by year",
        home.INFO,
        "workplans.business_plans",
    )


# Viewers have no work plans page in the navigation: this is their way to the plans.
home.add({Role.viewer}, 90, _business_plans_panel)
home.count(
    {Role.subgroup_chair},
    12,
    "Red and amber items in your work plans",
    "workplans.index",
    lambda n, _: (
        f"in this year's approved plans of the groups you chair ({_year_title()}): "
        "post an update or flag what is at risk"
    ),
    _chaired_rag_select,
    key="workplans.chaired_rag",
    kind=home.TASK,
)
