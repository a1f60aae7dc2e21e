"""Sign-in is throttled per email address and per client address, on the page and the
token endpoint alike, with the state in the database (so it holds across workers), and
without revealing whether an email has an account."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from safeguarding import create_app
from safeguarding.extensions import db
from safeguarding.models import SignInAttempt

PASSWORD = "demo-password-2026"
LOCKED = "Too many attempts to sign in with this email address"


def _page(client, email, password, **kwargs):
    return client.post("/sign-in", data={"email": email, "password": password}, **kwargs)


def _token(app, email, password, address="127.0.0.1"):
    plain = app.test_client(use_cookies=False)
    return plain.post(
        "/api/v1/auth/token", json={"email": email, "password": password}, environ_base={"REMOTE_ADDR": address}
    )


def _fail_five_times(client, email):
    for _ in range(5):
        r = _page(client, email, "wrong-password-123")
        assert r.status_code == 200 and "Enter a correct email address and password" in r.text


def test_five_failures_lock_the_account_on_the_page_and_the_api(app, client):
    _fail_five_times(client, "office@demo.test")
    # The right password no longer works, from this browser ...
    r = _page(client, "office@demo.test", PASSWORD)
    assert r.status_code == 429
    assert "There is a problem" in r.text and LOCKED in r.text and "Wait 15 minutes" in r.text
    assert int(r.headers["Retry-After"]) > 14 * 60
    assert client.get("/home").status_code == 302  # not signed in
    # ... from another browser on another address ...
    other = app.test_client()
    r = _page(other, "office@demo.test", PASSWORD, environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert r.status_code == 429
    # ... nor for an API client.
    r = _token(app, "office@demo.test", PASSWORD, address="10.9.9.9")
    assert r.status_code == 429 and r.mimetype == "application/problem+json"
    assert LOCKED in r.json["detail"] and int(r.headers["Retry-After"]) > 14 * 60
    # Another account is not affected.
    assert _token(app, "chair@demo.test", PASSWORD).status_code == 201


def test_failures_on_the_token_endpoint_count_too(app):
    for _ in range(5):
        assert _token(app, "chair@demo.test", "wrong-password-123").status_code == 401
    assert _token(app, "chair@demo.test", PASSWORD).status_code == 429


def test_an_unknown_email_is_locked_the_same_way(app, client):
    """The answers never tell whether an email has an account."""
    _fail_five_times(client, "nobody-here@demo.test")
    r = _page(client, "nobody-here@demo.test", PASSWORD)
    assert r.status_code == 429 and LOCKED in r.text
    assert _token(app, "nobody-here@demo.test", "x-password-123").status_code == 429


def test_after_the_lockout_the_right_password_works_and_resets_the_count(app, client):
    _fail_five_times(client, "office@demo.test")
    assert _page(client, "office@demo.test", PASSWORD).status_code == 429
    # Fifteen minutes later (the attempts are moved back in time, as the clock would).
    for attempt in db.session.scalars(sa.select(SignInAttempt)):
        attempt.at -= timedelta(minutes=16)
    db.session.flush()
    r = _page(client, "office@demo.test", PASSWORD)
    assert r.status_code == 302 and r.headers["Location"] == "/home"
    client.post("/sign-out")
    # The count starts again: four more failures do not lock it.
    for _ in range(4):
        _page(client, "office@demo.test", "wrong-password-123")
    assert _page(client, "office@demo.test", PASSWORD).status_code == 302


def test_failures_spread_over_more_than_the_window_do_not_lock(client):
    _fail_five_times(client, "office@demo.test")
    first = db.session.scalars(sa.select(SignInAttempt).order_by(SignInAttempt.id).limit(1)).one()
    first.at = first.at - timedelta(minutes=20)  # the first of the five was long before the others
    db.session.flush()
    assert _page(client, "office@demo.test", PASSWORD).status_code == 302


def test_one_address_is_limited_whatever_emails_it_tries(app):
    for i in range(app.config["SIGN_IN_ADDRESS_MAX_FAILURES"]):
        assert _token(app, f"guess-{i}@demo.test", "wrong-password-123", address="192.0.2.7").status_code == 401
    r = _token(app, "office@demo.test", PASSWORD, address="192.0.2.7")
    assert r.status_code == 429 and "from your network" in r.json["detail"]
    assert _token(app, "office@demo.test", PASSWORD, address="192.0.2.8").status_code == 201


def test_attempts_name_nobody(client):
    _page(client, "office@demo.test", "wrong-password-123")
    row = db.session.scalars(sa.select(SignInAttempt)).one()
    assert "office" not in row.email_hash and len(row.email_hash) == 64
    assert row.address == "127.0.0.1" and row.succeeded is False


def test_the_forwarded_address_counts_only_behind_a_trusted_proxy(app):
    forwarded = {"X-Forwarded-For": "203.0.113.5", "X-Forwarded-Proto": "https"}
    plain = app.test_client(use_cookies=False)
    plain.post("/api/v1/auth/token", json={"email": "a@demo.test", "password": "wrong-password-123"}, headers=forwarded)
    proxied_app = create_app(
        {**{k: app.config[k] for k in ("SECRET_KEY", "SQLALCHEMY_DATABASE_URI", "UPLOAD_FOLDER")}, "TRUSTED_PROXIES": 1}
    )
    proxied = proxied_app.test_client(use_cookies=False)
    proxied.post(
        "/api/v1/auth/token", json={"email": "b@demo.test", "password": "wrong-password-123"}, headers=forwarded
    )
    with proxied_app.app_context():
        db.engine.dispose()
    addresses = db.session.scalars(sa.select(SignInAttempt.address).order_by(SignInAttempt.id)).all()
    assert addresses == ["127.0.0.1", "203.0.113.5"]


def test_the_daily_job_forgets_attempts_older_than_30_days(client):
    from safeguarding.jobs.accounts import forget_sign_in_attempts

    for _ in range(2):
        _page(client, "office@demo.test", "wrong-password-123")
    old, recent = db.session.scalars(sa.select(SignInAttempt).order_by(SignInAttempt.id)).all()
    today = old.at.date()
    old.at = old.at - timedelta(days=31)
    recent.at = recent.at - timedelta(days=29)
    db.session.flush()
    assert forget_sign_in_attempts(today) == {"deleted": 1}
    assert db.session.scalars(sa.select(SignInAttempt.id)).all() == [recent.id]
