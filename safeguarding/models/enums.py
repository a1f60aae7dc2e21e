"""Vocabulary shared across the product. Values are stored; they read well in URLs,
JSON and logs."""

from __future__ import annotations

from enum import StrEnum


class Area(StrEnum):
    north = "north"
    west = "west"
    both = "both"

    @property
    def label(self) -> str:
        return {"north": "North", "west": "West", "both": "North and West"}[self.value]


class Arm(StrEnum):
    adults = "adults"
    children = "children"
    both = "both"

    @property
    def label(self) -> str:
        return {"adults": "Adults", "children": "Children", "both": "Adults and children"}[self.value]


class Role(StrEnum):
    business_office = "business_office"
    independent_chair = "independent_chair"
    partner_member = "partner_member"
    subgroup_chair = "subgroup_chair"
    viewer = "viewer"
    admin = "admin"
    # Children's arm: a lead or delegated safeguarding partner (answers joint decisions for
    # their organisation) and the independent scrutineer (reads and comments).
    safeguarding_partner = "safeguarding_partner"
    scrutineer = "scrutineer"

    @property
    def label(self) -> str:
        return {
            "business_office": "Business office",
            "independent_chair": "Independent chair",
            "partner_member": "Partner member",
            "subgroup_chair": "Sub-group chair",
            "viewer": "Viewer",
            "admin": "Administrator",
            "safeguarding_partner": "Safeguarding partner (lead or delegated)",
            "scrutineer": "Independent scrutineer",
        }[self.value]


class OrganisationKind(StrEnum):
    local_authority = "local_authority"
    police = "police"
    icb = "icb"
    acute_trust = "acute_trust"
    community_health = "community_health"
    fire_rescue = "fire_rescue"
    probation = "probation"
    public_health = "public_health"
    healthwatch = "healthwatch"
    voluntary_sector = "voluntary_sector"
    education = "education"
    independent = "independent"
    other = "other"

    @property
    def label(self) -> str:
        return {
            "local_authority": "Local authority",
            "police": "Police",
            "icb": "Integrated care board",
            "acute_trust": "Acute hospital trust",
            "community_health": "Community and mental health trust",
            "fire_rescue": "Fire and rescue",
            "probation": "Probation",
            "public_health": "Public health",
            "healthwatch": "Healthwatch",
            "voluntary_sector": "Voluntary sector",
            "education": "Education",
            "independent": "Independent",
            "other": "Other",
        }[self.value]


# The three kinds of key statutory partner (Care Act s43; Working Together): the local
# authority, the police and the integrated care board.
STATUTORY_KINDS = (OrganisationKind.local_authority, OrganisationKind.police, OrganisationKind.icb)


class GroupKind(StrEnum):
    board = "board"
    executive = "executive"
    subgroup = "subgroup"

    @property
    def label(self) -> str:
        return {"board": "Board", "executive": "Executive", "subgroup": "Sub-group"}[self.value]


class MembershipRole(StrEnum):
    chair = "chair"
    vice_chair = "vice_chair"
    member = "member"
    adviser = "adviser"

    @property
    def label(self) -> str:
        return {
            "chair": "Chair",
            "vice_chair": "Vice chair",
            "member": "Member",
            "adviser": "Adviser (non-voting)",
        }[self.value]


class PartnershipState(StrEnum):
    """An organisation's membership of the partnership."""

    proposed = "proposed"
    active = "active"
    leaving = "leaving"
    left = "left"

    @property
    def label(self) -> str:
        return self.value.capitalize()
