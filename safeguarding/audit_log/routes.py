"""The audit trail for the business office: who changed, viewed or signed in to what, and
when. Case content appears in before/after values, so only the business office (which
has need-to-know for every review) may open it — not administrators."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, render_template, request

from safeguarding import access, nav
from safeguarding.models import Role
from safeguarding.services import audit_queries
from safeguarding.web import int_arg

bp = Blueprint("audit_log", __name__)

nav.add("Audit log", "audit_log.entries", order=95, group="Administration")


@bp.route("/audit")
@access.roles(Role.business_office)
def entries():
    on = None
    if request.args.get("on"):
        try:
            on = date.fromisoformat(request.args["on"])
        except ValueError:
            abort(400)
    f = audit_queries.AuditFilters(
        entity_type=request.args.get("type") or None,
        entity_id=request.args.get("id") or None,
        actor=request.args.get("actor") or None,
        action=request.args.get("action") or None,
        on=on,
        page=int_arg("page", 1) or 1,
    )
    rows, total = audit_queries.search(f)
    return render_template("audit_log/entries.html", rows=rows, total=total, f=f, types=audit_queries.entity_types())
