"""`flask --app safeguarding import KIND FILE [--commit]`: the same dry run and commit as
the pages, with a progress bar; the exit code is 1 when the file has problems."""

from __future__ import annotations

from pathlib import Path

import click
import sqlalchemy as sa
from flask import Flask

from safeguarding.extensions import db
from safeguarding.models import Role, User
from safeguarding.services import audit
from safeguarding.services import imports as svc
from safeguarding.services.errors import ServiceError, ValidationFailed
from safeguarding.services.imports import reading


def _echo_problems(problems: list[dict]) -> None:
    for p in problems:
        where = f"{p['sheet']} row {p['row']}" if p["row"] else p["sheet"]
        column = f", {p['column']}" if p["column"] else ""
        click.echo(f"{where}{column}: {p['message']}", err=True)


def register(app: Flask) -> None:
    @app.cli.command("import")
    @click.argument("kind", type=click.Choice(sorted(svc.KINDS)))
    @click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--commit", "apply", is_flag=True, help="Apply the file when the dry run finds no problems.")
    @click.option("--as", "as_email", required=True, help="The business office account the import is recorded as.")
    def import_command(kind: str, path: Path, apply: bool, as_email: str) -> None:
        """Check a spreadsheet (CSV or XLSX) of KIND whole and, with --commit, import it."""
        k = svc.get_kind(kind)
        data = path.read_bytes()
        user = db.session.scalar(sa.select(User).where(sa.func.lower(User.email) == as_email.strip().lower()))
        if user is None or not user.active or not user.has_role(Role.business_office):
            raise click.UsageError(f"{as_email} is not an active business office account")
        with audit.acting_as(user.email, user.id):
            try:
                total = len(reading.read(path.name, data).rows) * len(k.steps)
                with click.progressbar(length=total, label="Checking") as bar:
                    run = svc.check(k, path.name, data, user, progress=bar.update)
                if run.status == "checked" and apply:
                    with click.progressbar(length=total, label="Importing") as bar:
                        svc.commit(run, run.sha256, user, progress=bar.update)
            except ValidationFailed as exc:
                db.session.rollback()
                raise click.ClickException("; ".join(exc.messages)) from None
            except ServiceError as exc:
                db.session.rollback()
                raise click.ClickException(exc.message) from None
            db.session.commit()
        verb = "" if run.status == "committed" else "would be "
        click.echo(
            f"Import {run.id}: {run.rows} rows; {run.created} {verb}created, {run.updated} {verb}updated, "
            f"{run.unchanged} {verb}left unchanged"
        )
        if run.problems:
            _echo_problems(run.problems)
            raise click.ClickException(f"{len(run.problems)} problems: nothing was imported")
        if not apply:
            click.echo("Dry run: nothing was changed. Run again with --commit to import.")
