"""The annual report's built-in sections: the phrasing helpers they share."""

from __future__ import annotations


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _pct(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def _scope(arm: str | None, area: str | None) -> str:
    if arm:
        return {"adults": " for adults", "children": " for children"}[arm]
    if area:
        return f" in the {area.capitalize()} Council area"
    return ""
