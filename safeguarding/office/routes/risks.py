"""The risk register's pages: the register (with its CSV and XLSX exports), a risk with
its score history and mitigating actions, and the office's forms."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from safeguarding import access, documents
from safeguarding.calendar import today
from safeguarding.forms import error_summary
from safeguarding.office.forms import CloseRiskForm, MitigationForm, RiskForm
from safeguarding.office.routes.common import OFFICE, RISK_READERS, bp, form_version
from safeguarding.services import risks as svc
from safeguarding.services.errors import ServiceError
from safeguarding.web import form_failed

RAG_COLOURS = {"red": "red", "amber": "yellow", "green": "green"}


def _filters() -> svc.RiskFilters:
    status = request.args.get("status", "open")
    rag = request.args.get("rag") or None
    return svc.RiskFilters(
        status=status if status in ("open", "closed") else None,
        rag=rag if rag in svc.RAGS else None,
    )


def _summary(form, extra):
    return error_summary(form, extra) if (form.errors or extra) else None


@bp.route("/risks")
@access.roles(*RISK_READERS)
def risks():
    f = _filters()
    rows = svc.list_risks(current_user, f)
    amber_from, red_from = svc.bands()
    return render_template(
        "office/risks.html",
        rows=rows,
        f=f,
        rag_of=svc.rag_of,
        colours=RAG_COLOURS,
        counts=svc.counts_by_rag(current_user),
        amber_from=amber_from,
        red_from=red_from,
        today=today(),
        office=current_user.has_role(*OFFICE),
    )


@bp.route("/risks/register.csv")
@access.roles(*RISK_READERS)
def risks_csv():
    rows = svc.list_risks(current_user, _filters())
    return documents.send_file(svc.register_csv(rows).encode("utf-8"), "risk-register.csv")


@bp.route("/risks/register.xlsx")
@access.roles(*RISK_READERS)
def risks_xlsx():
    return documents.send_file(svc.register_xlsx(svc.list_risks(current_user, _filters())), "risk-register.xlsx")


@bp.route("/risks/new", methods=["GET", "POST"])
@access.roles(*OFFICE)
def new_risk():
    form = RiskForm()
    form.set_choices()
    extra: dict[str, str] = {}
    if form.validate_on_submit():
        try:
            risk = svc.create_risk(user=current_user, note=form.note.data, **form.values())
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(f"Risk {risk.reference} added to the register", "success")
            return redirect(url_for("office.risk", risk_id=risk.id))
    return render_template("office/risk_form.html", form=form, risk=None, summary=_summary(form, extra))


@bp.route("/risks/<int:risk_id>")
@access.roles(*RISK_READERS)
def risk(risk_id: int):
    r = svc.get_risk(risk_id, current_user)
    return render_template(
        "office/risk.html",
        r=r,
        rag=svc.rag_of(r),
        rag_for=svc.rag_for,
        colours=RAG_COLOURS,
        history=svc.history_of(r),
        actions=svc.actions_of(r),
        office=current_user.has_role(*OFFICE),
    )


@bp.route("/risks/<int:risk_id>/edit", methods=["GET", "POST"])
@access.roles(*OFFICE)
def edit_risk(risk_id: int):
    r = svc.get_risk(risk_id, current_user)
    form = RiskForm(obj=r)
    form.set_choices()
    if request.method == "GET":
        for name in svc.SCORES:
            getattr(form, name).data = str(getattr(r, name))
        form.owner_organisation_id.data = str(r.owner_organisation_id)
        form.owner_person_id.data = str(r.owner_person_id or "")
    extra: dict[str, str] = {}
    if form.validate_on_submit():
        try:
            svc.update_risk(r, user=current_user, version=form_version(), note=form.note.data, **form.values())
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(f"Risk {r.reference} updated", "success")
            return redirect(url_for("office.risk", risk_id=r.id))
    return render_template("office/risk_form.html", form=form, risk=r, summary=_summary(form, extra))


@bp.route("/risks/<int:risk_id>/actions/new", methods=["GET", "POST"])
@access.roles(*OFFICE)
def new_mitigation(risk_id: int):
    r = svc.get_risk(risk_id, current_user)
    form = MitigationForm()
    form.set_choices()
    extra: dict[str, str] = {}
    if form.validate_on_submit():
        try:
            svc.add_mitigation(
                r,
                user=current_user,
                title=form.title.data,
                owner_organisation_id=int(form.owner_organisation_id.data),
                due_date=form.due_date.data,
            )
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash("Mitigating action added to the action log", "success")
            return redirect(url_for("office.risk", risk_id=r.id) + "#actions")
    return render_template("office/mitigation_form.html", form=form, r=r, summary=_summary(form, extra))


@bp.route("/risks/<int:risk_id>/close", methods=["GET", "POST"])
@access.roles(*OFFICE)
def close_risk(risk_id: int):
    r = svc.get_risk(risk_id, current_user)
    form = CloseRiskForm()
    extra: dict[str, str] = {}
    if form.validate_on_submit():
        try:
            svc.close_risk(r, user=current_user, reason=form.reason.data, version=form_version())
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(f"Risk {r.reference} closed", "success")
            return redirect(url_for("office.risk", risk_id=r.id))
    return render_template("office/close_risk.html", form=form, r=r, summary=_summary(form, extra))
