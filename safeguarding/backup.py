"""`flask backup PATH` and `flask restore PATH`: the database, the uploaded files and a
manifest, in one directory.

A backup directory holds:

- `database.sqlite3` (SQLite: a consistent copy made with SQLite's online backup API
  while the service runs) or `database.dump` (PostgreSQL: `pg_dump -Fc`, taken in the
  same snapshot as the row counts, `pg_export_snapshot()`);
- `uploads/`: the uploaded files (`UPLOAD_FOLDER`), copied after the database, so every
  file the copy refers to is there (files are written before the row that names them and
  never deleted);
- `manifest.json`: when, which database, the migration revision of the copy, the row
  count of every table, and the sha256 of every file.

`restore` checks everything it can before replacing anything: every file's sha256, the
migration (a backup from a newer version of the service is refused: this code could not
run on it), the kind of database, and on SQLite every table's row count in the copy.
Then it replaces the database (SQLite: the backup API again, into the live file;
PostgreSQL: `pg_restore --clean --single-transaction`, row counts compared after) and
moves the current uploads aside (`<UPLOAD_FOLDER>.before-restore-<time>`: nothing is
deleted) before putting the backup's in place. Stop the web workers and the scheduler
first; run `flask db upgrade` after restoring a backup of an older migration.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import click
import sqlalchemy as sa
from alembic.config import Config as AlembicConfig
from alembic.script import ScriptDirectory
from alembic.script.revision import RevisionError
from alembic.util.exc import CommandError
from flask import Flask, current_app

from safeguarding.extensions import db
from safeguarding.models.base import utcnow

MANIFEST = "manifest.json"
SQLITE_COPY = "database.sqlite3"
PG_DUMP = "database.dump"
UPLOADS = "uploads"
FORMAT = 1

Echo = Callable[[str], Any]


class BackupError(Exception):
    """A backup that cannot be made, or a restore refused (nothing was replaced)."""


# --- backup ------------------------------------------------------------------------------------


def create_backup(target: Path, echo: Echo = print) -> dict[str, Any]:
    """Write a backup of the database and the uploads into `target` (new or empty)."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BackupError(f"{target} already exists and is not an empty directory: choose a new one")
    target.mkdir(parents=True, exist_ok=True)
    url = db.engine.url
    if url.get_backend_name() == "sqlite":
        echo("SQLite: copying the database with its online backup API")
        _sqlite_copy(_sqlite_path(url), target / SQLITE_COPY)
        counts, revision = _sqlite_counts(target / SQLITE_COPY)
    elif url.get_backend_name() == "postgresql":
        echo("PostgreSQL: running pg_dump -Fc")
        counts, revision = _pg_dump(url, target / PG_DUMP)
    else:
        raise BackupError(f"cannot back up a {url.get_backend_name()} database")
    uploads = Path(current_app.config["UPLOAD_FOLDER"])
    if uploads.is_dir():
        shutil.copytree(uploads, target / UPLOADS)
    else:
        (target / UPLOADS).mkdir()
    manifest = {
        "format": FORMAT,
        "created_at": utcnow().isoformat(),
        "database": url.get_backend_name(),
        "migration": revision,
        "tables": counts,
        "files": {str(path.relative_to(target)): _sha256(path) for path in _files(target)},
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    current_app.logger.info(
        "backup written: %d tables, %d files, migration %s", len(counts), len(manifest["files"]), revision
    )
    return manifest


def _sqlite_path(url: sa.engine.URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(url.database)


def _sqlite_copy(source: Path, target: Path) -> None:
    """SQLite's online backup: one step, under a read transaction, so the copy is one
    consistent state however much the service writes meanwhile."""
    timeout = float(current_app.config.get("SQLITE_BUSY_TIMEOUT", 15))
    src = sqlite3.connect(source, timeout=timeout)
    dst = sqlite3.connect(target, timeout=timeout)
    try:
        with dst:
            src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file (no -wal, -shm)
    finally:
        dst.close()
        src.close()


def _sqlite_counts(path: Path) -> tuple[dict[str, int], str | None]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        counts = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
        revision = _revision(lambda: [r[0] for r in conn.execute("SELECT version_num FROM alembic_version")])
    finally:
        conn.close()
    return counts, revision


def _libpq(url: sa.engine.URL) -> tuple[str, dict[str, str]]:
    """(connection URI without the password, environment with PGPASSWORD)."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _pg_dump(url: sa.engine.URL, target: Path) -> tuple[dict[str, int], str | None]:
    """pg_dump in the snapshot the row counts are taken in."""
    uri, env = _libpq(url)
    with db.engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn:
        snapshot = conn.scalar(sa.text("SELECT pg_export_snapshot()"))
        counts = _counts(conn)
        revision = _revision(lambda: list(conn.scalars(sa.text("SELECT version_num FROM alembic_version"))))
        done = subprocess.run(
            ["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={target}", f"--dbname={uri}"],
            env=env,
            capture_output=True,
            text=True,
        )
        conn.rollback()
    if done.returncode != 0:
        raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
    return counts, revision


def _counts(conn: sa.Connection) -> dict[str, int]:
    names = sorted(sa.inspect(conn).get_table_names())
    return {name: conn.scalar(sa.select(sa.func.count()).select_from(sa.table(name))) for name in names}


def _revision(read: Callable[[], list[str]]) -> str | None:
    try:
        found = read()
    except (sqlite3.Error, sa.exc.DBAPIError):
        return None
    return ",".join(sorted(found)) or None


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and p.name != MANIFEST)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# --- restore -----------------------------------------------------------------------------------


def check_backup(source: Path) -> dict[str, Any]:
    """The manifest, once everything that can be checked before replacing anything holds."""
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(f"{source} has no readable {MANIFEST}: is it a backup? ({exc})") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    backend = db.engine.url.get_backend_name()
    if manifest.get("database") != backend:
        raise BackupError(f"this is a backup of a {manifest.get('database')} database; the service uses {backend}")
    _check_migration(manifest.get("migration"))
    for name, expected in sorted(manifest["files"].items()):
        path = source / name
        if not path.is_file():
            raise BackupError(f"{name} is missing from the backup")
        if _sha256(path) != expected:
            raise BackupError(f"{name} does not match its sha256 in the manifest: the backup is damaged")
    expected_file = SQLITE_COPY if backend == "sqlite" else PG_DUMP
    if expected_file not in manifest["files"]:
        raise BackupError(f"the manifest lists no {expected_file}")
    if backend == "sqlite":
        counts, revision = _sqlite_counts(source / SQLITE_COPY)
        _compare_counts(manifest["tables"], counts, "the backup's copy")
        if revision != manifest.get("migration"):
            raise BackupError(f"the copy is at migration {revision}, the manifest says {manifest.get('migration')}")
    else:
        listed = subprocess.run(["pg_restore", "--list", str(source / PG_DUMP)], capture_output=True, text=True)
        if listed.returncode != 0:
            raise BackupError(f"pg_restore cannot read the dump: {listed.stderr.strip()}")
    return manifest


def _check_migration(revision: str | None) -> None:
    if not revision:
        raise BackupError("the backup names no migration revision")
    script = ScriptDirectory.from_config(_alembic_config())
    for rev in revision.split(","):
        try:
            known = script.get_revision(rev)
        except (CommandError, RevisionError):
            known = None
        if known is None:
            raise BackupError(
                f"the backup was made by a newer version of the service (migration {rev}, which this version "
                "does not know): install that version or a later one to restore it"
            )


def _compare_counts(expected: dict[str, int], found: dict[str, int], where: str) -> None:
    wrong = {t: (n, found.get(t)) for t, n in expected.items() if found.get(t) != n}
    if wrong:
        listing = ", ".join(f"{t}: {n} in the manifest, {m} in {where}" for t, (n, m) in sorted(wrong.items()))
        raise BackupError(f"row counts do not match the manifest ({listing})")


def restore_backup(source: Path, echo: Echo = print) -> dict[str, Any]:
    """Replace the database and the uploads with the backup in `source` (checked first)."""
    manifest = check_backup(source)
    echo(
        f"Backup of {manifest['created_at']} checked: {len(manifest['files'])} files, {len(manifest['tables'])} tables"
    )
    url = db.engine.url
    db.session.remove()
    db.engine.dispose()
    if url.get_backend_name() == "sqlite":
        _sqlite_copy(source / SQLITE_COPY, _sqlite_path(url))
    else:
        echo("PostgreSQL: running pg_restore --clean --single-transaction")
        uri, env = _libpq(url)
        done = subprocess.run(
            ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", f"--dbname={uri}"]
            + [str(source / PG_DUMP)],
            env=env,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise BackupError(f"pg_restore failed (the database is unchanged): {done.stderr.strip()}")
        with db.engine.connect() as conn:
            _compare_counts(manifest["tables"], _counts(conn), "the restored database")
    _replace_uploads(source / UPLOADS, Path(current_app.config["UPLOAD_FOLDER"]), echo)
    current_app.logger.info("restored the backup of %s (migration %s)", manifest["created_at"], manifest["migration"])
    return manifest


def _replace_uploads(backup: Path, folder: Path, echo: Echo) -> None:
    incoming = folder.with_name(f"{folder.name}.restoring")
    shutil.rmtree(incoming, ignore_errors=True)  # a restore interrupted earlier
    shutil.copytree(backup, incoming)
    if folder.exists():
        aside = folder.with_name(f"{folder.name}.before-restore-{datetime.now():%Y%m%d-%H%M%S}")
        folder.rename(aside)
        echo(f"The uploads there were moved to {aside}")
    incoming.rename(folder)


# --- commands ----------------------------------------------------------------------------------


def register(app: Flask) -> None:
    @app.cli.command("backup")
    @click.argument("path", type=click.Path(path_type=Path))
    def backup_command(path: Path) -> None:
        """Back up the database, the uploaded files and a manifest into PATH (a new
        directory), while the service runs."""
        try:
            manifest = create_backup(path, click.echo)
        except BackupError as exc:
            raise click.ClickException(str(exc)) from None
        rows = sum(manifest["tables"].values())
        uploads = sum(1 for name in manifest["files"] if name.startswith(f"{UPLOADS}/"))
        click.echo(
            f"Backup written to {path}: {len(manifest['tables'])} tables ({rows} rows), {uploads} uploaded files, "
            f"migration {manifest['migration']}"
        )

    @app.cli.command("restore")
    @click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path))
    @click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
    def restore_command(path: Path, yes: bool) -> None:
        """Replace the database and the uploaded files with the backup in PATH, after
        checking it against its manifest. Stop the web workers and the scheduler first."""
        try:
            manifest = check_backup(path)
            if not yes:
                click.confirm(
                    f"Replace the database and the uploaded files with the backup of {manifest['created_at']}?",
                    abort=True,
                )
            restore_backup(path, click.echo)
        except BackupError as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(f"Restored the backup of {manifest['created_at']} (migration {manifest['migration']}).")
        heads = ",".join(sorted(ScriptDirectory.from_config(_alembic_config()).get_heads()))
        if manifest["migration"] != heads:
            click.echo("The backup is from an older migration: run `flask --app safeguarding db upgrade` now.")


def _alembic_config() -> AlembicConfig:
    config = AlembicConfig()
    config.set_main_option("script_location", current_app.extensions["migrate"].directory)
    return config
