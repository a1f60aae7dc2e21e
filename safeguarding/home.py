"""What each role's home page shows. Features add panels; each panel is a small function
that returns a heading, a count and a link (or None when it has nothing to say), and must
stay within a bounded number of queries."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from safeguarding.models import Role


@dataclass(frozen=True)
class Panel:
    heading: str
    count: int | None
    href: str
    detail: str = ""


PanelFn = Callable[[Any], Panel | None]
_providers: list[tuple[frozenset[Role], int, PanelFn]] = []


def add(roles: set[Role], order: int, fn: PanelFn) -> None:
    _providers.append((frozenset(roles), order, fn))
    _providers.sort(key=lambda p: p[1])


def panels_for(user: Any) -> list[Panel]:
    out: list[Panel] = []
    for roles, _, fn in _providers:
        if roles & user.roles:
            panel = fn(user)
            if panel is not None:
                out.append(panel)
    return out


def _directory(user: Any) -> Panel | None:
    import sqlalchemy as sa
    from flask import url_for

    from safeguarding.extensions import db
    from safeguarding.models import Organisation, PartnershipState

    count = db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)
                              .where(Organisation.state == PartnershipState.active))
    return Panel("Partner organisations", count, url_for("partnership.organisations"), "active in the partnership")


add({Role.business_office, Role.independent_chair}, 90, _directory)
