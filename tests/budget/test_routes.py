"""Budget pages: what each role sees, GOV.UK error messages for bad amounts that change
nothing, payments, variations, downloads (CSV and XLSX to the penny), charts with their
tables, and the home panels."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from safeguarding.budget import exports
from safeguarding.extensions import db
from safeguarding.models import Budget, BudgetState, Invoice, SpendEntry
from safeguarding.services import budget as svc

WEST_INVOICE_FORM = {"amount": "9,487.00", "received_on": ["3", "11", "2026"], "reference": "BACS WEST 031126"}


def _west(demo) -> Invoice:
    return db.session.get(Invoice, demo.id("invoices", "west"))


def test_the_budget_page_shows_the_source_figures_and_the_councils_joint_share(client_as):
    page = " ".join(client_as("office").get("/budget/2020-21").text.split())
    for text in (
        "£145,340.00",
        "Salaries – staffing 2 × FT posts including on-costs",
        "£79,800.00",
        "Safeguarding Adult Reviews – Independent Authors",
        "£38,974.00",
        "£19,487.00",
        "The local authorities' share is the joint contribution of 2 councils, split equally between them: "
        "North Council £19,487.00, West Council £19,487.00",
        "The remaining £28,418.00 of expenditure is funded by other contributions or reserves",
        "Approved by the Board at its meeting on 28 January 2020",
        "Balanced: income covers expenditure",
        "Would be carried forward",
        "£29,117.40",
    ):
        assert text in page, text


def test_the_copied_year_shows_its_funding_gap(client_as):
    page = client_as("office").get("/budget/2021-22").text
    assert "Funding gap of £568.36" in page and "Income falls short of expenditure by £568.36" in page
    assert "Propose to the Board" in page


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("", "Enter the amount received"),
        ("-5", "The amount received must be £0 or more"),
        ("12.345", "The amount received must not have more than 2 decimal places"),
        ("ten pounds", "The amount received must be a number in pounds and pence, like 38974.00"),
        ("0", "The amount received must be more than £0"),
        (
            "9487.01",
            "The amount received must be £9,487.00 or less: that is what is outstanding on invoice SP-2020-21-004",
        ),
    ],
)
def test_bad_payment_amounts_get_gov_uk_messages_and_change_nothing(client_as, demo, amount, message):
    inv = _west(demo)
    r = client_as("office").post(
        f"/budget/invoices/{inv.id}", data={**WEST_INVOICE_FORM, "amount": amount, "version": str(inv.version)}
    )
    assert r.status_code == 200
    assert "There is a problem" in r.text and message in r.text
    assert 'href="#amount"' in r.text  # the summary links to the field
    assert r.text.count(message) >= 2  # in the summary and by the field
    db.session.refresh(inv)
    assert inv.paid_pence == 10_000_00 and len(svc.payments_of(inv)) == 1


def test_the_office_records_a_payment(client_as, demo):
    inv = _west(demo)
    c = client_as("office")
    r = c.post(f"/budget/invoices/{inv.id}", data={**WEST_INVOICE_FORM, "version": str(inv.version)})
    assert r.status_code == 302
    page = c.get(r.headers["Location"]).text
    assert "Payment of £9,487.00 recorded against invoice SP-2020-21-004" in page
    db.session.refresh(inv)
    assert (inv.paid_pence, inv.outstanding_pence) == (19_487_00, 0)
    assert [p.amount_pence for p in svc.payments_of(inv)] == [10_000_00, 9_487_00]


def test_a_stale_payment_form_is_refused(client_as, demo):
    inv = _west(demo)
    r = client_as("office").post(f"/budget/invoices/{inv.id}", data={**WEST_INVOICE_FORM, "version": "1"})
    assert inv.version != 1
    assert "This record was changed by someone else" in r.text
    db.session.refresh(inv)
    assert inv.paid_pence == 10_000_00


def test_partners_cannot_see_or_pay_other_partners_invoices(client_as, demo):
    police = client_as("police")
    west = _west(demo)
    assert police.get(f"/budget/invoices/{west.id}").status_code == 404
    assert police.get(f"/budget/organisations/{demo.org('west').id}").status_code == 404
    # Recording a payment is the office's: refused by role, whichever invoice.
    assert police.post(f"/budget/invoices/{west.id}", data=WEST_INVOICE_FORM).status_code == 403
    own = db.session.get(Invoice, demo.id("invoices", "police"))
    assert police.get(f"/budget/invoices/{own.id}").status_code == 200
    assert police.post(f"/budget/invoices/{own.id}", data=WEST_INVOICE_FORM).status_code == 403
    listing = police.get("/budget/invoices").text
    assert "SP-2020-21-001" in listing and "SP-2020-21-004" not in listing and "West Council" not in listing
    account = police.get(f"/budget/organisations/{demo.org('police').id}").text
    assert "£38,974.00" in account and "BACS POLICE 280520" in account
    contributions = police.get("/budget/2020-21/contributions").text
    assert (
        "County Police" in contributions and "West Council" not in contributions and "£10,000.00" not in contributions
    )
    csv_text = police.get("/budget/2020-21/contributions.csv").data.decode("utf-8-sig")
    assert "County Police" in csv_text and "West Council" not in csv_text
    # The summary shows what each partner contributes, but no invoices or payments.
    summary = police.get("/budget/2020-21").text
    assert "West Council" in summary and "£19,487.00" in summary and "£10,000.00" not in summary
    assert police.get("/budget/2020-21/spend").status_code == 403


def test_viewers_see_only_approved_budget_summaries_and_admins_nothing(client_as):
    viewer = client_as("viewer")
    assert viewer.get("/budget/2020-21").status_code == 200
    assert viewer.get("/budget/2021-22").status_code == 404
    assert "2021/22" not in viewer.get("/budget").text
    for url in (
        "/budget/2020-21/contributions",
        "/budget/invoices",
        "/budget/2020-21/monitoring",
        "/budget/2020-21/monitoring.csv",
    ):
        assert viewer.get(url).status_code == 403, url
    admin = client_as("admin")
    assert admin.get("/budget").status_code == 403
    assert admin.get("/budget/2020-21").status_code == 403


def test_monitoring_page_marks_overspent_lines_and_has_a_chart_with_its_table(client_as):
    page = client_as("chair").get("/budget/2020-21/monitoring").text
    assert page.count("Over budget</strong>") == 2  # the key and the postage line
    assert "app-monitoring__row--over" in page
    assert "£52.60" in page and "-£12.60" in page and "£8,117.40" in page
    assert 'role="img"' in page and "<title" in page and "The chart as a table" in page
    assert "Office costs (postage): Budget £40.00, Forecast outturn £52.60, Actual £52.60" in page


def test_monitoring_downloads_to_the_penny(client_as):
    c = client_as("office")
    r = c.get("/budget/2020-21/monitoring.csv")
    assert r.mimetype == "text/csv" and "budget-monitoring-2020-21.csv" in r.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(r.data.decode("utf-8-sig"))))
    assert rows[0] == [
        "Line",
        "Category",
        "Approved budget",
        "Budget",
        "Committed",
        "Actual",
        "Forecast outturn",
        "Variance",
        "Forecast over budget",
    ]
    assert rows[7] == [
        "Office costs (postage)",
        "Office costs",
        "40.00",
        "40.00",
        "0.00",
        "52.60",
        "52.60",
        "-12.60",
        "Yes",
    ]
    assert rows[-1] == ["Total", "", "145340.00", "145340.00", "21000.00", "116222.60", "137222.60", "8117.40", "No"]
    x = c.get("/budget/2020-21/monitoring.xlsx")
    assert x.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ws = load_workbook(io.BytesIO(x.data)).active
    values = [[cell.value for cell in row] for row in ws.iter_rows()]
    header = values.index(
        [
            "Line",
            "Category",
            "Approved budget",
            "Budget",
            "Committed",
            "Actual",
            "Forecast outturn",
            "Variance",
            "Forecast over budget",
        ]
    )
    postage = values[header + 7]
    assert postage[0] == "Office costs (postage)"
    assert Decimal(str(postage[5])) == Decimal("52.60") and Decimal(str(postage[7])) == Decimal("-12.60")
    assert ws.cell(row=header + 8, column=6).number_format == '"£"#,##0.00;-"£"#,##0.00'
    sheet = zipfile.ZipFile(io.BytesIO(x.data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<v>52.6</v>" in sheet and "<v>116222.6</v>" in sheet and "<v>-12.6</v>" in sheet
    # The cells hold exact decimals, never binary floats.
    wb = exports.workbook(exports.monitoring_table(svc.monitoring(svc.budget_for_year(2020))))
    money_cells = [cell.value for row in wb.active.iter_rows() for cell in row if cell.number_format.startswith('"£"')]
    assert len(money_cells) == 11 * 6  # ten lines and the total, six money columns
    assert all(isinstance(v, Decimal) for v in money_cells if v is not None)
    assert Decimal("116222.60") in money_cells and Decimal("-12.60") in money_cells


def test_contributions_downloads_and_chart(client_as):
    c = client_as("office")
    rows = list(csv.reader(io.StringIO(c.get("/budget/2020-21/contributions.csv").data.decode("utf-8-sig"))))
    by_name = {r[0]: r for r in rows[1:]}
    assert by_name["West Council"][3:] == ["19487.00", "0", "19487.00", "10000.00", "9487.00", "9487.00"]
    assert by_name["Total"][3] == "116922.00" and by_name["Total"][6] == "107435.00"
    ws = load_workbook(io.BytesIO(c.get("/budget/2020-21/contributions.xlsx").data)).active
    assert any(row[0].value == "County Police" and row[3].value == 38974 for row in ws.iter_rows())
    page = c.get("/budget/2020-21/contributions").text
    assert "Contributions by partner, 2020/21" in page and "Contributions by partner as a table" in page
    assert "the local authorities&#39; share of £38,974.00 is split equally between 2 organisations" in page


def test_an_approved_line_changes_only_with_a_variation(client_as, demo):
    b = db.session.get(Budget, demo.id("budgets", "2020"))
    line = svc.lines_of(b)[-1]
    c = client_as("office")
    form = {"version": str(line.version), "name": line.name, "category": "legal", "amount": "3,500.00"}
    r = c.post(f"/budget/2020-21/lines/{line.id}", data=form)
    assert "Enter the reason for the change" in r.text and "Enter who approved the change" in r.text
    assert "Enter the date the change was approved" in r.text
    db.session.refresh(line)
    assert line.amount_pence == 2_000_00
    r = c.post(
        f"/budget/2020-21/lines/{line.id}",
        data={
            **form,
            "reason": "Counsel's advice on SAR 2020/02",
            "approver": "Partnership Board",
            "approved_on": ["12", "1", "2021"],
        },
    )
    assert r.status_code == 302
    page = c.get("/budget/2020-21").text
    assert "In-year variations" in page and "Counsel&#39;s advice on SAR 2020/02" in page
    assert "Partnership Board, 12 January 2021" in page and "£147,000.00" not in page  # 145,340 + 1,500
    assert "£146,840.00" in page


def test_new_year_form_copies_with_an_uplift_and_checks_the_percentage(client_as):
    c = client_as("office")
    r = c.post("/budget/new", data={"financial_year": "2022-23", "copy_from": "", "uplift": "2.555"})
    assert "The uplift must not have more than 2 decimal places" in r.text
    r = c.post("/budget/new", data={"financial_year": "2022/2023", "uplift": ""})
    assert "Enter the financial year like 2021-22" in r.text
    b21 = svc.budget_for_year(2021)
    r = c.post("/budget/new", data={"financial_year": "2022-23", "copy_from": str(b21.id), "uplift": "1.5"})
    assert r.status_code == 302 and r.headers["Location"].endswith("/budget/2022-23")
    b22 = svc.budget_for_year(2022)
    assert b22.uplift_bp == 150 and svc.lines_of(b22)[0].amount_pence == 82_616_94  # 81,396 × 1.015
    r = c.post("/budget/new", data={"financial_year": "2022-23", "uplift": ""})
    assert "There is already a budget for 2022/23" in r.text


def test_agreement_form_messages(client_as, demo):
    c = client_as("office")
    base = {"organisation_id": str(demo.org("fire").id)}
    r = c.post("/budget/2021-22/contributions/new", data={**base, "kind": "fixed"})
    assert "Enter the fixed amount" in r.text
    r = c.post("/budget/2021-22/contributions/new", data={**base, "kind": "percentage", "percentage": "abc"})
    assert "The percentage must be a number, like 2.5" in r.text
    r = c.post("/budget/2021-22/contributions/new", data={**base, "kind": "equal_share"})
    assert "give County Fire and Rescue Service a fixed amount or a percentage" in r.text
    r = c.post("/budget/2021-22/contributions/new", data={**base, "kind": "percentage", "percentage": "2.5"})
    assert r.status_code == 302
    page = c.get("/budget/2021-22/contributions").text
    assert "£3,706.17" in page  # 2.5% of £148,246.80 = £3,706.17
    assert "2.5% of the budget&#39;s expenditure of £148,246.80" in page


def test_raise_an_invoice_and_cancel_it(client_as, demo):
    c = client_as("office")
    b = svc.budget_for_year(2020)
    a = svc.add_agreement(
        b,
        organisation_id=demo.org("fire").id,
        kind="fixed",
        fixed_pence=2_000_00,
        variation=svc.Variation("Fire joins", "Partnership Board", date(2020, 9, 1)),
    )
    r = c.post(f"/budget/contributions/{a.id}/invoice", data={"issued_on": ["1", "10", "2020"], "amount": "2,000.01"})
    assert "The amount must be £2,000.00 or less" in r.text
    r = c.post(f"/budget/contributions/{a.id}/invoice", data={"issued_on": ["1", "10", "2020"]})
    assert r.status_code == 302
    inv = db.session.get(Invoice, int(r.headers["Location"].rsplit("/", 1)[1]))
    assert (inv.number, inv.amount_pence, inv.due_on) == ("SP-2020-21-005", 2_000_00, date(2020, 10, 31))
    r = c.post(f"/budget/invoices/{inv.id}/cancel", data={"version": str(inv.version), "reason": ""})
    assert "Enter the reason for cancelling the invoice" in r.text
    r = c.post(f"/budget/invoices/{inv.id}/cancel", data={"version": str(inv.version), "reason": "Wrong partner"})
    assert r.status_code == 302
    db.session.refresh(inv)
    assert inv.cancelled_on is not None and inv.cancel_reason == "Wrong partner"


def test_record_spend_and_release_a_commitment_on_pages(client_as, demo):
    c = client_as("office")
    b = svc.budget_for_year(2020)
    sar = next(line for line in svc.lines_of(b) if line.name == "Safeguarding Adult Reviews – Independent Authors")
    data = {
        "line_id": str(sar.id),
        "amount": "1,200.50",
        "supplier": "",
        "reference": "PO-9",
        "dated_on": ["2", "2", "2021"],
    }
    r = c.post("/budget/2020-21/spend/new?kind=commitment", data=data)
    assert "Enter the supplier" in r.text
    r = c.post("/budget/2020-21/spend/new?kind=commitment", data={**data, "supplier": "Reviewer Ltd"})
    assert r.status_code == 302
    entry = db.session.query(SpendEntry).filter_by(reference="PO-9").one()
    assert (entry.kind.value, entry.amount_pence, entry.dated_on) == ("commitment", 1_200_50, date(2021, 2, 2))
    assert "£1,200.50 still to spend" in c.get("/budget/2020-21/spend?kind=commitment").text
    r = c.post(f"/budget/spend/{entry.id}/end", data={"version": str(entry.version), "reason": ""})
    assert "Enter the reason for releasing the commitment" in r.text
    r = c.post(f"/budget/spend/{entry.id}/end", data={"version": str(entry.version), "reason": "Review withdrawn"})
    assert r.status_code == 302
    db.session.refresh(entry)
    assert entry.ended_on is not None


def test_approve_through_the_workflow_page(client_as, demo):
    from safeguarding.workflows.budget import budget_lifecycle

    b = svc.budget_for_year(2021)
    budget_lifecycle.fire(b, "propose", user=demo.user("office"), version=b.version)
    c = client_as("chair")
    url = f"/workflow/budget/{b.id}/approve"
    assert "Date of the Board meeting that approved the budget" in c.get(url).text
    r = c.post(url, data={"version": str(b.version), "confirmed": "1"})
    assert "Enter the date of the Board meeting that approved the budget" in r.text
    r = c.post(
        url,
        data={
            "version": str(b.version),
            "confirmed": "1",
            "board_meeting_on": ["20", "3", "2021"],
            "minute_reference": "SPB 20/03/21 item 3",
        },
    )
    assert r.status_code == 302 and r.headers["Location"].endswith("/budget/2021-22")
    db.session.refresh(b)
    assert b.state == BudgetState.approved and b.minute_reference == "SPB 20/03/21 item 3"
    assert "(minute SPB 20/03/21 item 3)" in c.get("/budget/2021-22").text


def test_home_panels(client_as):
    office = client_as("office").get("/home").text
    assert "Overdue contributions" in office and "1 invoice past due: £9,487.00 owed" in office
    west = client_as("west").get("/home").text
    assert "Your organisation&#39;s contributions" in west
    assert "£9,487.00 outstanding, £9,487.00 overdue" in west
    police = client_as("police").get("/home").text
    assert "Nothing outstanding" in police and "Overdue contributions" not in police


def test_invoice_filters(client_as):
    c = client_as("office")
    overdue = c.get("/budget/invoices?status=overdue").text
    assert "SP-2020-21-004" in overdue and "SP-2020-21-001" not in overdue
    paid = c.get("/budget/invoices?status=paid&year=2020-21").text
    assert "SP-2020-21-001" in paid and "SP-2020-21-004" not in paid
    assert c.get("/budget/invoices?status=lost").status_code == 400
    assert c.get("/budget/invoices?year=2020").status_code == 400
