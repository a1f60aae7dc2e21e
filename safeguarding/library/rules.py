"""Who uses the library (domain.md, "Who uses it" and "Learning from reviews").

Findings are learning meant to be shared: every role but the administrator (no case
content) opens the library — viewers included, who may read what is not restricted and
never "findings' non-public text". A finding's statement is need-to-know (the service
shows it only to whoever may see its source); the others read the anonymised public
statement and the tags. Only the business office records and edits findings."""

from __future__ import annotations

from safeguarding.models import Role

LIBRARY_READERS = (
    Role.business_office,
    Role.independent_chair,
    Role.partner_member,
    Role.subgroup_chair,
    Role.viewer,
    Role.safeguarding_partner,
    Role.scrutineer,
)
OFFICE = (Role.business_office,)
