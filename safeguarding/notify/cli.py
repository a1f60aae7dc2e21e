"""`flask --app safeguarding outbox ...`: `deliver` sends what is due now (the scheduler
does this every minute); `release [--since DATE]` puts held emails in the queue;
`discard --held --reason TEXT` discards them (never sent, kept with the reason)."""

from __future__ import annotations

from datetime import date

import click
from flask import Flask
from flask.cli import AppGroup

from safeguarding.extensions import db
from safeguarding.notify import delivery, outbox
from safeguarding.services import audit
from safeguarding.services.errors import ServiceError

outbox_group = AppGroup("outbox", help="The email outbox.")


@outbox_group.command("deliver")
def deliver() -> None:
    """Send the messages that are due now."""

    if not outbox.mail_configured():
        click.echo("MAIL_SERVER is not set: messages are held in the outbox page.")
        return
    with audit.acting_as("system: outbox deliver command"):
        result = delivery.deliver_pending()
    click.echo(", ".join(f"{k} {v}" for k, v in result.items()))


def _since(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2026-12-01", param_hint="--since") from None


@outbox_group.command("release")
@click.option("--since", help="Only emails queued on or after this date (YYYY-MM-DD); older ones stay held.")
def release(since: str | None) -> None:
    """Send the held emails (queued while no mail server was configured)."""

    on_or_after = _since(since)
    with audit.acting_as("system: outbox release command"):
        try:
            count = outbox.send_again_many(outbox.ALL_HELD, since=on_or_after)
        except ServiceError as exc:
            db.session.rollback()
            raise click.ClickException(exc.message) from None
        db.session.commit()
    left, _ = outbox.held_summary()
    click.echo(f"Released {count} held email{'' if count == 1 else 's'}; {left} still held.")


@outbox_group.command("discard")
@click.option("--held", "held", is_flag=True, required=True, help="Discard the held emails (required).")
@click.option("--reason", required=True, help="Why: kept with each email and in the audit log.")
@click.option("--since", help="Only emails queued on or after this date (YYYY-MM-DD).")
def discard(held: bool, reason: str, since: str | None) -> None:
    """Discard the held emails: they are never sent, and stay on the outbox page."""

    if not held:
        raise click.UsageError("Only held emails can be discarded: give --held")
    on_or_after = _since(since)
    with audit.acting_as("system: outbox discard command"):
        try:
            count = outbox.discard_held(reason, since=on_or_after)
        except ServiceError as exc:
            db.session.rollback()
            raise click.ClickException(next(iter(exc.errors.values()), exc.message)) from None
        db.session.commit()
    click.echo(f"Discarded {count} held email{'' if count == 1 else 's'}.")


def register(app: Flask) -> None:
    app.cli.add_command(outbox_group)
