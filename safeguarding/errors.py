"""Errors, in one place: RFC 9457 problem JSON under /api, GOV.UK error pages elsewhere.
Nothing a user can send produces a 500; a bug that does is logged and shown as one.

Database errors that are not bugs answer 503, nothing of the request saved:
- **busy** (`database_busy`: SQLite's "database is locked", PostgreSQL's lock timeout,
  serialization failure, deadlock): "try again in a moment", `Retry-After`;
- **cannot save** (`database_unwritable`: a read-only database, a full disk, an I/O
  error): "The service cannot save changes at the moment", one log line with the cause,
  a page rendered without touching the database, and the connection discarded, so the
  service recovers by itself — no restart — once the fault is mended.
Both come from a view or from the request's commit (see `_commit_and_headers`)."""

from __future__ import annotations

import contextlib
from types import SimpleNamespace
from typing import Any

from flask import (
    Flask,
    Response,
    current_app,
    flash,
    got_request_exception,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.globals import request_ctx
from sqlalchemy import event
from sqlalchemy.engine import Engine, ExceptionContext
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from safeguarding.extensions import db
from safeguarding.problems import PROBLEM_JSON, ProblemSchema  # noqa: F401  (ProblemSchema re-exported)
from safeguarding.services.errors import ServiceError, StaleVersion, Throttled, ValidationFailed

PROBLEM_TYPES = "https://safeguarding-partnership.example/problems/"


def problem(
    status: int,
    title: str,
    detail: str | None = None,
    *,
    errors: dict[str, str] | None = None,
    reasons: list[str] | None = None,
    slug: str | None = None,
) -> Response:
    body: dict[str, Any] = {
        "type": PROBLEM_TYPES + (slug or str(status)),
        "title": title,
        "status": status,
        "instance": request.path,
    }
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    if reasons:
        body["reasons"] = reasons
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM_JSON
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def _is_api() -> bool:
    return request.path.startswith("/api/")


def _flatten_messages(messages: Any, prefix: str = "") -> dict[str, str]:
    """webargs/marshmallow messages ({"json": {"field": ["msg"]}}) → {"field": "msg"}."""
    out: dict[str, str] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            if key in ("json", "query", "form", "files", "path") and not prefix:
                out.update(_flatten_messages(value, ""))
            else:
                name = f"{prefix}.{key}" if prefix else str(key)
                out.update(_flatten_messages(value, name))
    elif isinstance(messages, list) and messages and all(isinstance(m, str) for m in messages):
        out[prefix or "_schema"] = messages[0]
    elif isinstance(messages, list):
        for i, m in enumerate(messages):
            out.update(_flatten_messages(m, f"{prefix}.{i}"))
    else:
        out[prefix or "_schema"] = str(messages)
    return out


def _friendly(messages: dict[str, str]) -> dict[str, str]:
    replacements = {
        "Missing data for required field.": "Enter a value",
        "Not a valid integer.": "Enter a whole number",
        "Not a valid date.": "Enter a real date in the form YYYY-MM-DD",
        "Unknown field.": "This field is not recognised",
        "Field may not be null.": "Enter a value",
    }
    return {k: replacements.get(v, v) for k, v in messages.items()}


# PostgreSQL SQLSTATEs that mean "another transaction was in the way": serialization
# failure, deadlock, lock not available, statement or lock timeout.
_BUSY_SQLSTATES = {"40001", "40P01", "55P03", "57014"}


def database_busy(exc: DBAPIError) -> bool:
    """Whether a database error is contention (wait and retry) rather than a fault."""
    orig = exc.orig
    if getattr(orig, "sqlstate", None) in _BUSY_SQLSTATES:
        return True
    message = str(orig).lower()
    return "database is locked" in message or "database table is locked" in message


# PostgreSQL SQLSTATEs that mean "the database cannot save anything now": read-only
# transaction (a read-only database or role, a standby after failover), insufficient
# resources, disk full, out of memory, I/O error.
_UNWRITABLE_SQLSTATES = {"25006", "53000", "53100", "53200", "58030"}
# SQLite's messages for the same (SQLITE_READONLY, SQLITE_FULL, SQLITE_IOERR).
_UNWRITABLE_MESSAGES = ("attempt to write a readonly database", "database or disk is full", "disk i/o error")
# Seconds a client is told to wait before trying a write again after a storage fault.
FAULT_RETRY_AFTER = 60
CANNOT_SAVE = "The service cannot save changes at the moment. Nothing you entered has been saved."


def database_unwritable(orig: BaseException | None) -> bool:
    """Whether a DBAPI error means the database cannot write (a fault of its storage)."""
    if getattr(orig, "sqlstate", None) in _UNWRITABLE_SQLSTATES:
        return True
    message = str(orig).lower()
    return any(m in message for m in _UNWRITABLE_MESSAGES)


def _discard_faulty_connection(context: ExceptionContext) -> None:
    """Engine `handle_error`: after a storage fault the pool's connections are thrown away
    (as on a disconnect), so the next request opens a fresh one — SQLite reopens the file
    writable once it is, PostgreSQL starts a session without a read-only default — and
    the service recovers without a restart."""
    if database_unwritable(context.original_exception):
        context.is_disconnect = True


def service_error(exc: ServiceError):
    db.session.rollback()
    if _is_api():
        reasons = exc.reasons if isinstance(exc, ValidationFailed) else None
        detail = exc.message if exc.message != "There is a problem" else None
        if isinstance(exc, ValidationFailed) and not detail:
            detail = "; ".join(exc.messages) or None
        response = problem(exc.status, exc.title, detail, errors=exc.errors or None, reasons=reasons)
        if isinstance(exc, Throttled):
            response.headers["Retry-After"] = str(exc.retry_after)
        return response
    if exc.status == 404:
        return render_template("errors/404.html"), 404
    if exc.status == 403:
        return render_template("errors/403.html"), 403
    if exc.status == 410:
        return render_template(
            "errors/generic.html", error=SimpleNamespace(name=exc.title, description=exc.message)
        ), 410
    # Pages normally catch ValidationFailed and Conflict to re-show their form; one that
    # escapes goes back where the user came from with the message.
    messages = exc.messages if isinstance(exc, ValidationFailed) else [exc.message]
    for m in messages or [exc.message]:
        flash(m, "error")
    return redirect(request.referrer or url_for("main.home"))


def stale(exc: StaleDataError):
    return service_error(StaleVersion())


def _forget_session_changes() -> None:
    """Nothing of a request that could not be saved is kept — its cookie session included:
    the session is opened again from the request's own cookie, unchanged (a sign-in that
    failed to save must not leave the browser signed in, nor without its form token)."""
    ctx = request_ctx._get_current_object()
    reopened = current_app.session_interface.open_session(current_app, request)
    if reopened is not None:
        ctx._session = reopened


def database_error(exc: DBAPIError):
    _forget_session_changes()
    if database_unwritable(exc.orig):
        return storage_fault(exc)
    if not database_busy(exc):
        return unexpected(exc)
    # Contention, not a fault: nothing was written (the transaction is rolled back)
    # and the same request will work in a moment.
    db.session.rollback()
    current_app.logger.warning("database busy on %s %s: %s", request.method, request.path, type(exc.orig).__name__)
    retry_after = str(current_app.config["BUSY_RETRY_AFTER"])
    if _is_api():
        response = problem(
            503,
            "Service Unavailable",
            "The service is busy with other changes; nothing was saved. Try again in a moment.",
            slug="busy",
        )
    else:
        response = current_app.make_response((render_template("errors/busy.html"), 503))
    response.headers["Retry-After"] = retry_after
    return response


def storage_fault(exc: DBAPIError) -> Response:
    """503: the database cannot save. Logged in one line; the page is rendered without
    the app's context processors (which would look up the signed-in user in the database)."""
    with contextlib.suppress(DBAPIError):  # the connection is being discarded anyway
        db.session.rollback()
    cause = (str(exc.orig).strip().splitlines() or [type(exc.orig).__name__])[0]
    current_app.logger.error(
        "database cannot save changes on %s %s: %s: %s", request.method, request.path, type(exc.orig).__name__, cause
    )
    if _is_api():
        response = problem(503, "Service Unavailable", CANNOT_SAVE, slug="cannot-save")
    else:
        page = current_app.jinja_env.get_template("errors/unavailable.html").render()
        response = current_app.response_class(page, status=503, mimetype="text/html")
    response.headers["Retry-After"] = str(FAULT_RETRY_AFTER)
    return response


def http_error(exc: HTTPException):
    if _is_api():
        if exc.code == 422 and getattr(exc, "data", None):
            errors = _friendly(_flatten_messages(exc.data.get("messages", {})))
            return problem(422, "Unprocessable content", "The request has problems: see errors", errors=errors)
        detail = exc.description if exc.code not in (401,) else "Sign in or give a bearer token"
        return problem(exc.code or 500, exc.name, detail)
    if exc.code == 401:
        return redirect(url_for("auth.sign_in", next=request.full_path if request.method == "GET" else None))
    if exc.code in (403, 404, 405, 413, 400, 410):
        template = {403: "errors/403.html", 404: "errors/404.html"}.get(exc.code, "errors/generic.html")
        return render_template(template, error=exc), exc.code
    return exc


def unexpected(exc: Exception):
    if isinstance(exc, HTTPException):  # pragma: no cover - handled above
        return http_error(exc)
    current_app.logger.exception("unhandled error on %s %s", request.method, request.path)
    db.session.rollback()
    # Flask sends this signal only for errors no handler took; monitoring (and the
    # suite, which fails the test with this traceback) listens for it.
    got_request_exception.send(current_app._get_current_object(), _async_wrapper=current_app.ensure_sync, exception=exc)
    if _is_api():
        return problem(500, "Internal Server Error", "Something went wrong; it has been logged")
    return render_template("errors/500.html"), 500


def register(app: Flask) -> None:
    with app.app_context():
        engine: Engine = db.engine
        if not event.contains(engine, "handle_error", _discard_faulty_connection):
            event.listen(engine, "handle_error", _discard_faulty_connection)
    app.register_error_handler(ServiceError, service_error)
    app.register_error_handler(StaleDataError, stale)
    app.register_error_handler(DBAPIError, database_error)
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(Exception, unexpected)
