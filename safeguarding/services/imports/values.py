"""Reading one cell as offices write it: dates (`23/11/2026`, `23 Nov 2026`, `2026-11-23`,
Excel serial dates), money (`£38,974.00`, `38974`), yes/no variants and choices by value
or label. Each parser takes the cell (a string from a CSV, or what openpyxl gives) and
returns the value, None for a blank cell, or raises `CellProblem` with a plain message."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from safeguarding import validation

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
EXCEL_EPOCH = date(1899, 12, 30)
NUMERIC_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})$")
ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]00:00(?::00)?)?$")
WORDS_DATE = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{2,4})$")
SERIAL = re.compile(r"^\d{5}(?:\.0+)?$")
MONEY = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$")
YES = {"yes", "y", "true", "1", "x", "✓", "✔"}
NO = {"no", "n", "false", "0", "-"}


class CellProblem(ValueError):
    """A cell that cannot be read; the message completes "{Column} …"."""


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value: Any) -> str | None:
    if blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        raise CellProblem("must be text, not a date")
    try:
        return validation.clean_text(str(value), "").strip() or None
    except ValueError as exc:
        raise CellProblem(str(exc).strip()) from None


def email(value: Any) -> str | None:
    address = text(value)
    if address is None:
        return None
    if validation.email_problem(address):
        raise CellProblem("must be an email address in the correct format, like name@example.com")
    return address


def _checked(d: date) -> date:
    if problem := validation.date_problem(d):
        raise CellProblem(problem)
    return d


def _real(year: int, month: int, day: int) -> date:
    try:
        d = date(year, month, day)
    except ValueError:
        raise CellProblem("must be a real date, like 23/11/2026 or 23 Nov 2026") from None
    return _checked(d)


def _year(raw: str) -> int:
    if len(raw) != 4:
        raise CellProblem("must have the year in full, like 23/11/2026")
    return int(raw)


def day_month_swapped(value: Any) -> bool:
    """Whether `value` is a d/m/y date whose middle number cannot be a month (so the
    sheet may be written month first, US order)."""
    m = NUMERIC_DATE.match(value.strip()) if isinstance(value, str) else None
    return bool(m and int(m.group(2)) > 12)


def ambiguous(value: Any) -> bool:
    """Whether `value` reads as a date both day first and month first (03/04/2026)."""
    m = NUMERIC_DATE.match(value.strip()) if isinstance(value, str) else None
    return bool(m and int(m.group(1)) <= 12 and int(m.group(2)) <= 12 and m.group(1) != m.group(2))


def a_date(value: Any) -> date | None:
    if blank(value):
        return None
    if isinstance(value, datetime):
        return _checked(value.date())
    if isinstance(value, date):
        return _checked(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _serial(float(value))
    raw = str(value).strip()
    if SERIAL.match(raw):
        return _serial(float(raw))
    if m := ISO_DATE.match(raw):
        return _real(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if m := NUMERIC_DATE.match(raw):
        return _real(_year(m.group(3)), int(m.group(2)), int(m.group(1)))
    if m := WORDS_DATE.match(raw):
        month = MONTHS.get(m.group(2).lower())
        if month is None:
            raise CellProblem(f"has a month we do not recognise ({m.group(2)}): write it like 23 Nov 2026")
        return _real(_year(m.group(3)), month, int(m.group(1)))
    raise CellProblem("must be a date, like 23/11/2026 or 23 Nov 2026")


def _serial(number: float) -> date:
    if not 1 <= number < 100_000 or not float(number).is_integer():
        raise CellProblem("must be a date, like 23/11/2026 or 23 Nov 2026")
    return _checked(EXCEL_EPOCH + timedelta(days=int(number)))


def money(value: Any) -> int | None:
    """Pence from `£38,974.00`, `38974`, `38,974.5` or a number cell."""
    if blank(value):
        return None
    if isinstance(value, bool):
        raise CellProblem("must be an amount of money, like £38,974.00")
    if isinstance(value, int):
        raw = str(value)
    elif isinstance(value, float):
        raw = repr(value)
    else:
        raw = str(value).strip().replace(" ", "")
    raw = raw.removeprefix("£")
    if raw.startswith("-") or raw.startswith("("):
        raise CellProblem("must not be negative")
    m = MONEY.match(raw)
    if not m:
        raise CellProblem("must be an amount of money, like £38,974.00")
    pence_part = (m.group(2) or "").rstrip("0") if isinstance(value, float) else m.group(2) or ""
    if len(pence_part) > 2:
        raise CellProblem("must not have more than 2 decimal places (pence)")
    try:
        pence = int(Decimal(m.group(1).replace(",", "") + "." + (pence_part or "0")) * 100)
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        raise CellProblem("must be an amount of money, like £38,974.00") from None
    if pence > validation.MONEY_MAX_PENCE:
        raise CellProblem(f"must be {validation.MONEY_MAX_LABEL} or less")
    return pence


def yes_no(value: Any) -> bool | None:
    if blank(value):
        return None
    if isinstance(value, bool):
        return value
    raw = str(value).strip().lower()
    if isinstance(value, float) and value.is_integer():
        raw = str(int(value))
    if raw in YES:
        return True
    if raw in NO:
        return False
    raise CellProblem("must be yes or no")


def _key(raw: str) -> str:
    return re.sub(r"[\s_\-]+", " ", raw.strip().lower())


def choice(enum: type[StrEnum]) -> Callable[[Any], Any]:
    """A parser accepting each member's value or label, whatever the case and spacing."""
    accepted: dict[str, StrEnum] = {}
    for member in enum:
        accepted[_key(member.value)] = member
        label = getattr(member, "label", None)
        if isinstance(label, str):
            accepted[_key(label)] = member

    def parse(value: Any) -> StrEnum | None:
        if blank(value):
            return None
        member = accepted.get(_key(str(value)))
        if member is None:
            raise CellProblem(f"must be one of: {allowed_values(enum)}")
        return member

    return parse


def allowed_values(enum: type[StrEnum]) -> str:
    return ", ".join(member.value for member in enum)
