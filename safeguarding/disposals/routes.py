"""Disposal review pages (business office): what is due by class with the dry-run counts,
proposing a batch, and a second office user's approval, which disposes of the records."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request, url_for
from flask_login import current_user

from safeguarding import access, home, nav
from safeguarding.disposals.forms import ApproveForm, ProposeForm, ReasonForm
from safeguarding.models import DisposalState, Role
from safeguarding.services.records import disposal as svc
from safeguarding.services.records.schedule import CLASS_KEYS
from safeguarding.web import form_page

bp = Blueprint("disposals", __name__)

OFFICE = (Role.business_office,)

nav.add("Disposals", "disposals.index", order=94, group="Administration")


@bp.route("/disposals")
@access.roles(*OFFICE)
def index():
    return render_template(
        "disposals/index.html",
        run=svc.dry_run(current_user),
        batches=svc.list_batches(current_user),
        counts=svc.counts_by_batch(),
        names=svc.user_names,
    )


@bp.route("/disposals/new", methods=["GET", "POST"])
@access.roles(*OFFICE)
def propose():
    run = svc.dry_run(current_user)
    form = ProposeForm()
    form.class_key.choices = [("all", f"Every record due ({svc.records(run.would_dispose)})")] + [
        (c.entry.key, f"{c.entry.name} ({svc.records(c.would_dispose)})") for c in run.classes if c.would_dispose
    ]
    if request.method == "GET":
        wanted = request.args.get("class")
        form.class_key.data = wanted if wanted in CLASS_KEYS else "all"
    return form_page(
        form,
        lambda: svc.propose(user=current_user, class_key=None if form.class_key.data == "all" else form.class_key.data),
        done=lambda b: f"Disposal {b.reference} is proposed: another member of the business office must approve it",
        then=lambda b: url_for("disposals.batch", batch_id=b.id),
        template="disposals/propose.html",
        run=run,
    )


def _batch_context(batch_id: int) -> dict[str, Any]:
    batch = svc.get_batch(batch_id, current_user)
    rows = svc.items(batch)
    return {
        "batch": batch,
        "rows": rows,
        "names": svc.user_names({batch.proposed_by_id, batch.approved_by_id}),
        "classes": CLASS_KEYS,
        "mine": batch.proposed_by_id == current_user.id,
        "open": batch.state == DisposalState.proposed,
    }


@bp.route("/disposals/<int:batch_id>")
@access.roles(*OFFICE)
def batch(batch_id: int):
    return render_template("disposals/batch.html", **_batch_context(batch_id))


def _step(batch_id: int, form: Any, save: Any, done: str, heading: str, button: str) -> Any:
    ctx = _batch_context(batch_id)
    if request.method == "GET":
        form.version.data = str(ctx["batch"].version)
    b = ctx["batch"]
    return form_page(
        form,
        lambda: save(b),
        done=done,
        then=url_for("disposals.batch", batch_id=b.id),
        template="disposals/step.html",
        heading=heading,
        button=button,
        **ctx,
    )


@bp.route("/disposals/<int:batch_id>/approve", methods=["GET", "POST"])
@access.roles(*OFFICE)
def approve(batch_id: int):
    form = ApproveForm()
    return _step(
        batch_id,
        form,
        lambda b: svc.approve(b, user=current_user, version=form.version_value),
        "The disposal is approved: the records' personal content is removed and the disposal records kept",
        "Approve the disposal",
        "Approve and dispose of the records",
    )


@bp.route("/disposals/<int:batch_id>/reject", methods=["GET", "POST"])
@access.roles(*OFFICE)
def reject(batch_id: int):
    form = ReasonForm()
    return _step(
        batch_id,
        form,
        lambda b: svc.reject(b, user=current_user, version=form.version_value, reason=form.reason.data),
        "The disposal is rejected: nothing was disposed of",
        "Reject the disposal",
        "Reject the disposal",
    )


@bp.route("/disposals/<int:batch_id>/cancel", methods=["GET", "POST"])
@access.roles(*OFFICE)
def cancel(batch_id: int):
    form = ReasonForm()
    return _step(
        batch_id,
        form,
        lambda b: svc.cancel(b, user=current_user, version=form.version_value, reason=form.reason.data),
        "The proposal is cancelled: nothing was disposed of",
        "Cancel the proposal",
        "Cancel the proposal",
    )


# --- home page -------------------------------------------------------------------------------


def _due_panel(user) -> home.Panel | None:
    """Records the schedule offers for disposal (two bounded queries: the rules, the counts)."""
    n = svc.due_count()
    if not n:
        return None
    detail = f"{svc.records(n)} {'is' if n == 1 else 'are'} due for disposal review"
    return home.Panel(
        "Records due for disposal review", n, url_for("disposals.index"), detail, home.TASK, "records.disposals"
    )


home.add({Role.business_office}, 26, _due_panel)
