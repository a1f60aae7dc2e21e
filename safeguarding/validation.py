"""What anyone may send, written once: the limits and text rules that the API's fields
(api/fields.py), the page forms (forms.py) and the request hooks installed here all use.

- Whole numbers (ids in paths, query strings and bodies) fit the database's `integer`
  (PostgreSQL's is 32-bit): -2,147,483,648 to 2,147,483,647. A path id beyond that is a
  404 (no such record), a number in a query string or body is refused with a message.
- Money is at most £10,000,000.00 (MONEY_MAX_PENCE) per amount: amounts are kept as
  integer pence in `integer` columns, so this leaves room for a copied budget's 100%
  uplift (£20m) within the column's £21,474,836.47, and is far above any partnership's
  budget line, contribution or invoice.
- Dates are between 1 January 1900 and 31 December 2100 (deadlines are counted forward
  from them in working days, so a date near the end of the calendar cannot overflow).
- Text is normalised to Unicode NFC and stripped of surrounding white space before
  anything compares it (so "Café" typed two ways, or "Board " and "Board", are the same
  name); control characters (tab, new line and carriage return apart), NUL bytes and
  unpaired surrogates are refused with a message.
- JSON request bodies are at most JSON_MAX_BYTES and JSON_MAX_DEPTH levels deep, and
  must be valid Unicode (no unpaired surrogate escapes like "\\ud800"): otherwise a 413
  or 400 problem.
- Query strings of pages may not hold control characters either (400).
"""

from __future__ import annotations

import json
import unicodedata
from datetime import date
from typing import Any

import email_validator
from flask import Flask, request
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge
from werkzeug.routing import IntegerConverter

INT_MIN = -(2**31)
INT_MAX = 2**31 - 1

MONEY_MAX_PENCE = 1_000_000_000  # £10,000,000.00
MONEY_MAX_LABEL = "£10,000,000"

DATE_MIN = date(1900, 1, 1)
DATE_MAX = date(2100, 12, 31)

JSON_MAX_BYTES = 1024 * 1024
JSON_MAX_DEPTH = 32

_ALLOWED_CONTROLS = frozenset("\t\n\r")


# --- text ----------------------------------------------------------------------------------


def text_problem(value: str) -> str | None:
    """Why `value` may not be stored as text (None when it may)."""
    for ch in value:
        if ch < " " or "\x7f" <= ch <= "\x9f":
            if ch in _ALLOWED_CONTROLS:
                continue
            if ch == "\x00":
                return "must not include NUL characters"
            return f"must not include control characters (it has U+{ord(ch):04X})"
        if "\ud800" <= ch <= "\udfff":
            return "must be valid Unicode text (it has an unpaired surrogate)"
    return None


def clean_text(value: str, what: str = "The text") -> str:
    """`value` as stored: NFC, without surrounding white space. ValueError with a message
    ("{what} must not include …") when it holds characters text may not."""
    problem = text_problem(value)
    if problem:
        raise ValueError(f"{what} {problem}")
    return unicodedata.normalize("NFC", value).strip()


def name_key(value: str) -> str:
    """How names are compared when they must be unique: NFC, stripped and case-folded in
    Python (SQLite's lower() folds ASCII letters only)."""
    return unicodedata.normalize("NFC", value).strip().casefold()


def name_taken(rows: Any, name: str, exclude_id: int | None = None) -> bool:
    """Whether any (id, name) row other than `exclude_id` has the same name as `name`."""
    key = name_key(name)
    return any(row_id != exclude_id and name_key(row_name) == key for row_id, row_name in rows)


# --- numbers, money, dates -------------------------------------------------------------------


def int_problem(value: int) -> str | None:
    if not INT_MIN <= value <= INT_MAX:
        return f"must be a whole number between {INT_MIN:,} and {INT_MAX:,}"
    return None


def parse_id(raw: str) -> int | None:
    """An id as written in a URL ("42"): ASCII digits within the database's range, or None."""
    if not raw or not raw.isascii() or not raw.isdigit():
        return None
    value = int(raw)
    return value if value <= INT_MAX else None


EMAIL_FORMAT_MESSAGE = "Enter an email address in the correct format, like name@example.com"


def email_problem(value: str) -> str | None:
    """The GOV.UK message when `value` is not an email address in the correct format
    (`.test` addresses, the demo's, are allowed; deliverability is not checked: the
    outbox reports bounces)."""
    try:
        email_validator.validate_email(value, check_deliverability=False, test_environment=True)
    except email_validator.EmailNotValidError:
        return EMAIL_FORMAT_MESSAGE
    return None


def date_problem(value: date) -> str | None:
    if not DATE_MIN <= value <= DATE_MAX:
        return f"must be between {DATE_MIN.year} and {DATE_MAX.year}"
    return None


# --- the URL converter -------------------------------------------------------------------------


class IdConverter(IntegerConverter):
    """`<int:…>` in every route: at most INT_MAX, so a larger id is simply not found (404)
    rather than a number the database cannot compare."""

    def __init__(
        self, map: Any, fixed_digits: int = 0, min: int | None = None, max: int | None = None, signed: bool = False
    ) -> None:
        super().__init__(map, fixed_digits, min, INT_MAX if max is None else max, signed)


# --- JSON bodies -----------------------------------------------------------------------------


def json_body_problem(data: bytes) -> tuple[int, str] | None:
    """(status, message) when a JSON body is too large, too deep or not valid Unicode;
    None otherwise (malformed JSON is left to the parser, which answers 400)."""
    if len(data) > JSON_MAX_BYTES:
        return 413, f"The JSON body is larger than {JSON_MAX_BYTES // 1024} KiB"
    try:
        parsed = json.loads(data)
    except RecursionError:
        return 400, f"The JSON body is nested more than {JSON_MAX_DEPTH} levels deep"
    except ValueError:
        return None
    stack: list[tuple[Any, int]] = [(parsed, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth >= JSON_MAX_DEPTH:
                return 400, f"The JSON body is nested more than {JSON_MAX_DEPTH} levels deep"
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                if isinstance(key, str) and _has_surrogate(key):
                    return 400, "The JSON body is not valid Unicode: it has an unpaired surrogate escape"
                stack.append((item, depth + 1))
        elif isinstance(value, str) and _has_surrogate(value):
            return 400, "The JSON body is not valid Unicode: it has an unpaired surrogate escape"
    return None


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


# --- installing -----------------------------------------------------------------------------


def install(app: Flask) -> None:
    """The bounded `int` converter (before any route is added) and the request checks."""
    from safeguarding.extensions import api

    app.url_map.converters["int"] = IdConverter
    if not any(converter is IdConverter for converter, _ in api._converters):
        from flask_smorest.spec.plugins import integerconverter2paramschema

        api.register_converter(IdConverter, integerconverter2paramschema)

    @app.before_request
    def _refuse_bad_input() -> None:
        if request.mimetype == "application/json" or request.mimetype.endswith("+json"):
            if request.content_length is not None and request.content_length > JSON_MAX_BYTES:
                raise RequestEntityTooLarge(f"The JSON body is larger than {JSON_MAX_BYTES // 1024} KiB")
            problem = json_body_problem(request.get_data(cache=True))
            if problem:
                status, message = problem
                raise (RequestEntityTooLarge if status == 413 else BadRequest)(message)
        if not request.path.startswith("/api/"):
            # Pages read their query strings themselves; the API's are fields of its schemas.
            for key, value in request.args.items(multi=True):
                if text_problem(key) or text_problem(value):
                    raise BadRequest("The address has characters that are not allowed in it")
