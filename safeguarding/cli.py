"""Command-line tasks: `flask --app safeguarding <command>`."""

from __future__ import annotations

import os
import sys
from datetime import datetime

import click
import sqlalchemy as sa
from flask import Flask

from safeguarding import backup
from safeguarding.extensions import db
from safeguarding.formatting import long_date
from safeguarding.imports import cli as imports_cli
from safeguarding.models import Organisation, Person, Role
from safeguarding.records import cli as records_cli
from safeguarding.search import cli as search_cli
from safeguarding.services import accounts, audit
from safeguarding.services.errors import ValidationFailed


def register(app: Flask) -> None:
    from safeguarding.jobs import cli as jobs_cli
    from safeguarding.notify import cli as notify_cli

    jobs_cli.register(app)  # jobs list, jobs run, scheduler
    notify_cli.register(app)  # outbox deliver
    backup.register(app)  # backup, restore
    imports_cli.register(app)  # import KIND FILE [--commit]
    records_cli.register(app)  # retention review [--dry-run]
    search_cli.register(app)  # search reindex

    @app.cli.command("serve")
    @click.option("--host", default="127.0.0.1", show_default=True)
    @click.option("--port", default=5000, show_default=True, type=int)
    @click.option(
        "--workers",
        default=2,
        show_default=True,
        type=click.IntRange(1, 64),
        envvar="WEB_WORKERS",
        help="Worker processes (WEB_WORKERS).",
    )
    @click.option(
        "--threads",
        default=4,
        show_default=True,
        type=click.IntRange(1, 64),
        envvar="WEB_THREADS",
        help="Threads per worker (WEB_THREADS).",
    )
    def serve(host: str, port: int, workers: int, threads: int) -> None:
        """Serve the app as production does: gunicorn, several workers of several threads,
        no debugger, no version header. `make run` and the suite's live servers use it."""
        os.execvp(
            sys.executable,
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--bind",
                f"{host}:{port}",
                "--workers",
                str(workers),
                "--threads",
                str(threads),
                "--graceful-timeout",
                "5",
                "--no-control-socket",
                "safeguarding:create_app()",
            ],
        )

    @app.cli.command("create-user")
    @click.argument("email")
    @click.option(
        "--role",
        "roles",
        multiple=True,
        required=True,
        type=click.Choice([r.value for r in Role]),
        help="Repeat for several roles.",
    )
    @click.option("--organisation", help="Name, short name or id of the organisation (partner members).")
    @click.option("--person", "person_id", type=int, help="Id of the person in the directory.")
    @click.password_option("--password", prompt="Password", help="Prompted (never echoed) when not given.")
    def create_user(
        email: str, roles: tuple[str, ...], organisation: str | None, person_id: int | None, password: str
    ) -> None:
        """Create a user account (the first accounts of a real deployment)."""
        org = None
        if organisation:
            stmt = sa.select(Organisation).where(
                sa.or_(
                    sa.func.lower(Organisation.name) == organisation.lower(),
                    sa.func.lower(Organisation.short_name) == organisation.lower(),
                    Organisation.id == (int(organisation) if organisation.isdigit() else -1),
                )
            )
            org = db.session.scalar(stmt)
            if org is None:
                raise click.UsageError(f"No organisation matches {organisation!r}")
        person = db.session.get(Person, person_id) if person_id else None
        if person_id and person is None:
            raise click.UsageError(f"No person with id {person_id}")
        with audit.acting_as("system: create-user command"):
            try:
                user = accounts.create_user(
                    email=email, password=password, roles=[Role(r) for r in roles], organisation=org, person=person
                )
            except ValidationFailed as exc:
                db.session.rollback()
                raise click.ClickException("; ".join(exc.messages)) from None
            db.session.commit()
        click.echo(f"Created {user.email} with roles: {', '.join(sorted(roles))}")

    @app.cli.command("seed-demo")
    @click.option("--reset", is_flag=True, help="Delete everything in the database first.")
    @click.option("--if-empty", is_flag=True, help="Do nothing (successfully) when the database has data.")
    @click.option(
        "--as-of",
        "as_of",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        default=None,
        help="Build the demo around this day (YYYY-MM-DD) instead of today.",
    )
    def seed_demo(reset: bool, if_empty: bool, as_of: datetime | None) -> None:
        """Load the demo partnership, built around today or --as-of (refuses a database that
        has data unless --reset)."""
        from safeguarding import demo

        if not reset and demo.has_data():
            if if_empty:
                click.echo("The database already has data: demo not loaded.")
                return
            raise click.ClickException("The database already has data. Use --reset to replace it with the demo.")
        if reset:
            demo.reset_database()
        ctx = demo.seed(as_of.date() if as_of else None)
        click.echo(f"Demo partnership loaded, built around {long_date(ctx.as_of)}.")
        click.echo("Sign in as office@demo.test with the password demo-password-2026.")
