"""The business office records a partner's payment: the budget, its contributions, the
partner's account and the overdue invoice; an amount with too many decimal places is
refused with a GOV.UK error, then the right amount is recorded. axe-core checks every
page on the way, including the monitoring report with its chart."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_office_records_a_payment(browse):
    b = browse("office")
    page = b.page
    assert "Overdue contributions" in page.content()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports and budget").click()
    page.get_by_role("navigation", name="In this section").get_by_role("link", name="Budget").click()
    b.check()
    page.get_by_role("link", name="2020/21").click()
    b.check()
    assert "£145,340.00" in page.content()
    page.get_by_role("link", name="Contributions and invoices").click()
    b.check()
    page.get_by_role("link", name="West Council", exact=True).click()
    b.check()
    page.get_by_role("link", name="SP-2020-21-004").click()
    b.check()
    assert "£9,487.00 is outstanding" in page.content()

    page.get_by_label("Amount received").fill("9487.001")
    page.get_by_label("Day").fill("2")
    page.get_by_label("Month").fill("11")
    page.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Record the payment").click()
    b.check()
    summary = page.locator(".govuk-error-summary")
    message = "The amount received must not have more than 2 decimal places"
    assert message in summary.inner_text()
    summary.get_by_role("link", name=message).click()
    assert page.evaluate("document.activeElement.id") == "amount"

    page.get_by_label("Amount received").fill("9,487.00")
    page.get_by_label("Reference (optional)").fill("BACS WEST 021126")
    page.get_by_role("button", name="Record the payment").click()
    b.check()
    banner = page.locator(".govuk-notification-banner").inner_text()
    assert "Payment of £9,487.00 recorded against invoice SP-2020-21-004" in banner
    assert "BACS WEST 021126" in page.content() and "Record a payment" not in page.content()

    b.goto("/budget/2020-21/monitoring")
    assert "Over budget" in page.content()
    b.goto("/budget/2020-21/spend")
    b.goto("/budget/invoices?status=overdue")
    assert "No invoices match." in page.content()
    b.goto("/budget/2021-22")
    b.goto("/budget/2021-22/lines/new")
    b.goto("/budget/new")


def test_a_partner_sees_their_account(browse):
    b = browse("west")
    b.goto("/budget")
    b.page.get_by_role("link", name="Your organisation's contributions, invoices and payments").click()
    b.check()
    assert "SP-2020-21-004" in b.page.content() and "County Police" not in b.page.content()
    b.goto("/budget/2020-21")
    b.goto("/budget/2020-21/contributions")


def test_the_budget_forms_are_accessible(browse):
    b = browse("office")
    page = b.page
    b.goto("/budget/2020-21")
    page.get_by_role("link", name="Change Estimated legal fees – SAR").click()
    b.check()
    assert "In-year variation" in page.content()
    page.get_by_role("button", name="Save").click()  # an approved budget needs the variation's details
    b.check()
    assert "Enter the reason for the change" in page.locator(".govuk-error-summary").inner_text()
    b.goto("/budget/2020-21")
    page.get_by_role("link", name="Change the equal-share target, reserves or notes").click()
    b.check()
    b.goto("/budget/2020-21")
    page.get_by_role("button", name="Close the year").click()
    b.check()
    b.goto("/budget/2020-21/spend")
    page.get_by_role("button", name="Record a commitment").click()
    b.check()
    b.goto("/budget/2020-21/spend")
    page.get_by_role("link", name="Release PO-2020-022").click()
    b.check()
    b.goto("/budget/2021-22/contributions")
    page.get_by_role("link", name="Add a partner's contribution").click()
    b.check()
    b.goto("/budget/2020-21/contributions")
    page.get_by_role("link", name="Change County Police's contribution").click()
    b.check()
    # Budgets per arm: the children's scheme (its form and a refusal), the combined monitoring.
    b.goto("/budget/2026-27-children")
    page.get_by_role("link", name="Contribution scheme").click()
    b.check()
    page.get_by_label("County Police: percentage").fill("30")
    page.get_by_role("button", name="Save the scheme").click()
    b.check()
    # The children's budget is approved: a change is an in-year variation, asked for first.
    assert "Enter the reason for the change" in page.locator(".govuk-error-summary").inner_text()
    b.goto("/budget/combined/2026-27/monitoring")
    b.check()
