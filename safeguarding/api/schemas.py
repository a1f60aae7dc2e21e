"""Schemas shared by every API blueprint."""

from __future__ import annotations

from typing import Any

from flask_login import current_user
from marshmallow import Schema, validate

from safeguarding.api import fields
from safeguarding.workflows.base import Lifecycle


class PatchSchema(Schema):
    """The body of a PATCH: `version` (the one you read) is required and every other field
    may be left out. A field left out keeps its value (see `patched`); a field given as
    null is refused with a 422 unless it may be null."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("partial", tuple(name for name in self._declared_fields if name != "version"))
        super().__init__(*args, **kwargs)


def patched(body: dict[str, Any], row: Any, schema: type[Schema], *, leave_out: tuple[str, ...] = ()) -> dict[str, Any]:
    """A loaded PATCH `body` with each field it left out taken from `row` (so services that
    take every field get the record's own values for them). `leave_out`: attributes not to
    fill in (the service works out their new values itself)."""
    out = dict(body)
    for name, field in schema._declared_fields.items():
        key = field.attribute or name
        if field.dump_only or name == "version" or key in out or key in leave_out or "." in key:
            continue
        if hasattr(row, key):
            out[key] = getattr(row, key)
    return out


class PageArgs(Schema):
    page = fields.Integer(
        load_default=1, validate=validate.Range(min=1), metadata={"description": "Page number, from 1"}
    )
    per_page = fields.Integer(
        load_default=50, validate=validate.Range(min=1, max=200), metadata={"description": "Items per page (1–200)"}
    )


_page_schemas: dict[str, type[Schema]] = {}


def page_of(item_schema: type[Schema]) -> type[Schema]:
    """The list envelope: {"items": [...], "total": n, "page": p, "per_page": k}."""
    name = f"{item_schema.__name__.removesuffix('Schema')}Page"
    if name not in _page_schemas:
        _page_schemas[name] = Schema.from_dict(
            {
                "items": fields.List(fields.Nested(item_schema)),
                "total": fields.Integer(),
                "page": fields.Integer(),
                "per_page": fields.Integer(),
            },
            name=name,
        )
    return _page_schemas[name]


def page(items: list[Any], total: int, args: dict[str, Any]) -> dict[str, Any]:
    return {"items": items, "total": total, "page": args.get("page", 1), "per_page": args.get("per_page", 50)}


def workflow_fields(lifecycle: Lifecycle) -> dict[str, fields.Field]:
    """`state`, `version` and `available_triggers` (for the requesting user) — the uniform
    contract every workflow resource shows."""
    return {
        "state": fields.Function(lambda obj: lifecycle.state_of(obj)),
        "version": fields.Integer(),
        "available_triggers": fields.Function(
            # The user behind the proxy, once per row (not once per trigger and check).
            lambda obj: lifecycle.available_triggers(obj, current_user._get_current_object()),
            metadata={"description": "Triggers the requesting user may fire now"},
        ),
    }


class TransitionRequestSchema(Schema):
    trigger = fields.String(required=True)
    version = fields.Integer(required=True, strict=True)
    comment = fields.String(allow_none=True)

    class Meta:
        unknown = "include"


class HistorySchema(Schema):
    id = fields.Integer()
    trigger = fields.String()
    from_state = fields.String()
    to_state = fields.String()
    actor = fields.String(attribute="actor_label")
    at = fields.DateTime(metadata={"description": "When it was entered in the service"})
    occurred_on = fields.Date(
        allow_none=True,
        metadata={"description": "The day it happened, when the trigger asks for it (may be before `at`)"},
    )
    comment = fields.String(allow_none=True)
    data = fields.Dict()
