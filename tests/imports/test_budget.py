"""Importing an office's budget spreadsheet (issues 21 and 22): one sheet of lines, income,
contributions, the Board's approval and payments for an arm's financial year. Money is
read exactly (to the penny, whether typed £38,974.00, 38974 or a number cell); every bad
row is reported by row and column; a budget already approved is changed on its page, not
by an import; and the same file twice changes nothing."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import (
    AgreementKind,
    Arm,
    BudgetIncome,
    BudgetLine,
    BudgetState,
    ContributionAgreement,
    IncomeKind,
    Invoice,
    LineCategory,
    OutboxMessage,
    Payment,
)
from safeguarding.services import budget as budget_svc
from safeguarding.services import imports
from tests.imports.helpers import count, csv_bytes, xlsx_bytes

HEAD = [
    "Financial year",
    "Arm",
    "Type",
    "Name",
    "Category",
    "Organisation",
    "Basis",
    "Percentage",
    "Amount",
    "Date",
    "Invoiced on",
    "Reference",
]
SAR = "Safeguarding Adult Reviews – Independent Authors"


def r(year, arm, kind, name="", category="", org="", basis="", pct="", amount="", on="", invoiced="", ref=""):
    return [year, arm, kind, name, category, org, basis, pct, amount, on, invoiced, ref]


def good_rows():
    """The adults' 2025/26 budget as an office keeps it, a payment to the children's
    2026/27 budget and two rows the demo already holds (2020/21)."""
    return [
        r("2025-26", "adults", "line", "Salaries – staffing", "staffing", amount=81396),  # 2
        r("2025/26", "", "line", "Independent Chair", "Independent chair", amount="£20,400.00"),  # 3
        r("2025-26", "adults", "line", SAR, "case_reviews", amount="26,520"),  # 4: the line every budget has
        r("2025-26", "adults", "line", "Office costs (postage)", "office", amount=40.8),  # 5
        r("2025-26", "adults", "income", "Reserves applied", "reserves", amount="£28,986.36"),  # 6
        # £119,261.00 shared equally among three agencies: £39,753.66 / .67 / .67; the
        # councils' share split between the two of them
        r("2025-26", "adults", "contribution", org="North Council", basis="equal_share", amount="19,876.83"),  # 7
        r("2025-26", "adults", "contribution", org="West Council", basis="equal share", amount=19876.83),  # 8
        r("2025-26", "adults", "contribution", org="County Police", basis="equal_share", amount="£39,753.67"),  # 9
        r(
            "2025-26",
            "adults",
            "contribution",
            org="County Integrated Care Board",
            basis="equal_share",
            amount="39753.67",
        ),
        r("2025-26", "adults", "contribution", org="County Fire and Rescue Service", basis="fixed", amount="£1,500"),
        # 1.5% of £128,356.80 is £1,925.352: £1,925.35
        r(
            "2025-26",
            "adults",
            "contribution",
            org="Probation Service (County)",
            basis="percentage",
            pct="1.5%",
            amount="1,925.35",
        ),
        r("2025-26", "adults", "approval", on="27/03/2025", ref="SAB 27/03/25 item 4"),  # 13
        r(
            "2025-26",
            "adults",
            "payment",
            org="County Police",
            amount="39,753.67",
            on="30/04/2025",
            invoiced="01/04/2025",
            ref="BACS POL 300425",
        ),
        r(
            "2025-26",
            "adults",
            "payment",
            org="County Integrated Care Board",
            amount=20000,
            on="12/05/2025",
            invoiced="01/04/2025",
        ),
        r(
            "2025-26", "adults", "payment", org="County Integrated Care Board", amount="£19,753.67", on="30/06/2025"
        ),  # 16
        r("2025-26", "adults", "payment", org="North Council", amount="19,876.83", on="15 May 2025"),  # 17
        r(
            "2026-27",
            "children",
            "payment",
            org="West Council",
            amount="£40,000.00",
            on="20/11/2026",
            ref="BACS WC 201126",
        ),
        r(
            "2020-21", "adults", "line", "Independent Chair", "independent_chair", amount="£20,000.00"
        ),  # 19: as recorded
        r("2020-21", "adults", "payment", org="County Police", amount="38974", on="28/05/2020", ref="BACS POL 280520"),
    ]


BAD = [
    # 21: unknown organisation
    r("2025-26", "adults", "contribution", org="Nowhere Council", basis="fixed", amount="£100.00"),
    r("2025-26", "adults", "line", "Training", "learning", amount="£12,34x"),  # 22: bad money
    r("2025-26", "adults", "line", "Conference", "learning", amount="-500"),  # 23: negative
    r("2025-26", "adults", "line", "Independent Chair", "independent_chair", amount="£20,400.00"),  # 24: repeats 3
    r("2025-26", "adults", "line", "Printing", "stationery", amount="£300.00"),  # 25: unknown category
    r("2020-21", "adults", "line", "Marketing campaign(s)", "engagement", amount="£5,500.00"),  # 26: approved
    r("2021-22", "adults", "payment", org="County Police", amount="£100.00", on="01/06/2021"),  # 27: draft budget
    r("2025-27", "adults", "line", "Legal fees", "legal", amount=2000),  # 28: not a financial year
    r("2025-26", "adults", "grant", "Home Office grant", amount=5000),  # 29: no such type
    r("2025-26", "adults", "contribution", org="County University Hospitals NHS Trust", basis="percentage", amount=10),
]


def book(rows):
    return xlsx_bytes([["Safeguarding Adults Board: budget 2025/26"], HEAD, *rows], title="Budget")


def _problems(run):
    out: dict[int, list[dict]] = {}
    for p in run.problems:
        out.setdefault(p["row"], []).append(p)
    return out


def test_the_dry_run_reports_each_bad_row_by_row_and_column_and_changes_nothing(demo):
    office = demo.user("office")
    lines, payments = count(BudgetLine), count(Payment)
    run = imports.check(imports.get_kind("budget"), "budget.xlsx", book(good_rows() + BAD), office)
    assert run.status == "problems"
    by_row = _problems(run)
    # The title row is skipped: the headings are row 2, the first data row 3.
    assert set(by_row) == {22 + n for n in range(len(BAD))}, run.problems
    assert (count(BudgetLine), count(Payment)) == (lines, payments)

    def one(row):
        assert len(by_row[row]) == 1, by_row[row]
        return by_row[row][0]

    assert one(22)["column"] == "Organisation" and "Nowhere Council" in one(22)["message"]
    assert one(23) == {
        "sheet": "Budget",
        "row": 23,
        "column": "Amount",
        "message": "Amount must be an amount of money, like £38,974.00",
    }
    assert one(24)["column"] == "Amount" and one(24)["message"] == "Amount must not be negative"
    assert "repeats row 4" in one(25)["message"]
    assert one(26)["column"] == "Category" and "must be one of: staffing" in one(26)["message"]
    assert one(27)["column"] == "Amount", one(27)
    assert "2020/21 budget has been approved" in one(27)["message"]
    assert "in-year variation" in one(27)["message"]
    assert "Board has approved" in one(28)["message"] and "draft" in one(28)["message"]
    assert one(29)["column"] == "Financial year" and "financial year, like 2025-26" in one(29)["message"]
    assert one(30)["column"] == "Type" and "must be one of: line, income" in one(30)["message"]
    assert one(31)["column"] == "Percentage" and one(31)["message"].startswith("Enter the percentage")
    # The good rows would apply: counted, with no problem of their own.
    assert run.created + run.updated + run.unchanged == len(good_rows())
    assert run.rows == len(good_rows()) + len(BAD)


def test_the_corrected_sheet_imports_to_the_penny_and_again_changes_nothing(demo):
    office = demo.user("office")
    assert budget_svc.budget_for_year(2025) is None
    emails = count(OutboxMessage)
    kind = imports.get_kind("budget")
    run = imports.check(kind, "budget.xlsx", book(good_rows()), office)
    assert run.status == "checked", run.problems
    # Created: three lines, the income, six contributions, five payments; updated: the
    # £0 reviewers' line every budget starts with, and the approval; the demo's two rows unchanged.
    assert (run.created, run.updated, run.unchanged) == (15, 2, 2)
    assert budget_svc.budget_for_year(2025) is None  # a dry run
    imports.commit(run, run.sha256, office)
    assert run.status == "committed"

    b = budget_svc.budget_for_year(2025)
    assert b.arm == Arm.adults and b.state == BudgetState.approved
    assert b.board_meeting_on == date(2025, 3, 27) and b.minute_reference == "SAB 27/03/25 item 4"
    assert [(x.name, x.category, x.amount_pence, x.original_pence) for x in budget_svc.lines_of(b)] == [
        (SAR, LineCategory.case_reviews, 26_520_00, 26_520_00),
        ("Salaries – staffing", LineCategory.staffing, 81_396_00, 81_396_00),
        ("Independent Chair", LineCategory.independent_chair, 20_400_00, 20_400_00),
        ("Office costs (postage)", LineCategory.office, 40_80, 40_80),
    ]
    assert [(i.name, i.kind, i.amount_pence) for i in budget_svc.income_of(b)] == [
        ("Reserves applied", IncomeKind.reserves, 28_986_36)
    ]
    assert b.equal_share_target_pence == 119_261_00
    agreements = {a.organisation.name: a for a in budget_svc.agreements_of(b)}
    assert {name: (a.kind, a.amount_pence) for name, a in agreements.items()} == {
        "North Council": (AgreementKind.equal_share, 19_876_83),
        "West Council": (AgreementKind.equal_share, 19_876_83),
        "County Police": (AgreementKind.equal_share, 39_753_67),
        "County Integrated Care Board": (AgreementKind.equal_share, 39_753_67),
        "County Fire and Rescue Service": (AgreementKind.fixed, 1_500_00),
        "Probation Service (County)": (AgreementKind.percentage, 1_925_35),
    }
    assert agreements["Probation Service (County)"].percentage_bp == 150
    invoices = db.session.scalars(sa.select(Invoice).where(Invoice.budget_id == b.id).order_by(Invoice.id)).all()
    assert [(i.organisation.name, i.issued_on, i.amount_pence, i.paid_pence) for i in invoices] == [
        ("County Police", date(2025, 4, 1), 39_753_67, 39_753_67),
        ("County Integrated Care Board", date(2025, 4, 1), 39_753_67, 39_753_67),
        ("North Council", date(2025, 5, 15), 19_876_83, 19_876_83),
    ]
    paid = db.session.scalars(sa.select(Payment).where(Payment.budget_id == b.id).order_by(Payment.id)).all()
    assert [(p.organisation_id, p.received_on, p.amount_pence, p.reference) for p in paid] == [
        (agreements["County Police"].organisation_id, date(2025, 4, 30), 39_753_67, "BACS POL 300425"),
        (agreements["County Integrated Care Board"].organisation_id, date(2025, 5, 12), 20_000_00, None),
        (agreements["County Integrated Care Board"].organisation_id, date(2025, 6, 30), 19_753_67, None),
        (agreements["North Council"].organisation_id, date(2025, 5, 15), 19_876_83, None),
    ]
    children = budget_svc.budget_for_year(2026, Arm.children)
    west = db.session.scalars(sa.select(Payment).where(Payment.budget_id == children.id)).all()
    assert [(p.received_on, p.amount_pence, p.reference, p.invoice.amount_pence) for p in west] == [
        (date(2026, 11, 20), 40_000_00, "BACS WC 201126", 40_000_00)
    ]
    assert count(OutboxMessage) == emails  # invoices sent before this service are not emailed again

    # The same sheet again (as CSV, money typed as text) changes nothing.
    records = (count(BudgetLine), count(BudgetIncome), count(ContributionAgreement), count(Invoice), count(Payment))
    again = imports.check(kind, "budget.csv", csv_bytes([HEAD, *good_rows()]), office)
    assert (again.created, again.updated, again.unchanged) == (0, 0, len(good_rows())), again.problems
    imports.commit(again, again.sha256, office)
    after = (count(BudgetLine), count(BudgetIncome), count(ContributionAgreement), count(Invoice), count(Payment))
    assert after == records


def test_a_contribution_the_budget_works_out_otherwise_is_reported(demo):
    """The sheet's equal shares must be what the budget works out, to the penny: £100.00
    among three agencies is £33.33, £33.33 and £33.34 (the odd penny to the last)."""
    office = demo.user("office")
    rows = [
        HEAD,
        r("2024-25", "adults", "line", "Independent Chair", "independent_chair", amount=100),
        r("2024-25", "adults", "contribution", org="North Council", basis="equal_share", amount="16.67"),
        r("2024-25", "adults", "contribution", org="West Council", basis="equal_share", amount="16.66"),
        r("2024-25", "adults", "contribution", org="County Police", basis="equal_share", amount="33.33"),
        r("2024-25", "adults", "contribution", org="County Integrated Care Board", basis="equal_share", amount="33.34"),
    ]
    run = imports.check(imports.get_kind("budget"), "shares.csv", csv_bytes(rows), office)
    by_row = _problems(run)
    assert set(by_row) == {3, 4}, run.problems
    assert by_row[3][0]["column"] == "Amount"
    assert "works out at £16.66, not £16.67" in by_row[3][0]["message"]
    assert "works out at £16.67, not £16.66" in by_row[4][0]["message"]
    rows[2][8], rows[3][8] = "16.66", "16.67"
    fixed = imports.check(imports.get_kind("budget"), "shares.csv", csv_bytes(rows), office)
    assert fixed.status == "checked", fixed.problems


def test_a_draft_budget_takes_changed_rows_through_the_service(demo):
    """The demo's 2021/22 budget is a draft: a changed line is updated, a new line added."""
    office = demo.user("office")
    b21 = budget_svc.budget_for_year(2021)
    chair = next(x for x in budget_svc.lines_of(b21) if x.name == "Independent Chair")
    rows = [
        HEAD,
        r("2021-22", "", "line", "Independent Chair", "", amount="£20,500.00"),
        r("2021-22", "", "line", "Translation", "engagement", amount="£750.50"),
    ]
    run = imports.check(imports.get_kind("budget"), "b21.csv", csv_bytes(rows), office)
    assert (run.created, run.updated, run.status) == (1, 1, "checked"), run.problems
    imports.commit(run, run.sha256, office)
    assert chair.amount_pence == 20_500_00 and chair.category == LineCategory.independent_chair
    added = next(x for x in budget_svc.lines_of(b21) if x.name == "Translation")
    assert (added.category, added.amount_pence) == (LineCategory.engagement, 750_50)


