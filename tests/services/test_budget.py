"""The budget's money, to the penny: the 2020/21 figures from the source documents, equal
shares with their remainders, percentages, uplifts, invoices and (partial) payments,
outstanding and overdue balances, commitments and actuals, variance and outturn, the
year-end reserves; who may see which partner's finances; and that no float is used."""

from __future__ import annotations

import io
import re
import tokenize
from datetime import date, timedelta
from pathlib import Path

import pytest

from safeguarding.extensions import db
from safeguarding.models import (
    SAR_AUTHORS_LINE,
    AgreementKind,
    Budget,
    BudgetState,
    BudgetVariation,
    ContributionAgreement,
    IncomeKind,
    Invoice,
    LineCategory,
)
from safeguarding.services import budget as svc
from safeguarding.services.errors import Conflict, NotFound, StaleVersion, ValidationFailed
from safeguarding.workflows.budget import budget_lifecycle as lifecycle

PROJECT = Path(__file__).resolve().parents[2]
V = svc.Variation("Extra legal advice on SAR 2020/02", "Independent Chair (chair's action)", date(2026, 6, 1))


def _demo_budget(demo, year: str) -> Budget:
    return db.session.get(Budget, demo.id("budgets", year))


def _new(year: int, lines=(("Line A", LineCategory.other, 100_00),), **kw) -> Budget:
    return svc.start_year(financial_year=year, lines=lines, **kw)


def _approve(b: Budget, demo, on: date = date(2026, 5, 1)) -> Budget:
    lifecycle.fire(b, "propose", user=demo.user("office"), version=b.version)
    lifecycle.fire(b, "approve", user=demo.user("chair"), version=b.version, params={"board_meeting_on": on})
    return b


def _equal(b: Budget, demo, *keys: str) -> dict[str, ContributionAgreement]:
    return {k: svc.add_agreement(b, organisation_id=demo.org(k).id, kind=AgreementKind.equal_share) for k in keys}


# --- integer arithmetic ------------------------------------------------------------------


def test_split_equally_gives_left_over_pence_to_the_last_shares():
    assert svc.split_equally(10000, 3) == [3333, 3333, 3334]
    assert svc.split_equally(10001, 3) == [3333, 3334, 3334]
    assert svc.split_equally(11692200, 3) == [3897400, 3897400, 3897400]
    assert svc.split_equally(3897400, 2) == [1948700, 1948700]
    assert svc.split_equally(5, 7) == [0, 0, 1, 1, 1, 1, 1]
    assert sum(svc.split_equally(999_999_99, 7)) == 999_999_99
    assert svc.split_equally(100, 0) == []


def test_percentages_and_uplifts_round_to_the_nearest_penny_halves_up():
    assert svc.percentage_of(145_340_00, 1250) == 18_167_50  # 12.5% of £145,340
    assert svc.percentage_of(145_340_00, 3333) == 48_441_82  # 4,844,182.2p
    assert svc.percentage_of(1001, 5000) == 501  # 500.5p rounds up
    assert svc.percentage_of(1003, 5000) == 502  # 501.5p rounds up
    assert svc.percentage_of(999, 1) == 0  # 0.0999p
    assert svc.with_uplift(79_800_00, 200) == 81_396_00
    assert svc.with_uplift(40_00, 200) == 40_80
    assert svc.with_uplift(3333, 150) == 3383  # 3382.995p
    assert svc.with_uplift(100_00, 0) == 100_00


