"""The Independent Chair convenes a dispute meeting from the home page: a date after the
deadline is refused until a reason is given, and the dispute then shows the meeting and
the breach. axe-core checks every page on the way."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_chair_convenes_a_dispute_meeting(browse):
    b = browse("chair")
    page = b.page
    page.get_by_role("link", name="Disputes needing a meeting convened").click()
    b.check()
    page.get_by_role("link", name="DSP-2026-003").click()
    b.check()
    assert page.get_by_role("heading", name="Sharing domestic abuse notifications with adult social care").is_visible()
    assert "10 December 2026" in page.content()
    page.get_by_role("button", name="Convene the joint meeting").click()
    b.check()
    assert "The joint meeting must take place by 10 December 2026" in page.content()
    # The Independent Chair is chosen already.
    assert page.get_by_label("Who will chair the meeting").input_value() != ""

    page.locator("#meeting_on-day").fill("14")
    page.locator("#meeting_on-month").fill("12")
    page.locator("#meeting_on-year").fill("2026")
    page.get_by_label("Time of the meeting").fill("2:30pm")
    page.get_by_label("Place or online meeting link").fill("Committee Room 1, County Hall")
    page.get_by_role("button", name="Convene the joint meeting").click()
    b.check()
    summary = page.locator(".govuk-error-summary")
    message = "Enter the reason the meeting is after the deadline of 10 December 2026"
    assert message in summary.inner_text()
    summary.get_by_role("link", name=message).click()
    assert page.evaluate("document.activeElement.id") == "late_reason"

    page.get_by_label("Reason the meeting is after the deadline (if it is)").fill(
        "The police lead is at a national conference until 11 December"
    )
    page.get_by_role("button", name="Convene the joint meeting").click()
    b.check()
    assert "Meeting convened for DSP-2026-003" in page.locator(".govuk-notification-banner").inner_text()
    content = page.content()
    assert "14 December 2026, 2:30pm" in content
    assert "28-day rule breached" in content
    assert "Committee Room 1, County Hall" in content
    page.get_by_role("link", name="Disputes", exact=True).first.click()
    b.check()
    assert len(b.checked) >= 7


def _date(page, field: str, day: str, month: str, year: str) -> None:
    page.locator(f"#{field}-day").fill(day)
    page.locator(f"#{field}-month").fill(month)
    page.locator(f"#{field}-year").fill(year)


def test_the_office_records_last_years_dispute_as_it_happened(browse):
    """Raised 29 January 2024, determined 31 January (due by 28 February, so a breach at
    once), its meeting held on 20 February (in time: the breach clears); the history
    shows the real dates and who entered them when. axe-core checks every page."""
    b = browse("office")
    page = b.page
    b.goto("/disputes/new")
    page.get_by_label("What the dispute is about").fill("Advocacy for people in hospital")
    page.get_by_label("Summary").fill("Who commissions independent advocacy on the wards.")
    page.get_by_label("North Council").check()
    page.get_by_label("County Integrated Care Board").check()
    _date(page, "raised_on", "4", "12", "2026")  # tomorrow: refused
    page.get_by_role("button", name="Raise the dispute").click()
    b.check()
    assert (
        "The date the dispute was raised must be today or in the past"
        in page.locator(".govuk-error-summary").inner_text()
    )
    _date(page, "raised_on", "29", "1", "2024")
    page.get_by_role("button", name="Raise the dispute").click()
    b.check()
    assert "DSP-2024-" in page.locator(".govuk-notification-banner").inner_text()

    page.get_by_role("button", name="Record that the dispute exists").click()
    b.check()
    _date(page, "determined_on", "31", "1", "2024")
    page.get_by_role("button", name="Record that the dispute exists").click()
    b.check()
    assert "28-day rule breached" in page.content() and "28 February 2024" in page.content()

    page.get_by_role("button", name="Convene the joint meeting").click()
    b.check()
    _date(page, "meeting_on", "20", "2", "2024")
    page.get_by_label("Time of the meeting").fill("10am")
    page.get_by_label("Place or online meeting link").fill("County Hall")
    page.get_by_label("Outcome of the meeting, if it has already been held").fill("A joint protocol agreed")
    page.get_by_role("button", name="Convene the joint meeting").click()
    b.check()
    assert "recorded as convened and held" in page.locator(".govuk-notification-banner").inner_text()
    content = page.content()
    assert "28-day rule breached" not in content
    assert "20 February 2024" in content and content.count("entered on") == 2
