"""The 2020/21 budget exactly as the source documents give it (lines totalling £145,340;
an equal share of £116,922 among the three statutory agencies, £38,974 each; the
remaining £28,418 from reserves), approved at the Strategic Board on 28 January 2020,
with invoices (one part paid and overdue), payments and spend; then 2021/22 started as a
copy with a 2% uplift, in draft.

The source had one county council; the demo partnership has two (North and West). The
local-authority share is the councils' joint contribution, split equally between them:
£19,487 each. The source does not say how the £28,418 splits between other partners and
reserves: the demo funds it from reserves, with £28,418 brought forward (a demo figure).

The children's partnership has its own budget for the current year (2026/27 on the story
day), agreed by the safeguarding partners with a percentage scheme: the local authorities
50% (split equally between North and West, 25% each, as the adults' equal share splits the
councils' share), the ICB 25% and the police 25% of £160,000.00 — £40,000.00 each. Its
lines are demo figures (no source gives a children's budget).
"""

from __future__ import annotations

from datetime import date

from safeguarding.calendar import financial_year_start
from safeguarding.demo import DemoContext, as_of, at, history_day, step
from safeguarding.models import SAR_AUTHORS_LINE, AgreementKind, Arm, ContributionScheme, IncomeKind, LineCategory
from safeguarding.services import budget as svc
from safeguarding.workflows.budget import budget_lifecycle

LINES_2020 = [
    ("Salaries – staffing 2 × FT posts including on-costs", LineCategory.staffing, 79_800_00),
    ("Independent Chair", LineCategory.independent_chair, 20_000_00),
    (SAR_AUTHORS_LINE, LineCategory.case_reviews, 26_000_00),
    ("Service user engagement and awareness raising", LineCategory.engagement, 500_00),
    ("Marketing campaign(s)", LineCategory.engagement, 5_000_00),
    ("Annual conference(s)", LineCategory.learning, 4_000_00),
    ("Office costs (postage)", LineCategory.office, 40_00),
    ("SAR training for SAR sub-group members", LineCategory.learning, 2_000_00),
    ("e-Learning for VCS/providers and SAR learning", LineCategory.learning, 6_000_00),
    ("Estimated legal fees – SAR", LineCategory.legal, 2_000_00),
]
STATUTORY_TARGET_2020 = 116_922_00
RESERVES_2020 = 28_418_00
UPLIFT_2021_BP = 200  # 2%

# organisation key, invoice date, payments (date, pence)
INVOICES_2020 = [
    ("police", date(2020, 5, 1), [(date(2020, 5, 28), 38_974_00)]),
    ("icb", date(2020, 5, 1), [(date(2020, 5, 29), 19_487_00), (date(2020, 6, 30), 19_487_00)]),
    ("north", date(2020, 5, 1), [(date(2020, 5, 22), 19_487_00)]),
    ("west", date(2020, 5, 1), [(date(2020, 6, 15), 10_000_00)]),
]


