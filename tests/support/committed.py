"""An app on its own fresh database where commits are real: for tests where several
threads or processes share the database (the per-test rolled-back transaction of
conftest.py cannot be seen from another connection)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask

from safeguarding.extensions import Session, db
from tests.support import databases


@contextmanager
def committed_app(
    directory: Path, name: str = "committed", *, url: str | None = None, **config: Any
) -> Iterator[tuple[Flask, str]]:
    """(app, database URL) on a fresh migrated database (no demo data), or on `url` (the
    live server's, say). While it is open, `db.session` is an ordinary session per app
    context (one per thread), not the test's connection-bound one."""
    url = url or databases.fresh_database(name, directory)
    app = databases.build_app(url, directory / "uploads", **config)
    bound = db.session
    db.session = db._make_scoped_session({"class_": Session})
    try:
        yield app, url
    finally:
        with app.app_context():
            db.session.remove()
        db.session = bound
        with app.app_context():
            db.engine.dispose()


def child_env(database_url: str, **extra: str) -> dict[str, str]:
    """The environment of a child `flask` process on `database_url`."""
    import os

    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "child-process-secret",
        "SESSION_COOKIE_SECURE": "0",
        **extra,
    }
