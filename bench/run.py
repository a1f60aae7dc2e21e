"""Time the main pages and API lists through the WSGI app and count their SQL queries.

    python -m bench.run [--database-url URL] [--requests 30] [--regenerate]

The database (SQLite in bench/out/ by default, or e.g. postgresql://…/bench, which must
exist) is generated first when it is empty, or with --regenerate (which replaces whatever
it holds).
Prints p50/p95 (ms) and queries per request for each URL, and marks anything over the
budgets (15 queries; p95 100 ms on SQLite at full size): any over makes the exit status 1.
Features add URLs in bench/pages.py."""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from functools import partial
from pathlib import Path

import sqlalchemy as sa

from bench.generate import DEFAULT_URL, bench_app, generate
from safeguarding.config import normalise_database_url
from safeguarding.extensions import db
from safeguarding.models import Role, User
from safeguarding.services import accounts

QUERY_BUDGET = 15
P95_BUDGET_MS = 100.0


def _client(app, role: Role):
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == f"{role.value}@bench.example"))
        key = accounts.start_session(user, app.permanent_session_lifetime)
        db.session.commit()
    client = app.test_client()
    with client.session_transaction() as s:
        s["_user_id"] = key
        s["_fresh"] = True
    return client


def _count(counter: dict, conn, cursor, statement: str, *args) -> None:
    """Count a statement as tests/conftest.py's count_queries does: not the BEGIN the app
    sends on SQLite (nor savepoints), so both databases count the same queries."""
    if not statement.lstrip().upper().startswith(("BEGIN", "SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")):
        counter["n"] += 1


def contents(database_url: str) -> str:
    """ "empty" (no SQLite file, or no tables), "bench" (the generated partnership's
    accounts are there) or "other" (some other database: left alone)."""
    if database_url.startswith("sqlite:///") and not Path(database_url.removeprefix("sqlite:///")).exists():
        return "empty"
    engine = sa.create_engine(normalise_database_url(database_url))
    try:
        with engine.connect() as conn:
            inspector = sa.inspect(conn)
            if not inspector.get_table_names():
                return "empty"
            bench = inspector.has_table(User.__tablename__) and conn.scalar(
                sa.select(sa.func.count()).select_from(User.__table__).where(User.email.like("%@bench.example"))
            )
            return "bench" if bench else "other"
    finally:
        engine.dispose()


def main() -> int:
    from bench.pages import pages

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--regenerate", action="store_true")
    args = parser.parse_args()
    found = None if args.regenerate else contents(args.database_url)
    if found == "other":
        print(
            f"{args.database_url} holds other data: pass --regenerate to replace it with the bench's", file=sys.stderr
        )
        return 2
    if found != "bench":
        generate(args.database_url)
    app = bench_app(args.database_url)
    counter = {"n": 0}
    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", partial(_count, counter))
        url_list = pages(db.session)
    print(f"{'URL':60} {'role':18} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    failures = 0
    for role, url in url_list:
        client = _client(app, role)
        client.get(url)  # warm up
        times, queries = [], []
        for _ in range(args.requests):
            counter["n"] = 0
            t0 = time.perf_counter()
            r = client.get(url)
            times.append((time.perf_counter() - t0) * 1000)
            queries.append(counter["n"])
            if r.status_code != 200:
                print(f"{url}: HTTP {r.status_code}", file=sys.stderr)
                failures += 1
                break
        times.sort()
        p50 = statistics.median(times)
        p95 = times[max(0, int(len(times) * 0.95) - 1)]
        q = max(queries)
        over = q > QUERY_BUDGET or (args.database_url.startswith("sqlite") and p95 > P95_BUDGET_MS)
        failures += over
        print(f"{url[:60]:60} {role.value:18} {p50:8.1f} {p95:8.1f} {q:8d}{'  OVER BUDGET' if over else ''}")
    failures += time_jobs(app)
    return 1 if failures else 0


def time_jobs(app) -> int:
    """Run each job in bench.pages.JOBS once for today over the generated data (its work
    rolled back) and compare the time with its budget."""
    from bench.pages import JOBS
    from safeguarding import jobs
    from safeguarding.calendar import today
    from safeguarding.services import audit

    failures = 0
    print(f"{'job':60} {'ms':>8} {'budget':>8}")
    for name, budget_ms in JOBS:
        with app.app_context():
            spec = jobs.get(name)
            t0 = time.perf_counter()
            with audit.acting_as(f"system: {name}"):
                counts = spec.fn(today())
                db.session.flush()
            elapsed = (time.perf_counter() - t0) * 1000
            db.session.rollback()
        over = elapsed > budget_ms
        failures += over
        print(f"{name:60} {elapsed:8.0f} {budget_ms:8.0f}  {counts}{'  OVER BUDGET' if over else ''}")
    return failures


if __name__ == "__main__":
    sys.exit(main())