def test_a_joint_budget_is_started_on_its_page_not_by_an_import(demo):
    office = demo.user("office")
    rows = [HEAD, r("2026-27", "joint", "line", "Shared training", "learning", amount=1000)]
    run = imports.check(imports.get_kind("budget"), "joint.csv", csv_bytes(rows), office)
    assert [(p["row"], p["column"]) for p in run.problems] == [(2, "Arm")]
    assert "each arm's share" in run.problems[0]["message"]


def test_the_template_explains_each_type_of_row_and_its_example_row_reads(demo):
    kind = imports.get_kind("budget")
    book = openpyxl.load_workbook(io.BytesIO(imports.template_xlsx(kind)))
    data, guide = book.worksheets
    assert [c.value for c in data[1]] == HEAD
    explained = {row[0]: row for row in guide.iter_rows(min_row=2, values_only=True) if row and row[0]}
    assert explained["Type"][2] == "line, income, contribution, approval, payment"
    assert "equal_share" in explained["Basis"][3] and "£38,974.00" in explained["Amount"][2]
    run = imports.check(kind, "template.xlsx", imports.template_xlsx(kind), demo.user("office"))
    assert run.status == "checked" and run.created == 1, run.problems


def test_an_approved_budgets_contributions_agree_or_are_reported(demo):
    """The demo's 2020/21 budget (approved): its four equal shares as the source gives
    them change nothing; one partner's row alone does not total what the partners share."""
    office = demo.user("office")
    shares = [
        r("2020-21", "", "contribution", org=name, basis="equal_share", amount=amount)
        for name, amount in (
            ("North Council", "£19,487.00"),
            ("West Council", "19487"),
            ("County Police", "£38,974.00"),
            ("County Integrated Care Board", 38974),
        )
    ]
    run = imports.check(imports.get_kind("budget"), "2020.csv", csv_bytes([HEAD, *shares]), office)
    assert (run.status, run.unchanged) == ("checked", 4), run.problems
    alone = imports.check(imports.get_kind("budget"), "2020.csv", csv_bytes([HEAD, shares[0]]), office)
    assert [(p["row"], p["column"]) for p in alone.problems] == [(2, "Amount")]
    assert "total £19,487.00, but its partners share £116,922.00" in alone.problems[0]["message"]


