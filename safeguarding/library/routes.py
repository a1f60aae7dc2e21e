"""Pages of the learning library: the library (`/findings`), a finding, and recording or
editing a finding of a review (the business office)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from safeguarding import access
from safeguarding.charts import Series, bar_chart
from safeguarding.extensions import db
from safeguarding.forms import error_summary
from safeguarding.models import Area, Arm, Organisation, ReviewKind, SourceKind
from safeguarding.models.learning import ABUSE_TYPES, PANEL_THEMES, PRACTICE_DOMAINS, TAG_LABELS, THEMES
from safeguarding.services import learning
from safeguarding.services import reviews as reviews_svc
from safeguarding.services.errors import ServiceError
from safeguarding.validation import parse_id
from safeguarding.web import choices, form_failed, form_page

from . import impact, sources  # noqa: F401  (the impact and source pages join the blueprint)
from .blueprint import bp
from .forms import FindingForm
from .rules import LIBRARY_READERS, OFFICE

CHART_THEMES = 6  # the chart draws the most frequent themes; its table beside it has them all


def _date_arg(name: str, errors: dict[str, str]) -> date | None:
    raw = (request.args.get(name) or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors[name] = "Enter a real date, like 2024-04-01"
        return None


def _filters() -> tuple[learning.LibraryFilters, dict[str, str]]:
    errors: dict[str, str] = {}
    page = parse_id(request.args.get("page") or "1") or 1
    since_raw = parse_id(request.args.get("since") or "")
    f = learning.LibraryFilters(
        q=(request.args.get("q") or "").strip(),
        theme=request.args.get("theme") or None,
        domain=request.args.get("domain") or None,
        arm=request.args.get("arm") or None,
        area=request.args.get("area") or None,
        source=request.args.get("source") or None,
        from_=_date_arg("from", errors),
        to=_date_arg("to", errors),
        since=since_raw if since_raw and 1900 <= since_raw <= 2100 else None,
        page=min(page, 100_000),
    )
    errors.update(f.problems())
    for name in errors:  # a bad filter is dropped (and said), never a 500
        setattr(f, {"from": "from_"}.get(name, name), "" if name == "q" else None)
    return f, errors


def _chart(by_year: dict[int, dict[str, int]]):
    if not by_year:
        return None
    totals: dict[str, int] = {}
    for counts in by_year.values():
        for code, n in counts.items():
            totals[code] = totals.get(code, 0) + n
    top = sorted(totals, key=lambda c: (-totals[c], TAG_LABELS[c]))[:CHART_THEMES]
    years = [str(y) for y in by_year]
    series = [Series(TAG_LABELS[c], [by_year[int(y)].get(c, 0) for y in years]) for c in top]
    return bar_chart("Findings per year, by theme (the most frequent themes)", years, series, stacked=True)


@bp.route("/findings")
@access.roles(*LIBRARY_READERS)
def index():
    f, errors = _filters()
    lib = learning.search(f, current_user)
    args = {
        "q": f.q or None,
        "theme": f.theme,
        "domain": f.domain,
        "arm": f.arm,
        "area": f.area,
        "source": f.source,
        "from": f.from_.isoformat() if f.from_ else None,
        "to": f.to.isoformat() if f.to else None,
    }
    return render_template(
        "library/index.html",
        lib=lib,
        f=f,
        args=args,
        errors=errors,
        themes=THEMES,
        abuse_types=ABUSE_TYPES,
        panel_themes=PANEL_THEMES,
        domains=PRACTICE_DOMAINS,
        arms=Arm,
        areas=Area,
        sources=SourceKind,
        chart=_chart(lib.by_year),
        office=current_user.has_role(*OFFICE),
    )


@bp.route("/findings/<int:finding_id>")
@access.roles(*LIBRARY_READERS)
def finding(finding_id: int):
    row = learning.get_finding(finding_id, current_user)
    tags, agencies = learning.tags_and_agencies([row.id])
    full = learning.may_read_statement(row, current_user)
    source_url = None
    if full and row.review_id:
        source_url = url_for("reviews.review", review_id=row.review_id)
    return render_template(
        "library/finding.html",
        finding=row,
        full=full,
        tags=tags[row.id],
        agencies=agencies[row.id],
        source_url=source_url,
        recommendations=learning.recommendations_answering(row.id) if full else [],
        office=current_user.has_role(*OFFICE),
    )


def _organisations() -> list[Organisation]:
    return list(
        db.session.scalars(sa.select(Organisation).where(Organisation.state != "left").order_by(Organisation.name))
    )


def _form_for(source: learning.Source, obj=None) -> FindingForm:
    form = FindingForm(obj=obj)
    form.agency_ids.choices = choices(_organisations())
    if source.kinds() == (SourceKind.rapid_review, SourceKind.lcspr):
        if not form.source_kind.data:
            form.source_kind.data = (obj.source_kind if obj else source.default_kind()).value
    else:
        del form.source_kind
    return form


def _save(form: FindingForm, source: learning.Source, finding=None):
    values = dict(
        statement=form.statement.data,
        public_statement=form.public_statement.data,
        found_on=form.found_on.data,
        tags=form.tags,
        keywords=form.keywords.data,
        agency_ids=form.agency_ids.data or [],
        source_kind=form.source_kind.data if "source_kind" in form else None,
    )
    if finding is None:
        return learning.record_finding(source, current_user, **values)
    return learning.update_finding(finding, current_user, version=form.version_value, **values)


@bp.route("/reviews/<int:review_id>/findings/new", methods=["GET", "POST"])
@access.roles(*OFFICE)
def new_review_finding(review_id: int):
    review = reviews_svc.get_review(review_id, current_user)
    source = learning.Source(review)
    form = _form_for(source)
    extra: dict[str, str] = {}
    if form.validate_on_submit():
        try:
            _save(form, source)
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash("Finding recorded", "success")
            return redirect(url_for("reviews.review", review_id=review.id, _anchor="findings"))
    return render_template(
        "library/form.html",
        title="Add a finding",
        caption=f"{review.reference} · {review.kind.label}",
        form=form,
        back=url_for("reviews.review", review_id=review.id),
        summary=error_summary(form, extra) if (form.errors or extra) else None,
        cspr=review.kind is ReviewKind.cspr,
    )


@bp.route("/findings/<int:finding_id>/edit", methods=["GET", "POST"])
@access.roles(*OFFICE)
def edit(finding_id: int):
    row = learning.get_finding(finding_id, current_user)
    source = learning.source_of(row)
    tags, agencies = learning.tags_and_agencies([row.id])
    form = _form_for(source, obj=row if request.method == "GET" else None)
    if request.method == "GET":
        codes = [t.code for t in tags[row.id]]
        form.abuse_types.data = [c for c in codes if c in ABUSE_TYPES]
        form.domains.data = [c for c in codes if c in PRACTICE_DOMAINS]
        form.panel_themes.data = [c for c in codes if c in PANEL_THEMES]
        form.agency_ids.data = [a.organisation_id for a in agencies[row.id]]
        form.keywords.data = ", ".join(row.keywords)
        form.version.data = str(row.version)
    extra: dict[str, str] = {}
    if form.validate_on_submit():
        try:
            _save(form, source, row)
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash("Finding updated", "success")
            return redirect(url_for("library.finding", finding_id=row.id))
    return render_template(
        "library/form.html",
        title="Edit a finding",
        caption=f"{row.source_reference} · {row.source_kind.label}",
        form=form,
        back=url_for("library.finding", finding_id=row.id),
        summary=error_summary(form, extra) if (form.errors or extra) else None,
        cspr=False,
    )


def _new_source_finding(source: learning.Source, back: str):
    form = _form_for(source)
    return form_page(
        form,
        lambda: _save(form, source),
        done="Finding recorded",
        then=back,
        template="library/form.html",
        title="Add a finding",
        caption=f"{source.reference} · {source.default_kind().label}",
        back=back,
        cspr=False,
    )


@bp.route("/learning-reviews/<int:review_id>/findings/new", methods=["GET", "POST"])
@access.roles(*OFFICE)
def new_learning_review_finding(review_id: int):
    source = learning.Source(learning.get_learning_review(review_id))
    return _new_source_finding(source, url_for("library.learning_reviews"))


@bp.route("/audits/<int:audit_id>/findings/new", methods=["GET", "POST"])
@access.roles(*OFFICE)
def new_audit_finding(audit_id: int):
    source = learning.Source(learning.get_audit(audit_id))
    return _new_source_finding(source, url_for("library.audits"))
