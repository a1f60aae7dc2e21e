"""Work plans, pages: the partnership view (every sub-group's plan for a year: counts by RAG
per priority, a chart by sub-group, filters); highlight reports for a Board meeting (page,
PDF, DOCX, attached to the agenda's sub-group slot); terms-of-reference reviews."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from safeguarding import access, charts, documents, validation
from safeguarding.calendar import financial_year_label, financial_year_title, today
from safeguarding.extensions import db
from safeguarding.formatting import long_date
from safeguarding.models import Area, Arm, Meeting, Role
from safeguarding.services import workplans as svc
from safeguarding.services.errors import ServiceError, ValidationFailed
from safeguarding.web import choices, form_failed, int_arg
from safeguarding.workplans.forms import TorReviewForm
from safeguarding.workplans.routes.common import (
    EDITORS,
    RAG_COLOURS,
    RAG_HEX,
    READERS,
    STATE_COLOURS,
    _form,
    _organisation_choices,
    _year_arg,
    bp,
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
