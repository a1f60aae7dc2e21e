"""The partnership itself: two unitary councils (North and West), the police and the
integrated care board as statutory partners, the other relevant agencies, the Board, the
Executive and the sub-groups, people with deputies, and the demo accounts."""

from __future__ import annotations

from datetime import date

from safeguarding.demo import DEMO_PASSWORD, DemoContext, at, history_day, step
from safeguarding.models import Area, Arm, GroupKind, MembershipRole, OrganisationKind, Role
from safeguarding.services import accounts
from safeguarding.services import partnership as svc
from safeguarding.workflows.partnership import partnership_lifecycle

START = date(2020, 4, 1)  # the story's first day; history_day() moves it with the load day

ORGANISATIONS = [
    # key, name, short, kind, area, adults, children, chief executive, title
    (
        "north",
        "North Council",
        "North Council",
        OrganisationKind.local_authority,
        Area.north,
        True,
        True,
        "Rachel Kingsley",
        "Chief Executive",
    ),
    (
        "west",
        "West Council",
        "West Council",
        OrganisationKind.local_authority,
        Area.west,
        True,
        True,
        "Anthony Okoro",
        "Chief Executive",
    ),
    (
        "police",
        "County Police",
        "Police",
        OrganisationKind.police,
        Area.both,
        True,
        True,
        "Nicola Brannigan",
        "Chief Constable",
    ),
    (
        "icb",
        "County Integrated Care Board",
        "ICB",
        OrganisationKind.icb,
        Area.both,
        True,
        True,
        "Dr Simon Ferris",
        "Chief Executive",
    ),
    (
        "acute",
        "County University Hospitals NHS Trust",
        "Hospitals",
        OrganisationKind.acute_trust,
        Area.both,
        False,
        False,
        "Helen Drummond",
        "Chief Executive",
    ),
    (
        "fire",
        "County Fire and Rescue Service",
        "Fire and Rescue",
        OrganisationKind.fire_rescue,
        Area.both,
        False,
        False,
        "Mark Ashworth",
        "Chief Fire Officer",
    ),
    (
        "probation",
        "Probation Service (County)",
        "Probation",
        OrganisationKind.probation,
        Area.both,
        False,
        False,
        "Lydia Crane",
        "Head of Probation Delivery Unit",
    ),
    (
        "public_health",
        "County Public Health",
        "Public Health",
        OrganisationKind.public_health,
        Area.both,
        False,
        False,
        "Dr Imran Qureshi",
        "Director of Public Health",
    ),
    (
        "healthwatch",
        "Healthwatch County",
        "Healthwatch",
        OrganisationKind.healthwatch,
        Area.both,
        False,
        False,
        "Beverley Tate",
        "Chief Executive",
    ),
    (
        "vcs",
        "County Voluntary Sector Forum",
        "Voluntary Sector",
        OrganisationKind.voluntary_sector,
        Area.both,
        False,
        False,
        "Owen Pritchard",
        "Director",
    ),
]

PEOPLE = [
    # key, name, job title, organisation key (None: independent / partnership staff)
    ("chair", "Margaret Ellison", "Independent Chair", None),
    ("office", "Priya Shah", "Partnership Business Manager", None),
    ("officer", "Tom Bell", "Partnership Support Officer", None),
    ("north_dass", "Anita Desai", "Director of Adult Social Services", "north"),
    ("north_deputy", "Colin Marsh", "Head of Safeguarding (Adults)", "north"),
    ("north_dcs", "Fiona Grant", "Director of Children's Services", "north"),
    ("west_dass", "Mark Holloway", "Director of Adult Social Services", "west"),
    ("west_deputy", "Sarah Quinn", "Principal Social Worker", "west"),
    ("west_dcs", "David Osei", "Director of Children's Services", "west"),
    ("police_lead", "Ch Supt Daniel Reeve", "Neighbourhood Policing Commander", "police"),
    ("police_deputy", "Det Supt Karen Lowe", "Head of Public Protection", "police"),
    ("icb_lead", "Joanne Whitfield", "Chief Nurse", "icb"),
    ("icb_deputy", "Paul Haynes", "Deputy Chief Nurse", "icb"),
    ("sar_chair", "Dr Ruth Adeyemi", "Designated Nurse, Safeguarding Adults", "icb"),
    ("acute_lead", "Gemma Fox", "Director of Nursing", "acute"),
    ("acute_deputy", "Liam Carter", "Head of Safeguarding", "acute"),
    ("fire_lead", "Andrew Price", "Area Manager, Prevention", "fire"),
    ("probation_lead", "Naomi Webb", "Senior Probation Officer", "probation"),
    ("ph_lead", "Dr Imran Qureshi", "Director of Public Health", "public_health"),
    ("healthwatch_lead", "Beverley Tate", "Chief Executive", "healthwatch"),
    ("vcs_lead", "Owen Pritchard", "Director", "vcs"),
    ("viewer", "Cllr Janet Morris", "Chair, Scrutiny Committee", None),
    ("scrutineer", "Professor Alan Hart", "Independent Scrutineer, children's safeguarding arrangements", None),
    ("north_ce", "Rachel Kingsley", "Chief Executive", "north"),
    ("west_ce", "Anthony Okoro", "Chief Executive", "west"),
    ("icb_ce", "Dr Simon Ferris", "Chief Executive", "icb"),
    ("chief_constable", "Nicola Brannigan", "Chief Constable", "police"),
    ("admin", "IT Service Desk", "Systems Administrator", None),
]

