"""RFC 9457 problem details: the body of every API error (errors.problem writes them; the
OpenAPI document describes them with this schema). Imports nothing of ours, so both the
error handlers and the extensions can use it."""

from marshmallow import Schema, fields

PROBLEM_JSON = "application/problem+json"


class ProblemSchema(Schema):
    """RFC 9457 problem details, with `errors` (field → message) and `reasons`."""

    type = fields.String()
    title = fields.String()
    status = fields.Integer()
    detail = fields.String()
    instance = fields.String()
    errors = fields.Dict(keys=fields.String(), values=fields.String())
    reasons = fields.List(fields.String())
