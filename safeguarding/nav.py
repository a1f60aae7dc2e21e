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
    # Blueprint names (or endpoint prefixes such as "meetings.minutes") whose pages count
    # as "in" this section: for the active marker and the page title.
    section: tuple[str, ...]


_entries: list[NavEntry] = []


def add(label: str, endpoint: str, *, order: int, section: tuple[str, ...] = ()) -> None:
    if any(e.endpoint == endpoint for e in _entries):
        return
    _entries.append(NavEntry(label, endpoint, order, section or (endpoint.split(".")[0],)))
    _entries.sort(key=lambda e: e.order)


def _match(entry: NavEntry, endpoint: str) -> int:
    """How closely `endpoint` belongs to the entry's section: 0 not at all; longer
    matches win, so a minutes page is in *Minutes*, not *Meetings*."""
    if endpoint == entry.endpoint:
        return 1000
    blueprint = endpoint.split(".")[0]
    best = 0
    for part in entry.section:
        if "." in part and endpoint.startswith(part):
            best = max(best, len(part))
        elif part == blueprint and entry.endpoint != "main.home":
            best = max(best, 1)
    return best


def section_of(endpoint: str | None) -> NavEntry | None:
    """The navigation section a page belongs to (None for pages outside every section)."""
    if not endpoint:
        return None
    scored = [(m, e) for e in _entries if (m := _match(e, endpoint))]
    return max(scored, key=lambda pair: pair[0])[1] if scored else None


def section_label() -> str | None:
    """The section's name for the page title ("Page – Section – Service")."""
    entry = section_of(request.endpoint)
    return entry.label if entry is not None and entry.endpoint != "main.home" else None


def items_for(user: Any) -> list[dict[str, Any]]:
    if not user or not getattr(user, "is_authenticated", False):
        return []
    active = section_of(request.endpoint or "")
    out = []
    for e in _entries:
        if access.may_open(e.endpoint, user):
            out.append({"text": e.label, "href": url_for(e.endpoint), "active": e is active})
    return out
