"""Business plans and sub-group work plans: pages.

`common` defines the blueprint `bp` (registered by the app factory) and the helpers the
pages share; `plans` (business plans, work plans, their items), `progress` (an item's
updates, status, risk, override, year end), `reports` (the partnership view, highlight
reports, terms-of-reference reviews) and `home_panels` (the home page's counts) add to it
when imported here.
"""

from safeguarding.workplans.routes import home_panels, plans, progress, reports  # noqa: F401  (registers pages)
from safeguarding.workplans.routes.common import bp

__all__ = ["bp"]
