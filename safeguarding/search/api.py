"""JSON API of the search.

    /api/v1/search?q=&type=&from=&to=&area=&order=&page=&per_page=
        {"q", "counts": {kind: n}, "items": [...], "total", "page", "per_page"}

Only records the caller may open are counted or listed; `snippet` is HTML: the record's
text escaped, the words found in <mark>."""

from __future__ import annotations

from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError, validate, validates_schema

from safeguarding import access
from safeguarding.api import fields
from safeguarding.api.schemas import PageArgs
from safeguarding.models import Area
from safeguarding.services import search

blp = Blueprint("search_api", __name__, url_prefix="/api/v1", description="One search across the partnership's records")


class SearchArgs(PageArgs):
    q = fields.String(
        load_default="", validate=validate.Length(max=search.MAX_QUERY), metadata={"description": "Words to find"}
    )
    type = fields.List(
        fields.String(validate=validate.OneOf(list(search.BY_KEY))),
        load_default=None,
        metadata={"description": "Kinds of record (repeat for several): " + ", ".join(search.BY_KEY)},
    )
    from_ = fields.Date(load_default=None, data_key="from", metadata={"description": "On or after"})
    to = fields.Date(load_default=None, metadata={"description": "On or before"})
    area = fields.String(load_default=None, validate=validate.OneOf([a.value for a in Area]))
    order = fields.String(load_default="newest", validate=validate.OneOf(list(search.ORDERS)))

    @validates_schema
    def _period(self, data, **kwargs):
        if data.get("from_") and data.get("to") and data["from_"] > data["to"]:
            raise ValidationError({"to": ["The end date must be the same as or after the start date"]})


class ResultSchema(Schema):
    type = fields.String(attribute="kind", metadata={"description": "The group the record is counted in"})
    record_type = fields.String()
    record_id = fields.Integer()
    title = fields.String()
    snippet = fields.Function(lambda r: str(r.snippet), metadata={"description": "HTML: escaped text, <mark> words"})
    occurred_on = fields.Date(allow_none=True)
    area = fields.String(allow_none=True)
    url = fields.String()


class SearchSchema(Schema):
    q = fields.String()
    counts = fields.Dict(keys=fields.String(), values=fields.Integer(), metadata={"description": "Results per kind"})
    items = fields.List(fields.Nested(ResultSchema))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()


@blp.route("/search", methods=["GET"])
@access.roles(*search.SEARCHERS)
@blp.arguments(SearchArgs, location="query")
@blp.response(200, SearchSchema)
def search_records(args):
    """Find the records you may open that hold every word of `q`: counts per kind and a
    page of results, newest first (or `order=relevance`)."""
    return search.find(
        args["q"],
        current_user,
        types=args["type"],
        date_from=args["from_"],
        date_to=args["to"],
        area=args["area"],
        page=args["page"],
        per_page=args["per_page"],
        order=args["order"],
    )
