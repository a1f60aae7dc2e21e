"""The library's API blueprint, shared by api.py and sources_api.py."""

from __future__ import annotations

from flask_smorest import Blueprint

blp = Blueprint(
    "library_api",
    __name__,
    url_prefix="/api/v1",
    description="The learning library: findings from reviews, learning reviews and audits",
)
