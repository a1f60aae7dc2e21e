"""Service navigation: each feature adds its entries; a user sees only those whose page
their roles may open.

Entries are grouped so that the header shows at most eight sections (GOV.UK service
navigation, WCAG 2.4.5/2.4.8 and the office's 18 pages): each group is one link in the
header (to the first of its pages the user may open) and, when the user may open more
than one of its pages, a row of links under the header ("In this section")."""

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
    # The header's section the entry is shown under (its own label when alone).
    group: str


# The header's sections, in order; an entry names its group when it is added. Entries
# of a group not listed here come after these, each group alone under its own name.
GROUPS = (
    "Home",
    "Reviews and learning",
    "Meetings",
    "Plans and actions",
    "Disputes",
    "Partnership",
    "Reports and budget",
    "Administration",
)

_entries: list[NavEntry] = []


def add(label: str, endpoint: str, *, order: int, section: tuple[str, ...] = (), group: str | None = None) -> None:
    if any(e.endpoint == endpoint for e in _entries):
        return
    _entries.append(NavEntry(label, endpoint, order, section or (endpoint.split(".")[0],), group or label))
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


def _group_rank(group: str) -> tuple[int, str]:
    return (GROUPS.index(group), "") if group in GROUPS else (len(GROUPS), group)


def _open_groups(user: Any) -> dict[str, list[NavEntry]]:
    """The user's entries by group, groups in the header's order."""
    groups: dict[str, list[NavEntry]] = {}
    for e in _entries:
        if access.may_open(e.endpoint, user):
            groups.setdefault(e.group, []).append(e)
    return dict(sorted(groups.items(), key=lambda kv: _group_rank(kv[0])))


def items_for(user: Any) -> list[dict[str, Any]]:
    """The header's links: one per group the user may open a page of."""
    if not user or not getattr(user, "is_authenticated", False):
        return []
    active = section_of(request.endpoint or "")
    return [
        {"text": group, "href": url_for(entries[0].endpoint), "active": active is not None and active.group == group}
        for group, entries in _open_groups(user).items()
    ]


def section_items_for(user: Any) -> list[dict[str, Any]]:
    """The current group's pages ("In this section"), when the user may open more than one."""
    if not user or not getattr(user, "is_authenticated", False):
        return []
    active = section_of(request.endpoint or "")
    if active is None:
        return []
    entries = _open_groups(user).get(active.group, [])
    if len(entries) < 2:
        return []
    return [{"text": e.label, "href": url_for(e.endpoint), "active": e is active} for e in entries]
