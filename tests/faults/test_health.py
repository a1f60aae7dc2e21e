"""Is the machinery alive? `/healthz` says the process is up (without the database);
`/readyz` says whether it is ready to serve — database, migrations at head, the
scheduler's heartbeat fresh, the mail backlog — in JSON, with no sign-in and no personal
data, 200 or 503 naming what fails; the office's home page says when the daily jobs or
the outbox have not run for longer than expected. Time passing is simulated by moving
the heartbeats into the past."""

from __future__ import annotations

import json
import sqlite3
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa

from safeguarding import create_app
from safeguarding.calendar import LONDON
from safeguarding.extensions import Session, db
from safeguarding.jobs import health
from safeguarding.models import Heartbeat, OutboxMessage, OutboxStatus
from safeguarding.models.base import utcnow
from safeguarding.notify import queue_email
from tests.support import databases
from tests.support.committed import committed_app
from tests.support.databases import TEST_SECRET_KEY


def _beat(name: str, ago: timedelta) -> None:
    health.beat(name)
    db.session.execute(sa.update(Heartbeat).where(Heartbeat.name == name).values(beat_at=utcnow() - ago))
    db.session.flush()


def _waiting() -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(OutboxMessage).where(OutboxMessage.status.in_(health.WAITING))
    )


def _pending_email() -> None:
    message = queue_email(["office@demo.test"], "Waiting", "message", {"text": "waiting"}, kind="test_health")
    message.status = OutboxStatus.pending
    db.session.flush()


def test_readyz_is_ready_when_the_scheduler_beats_and_says_what_fails_when_not(client, app):
    _beat(health.SCHEDULER, timedelta(minutes=9))  # within SCHEDULER_HEARTBEAT_STALE_MINUTES (10)
    r = client.get("/readyz")
    assert r.status_code == 200, r.json
    assert r.json["status"] == "ready" and "failing" not in r.json
    checks = r.json["checks"]
    assert checks["database"] == {"ok": True}
    assert checks["migrations"]["ok"] and checks["migrations"]["current"] == checks["migrations"]["head"]
    assert checks["scheduler"]["ok"] and 9 * 60 <= checks["scheduler"]["age_seconds"] < 10 * 60
    assert checks["mail_backlog"] == {"ok": True, "waiting": _waiting()}
    assert r.headers["Cache-Control"] == "no-store"

    # The scheduler stopped beating eleven minutes ago.
    _beat(health.SCHEDULER, timedelta(minutes=app.config["SCHEDULER_HEARTBEAT_STALE_MINUTES"] + 1))
    r = client.get("/readyz")
    assert r.status_code == 503 and r.json["status"] == "not ready" and r.json["failing"] == ["scheduler"]
    assert r.json["checks"]["database"]["ok"] and r.json["checks"]["migrations"]["ok"]


def test_readyz_fails_when_the_scheduler_never_beat(client):
    db.session.execute(sa.delete(Heartbeat))
    r = client.get("/readyz")
    assert r.status_code == 503 and r.json["failing"] == ["scheduler"]
    assert r.json["checks"]["scheduler"] == {"ok": False, "error": "the scheduler has never recorded a heartbeat"}


def test_readyz_fails_when_the_migrations_are_not_at_head(client):
    _beat(health.SCHEDULER, timedelta(0))
    db.session.execute(sa.text("UPDATE alembic_version SET version_num = '7c1e5a9b3f10'"))
    r = client.get("/readyz")
    assert r.status_code == 503 and r.json["failing"] == ["migrations"]
    assert r.json["checks"]["migrations"]["current"] == ["7c1e5a9b3f10"]
    assert r.json["checks"]["migrations"]["head"] != ["7c1e5a9b3f10"]


def test_the_mail_backlog_is_counted_from_the_outbox_and_never_fails_readiness(client):
    _beat(health.SCHEDULER, timedelta(0))
    before = client.get("/readyz").json["checks"]["mail_backlog"]["waiting"]
    for _ in range(3):
        _pending_email()
    r = client.get("/readyz")
    assert r.status_code == 200 and r.json["checks"]["mail_backlog"] == {"ok": True, "waiting": before + 3}


