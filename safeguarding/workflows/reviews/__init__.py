"""Case reviews, from referral (SAR) or serious incident notification (CSPR) to the closed
action plan:

    SAR   referred → screening → information_gathering → awaiting_decision
    CSPR  notified → rapid_review → awaiting_decision
    both  awaiting_decision → commissioned | not_commissioned (closed)            (SAR)
                            → lcspr_commissioned | no_lcspr (closed)           (CSPR)
          → in_review ⇄ paused → draft_report → signed_off → published
          → action_monitoring → closed
    CSPR  awaiting_decision | lcspr_commissioned | no_lcspr | in_review | paused
          → national_review (closed: the national Panel reviews the case)

Only the independent chair decides. The business office and the review's sub-group
screen, gather information, recommend and quality-check; the business office runs the
rest. An information request is sent → returned (by the agency) or withdrawn.

The lifecycles are declarations: they import models and the engine only. What needs the
service (who works on a review, the checks and effects that read or write through it,
loading a record) is named here and registered by services/reviews/lifecycle.py; the
pages' addresses by reviews/routes/.

    guards                who may act, and what must hold before each transition
    effects               what each transition of a review does
    review                the "review" lifecycle
    information_requests  the "information_request" lifecycle
"""

# Registered in the order the single module had them: "review", then "information_request".
# isort: off
from safeguarding.workflows.reviews.review import review_lifecycle
from safeguarding.workflows.reviews.information_requests import request_lifecycle
# isort: on

__all__ = ["request_lifecycle", "review_lifecycle"]