def test_the_api_and_the_command_import_a_budget(api_as, app, demo, tmp_path):
    api = api_as("office")
    payments = count(Payment)
    r = api.post(
        "/api/v1/imports",
        data={"kind": "budget", "file": (io.BytesIO(book(good_rows())), "budget.xlsx")},
        content_type="multipart/form-data",
    )
    assert r.status_code == 201 and r.json["status"] == "checked", r.json
    ok = api.post(f"/api/v1/imports/{r.json['id']}/commit", json={"sha256": r.json["sha256"]})
    assert ok.status_code == 200 and ok.json["status"] == "committed"
    assert count(Payment) == payments + 5
    runner = app.test_cli_runner()
    bad = tmp_path / "budget.csv"
    bad.write_bytes(csv_bytes([HEAD, *good_rows(), BAD[1]]))
    result = runner.invoke(args=["import", "budget", str(bad), "--commit", "--as", "office@demo.test"])
    assert result.exit_code == 1
    assert "CSV row 21, Amount: Amount must be an amount of money" in result.output
    assert "1 problems: nothing was imported" in result.output
    good = tmp_path / "again.csv"
    good.write_bytes(csv_bytes([HEAD, *good_rows()]))
    again = runner.invoke(args=["import", "budget", str(good), "--commit", "--as", "office@demo.test"])
    assert again.exit_code == 0 and f"{len(good_rows())} left unchanged" in again.output, again.output
    assert count(Payment) == payments + 5
