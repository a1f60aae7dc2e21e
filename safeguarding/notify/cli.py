"""`flask --app safeguarding outbox deliver`: send what is due now (the scheduler does
this every minute)."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

outbox_group = AppGroup("outbox", help="The email outbox.")


@outbox_group.command("deliver")
def deliver() -> None:
    """Send the messages that are due now."""
    from safeguarding import notify
    from safeguarding.services import audit

    if not notify.outbox.mail_configured():
        click.echo("MAIL_SERVER is not set: messages are held in the outbox page.")
        return
    with audit.acting_as("system: outbox deliver command"):
        result = notify.deliver_pending()
    click.echo(", ".join(f"{k} {v}" for k, v in result.items()))


def register(app: Flask) -> None:
    app.cli.add_command(outbox_group)
