"""The information governance API blueprint, shared by api.py and disclosure_api.py."""

from __future__ import annotations

from flask_smorest import Blueprint

blp = Blueprint(
    "records_api", __name__, url_prefix="/api/v1", description="Subject access requests, retention and holds"
)
