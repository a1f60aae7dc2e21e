"""What each role's home page shows: counts of what is due, breached or waiting, each
with a link to the list that holds them.

Features declare **count items**: a heading, a link, a detail line and a function that
returns a SQLAlchemy `SELECT count(...)` for a user. `panels_for(user)` evaluates every
count the user's roles call for in **one** statement, `SELECT (subq1), (subq2), …`, so the
home page costs the same handful of queries however many panels there are and however
much data lies behind them. The select functions must not run queries themselves (build
subqueries, never lists of ids). An item may also ask for `extras` (more scalar selects,
such as the nearest deadline or a sum of money) for its detail line.

`add(roles, order, fn)` remains for the odd panel that cannot be one scalar select (it
runs its own bounded queries)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from safeguarding.models import Role

# What a count means to the person reading it (the API's `kind`).
DUE = "due"  # deadlines this week or already passed
APPROVAL = "approval"  # waiting for the reader's decision or approval
TASK = "task"  # work for the reader or their organisation
INFO = "info"  # for information (a link, a running total)


@dataclass(frozen=True)
class Panel:
    heading: str
    count: int | None
    href: str
    detail: str = ""
    kind: str = INFO
    key: str = ""


PanelFn = Callable[[Any], Panel | None]
SelectFn = Callable[[Any], "sa.Select | None"]
DetailFn = Callable[[int, Mapping[str, Any]], str]


@dataclass(frozen=True)
class CountItem:
    key: str
    roles: frozenset[Role]
    order: int
    heading: str
    href: Callable[[Any], str]
    detail: str | DetailFn
    select: SelectFn
    kind: str = TASK
    extras: Mapping[str, SelectFn] = field(default_factory=dict)
    show_zero: bool = False


_providers: list[tuple[frozenset[Role], int, PanelFn]] = []
_counts: list[CountItem] = []


def add(roles: set[Role], order: int, fn: PanelFn) -> None:
    """An odd panel computed by `fn(user)` (its own bounded queries). Prefer `count`."""
    _providers.append((frozenset(roles), order, fn))
    _providers.sort(key=lambda p: p[1])


def count(
    roles: set[Role],
    order: int,
    heading: str,
    href: str | Callable[[Any], str],
    detail: str | DetailFn,
    select: SelectFn,
    *,
    key: str,
    kind: str = TASK,
    extras: Mapping[str, SelectFn] | None = None,
    show_zero: bool = False,
) -> None:
    """Declare a home page count for `roles`.

    `href` is an endpoint name or `fn(user) -> url`; `detail` a sentence or
    `fn(count, extras) -> sentence`; `select(user)` returns a one-column SELECT of the count
    (or None when the item does not apply to that user); items with a zero count are left
    out unless `show_zero`. `key` is stable (the API returns it)."""
    if any(c.key == key for c in _counts):
        raise ValueError(f"home count {key!r} is declared twice")
    if isinstance(href, str):
        endpoint = href

        def href_fn(user: Any) -> str:
            from flask import url_for

            return url_for(endpoint)
    else:
        href_fn = href
    _counts.append(
        CountItem(key, frozenset(roles), order, heading, href_fn, detail, select, kind, dict(extras or {}), show_zero)
    )
    _counts.sort(key=lambda c: c.order)


def items_for(user: Any) -> list[CountItem]:
    return [c for c in _counts if c.roles & user.roles]


def evaluate(user: Any, items: list[CountItem]) -> list[tuple[CountItem, int, dict[str, Any]]]:
    """Every item's count and extras for `user`, in one SELECT."""
    from safeguarding.extensions import db

    columns: list[Any] = []
    plan: list[tuple[CountItem, int, list[tuple[str, int]]]] = []
    for item in items:
        stmt = item.select(user)
        if stmt is None:
            continue
        at = len(columns)
        columns.append(stmt.scalar_subquery())
        extras = []
        for name, fn in item.extras.items():
            extra = fn(user)
            if extra is not None:
                extras.append((name, len(columns)))
                columns.append(extra.scalar_subquery())
        plan.append((item, at, extras))
    if not columns:
        return []
    row = db.session.execute(sa.select(*[c.label(f"c{i}") for i, c in enumerate(columns)])).one()
    return [(item, int(row[at] or 0), {name: row[i] for name, i in extras}) for item, at, extras in plan]


def panels_for(user: Any) -> list[Panel]:
    ordered: list[tuple[int, Panel]] = []
    for item, n, extras in evaluate(user, items_for(user)):
        if not n and not item.show_zero:
            continue
        detail = item.detail(n, extras) if callable(item.detail) else item.detail
        ordered.append((item.order, Panel(item.heading, n, item.href(user), detail, item.kind, item.key)))
    for roles, order, fn in _providers:
        if roles & user.roles:
            panel = fn(user)
            if panel is not None:
                ordered.append((order, panel))
    ordered.sort(key=lambda p: p[0])
    return [p for _, p in ordered]


def _directory(user: Any) -> sa.Select:
    from safeguarding.models import Organisation, PartnershipState

    return sa.select(sa.func.count()).select_from(Organisation).where(Organisation.state == PartnershipState.active)


count(
    {Role.business_office, Role.independent_chair},
    90,
    "Partner organisations",
    "partnership.organisations",
    "active in the partnership",
    _directory,
    key="partnership.organisations",
    kind=INFO,
    show_zero=True,
)
