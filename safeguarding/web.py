"""Small helpers the page routes share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from flask import abort, flash, redirect, render_template, request
from flask_wtf import FlaskForm

from safeguarding import validation
from safeguarding.extensions import db
from safeguarding.forms import apply_service_errors, error_summary
from safeguarding.services.errors import ServiceError, ValidationFailed


def form_failed(form: FlaskForm, exc: ServiceError) -> dict[str, str]:
    """A service refused the form: undo anything it flushed, put its messages on the
    form's fields, and return the messages that belong to no field (for the summary)."""
    db.session.rollback()
    if isinstance(exc, ValidationFailed):
        leftover = apply_service_errors(form, exc.errors)
        for i, reason in enumerate(exc.reasons):
            leftover[f"_reason{i}"] = reason
        return leftover
    return {"_": exc.message}


def safe_next(target: str | None, default: str) -> str:
    """Only same-site relative paths may be used as a redirect target after sign-in."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


def int_arg(name: str, default: int | None = None, *, minimum: int = 1) -> int | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        abort(400)
    if validation.int_problem(value):
        abort(400, "The number in the address is too large")
    return max(value, minimum)


def choices(rows: Any, label: Any = lambda r: r.name, blank: str | None = None) -> list[tuple[str, str]]:
    out = [("", blank)] if blank is not None else []
    out += [(str(r.id), label(r)) for r in rows]
    return out


def form_page(
    form: FlaskForm,
    save: Callable[[], Any],
    *,
    done: Callable[[Any], str] | str,
    then: Callable[[Any], str] | str,
    template: str,
    **context: Any,
) -> Any:
    """The pattern of every form page: on a valid POST call `save()` (one service call);
    on success flash `done` (a sentence, or `fn(result)`) and redirect to `then` (a URL, or
    `fn(result)`); on a service error put its messages on the fields. Otherwise render
    `template` with the form and its GOV.UK error summary (status 400 when there is one)."""
    extra: dict[str, str] = {}
    if form.validate_on_submit():
        try:
            result = save()
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(done(result) if callable(done) else done, "success")
            return redirect(then(result) if callable(then) else then)
    summary = error_summary(form, extra) if (form.errors or extra) else None
    return render_template(template, form=form, summary=summary, **context), 400 if summary else 200
