"""Service navigation: each feature adds its entries; a user sees only those whose page
their roles may open."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import request, url_for

from safeguarding import access


@dataclass(frozen=True)
class NavEntry:
    label: str
    endpoint: str
    order: int
    # Blueprint names whose pages count as "in" this section (for the active marker).
    section: tuple[str, ...]


_entries: list[NavEntry] = []


def add(label: str, endpoint: str, *, order: int, section: tuple[str, ...] = ()) -> None:
    if any(e.endpoint == endpoint for e in _entries):
        return
    _entries.append(NavEntry(label, endpoint, order, section or (endpoint.split(".")[0],)))
    _entries.sort(key=lambda e: e.order)


def items_for(user: Any) -> list[dict[str, Any]]:
    if not user or not getattr(user, "is_authenticated", False):
        return []
    current = request.endpoint or ""
    blueprint = current.split(".")[0]
    out = []
    for e in _entries:
        if access.may_open(e.endpoint, user):
            out.append(
                {
                    "text": e.label,
                    "href": url_for(e.endpoint),
                    "active": current == e.endpoint or (blueprint in e.section and e.endpoint != "main.home"),
                }
            )
    return out
