"""`flask --app safeguarding search reindex [--kind KIND]`: rebuild the search index (after
data written in bulk, a restore, or a change to what is indexed)."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from safeguarding.extensions import db
from safeguarding.services import search


def register(app: Flask) -> None:
    group = AppGroup("search", help="The search index.")

    @group.command("reindex")
    @click.option("--kind", "kinds", multiple=True, type=click.Choice(sorted(search.BY_KEY)), help="Only these kinds.")
    def reindex(kinds: tuple[str, ...]) -> None:
        """Rebuild the search index's entries (all kinds unless --kind is given)."""
        chosen = [search.BY_KEY[k] for k in kinds] or list(search.KINDS)
        counts = search.reindex(db.session.connection(), chosen)
        db.session.commit()
        for key, n in counts.items():
            click.echo(f"{search.BY_KEY[key].label}: {n}")
        click.echo(f"Indexed {sum(counts.values())} records.")

    app.cli.add_command(group)
