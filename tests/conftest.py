"""Test fixtures.

- The demo partnership is built once per run (the migrations, then the demo) as a
  template, and each process of the run (pytest-xdist workers: `make test` runs `-n 2`)
  works on a copy of its own: SQLite by default, PostgreSQL when
  SAFEGUARDING_TEST_DB=postgresql (the server from TEST_DATABASE_URL; `make test` runs the
  suite on both). See tests/support/databases.py.
- Every test runs inside an outer transaction that is rolled back afterwards; the code
  under test commits to SAVEPOINTs ("joining a Session into an external transaction").
- Each test client request gets its own session (a fresh identity map), like production.
- `client_as("office")` gives a client signed in as a demo account; `demo` finds the demo
  partnership's records; factories in tests/support/factories.py make more.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient

# The demo partnership is a snapshot of one day: the suite runs on that day whatever the
# clock says (calendar.today() honours SAFEGUARDING_TODAY; subprocesses inherit it).
os.environ.setdefault("SAFEGUARDING_TODAY", "2026-12-03")

from safeguarding.extensions import Session, db
from safeguarding.services import accounts
from tests.support import databases, run
from tests.support.client import BASE_URL, BrowserLikeClient
from tests.support.demo import Demo

# Fast, still-real argon2 for tests (production keeps the library's defaults).
accounts._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
accounts._DUMMY_HASH = accounts._hasher.hash("not-a-real-password-for-timing")


def pytest_report_header(config: Any) -> str:
    return f"database: {databases.backend()}"


@pytest.fixture(scope="session")
def _demo_database(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Any, dict[str, dict[str, int]]]:
    """(URL, upload folder, demo ids): this process's copy of the run's demo template."""
    uploads = tmp_path_factory.mktemp("uploads")
    url, ids = databases.demo_database(tmp_path_factory.mktemp("db"), uploads)
    return url, uploads, ids


@pytest.fixture(scope="session")
def database_url(_demo_database: tuple) -> str:
    return _demo_database[0]


@pytest.fixture(scope="session")
def app(_demo_database: tuple) -> Iterator[Flask]:
    url, uploads, _ = _demo_database
    app = databases.build_app(url, uploads)  # the migrations find the copy at head
    app.test_client_class = BrowserLikeClient
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def demo_ids(_demo_database: tuple) -> dict[str, dict[str, int]]:
    return _demo_database[2]


@pytest.fixture(autouse=True)
def _transaction(app: Flask, demo_ids: dict) -> Iterator[None]:
    with app.app_context():
        # The outer transaction every request of the test joins: begun deferred, so that
        # a test may also read with a connection of its own (the app's own transactions
        # take SQLite's write lock when they begin; see create_app).
        connection = db.engine.connect().execution_options(sqlite_deferred_begin=True)
        outer = connection.begin()
        original = db.session
        db.session = db._make_scoped_session(
            {"class_": Session, "bind": connection, "join_transaction_mode": "create_savepoint"}
        )
        try:
            yield
        finally:
            db.session.remove()
            db.session = original
            outer.rollback()
            connection.close()


@pytest.fixture
def demo(demo_ids: dict) -> Demo:
    return Demo(demo_ids)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def client_as(app: Flask, demo: Demo):
    """`client_as("office")` → a client signed in as office@demo.test (or pass a User)."""

    def make(who: Any) -> FlaskClient:
        user = demo.user(who) if isinstance(who, str) else who
        c = app.test_client()
        key = accounts.start_session(user, app.permanent_session_lifetime)
        db.session.flush()
        with c.session_transaction(base_url=BASE_URL) as s:
            s["_user_id"] = key
            s["_fresh"] = True
        c.user = user  # type: ignore[attr-defined]
        return c

    return make


@pytest.fixture
def api_as(app: Flask, demo: Demo):
    """`api_as("office")` → a client whose requests carry a bearer token (no cookies)."""

    def make(who: Any) -> FlaskClient:
        user = demo.user(who) if isinstance(who, str) else who
        token, _ = accounts.issue_token(user, app.config["API_TOKEN_LIFETIME"])
        db.session.flush()
        c = app.test_client(use_cookies=False)
        c.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        c.user = user  # type: ignore[attr-defined]
        return c

    return make


class QueryCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)

    def __repr__(self) -> str:
        return f"<{self.count} queries>\n" + "\n".join(self.statements)


@pytest.fixture
def count_queries(app: Flask):
    """`with count_queries() as q: client.get(...)` then `assert q.count <= 15`.
    SAVEPOINT bookkeeping of the test harness is not counted."""

    @contextmanager
    def counting() -> Iterator[QueryCounter]:
        counter = QueryCounter()

        def before(conn, cursor, statement, parameters, context, executemany):
            s = statement.strip().upper()
            if s.startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT", "BEGIN")):
                return
            counter.statements.append(statement)

        engine = db.engine
        sa.event.listen(engine, "before_cursor_execute", before)
        try:
            yield counter
        finally:
            sa.event.remove(engine, "before_cursor_execute", before)

    return counting


_STARTS_THE_RUN = pytest.StashKey[bool]()


def pytest_configure(config: Any) -> None:
    os.environ.setdefault("SAFEGUARDING_TESTING", "1")
    # Before pytest-xdist starts its workers (at session start), so that they inherit it.
    config.stash[_STARTS_THE_RUN] = run.start()


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: Any, log: Any) -> Any:
    """With workers (`-n 2`), tests that share a server go to one worker together."""
    if config.getoption("dist") == "load":  # the default of -n; an explicit other --dist wins
        from tests.support.scheduling import SharedServerScheduling

        return SharedServerScheduling(config, log)
    return None


def pytest_collection_modifyitems(config: Any, items: list[pytest.Item]) -> None:
    if hasattr(config, "workerinput"):  # a pytest-xdist worker
        from tests.support.scheduling import longest_first

        longest_first(items)


def pytest_unconfigure(config: Any) -> None:
    if config.stash.get(_STARTS_THE_RUN, False):
        databases.end_run()
        run.end()


# --- browser tests -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory):
    from tests.support.browser import LiveServer

    workdir = tmp_path_factory.mktemp("live")
    server = LiveServer(databases.fresh_database("live", workdir), workdir).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    from tests.support.browser import CHROMIUM

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def browse(chromium, live_server):
    """`browse("office")` → a Browse tab signed in as office@demo.test; `browse()` anonymous."""
    from tests.support.browser import Browse

    contexts = []

    def make(who: str | None = None) -> Browse:
        # bypass_csp lets the test inject axe-core; the app's own pages keep their CSP.
        context = chromium.new_context(bypass_csp=True, locale="en-GB")
        contexts.append(context)
        b = Browse(context.new_page(), live_server.url)
        if who:
            b.sign_in(who)
        return b

    yield make
    for context in contexts:
        context.close()