@step(70, "budget")
def seed_budget(ctx: DemoContext) -> None:
    office, chair = ctx.users["office"], ctx.users["chair"]
    b20 = svc.start_year(financial_year=2020, lines=LINES_2020, user=office)
    svc.update_settings(
        b20,
        version=b20.version,
        equal_share_target_pence=STATUTORY_TARGET_2020,
        reserves_brought_forward_pence=RESERVES_2020,
        notes="Expenditure of £145,340 agreed at the Strategic Board on 28 January 2020. The "
        "source's single county council share is the joint contribution of North and West "
        "councils, split equally between them.",
    )
    svc.add_income(b20, name="Other contributions or reserves", kind=IncomeKind.reserves, amount_pence=RESERVES_2020)
    agreements = {}
    for key in ("north", "west", "police", "icb"):
        agreements[key] = svc.add_agreement(
            b20,
            organisation_id=ctx.orgs[key].id,
            kind=AgreementKind.equal_share,
            contact_name="Accounts payable",
            contact_email=f"accounts.payable@{key}.demo.test",
            user=office,
        )
    budget_lifecycle.fire(
        b20, "propose", user=office, version=b20.version, comment="Revised budget 2020/21 for the single partnership"
    )
    budget_lifecycle.fire(
        b20,
        "approve",
        user=chair,
        version=b20.version,
        params={"board_meeting_on": date(2020, 1, 28)},
        comment="Agreed at the Strategic Board",
    )

    invoices = {}
    for key, issued_on, payments in INVOICES_2020:
        # Sent in 2020, before this service: raised here without emailing them again.
        invoice = svc.raise_invoice(agreements[key], issued_on=issued_on, user=office, send=False)
        for received_on, pence in payments:
            svc.record_payment(
                invoice,
                amount_pence=pence,
                received_on=received_on,
                reference=f"BACS {ctx.orgs[key].short_name.upper()} {received_on:%d%m%y}",
                user=office,
            )
        invoices[key] = invoice

    spend = _seed_spend(office.id)
    b21 = svc.start_year(financial_year=2021, copy_from=b20, uplift_bp=UPLIFT_2021_BP, user=office)
    children = _seed_children(ctx)
    ctx.extra["budgets"] = {"2020": b20, "2021": b21, "children": children}
    ctx.extra["agreements"] = agreements
    ctx.extra["invoices"] = invoices
    ctx.extra["spend"] = spend


LINES_CHILDREN = [
    ("Partnership business manager and officers", LineCategory.staffing, 96_000_00),
    ("Independent scrutineer", LineCategory.other, 18_000_00),
    ("Child safeguarding practice reviews – independent reviewers", LineCategory.case_reviews, 30_000_00),
    ("Multi-agency safeguarding training", LineCategory.learning, 12_000_00),
    ("Listening to children and families", LineCategory.engagement, 4_000_00),
]
CHILDREN_TARGET = 160_000_00
# organisation key, percentage in hundredths: the councils' 50% split equally between them.
CHILDREN_SHARES = [("north", 2500), ("west", 2500), ("icb", 2500), ("police", 2500)]


def _seed_children(ctx: DemoContext):
    """The children's partnership's budget for the story's year, by a percentage scheme."""
    office, chair = ctx.users["office"], ctx.users["chair"]
    year = financial_year_start(as_of())
    agreed_on = history_day(date(2026, 3, 18))
    with at(history_day(date(2026, 2, 20))):
        b = svc.start_year(financial_year=year, arm=Arm.children, lines=LINES_CHILDREN, user=office)
        svc.set_scheme(
            b,
            version=b.version,
            scheme=ContributionScheme.percentage,
            target_pence=CHILDREN_TARGET,
            partners=[svc.PartnerShare(ctx.orgs[key].id, "share", percentage_bp=bp) for key, bp in CHILDREN_SHARES],
            user=office,
        )
        for a in svc.agreements_of(b):
            key = next(k for k, _ in CHILDREN_SHARES if ctx.orgs[k].id == a.organisation_id)
            svc.update_agreement(
                a,
                version=a.version,
                kind=a.kind,
                contact_name="Accounts payable",
                contact_email=f"accounts.payable@{key}.demo.test",
            )
        budget_lifecycle.fire(b, "propose", user=office, version=b.version, comment="The safeguarding partners' budget")
    with at(agreed_on):
        budget_lifecycle.fire(
            b,
            "approve",
            user=chair,
            version=b.version,
            params={"board_meeting_on": agreed_on, "minute_reference": "SCP/2026/03/4"},
            comment="Agreed by the three safeguarding partners",
        )
    return b


