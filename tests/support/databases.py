"""Databases for tests: the session's main database, and fresh ones for tests that need
data committed for real (a live server for the browser, several processes)."""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask_migrate import upgrade

from safeguarding import create_app
from safeguarding.config import normalise_database_url
from safeguarding.extensions import db


def backend() -> str:
    return "postgresql" if os.environ.get("SAFEGUARDING_TEST_DB") == "postgresql" else "sqlite"


def _postgres_url() -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        raise RuntimeError("SAFEGUARDING_TEST_DB=postgresql needs TEST_DATABASE_URL")
    return normalise_database_url(url)


def fresh_database(name: str, directory: Path) -> str:
    """An empty database: a new SQLite file, or a new PostgreSQL schema (selected through
    the connection's search_path) in the TEST_DATABASE_URL database."""
    if backend() == "sqlite":
        return f"sqlite:///{directory / f'{name}.db'}"
    base = _postgres_url()
    schema = f"t_{name}_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    engine = sa.create_engine(base)
    with engine.begin() as conn:
        leftovers = [
            old
            for (old,) in conn.execute(
                sa.text("SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE 't\\_%'")
            )
        ]
    # Leftovers of earlier runs of this suite whose process has gone, one transaction each:
    # dropping a schema locks every table in it, and several at once can exhaust the
    # server's lock table ("out of shared memory").
    for old in leftovers:
        parts = old.rsplit("_", 2)
        if len(parts) == 3 and parts[1].isdigit() and not _alive(int(parts[1])):
            with engine.begin() as conn:
                conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{old}" CASCADE'))
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover
        return True
    return True


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
