"""A database that cannot be written — read only, a full disk, a failing disk — answers
503 with the service's own page ("The service cannot save changes at the moment. Nothing
you entered has been saved.") or RFC 9457 problem JSON in the API; nothing is written;
that page needs no database; and the service recovers without a restart when the fault
is mended. Tried on a real server (`flask serve`: gunicorn): on SQLite the server's
processes are given a file-size limit of 0 (RLIMIT_FSIZE: every write to a file fails, as
on a full disk, whatever the user's privileges), on PostgreSQL its database is made read
only (`default_transaction_read_only`, its sessions ended)."""

from __future__ import annotations

import http.cookiejar
import re
import resource
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
from sqlalchemy.exc import OperationalError

from safeguarding import errors
from safeguarding.extensions import db
from safeguarding.services import accounts
from tests.support import databases
from tests.support.browser import PASSWORD, LiveServer
from tests.test_concurrency import _call, _opener

CANNOT_SAVE = "The service cannot save changes at the moment. Nothing you entered has been saved."


# --- which errors are storage faults ------------------------------------------------------


class _PgError(Exception):
    def __init__(self, sqlstate: str, message: str) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate


@pytest.mark.parametrize(
    "orig",
    [
        sqlite3.OperationalError("attempt to write a readonly database"),
        sqlite3.OperationalError("database or disk is full"),
        sqlite3.OperationalError("disk I/O error"),
        _PgError("25006", "cannot execute INSERT in a read-only transaction"),
        _PgError("53100", 'could not extend file "base/16384/16385": No space left on device'),
        _PgError("58030", 'could not write to file "pg_wal/xlogtemp.123": Input/output error'),
    ],
    ids=lambda e: str(e)[:40],
)
def test_storage_faults_are_recognised(orig):
    assert errors.database_unwritable(orig)


@pytest.mark.parametrize(
    "orig",
    [
        sqlite3.OperationalError("database is locked"),  # busy: its own 503
        _PgError("55P03", "canceling statement due to lock timeout"),
        sqlite3.IntegrityError("UNIQUE constraint failed: users.email"),
        _PgError("42P01", 'relation "nothing" does not exist'),  # a bug: a 500
    ],
    ids=lambda e: str(e)[:40],
)
def test_other_database_errors_are_not(orig):
    assert not errors.database_unwritable(orig)


def _fault(message: str = "database or disk is full") -> OperationalError:
    return OperationalError("INSERT INTO …", {}, sqlite3.OperationalError(message))


@contextmanager
def _no_statements_after(flag: list[bool]) -> Iterator[list[str]]:
    """Fail any SQL statement issued once `flag` is set (the test harness's savepoints
    aside); yield the statements that were refused."""
    refused: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        s = statement.strip().upper()
        if flag and not s.startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")):
            refused.append(statement)
            raise RuntimeError(f"the error path queried the database: {statement}")

    sa.event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield refused
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", before)


def test_the_page_needs_no_database_not_even_for_the_signed_in_user(client_as, monkeypatch):
    """The fault strikes while the signed-in user is looked up; the page is still the
    service's own, and nothing on the error path asks the database anything."""
    c = client_as("office")
    flag: list[bool] = []

    def failing(key):
        flag.append(True)
        raise _fault()

    monkeypatch.setattr(accounts, "load_session_user", failing)
    with _no_statements_after(flag) as refused:
        r = c.get("/home")
    assert r.status_code == 503 and flag and refused == []
    html = r.get_data(as_text=True)
    assert CANNOT_SAVE in html and "Sorry, the service cannot save changes" in html
    assert "Sign out" not in html and r.headers["Retry-After"] == str(errors.FAULT_RETRY_AFTER)


def test_a_fault_at_the_request_s_commit_answers_problem_json_in_the_api(api_as, monkeypatch):
    c = api_as("office")
    flag: list[bool] = []

    def failing_commit():
        flag.append(True)
        raise _fault("attempt to write a readonly database")

    monkeypatch.setattr(db.session, "commit", failing_commit)
    with _no_statements_after(flag) as refused:
        r = c.get("/api/v1/me")
    assert r.status_code == 503 and flag and refused == []
    assert r.mimetype == "application/problem+json"
    assert r.json["detail"] == CANNOT_SAVE and r.json["status"] == 503 and r.json["instance"] == "/api/v1/me"
    assert "overloaded" not in r.get_data(as_text=True)


def test_a_fault_at_a_page_s_commit_answers_the_service_s_page(client_as, monkeypatch):
    c = client_as("office")
    flag: list[bool] = []

    def failing_commit():
        flag.append(True)
        raise _fault("disk I/O error")

    monkeypatch.setattr(db.session, "commit", failing_commit)
    with _no_statements_after(flag):
        r = c.get("/accessibility")
    assert r.status_code == 503 and CANNOT_SAVE in r.get_data(as_text=True)


