"""Budgets per arm and contribution schemes, to the penny: equal shares (today's rule),
fixed percentages totalling exactly 100%, a figure per partner (population), fixed amounts
with the rest shared; the largest-remainder rule for odd pennies; recalculation before
invoicing and refusal after; one budget per arm per year; the children's demo budget;
the host council's finance reference on invoices; the combined monitoring."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.exc import IntegrityError

from safeguarding.extensions import db
from safeguarding.models import (
    SAR_AUTHORS_LINE,
    AgreementKind,
    Arm,
    Budget,
    BudgetState,
    ContributionScheme,
    LineCategory,
)
from safeguarding.services import budget as svc
from safeguarding.services.annual_sections import budget_section
from safeguarding.services.annual_sections.children import funding_section
from safeguarding.services.errors import Conflict, StaleVersion, ValidationFailed
from safeguarding.workflows.budget import budget_lifecycle as lifecycle

V = svc.Variation("The partners agreed a new split", "Safeguarding partners' executive", date(2026, 6, 1))
Share = svc.PartnerShare


def _new(year: int = 2030, arm: Arm = Arm.children, **kw) -> Budget:
    return svc.start_year(financial_year=year, arm=arm, lines=[("Staff", LineCategory.staffing, 100_000_00)], **kw)


def _approve(b: Budget, demo) -> Budget:
    lifecycle.fire(b, "propose", user=demo.user("office"), version=b.version)
    lifecycle.fire(
        b, "approve", user=demo.user("chair"), version=b.version, params={"board_meeting_on": date(2026, 5, 1)}
    )
    return b


def _amounts(b: Budget, demo) -> dict[str, int]:
    ids = {demo.org(k).id: k for k in ("north", "west", "police", "icb", "fire", "acute", "probation")}
    return {ids[a.organisation_id]: a.amount_pence for a in svc.agreements_of(b)}


def _pct(demo, **shares: int) -> list[svc.PartnerShare]:
    return [Share(demo.org(k).id, "share", percentage_bp=bp) for k, bp in shares.items()]


# --- the penny rule ----------------------------------------------------------------------


def test_largest_remainder_split_is_exact_and_matches_equal_shares_on_equal_weights():
    assert svc.split_by_weights(10000, [1, 1, 1]) == svc.split_equally(10000, 3) == [3333, 3333, 3334]
    assert svc.split_by_weights(10001, [1, 1, 1]) == svc.split_equally(10001, 3) == [3333, 3334, 3334]
    # 100.01 at 50/25/25: exact 50.005, 25.0025, 25.0025 → 5000, 2500, 2500 and 1p left over,
    # to the largest remainder (the 50%: 0.5p lost against 0.25p each).
    assert svc.split_by_weights(100_01, [5000, 2500, 2500]) == [5001, 2500, 2500]
    # 3333.33/3333.33/3333.34 % of £1: remainders decide, not position.
    assert svc.split_by_weights(100, [3333, 3334, 3333]) == [33, 34, 33]
    assert sum(svc.split_by_weights(999_999_99, [7, 11, 13, 17])) == 999_999_99
    assert svc.split_by_weights(500, [0, 0]) == [0, 0]


# --- one budget per arm per year ---------------------------------------------------------


def test_one_budget_per_arm_per_year_and_the_adults_is_the_default(demo):
    adults = svc.start_year(financial_year=2030)
    children = _new(2030)
    joint = svc.start_year(financial_year=2030, arm="joint", adults_share_bp=6000, children_share_bp=4000)
    assert (adults.arm, children.arm, joint.arm) == (Arm.adults, Arm.children, Arm.both)
    assert svc.budget_for_year(2030) is adults and svc.budget_for_year(2030, "children") is children
    assert [svc.label(b) for b in (adults, children, joint)] == ["2030-31", "2030-31-children", "2030-31-joint"]
    assert svc.get_budget("2030-31-children", demo.user("office")) is children
    assert svc.get_budget("2030/31-joint", demo.user("office")) is joint
    with pytest.raises(ValidationFailed) as exc:
        _new(2030)
    assert exc.value.errors == {"financial_year": "There is already a children's budget for 2030/31"}
    with pytest.raises(ValidationFailed) as exc:
        svc.start_year(financial_year=2030)
    assert exc.value.errors == {"financial_year": "There is already a budget for 2030/31"}
    # The database holds the rule too.
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.add(Budget(financial_year=2030, arm=Arm.children))
        db.session.flush()


def test_a_joint_budget_records_each_arms_share_totalling_100_percent(demo):
    with pytest.raises(ValidationFailed) as exc:
        svc.start_year(financial_year=2030, arm=Arm.both, adults_share_bp=6000, children_share_bp=3000)
    assert exc.value.errors == {
        "adults_share": "The adults' and children's shares of a joint budget must total exactly 100%"
    }
    with pytest.raises(ValidationFailed) as exc:
        svc.start_year(financial_year=2030, arm=Arm.both)
    assert set(exc.value.errors) == {"adults_share", "children_share"}
    with pytest.raises(ValidationFailed) as exc:
        svc.start_year(financial_year=2030, arm=Arm.children, adults_share_bp=5000, children_share_bp=5000)
    assert exc.value.errors == {"adults_share": "Only a joint budget is split between the arms"}
    with pytest.raises(ValidationFailed) as exc:
        svc.start_year(financial_year=2030, arm="grandparents")
    assert exc.value.errors == {"arm": "Choose the arm: adults, children or joint"}


def test_other_features_record_spend_against_an_arm_adults_by_default(demo):
    adults = svc.start_year(financial_year=2030)
    children = _new(2030)
    c = svc.record_commitment(
        financial_year=2030,
        line_name=SAR_AUTHORS_LINE,
        amount_pence=1_000_00,
        supplier="S",
        reference="PO-1",
        committed_on=date(2026, 6, 1),
        description="SAR reviewer",
    )
    assert c.budget_id == adults.id
    spent = svc.record_spend(
        financial_year=2030,
        arm="children",
        line_name="Staff",
        amount_pence=500_00,
        supplier="S",
        reference="PAY-1",
        spent_on=date(2026, 6, 1),
    )
    assert spent.budget_id == children.id
    paid = svc.record_spend_against_commitment(c.id, amount_pence=100_00, spent_on=date(2026, 7, 1), reference="X")
    assert paid.budget_id == adults.id
    with pytest.raises(ValidationFailed) as exc:
        svc.record_spend(
            financial_year=2030,
            arm="joint",
            line_name="Staff",
            amount_pence=1,
            supplier="S",
            reference="R",
            spent_on=date(2026, 6, 1),
        )
    assert exc.value.errors == {"financial_year": "There is no budget for 2030/31 (joint)"}


# --- the schemes -------------------------------------------------------------------------


def test_percentage_scheme_splits_to_the_penny_by_largest_remainder(demo):
    b = _new()
    view = svc.set_scheme(
        b,
        version=b.version,
        scheme="percentage",
        target_pence=100_000_01,
        partners=_pct(demo, north=2500, west=2500, icb=2500, police=2500),
    )
    # £100,000.01 in quarters: 2,500,000.25p each; the 1p left over goes to the later partner
    # by name on a tie (County Police before North/West? by name: County ICB, County Police,
    # North Council, West Council — West is last).
    assert _amounts(b, demo) == {"icb": 25_000_00, "police": 25_000_00, "north": 25_000_00, "west": 25_000_01}
    assert sum(a.amount_pence for a in view.agreements) == 100_000_01
    west = next(a for a in view.agreements if a.organisation_id == demo.org("west").id)
    assert west.remainder_pence == 1 and "largest remainder" in west.calculation
    assert view.total_percentage_bp == 10000 and b.contribution_scheme == ContributionScheme.percentage
    # Unequal percentages: 50 / 25 / 25 of £100.01.
    svc.set_scheme(
        b,
        version=b.version,
        scheme="percentage",
        target_pence=100_01,
        partners=[*_pct(demo, north=5000, icb=2500, police=2500), Share(demo.org("west").id, "fixed", fixed_pence=1)],
    )
    # West now contributes a fixed 1p: £100.00 is shared, 50/25/25.
    assert _amounts(b, demo) == {"north": 50_00, "icb": 25_00, "police": 25_00, "west": 1}


def test_a_percentage_scheme_must_total_exactly_100_percent(demo):
    b = _new()
    with pytest.raises(ValidationFailed) as exc:
        svc.set_scheme(
            b, version=b.version, scheme="percentage", target_pence=1000_00, partners=_pct(demo, icb=2500, police=2500)
        )
    assert exc.value.errors == {"scheme": "The percentages add up to 50%: they must total exactly 100%"}
    with pytest.raises(ValidationFailed) as exc:
        svc.set_scheme(
            b,
            version=b.version,
            scheme="percentage",
            target_pence=1000_00,
            partners=_pct(demo, north=5000, west=2500, icb=2500, police=0.5),  # type: ignore[arg-type]
        )
    assert exc.value.errors == {
        "partners.3.percentage": "County Police's percentage must be more than 0 and no more than 100"
    }
    assert svc.agreements_of(b) == [] and b.contribution_scheme == ContributionScheme.equal_share
    # Switching an equal-share budget to percentages without giving them is refused too.
    eq = _new(2031)
    svc.set_scheme(
        eq,
        version=eq.version,
        scheme="equal_share",
        target_pence=300_00,
        partners=[Share(demo.org(k).id) for k in ("police", "icb")],
    )
    with pytest.raises(ValidationFailed) as exc:
        svc.set_scheme(eq, version=eq.version, scheme="percentage", target_pence=300_00)
    assert exc.value.errors == {
        "scheme": "Give each sharing partner a percentage: County Integrated Care Board, County Police has none"
    }


def test_by_figure_scheme_shares_in_proportion_to_population_to_the_penny(demo):
    b = _new()
    people = {"north": 204_350, "west": 178_900, "icb": 0, "police": 0}
    partners = [Share(demo.org(k).id, "share", figure=n) for k, n in people.items() if n]
    svc.set_scheme(
        b, version=b.version, scheme="by_figure", target_pence=50_000_00, figure_label="Population", partners=partners
    )
    # 5,000,000p × 204,350 / 383,250 = 2,666,014.35p; × 178,900 / 383,250 = 2,333,985.65p:
    # floors 2,666,014 + 2,333,985 = 4,999,999; the 1p to the larger remainder (West's .65).
    assert _amounts(b, demo) == {"north": 26_660_14, "west": 23_339_86}
    north = next(a for a in svc.agreements_of(b) if a.organisation_id == demo.org("north").id)
    assert north.calculation == "Population 204,350 of 383,250: that proportion of £50,000.00"
    with pytest.raises(ValidationFailed) as exc:
        svc.set_scheme(b, version=b.version, scheme="by_figure", target_pence=50_000_00, figure_label=" ")
    assert exc.value.errors == {"figure_label": "Enter what the figure is, like Population"}
    with pytest.raises(ValidationFailed) as exc:
        svc.set_scheme(
            b,
            version=b.version,
            scheme="by_figure",
            target_pence=50_000_00,
            figure_label="Population",
            partners=[Share(demo.org("police").id, "share", figure=-5)],
        )
    assert exc.value.errors == {
        "partners.0.figure": "County Police's figure must be a whole number from 1 to 1,000,000,000,000"
    }


def test_fixed_amounts_come_out_first_and_the_rest_is_shared(demo):
    b = _new()
    svc.set_scheme(
        b,
        version=b.version,
        scheme="equal_share",
        target_pence=100_000_00,
        partners=[
            *(Share(demo.org(k).id) for k in ("north", "west", "police", "icb")),
            Share(demo.org("fire").id, "fixed", fixed_pence=10_000_00),
        ],
    )
    # £90,000 shared equally among three agencies (£30,000 each; the councils £15,000 each).
    assert _amounts(b, demo) == {
        "fire": 10_000_00,
        "icb": 30_000_00,
        "police": 30_000_00,
        "north": 15_000_00,
        "west": 15_000_00,
    }
    assert svc.totals(b).contributions_pence == 100_000_00
    view = svc.scheme_of(b)
    assert (view.fixed_pence, view.shared_pence) == (10_000_00, 90_000_00)
    icb = next(a for a in svc.agreements_of(b) if a.organisation_id == demo.org("icb").id)
    assert "£100,000.00 less fixed amounts of £10,000.00" in icb.calculation
    with pytest.raises(ValidationFailed) as exc:
        svc.set_scheme(
            b,
            version=b.version,
            scheme="equal_share",
            target_pence=9_000_00,
        )
    assert "The fixed amounts total £10,000.00, more than the £9,000.00" in exc.value.errors["scheme"]
    # Only the statutory agencies share equally.
    with pytest.raises(ValidationFailed) as exc:
        svc.set_scheme(
            b, version=b.version, scheme="equal_share", target_pence=1, partners=[Share(demo.org("acute").id)]
        )
    assert "Only the statutory partners" in exc.value.errors["partners.0.share"]


def test_changing_the_scheme_before_invoicing_recalculates_and_after_is_refused(demo):
    b = _new()
    svc.set_scheme(
        b, version=b.version, scheme="percentage", target_pence=1000_00, partners=_pct(demo, icb=5000, police=5000)
    )
    assert _amounts(b, demo) == {"icb": 500_00, "police": 500_00}
    with pytest.raises(StaleVersion):
        svc.set_scheme(b, version=b.version - 1, scheme="percentage", target_pence=1000_00)
    _approve(b, demo)
    # After approval (before any invoice) the change is an in-year variation.
    with pytest.raises(ValidationFailed) as exc:
        svc.set_scheme(
            b, version=b.version, scheme="percentage", target_pence=1000_00, partners=_pct(demo, icb=6000, police=4000)
        )
    assert "reason" in exc.value.errors
    svc.set_scheme(
        b,
        version=b.version,
        scheme="percentage",
        target_pence=1000_00,
        partners=_pct(demo, icb=6000, police=4000),
        variation=V,
        user=demo.user("office"),
    )
    assert _amounts(b, demo) == {"icb": 600_00, "police": 400_00}
    assert [(v.label, v.before_pence, v.after_pence) for v in svc.variations_of(b)] == [
        ("Contribution: County Integrated Care Board", 500_00, 600_00),
        ("Contribution: County Police", 500_00, 400_00),
    ]
    icb = next(a for a in svc.agreements_of(b) if a.organisation_id == demo.org("icb").id)
    invoice = svc.raise_invoice(icb, issued_on=date(2026, 6, 2), send=False)
    with pytest.raises(Conflict) as exc:
        svc.set_scheme(
            b,
            version=b.version,
            scheme="percentage",
            target_pence=1000_00,
            partners=_pct(demo, icb=5000, police=5000),
            variation=V,
        )
    assert "Invoices have been raised against the 2030/31 (children) budget" in exc.value.message
    assert _amounts(b, demo) == {"icb": 600_00, "police": 400_00}
    # Once the invoice is cancelled the scheme may change again.
    svc.cancel_invoice(invoice, version=invoice.version, reason="Raised too early")
    svc.set_scheme(
        b,
        version=b.version,
        scheme="percentage",
        target_pence=1000_00,
        partners=_pct(demo, icb=5000, police=5000),
        variation=V,
    )
    assert _amounts(b, demo) == {"icb": 500_00, "police": 500_00}


def test_a_sharing_partner_is_added_on_the_scheme_page_not_the_agreement_form(demo):
    b = _new()
    svc.set_scheme(b, version=b.version, scheme="percentage", target_pence=100_00, partners=_pct(demo, icb=10000))
    with pytest.raises(ValidationFailed) as exc:
        svc.add_agreement(b, organisation_id=demo.org("police").id, kind=AgreementKind.equal_share)
    assert "add a sharing partner on the contribution scheme page" in exc.value.errors["kind"]
    # Contact details of a sharing partner still change on the agreement form.
    (a,) = svc.agreements_of(b)
    svc.update_agreement(a, version=a.version, kind=a.kind, contact_email="ap@icb.demo.test")
    assert a.contact_email == "ap@icb.demo.test" and a.amount_pence == 100_00


def test_a_copy_keeps_the_scheme_and_the_shares(demo):
    b = _new()
    svc.set_scheme(
        b, version=b.version, scheme="percentage", target_pence=1000_00, partners=_pct(demo, icb=7500, police=2500)
    )
    nxt = svc.start_year(financial_year=2031, arm=Arm.children, copy_from=b, uplift_bp=1000)
    assert nxt.contribution_scheme == ContributionScheme.percentage and nxt.equal_share_target_pence == 1100_00
    assert _amounts(nxt, demo) == {"icb": 825_00, "police": 275_00}


# --- the demo ----------------------------------------------------------------------------


def test_the_demo_childrens_budget_shares_by_percentage(demo):
    b = db.session.get(Budget, demo.id("budgets", "children"))
    assert (b.arm, b.financial_year, b.state, svc.label(b)) == (
        Arm.children,
        2026,
        BudgetState.approved,
        "2026-27-children",
    )
    view = svc.scheme_of(b)
    assert view.scheme == ContributionScheme.percentage and view.target_pence == 160_000_00
    assert view.total_percentage_bp == 10000 and not view.invoiced
    assert _amounts(b, demo) == {"north": 40_000_00, "west": 40_000_00, "icb": 40_000_00, "police": 40_000_00}
    shares = {a.organisation_id: a.share_bp for a in view.agreements}
    la = shares[demo.org("north").id] + shares[demo.org("west").id]
    assert (la, shares[demo.org("icb").id], shares[demo.org("police").id]) == (5000, 2500, 2500)
    assert svc.totals(b).expenditure_pence == 160_000_00
    # The adults' budgets are untouched, to the penny.
    adults = svc.budget_for_year(2020)
    assert adults.arm == Arm.adults and svc.totals(adults).expenditure_pence == 145_340_00
    assert adults.contribution_scheme == ContributionScheme.equal_share
    assert {a.amount_pence for a in svc.agreements_of(adults) if a.organisation.kind.value != "local_authority"} == {
        38_974_00
    }


# --- finance references on invoices ------------------------------------------------------


def test_invoices_carry_the_host_councils_finance_reference(demo):
    b = _new()
    svc.set_scheme(b, version=b.version, scheme="percentage", target_pence=1000_00, partners=_pct(demo, icb=10000))
    _approve(b, demo)
    (a,) = svc.agreements_of(b)
    with pytest.raises(ValidationFailed) as exc:
        svc.raise_invoice(a, issued_on=date(2026, 6, 1), purchase_order="P" * 41, send=False)
    assert exc.value.errors == {"purchase_order": "The purchase order number must be 40 characters or fewer"}
    inv = svc.raise_invoice(a, issued_on=date(2026, 6, 1), purchase_order=" PO 7781 ", send=False)
    assert (inv.purchase_order, inv.ledger_invoice_number) == ("PO 7781", None)
    svc.set_finance_reference(inv, version=inv.version, purchase_order="PO 7781", ledger_invoice_number="NC-900123")
    assert svc.finance_reference_text(inv) == "Purchase order PO 7781; ledger invoice NC-900123"
    letter = svc.invoice_letter(inv)
    assert any("ledger invoice NC-900123" in str(p) for p in letter.paragraphs)
    with pytest.raises(StaleVersion):
        svc.set_finance_reference(inv, version=inv.version - 1, purchase_order=None, ledger_invoice_number=None)
    with pytest.raises(ValidationFailed) as exc:
        svc.set_finance_reference(inv, version=inv.version, purchase_order=None, ledger_invoice_number="9" * 41)
    assert exc.value.errors == {"ledger_invoice_number": "The ledger's invoice number must be 40 characters or fewer"}
    svc.cancel_invoice(inv, version=inv.version, reason="Wrong")
    with pytest.raises(Conflict):
        svc.set_finance_reference(inv, version=inv.version, purchase_order="X", ledger_invoice_number=None)


# --- combined monitoring -----------------------------------------------------------------


def test_combined_monitoring_shows_each_arm_and_splits_joint_by_its_shares(demo):
    svc.start_year(financial_year=2030, lines=[("A", LineCategory.other, 1_000_00)])
    _new(2030)
    svc.start_year(
        financial_year=2030,
        arm=Arm.both,
        adults_share_bp=6000,
        children_share_bp=4000,
        lines=[("Website", LineCategory.office, 100_01)],
    )
    c = svc.combined_monitoring(2030, demo.user("office"))
    assert [(r.label, r.budget_pence) for r in c.rows] == [
        ("Adults' budget 2030/31", 1_000_00),
        ("Children's budget 2030/31", 100_000_00),
        ("Joint budget 2030/31", 100_01),
    ]
    assert c.total is not None and c.total.budget_pence == 101_100_01
    # £100.01 at 60/40: 60.006 and 40.004 → 6000 and 4000, 1p to the larger remainder (adults).
    assert [(r.label, r.budget_pence) for r in c.with_joint] == [
        ("Adults including its share of the joint budget", 1_000_00 + 60_01),
        ("Children including its share of the joint budget", 100_000_00 + 40_00),
    ]
    # A viewer sees only approved budgets: none of these drafts.
    assert svc.combined_monitoring(2030, demo.user("viewer")).rows == []


# --- each arm's report reports its own budget --------------------------------------------


def test_each_arms_report_reports_its_own_budget_and_its_share_of_the_joint_one(demo):
    svc.start_year(financial_year=2030, lines=[("A", LineCategory.other, 1_000_00)])
    _new(2030)
    svc.start_year(
        financial_year=2030,
        arm=Arm.both,
        adults_share_bp=6000,
        children_share_bp=4000,
        lines=[("Website", LineCategory.office, 100_01)],
    )
    adults = {f.key: f.value for f in budget_section(2030, arm=None, area=None).figures}
    children = {f.key: f.value for f in funding_section(2030, arm=None, area=None).figures}
    assert adults["expenditure_budget"] == 1_000_00  # the adults' own, not the children's
    assert children["expenditure_budget"] == 100_000_00  # the children's own, not the adults'
    # The joint £100.01 split 60/40 to the penny, as the combined monitoring splits it.
    assert (adults["joint_share_budget"], children["joint_share_budget"]) == (60_01, 40_00)
    section = funding_section(2030, arm=None, area=None)
    assert "children's partnership's income" in section.summary
    assert "Share of the joint budget for shared costs (40%)" in [t.caption for t in section.tables]


def test_a_year_without_the_arms_own_budget_says_so(demo):
    svc.start_year(financial_year=2031, lines=[("A", LineCategory.other, 1_000_00)])  # adults' only
    section = funding_section(2031, arm=None, area=None)
    assert section.summary.startswith("No budget of the children's partnership's own was recorded for 2031/32")
    assert {f.key: f.value for f in section.figures} == {"income": None}
