"""The information governance blueprint, shared by its page modules (routes.py,
disclosure.py)."""

from __future__ import annotations

from flask import Blueprint

from safeguarding import nav

bp = Blueprint("records", __name__)

nav.add("Subject access", "records.access_requests", order=92, group="Administration")
nav.add("Retention", "records.retention", order=93, group="Administration")
