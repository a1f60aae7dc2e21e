"""The case reviews dashboard, the list of reviews and the list of information requests."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_login import current_user

from safeguarding import access
from safeguarding.calendar import today
from safeguarding.models import Area, ReviewKind, ReviewState
from safeguarding.reviews.routes.common import READERS, bp
from safeguarding.services import reviews as svc
from safeguarding.web import int_arg

# --- dashboard and lists --------------------------------------------------------------------------


@bp.route("/reviews")
@access.roles(*READERS)
def dashboard():
    on = today()
    board = svc.dashboard(current_user, on)
    return render_template("reviews/dashboard.html", board=board, on=on, kinds=ReviewKind)


@bp.route("/reviews/all")
@access.roles(*READERS)
def all_reviews():
    kind, state, area = (
        request.args.get("kind") or None,
        request.args.get("state") or None,
        request.args.get("area") or None,
    )
    status = request.args.get("status") or "all"
    if (
        (kind and kind not in ReviewKind.__members__)
        or (state and state not in ReviewState.__members__)
        or (area and area not in Area.__members__)
        or status not in ("open", "closed", "all")
    ):
        abort(400)
    filters = svc.ReviewFilters(
        kind=kind,
        state=state,
        area=area,
        status=None if status == "all" else status,
        q=(request.args.get("q") or "").strip() or None,
        page=int_arg("page", 1) or 1,
    )
    rows, total = svc.list_reviews(current_user, filters)
    return render_template(
        "reviews/list.html",
        reviews=rows,
        total=total,
        f=filters,
        status=status,
        states=ReviewState,
        areas=Area,
        kinds=ReviewKind,
    )


@bp.route("/reviews/requests")
@access.roles(*READERS)
def my_requests():
    """Information requests the user may see: for a partner, their organisation's."""
    status = request.args.get("status") or "sent"
    if status not in ("sent", "returned", "refused", "withdrawn", "all"):
        abort(400)
    org_id = svc.agency_organisation_id(current_user) if not svc.sees_everything(current_user) else None
    page = int_arg("page", 1) or 1
    rows, total = svc.list_requests(
        current_user,
        status=None if status == "all" else status,
        organisation_id=org_id if request.args.get("mine", "1") == "1" else None,
        page=page,
    )
    return render_template("reviews/requests.html", requests=rows, total=total, status=status, page=page, today=today())
