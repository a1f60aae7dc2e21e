"""When the database stays busy past the timeout (another transaction holds the lock
it needs), the answer is 503 with Retry-After — a clear message, never a 500 — and
nothing of the request is written."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import Dispute, Organisation
from safeguarding.services import accounts
from tests.support.committed import committed_app
from tests.support.databases import backend
from tests.support.factories import UserFactory

pytestmark = pytest.mark.slow


@contextmanager
def _lock_held(url: str, table: str) -> Iterator[None]:
    """Another connection holding the lock a write to `table` needs."""
    if backend() == "sqlite":
        conn = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
    else:
        plain = url.replace("postgresql+psycopg://", "postgresql://")
        conn = psycopg.connect(plain)
        conn.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
    try:
        yield
    finally:
        conn.rollback()
        conn.close()


def test_a_busy_database_answers_503_with_retry_after_and_writes_nothing(tmp_path):
    with committed_app(tmp_path, "busy", SQLITE_BUSY_TIMEOUT=0.3, DATABASE_LOCK_TIMEOUT=0.3) as (app, url):
        with app.app_context():
            office = UserFactory(email="busy.office@example.test", roles=["business_office"])
            north = Organisation(name="North Council", short_name="North", kind="local_authority")
            west = Organisation(name="West Council", short_name="West", kind="local_authority")
            db.session.add_all([north, west])
            db.session.flush()
            token, _ = accounts.issue_token(office, app.config["API_TOKEN_LIFETIME"])
            parties = [north.id, west.id]
            db.session.commit()
        client = app.test_client(use_cookies=False)
        body = {
            "subject": "While the database is busy",
            "summary": "Nothing should be written.",
            "party_organisation_ids": parties,
        }
        with _lock_held(url, "disputes"):
            r = client.post("/api/v1/disputes", json=body, headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 503, r.get_data(as_text=True)
        assert r.mimetype == "application/problem+json" and "nothing was saved" in r.json["detail"]
        assert r.headers["Retry-After"] == str(app.config["BUSY_RETRY_AFTER"])
        with app.app_context():
            assert db.session.scalar(sa.select(sa.func.count()).select_from(Dispute)) == 0
        # Once the lock is gone the same request works.
        r = client.post("/api/v1/disputes", json=body, headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 201, r.json
