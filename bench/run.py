"""Time the main pages and API lists through the WSGI app and count their SQL queries.

    python -m bench.run [--database-url URL] [--requests 30] [--regenerate]

The database (SQLite in bench/out/ by default, or e.g. postgresql://…/bench, which must
exist) is generated first when it is empty, or with --regenerate (which replaces whatever
it holds).
Prints p50/p95 (ms) and queries per request for each URL, then runs every daily job once
through the jobs runner (on a scratch copy of the data, so the bench data stays as
generated) and times it, and ends with a one-line summary. Budgets, on SQLite and on
PostgreSQL: p95 ≤ 25 ms and ≤ 15 queries per page, the daily jobs ≤ 2 s together; anything
over makes the exit status 1. Features add URLs in bench/pages.py."""

from __future__ import annotations

import argparse
import logging
import shutil
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
P95_BUDGET_MS = 25.0
JOBS_BUDGET_MS = 2000.0


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


def _measure(app, counter: dict, role: Role, url: str, requests: int) -> tuple[float, float, int, int | None]:
    """p50 and p95 (ms) and the most queries over `requests` GETs of `url` as `role`;
    the HTTP status when it is not 200."""
    client = _client(app, role)
    client.get(url)  # warm up
    times, queries = [], []
    for _ in range(requests):
        counter["n"] = 0
        t0 = time.perf_counter()
        r = client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
        queries.append(counter["n"])
        if r.status_code != 200:
            return 0.0, 0.0, max(queries), r.status_code
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)], max(queries), None


def main() -> int:
    from bench.pages import pages

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--only", action="append", help="time only the URLs containing this text (repeatable; no jobs)")
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
    if args.only:
        url_list = [(role, url) for role, url in url_list if any(text in url for text in args.only)]
    print(f"{'URL':60} {'role':18} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    over_budget, errors, worst, most = 0, 0, (0.0, ""), 0
    for role, url in url_list:
        p50, p95, q, status = _measure(app, counter, role, url, args.requests)
        if status is not None:
            print(f"{url}: HTTP {status}", file=sys.stderr)
            errors += 1
            continue
        over = q > QUERY_BUDGET or p95 > P95_BUDGET_MS
        over_budget += over
        worst = max(worst, (p95, f"{url} ({role.value})"))
        most = max(most, q)
        print(f"{url[:60]:60} {role.value:18} {p50:8.1f} {p95:8.1f} {q:8d}{'  OVER BUDGET' if over else ''}")
    with app.app_context():
        db.engine.dispose()  # PostgreSQL copies the data only with no one connected
    jobs_ms, jobs_failed = (None, 0) if args.only else time_jobs(args.database_url)
    jobs_over = jobs_ms is not None and jobs_ms > JOBS_BUDGET_MS
    errors += jobs_failed
    print(
        f"SUMMARY: {len(url_list)} pages, worst p95 {worst[0]:.1f} ms at {worst[1]}, "
        f"{over_budget} over budget (p95 ≤ {P95_BUDGET_MS:.0f} ms, ≤ {QUERY_BUDGET} queries), "
        f"{errors} errors, queries max {most}, "
        + (
            f"jobs total {jobs_ms:.0f} ms (≤ {JOBS_BUDGET_MS:.0f}){' OVER BUDGET' if jobs_over else ''}"
            if jobs_ms is not None
            else "jobs not run"
        )
    )
    return 1 if (over_budget or errors or jobs_over) else 0


def _scratch_copy(database_url: str) -> tuple[str, object]:
    """A copy of the bench data for the jobs to change: a copied SQLite file, or on
    PostgreSQL a database created from the bench's as a template. Returns its URL and a
    function that removes it."""
    if database_url.startswith("sqlite:///"):
        source = Path(database_url.removeprefix("sqlite:///"))
        target = source.with_name(source.stem + "-jobs" + source.suffix)
        shutil.copyfile(source, target)
        return f"sqlite:///{target}", lambda: target.unlink(missing_ok=True)
    url = sa.engine.make_url(normalise_database_url(database_url))
    copy = f"{url.database}_jobs"
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{copy}"'))
        admin.dispose()

    drop()
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{copy}" TEMPLATE "{url.database}"'))
    return url.set(database=copy).render_as_string(hide_password=False), drop


def time_jobs(database_url: str) -> tuple[float, int]:
    """Run every daily job once for today through the jobs runner (`run_job`: its claim,
    its transaction, its commit) over a scratch copy of the generated data, and print each
    job's time; returns the total in ms and how many failed."""
    from safeguarding import jobs
    from safeguarding.calendar import today
    from safeguarding.documents.render import load_pdf_engine

    url, remove = _scratch_copy(database_url)
    total, failed = 0.0, 0
    logging.disable(logging.INFO)  # the runner's and WeasyPrint's progress lines
    try:
        app = bench_app(url)
        load_pdf_engine()  # as the scheduler does when it starts: the jobs' work is timed, not imports
        print(f"{'job':60} {'ms':>8}  outcome")
        with app.app_context():
            for spec in jobs.registered():
                t0 = time.perf_counter()
                run = jobs.run_job(spec.name, today())
                elapsed = (time.perf_counter() - t0) * 1000
                total += elapsed
                failed += run.outcome.value == "failed"
                print(f"{spec.name:60} {elapsed:8.0f}  {run.outcome.value} {run.counts or run.error_summary}")
            db.session.remove()
            db.engine.dispose()
    finally:
        remove()
    return total, failed


if __name__ == "__main__":
    sys.exit(main())