def _seed_spend(by: int) -> dict:
    line = {name.split(" ")[0]: name for name, _, _ in LINES_2020}
    made = {}
    for quarter, on in enumerate((date(2020, 6, 30), date(2020, 9, 30), date(2020, 12, 31), date(2021, 3, 31)), 1):
        svc.record_spend(
            financial_year=2020,
            line_name=line["Salaries"],
            amount_pence=19_950_00,
            supplier="North Council (employing authority)",
            reference=f"PAY-2020-Q{quarter}",
            spent_on=on,
            description=f"Business office salaries and on-costs, quarter {quarter}",
            recorded_by_id=by,
        )
    chair = svc.record_commitment(
        financial_year=2020,
        line_name="Independent Chair",
        amount_pence=20_000_00,
        supplier="Independent Chair (contract for services)",
        reference="CON-2020-001",
        committed_on=date(2020, 4, 1),
        description="Independent Chair, 2020/21",
        recorded_by_id=by,
    )
    for quarter, on in enumerate((date(2020, 7, 3), date(2020, 10, 2), date(2021, 1, 8)), 1):
        svc.record_spend_against_commitment(
            chair.id, amount_pence=5_000_00, spent_on=on, reference=f"INV-CHAIR-{quarter}", recorded_by_id=by
        )
    made["sar_reviewer"] = svc.record_commitment(
        financial_year=2020,
        line_name=SAR_AUTHORS_LINE,
        amount_pence=13_000_00,
        supplier="Safeguarding Reviews Ltd",
        reference="PO-2020-014",
        committed_on=date(2020, 7, 14),
        description="Independent reviewer for SAR 2020/01",
        recorded_by_id=by,
    )
    svc.record_spend_against_commitment(
        made["sar_reviewer"].id,
        amount_pence=6_500_00,
        spent_on=date(2020, 11, 20),
        reference="SRL-4471",
        description="First stage: chronology and panel",
        recorded_by_id=by,
    )
    made["sar_second"] = svc.record_commitment(
        financial_year=2020,
        line_name=SAR_AUTHORS_LINE,
        amount_pence=9_500_00,
        supplier="Adult Review Associates",
        reference="PO-2020-022",
        committed_on=date(2021, 2, 9),
        description="Independent reviewer for SAR 2020/02",
        recorded_by_id=by,
    )
    svc.record_spend(
        financial_year=2020,
        line_name=line["Service"],
        amount_pence=320_00,
        supplier="County Voluntary Sector Forum",
        reference="VSF-118",
        spent_on=date(2020, 10, 12),
        description="Service user reference group: venue and expenses",
        recorded_by_id=by,
    )
    svc.record_spend(
        financial_year=2020,
        line_name=line["Marketing"],
        amount_pence=3_150_00,
        supplier="Brightside Print and Design",
        reference="BPD-2093",
        spent_on=date(2020, 11, 2),
        description="Safeguarding Adults Week campaign",
        recorded_by_id=by,
    )
    venue = svc.record_commitment(
        financial_year=2020,
        line_name=line["Annual"],
        amount_pence=3_600_00,
        supplier="County Conference Centre",
        reference="PO-2020-031",
        committed_on=date(2020, 9, 1),
        description="Annual conference (online)",
        recorded_by_id=by,
    )
    svc.record_spend_against_commitment(
        venue.id, amount_pence=3_600_00, spent_on=date(2021, 2, 26), reference="CCC-7781", recorded_by_id=by
    )
    made["postage"] = svc.record_spend(
        financial_year=2020,
        line_name=line["Office"],
        amount_pence=52_60,
        supplier="Royal Mail",
        reference="RM-2020-ANNUAL",
        spent_on=date(2021, 3, 19),
        description="Postage for the year",
        recorded_by_id=by,
    )
    svc.record_spend(
        financial_year=2020,
        line_name=line["SAR"],
        amount_pence=1_800_00,
        supplier="Learning Together CIC",
        reference="LT-556",
        spent_on=date(2020, 12, 4),
        description="SAR methodology training for sub-group members",
        recorded_by_id=by,
    )
    licence = svc.record_commitment(
        financial_year=2020,
        line_name=line["e-Learning"],
        amount_pence=6_000_00,
        supplier="Safeguarding e-Learning Ltd",
        reference="PO-2020-005",
        committed_on=date(2020, 4, 20),
        description="e-Learning licences, 12 months",
        recorded_by_id=by,
    )
    svc.record_spend_against_commitment(
        licence.id, amount_pence=6_000_00, spent_on=date(2020, 5, 15), reference="SEL-2020-19", recorded_by_id=by
    )
    return made
