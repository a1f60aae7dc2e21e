"""API sign-in: exchange an email and password for a bearer token; who am I."""

from __future__ import annotations

from flask import current_app
from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from safeguarding import access
from safeguarding.auth.loaders import bearer_token
from safeguarding.errors import ProblemSchema
from safeguarding.services import accounts, audit, sign_in
from safeguarding.services.errors import ServiceError

blp = Blueprint("auth_api", __name__, url_prefix="/api/v1", description="Authentication and the current user")


class Unauthorised(ServiceError):
    status = 401
    title = "Unauthorized"


class TokenRequestSchema(Schema):
    email = fields.Email(required=True)
    password = fields.String(required=True, load_only=True)


class TokenSchema(Schema):
    token = fields.String(metadata={"description": "Send as `Authorization: Bearer <token>`"})
    expires_at = fields.DateTime()


class MeSchema(Schema):
    id = fields.Integer()
    email = fields.String()
    name = fields.String()
    roles = fields.Function(lambda u: sorted(r.value for r in u.roles))
    organisation_id = fields.Integer(allow_none=True)
    person_id = fields.Integer(allow_none=True)


@blp.route("/auth/token", methods=["POST"])
@access.public
@blp.arguments(TokenRequestSchema)
@blp.response(201, TokenSchema)
@blp.alt_response(401, schema=ProblemSchema, description="Wrong email or password")
@blp.alt_response(
    429,
    schema=ProblemSchema,
    description="Too many attempts: wait for `Retry-After` seconds",
    headers={"Retry-After": {"description": "Seconds to wait", "schema": {"type": "integer"}}},
)
def issue_token(body):
    """Exchange an email address and password for a bearer token. Sign-in is throttled
    per email address and per client address (see the README)."""
    user = sign_in.sign_in(body["email"], body["password"])
    if user is None:
        raise Unauthorised("Wrong email address or password")
    token, expires = accounts.issue_token(user, current_app.config["API_TOKEN_LIFETIME"])
    with audit.acting_as(user.email, user.id):
        audit.record("token_issued", "users", user.id)
    return {"token": token, "expires_at": expires}


@blp.route("/auth/token", methods=["DELETE"])
@access.signed_in
@blp.response(204)
def revoke_token():
    """Revoke the bearer token this request carries."""
    token = bearer_token()
    if token:
        accounts.revoke_token(token)
    return None


@blp.route("/me", methods=["GET"])
@access.signed_in
@blp.response(200, MeSchema)
def me():
    """The signed-in user, with their roles."""
    return current_user._get_current_object()
