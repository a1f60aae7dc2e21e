"""`flask --app safeguarding retention review [--dry-run] [--as-of DATE]`: what the retention
schedule makes due for disposal, by class, with the held records. It never disposes of
anything: disposal needs two business-office users on the Disposals page."""

from __future__ import annotations

from datetime import date

import click
from flask import Flask
from flask.cli import AppGroup

from safeguarding.calendar import today
from safeguarding.formatting import long_date
from safeguarding.services.records import disposal

retention_group = AppGroup("retention", help="The retention schedule.")


@retention_group.command("review")
@click.option("--dry-run", is_flag=True, help="Only print what is due (the command never disposes anyway).")
@click.option("--as-of", "as_of", default=None, help="The day to count for (YYYY-MM-DD); today by default.")
def review(dry_run: bool, as_of: str | None) -> None:
    """Print the records due for disposal review, by class, and those held."""
    try:
        on = date.fromisoformat(as_of) if as_of else today()
    except ValueError:
        raise click.BadParameter(f"{as_of!r} is not a date like 2026-12-01", param_hint="--as-of") from None
    run = disposal.dry_run(on=on, check=False)
    click.echo(f"Due for disposal review on {long_date(on)}:")
    for c in run.classes:
        click.echo(f"  {c.entry.name}: {c.status}")
    click.echo(run.text)
    if run.not_confirmed:
        click.echo(f"{disposal.records(run.not_confirmed)} past their date in classes not confirmed: none offered")
    if not dry_run:
        click.echo(
            "Nothing was disposed of: disposal is proposed and approved by two members of the business "
            "office on the Disposals page (/disposals), never from the command line."
        )


def register(app: Flask) -> None:
    app.cli.add_command(retention_group)
