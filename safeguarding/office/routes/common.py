"""The meeting office's blueprint and what its pages share."""

from __future__ import annotations

from flask import Blueprint, request

from safeguarding import nav
from safeguarding.models import Role

bp = Blueprint("office", __name__)

OFFICE = (Role.business_office,)
PAPER_READERS = (Role.business_office, Role.independent_chair, Role.partner_member, Role.subgroup_chair)
# The risk register: kept by the office, read by the chair and the Board's members.
RISK_READERS = PAPER_READERS

nav.add("Risks", "office.risks", order=58, group="Plans and actions")
nav.add("Forward plan", "office.forward_plan", order=36, group="Meetings")


def form_version() -> int | None:
    raw = request.form.get("version")
    return int(raw) if raw and raw.isdigit() and len(raw) < 10 else None
