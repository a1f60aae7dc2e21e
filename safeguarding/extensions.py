"""Extensions, created at module level and bound to the app in `create_app`."""

from __future__ import annotations

from typing import Any

import flask_sqlalchemy.session
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from safeguarding.models.base import Base


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


db = SQLAlchemy(model_class=Base, session_options={"class_": Session})
migrate = Migrate(compare_type=True, render_as_batch=True)
login_manager = LoginManager()
csrf = CSRFProtect()
api = Api()