@pytest.mark.parametrize(
    ("raw", "bp"), [("12.5", 1250), ("12.50%", 1250), ("2", 200), ("0.01", 1), ("100", 10000), (" 33.33 ", 3333)]
)
def test_parse_percentage(raw, bp):
    assert svc.parse_percentage(raw) == bp


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "Enter the percentage"),
        ("-5", "The percentage must be 0 or more"),
        ("12.345", "The percentage must not have more than 2 decimal places"),
        ("ten", "The percentage must be a number, like 2.5"),
        ("1e2", "The percentage must be a number, like 2.5"),
        ("0", "The percentage must be more than 0"),
        ("100.01", "The percentage must be 100 or less"),
    ],
)
def test_parse_percentage_refuses_with_clear_messages(raw, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        svc.parse_percentage(raw)


def test_no_float_in_the_budget_code():
    files = [
        *(PROJECT / "safeguarding/services/budget").glob("*.py"),
        PROJECT / "safeguarding/models/budget.py",
        PROJECT / "safeguarding/workflows/budget.py",
        PROJECT / "safeguarding/demo/budget.py",
        *(PROJECT / "safeguarding/budget").rglob("*.py"),
    ]
    for path in files:
        text = path.read_text()
        assert "float(" not in text, path
        # No float anywhere in the code itself (docstrings and comments may say "never a float").
        names = {t.string for t in tokenize.generate_tokens(io.StringIO(text).readline) if t.type == tokenize.NAME}
        assert "float" not in names, path
    for template in (PROJECT / "safeguarding/templates/budget").glob("*.html"):
        assert not re.search(r"\|\s*float|float\(", template.read_text()), template


# --- the 2020/21 budget from the source documents ----------------------------------------


def test_the_2020_21_budget_reproduces_the_source_to_the_penny(demo):
    b = _demo_budget(demo, "2020")
    s = svc.summary(b)
    assert b.state == BudgetState.approved and b.board_meeting_on == date(2020, 1, 28)
    assert [(line.name, line.amount_pence) for line in s.lines] == [
        ("Salaries – staffing 2 × FT posts including on-costs", 79_800_00),
        ("Independent Chair", 20_000_00),
        ("Safeguarding Adult Reviews – Independent Authors", 26_000_00),
        ("Service user engagement and awareness raising", 500_00),
        ("Marketing campaign(s)", 5_000_00),
        ("Annual conference(s)", 4_000_00),
        ("Office costs (postage)", 40_00),
        ("SAR training for SAR sub-group members", 2_000_00),
        ("e-Learning for VCS/providers and SAR learning", 6_000_00),
        ("Estimated legal fees – SAR", 2_000_00),
    ]
    assert s.totals.expenditure_pence == 145_340_00
    by_org = {a.organisation.name: a.amount_pence for a in s.agreements}
    assert by_org == {
        "County Police": 38_974_00,
        "County Integrated Care Board": 38_974_00,
        "North Council": 19_487_00,
        "West Council": 19_487_00,
    }
    # The local-authority share is the councils' joint contribution.
    assert by_org["North Council"] + by_org["West Council"] == 38_974_00
    assert s.statutory_total_pence == 116_922_00
    assert [(agency, amount) for agency, amount, _ in s.agency_shares] == [
        ("local authorities", 38_974_00),
        ("police", 38_974_00),
        ("integrated care board", 38_974_00),
    ]
    assert s.totals.expenditure_pence - s.statutory_total_pence == 28_418_00
    assert s.totals.reserves_applied_pence == 28_418_00
    assert (s.totals.income_pence, s.totals.gap_pence, s.totals.surplus_pence) == (145_340_00, 0, 0)
    assert all(a.remainder_pence == 0 for a in s.agreements)


def test_the_2021_22_budget_is_a_draft_copy_with_a_2_percent_uplift(demo):
    b = _demo_budget(demo, "2021")
    s = svc.summary(b)
    assert b.state == BudgetState.draft and b.uplift_bp == 200
    assert b.copied_from_id == demo.id("budgets", "2020")
    assert [line.amount_pence for line in s.lines] == [
        81_396_00,
        20_400_00,
        26_520_00,
        510_00,
        5_100_00,
        4_080_00,
        40_80,
        2_040_00,
        6_120_00,
        2_040_00,
    ]
    assert SAR_AUTHORS_LINE in [line.name for line in s.lines]
    assert s.totals.expenditure_pence == 148_246_80
    assert b.equal_share_target_pence == 119_260_44
    assert {a.organisation.name: a.amount_pence for a in s.agreements} == {
        "County Police": 39_753_48,
        "County Integrated Care Board": 39_753_48,
        "North Council": 19_876_74,
        "West Council": 19_876_74,
    }
    # Reserves applied are copied as they are, so the copy shows a gap.
    assert s.totals.reserves_applied_pence == 28_418_00
    assert s.totals.gap_pence == 148_246_80 - 119_260_44 - 28_418_00 == 568_36


def test_demo_invoices_are_part_paid_and_one_is_overdue(demo):
    b = _demo_budget(demo, "2020")
    agreements = svc.agreements_of(b)
    balances = svc.balances_by_agreement(agreements, on=date(2026, 11, 23))
    by_org = {a.organisation.name: balances[a.id] for a in agreements}
    west = by_org["West Council"]
    assert (west.invoiced_pence, west.paid_pence, west.outstanding_pence, west.overdue_pence) == (
        19_487_00,
        10_000_00,
        9_487_00,
        9_487_00,
    )
    for name in ("County Police", "County Integrated Care Board", "North Council"):
        assert by_org[name].outstanding_pence == 0
    assert sum(b.paid_pence for b in balances.values()) == 107_435_00
    overdue = svc.overdue_invoices(date(2026, 11, 23))
    assert [i.organisation.name for i in overdue if i.budget_id == b.id] == ["West Council"]
    icb = db.session.get(Invoice, demo.id("invoices", "icb"))
    assert [p.amount_pence for p in svc.payments_of(icb)] == [19_487_00, 19_487_00]


# --- equal shares, percentages, fixed amounts --------------------------------------------


def test_equal_share_of_100_pounds_among_three_agencies(demo):
    b = _new(2030)
    svc.update_settings(b, version=b.version, equal_share_target_pence=100_00)
    made = _equal(b, demo, "north", "police", "icb")
    assert [made[k].amount_pence for k in ("north", "police", "icb")] == [3333, 3333, 3334]
    assert [made[k].remainder_pence for k in ("north", "police", "icb")] == [0, 0, 1]
    assert "includes 1p left over" in made["icb"].calculation
    assert "left over" not in made["police"].calculation


def test_the_councils_split_the_local_authority_share_with_its_remainder(demo):
    b = _new(2030)
    svc.update_settings(b, version=b.version, equal_share_target_pence=100_00)
    made = _equal(b, demo, "north", "west", "police", "icb")
    assert {k: a.amount_pence for k, a in made.items()} == {"north": 1666, "west": 1667, "police": 3333, "icb": 3334}
    assert sum(a.amount_pence for a in made.values()) == 100_00
    assert {k: a.remainder_pence for k, a in made.items()} == {"north": 0, "west": 1, "police": 0, "icb": 1}
    assert "the local authorities' share of £33.33 is split equally between 2 organisations" in made["west"].calculation
    # An odd target: 10001p → agencies 3333, 3334, 3334; the councils split 3333.
    svc.update_settings(b, version=b.version, equal_share_target_pence=100_01)
    assert {k: a.amount_pence for k, a in made.items()} == {"north": 1666, "west": 1667, "police": 3334, "icb": 3334}


def test_only_statutory_partners_take_an_equal_share_and_a_target_is_needed(demo):
    b = _new(2030)
    with pytest.raises(ValidationFailed) as exc:
        svc.add_agreement(b, organisation_id=demo.org("police").id, kind=AgreementKind.equal_share)
    assert exc.value.errors == {
        "kind": "Set the amount the statutory agencies share equally first (in the budget's settings)"
    }
    svc.update_settings(b, version=b.version, equal_share_target_pence=1000_00)
    with pytest.raises(ValidationFailed) as exc:
        svc.add_agreement(b, organisation_id=demo.org("fire").id, kind=AgreementKind.equal_share)
    assert "give County Fire and Rescue Service a fixed amount or a percentage" in exc.value.errors["kind"]
    svc.add_agreement(b, organisation_id=demo.org("police").id, kind=AgreementKind.equal_share)
    with pytest.raises(ValidationFailed) as exc:
        svc.update_settings(b, version=b.version, equal_share_target_pence=None)
    assert "equal_share_target" in exc.value.errors


def test_percentage_and_fixed_agreements(demo):
    b = _new(2030, lines=[("Staff", LineCategory.staffing, 145_340_00)])
    pct = svc.add_agreement(b, organisation_id=demo.org("acute").id, kind=AgreementKind.percentage, percentage_bp=1250)
    odd = svc.add_agreement(b, organisation_id=demo.org("fire").id, kind="percentage", percentage_bp=3333)
    fixed = svc.add_agreement(
        b, organisation_id=demo.org("probation").id, kind=AgreementKind.fixed, fixed_pence=2_500_00
    )
    assert (pct.amount_pence, odd.amount_pence, fixed.amount_pence) == (18_167_50, 48_441_82, 2_500_00)
    assert pct.calculation == "12.5% of the budget's expenditure of £145,340.00"
    assert odd.calculation.endswith(", to the nearest penny")
    # A percentage follows the expenditure.
    line = svc.lines_of(b)[0]
    svc.update_line(line, version=line.version, name="Staff", category="staffing", amount_pence=100_000_00)
    assert (pct.amount_pence, odd.amount_pence, fixed.amount_pence) == (12_500_00, 33_330_00, 2_500_00)
    assert svc.totals(b).contributions_pence == 12_500_00 + 33_330_00 + 2_500_00


@pytest.mark.parametrize(
    ("kind", "kw", "errors"),
    [
        ("fixed", {}, {"fixed_amount": "Enter the amount"}),
        ("fixed", {"fixed_pence": 0}, {"fixed_amount": "The amount must be more than £0"}),
        ("fixed", {"fixed_pence": -100}, {"fixed_amount": "The amount must be £0 or more"}),
        ("percentage", {}, {"percentage": "Enter the percentage of the budget"}),
        (
            "percentage",
            {"percentage_bp": 10001},
            {"percentage": "The percentage must be more than 0 and no more than 100"},
        ),
        ("bartered", {}, {"kind": "Select how the contribution is worked out"}),
        (
            "fixed",
            {"fixed_pence": 100, "contact_email": "not-an-email"},
            {"contact_email": "Enter an email address in the correct format, like name@example.com"},
        ),
    ],
)
def test_agreement_values_are_checked(demo, kind, kw, errors):
    b = _new(2030)
    with pytest.raises(ValidationFailed) as exc:
        svc.add_agreement(b, organisation_id=demo.org("fire").id, kind=kind, **kw)
    assert exc.value.errors == errors
    assert svc.agreements_of(b) == []


def test_one_agreement_per_partner_per_year(demo):
    b = _new(2030)
    svc.add_agreement(b, organisation_id=demo.org("fire").id, kind="fixed", fixed_pence=100)
    with pytest.raises(ValidationFailed) as exc:
        svc.add_agreement(b, organisation_id=demo.org("fire").id, kind="fixed", fixed_pence=200)
    assert exc.value.errors == {
        "organisation_id": "County Fire and Rescue Service already has an agreement for 2030/31"
    }


# --- years, lines, states and variations -------------------------------------------------


def test_a_new_year_always_has_the_sar_authors_line_which_cannot_be_renamed(demo):
    b = svc.start_year(financial_year=2030)
    (line,) = svc.lines_of(b)
    assert (line.name, line.amount_pence, line.category) == (SAR_AUTHORS_LINE, 0, LineCategory.case_reviews)
    with pytest.raises(ValidationFailed) as exc:
        svc.update_line(line, version=line.version, name="Reviews", category="case_reviews", amount_pence=100)
    assert "cannot be renamed" in exc.value.errors["name"]
    with pytest.raises(ValidationFailed) as exc:
        svc.start_year(financial_year=2030)
    assert exc.value.errors == {"financial_year": "There is already a budget for 2030/31"}


def test_line_values_are_checked(demo):
    b = _new(2030)
    with pytest.raises(ValidationFailed) as exc:
        svc.add_line(b, name=" ", category="spaceships", amount_pence=-1)
    assert exc.value.errors == {
        "name": "Enter the name of the line",
        "category": "Select the category",
        "amount": "The amount must be £0 or more",
    }
    with pytest.raises(ValidationFailed) as exc:
        svc.add_line(b, name="line a", category="other", amount_pence=100)
    assert exc.value.errors == {"name": "The 2030/31 budget already has a line called ‘line a’"}


def test_a_proposed_budget_cannot_change_and_a_stale_edit_is_refused(demo):
    b = _new(2030)
    line = svc.lines_of(b)[0]
    with pytest.raises(StaleVersion):
        svc.update_line(line, version=line.version + 1, name="Line A", category="other", amount_pence=5)
    lifecycle.fire(b, "propose", user=demo.user("office"), version=b.version)
    with pytest.raises(Conflict, match="is with the Board: return it to draft"):
        svc.add_line(b, name="Line B", category="other", amount_pence=5)
    lifecycle.fire(b, "return_to_draft", user=demo.user("chair"), version=b.version, comment="Add training")
    svc.add_line(b, name="Line B", category="other", amount_pence=5)
    assert svc.totals(b).expenditure_pence == 100_05


def test_after_approval_changes_are_variations_with_reason_and_approver(demo):
    b = _new(
        2030, lines=[("Legal", LineCategory.legal, 2_000_00), ("Chair", LineCategory.independent_chair, 20_000_00)]
    )
    svc.update_settings(b, version=b.version, equal_share_target_pence=30_000_00)
    made = _equal(b, demo, "north", "west", "police", "icb")
    pct = svc.add_agreement(b, organisation_id=demo.org("acute").id, kind="percentage", percentage_bp=1000)
    _approve(b, demo)
    legal = svc.lines_of(b)[0]
    assert legal.original_pence == 2_000_00 and pct.original_pence == 2_200_00
    with pytest.raises(ValidationFailed) as exc:
        svc.update_line(legal, version=legal.version, name="Legal", category="legal", amount_pence=3_500_00)
    assert exc.value.errors == {
        "reason": "Enter the reason for the change",
        "approver": "Enter who approved the change",
        "approved_on": "Enter the date the change was approved",
    }
    assert legal.amount_pence == 2_000_00
    with pytest.raises(ValidationFailed) as exc:
        svc.update_line(
            legal,
            version=legal.version,
            name="Legal",
            category="legal",
            amount_pence=3_500_00,
            variation=svc.Variation("x", "y", date(2099, 1, 1)),
        )
    assert exc.value.errors == {"approved_on": "The date the change was approved must be today or in the past"}
    svc.update_line(
        legal,
        version=legal.version,
        name="Legal",
        category="legal",
        amount_pence=3_500_00,
        variation=V,
        user=demo.user("office"),
    )
    # The percentage contribution follows the expenditure: a variation of its own.
    assert pct.amount_pence == 2_350_00
    rows = svc.variations_of(b)
    assert [(v.label, v.before_pence, v.after_pence, v.reason, v.approver) for v in rows] == [
        ("Legal", 2_000_00, 3_500_00, V.reason, V.approver),
        ("Contribution: County University Hospitals NHS Trust", 2_200_00, 2_350_00, V.reason, V.approver),
    ]
    assert legal.original_pence == 2_000_00 and legal.amount_pence == 3_500_00
    assert rows[0].recorded_by_id == demo.user("office").id and rows[0].change_pence == 1_500_00
    # A new line after approval is a variation from £0.
    svc.add_line(b, name="Conference", category="learning", amount_pence=1_000_00, variation=V)
    assert svc.variations_of(b)[-2].label == "Conference" and svc.variations_of(b)[-2].before_pence == 0
    # Changing the target re-divides it: a variation per partner.
    svc.update_settings(b, version=b.version, equal_share_target_pence=30_000_01, variation=V)
    assert {k: a.amount_pence for k, a in made.items()} == {
        "north": 5_000_00,
        "west": 5_000_00,
        "police": 10_000_00,
        "icb": 10_000_01,
    }
    assert [v.label for v in svc.variations_of(b)][-2:] == [
        "Amount shared equally by the statutory agencies",
        "Contribution: County Integrated Care Board",
    ]


def test_a_variation_cannot_leave_a_partner_owing_less_than_they_were_invoiced(demo):
    b = _new(2030)
    fixed = svc.add_agreement(b, organisation_id=demo.org("fire").id, kind="fixed", fixed_pence=5_000_00)
    _approve(b, demo)
    svc.raise_invoice(fixed, issued_on=date(2026, 6, 1))
    with pytest.raises(ValidationFailed) as exc:
        svc.update_agreement(fixed, version=fixed.version, kind="fixed", fixed_pence=4_000_00, variation=V)
    assert exc.value.reasons == [
        "County Fire and Rescue Service has already been invoiced £5,000.00, more than the "
        "£4,000.00 this change would leave them to pay: cancel an invoice first"
    ]
    assert db.session.query(BudgetVariation).filter_by(budget_id=b.id).count() == 0


def test_contact_details_change_without_a_variation(demo):
    b = _demo_budget(demo, "2020")
    a = db.session.get(ContributionAgreement, demo.id("agreements", "police"))
    svc.update_agreement(
        a, version=a.version, kind=a.kind, contact_name="Finance team", contact_email="finance@police.demo.test"
    )
    assert a.invoice_email == "finance@police.demo.test" and a.amount_pence == 38_974_00
    assert svc.variations_of(b) == []


def test_copy_carries_agreements_and_reserves_once_the_year_is_closed(demo):
    b = _new(2030, lines=[("Staff", LineCategory.staffing, 10_000_00)])
    svc.update_settings(b, version=b.version, equal_share_target_pence=9_000_00, reserves_brought_forward_pence=500_00)
    _equal(b, demo, "north", "west", "police", "icb")
    svc.add_agreement(b, organisation_id=demo.org("fire").id, kind="fixed", fixed_pence=1_000_00)
    svc.add_income(b, name="Training income", kind=IncomeKind.other_income, amount_pence=300_00)
    _approve(b, demo)
    svc.record_spend(
        financial_year=2030,
        line_name="Staff",
        amount_pence=9_900_00,
        supplier="North Council",
        reference="PAY",
        spent_on=date(2026, 5, 1),
    )
    lifecycle.fire(b, "close_year", user=demo.user("office"), version=b.version, as_of=date(2031, 4, 2))
    # Income 9,000 + 1,000 + 300 = 10,300; spend 9,900; surplus 400; reserves 500 + 400.
    assert (b.outturn_income_pence, b.outturn_spend_pence, b.surplus_pence, b.reserves_carried_forward_pence) == (
        10_300_00,
        9_900_00,
        400_00,
        900_00,
    )
    nxt = svc.start_year(financial_year=2031, copy_from=b, uplift_bp=250)
    assert nxt.reserves_brought_forward_pence == 900_00 and nxt.reserves_carried_in
    s = svc.summary(nxt)
    assert [(x.name, x.amount_pence) for x in s.lines] == [("Staff", 10_250_00), (SAR_AUTHORS_LINE, 0)]
    assert nxt.equal_share_target_pence == 9_225_00
    assert {a.organisation.name: a.amount_pence for a in s.agreements}["County Fire and Rescue Service"] == 1_025_00
    assert [(i.name, i.amount_pence) for i in s.income] == [("Training income", 307_50)]
    with pytest.raises(ValidationFailed) as exc:
        svc.update_settings(
            nxt,
            version=nxt.version,
            equal_share_target_pence=nxt.equal_share_target_pence,
            reserves_brought_forward_pence=1,
        )
    assert "carried in when the previous year closed" in exc.value.errors["reserves_brought_forward"]


# --- invoices and payments ---------------------------------------------------------------


def _invoiced(demo, amount=10_000_00) -> tuple[Budget, ContributionAgreement]:
    b = _new(2030)
    a = svc.add_agreement(b, organisation_id=demo.org("fire").id, kind="fixed", fixed_pence=amount)
    return _approve(b, demo), a


def test_invoices_only_once_approved_defaults_and_numbering(demo):
    b = _new(2030)
    a = svc.add_agreement(b, organisation_id=demo.org("fire").id, kind="fixed", fixed_pence=10_000_00)
    with pytest.raises(Conflict, match="Invoices are raised once the Board has approved the budget"):
        svc.raise_invoice(a, issued_on=date(2026, 6, 1))
    _approve(b, demo)
    first = svc.raise_invoice(a, issued_on=date(2026, 6, 1), amount_pence=4_000_00)
    assert (first.number, first.due_on, first.amount_pence, first.sent_to) == (
        "SP-2030-31-001",
        date(2026, 7, 1),
        4_000_00,
        "safeguarding@fire.demo.test",
    )
    second = svc.raise_invoice(a, issued_on=date(2026, 6, 2), due_on=date(2026, 6, 30))
    assert (second.number, second.amount_pence, second.due_on) == ("SP-2030-31-002", 6_000_00, date(2026, 6, 30))
    with pytest.raises(ValidationFailed) as exc:
        svc.raise_invoice(a, issued_on=date(2026, 6, 3))
    assert exc.value.errors == {
        "amount": "County Fire and Rescue Service's contribution of £10,000.00 has been invoiced in full"
    }


@pytest.mark.parametrize(
    ("kw", "errors"),
    [
        ({"issued_on": None}, {"issued_on": "Enter the date of the invoice"}),
        ({"issued_on": date(2099, 1, 1)}, {"issued_on": "The date of the invoice must be today or in the past"}),
        (
            {"due_on": date(2026, 5, 31)},
            {"due_on": "The due date must be the same as or after the date of the invoice"},
        ),
        (
            {"amount_pence": 10_000_01},
            {
                "amount": "The amount must be £10,000.00 or less: £0.00 of County Fire and Rescue "
                "Service's £10,000.00 has already been invoiced"
            },
        ),
        ({"amount_pence": 0}, {"amount": "The amount must be more than £0"}),
    ],
)
def test_invoice_values_are_checked(demo, kw, errors):
    _, a = _invoiced(demo)
    with pytest.raises(ValidationFailed) as exc:
        svc.raise_invoice(a, **{"issued_on": date(2026, 6, 1), **kw})
    assert exc.value.errors == errors


def test_partial_and_full_payments_outstanding_and_overdue(demo):
    _, a = _invoiced(demo)
    inv = svc.raise_invoice(a, issued_on=date(2026, 6, 1), due_on=date(2026, 6, 30))
    assert inv.status(date(2026, 6, 15)) == "unpaid" and inv.status(date(2026, 7, 1)) == "overdue"
    svc.record_payment(
        inv, amount_pence=3_333_33, received_on=date(2026, 6, 20), reference="BACS 1", version=inv.version
    )
    assert (inv.paid_pence, inv.outstanding_pence, inv.status(date(2026, 6, 25))) == (3_333_33, 6_666_67, "part_paid")
    bal = svc.balances_by_agreement([a], on=date(2026, 7, 1))[a.id]
    assert (bal.agreed_pence, bal.invoiced_pence, bal.paid_pence, bal.outstanding_pence, bal.overdue_pence) == (
        10_000_00,
        10_000_00,
        3_333_33,
        6_666_67,
        6_666_67,
    )
    with pytest.raises(ValidationFailed) as exc:
        svc.record_payment(inv, amount_pence=6_666_68, received_on=date(2026, 7, 2))
    assert exc.value.errors == {
        "amount": "The amount received must be £6,666.67 or less: that is what is outstanding on invoice SP-2030-31-001"
    }
    svc.record_payment(inv, amount_pence=6_666_67, received_on=date(2026, 7, 2))
    assert (inv.outstanding_pence, inv.status(date(2026, 8, 1))) == (0, "paid")
    assert svc.balances_by_agreement([a], on=date(2026, 8, 1))[a.id].overdue_pence == 0
    with pytest.raises(ValidationFailed) as exc:
        svc.record_payment(inv, amount_pence=1, received_on=date(2026, 7, 2))
    assert exc.value.errors == {"amount": "Invoice SP-2030-31-001 has been paid in full"}


@pytest.mark.parametrize(
    ("kw", "errors"),
    [
        ({"amount_pence": None}, {"amount": "Enter the amount received"}),
        ({"amount_pence": -5}, {"amount": "The amount received must be £0 or more"}),
        ({"amount_pence": 0}, {"amount": "The amount received must be more than £0"}),
        ({"received_on": None}, {"received_on": "Enter the date the payment was received"}),
        (
            {"received_on": date(2099, 1, 1)},
            {"received_on": "The date the payment was received must be today or in the past"},
        ),
    ],
)
def test_payment_values_are_checked_and_change_nothing(demo, kw, errors):
    _, a = _invoiced(demo)
    inv = svc.raise_invoice(a, issued_on=date(2026, 6, 1))
    with pytest.raises(ValidationFailed) as exc:
        svc.record_payment(inv, **{"amount_pence": 100, "received_on": date(2026, 6, 2), **kw})
    assert exc.value.errors == errors
    assert inv.paid_pence == 0 and svc.payments_of(inv) == []


def test_a_stale_payment_is_refused(demo):
    _, a = _invoiced(demo)
    inv = svc.raise_invoice(a, issued_on=date(2026, 6, 1))
    with pytest.raises(StaleVersion):
        svc.record_payment(inv, amount_pence=100, received_on=date(2026, 6, 2), version=inv.version + 1)
    assert inv.paid_pence == 0


def test_reversing_a_payment_and_cancelling_an_invoice(demo):
    _, a = _invoiced(demo)
    inv = svc.raise_invoice(a, issued_on=date(2026, 6, 1))
    p = svc.record_payment(inv, amount_pence=2_500_00, received_on=date(2026, 6, 2))
    with pytest.raises(ValidationFailed) as exc:
        svc.cancel_invoice(inv, version=inv.version, reason="Raised twice")
    assert exc.value.reasons == ["Invoice SP-2030-31-001 has payments of £2,500.00: reverse them before cancelling it"]
    with pytest.raises(ValidationFailed) as exc:
        svc.reverse_payment(p, reason=" ")
    assert exc.value.errors == {"reason": "Enter the reason for reversing the payment"}
    svc.reverse_payment(p, reason="Recorded against the wrong invoice")
    assert (inv.paid_pence, inv.outstanding_pence, p.reversed_on is not None) == (0, 10_000_00, True)
    with pytest.raises(Conflict):
        svc.reverse_payment(p, reason="Again")
    svc.cancel_invoice(inv, version=inv.version, reason="Raised twice")
    assert inv.status(date(2026, 7, 1)) == "cancelled" and inv.outstanding_pence == 0
    with pytest.raises(Conflict, match="cancelled: it takes no payments"):
        svc.record_payment(inv, amount_pence=1, received_on=date(2026, 6, 3))
    # The amount can be invoiced again.
    assert svc.raise_invoice(a, issued_on=date(2026, 6, 5)).amount_pence == 10_000_00


# --- spend, monitoring, year end ---------------------------------------------------------


def test_record_commitment_for_other_features(demo):
    c = svc.record_commitment(
        financial_year=2020,
        line_name=SAR_AUTHORS_LINE,
        amount_pence=8_000_00,
        supplier="Independent reviewer",
        reference="SAR-2020-03",
        committed_on=date(2021, 3, 1),
        description="Reviewer's contract",
        source_type="review",
        source_id=42,
    )
    assert (c.kind.value, c.line.name, c.budget_id, c.source_type, c.source_id) == (
        "commitment",
        SAR_AUTHORS_LINE,
        demo.id("budgets", "2020"),
        "review",
        42,
    )
    assert svc.commitments_for_source("review", 42) == [c]
    paid = svc.record_spend_against_commitment(
        c.id, amount_pence=3_000_00, spent_on=date(2021, 3, 20), reference="INV-77"
    )
    assert (paid.line_id, paid.supplier, paid.commitment_id, paid.source_id) == (
        c.line_id,
        "Independent reviewer",
        c.id,
        42,
    )
    assert svc.commitment_remaining([c.id]) == {c.id: 5_000_00}


@pytest.mark.parametrize(
    ("kw", "errors"),
    [
        ({"financial_year": 2099}, {"financial_year": "There is no budget for 2099/00"}),
        (
            {"line_name": "Safeguarding Adult Reviews - Independent Authors"},
            {"line_name": "The 2020/21 budget has no line called ‘Safeguarding Adult Reviews - Independent Authors’"},
        ),
        (
            {"amount_pence": 0, "supplier": "", "reference": " ", "committed_on": None},
            {
                "amount": "The amount must be more than £0",
                "supplier": "Enter the supplier",
                "reference": "Enter the reference (an order, contract or invoice number)",
                "committed_on": "Enter the date of the commitment",
            },
        ),
    ],
)
def test_record_commitment_refuses_with_clear_messages(demo, kw, errors):
    values = dict(
        financial_year=2020,
        line_name=SAR_AUTHORS_LINE,
        amount_pence=100,
        supplier="S",
        reference="R",
        committed_on=date(2021, 1, 1),
        description="",
    )
    values.update(kw)
    with pytest.raises(ValidationFailed) as exc:
        svc.record_commitment(**values)
    assert exc.value.errors == errors
    assert str(exc.value) in ("There is a problem", *errors.values())


def test_monitoring_per_line_to_the_penny(demo):
    m = svc.monitoring(_demo_budget(demo, "2020"))
    rows = {r.line.name: r for r in m.rows}
    sar = rows[SAR_AUTHORS_LINE]
    assert (sar.budget_pence, sar.committed_pence, sar.actual_pence, sar.forecast_pence, sar.variance_pence) == (
        26_000_00,
        16_000_00,
        6_500_00,
        22_500_00,
        3_500_00,
    )
    postage = rows["Office costs (postage)"]
    assert (postage.actual_pence, postage.variance_pence, postage.over_budget) == (52_60, -12_60, True)
    assert [r.line.name for r in m.rows if r.over_budget] == ["Office costs (postage)"]
    assert (m.budget_pence, m.committed_pence, m.actual_pence, m.forecast_pence, m.variance_pence) == (
        145_340_00,
        21_000_00,
        116_222_60,
        137_222_60,
        8_117_40,
    )


def test_commitments_actuals_releases_reversals_and_the_office_forecast(demo):
    b = _new(2030, lines=[("Reviews", LineCategory.case_reviews, 10_000_00)])
    c = svc.record_commitment(
        financial_year=2030,
        line_name="Reviews",
        amount_pence=6_000_00,
        supplier="A",
        reference="PO1",
        committed_on=date(2026, 5, 1),
        description="",
    )
    svc.record_spend(
        financial_year=2030,
        line_name="Reviews",
        amount_pence=2_500_00,
        supplier="A",
        reference="I1",
        spent_on=date(2026, 6, 1),
        commitment_id=c.id,
    )
    other = svc.record_spend(
        financial_year=2030,
        line_name="Reviews",
        amount_pence=1_234_56,
        supplier="B",
        reference="I2",
        spent_on=date(2026, 6, 2),
    )
    row = svc.monitoring(b).rows[0]
    assert (row.committed_pence, row.actual_pence, row.forecast_pence, row.variance_pence, row.over_budget) == (
        3_500_00,
        3_734_56,
        7_234_56,
        2_765_44,
        False,
    )
    # Spending more than a commitment leaves nothing committed, never a negative.
    svc.record_spend(
        financial_year=2030,
        line_name="Reviews",
        amount_pence=4_000_00,
        supplier="A",
        reference="I3",
        spent_on=date(2026, 6, 3),
        commitment_id=c.id,
    )
    row = svc.monitoring(b).rows[0]
    assert (row.committed_pence, row.actual_pence, row.forecast_pence) == (0, 7_734_56, 7_734_56)
    svc.end_spend(other, version=other.version, reason="Duplicate")
    svc.set_forecast(row.line, version=row.line.version, forecast_pence=10_500_00)
    row = svc.monitoring(b).rows[0]
    assert (row.actual_pence, row.forecast_pence, row.forecast_is_estimate, row.variance_pence, row.over_budget) == (
        6_500_00,
        10_500_00,
        True,
        -500_00,
        True,
    )
    c2 = svc.record_commitment(
        financial_year=2030,
        line_name="Reviews",
        amount_pence=1_000_00,
        supplier="C",
        reference="PO2",
        committed_on=date(2026, 5, 1),
        description="",
    )
    svc.end_spend(c2, version=c2.version, reason="Contract not let")
    with pytest.raises(ValidationFailed) as exc:
        svc.record_spend(
            financial_year=2030,
            line_name="Reviews",
            amount_pence=1,
            supplier="C",
            reference="X",
            spent_on=date(2026, 6, 1),
            commitment_id=c2.id,
        )
    assert exc.value.errors == {"commitment_id": "Commitment PO2 was released: nothing more is spent against it"}
    with pytest.raises(StaleVersion):
        svc.end_spend(c, version=c.version + 1, reason="x")


def test_closing_the_year_needs_the_year_over_and_the_previous_year_closed(demo):
    b20, b21 = _demo_budget(demo, "2020"), _demo_budget(demo, "2021")
    office = demo.user("office")
    with pytest.raises(ValidationFailed) as exc:
        lifecycle.fire(b20, "close_year", user=office, version=b20.version, as_of=date(2021, 3, 31))
    assert exc.value.reasons == ["The 2020/21 financial year ends on 31 March 2021: close it after that date"]
    position = svc.year_end_position(b20)
    assert (
        position.income_pence,
        position.spend_pence,
        position.surplus_pence,
        position.reserves_carried_forward_pence,
        position.outstanding_contributions_pence,
        position.open_commitments_pence,
    ) == (116_922_00, 116_222_60, 699_40, 29_117_40, 9_487_00, 21_000_00)
    lifecycle.fire(b20, "close_year", user=office, version=b20.version, as_of=date(2021, 4, 30))
    assert b20.state == BudgetState.closed and b20.closed_on == date(2021, 4, 30)
    assert (b20.surplus_pence, b20.reserves_carried_forward_pence) == (699_40, 29_117_40)
    assert (b21.reserves_brought_forward_pence, b21.reserves_carried_in) == (29_117_40, True)
    with pytest.raises(Conflict, match="closed: it cannot change"):
        svc.add_line(b20, name="Late", category="other", amount_pence=1)
    # Payments are still taken against a closed year's invoices.
    west = db.session.get(Invoice, demo.id("invoices", "west"))
    svc.record_payment(west, amount_pence=9_487_00, received_on=date(2026, 1, 5))
    assert west.outstanding_pence == 0
    # A later year waits for the one before it.
    b22 = svc.start_year(financial_year=2022)
    b23 = _approve(svc.start_year(financial_year=2023, lines=[("A", LineCategory.other, 1)]), demo)
    with pytest.raises(ValidationFailed) as exc:
        lifecycle.fire(b23, "close_year", user=office, version=b23.version, as_of=date(2026, 11, 1))
    assert exc.value.reasons == ["Close 2022/23 first: its reserves are carried into 2023/24"]
    assert b22.state == BudgetState.draft


def test_a_deficit_reduces_the_reserves(demo):
    b = _new(2030, lines=[("Staff", LineCategory.staffing, 10_000_00)])
    svc.update_settings(b, version=b.version, equal_share_target_pence=None, reserves_brought_forward_pence=3_000_00)
    svc.add_agreement(b, organisation_id=demo.org("fire").id, kind="fixed", fixed_pence=8_000_00)
    svc.add_income(b, name="Reserves applied", kind=IncomeKind.reserves, amount_pence=2_000_00)
    _approve(b, demo)
    svc.record_spend(
        financial_year=2030,
        line_name="Staff",
        amount_pence=10_250_75,
        supplier="S",
        reference="R",
        spent_on=date(2026, 6, 1),
    )
    lifecycle.fire(b, "close_year", user=demo.user("office"), version=b.version, as_of=date(2031, 4, 1))
    assert (b.outturn_income_pence, b.surplus_pence, b.reserves_carried_forward_pence) == (8_000_00, -2_250_75, 749_25)


# --- who sees what -----------------------------------------------------------------------


def test_partners_see_only_their_own_organisations_finances(demo):
    police, north = demo.user("police"), demo.user("north")
    west_invoice = db.session.get(Invoice, demo.id("invoices", "west"))
    police_invoice = db.session.get(Invoice, demo.id("invoices", "police"))
    assert svc.get_invoice(police_invoice.id, police) is police_invoice
    with pytest.raises(NotFound):
        svc.get_invoice(west_invoice.id, police)
    with pytest.raises(NotFound):
        svc.get_agreement(demo.id("agreements", "west"), police)
    with pytest.raises(NotFound):
        svc.account(demo.org("west").id, police)
    west_payment = svc.payments_of(west_invoice)[0]
    with pytest.raises(NotFound):
        svc.get_payment(west_payment.id, police)
    rows, total = svc.list_invoices(police, svc.InvoiceFilters())
    assert total == 1 and {i.organisation_id for i in rows} == {demo.org("police").id}
    payments, _ = svc.list_payments(north, svc.PaymentFilters())
    assert {p.organisation_id for p in payments} == {demo.org("north").id}
    agreements, _ = svc.list_agreements(north)
    assert {a.organisation_id for a in agreements} == {demo.org("north").id}
    assert svc.overdue_summary(police) == (0, 0)
    assert svc.overdue_summary(demo.user("west")) == (1, 9_487_00)
    assert svc.overdue_summary(demo.user("office")) == (1, 9_487_00)
    assert svc.list_spend(police, svc.SpendFilters())[1] == 0


def test_budget_visibility_by_role(demo):
    years = {
        role: [svc.label(b) for b in svc.list_budgets(demo.user(role))]
        for role in ("office", "chair", "police", "viewer", "admin")
    }
    assert years["office"] == years["chair"] == ["2026-27-children", "2021-22", "2020-21"]
    assert years["police"] == ["2026-27-children", "2020-21"]  # drafts are the office's
    assert years["viewer"] == ["2026-27-children", "2020-21"]
    assert years["admin"] == []
    with pytest.raises(NotFound):
        svc.get_budget("2021-22", demo.user("viewer"))
    with pytest.raises(NotFound):
        svc.get_budget("2020-21", demo.user("admin"))
    assert svc.get_budget("2020/21", demo.user("viewer")).financial_year == 2020
    assert svc.get_budget(str(demo.id("budgets", "2020")), demo.user("chair")).financial_year == 2020
    with pytest.raises(NotFound):
        svc.get_budget("twenty", demo.user("office"))


def test_an_unpaid_agreement_in_a_proposed_budget_is_not_shown_to_the_partner_before_the_board(demo):
    b = _new(2030)
    a = svc.add_agreement(b, organisation_id=demo.org("police").id, kind="fixed", fixed_pence=100)
    with pytest.raises(NotFound):
        svc.get_agreement(a.id, demo.user("police"))
    lifecycle.fire(b, "propose", user=demo.user("office"), version=b.version)
    assert svc.get_agreement(a.id, demo.user("police")) is a


def test_chasing_picks_overdue_invoices_every_interval(demo, app):
    west = db.session.get(Invoice, demo.id("invoices", "west"))
    west.last_chased_on, west.chase_count = None, 0  # the demo's own chase (its day before) forgotten
    on = date(2026, 11, 23)
    assert svc.invoices_to_chase(on) == [west]
    svc.mark_chased(west, on)
    assert svc.invoices_to_chase(on + timedelta(days=13)) == []
    assert svc.invoices_to_chase(on + timedelta(days=14)) == [west]
    assert west.chase_count == 1
    previous = app.config["INVOICE_CHASE_INTERVAL_DAYS"]
    app.config["INVOICE_CHASE_INTERVAL_DAYS"] = 7
    try:
        assert svc.invoices_to_chase(on + timedelta(days=7)) == [west]
    finally:
        app.config["INVOICE_CHASE_INTERVAL_DAYS"] = previous
