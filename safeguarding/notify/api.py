"""JSON API for the email outbox: send again in bulk."""

from __future__ import annotations

from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError, validate, validates_schema

from safeguarding import access
from safeguarding.api import fields
from safeguarding.models import Role
from safeguarding.notify import outbox

blp = Blueprint("notify_api", __name__, url_prefix="/api/v1", description="The email outbox")


class RetryArgs(Schema):
    ids = fields.List(
        fields.Integer(strict=True),
        validate=validate.Length(min=1, max=outbox.MAX_SELECTION),
        metadata={"description": "These emails (each failed, or held once a mail server is configured)"},
    )
    all = fields.String(
        validate=validate.OneOf([outbox.ALL_FAILED, outbox.ALL_HELD]),
        metadata={"description": "`failed`: every failed email; `held`: release every held email"},
    )

    @validates_schema
    def _one_of(self, data, **kwargs):
        if ("ids" in data) == ("all" in data):
            raise ValidationError("Give either `ids` or `all`, not both or neither", "_schema")


class RetryResult(Schema):
    count = fields.Integer(metadata={"description": "How many emails went back in the queue"})


@blp.route("/outbox/retry", methods=["POST"])
@access.roles(Role.business_office)
@blp.arguments(RetryArgs)
@blp.response(200, RetryResult)
def retry(args):
    """Send emails again with a fresh set of attempts: a selection, every failed email, or
    every held one (once a mail server is configured). Audited with the count."""
    return {"count": outbox.send_again_many(args["ids"] if "ids" in args else args["all"])}