GROUPS = [
    ("board", "Safeguarding Partnership Board", "Board", GroupKind.board, Arm.both),
    ("exec", "Partnership Executive", "Executive", GroupKind.executive, Arm.both),
    ("sar", "Safeguarding Adults Review sub-group", "SAR sub-group", GroupKind.subgroup, Arm.adults),
    ("cspr", "Child Safeguarding Practice Review group", "CSPR group", GroupKind.subgroup, Arm.children),
    ("qp", "Quality and Performance sub-group", "Quality and Performance", GroupKind.subgroup, Arm.both),
    ("ld", "Learning and Development sub-group", "Learning and Development", GroupKind.subgroup, Arm.both),
    ("pp", "Policy and Procedures sub-group", "Policy and Procedures", GroupKind.subgroup, Arm.both),
    ("ce", "Communications and Engagement sub-group", "Communications and Engagement", GroupKind.subgroup, Arm.both),
]

# group, person, role, deputy
MEMBERSHIPS = [
    ("board", "chair", MembershipRole.chair, None),
    ("board", "north_dass", MembershipRole.vice_chair, "north_deputy"),
    ("board", "west_dass", MembershipRole.member, "west_deputy"),
    ("board", "police_lead", MembershipRole.member, "police_deputy"),
    ("board", "icb_lead", MembershipRole.member, "icb_deputy"),
    ("board", "acute_lead", MembershipRole.member, "acute_deputy"),
    ("board", "fire_lead", MembershipRole.member, None),
    ("board", "probation_lead", MembershipRole.member, None),
    ("board", "ph_lead", MembershipRole.member, None),
    ("board", "healthwatch_lead", MembershipRole.member, None),
    ("board", "vcs_lead", MembershipRole.member, None),
    ("board", "sar_chair", MembershipRole.member, None),
    ("board", "office", MembershipRole.adviser, None),
    ("exec", "chair", MembershipRole.chair, None),
    ("exec", "north_dass", MembershipRole.member, "north_deputy"),
    ("exec", "west_dass", MembershipRole.member, "west_deputy"),
    ("exec", "police_lead", MembershipRole.member, "police_deputy"),
    ("exec", "icb_lead", MembershipRole.member, "icb_deputy"),
    ("exec", "office", MembershipRole.adviser, None),
    ("sar", "sar_chair", MembershipRole.chair, None),
    ("sar", "north_deputy", MembershipRole.member, None),
    ("sar", "west_deputy", MembershipRole.member, None),
    ("sar", "police_deputy", MembershipRole.member, None),
    ("sar", "acute_deputy", MembershipRole.member, None),
    ("sar", "officer", MembershipRole.adviser, None),
    ("cspr", "north_dcs", MembershipRole.chair, None),
    ("cspr", "west_dcs", MembershipRole.member, None),
    ("cspr", "police_deputy", MembershipRole.member, None),
    ("cspr", "icb_deputy", MembershipRole.member, None),
    ("qp", "west_deputy", MembershipRole.chair, None),
    ("qp", "north_deputy", MembershipRole.member, None),
    ("qp", "icb_deputy", MembershipRole.member, None),
    ("ld", "acute_deputy", MembershipRole.chair, None),
    ("ld", "fire_lead", MembershipRole.member, None),
    ("ld", "vcs_lead", MembershipRole.member, None),
    ("pp", "police_deputy", MembershipRole.chair, None),
    ("pp", "north_deputy", MembershipRole.member, None),
    ("ce", "healthwatch_lead", MembershipRole.chair, None),
    ("ce", "vcs_lead", MembershipRole.member, None),
]

