"""Case reviews as the business office would find them on 23 November 2026: a SAR in each
main state (one paused for a criminal trial; one signed off by the Board; one published
with its action plan part-implemented — actions completed, one not implemented with its
reason, others open; one closed), CSPRs with statutory deadlines coming and their notification facts, an LCSPR whose final
report went to the Panel with its earliest publication date to come, and information
requests returned, outstanding and overdue. Built through the services and lifecycles
users call, with the dates things happened; the Board signs reports off at extraordinary
meetings convened for it.

    builder  the steps a review goes through, as the office, the sub-group and the chair take them
    seed     the demo step "case reviews": the reviews themselves
    lcspr    the LCSPR signed off and sent to the Panel
"""

from safeguarding.demo.reviews import seed  # noqa: F401  (registers the step "case reviews")
