"""The reviews blueprint, the roles its pages declare, and the helpers every page uses."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, redirect, url_for
from flask_login import current_user

from safeguarding import nav
from safeguarding.extensions import db
from safeguarding.forms import error_summary
from safeguarding.models import Organisation, Role
from safeguarding.services import reviews as svc

bp = Blueprint("reviews", __name__)

# Need-to-know (domain.md, "Who uses it"): viewers and administrators never see case
# content, so the role gate refuses them every review page (403, whatever the id); within
# these roles the service decides which reviews a user may know of (404 for the others).
READERS = (Role.business_office, Role.independent_chair, Role.partner_member, Role.subgroup_chair)
OFFICE_OR_CHAIR = (Role.business_office, Role.independent_chair)
OFFICE = (Role.business_office,)
# The review's sub-group (partner members and sub-group chairs sitting on it) and the
# office screen, gather information and quality-check (`svc.may_work_on`).
WORKERS = (Role.business_office, Role.partner_member, Role.subgroup_chair)
# A request is answered by the agency's partner members, or entered by the office.
ANSWERERS = (Role.business_office, Role.partner_member)

nav.add("Case reviews", "reviews.dashboard", order=20, section=("reviews",), group="Reviews and learning")


def _summary(form, extra=None):
    return error_summary(form, extra) if (form.errors or extra) else None


def _review(review_id: int, need: str = "full"):
    """The review (404 unless the user sees it in full), then the page's own rule (403)."""
    review = svc.get_review(review_id, current_user)
    if need == "office" and not current_user.has_role(Role.business_office):
        abort(403)
    if need == "worker" and not svc.may_work_on(review, current_user):
        abort(403)
    if need == "chair" and not current_user.has_role(Role.independent_chair):
        abort(403)
    return review


def _organisations():
    return list(
        db.session.scalars(sa.select(Organisation).where(Organisation.state != "left").order_by(Organisation.name))
    )


def _back(review):
    return redirect(url_for("reviews.review", review_id=review.id))
