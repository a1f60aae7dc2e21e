"""Extensions, created at module level and bound to the app in `create_app`."""

from __future__ import annotations

import http
from typing import Any

import flask_smorest
import flask_sqlalchemy.session
from apispec import BasePlugin
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_smorest.utils import prepare_response
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from safeguarding.models.base import Base
from safeguarding.problems import PROBLEM_JSON, ProblemSchema


class Session(flask_sqlalchemy.session.Session):
    """Flask-SQLAlchemy's session, but a bind given to the session wins.

    Flask-SQLAlchemy always routes to its engine; the tests bind a session to one
    connection holding an outer transaction (rolled back after each test), which needs
    the session-level bind to be honoured.
    """

    def get_bind(self, mapper: Any = None, clause: Any = None, bind: Any = None, **kwargs: Any):
        if bind is None and self.bind is not None:
            return self.bind
        return super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)


def _is_problem_schema(schema: Any) -> bool:
    if schema is ProblemSchema or isinstance(schema, ProblemSchema):
        return True
    ref = schema.get("$ref") if isinstance(schema, dict) else schema
    return isinstance(ref, str) and ref.rsplit("/", 1)[-1] == "Problem"


class ProblemJsonPlugin(BasePlugin):
    """Responses documented with errors.ProblemSchema are `application/problem+json`,
    as errors.problem answers them (flask-smorest would say `application/json`)."""

    def operation_helper(self, path: Any = None, operations: Any = None, **kwargs: Any) -> None:
        for operation in (operations or {}).values():
            if not isinstance(operation, dict):
                continue
            for response in operation.get("responses", {}).values():
                content = response.get("content") if isinstance(response, dict) else None
                if (
                    content
                    and "application/json" in content
                    and _is_problem_schema(content["application/json"].get("schema"))
                ):
                    content[PROBLEM_JSON] = content.pop("application/json")


class Api(flask_smorest.Api):
    """flask-smorest's Api, documenting every error response as what errors.py answers:
    RFC 9457 problem JSON (errors.ProblemSchema, `application/problem+json`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        spec_kwargs = dict(kwargs.pop("spec_kwargs", None) or {})
        spec_kwargs.setdefault("extra_plugins", [ProblemJsonPlugin()])
        super().__init__(*args, spec_kwargs=spec_kwargs, **kwargs)

    def _register_responses(self) -> None:
        for status in http.HTTPStatus:
            response: dict[str, Any] = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = ProblemSchema
            prepare_response(response, self.spec, PROBLEM_JSON)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "An error, as RFC 9457 problem JSON", "schema": ProblemSchema}
        prepare_response(response, self.spec, PROBLEM_JSON)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, response, lazy=True)


db = SQLAlchemy(model_class=Base, session_options={"class_": Session})
migrate = Migrate(compare_type=True, render_as_batch=True)
login_manager = LoginManager()
csrf = CSRFProtect()
api = Api()
