"""Databases for tests: the demo template built once per run and copied for each worker,
and fresh ones for tests that need data committed for real (a live server for the
browser, several processes).

A run is one `pytest` command: with pytest-xdist (`-n 2`), its controller and workers.
The first process that needs the demo builds it once, under a file lock, in the run's
directory: the migrations, then the demo partnership (a SQLite file, or a PostgreSQL
database), the files the demo stores, and the demo's ids as JSON. Every process then
takes a copy of its own: a file copy, or `CREATE DATABASE … TEMPLATE`.

Every PostgreSQL database and schema the suite makes is named `t_<what>_<run pid>_<hex>`:
the run removes its own at the end, and removes those of earlier runs whose process has
gone (killed, say) when it builds its template.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import uuid
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask_migrate import upgrade

from safeguarding import create_app
from safeguarding.config import normalise_database_url
from safeguarding.extensions import db
from tests.support import run


def backend() -> str:
    return "postgresql" if os.environ.get("SAFEGUARDING_TEST_DB") == "postgresql" else "sqlite"


def _postgres_url() -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        raise RuntimeError("SAFEGUARDING_TEST_DB=postgresql needs TEST_DATABASE_URL")
    return normalise_database_url(url)


def end_run() -> None:
    """On PostgreSQL, drop the run's databases and schemas (its workers have stopped)."""
    if backend() == "postgresql":
        _drop_postgres_leftovers(lambda pid: pid == run.pid())


# --- the demo template -------------------------------------------------------------------


def demo_database(directory: Path, upload_dir: Path) -> tuple[str, dict[str, dict[str, int]]]:
    """(URL, demo ids) of a database of this process's own holding the migrated demo
    partnership, its stored files copied into `upload_dir`. The demo is built once per
    run (by whichever process gets here first) and copied from then on."""
    with run.lock() as shared:
        meta = shared / "demo.json"
        if not meta.exists():
            meta.write_text(json.dumps(_build_template(shared)))
        template = json.loads(meta.read_text())
        shutil.copytree(template["uploads"], upload_dir, dirs_exist_ok=True)
        if backend() == "sqlite":
            url = f"sqlite:///{directory / 'main.db'}"
            source = sqlite3.connect(template["path"])
            target = sqlite3.connect(directory / "main.db")
            with target:
                source.backup(target)
            source.close()
            target.close()
        else:
            url = _create_postgres_database("main", template=template["database"])
    return url, template["ids"]


def _build_template(shared: Path) -> dict[str, Any]:
    uploads = shared / "demo-uploads"
    if backend() == "sqlite":
        path = shared / "demo.db"
        url, built = f"sqlite:///{path}", {"path": str(path)}
    else:
        _drop_postgres_leftovers(lambda pid: not run.alive(pid))
        url = _create_postgres_database("template")
        built = {"database": sa.engine.make_url(url).database}
    app = build_app(url, uploads)
    ids = seed_demo(app)
    with app.app_context():
        db.engine.dispose()  # no session may stay on a template (nor a SQLite WAL)
    return {**built, "uploads": str(uploads), "ids": ids}


# --- fresh databases -------------------------------------------------------------------


def fresh_database(name: str, directory: Path) -> str:
    """An empty database: a new SQLite file in `directory`, or a new PostgreSQL schema
    (selected through the connection's search_path) in the TEST_DATABASE_URL database."""
    if backend() == "sqlite":
        return f"sqlite:///{directory / f'{name}.db'}"
    base = _postgres_url()
    schema = _postgres_name(name)
    engine = sa.create_engine(base)
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema}"


def _postgres_name(what: str) -> str:
    return f"t_{what}_{run.pid()}_{uuid.uuid4().hex[:6]}"


def _create_postgres_database(what: str, template: str | None = None) -> str:
    base = _postgres_url()
    name = _postgres_name(what)
    engine = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")))
    engine.dispose()
    return sa.engine.make_url(base).set(database=name).render_as_string(hide_password=False)


def _drop_postgres_leftovers(whose: Any) -> None:
    """Drop the suite's databases and schemas (in the TEST_DATABASE_URL database) whose
    run pid `whose(pid)` picks: one statement each, since dropping a schema locks every
    table in it and several at once can exhaust the server's lock table."""

    def picked(name: str) -> bool:
        parts = name.rsplit("_", 2)
        return len(parts) == 3 and parts[1].isdigit() and whose(int(parts[1]))

    engine = sa.create_engine(_postgres_url(), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        databases = conn.scalars(sa.text("SELECT datname FROM pg_database WHERE datname LIKE 't\\_%'")).all()
        schemas = conn.scalars(
            sa.text("SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE 't\\_%'")
        ).all()
        drops = [f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)' for name in databases if picked(name)]
        drops += [f'DROP SCHEMA IF EXISTS "{name}" CASCADE' for name in schemas if picked(name)]
        for drop in drops:
            # Another run may be dropping the same leftover at the same time.
            with contextlib.suppress(sa.exc.DBAPIError):
                conn.execute(sa.text(drop))
    engine.dispose()


# --- apps ----------------------------------------------------------------------------------

TEST_SECRET_KEY = "test-secret-key-not-for-production"


def build_app(database_url: str, upload_dir: Path, **overrides: Any) -> Flask:
    """An app on `database_url` with the schema built by the migrations, configured as
    production is (CSRF on, secure session cookies, errors answered not raised): only the
    database, the secret key, the upload folder and the mail server are the test's."""
    config: dict[str, Any] = dict(
        SECRET_KEY=TEST_SECRET_KEY,
        SQLALCHEMY_DATABASE_URI=database_url,
        UPLOAD_FOLDER=str(upload_dir),
        MAIL_SERVER=None,
    )
    config.update(overrides)
    app = create_app(config)
    with app.app_context():
        upgrade()
    return app


def seed_demo(app: Flask) -> dict[str, dict[str, int]]:
    """Load the demo partnership (committed) and return the ids of its records by key."""
    from safeguarding import demo

    with app.app_context():
        ctx = demo.seed()
        ids = {
            "orgs": {k: v.id for k, v in ctx.orgs.items()},
            "people": {k: v.id for k, v in ctx.people.items()},
            "groups": {k: v.id for k, v in ctx.groups.items()},
            "users": {k: v.id for k, v in ctx.users.items()},
            "memberships": {k: v.id for k, v in ctx.memberships.items()},
        }
        for key, value in ctx.extra.items():
            if isinstance(value, dict) and all(hasattr(v, "id") for v in value.values()):
                ids[key] = {k: v.id for k, v in value.items()}
        db.session.remove()
    return ids
