"""Signing in and out, sessions that die server-side, CSRF, bearer tokens, cookies."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import AuditEntry, LoginSession, Organisation, Role
from safeguarding.services import accounts
from tests.support.factories import UserFactory

PASSWORD = "demo-password-2026"


def test_sign_in_with_the_right_password(client):
    r = client.post("/sign-in", data={"email": "Office@Demo.Test ", "password": PASSWORD})
    assert r.status_code == 302 and r.headers["Location"] == "/home"
    assert client.get("/home").status_code == 200
    assert (
        db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(AuditEntry.action == "sign_in")) == 1
    )


def test_wrong_password_and_unknown_email_get_the_same_message(client):
    for email, password in (("office@demo.test", "wrong-password-123"), ("nobody@demo.test", PASSWORD)):
        r = client.post("/sign-in", data={"email": email, "password": password})
        assert r.status_code == 200
        assert "Enter a correct email address and password" in r.text
        assert 'href="#email"' in r.text
    assert client.get("/home").status_code == 302


def test_sign_in_form_errors_are_summarised(client):
    r = client.post("/sign-in", data={"email": "not-an-email", "password": ""})
    assert "There is a problem" in r.text
    assert "Enter an email address in the correct format" in r.text
    assert "Enter your password" in r.text
    assert r.text.startswith("<!DOCTYPE html>") and "<title>Error: Sign in" in r.text


def test_deactivated_user_cannot_sign_in(client, demo):
    demo.user("viewer").active = False
    db.session.flush()
    r = client.post("/sign-in", data={"email": "viewer@demo.test", "password": PASSWORD})
    assert "Enter a correct email address and password" in r.text


def test_next_must_be_a_local_path(client):
    r = client.post("/sign-in?next=https://evil.example/x", data={"email": "office@demo.test", "password": PASSWORD})
    assert r.headers["Location"] == "/home"
    client.post("/sign-out")
    r = client.post("/sign-in?next=/organisations", data={"email": "office@demo.test", "password": PASSWORD})
    assert r.headers["Location"] == "/organisations"


def test_a_copied_cookie_stops_working_after_sign_out(client, app):
    client.post("/sign-in", data={"email": "office@demo.test", "password": PASSWORD})
    cookie = client.get_cookie("sp_session").value
    thief = app.test_client()
    thief.set_cookie("sp_session", cookie)
    assert thief.get("/home").status_code == 200
    client.post("/sign-out")
    assert thief.get("/home").status_code == 302
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(LoginSession).where(LoginSession.revoked_at.is_not(None))
        )
        >= 1
    )


def test_deactivating_a_user_ends_their_sessions_and_tokens(client_as, api_as, demo):
    viewer = demo.user("viewer")
    page = client_as(viewer)
    api = api_as(viewer)
    assert page.get("/home").status_code == 200
    assert api.get("/api/v1/me").status_code == 200
    accounts.deactivate_user(viewer, demo.user("admin"))
    assert page.get("/home").status_code == 302
    assert api.get("/api/v1/me").status_code == 401


def test_expired_session_is_refused(client_as, demo):
    c = client_as("office")
    session_row = db.session.scalar(
        sa.select(LoginSession).where(LoginSession.user_id == demo.user("office").id).order_by(LoginSession.id.desc())
    )
    session_row.expires_at = session_row.created_at - timedelta(seconds=1)
    db.session.flush()
    assert c.get("/home").status_code == 302


def test_forms_need_a_csrf_token(client):
    r = client.post("/sign-in", data={"email": "office@demo.test", "password": PASSWORD}, csrf=False)
    assert r.status_code == 400
    page = client.get("/sign-in").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    r = client.post(
        "/sign-in",
        data={"email": "office@demo.test", "password": PASSWORD, "csrf_token": token},
        headers={"Referer": "https://localhost/sign-in"},
        csrf=False,
    )
    assert r.status_code == 302


def test_a_form_posted_from_another_site_is_refused(client):
    """Over HTTPS the token must come with a same-origin Referer, as Flask-WTF checks."""
    page = client.get("/sign-in").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    r = client.post(
        "/sign-in",
        data={"email": "office@demo.test", "password": PASSWORD, "csrf_token": token},
        headers={"Referer": "https://evil.example/"},
        csrf=False,
    )
    assert r.status_code == 400


def test_cookie_authenticated_api_writes_need_csrf_but_bearer_tokens_do_not(client_as, api_as):
    body = {"name": "New Partner", "short_name": "New", "kind": "other"}
    r = client_as("office").post("/api/v1/organisations", json=body, csrf=False)
    assert r.status_code == 400 and r.mimetype == "application/problem+json"
    assert "CSRF" in r.json["detail"]
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(Organisation).where(Organisation.name == "New Partner")
        )
        == 0
    )
    r = client_as("office").post("/api/v1/organisations", json=body)  # with the token, as a page's script sends it
    assert r.status_code == 201, r.json
    r = api_as("office").post("/api/v1/organisations", json={**body, "name": "Another Partner", "short_name": "A"})
    assert r.status_code == 201, r.json


def test_a_plain_api_client_gets_a_token_without_any_cookie(app):
    """No cookie, no CSRF token: what a script or integration sends."""
    plain = app.test_client(use_cookies=False)
    r = plain.post("/api/v1/auth/token", json={"email": "office@demo.test", "password": PASSWORD})
    assert r.status_code == 201, r.json
    assert set(r.json) == {"token", "expires_at"}
    me = plain.get("/api/v1/me", headers={"Authorization": f"Bearer {r.json['token']}"})
    assert me.status_code == 200 and me.json["email"] == "office@demo.test"
    # ... and writes with it, again with no cookie and no CSRF token.
    r = plain.post(
        "/api/v1/organisations",
        json={"name": "Plain Client Partner", "short_name": "PCP", "kind": "other"},
        headers={"Authorization": f"Bearer {r.json['token']}"},
    )
    assert r.status_code == 201, r.json


def test_wrong_password_and_unknown_email_get_the_same_401_from_the_token_endpoint(app):
    plain = app.test_client(use_cookies=False)
    answers = []
    for email, password in (("office@demo.test", "wrong-password-123"), ("nobody@demo.test", PASSWORD)):
        r = plain.post("/api/v1/auth/token", json={"email": email, "password": password})
        assert r.status_code == 401 and r.mimetype == "application/problem+json"
        answers.append(r.json["detail"])
    assert answers[0] == answers[1]


def test_token_exchange_me_and_revocation(client):
    r = client.post("/api/v1/auth/token", json={"email": "chair@demo.test", "password": PASSWORD})
    assert r.status_code == 201
    token = r.json["token"]
    headers = {"Authorization": f"Bearer {token}"}
    me = client.get("/api/v1/me", headers=headers)
    assert me.status_code == 200
    assert me.json["email"] == "chair@demo.test" and me.json["roles"] == ["independent_chair"]
    assert client.delete("/api/v1/auth/token", headers=headers).status_code == 204
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_tokens_are_stored_hashed(client):
    token = client.post("/api/v1/auth/token", json={"email": "chair@demo.test", "password": PASSWORD}).json["token"]
    stored = db.session.execute(sa.text("SELECT token_hash FROM api_tokens")).scalars().all()
    assert token not in stored
    assert len(stored[-1]) == 64


def test_wrong_password_for_a_token_is_a_problem_response(client):
    r = client.post("/api/v1/auth/token", json={"email": "chair@demo.test", "password": "nope-nope-nope"})
    assert r.status_code == 401
    assert r.mimetype == "application/problem+json"
    assert r.json["title"] == "Unauthorized"


def test_session_cookie_flags(app, client):
    r = client.post("/sign-in", data={"email": "office@demo.test", "password": PASSWORD})
    cookie = r.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie
    assert app.config["SESSION_COOKIE_SECURE"] is True  # the suite runs as production, over HTTPS


def test_security_headers(client):
    r = client.get("/sign-in")
    assert r.headers["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in r.headers["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", r.headers["Content-Security-Policy"]).group(1)
    assert f'nonce="{nonce}"' in r.text


def test_change_password(client_as, demo):
    user = UserFactory(
        email="changer@example.test", password_hash=accounts.hash_password("old-password-123"), roles=[Role.viewer]
    )
    c = client_as(user)
    r = c.post(
        "/account/password",
        data={"current_password": "wrong", "new_password": "short", "confirm_password": "different"},
    )
    assert "The passwords do not match" in r.text
    r = c.post(
        "/account/password",
        data={
            "current_password": "wrong-password-1",
            "new_password": "a-long-new-password",
            "confirm_password": "a-long-new-password",
        },
    )
    assert "Your current password is incorrect" in r.text
    r = c.post(
        "/account/password",
        data={"current_password": "old-password-123", "new_password": "short", "confirm_password": "short"},
    )
    assert "Password must be 12 characters or more" in r.text
    r = c.post(
        "/account/password",
        data={
            "current_password": "old-password-123",
            "new_password": "a-long-new-password",
            "confirm_password": "a-long-new-password",
        },
    )
    assert r.status_code == 302
    assert accounts.authenticate("changer@example.test", "a-long-new-password") is not None
    assert accounts.authenticate("changer@example.test", "old-password-123") is None
