"""Pages of the learning briefings: the list (everyone who uses the library; drafts for
the office, the chair and the source's group), a draft generated from a review, a learning
review or an audit (the office), the briefing with its dissemination table, editing and
publishing (the office), the one-page PDF and DOCX, and confirming it was shared (a
partner member for their own organisation; the office for any)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request, url_for
from flask_login import current_user

from safeguarding import access, nav
from safeguarding.calendar import today
from safeguarding.documents import render_docx, render_html, render_pdf, send_file
from safeguarding.formatting import long_date
from safeguarding.library.rules import LIBRARY_READERS, OFFICE
from safeguarding.models import BriefingState, Role
from safeguarding.services.errors import NotFound
from safeguarding.services.learning import briefings as svc
from safeguarding.services.learning.briefing_text import document
from safeguarding.validation import parse_id
from safeguarding.web import choices, form_page

from .forms import BriefingForm, ConfirmForm, PublishForm

bp = Blueprint("briefings", __name__)

nav.add("Learning briefings", "briefings.index", order=23, section=("briefings",), group="Reviews and learning")

# Who records that a briefing was shared: a partner member (or a sub-group chair, also a
# partner member) for their own organisation; the business office for any organisation.
CONFIRMERS = (Role.business_office, Role.partner_member, Role.subgroup_chair)
PER_PAGE = 50


@bp.route("/briefings")
@access.roles(*LIBRARY_READERS)
def index():
    state = request.args.get("state") or None
    page = min(parse_id(request.args.get("page") or "1") or 1, 100_000)
    rows, total = svc.list_briefings(current_user, state=state, page=page, per_page=PER_PAGE)
    return render_template(
        "briefings/index.html",
        rows=rows,
        total=total,
        page=page,
        pages=max(1, -(-total // PER_PAGE)),
        state=state if state in {s.value for s in BriefingState} else None,
        organisations=len(svc.sharing_organisations()),
        office=current_user.has_role(*OFFICE),
    )


def _source_from_args():
    for kind in svc.SOURCE_TYPES:
        if request.args.get(kind):
            return svc.load_source(kind, parse_id(request.args.get(kind)))
    raise NotFound("Choose the review, learning review or audit the briefing is about")


@bp.route("/briefings/new", methods=["GET", "POST"])
@access.roles(*OFFICE)
def new():
    source = _source_from_args()
    form = BriefingForm()
    if request.method == "GET":
        for key, value in svc.generate_draft(source).items():
            getattr(form, key).data = value
    return form_page(
        form,
        lambda: svc.create_briefing(source, current_user, **form.values()),
        done="Draft briefing saved",
        then=lambda b: url_for("briefings.briefing", briefing_id=b.id),
        template="briefings/form.html",
        title="New learning briefing",
        caption=f"{source.reference}",
        back=url_for("briefings.index"),
    )


@bp.route("/briefings/<int:briefing_id>")
@access.roles(*LIBRARY_READERS)
def briefing(briefing_id: int):
    row = svc.get_briefing(briefing_id, current_user)
    published = row.state is BriefingState.published
    table = svc.dissemination(row) if published else []
    own = current_user.organisation_id if current_user.has_role(Role.partner_member, Role.subgroup_chair) else None
    office = current_user.has_role(*OFFICE)
    may_confirm = published and (
        (office and any(c is None for _, c in table))
        or (own is not None and any(o.id == own and c is None for o, c in table))
    )
    return render_template(
        "briefings/briefing.html",
        b=row,
        document=render_html(document(row, today())),
        table=table,
        confirmed=sum(1 for _, c in table if c is not None),
        office=office,
        may_confirm=may_confirm,
    )


def _versioned(form_class: type, briefing_id: int) -> tuple[Any, Any]:
    row = svc.get_briefing(briefing_id, current_user)
    form = form_class(obj=row if form_class is BriefingForm and request.method == "GET" else None)
    if request.method == "GET":
        form.version.data = str(row.version)
    return row, form


@bp.route("/briefings/<int:briefing_id>/edit", methods=["GET", "POST"])
@access.roles(*OFFICE)
def edit(briefing_id: int):
    row, form = _versioned(BriefingForm, briefing_id)
    return form_page(
        form,
        lambda: svc.update_briefing(row, current_user, version=form.version_value, **form.values()),
        done="Briefing updated",
        then=url_for("briefings.briefing", briefing_id=row.id),
        template="briefings/form.html",
        title="Edit the briefing",
        caption=f"{row.reference} · {row.source_reference}",
        back=url_for("briefings.briefing", briefing_id=row.id),
    )


@bp.route("/briefings/<int:briefing_id>/publish", methods=["GET", "POST"])
@access.roles(*OFFICE)
def publish(briefing_id: int):
    row, form = _versioned(PublishForm, briefing_id)
    return form_page(
        form,
        lambda: svc.publish_briefing(row, current_user, version=form.version_value),
        done=lambda b: f"Briefing published on {long_date(b.published_on)}",
        then=url_for("briefings.briefing", briefing_id=row.id),
        template="briefings/publish.html",
        b=row,
        on=today(),
    )


@bp.route("/briefings/<int:briefing_id>/confirm", methods=["GET", "POST"])
@access.roles(*CONFIRMERS)
def confirm(briefing_id: int):
    row = svc.get_briefing(briefing_id, current_user)
    form = ConfirmForm()
    office = current_user.has_role(*OFFICE)
    done = {o.id for o, c in svc.dissemination(row) if c is not None}
    if office:
        form.organisation_id.choices = choices(
            [o for o in svc.sharing_organisations() if o.id not in done], blank="Select an organisation"
        )
    else:
        del form.organisation_id
    if request.method == "GET":
        form.confirmed_on.data = today()

    def save():
        org = int(form.organisation_id.data) if office else current_user.organisation_id
        return svc.confirm_sharing(
            row, current_user, organisation_id=org, confirmed_on=form.confirmed_on.data, how_shared=form.how_shared.data
        )

    return form_page(
        form,
        save,
        done=lambda c: f"Recorded: {c.organisation.name} shared the briefing",
        then=url_for("briefings.briefing", briefing_id=row.id, _anchor="dissemination"),
        template="briefings/confirm.html",
        b=row,
        office=office,
    )


@bp.route("/briefings/<int:briefing_id>.pdf")
@access.roles(*LIBRARY_READERS)
def pdf(briefing_id: int):
    row = svc.get_briefing(briefing_id, current_user)
    return send_file(render_pdf(document(row, today())), f"{row.reference}-briefing.pdf")


@bp.route("/briefings/<int:briefing_id>.docx")
@access.roles(*LIBRARY_READERS)
def docx(briefing_id: int):
    row = svc.get_briefing(briefing_id, current_user)
    return send_file(render_docx(document(row, today())), f"{row.reference}-briefing.docx")
