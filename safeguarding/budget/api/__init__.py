"""JSON API for the budget.

Money is a decimal string in pounds in fields named `amount` (and the like): `"38974.00"`.
Dumps also give the integer pence (`amount_pence`). A JSON number, a negative amount,
more than two decimal places or anything that is not a number is refused with a 422
problem naming the field.

- `/api/v1/budgets` (list, create) and `/api/v1/budgets/{budget_ref}` where `budget_ref` is
  the budget's id (`7`) or its financial year (`2020-21`); plus the uniform
  `/api/v1/budgets/{id}/transitions` and `/history`;
- `/api/v1/budgets/{budget_ref}/lines` and `/income`;
- `/api/v1/contribution-agreements`, `/api/v1/invoices`, `/api/v1/payments`, `/api/v1/spend`;
- `/api/v1/reports/budget-monitoring?year=2020-21` and `/api/v1/reports/contributions?year=`:
  JSON, or CSV/XLSX with `format=csv|xlsx` (or `Accept: text/csv` /
  `application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`; `format` wins).

`blueprint` defines `blp`, `schemas` the fields and schemas; each module below registers
its endpoints on `blp` when imported, in the order they have always been registered (the
order of the paths in the OpenAPI document; hence no sorting).
"""

# isort: off
from safeguarding.budget.api.blueprint import blp
from safeguarding.budget.api import budgets, contributions, invoices, spend, reports, schemes  # noqa: F401
# isort: on

__all__ = ["blp"]
