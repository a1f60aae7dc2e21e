"""Pages for case reviews: the dashboard and the chair's queue, the list, referral and
notification forms, a review's page (or, for a partner of a named agency, the page of
their own requests and actions), the forms that move a review on, and the timeliness
report.

Each page's roles are declared (a role that may never use it: 403 for every id); within
them, record-level access is the service's: a review the user may not know exists is a
404; a review they know but may not change here is a 403.

One blueprint, `bp` (common.py, with the roles and the helpers every page uses); each
module below adds its pages to it when imported, in this order:

    lists                 the dashboard, all reviews, information requests
    referral              referral (SAR) and serious incident notification (CSPR)
    review                a review's page and its case details
    decisions             screening, the rapid review and the chair's decision
    progress              commissioning, events, reports, quality check, agencies
    information_requests  sending, answering and downloading information requests
    recommendations       recommendations and their actions
    timeliness            the timeliness report
    home_panels           the home page's panels
"""

# The pages are added to bp in the order the single routes module had them.
# isort: off
from safeguarding.reviews.routes.common import bp
from safeguarding.reviews.routes import (  # noqa: F401  (each module adds its pages to bp)
    lists,
    referral,
    review,
    decisions,
    progress,
    information_requests,
    recommendations,
    timeliness,
    home_panels,
)
# isort: on

__all__ = ["bp"]
