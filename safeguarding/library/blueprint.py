"""The library's blueprint, shared by its page modules (routes.py, impact.py)."""

from __future__ import annotations

from flask import Blueprint

from safeguarding import nav

bp = Blueprint("library", __name__)

nav.add("Learning library", "library.index", order=22, section=("library",), group="Reviews and learning")
