"""The search page (`/search?q=&type=&area=&from=&to=&order=`) and the header's search
box (for every role that may search: see services/search/kinds.py SEARCHERS)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, render_template, request
from flask_login import current_user

from safeguarding import access
from safeguarding.models import Area
from safeguarding.services import search
from safeguarding.validation import date_problem, parse_id

bp = Blueprint("search", __name__)

AREAS = [(Area.north.value, "North"), (Area.west.value, "West"), (Area.both.value, "North and West")]


@bp.app_context_processor
def _header_search() -> dict[str, Any]:
    return {"header_search": search.may_search(current_user)}


def _date_arg(name: str, errors: dict[str, str]) -> date | None:
    raw = (request.args.get(name) or "").strip()
    if not raw:
        return None
    try:
        value = date.fromisoformat(raw)
    except ValueError:
        errors[name] = "Enter a real date, like 2024-04-01"
        return None
    if problem := date_problem(value):
        errors[name] = problem
        return None
    return value


def _args() -> tuple[dict[str, Any], dict[str, str]]:
    errors: dict[str, str] = {}
    args: dict[str, Any] = {
        "q": (request.args.get("q") or "").strip(),
        "types": [t for t in request.args.getlist("type") if t] or None,
        "date_from": _date_arg("from", errors),
        "date_to": _date_arg("to", errors),
        "area": request.args.get("area") or None,
        "order": request.args.get("order") or "newest",
    }
    errors.update(
        search.check(args["q"], args["types"], args["date_from"], args["date_to"], args["area"], args["order"])
    )
    # A bad filter is dropped (and said), never a 500.
    for name in errors:
        key = {"from": "date_from", "to": "date_to", "type": "types"}.get(name, name)
        args[key] = {"q": "", "order": "newest"}.get(key)
    return args, errors


@bp.route("/search")
@access.roles(*search.SEARCHERS)
def index():
    args, errors = _args()
    page = min(parse_id(request.args.get("page") or "1") or 1, 10_000)
    found = search.find(user=current_user, page=page, **args)
    kinds = search.kinds_for(current_user)
    link_args = {
        "q": args["q"] or None,
        "area": args["area"],
        "from": args["date_from"].isoformat() if args["date_from"] else None,
        "to": args["date_to"].isoformat() if args["date_to"] else None,
        "order": args["order"] if args["order"] != "newest" else None,
    }
    return render_template(
        "search/index.html",
        found=found,
        kinds=kinds,
        labels={k.key: k.label for k in search.KINDS},
        args=args,
        link_args=link_args,
        selected=args["types"] or [],
        errors=errors,
        areas=AREAS,
    )
