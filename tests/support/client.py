"""The suite's test client: a browser on the production configuration (see
BrowserLikeClient)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask, got_request_exception
from flask.testing import FlaskClient

from safeguarding.extensions import db


class BrowserLikeClient(FlaskClient):
    """A browser-like client on the production configuration.

    - Each request runs in its own application context, so it gets its own database
      session (bound to the test's connection) and sees only what was flushed, as in
      production; afterwards the test's own session is expired, so it reads what the
      request wrote.
    - Requests go over HTTPS (production puts HTTPS in front; the session cookie is
      `Secure`), and a write carries the CSRF token the way a browser's form does: read
      from the session, sent as the form's `csrf_token` field (or the `X-CSRFToken`
      header for JSON), with a same-origin `Referer`. Pass `csrf=False` to send a write
      without it. A plain API client (no cookie yet, or `use_cookies=False`) sends none.
    - A response of 500 re-raises the exception behind it, so a test fails with its
      traceback rather than a status code.
    """

    def open(self, *args: Any, csrf: bool = True, **kwargs: Any):
        kwargs.setdefault("base_url", BASE_URL)
        method = str(kwargs.get("method") or "GET").upper()
        path = str(args[0]) if args and isinstance(args[0], str) else str(kwargs.get("path", ""))
        if csrf and method not in SAFE_METHODS:
            _add_csrf(self, path, kwargs)
        db.session.flush()
        with self.application.app_context(), _raising(self.application):
            response = super().open(*args, **kwargs)
        db.session.expire_all()
        return response


BASE_URL = "https://localhost"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


def csrf_token(client: FlaskClient) -> str:
    """The CSRF token a page would carry for this client's session (made as Flask-WTF
    makes it: a random value kept in the session, signed with the secret key)."""
    from itsdangerous import URLSafeTimedSerializer

    app = client.application
    with client.session_transaction(base_url=BASE_URL) as s:
        raw = s.setdefault(app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), secrets.token_hex(20))
    return URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token").dumps(raw)


def _add_csrf(client: FlaskClient, path: str, kwargs: dict) -> None:
    if getattr(client, "_cookies", None) is None:
        return  # no cookie jar: an API client
    cookie = client.application.config["SESSION_COOKIE_NAME"]
    if path.startswith("/api/") and client.get_cookie(cookie, domain="localhost") is None:
        return  # a plain API client that has not signed in on a page: nothing to forge
    token = csrf_token(client)
    headers = dict(kwargs.get("headers") or {})
    headers.setdefault("Referer", BASE_URL + "/")
    data = kwargs.get("data")
    if "json" not in kwargs and (data is None or isinstance(data, dict)):
        kwargs["data"] = {**(data or {}), "csrf_token": token}
    else:
        headers.setdefault("X-CSRFToken", token)
    kwargs["headers"] = headers


@contextmanager
def _raising(app: Flask) -> Iterator[None]:
    caught: list[BaseException] = []

    def record(sender: Any, exception: BaseException, **extra: Any) -> None:
        caught.append(exception)

    got_request_exception.connect(record, app)
    try:
        yield
    finally:
        got_request_exception.disconnect(record, app)
    if caught:
        raise caught[0]
