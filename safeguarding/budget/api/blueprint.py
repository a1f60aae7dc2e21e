"""The budget API's blueprint and who may use it."""

from __future__ import annotations

from flask_smorest import Blueprint

from safeguarding.models import Role

blp = Blueprint(
    "budget_api",
    __name__,
    url_prefix="/api/v1",
    description="The budget: years, lines, contributions, invoices, payments, spend, monitoring",
)

OFFICE = (Role.business_office,)
SEE_ALL = (Role.business_office, Role.independent_chair)
FINANCE = (*SEE_ALL, Role.partner_member)
READERS = (*FINANCE, Role.viewer)
