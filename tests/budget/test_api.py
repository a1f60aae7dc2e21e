"""The budget API: money as decimal strings in pounds (and integer pence), bad amounts
refused with a clear 422 per field, budgets by id or financial year, the uniform
workflow endpoints, partners' isolation, and the monitoring report as JSON, CSV or XLSX."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from safeguarding.extensions import db
from safeguarding.models import Invoice
from safeguarding.services import budget as svc


def test_budgets_by_id_and_by_financial_year(api_as, demo):
    office = api_as("office")
    by_year = office.get("/api/v1/budgets/2020-21")
    by_id = office.get(f"/api/v1/budgets/{demo.id('budgets', '2020')}")
    assert by_year.status_code == by_id.status_code == 200 and by_year.json == by_id.json
    b = by_year.json
    assert (b["financial_year"], b["title"], b["state"]) == ("2020-21", "2020/21", "approved")
    assert b["totals"]["expenditure"] == "145340.00" and b["totals"]["expenditure_pence"] == 145_340_00
    assert b["totals"]["contributions"] == "116922.00" and b["totals"]["gap"] == "0.00"
    assert b["equal_share_target"] == "116922.00" and b["equal_share_target_pence"] == 116_922_00
    assert b["board_meeting_on"] == "2020-01-28"
    assert len(b["lines"]) == 10 and b["lines"][0]["amount"] == "79800.00"
    assert {c["organisation"]: c["amount"] for c in b["contributions"]} == {
        "County Integrated Care Board": "38974.00",
        "County Police": "38974.00",
        "North Council": "19487.00",
        "West Council": "19487.00",
    }
    assert b["available_triggers"] == ["close_year"]
    listing = office.get("/api/v1/budgets").json
    assert [x["label"] for x in listing["items"]] == ["2026-27-children", "2021-22", "2020-21"]
    assert [x["arm"] for x in listing["items"]] == ["children", "adults", "adults"]
    assert listing["items"][1]["totals"]["gap"] == "568.36"
    assert office.get("/api/v1/budgets/2099-00").status_code == 404
    assert office.get("/api/v1/budgets/twenty").status_code == 404
    assert api_as("viewer").get("/api/v1/budgets/2021-22").status_code == 404
    assert api_as("admin").get("/api/v1/budgets").status_code == 403


def test_lines_list_and_history(api_as, demo):
    r = api_as("police").get(f"/api/v1/budgets/{demo.id('budgets', '2020')}/lines")
    assert r.status_code == 200 and r.json["total"] == 10
    assert r.json["items"][6] | {"id": 0, "version": 0} == {
        "id": 0,
        "name": "Office costs (postage)",
        "category": "office",
        "amount": "40.00",
        "amount_pence": 4000,
        "original_amount": "40.00",
        "original_amount_pence": 4000,
        "forecast": None,
        "forecast_pence": None,
        "position": 7,
        "version": 0,
    }
    history = api_as("chair").get(f"/api/v1/budgets/{demo.id('budgets', '2020')}/history").json
    assert [h["trigger"] for h in history] == ["propose", "approve"]
    assert history[1]["data"] == {"board_meeting_on": "2020-01-28"}


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-5.00", "The amount must be £0 or more"),
        ("12.345", "The amount must not have more than 2 decimal places"),
        ("twelve", "The amount must be a number in pounds and pence, like 38974.00"),
        (
            12.5,
            'Give the amount as a string in pounds and pence, like "38974.00" (a JSON number is not exact enough '
            "for money)",
        ),
        (
            1200,
            'Give the amount as a string in pounds and pence, like "38974.00" (a JSON number is not exact enough '
            "for money)",
        ),
    ],
)
def test_bad_amounts_are_refused_per_field(api_as, amount, message):
    office = api_as("office")
    r = office.post("/api/v1/budgets/2021-22/lines", json={"name": "Audit", "category": "other", "amount": amount})
    assert r.status_code == 422 and r.mimetype == "application/problem+json"
    assert r.json["errors"] == {"amount": message}
    assert "Audit" not in [line.name for line in svc.lines_of(svc.budget_for_year(2021))]


def test_bad_payment_amount_and_missing_fields(api_as, demo):
    office = api_as("office")
    west = demo.id("invoices", "west")
    r = office.post("/api/v1/payments", json={"invoice_id": west, "amount": 9487.0, "received_on": "2026-11-02"})
    assert r.status_code == 422 and "amount" in r.json["errors"]
    r = office.post("/api/v1/payments", json={"invoice_id": west, "amount": "9487.001"})
    assert r.json["errors"] == {
        "amount": "The amount received must not have more than 2 decimal places",
        "received_on": "Enter a value",
    }
    r = office.post("/api/v1/payments", json={"invoice_id": west, "amount": "9487.01", "received_on": "2026-11-02"})
    assert r.status_code == 422 and r.json["errors"] == {
        "amount": "The amount received must be £9,487.00 or less: that is what is outstanding on invoice SP-2020-21-004"
    }
    assert db.session.get(Invoice, west).paid_pence == 10_000_00


def test_record_a_partial_payment_through_the_api(api_as, demo):
    office = api_as("office")
    west = demo.id("invoices", "west")
    r = office.post(
        "/api/v1/payments",
        json={"invoice_id": west, "amount": "4,000.50", "received_on": "2026-11-02", "reference": "BACS 2"},
    )
    assert r.status_code == 201
    assert (r.json["amount"], r.json["amount_pence"], r.json["invoice_number"]) == (
        "4000.50",
        4_000_50,
        "SP-2020-21-004",
    )
    inv = office.get(f"/api/v1/invoices/{west}").json
    assert (inv["paid"], inv["outstanding"], inv["outstanding_pence"], inv["status"]) == (
        "14000.50",
        "5486.50",
        5_486_50,
        "overdue",
    )
    r = office.post(f"/api/v1/payments/{r.json['id']}/reverse", json={"reason": "Bounced"})
    assert r.status_code == 200 and r.json["reversed_on"]
    assert office.get(f"/api/v1/invoices/{west}").json["outstanding"] == "9487.00"


def test_partners_see_only_their_own_finances_through_the_api(api_as, demo):
    police = api_as("police")
    invoices = police.get("/api/v1/invoices").json
    assert [i["organisation"] for i in invoices["items"]] == ["County Police"]
    payments = police.get("/api/v1/payments").json
    assert {p["organisation_id"] for p in payments["items"]} == {demo.org("police").id}
    agreements = police.get("/api/v1/contribution-agreements").json
    # Their own organisation's agreements in every arm: the children's 2026/27, the adults' 2020/21.
    assert [(a["organisation"], a["financial_year"], a["arm"]) for a in agreements["items"]] == [
        ("County Police", "2026-27", "children"),
        ("County Police", "2020-21", "adults"),
    ]
    agreements = police.get("/api/v1/contribution-agreements?arm=adults").json
    assert [a["organisation"] for a in agreements["items"]] == ["County Police"]
    assert agreements["items"][0]["balance"]["paid"] == "38974.00"
    assert police.get(f"/api/v1/invoices/{demo.id('invoices', 'west')}").status_code == 404
    assert police.get(f"/api/v1/contribution-agreements/{demo.id('agreements', 'west')}").status_code == 404
    west_payment = svc.payments_of(db.session.get(Invoice, demo.id("invoices", "west")))[0]
    assert police.get(f"/api/v1/payments/{west_payment.id}").status_code == 404
    assert police.get(f"/api/v1/payments?organisation_id={demo.org('west').id}").json["total"] == 0
    assert police.get("/api/v1/spend").status_code == 403
    assert (
        police.post(
            "/api/v1/payments",
            json={"invoice_id": demo.id("invoices", "police"), "amount": "1.00", "received_on": "2026-11-02"},
        ).status_code
        == 403
    )


def test_the_workflow_endpoints_with_refusals(api_as, demo):
    b21 = demo.id("budgets", "2021")
    office, chair, police = api_as("office"), api_as("chair"), api_as("police")
    version = office.get(f"/api/v1/budgets/{b21}").json["version"]
    assert police.get(f"/api/v1/budgets/{b21}").status_code == 404  # partners do not see drafts
    r = police.post(f"/api/v1/budgets/{b21}/transitions", json={"trigger": "propose", "version": version})
    assert r.status_code == 403  # and hold no budget trigger: refused by role, whatever the budget
    r = chair.post(f"/api/v1/budgets/{b21}/transitions", json={"trigger": "propose", "version": version})
    assert r.status_code == 403
    r = office.post(
        f"/api/v1/budgets/{b21}/transitions",
        json={"trigger": "approve", "version": version, "board_meeting_on": "2021-03-20"},
    )
    assert r.status_code == 409
    r = office.post(f"/api/v1/budgets/{b21}/transitions", json={"trigger": "propose", "version": version - 1})
    assert r.status_code == 409 and "changed by someone else" in r.json["detail"]
    r = office.post(f"/api/v1/budgets/{b21}/transitions", json={"trigger": "propose", "version": version})
    assert r.status_code == 200 and r.json["state"] == "proposed"
    r = chair.post(
        f"/api/v1/budgets/{b21}/transitions",
        json={"trigger": "approve", "version": r.json["version"], "board_meeting_on": "2099-01-01"},
    )
    assert r.status_code == 422 and r.json["reasons"] == [
        "The Board meeting date must be today or in the past (not 1 January 2099)"
    ]
    version = office.get(f"/api/v1/budgets/{b21}").json["version"]
    r = chair.post(
        f"/api/v1/budgets/{b21}/transitions",
        json={
            "trigger": "approve",
            "version": version,
            "board_meeting_on": "2021-03-20",
            "minute_reference": "SPB 20/03/21 item 3",
        },
    )
    assert (
        r.status_code == 200 and r.json["state"] == "approved" and r.json["minute_reference"] == "SPB 20/03/21 item 3"
    )


def test_variations_through_the_api(api_as, demo):
    office = api_as("office")
    line = office.get("/api/v1/budgets/2020-21/lines").json["items"][-1]
    r = office.patch(
        f"/api/v1/budgets/2020-21/lines/{line['id']}", json={"version": line["version"], "amount": "3500.00"}
    )
    assert r.status_code == 422 and set(r.json["errors"]) == {"reason", "approver", "approved_on"}
    r = office.patch(
        f"/api/v1/budgets/2020-21/lines/{line['id']}",
        json={
            "version": line["version"],
            "amount": "3500.00",
            "reason": "Counsel's advice",
            "approver": "Partnership Board",
            "approved_on": "2021-01-12",
            "forecast": "3,250.00",
        },
    )
    assert r.status_code == 200
    assert (r.json["amount"], r.json["original_amount"], r.json["forecast"]) == ("3500.00", "2000.00", "3250.00")
    detail = office.get("/api/v1/budgets/2020-21").json
    assert detail["variations"] == [
        {
            "subject": "line",
            "label": "Estimated legal fees – SAR",
            "before": "2000.00",
            "after": "3500.00",
            "before_pence": 2_000_00,
            "after_pence": 3_500_00,
            "reason": "Counsel's advice",
            "approver": "Partnership Board",
            "approved_on": "2021-01-12",
        }
    ]
    assert detail["totals"]["gap"] == "1500.00"


def test_contribution_agreements_invoices_and_spend(api_as, demo):
    office = api_as("office")
    r = office.post(
        "/api/v1/contribution-agreements",
        json={
            "financial_year": "2021-22",
            "organisation_id": demo.org("fire").id,
            "kind": "percentage",
            "percentage": "2.5",
        },
    )
    assert r.status_code == 201 and (r.json["amount"], r.json["percentage"]) == ("3706.17", "2.50")
    r = office.post(
        "/api/v1/contribution-agreements",
        json={
            "financial_year": "2021-22",
            "organisation_id": demo.org("acute").id,
            "kind": "fixed",
            "fixed_amount": 100,
        },
    )
    assert r.status_code == 422 and "fixed_amount" in r.json["errors"]
    r = office.post("/api/v1/invoices", json={"agreement_id": demo.id("agreements", "west"), "issued_on": "2021-01-04"})
    assert r.status_code == 422 and r.json["errors"]["amount"].endswith("has been invoiced in full")
    r = office.post(
        "/api/v1/spend",
        json={
            "kind": "commitment",
            "financial_year": "2020-21",
            "line_name": "Safeguarding Adult Reviews – Independent Authors",
            "amount": "7500.00",
            "supplier": "Reviewer Ltd",
            "reference": "PO-77",
            "date": "2021-02-01",
        },
    )
    assert r.status_code == 201 and (r.json["kind"], r.json["amount_pence"]) == ("commitment", 7_500_00)
    r2 = office.post(
        "/api/v1/spend",
        json={
            "kind": "actual",
            "financial_year": "2020-21",
            "line_name": "Safeguarding Adult Reviews – Independent Authors",
            "amount": "2500.00",
            "supplier": "Reviewer Ltd",
            "reference": "INV-1",
            "date": "2021-03-01",
            "commitment_id": r.json["id"],
        },
    )
    assert r2.status_code == 201 and r2.json["commitment_id"] == r.json["id"]
    r = office.post(
        "/api/v1/spend",
        json={
            "kind": "actual",
            "financial_year": "2099-00",
            "line_name": "X",
            "amount": "1.00",
            "supplier": "S",
            "reference": "R",
            "date": "2021-03-01",
        },
    )
    assert r.status_code == 422 and r.json["errors"] == {"financial_year": "There is no budget for 2099/00"}
    listing = office.get("/api/v1/spend?year=2020-21&kind=commitment&per_page=200").json
    assert "PO-77" in [s["reference"] for s in listing["items"]]


def test_monitoring_report_as_json_csv_and_xlsx(api_as):
    police = api_as("police")
    r = police.get("/api/v1/reports/budget-monitoring?year=2020-21")
    assert r.status_code == 200 and r.mimetype == "application/json"
    rows = {row["line"]: row for row in r.json["rows"]}
    postage = rows["Office costs (postage)"]
    assert (
        postage["budget"],
        postage["actual"],
        postage["forecast_outturn"],
        postage["variance"],
        postage["over_budget"],
    ) == ("40.00", "52.60", "52.60", "-12.60", True)
    assert r.json["total"]["variance"] == "8117.40" and r.json["total"]["forecast_outturn_pence"] == 137_222_60
    r = police.get("/api/v1/reports/budget-monitoring?year=2020-21&format=csv")
    assert r.mimetype == "text/csv"
    assert list(csv.reader(io.StringIO(r.data.decode("utf-8-sig"))))[-1][5] == "116222.60"
    r = police.get("/api/v1/reports/budget-monitoring?year=2020-21", headers={"Accept": "text/csv"})
    assert r.mimetype == "text/csv"
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    r = police.get("/api/v1/reports/budget-monitoring?year=2020-21", headers={"Accept": xlsx})
    assert r.mimetype == xlsx and load_workbook(io.BytesIO(r.data)).active["A1"].value == "Budget monitoring 2020/21"
    assert police.get("/api/v1/reports/budget-monitoring?year=2020").status_code == 422
    assert police.get("/api/v1/reports/budget-monitoring?year=2021-22").status_code == 404
    assert api_as("viewer").get("/api/v1/reports/budget-monitoring?year=2020-21").status_code == 403


def test_contributions_report_is_limited_to_the_partners_own(api_as):
    r = api_as("west").get("/api/v1/reports/contributions?year=2020-21")
    assert [a["organisation"] for a in r.json["items"]] == ["West Council"]
    assert r.json["items"][0]["balance"]["overdue"] == "9487.00"
    r = api_as("office").get("/api/v1/reports/contributions?year=2020-21&format=csv")
    assert r.data.decode("utf-8-sig").count("\r\n") == 6  # header, four partners, total
