"""Generate a large partnership for the benchmark: 10 financial years, 60 organisations,
1,500 people, 40 groups with 15–27 seats each, about 2,600 meetings and over 50,000
attendance rows (54,000), 500 case reviews with 20,000 actions, 200 risks (later features
add their own data: see bench/generators/).

    python -m bench.generate [--database-url URL] [--scale 1.0]

Rows go in with bulk inserts (this measures the app, not the generator)."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import random
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask_migrate import upgrade
from tqdm import tqdm

from safeguarding import create_app
from safeguarding.extensions import db

OUT = Path(__file__).resolve().parent / "out"
DEFAULT_URL = f"sqlite:///{OUT / 'bench.db'}"
FIRST_YEAR = 2016
YEARS = 10


@dataclass
class BenchContext:
    scale: float
    rng: random.Random
    ids: dict[str, list[int]] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def n(self, count: int) -> int:
        return max(1, int(count * self.scale))

    def insert(self, table: sa.Table, rows: list[dict], desc: str) -> None:
        """Insert rows in chunks with a progress bar."""
        chunk = 2000
        with tqdm(total=len(rows), desc=desc, unit="rows", leave=False) as bar:
            for i in range(0, len(rows), chunk):
                db.session.execute(sa.insert(table), rows[i : i + chunk])
                bar.update(len(rows[i : i + chunk]))
        db.session.flush()
        if rows and "id" in rows[0]:
            reset_sequences([table])


def reset_sequences(tables: list[sa.Table] | None = None) -> None:
    """On PostgreSQL, move each table's id sequence past the largest id: the bulk inserts
    give explicit ids, which leave the sequences at 1 for later inserts (the generators'
    own and the app's). Elsewhere (SQLite) nothing to do."""
    dialect = db.session.get_bind().dialect
    if dialect.name != "postgresql":
        return
    quote = dialect.identifier_preparer
    for table in tables if tables is not None else db.metadata.sorted_tables:
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not isinstance(pk[0].type, sa.Integer):
            continue
        name, column = quote.format_table(table), quote.quote(pk[0].name)
        db.session.execute(
            sa.text(
                f"SELECT setval(seq, COALESCE((SELECT MAX({column}) FROM {name}), 0) + 1, false) "
                "FROM pg_get_serial_sequence(:table, :column) AS seq WHERE seq IS NOT NULL"
            ),
            {"table": name, "column": pk[0].name},
        )


def bench_app(database_url: str) -> Flask:
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": "bench",
            "TESTING": False,
            "WTF_CSRF_ENABLED": False,
            "SESSION_COOKIE_SECURE": False,
        }
    )


def generators() -> list[Any]:
    from bench import generators as package

    mods = [importlib.import_module(f"{package.__name__}.{m.name}") for m in pkgutil.iter_modules(package.__path__)]
    return sorted(mods, key=lambda m: m.ORDER)


def generate(database_url: str = DEFAULT_URL, scale: float = 1.0, seed: int = 2026) -> None:
    if database_url.startswith("sqlite:///"):
        path = Path(database_url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    app = bench_app(database_url)
    with app.app_context():
        if not database_url.startswith("sqlite"):
            db.drop_all()
            with db.engine.begin() as conn:
                conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
        upgrade()
        ctx = BenchContext(scale=scale, rng=random.Random(seed))
        started = time.perf_counter()
        for module in tqdm(generators(), desc="generating", unit="feature"):
            module.generate(ctx)
            reset_sequences()
            db.session.commit()
        if db.engine.dialect.name == "postgresql":
            # What autovacuum does within a minute or so of a bulk load on a production
            # server: without statistics the planner takes a 24,000-row register for 23
            # rows and the first minutes of the bench would time plans no server keeps.
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(sa.text("ANALYZE"))
        print(
            f"generated in {time.perf_counter() - started:.1f}s: "
            + ", ".join(f"{k} {len(v):,}" for k, v in ctx.ids.items())
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    generate(args.database_url, args.scale)


if __name__ == "__main__":
    main()