# --- a real server ---------------------------------------------------------------------------


@pytest.fixture
def server(tmp_path: Path):
    if databases.backend() == "sqlite":
        url = databases.fresh_database("faults", tmp_path)
    else:  # a database of its own: it is made read only
        url = databases._create_postgres_database("faults")
    live = LiveServer(url, tmp_path)
    live.env["WEB_WORKERS"], live.env["WEB_THREADS"] = "1", "2"
    live.database_url = url  # type: ignore[attr-defined]
    try:
        try:
            live.start()
        except RuntimeError:  # not up within LiveServer's 30 s: a loaded machine gets a minute more
            _wait_until_up(live, seconds=60)
    except BaseException:
        live.stop()  # the server process, if it was started
        raise
    yield live
    live.stop()


def _wait_until_up(live: LiveServer, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not _up(live):
        if time.monotonic() > deadline or live.process is None or live.process.poll() is not None:
            raise RuntimeError(f"the live server did not start; see {live.log.name}")
        time.sleep(0.5)


def _up(live: LiveServer) -> bool:
    try:
        return _call(_opener(), f"{live.url}/healthz").status == 200
    except OSError:
        return False


def _server_pids(server: LiveServer) -> list[int]:
    """gunicorn's master (the `flask serve` process) and its workers."""
    master = server.process.pid
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [master, *map(int, children)]


@contextmanager
def _broken_storage(server: LiveServer) -> Iterator[None]:
    url: str = server.database_url  # type: ignore[attr-defined]
    if databases.backend() == "sqlite":
        pids = _server_pids(server)
        limits = {pid: resource.prlimit(pid, resource.RLIMIT_FSIZE) for pid in pids}
        for pid, (_, hard) in limits.items():
            resource.prlimit(pid, resource.RLIMIT_FSIZE, (0, hard))  # every file write fails
        try:
            yield
        finally:
            for pid, limit in limits.items():
                resource.prlimit(pid, resource.RLIMIT_FSIZE, limit)
    else:
        name = sa.engine.make_url(url).database
        admin = psycopg.connect(databases._postgres_url().replace("postgresql+psycopg://", "postgresql://"))
        admin.autocommit = True
        end_sessions = "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s"
        admin.execute(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
        admin.execute(end_sessions, [name])
        try:
            yield
        finally:
            admin.execute(f'ALTER DATABASE "{name}" RESET default_transaction_read_only')
            admin.close()


def _count(server: LiveServer, table: str) -> int:
    url: str = server.database_url  # type: ignore[attr-defined]
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.scalar(sa.text(f"SELECT count(*) FROM {table}"))
    finally:
        engine.dispose()


@pytest.mark.slow
def test_a_database_that_cannot_be_written_answers_503_and_the_service_recovers_alone(server):
    token = _call(
        _opener(),
        f"{server.url}/api/v1/auth/token",
        method="POST",
        body={"email": "office@demo.test", "password": PASSWORD},
    ).body["token"]
    auth = {"Authorization": f"Bearer {token}"}
    dispute = {
        "subject": "While the disk is full",
        "summary": "Nothing may be saved.",
        "party_organisation_ids": [1, 2],
    }
    browser = _opener(http.cookiejar.CookieJar())
    sign_in = _call(browser, f"{server.url}/sign-in")
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', sign_in.body).group(1)
    form = {"email": "office@demo.test", "password": PASSWORD, "csrf_token": csrf}
    disputes, sessions = _count(server, "disputes"), _count(server, "login_sessions")

    with _broken_storage(server):
        api = _call(_opener(), f"{server.url}/api/v1/disputes", method="POST", body=dispute, headers=auth)
        page = _call(browser, f"{server.url}/sign-in", method="POST", form=form)
        health = _call(_opener(), f"{server.url}/healthz")

    assert api.status == 503, api.body
    assert api.headers["Content-Type"] == "application/problem+json"
    assert api.body["detail"] == CANNOT_SAVE and api.body["status"] == 503
    assert page.status == 503 and CANNOT_SAVE in page.body and "<title>Sorry, the service cannot save" in page.body
    assert health.status == 200  # the process is up
    assert (_count(server, "disputes"), _count(server, "login_sessions")) == (disputes, sessions)

    # Mended: the same requests work, with no restart.
    api = _call(_opener(), f"{server.url}/api/v1/disputes", method="POST", body=dispute, headers=auth)
    assert api.status == 201, api.body
    page = _call(browser, f"{server.url}/sign-in", method="POST", form=form)
    assert page.status == 302 and page.headers["Location"].endswith("/home")
    assert _call(browser, f"{server.url}/home").status == 200
    assert _count(server, "disputes") == disputes + 1
