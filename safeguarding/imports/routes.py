"""The import pages (business office only): choose the kind and upload the file → the dry
run's report (each problem by sheet, row and column) → map the columns if the headings
differ → confirm → the result. Each kind's template is a download here."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from safeguarding import access, documents, nav
from safeguarding.forms import error_summary
from safeguarding.imports.forms import ConfirmForm, UploadForm, mapping_form
from safeguarding.models import Role
from safeguarding.services import imports as svc
from safeguarding.services.errors import ServiceError, ValidationFailed
from safeguarding.web import form_failed

bp = Blueprint("imports", __name__)

OFFICE = (Role.business_office,)
# How many problems the error summary lists (all are in the table under it).
SUMMARY_PROBLEMS = 10

nav.add("Imports", "imports.index", order=88, group="Administration")


@bp.route("/imports", methods=["GET", "POST"])
@access.roles(*OFFICE)
def index():
    form = UploadForm()
    form.set_choices()
    extra: dict[str, str] = {}
    if form.validate_on_submit():
        upload = request.files.get("file")
        try:
            if upload is None or not upload.filename:
                raise ValidationFailed(errors={"file": "Select a spreadsheet"})
            run = svc.check(svc.get_kind(form.kind.data), upload.filename, upload.read(), current_user)
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            return redirect(url_for("imports.run", run_id=run.id))
    summary = error_summary(form, extra) if (form.errors or extra) else None
    return render_template("imports/index.html", form=form, kinds=svc.KINDS, runs=svc.list_runs(), summary=summary)


@bp.route("/imports/templates/<kind>.xlsx")
@access.roles(*OFFICE)
def template(kind: str):
    k = svc.get_kind(kind)
    return documents.send_file(svc.template_xlsx(k), f"import-{k.name}-template.xlsx")


def _problem_summary(run) -> dict | None:
    if not run.problems:
        return None
    items = [
        {"text": _where(p) + p["message"], "href": f"#problem-{i}"}
        for i, p in enumerate(run.problems[:SUMMARY_PROBLEMS])
    ]
    if len(run.problems) > SUMMARY_PROBLEMS:
        items.append({"text": f"and {len(run.problems) - SUMMARY_PROBLEMS} more problems", "href": "#problems"})
    return {"titleText": "There is a problem with the spreadsheet", "errorList": items}


def _where(problem: dict) -> str:
    return f"Row {problem['row']}: " if problem.get("row") else ""


@bp.route("/imports/<int:run_id>")
@access.roles(*OFFICE)
def run(run_id: int):
    r = svc.get_run(run_id)
    return render_template(
        "imports/run.html",
        r=r,
        kind=svc.get_kind(r.kind),
        form=ConfirmForm(sha256=r.sha256),
        summary=_problem_summary(r),
    )


@bp.route("/imports/<int:run_id>/commit", methods=["POST"])
@access.roles(*OFFICE)
def commit(run_id: int):
    r = svc.get_run(run_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            svc.commit(r, form.sha256.data, current_user)
        except ServiceError as exc:
            form_failed(form, exc)
            flash(exc.message, "error")
            return redirect(url_for("imports.run", run_id=run_id))
        if r.status == "committed":
            flash(f"Imported: {r.created} created, {r.updated} updated, {r.unchanged} unchanged", "success")
        else:
            flash("Nothing was imported: the records changed since the check; see the problems below", "error")
    return redirect(url_for("imports.run", run_id=run_id))


@bp.route("/imports/<int:run_id>/mapping", methods=["GET", "POST"])
@access.roles(*OFFICE)
def mapping(run_id: int):
    r = svc.get_run(run_id)
    kind = svc.get_kind(r.kind)
    found = svc.resolve_mapping(kind, r.headings, r.mapping or svc.saved_mapping(kind))
    current = {f: r.headings[i] for f, i in found.items()}
    form = mapping_form(kind.columns, r.headings, current)
    extra: dict[str, str] = {}
    if form.validate_on_submit():
        chosen = {c.field: form[f"map_{c.field}"].data for c in kind.columns}
        try:
            svc.recheck(r, chosen, current_user)
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash("Column mapping saved for next time; the file was checked again", "success")
            return redirect(url_for("imports.run", run_id=r.id))
    summary = error_summary(form, extra) if (form.errors or extra) else None
    fields = [form[f"map_{c.field}"] for c in kind.columns]
    return render_template("imports/mapping.html", r=r, kind=kind, form=form, fields=fields, summary=summary)
