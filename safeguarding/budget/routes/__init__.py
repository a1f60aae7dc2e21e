"""Budget pages: the years, a year's summary (lines, income, funding gap, reserves,
variations), contributions and invoices, payments, spend, the monitoring report with
its chart and downloads, and each partner's account.

`blueprint` defines `bp` and what the pages share; each module below registers its pages
on `bp` when imported, in the order they have always been registered (hence no sorting).
"""

# isort: off
from safeguarding.budget.routes.blueprint import bp
from safeguarding.budget.routes import years, contributions, invoices, spend, monitoring, home_panels, schemes  # noqa: F401
# isort: on

__all__ = ["bp"]