def test_readyz_and_healthz_carry_no_personal_data_and_need_no_sign_in(client):
    _beat(health.SCHEDULER, timedelta(0))
    _pending_email()
    for url in ("/healthz", "/readyz"):
        r = client.get(url)
        assert r.status_code == 200 and r.mimetype == "application/json"
        text = json.dumps(r.json)
        assert "@" not in text and "office" not in text.lower() and "Waiting" not in text


def test_with_the_database_unreachable_healthz_is_up_and_readyz_names_the_database(monkeypatch):
    """A web process whose database is down is alive (nothing to restart) but not ready."""
    app = create_app({"SECRET_KEY": TEST_SECRET_KEY, "SQLALCHEMY_DATABASE_URI": "postgresql://nobody@127.0.0.1:1/none"})
    monkeypatch.setattr(db, "session", db._make_scoped_session({"class_": Session}))
    client = app.test_client()
    try:
        r = client.get("/healthz")
        assert r.status_code == 200 and r.json == {"status": "ok"}
        r = client.get("/readyz")
        assert r.status_code == 503
        assert r.json["failing"] == ["database", "mail_backlog", "migrations", "scheduler"]
        assert r.json["checks"]["database"] == {"ok": False, "error": "OperationalError"}
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


# --- the office's home page ------------------------------------------------------------------


def _home(client_as, who: str = "office") -> str:
    return client_as(who).get("/home").get_data(as_text=True)


def test_the_home_page_says_when_the_daily_jobs_have_not_run_for_more_than_a_day(client_as):
    _beat(health.DAILY_JOBS, timedelta(hours=2))
    assert "Daily jobs have not run" not in _home(client_as)

    _beat(health.DAILY_JOBS, timedelta(hours=26))  # yesterday's run, and today's is late
    last = (utcnow() - timedelta(hours=26)).astimezone(LONDON)
    html = _home(client_as)
    assert f"Daily jobs have not run since {last.day} {last:%B}" in html
    assert 'data-key="jobs.machinery_late"' in html and "/jobs" in html
    # For the business office only.
    assert "Daily jobs have not run" not in _home(client_as, "chair")


def test_the_home_page_says_when_the_outbox_has_not_run_while_mail_waits(client_as, app):
    _beat(health.DAILY_JOBS, timedelta(hours=1))
    stale = app.config["SCHEDULER_HEARTBEAT_STALE_MINUTES"]
    _beat(health.OUTBOX, timedelta(minutes=stale + 50))
    db.session.execute(
        sa.update(OutboxMessage).where(OutboxMessage.status.in_(health.WAITING)).values(status=OutboxStatus.sent)
    )
    assert "Email has not been sent" not in _home(client_as)  # nothing waits: nothing to say

    _pending_email()
    _pending_email()
    last = (utcnow() - timedelta(minutes=stale + 50)).astimezone(LONDON)
    assert f"Email has not been sent since {last:%H:%M} on {last.day} {last:%B}; 2 emails waiting" in _home(client_as)

    _beat(health.OUTBOX, timedelta(minutes=1))  # the outbox runs again
    assert "Email has not been sent" not in _home(client_as)


@pytest.mark.parametrize("late", [False, True])
def test_the_machinery_panel_costs_one_statement(count_queries, late):
    _beat(health.DAILY_JOBS, timedelta(hours=30 if late else 1))
    with count_queries() as q:
        found = health.late()
    assert q.count == 1 and bool(found) == late


@pytest.mark.slow
def test_readyz_does_not_wait_for_a_job_holding_sqlite_s_write_lock(tmp_path):
    """A long job holds SQLite's write lock for its whole transaction; the readiness check
    only reads, so it answers at once rather than after the busy timeout."""
    if databases.backend() != "sqlite":
        pytest.skip("SQLite's write lock")
    with committed_app(tmp_path, "readyz_locked", SQLITE_BUSY_TIMEOUT=5) as (app, url):
        with app.app_context():
            health.beat(health.SCHEDULER)
            db.session.remove()
        holder = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            started = time.monotonic()
            r = app.test_client().get("/readyz")
            elapsed = time.monotonic() - started
        finally:
            holder.rollback()
            holder.close()
    assert r.status_code == 200, r.json
    assert elapsed < 3, elapsed
