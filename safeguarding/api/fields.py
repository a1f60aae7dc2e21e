"""marshmallow's fields, with the input rules of safeguarding/validation.py built in.

The API's schemas import `fields` from here instead of from marshmallow, so every field
follows the rules without saying so:

- `String`: NFC, stripped, and refused (422) when it has control characters, NUL bytes
  or unpaired surrogates;
- `Integer`: within the database's integer range (documented as minimum/maximum);
- `Date`: between validation.DATE_MIN and DATE_MAX.

The other fields are marshmallow's own.
"""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, validate
from marshmallow import fields as _ma
from marshmallow.fields import (
    URL,
    Bool,
    Boolean,
    Constant,
    DateTime,
    Decimal,
    Dict,
    Email,
    Enum,
    Field,
    Float,
    Function,
    List,
    Mapping,
    Method,
    Nested,
    Pluck,
    Raw,
    Time,
    Tuple,
    Url,
)

from safeguarding import validation

__all__ = [
    "URL",
    "Bool",
    "Boolean",
    "Constant",
    "Date",
    "DateTime",
    "Decimal",
    "Dict",
    "Email",
    "Enum",
    "Field",
    "Float",
    "Function",
    "Int",
    "Integer",
    "List",
    "Mapping",
    "Method",
    "Nested",
    "Pluck",
    "Raw",
    "Str",
    "String",
    "Time",
    "Tuple",
    "Url",
]


class String(_ma.String):
    """Text as stored: see validation.clean_text."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return validation.clean_text(text, "Text")
        except ValueError as exc:
            raise ValidationError(str(exc)) from None


class Integer(_ma.Integer):
    """A whole number the database can hold."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validators.insert(
            0,
            validate.Range(
                min=validation.INT_MIN,
                max=validation.INT_MAX,
                error=f"Must be a whole number between {validation.INT_MIN:,} and {validation.INT_MAX:,}",
            ),
        )

    def _validated(self, value: Any) -> int:
        try:
            return super()._validated(value)
        except OverflowError:  # a JSON Infinity
            raise self.make_error("invalid", input=value) from None


class Date(_ma.Date):
    """A date within the calendar the partnership's deadlines are counted in."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        d = super()._deserialize(value, attr, data, **kwargs)
        problem = validation.date_problem(d)
        if problem:
            raise ValidationError(f"The date {problem}")
        return d


Str = String
Int = Integer
