"""Pages of the other sources of learning, which the business office enters (the chair
reads the lists): learning reviews (a learning-together review, a domestic abuse related
death review, another) and multi-agency audits (the Quality and Performance sub-group's
work). Their findings reach everyone through the library."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import render_template, request, url_for
from flask_login import current_user

from safeguarding import access, home
from safeguarding.calendar import financial_year_title
from safeguarding.extensions import db
from safeguarding.formatting import long_date
from safeguarding.models import Group, Role
from safeguarding.services import learning
from safeguarding.web import choices, form_page

from .blueprint import bp
from .rules import OFFICE
from .source_forms import GRADES, AuditForm, LearningReviewForm

OFFICE_OR_CHAIR = (Role.business_office, Role.independent_chair)


def _groups(form: Any) -> None:
    rows = db.session.scalars(sa.select(Group).where(Group.active.is_(True)).order_by(Group.name))
    form.group_id.choices = choices(rows, blank="No group: the office and the chair only")


# --- learning reviews ------------------------------------------------------------------------


@bp.route("/learning-reviews")
@access.roles(*OFFICE_OR_CHAIR)
def learning_reviews():
    return render_template(
        "library/learning_reviews.html",
        rows=learning.list_learning_reviews(),
        office=current_user.has_role(*OFFICE),
    )


@bp.route("/learning-reviews/new", methods=["GET", "POST"])
@access.roles(*OFFICE)
def new_learning_review():
    form = LearningReviewForm()
    _groups(form)
    return form_page(
        form,
        lambda: learning.record_learning_review(current_user, **form.values()),
        done=lambda r: f"Learning review {r.reference} recorded",
        then=url_for("library.learning_reviews"),
        template="library/source_form.html",
        title="Record a learning review",
        back=url_for("library.learning_reviews"),
    )


@bp.route("/learning-reviews/<int:review_id>/edit", methods=["GET", "POST"])
@access.roles(*OFFICE)
def edit_learning_review(review_id: int):
    row = learning.get_learning_review(review_id)
    form = LearningReviewForm(obj=row if request.method == "GET" else None)
    _groups(form)
    if request.method == "GET":
        form.version.data = str(row.version)
        form.group_id.data = str(row.group_id or "")
    return form_page(
        form,
        lambda: learning.update_learning_review(row, current_user, version=form.version_value, **form.values()),
        done=lambda r: f"Learning review {r.reference} updated",
        then=url_for("library.learning_reviews"),
        template="library/source_form.html",
        title=f"Edit learning review {row.reference}",
        back=url_for("library.learning_reviews"),
    )


# --- multi-agency audits -----------------------------------------------------------------------


def _planned(form: Any) -> list[Any]:
    """The planned audits an audit may carry out."""
    rows = learning.open_planned_audits()
    form.work_plan_item_id.choices = [("", "None: not a planned audit")] + [
        (
            str(p.item.id),
            f"{p.item.title} ({p.plan.group.short_name} {financial_year_title(p.plan.financial_year)}, due {long_date(p.item.due_date)})",
        )
        for p in rows
    ]
    return rows


@bp.route("/audits")
@access.roles(*OFFICE_OR_CHAIR)
def audits():
    return render_template(
        "library/audits.html",
        rows=learning.list_audits(),
        planned=learning.open_planned_audits(),
        grades=GRADES,
        office=current_user.has_role(*OFFICE),
    )


@bp.route("/audits/new", methods=["GET", "POST"])
@access.roles(*OFFICE)
def new_audit():
    form = AuditForm()
    _groups(form)
    planned = _planned(form)
    # "Record the audit" from a planned audit: the form starts from it.
    item_id = request.args.get("item", type=int)
    chosen = next((p for p in planned if p.item.id == item_id), None)
    if request.method == "GET" and chosen is not None:
        form.work_plan_item_id.data = str(chosen.item.id)
        form.group_id.data = str(chosen.plan.group_id)
        form.topic.data = chosen.item.title
    return form_page(
        form,
        lambda: learning.record_audit(current_user, **form.values()),
        done=lambda r: f"Audit {r.reference} recorded",
        then=url_for("library.audits"),
        template="library/source_form.html",
        title="Record a multi-agency audit",
        back=url_for("library.audits"),
    )


@bp.route("/audits/<int:audit_id>/edit", methods=["GET", "POST"])
@access.roles(*OFFICE)
def edit_audit(audit_id: int):
    row = learning.get_audit(audit_id)
    form = AuditForm(obj=row if request.method == "GET" else None)
    _groups(form)
    if row.work_plan_item_id is None:
        _planned(form)
    else:
        del form.work_plan_item_id  # it carries out a planned audit: that link stays
    if request.method == "GET":
        form.version.data = str(row.version)
        form.group_id.data = str(row.group_id or "")
        form.fill_grades(row.grades or {})
    return form_page(
        form,
        lambda: learning.update_audit(row, current_user, version=form.version_value, **form.values()),
        done=lambda r: f"Audit {r.reference} updated",
        then=url_for("library.audits"),
        template="library/source_form.html",
        title=f"Edit audit {row.reference}",
        back=url_for("library.audits"),
    )


home.count(
    {Role.business_office},
    46,
    "Planned audits overdue",
    lambda u: url_for("library.audits") + "#planned",
    lambda n, _: (
        f"multi-agency audit{'s' if n != 1 else ''} of the sub-groups' approved work plans past the due date "
        "with no audit recorded"
    ),
    lambda u: learning.overdue_count_select(),
    key="library.planned_audits_overdue",
    kind=home.DUE,
)