# email, person key, roles, organisation key
ACCOUNTS = [
    ("office@demo.test", "office", [Role.business_office], None),
    ("chair@demo.test", "chair", [Role.independent_chair], None),
    ("police@demo.test", "police_lead", [Role.partner_member, Role.safeguarding_partner], "police"),
    ("icb@demo.test", "icb_lead", [Role.partner_member, Role.safeguarding_partner], "icb"),
    ("northdcs@demo.test", "north_dcs", [Role.partner_member, Role.safeguarding_partner], "north"),
    ("westdcs@demo.test", "west_dcs", [Role.partner_member, Role.safeguarding_partner], "west"),
    ("scrutineer@demo.test", "scrutineer", [Role.scrutineer], None),
    ("north@demo.test", "north_dass", [Role.partner_member], "north"),
    ("west@demo.test", "west_dass", [Role.partner_member], "west"),
    ("sarchair@demo.test", "sar_chair", [Role.subgroup_chair, Role.partner_member], "icb"),
    ("viewer@demo.test", "viewer", [Role.viewer], None),
    ("admin@demo.test", "admin", [Role.admin], None),
]

# Board members who signed the memorandum of understanding (Healthwatch has not yet).
MOU_SIGNED = [
    "chair",
    "north_dass",
    "west_dass",
    "police_lead",
    "icb_lead",
    "acute_lead",
    "fire_lead",
    "probation_lead",
    "ph_lead",
    "vcs_lead",
    "sar_chair",
]


@step(10, "partnership")
def seed_partnership(ctx: DemoContext) -> None:
    with at(history_day(START)):
        _seed_partnership(ctx)


def _seed_partnership(ctx: DemoContext) -> None:
    start = history_day(START)
    for key, name, short, kind, area, adults, children, ce_name, ce_title in ORGANISATIONS:
        org = svc.create_organisation(
            name=name,
            short_name=short,
            kind=kind,
            area=area,
            statutory_adults=adults,
            statutory_children=children,
            chief_executive_name=ce_name,
            chief_executive_title=ce_title,
            chief_executive_email=f"chief.executive@{key.replace('_', '-')}.demo.test",
            chief_executive_address=f"{name}\nHeadquarters\n1 Civic Way\nCounty Town\nCT1 1AA",
            safeguarding_lead_name=None,
            safeguarding_lead_email=f"safeguarding@{key.replace('_', '-')}.demo.test",
        )
        partnership_lifecycle.fire(org, "admit", user=None, system=True, params={"joined_on": start})
        ctx.orgs[key] = org

    for key, name, title, org_key in PEOPLE:
        org = ctx.orgs.get(org_key) if org_key else None
        ctx.people[key] = svc.create_person(
            name=name,
            job_title=title,
            organisation_id=org.id if org else None,
            email=f"{key.replace('_', '.')}@people.demo.test",
        )

    for key, name, short, kind, arm in GROUPS:
        ctx.groups[key] = svc.create_group(
            name=name,
            short_name=short,
            kind=kind,
            arm=arm,
            area=Area.both,
            terms_of_reference=f"The terms of reference of the {name}, agreed by the Board.",
            tor_last_reviewed_on=history_day(date(2020, 4, 21)),
            tor_review_due_on=history_day(date(2021, 4, 30)),
        )

    for group_key, person_key, role, deputy_key in MEMBERSHIPS:
        m = svc.add_membership(
            group=ctx.groups[group_key],
            person=ctx.people[person_key],
            role=role,
            deputy=ctx.people[deputy_key] if deputy_key else None,
            start_date=start,
        )
        ctx.memberships[f"{group_key}:{person_key}"] = m

    signed = history_day(date(2020, 4, 21))
    with at(history_day(date(2020, 4, 1))):
        svc.record_mou_version(
            name="FNSPP MoU 2020",
            in_force_from=history_day(date(2020, 4, 1)),
            summary="The partnership's memorandum of understanding adopted with the constitution in April 2020.",
            recorded_by_id=None,
        )
    with at(signed):
        for key in MOU_SIGNED:
            svc.record_mou_signature(ctx.people[key], signed, recorded_by_id=None)

    for email, person_key, roles, org_key in ACCOUNTS:
        ctx.users[email.split("@")[0]] = accounts.create_user(
            email=email,
            password=DEMO_PASSWORD,
            roles=roles,
            person=ctx.people[person_key],
            organisation=ctx.orgs[org_key] if org_key else None,
            notify=False,
        )
