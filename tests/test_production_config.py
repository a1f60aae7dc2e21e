"""The app as production builds it: `create_app()` with nothing but the environment
(DATABASE_URL and SECRET_KEY), no test overrides, over HTTPS as behind the production
proxy. Sign in on the page, get a token as a plain API client, read and write."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask

from safeguarding import create_app
from safeguarding.extensions import db
from safeguarding.models import Dispute
from tests.support.client import BrowserLikeClient

PASSWORD = "demo-password-2026"


@pytest.fixture
def production_app(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("SECRET_KEY", "a-production-like-secret-key")
    prod = create_app()
    prod.test_client_class = BrowserLikeClient
    yield prod
    with prod.app_context():
        db.engine.dispose()


def test_the_configuration_is_production_s(production_app):
    config = production_app.config
    assert config["WTF_CSRF_ENABLED"] is True
    assert config["SESSION_COOKIE_SECURE"] is True
    assert production_app.testing is False and production_app.debug is False


def test_sign_in_on_the_page(production_app):
    browser = production_app.test_client()
    page = browser.get("/sign-in")
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text).group(1)
    r = browser.post(
        "/sign-in",
        data={"email": "office@demo.test", "password": PASSWORD, "csrf_token": token},
        headers={"Referer": "https://localhost/sign-in"},
        csrf=False,
    )
    assert r.status_code == 302 and r.headers["Location"] == "/home"
    assert "Secure" in r.headers["Set-Cookie"]
    assert browser.get("/home").status_code == 200
    # A cookie-authenticated write without the token is refused.
    refused = browser.post(
        "/api/v1/disputes", json={"subject": "x", "summary": "y", "party_organisation_ids": [1, 2]}, csrf=False
    )
    assert refused.status_code == 400


def test_a_plain_api_client_signs_in_reads_and_writes(production_app):
    plain = production_app.test_client(use_cookies=False)
    r = plain.post("/api/v1/auth/token", json={"email": "office@demo.test", "password": PASSWORD})
    assert r.status_code == 201, r.json
    auth = {"Authorization": f"Bearer {r.json['token']}"}

    listed = plain.get("/api/v1/disputes?all=true", headers=auth)
    assert listed.status_code == 200 and listed.json["total"] >= 5

    created = plain.post(
        "/api/v1/disputes",
        headers=auth,
        json={
            "subject": "Written by a plain client",
            "summary": "No cookie, no CSRF token: a bearer token.",
            "party_organisation_ids": [1, 2],
        },
    )
    assert created.status_code == 201, created.json
    assert (
        db.session.scalar(sa.select(Dispute.subject).where(Dispute.id == created.json["id"]))
        == "Written by a plain client"
    )

    assert (
        plain.post("/api/v1/auth/token", json={"email": "office@demo.test", "password": "not-it-123"}).status_code
        == 401
    )


def test_postgresql_sessions_wait_for_locks_briefly_and_plan_each_statement_for_its_values(production_app):
    """A lock held too long fails the statement (a 503, not a hung worker); and no prepared
    statement keeps a generic plan (the office's filtered search went 9 → 300 ms on one)."""
    with production_app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("PostgreSQL's session settings")
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("SHOW plan_cache_mode").scalar() == "force_custom_plan"
            assert (
                conn.exec_driver_sql("SELECT setting FROM pg_settings WHERE name = 'lock_timeout'").scalar()
                == f"{int(production_app.config['DATABASE_LOCK_TIMEOUT'] * 1000)}"  # in ms
            )
