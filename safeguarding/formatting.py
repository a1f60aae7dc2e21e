"""How dates, times and money read on pages, in letters and in emails."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from safeguarding.calendar import LONDON


def long_date(d: date | datetime | None) -> str:
    """23 November 2026"""
    if d is None:
        return ""
    if isinstance(d, datetime):
        d = d.astimezone(LONDON).date() if d.tzinfo else d.date()
    return f"{d.day} {d:%B %Y}"


def short_date(d: date | None) -> str:
    """23 Nov 2026 (tables)"""
    if d is None:
        return ""
    return f"{d.day} {d:%b %Y}"


def date_time(dt: datetime | None) -> str:
    """23 November 2026 at 2:05pm (London time)"""
    if dt is None:
        return ""
    local = dt.astimezone(LONDON) if dt.tzinfo else dt
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    return f"{long_date(local.date())} at {hour}:{local.minute:02d}{suffix}"


def money(pence: int | Decimal | None) -> str:
    """38974_00 pence → £38,974.00; negative amounts as −£1,234.00."""
    if pence is None:
        return ""
    if isinstance(pence, Decimal):
        pence = int((pence * 100).to_integral_exact())
    sign = "-" if pence < 0 else ""
    pence = abs(int(pence))
    return f"{sign}£{pence // 100:,}.{pence % 100:02d}"


def pounds(pence: int | None) -> str:
    """For form values and CSV: 3897400 → 38974.00 (no symbol, no separators)."""
    if pence is None:
        return ""
    sign = "-" if pence < 0 else ""
    pence = abs(pence)
    return f"{sign}{pence // 100}.{pence % 100:02d}"


def plural(n: int, singular: str, plural_form: str | None = None) -> str:
    return f"{n} {singular if n == 1 else (plural_form or singular + 's')}"


def days_left(deadline: date | None, on: date) -> str:
    """ "5 days left", "due today", "2 days overdue"."""
    if deadline is None:
        return ""
    delta = (deadline - on).days
    if delta > 0:
        return f"{plural(delta, 'day')} left"
    if delta == 0:
        return "due today"
    return f"{plural(-delta, 'day')} overdue"


def register(app) -> None:
    app.add_template_filter(long_date, "date")
    app.add_template_filter(short_date, "short_date")
    app.add_template_filter(date_time, "datetime")
    app.add_template_filter(money, "money")
    app.add_template_filter(pounds, "pounds")
    app.add_template_global(plural)
    app.add_template_global(days_left)
