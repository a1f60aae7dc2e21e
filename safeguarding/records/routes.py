"""Information governance pages (business office): subject access requests with their
statutory clock, the retention schedule, and holds."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import render_template, request, url_for
from flask_login import current_user

from safeguarding import access, home
from safeguarding.calendar import today
from safeguarding.extensions import db
from safeguarding.formatting import long_date
from safeguarding.models import Review, Role
from safeguarding.records.forms import AccessRequestForm, AnswerForm, ExtendForm, HoldForm, ReasonForm, RuleForm
from safeguarding.services.records import access as requests_svc
from safeguarding.services.records import disclosure as disclosure_svc
from safeguarding.services.records import schedule as schedule_svc
from safeguarding.validation import parse_id
from safeguarding.web import form_page, int_arg

from . import disclosure  # noqa: F401  (the disclosure pages join the blueprint)
from .blueprint import bp

OFFICE = (Role.business_office,)
PER_PAGE = 50


# --- subject access requests -----------------------------------------------------------------


@bp.route("/subject-access-requests")
@access.roles(*OFFICE)
def access_requests():
    state = request.args.get("state", "open")
    page = int_arg("page", 1) or 1
    rows, total = requests_svc.list_requests(
        current_user, state=None if state == "all" else state, page=page, per_page=PER_PAGE
    )
    on = today()
    return render_template(
        "records/access_requests.html",
        rows=rows,
        state=state,
        clock=lambda r: requests_svc.clock(r, on),
        page=page,
        per_page=PER_PAGE,
        total=total,
    )


@bp.route("/subject-access-requests/new", methods=["GET", "POST"])
@access.roles(*OFFICE)
def new_access_request():
    form = AccessRequestForm()
    return form_page(
        form,
        lambda: requests_svc.log_request(user=current_user, **form.values()),
        done=lambda r: f"Request {r.reference} is logged: the answer is due by {long_date(r.due_on)}",
        then=lambda r: url_for("records.access_request", request_id=r.id),
        template="records/access_request_form.html",
        r=None,
    )


@bp.route("/subject-access-requests/<int:request_id>")
@access.roles(*OFFICE)
def access_request(request_id: int):
    r = requests_svc.get_request(request_id, current_user)
    found = disclosure_svc.counts(r)
    return render_template("records/access_request.html", r=r, clock=requests_svc.clock(r), found=found)


def _request_form(form_class: type, request_id: int) -> tuple[Any, Any]:
    """The request and a form carrying the version it was read at."""
    r = requests_svc.get_request(request_id, current_user)
    form = form_class(obj=r) if form_class is AccessRequestForm else form_class()
    if request.method == "GET":
        form.version.data = str(r.version)
    return r, form


def _back_to(r: Any) -> str:
    return url_for("records.access_request", request_id=r.id)


@bp.route("/subject-access-requests/<int:request_id>/edit", methods=["GET", "POST"])
@access.roles(*OFFICE)
def edit_access_request(request_id: int):
    r, form = _request_form(AccessRequestForm, request_id)
    return form_page(
        form,
        lambda: requests_svc.update_request(r, user=current_user, version=form.version_value, **form.values()),
        done=lambda _: f"Request {r.reference} is updated: the answer is due by {long_date(r.deadline)}",
        then=_back_to,
        template="records/access_request_form.html",
        r=r,
    )


@bp.route("/subject-access-requests/<int:request_id>/extend", methods=["GET", "POST"])
@access.roles(*OFFICE)
def extend_access_request(request_id: int):
    r, form = _request_form(ExtendForm, request_id)
    return form_page(
        form,
        lambda: requests_svc.extend(
            r,
            user=current_user,
            version=form.version_value,
            reason=form.reason.data,
            person_told_on=form.person_told_on.data,
        ),
        done=lambda _: f"Request {r.reference} is extended: the answer is due by {long_date(r.deadline)}",
        then=_back_to,
        template="records/access_request_step.html",
        r=r,
        heading="Extend the time to answer by two months",
        button="Extend the request",
        fields=("reason", "person_told_on"),
    )


@bp.route("/subject-access-requests/<int:request_id>/answer", methods=["GET", "POST"])
@access.roles(*OFFICE)
def answer_access_request(request_id: int):
    r, form = _request_form(AnswerForm, request_id)
    return form_page(
        form,
        lambda: requests_svc.answer(
            r,
            user=current_user,
            version=form.version_value,
            answered_on=form.answered_on.data,
            outcome=form.outcome.data,
        ),
        done=f"The answer to request {r.reference} is recorded",
        then=_back_to,
        template="records/access_request_step.html",
        r=r,
        heading="Record the answer sent",
        button="Record the answer",
        fields=("answered_on", "outcome"),
    )


@bp.route("/subject-access-requests/<int:request_id>/withdraw", methods=["GET", "POST"])
@access.roles(*OFFICE)
def withdraw_access_request(request_id: int):
    r, form = _request_form(ReasonForm, request_id)
    return form_page(
        form,
        lambda: requests_svc.withdraw(r, user=current_user, version=form.version_value, reason=form.reason.data),
        done=f"Request {r.reference} is withdrawn",
        then=_back_to,
        template="records/access_request_step.html",
        r=r,
        heading="Record that the request was withdrawn",
        button="Record the withdrawal",
        fields=("reason",),
    )


# --- the retention schedule ------------------------------------------------------------------


@bp.route("/retention")
@access.roles(*schedule_svc.SCHEDULE_READERS)
def retention():
    return render_template(
        "records/retention.html",
        entries=schedule_svc.schedule(current_user),
        office=current_user.has_role(*OFFICE),
    )


@bp.route("/retention/<key>/edit", methods=["GET", "POST"])
@access.roles(*OFFICE)
def edit_retention(key: str):
    e = schedule_svc.entry(key, current_user)
    form = RuleForm()
    if request.method == "GET":
        form.period_years.data = e.period_years
        form.trigger.data = e.trigger.value
        form.final_action.data = e.final_action.value
        form.confirmed.data = e.confirmed
        form.note.data = e.rule.note if e.rule else None
        form.version.data = str(e.rule.version) if e.rule else ""
    return form_page(
        form,
        lambda: schedule_svc.set_rule(
            key,
            user=current_user,
            version=form.version_value,
            period_years=form.period_years.data,
            trigger=form.trigger.data,
            final_action=form.final_action.data,
            confirmed=bool(form.confirmed.data),
            note=form.note.data,
        ),
        done=f"The retention of ‘{e.name}’ is saved",
        then=url_for("records.retention"),
        template="records/retention_form.html",
        e=e,
    )


# --- holds -----------------------------------------------------------------------------------


@bp.route("/holds")
@access.roles(*OFFICE)
def holds():
    show = request.args.get("show", "active")
    rows = schedule_svc.list_holds(current_user, active={"active": True, "lifted": False}.get(show))
    refs = schedule_svc.review_references(rows)
    return render_template(
        "records/holds.html", rows=rows, show=show, describe=lambda h: schedule_svc.describe(h, refs)
    )


def _review_choices() -> list[tuple[str, str]]:
    return [("", "Select a case review")] + [
        (str(i), ref)
        for i, ref in db.session.execute(sa.select(Review.id, Review.reference).order_by(Review.reference))
    ]


def _int(raw: str | None) -> int | None:
    """An id typed in a form: None when left empty; -1 (found nowhere) when not an id."""
    raw = (raw or "").strip()
    return (parse_id(raw) or -1) if raw else None


@bp.route("/holds/new", methods=["GET", "POST"])
@access.roles(*OFFICE)
def new_hold():
    form = HoldForm()
    form.review_id.choices = _review_choices()
    return form_page(
        form,
        lambda: schedule_svc.place_hold(
            user=current_user,
            scope=form.scope.data,
            reason=form.reason.data,
            class_key=form.class_key.data or None,
            review_id=_int(form.review_id.data),
            record_type=form.record_type.data or None,
            record_id=_int(form.record_id.data),
        ),
        done="The hold is placed: nothing it covers will be offered for disposal",
        then=url_for("records.holds"),
        template="records/hold_form.html",
    )


@bp.route("/holds/<int:hold_id>/lift", methods=["GET", "POST"])
@access.roles(*OFFICE)
def lift_hold(hold_id: int):
    h = schedule_svc.get_hold(hold_id, current_user)
    form = ReasonForm()
    if request.method == "GET":
        form.version.data = str(h.version)
    return form_page(
        form,
        lambda: schedule_svc.lift_hold(h, user=current_user, version=form.version_value, reason=form.reason.data),
        done="The hold is lifted",
        then=url_for("records.holds"),
        template="records/hold_lift.html",
        h=h,
        what=schedule_svc.describe(h, schedule_svc.review_references([h])),
    )


# --- home page -------------------------------------------------------------------------------


def _nearest_text(count: int, extras: dict[str, Any]) -> str:
    nearest = extras.get("nearest")
    if nearest is None:
        return "answered within one calendar month"
    days = requests_svc.working_days_left(nearest, today())
    if days < 0:
        return f"the oldest is {-days} working day{'s' if days != -1 else ''} late"
    return f"the next answer is due in {days} working day{'s' if days != 1 else ''} ({long_date(nearest)})"


home.count(
    {Role.business_office},
    25,
    "Subject access requests open",
    "records.access_requests",
    _nearest_text,
    requests_svc.open_select,
    key="records.access_requests",
    kind=home.DUE,
    extras={"nearest": requests_svc.nearest_select},
)
