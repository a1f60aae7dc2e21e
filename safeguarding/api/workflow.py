"""The uniform workflow endpoints, added to a collection in one call:

POST /api/v1/<collection>/<id>/transitions  {"trigger", "version", "comment"?, ...fields}
GET  /api/v1/<collection>/<id>/history
"""

from __future__ import annotations

from typing import Any

from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError

from safeguarding import access
from safeguarding.api.schemas import HistorySchema, TransitionRequestSchema
from safeguarding.errors import ProblemSchema
from safeguarding.services.errors import ValidationFailed
from safeguarding.workflows.base import Lifecycle, params_schema


def _parse_params(lifecycle: Lifecycle, trigger: str, body: dict[str, Any]) -> dict[str, Any]:
    spec = lifecycle.transitions.get(trigger)
    if spec is None:
        return {}
    extra = {k: v for k, v in body.items() if k not in ("trigger", "version", "comment")}
    try:
        return params_schema(spec)().load(extra)
    except ValidationError as exc:
        raise ValidationFailed(
            errors={k: (v[0] if isinstance(v, list) else str(v)) for k, v in exc.messages.items()}
        ) from None


def firers_of(lifecycle: Lifecycle, readers: Any = None) -> Any:
    """The access rule for firing `lifecycle`'s triggers: the roles that hold at least one
    of its triggers (and, when `readers` names roles, may read the record); a lifecycle
    whose triggers are all the system's is refused to everyone."""
    roles: set[Any] = set()
    for spec in lifecycle.transitions.values():
        roles |= spec.role_set
    if readers is not None:
        read = access.rule_of(readers)
        if read.roles is not None:
            roles &= read.roles
    return access.roles(*sorted(roles)) if roles else access.nobody


def add_workflow_endpoints(
    blp: Blueprint,
    collection: str,
    lifecycle: Lifecycle,
    resource_schema: type[Schema],
    *,
    load: Any = None,
    readers: Any = None,
    history_readers: Any = None,
) -> None:
    """`collection` is the path under the blueprint's prefix (e.g. "/organisations").
    `load(entity_id, user)` returns the row or raises NotFound (need-to-know checks go
    there); defaults to the lifecycle's loader. `readers` is the access rule of the
    history (default: any signed-in user; `history_readers` narrows it); the transitions
    are for the readers who hold a trigger (`firers_of`); the loader and the triggers do
    the rest."""
    loader = load or lifecycle.loader
    rule = firers_of(lifecycle, readers)
    history_rule = history_readers or readers or access.signed_in
    noun = lifecycle.noun

    def transitions(body: dict[str, Any], entity_id: int):
        row = loader(entity_id, current_user)
        params = _parse_params(lifecycle, body["trigger"], body)
        lifecycle.fire(
            row, body["trigger"], user=current_user, version=body["version"], params=params, comment=body.get("comment")
        )
        return row

    transitions.__name__ = f"{lifecycle.name}_transitions"
    transitions.__doc__ = (
        f"Fire a trigger on a {noun}.\n\n200 with the {noun}; 403 your role may not fire it; 409 not allowed "
        f"from the current state or stale version; 422 a guard or validation refused it, with reasons."
    )
    view = rule(transitions)
    view = blp.response(200, resource_schema)(view)
    view = blp.alt_response(403, schema=ProblemSchema, description="Your role may not fire this trigger")(view)
    view = blp.alt_response(409, schema=ProblemSchema, description="Wrong state or stale version")(view)
    view = blp.alt_response(422, schema=ProblemSchema, description="Refused by a guard or validation")(view)
    view = blp.arguments(TransitionRequestSchema)(view)
    blp.route(f"{collection}/<int:entity_id>/transitions", methods=["POST"], endpoint=f"{lifecycle.name}_transitions")(
        view
    )

    def history(entity_id: int):
        row = loader(entity_id, current_user)
        return lifecycle.history(row.id)

    history.__name__ = f"{lifecycle.name}_history"
    history.__doc__ = f"The recorded transitions of a {noun}, oldest first."
    hview = history_rule(history)
    hview = blp.response(200, HistorySchema(many=True))(hview)
    blp.route(f"{collection}/<int:entity_id>/history", methods=["GET"], endpoint=f"{lifecycle.name}_history")(hview)
