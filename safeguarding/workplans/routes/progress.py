"""Work plan items, pages: the forms to post a progress update, change the status, flag a
risk, override the rating and settle the item at year end; the evidence of an update."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from safeguarding import access
from safeguarding.calendar import financial_year_title, today
from safeguarding.models import ItemStatus, WorkPlanState
from safeguarding.services import storage
from safeguarding.services import workplans as svc
from safeguarding.services.errors import ServiceError
from safeguarding.web import form_failed
from safeguarding.workplans.forms import OverrideForm, RiskForm, StatusForm, UpdateForm, YearEndForm
from safeguarding.workplans.routes.common import EDITORS, READERS, UPDATERS, _form, _item_for, _summary, bp


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
