"""Budgets per arm, contribution schemes, finance references and the combined monitoring
on the pages and through the API: old URLs keep working for the adults' budget, error
summaries for bad input, refusals by role and by state (after invoicing)."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import date

import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import Arm, Budget, ContributionScheme, Invoice, LineCategory, SpendEntry
from safeguarding.models.outbox import OutboxMessage
from safeguarding.services import budget as svc
from safeguarding.workflows.budget import budget_lifecycle as lifecycle


def _text(r) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", r.text)).split())


def _children(demo) -> Budget:
    return db.session.get(Budget, demo.id("budgets", "children"))


def _draft(demo, year: int = 2030) -> Budget:
    b = svc.start_year(financial_year=year, arm=Arm.children, lines=[("Staff", LineCategory.staffing, 1000_00)])
    svc.set_scheme(
        b,
        version=b.version,
        scheme="percentage",
        target_pence=1000_00,
        partners=[svc.PartnerShare(demo.org(k).id, "share", percentage_bp=5000) for k in ("icb", "police")],
    )
    return b


def _csv(r) -> list[list[str]]:
    return list(csv.reader(io.StringIO(r.data.decode("utf-8-sig"))))


# --- pages -------------------------------------------------------------------------------


def test_the_budget_list_shows_each_arms_budgets_and_old_urls_keep_working(client_as):
    c = client_as("office")
    page = _text(c.get("/budget"))
    assert "Adults' budgets" in page and "Children's budgets" in page and "Joint budgets" not in page
    assert "2026/27 (children)" in page and 'href="/budget/2026-27-children"' in c.get("/budget").text
    assert "Monitoring of all budgets, 2026/27" not in page  # one budget that year: nothing to combine
    assert c.get("/budget/2020-21").status_code == 200  # the adults' budget, as always
    children = _text(c.get("/budget/2026-27-children"))
    assert "Children's budget" in children and "Fixed percentages totalling 100%" in children
    assert c.get("/budget/2026-27-joint").status_code == 404
    assert c.get("/budget/2026-27-grandparents").status_code == 404
    # A viewer sees the approved children's budget too (lines and totals), not its scheme.
    v = client_as("viewer")
    assert v.get("/budget/2026-27-children").status_code == 200
    assert "Fixed percentages" not in _text(v.get("/budget/2026-27-children"))


def test_the_scheme_page_shows_the_scheme_beside_its_contributions(client_as, demo):
    page = _text(client_as("chair").get("/budget/2026-27-children/scheme"))
    assert "Fixed percentages totalling 100%: £160,000.00 contributed by the partners" in page
    assert "County Police 25% 25% of £160,000.00 £40,000.00" in page
    assert "Total 100% £160,000.00" in page
    assert "Change the scheme" not in page  # the chair reads; the office changes it
    contributions = _text(client_as("office").get("/budget/2026-27-children/contributions"))
    assert "Contribution scheme" in contributions and "(25%)" in contributions
    assert client_as("chair").post("/budget/2026-27-children/scheme", data={}).status_code == 403
    assert client_as("police").get("/budget/2026-27-children/scheme").status_code == 403


def test_changing_the_scheme_on_the_page_recalculates_and_bad_input_changes_nothing(client_as, demo):
    b = _draft(demo)
    c = client_as("office")
    icb, police = demo.org("icb").id, demo.org("police").id
    base = {"version": str(b.version), "scheme": "percentage", "target": "1,000.00"}
    bad = {**base, f"part_{icb}": "share", f"pct_{icb}": "60", f"part_{police}": "share", f"pct_{police}": "30"}
    r = c.post("/budget/2030-31-children/scheme", data=bad)
    assert r.status_code == 200
    assert "There is a problem" in r.text and "The percentages add up to 90%: they must total exactly 100%" in r.text
    assert {a.amount_pence for a in svc.agreements_of(b)} == {500_00}
    r = c.post("/budget/2030-31-children/scheme", data={**bad, f"pct_{police}": "abc"})
    assert "percentage must be a number" in r.text
    good = {**bad, f"pct_{police}": "40"}
    r = c.post("/budget/2030-31-children/scheme", data=good)
    assert r.status_code == 302 and r.headers["Location"].endswith("/budget/2030-31-children/scheme")
    db.session.expire_all()
    assert {a.organisation_id: a.amount_pence for a in svc.agreements_of(b)} == {icb: 600_00, police: 400_00}
    # A figure that is not a whole number is refused on its field.
    r = c.post(
        "/budget/2030-31-children/scheme",
        data={
            "version": str(b.version),
            "scheme": "by_figure",
            "target": "1,000.00",
            "figure_label": "Population",
            f"part_{icb}": "share",
            f"figure_{icb}": "12.5",
        },
    )
    assert "The figure must be a whole number, like 204350" in r.text


def test_after_invoicing_the_scheme_page_refuses_a_change(client_as, demo):
    b = _draft(demo)
    lifecycle.fire(b, "propose", user=demo.user("office"), version=b.version)
    lifecycle.fire(
        b, "approve", user=demo.user("chair"), version=b.version, params={"board_meeting_on": date(2026, 5, 1)}
    )
    svc.raise_invoice(svc.agreements_of(b)[0], issued_on=date(2026, 6, 1), send=False)
    c = client_as("office")
    assert "its contribution scheme can no longer change" in _text(c.get("/budget/2030-31-children/scheme"))
    r = c.post(
        "/budget/2030-31-children/scheme",
        data={
            "version": str(b.version),
            "scheme": "equal_share",
            "target": "1,000.00",
            "reason": "r",
            "approver": "Board",
            "approved_on": ["1", "6", "2026"],
        },
    )
    assert r.status_code == 200 and "Invoices have been raised against the 2030/31 (children) budget" in r.text
    db.session.expire_all()
    assert b.contribution_scheme == ContributionScheme.percentage


def test_a_new_joint_year_needs_each_arms_share(client_as):
    c = client_as("office")
    data = {"arm": "joint", "financial_year": "2030-31", "copy_from": ""}
    r = c.post("/budget/new", data=data)
    assert "Enter the adults' share of the joint budget" in _text(r)
    r = c.post("/budget/new", data={**data, "adults_share": "60", "children_share": "30"})
    assert "must total exactly 100%" in _text(r)
    r = c.post("/budget/new", data={**data, "adults_share": "60", "children_share": "40"})
    assert r.status_code == 302 and r.headers["Location"].endswith("/budget/2030-31-joint")
    b = svc.budget_for_year(2030, Arm.both)
    assert (b.adults_share_bp, b.children_share_bp) == (6000, 4000)
    assert "Joint budget (shared costs of both arms)" in _text(c.get("/budget/2030-31-joint"))


def test_invoice_finance_reference_on_the_page_and_in_the_download(client_as, demo):
    c = client_as("office")
    west = db.session.get(Invoice, demo.id("invoices", "west"))
    url = f"/budget/invoices/{west.id}/reference"
    r = c.post(url, data={"version": str(west.version), "purchase_order": "P" * 41})
    assert r.status_code == 200 and "The purchase order number must be 40 characters or fewer" in r.text
    r = c.post(
        url, data={"version": str(west.version), "purchase_order": "PO-W-2020", "ledger_invoice_number": "NC 9001"}
    )
    assert r.status_code == 302
    page = _text(c.get(f"/budget/invoices/{west.id}"))
    assert "Purchase order number PO-W-2020" in page and "Host council's ledger invoice number NC 9001" in page
    rows = _csv(c.get("/budget/2020-21/invoices.csv"))
    assert rows[0][-2:] == ["Purchase order", "Ledger invoice number"]
    assert [r[-2:] for r in rows if r[0] == west.number] == [["PO-W-2020", "NC 9001"]]
    # A partner downloads their own invoices only.
    police_rows = _csv(client_as("police").get("/budget/2020-21/invoices.csv"))
    assert [r[1] for r in police_rows[1:-1]] == ["County Police"]


def test_combined_monitoring_page_and_download(client_as, demo):
    svc.start_year(financial_year=2026, lines=[("Adults staff", LineCategory.staffing, 50_000_00)])
    c = client_as("office")
    page = _text(c.get("/budget/combined/2026-27/monitoring"))
    assert (
        "Adults' budget 2026/27 Draft £50,000.00" in page and "Children's budget 2026/27 Approved £160,000.00" in page
    )
    assert "Total £210,000.00" in page
    rows = _csv(c.get("/budget/combined/2026-27/monitoring.csv"))
    assert rows[0][:3] == ["Budget", "State", "Budget"]
    assert rows[-1][:3] == ["Total", "", "210000.00"]
    assert c.get("/budget/combined/2099-00/monitoring").status_code == 404
    assert c.get("/budget/combined/nonsense/monitoring").status_code == 404
    # The partner sees the approved budgets only: not the adults' 2026/27 draft.
    assert "Adults' budget 2026/27" not in _text(client_as("police").get("/budget/combined/2026-27/monitoring"))


def test_spend_on_a_childrens_page_goes_to_the_childrens_budget(client_as, demo):
    svc.start_year(financial_year=2026, lines=[("Staff", LineCategory.staffing, 1_000_00)])  # an adults' 2026/27
    children = _children(demo)
    line = next(x for x in svc.lines_of(children) if x.name == "Independent scrutineer")
    c = client_as("office")
    data = {"line_id": str(line.id), "amount": "1,500.00", "supplier": "Scrutiny Ltd", "reference": "SCR-1"}
    r = c.post("/budget/2026-27-children/spend/new", data={**data, "dated_on": ["1", "9", "2026"]})
    assert r.status_code == 302
    entry = db.session.query(SpendEntry).filter_by(reference="SCR-1").one()
    assert entry.budget_id == children.id
    assert "SCR-1" in c.get("/budget/2026-27-children/spend").text
    assert "SCR-1" not in c.get("/budget/2026-27/spend").text  # the adults' list does not show it


def test_the_daily_chase_reminds_a_childrens_partner_naming_the_arms_budget(demo):
    b = _draft(demo)
    lifecycle.fire(b, "propose", user=demo.user("office"), version=b.version)
    lifecycle.fire(
        b, "approve", user=demo.user("chair"), version=b.version, params={"board_meeting_on": date(2026, 5, 1)}
    )
    icb = next(a for a in svc.agreements_of(b) if a.organisation_id == demo.org("icb").id)
    icb.contact_email = "ap@icb.demo.test"
    inv = svc.raise_invoice(icb, issued_on=date(2026, 6, 1), send=False, purchase_order="ICB-PO-7")
    assert inv.number == "SP-2030-31-children-001"
    svc.chase_overdue(date(2026, 11, 24))
    message = db.session.scalars(
        sa.select(OutboxMessage).where(
            OutboxMessage.kind == "budget_invoice_overdue", OutboxMessage.to_addrs.is_not(None)
        )
    ).all()
    mine = [m for m in message if m.to_addrs == ["ap@icb.demo.test"]]
    assert len(mine) == 1 and "budget for\n2030/31 (children)" in mine[0].body


# --- API ---------------------------------------------------------------------------------


def test_scheme_api_get_and_put(api_as, demo):
    office = api_as("office")
    r = office.get("/api/v1/budgets/2026-27-children/scheme")
    assert r.status_code == 200
    assert (r.json["scheme"], r.json["target"], r.json["total_percentage"], r.json["invoiced"]) == (
        "percentage",
        "160000.00",
        "100.00",
        False,
    )
    assert {p["organisation"]: (p["share"], p["percentage"], p["amount"]) for p in r.json["partners"]} == {
        "County Integrated Care Board": ("share", "25.00", "40000.00"),
        "County Police": ("share", "25.00", "40000.00"),
        "North Council": ("share", "25.00", "40000.00"),
        "West Council": ("share", "25.00", "40000.00"),
    }
    b = _draft(demo)
    body = {
        "version": b.version,
        "scheme": "percentage",
        "target": "1000.01",
        "partners": [
            {"organisation_id": demo.org("icb").id, "share": "share", "percentage": "70"},
            {"organisation_id": demo.org("police").id, "share": "share", "percentage": "20"},
        ],
    }
    r = office.put("/api/v1/budgets/2030-31-children/scheme", json=body)
    assert r.status_code == 422 and r.json["errors"] == {
        "scheme": "The percentages add up to 90%: they must total exactly 100%"
    }
    body["partners"][1]["percentage"] = "30"
    r = office.put("/api/v1/budgets/2030-31-children/scheme", json=body)
    assert r.status_code == 200
    # £1,000.01 at 70/30: 700.007 and 300.003 → the penny to the larger remainder (the ICB).
    assert {p["organisation"]: p["amount"] for p in r.json["partners"]} == {
        "County Integrated Care Board": "700.01",
        "County Police": "300.00",
    }
    r = office.put("/api/v1/budgets/2030-31-children/scheme", json={**body, "version": 1})
    assert r.status_code == 409
    r = office.put("/api/v1/budgets/2030-31-children/scheme", json={**body, "scheme": "lottery"})
    assert r.status_code == 422
    assert api_as("chair").put("/api/v1/budgets/2030-31-children/scheme", json=body).status_code == 403
    assert api_as("police").get("/api/v1/budgets/2026-27-children/scheme").status_code == 403


def test_budgets_invoices_and_spend_through_the_api_name_the_arm(api_as, demo):
    office = api_as("office")
    r = office.post("/api/v1/budgets", json={"financial_year": "2030-31", "arm": "children"})
    assert r.status_code == 201 and (r.json["label"], r.json["arm"], r.json["title"]) == (
        "2030-31-children",
        "children",
        "2030/31 (children)",
    )
    r = office.post("/api/v1/budgets", json={"financial_year": "2030-31", "arm": "children"})
    assert r.status_code == 422 and r.json["errors"] == {
        "financial_year": "There is already a children's budget for 2030/31"
    }
    r = office.post("/api/v1/budgets", json={"financial_year": "2030-31", "arm": "joint", "adults_share": "50"})
    assert r.status_code == 422 and "children_share" in r.json["errors"]
    r = office.post("/api/v1/budgets", json={"financial_year": "2030-31", "arm": "cousins"})
    assert r.status_code == 422
    r = office.post(
        "/api/v1/spend",
        json={
            "kind": "actual",
            "financial_year": "2030-31",
            "arm": "children",
            "line_name": "Safeguarding Adult Reviews – Independent Authors",
            "amount": "10.00",
            "supplier": "S",
            "reference": "R",
            "date": "2026-06-01",
        },
    )
    assert r.status_code == 201 and r.json["arm"] == "children"
    assert office.get("/api/v1/spend?arm=children").json["total"] == 1
    west = demo.id("invoices", "west")
    version = office.get(f"/api/v1/invoices/{west}").json["version"]
    r = office.patch(f"/api/v1/invoices/{west}", json={"version": version, "ledger_invoice_number": "NC-1"})
    assert r.status_code == 200 and (r.json["ledger_invoice_number"], r.json["purchase_order"]) == ("NC-1", None)
    r = office.patch(f"/api/v1/invoices/{west}", json={"version": r.json["version"], "purchase_order": "x" * 41})
    assert r.status_code == 422
    assert api_as("chair").patch(f"/api/v1/invoices/{west}", json={"version": 1}).status_code == 403
    r = office.get("/api/v1/reports/invoices?year=2020-21&format=csv")
    assert any(row[-1] == "NC-1" for row in _csv(r))
    r = office.get("/api/v1/reports/budget-monitoring?year=2026-27&arm=all")
    assert r.status_code == 200 and [b["budget_label"] for b in r.json["budgets"]] == ["2026-27-children"]
    r = office.get("/api/v1/reports/budget-monitoring?year=2026-27&arm=children&format=csv")
    assert r.status_code == 200 and "budget-monitoring-2026-27-children.csv" in r.headers["Content-Disposition"]
    assert office.get("/api/v1/reports/budget-monitoring?year=2026-27").status_code == 404  # no adults' budget
