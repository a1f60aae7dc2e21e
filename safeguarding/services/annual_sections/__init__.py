"""The annual report's built-in data sections, each generated from the year's records, and
the registry they register in. Per arm and per area, a record counts when its own arm or
area is exactly that one (records for both arms or both areas count in the whole
partnership's figures only), so the parts never double count.

The package: `registry` (what a section function returns, the registry of data sections,
the narrative sections, the arms and areas; `safeguarding.services.annual` re-exports it),
`common` (phrasing helpers), `meetings` (meetings; the attendance figures other sections
reuse), `reviews` (SARs and CSPRs) and `partnership` (members, budget, disputes and
complaints, work plans, attendance escalations), `strategy` (reporting against the strategic
plan: Schedule 2 para 4(1)(b) and (c)) and `children` (the children's yearly
report's reviews, learning and funding). Importing a module registers its
sections; they are imported in the single module's order, so the registry fills in the
same order as before. Nothing here imports `safeguarding.services.annual`: the report
imports its sections.
"""

from safeguarding.services.annual_sections.meetings import attendance_by_organisation, meetings_section

# isort: split
from safeguarding.services.annual_sections.reviews import csprs_section, sars_section

# isort: split
from safeguarding.services.annual_sections.partnership import (
    budget_section,
    disputes_section,
    escalations_section,
    members_section,
    workplans_section,
)

# isort: split
from safeguarding.services.annual_sections.strategy import strategy_section

# isort: split
from safeguarding.services.annual_sections.children import (
    cspr_decisions_section,
    cspr_learning_section,
    funding_section,
)

# isort: split
from safeguarding.services.annual_sections.governance import governance_section

__all__ = [
    "attendance_by_organisation",
    "meetings_section",
    "sars_section",
    "csprs_section",
    "members_section",
    "budget_section",
    "disputes_section",
    "workplans_section",
    "escalations_section",
    "strategy_section",
    "cspr_decisions_section",
    "cspr_learning_section",
    "funding_section",
    "governance_section",
]
