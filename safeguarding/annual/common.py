"""The annual report's blueprint, shared by its page modules (routes.py, distribution.py)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("annual", __name__.rpartition(".")[0])
