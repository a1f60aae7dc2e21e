"""The Independent Chair opens Healthwatch's drafted attendance letter, reads it and
approves it; the escalation then shows the letter approved. Then the attendance report with
its heat-map. axe-core checks every page on the way."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_chair_approves_a_drafted_attendance_letter(browse):
    b = browse("chair")
    page = b.page
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Meetings").click()
    page.get_by_role("navigation", name="In this section").get_by_role("link", name="Attendance").click()
    b.check()
    page.get_by_role("link", name="Escalations", exact=True).click()
    b.check()
    row = page.locator("tr", has_text="Healthwatch County")
    row.get_by_role("link").click()
    b.check()
    assert page.get_by_role(
        "heading", name="Healthwatch County: attendance at the Safeguarding Partnership Board"
    ).is_visible()
    assert "Letter drafted" in page.content()

    page.get_by_role("link", name="Read the letter").click()
    b.check()
    content = page.content()
    assert "Dear Beverley Tate" in content and "20 October 2026" in content
    assert "not approved: not to be sent" in content  # the draft says what it is
    page.get_by_role("link", name="Back").click()
    b.check()

    page.get_by_role("button", name="Approve and sign the letter").click()
    b.check()
    text = page.get_by_label("Text of the letter")
    assert "Healthwatch County was not represented" in text.input_value()
    text.fill(text.input_value() + "\n\nI would welcome a conversation before the December meeting.")
    page.get_by_role("button", name="Approve and sign the letter").click()
    b.check()
    assert "status is now ‘letter approved’" in page.locator(".govuk-notification-banner").inner_text().lower()
    assert "Letter approved" in page.content()
    assert "Approve and sign the letter" not in page.content()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Meetings").click()
    page.get_by_role("navigation", name="In this section").get_by_role("link", name="Attendance").click()
    b.check()
    assert "Attendance at each meeting" in page.content() and "Apologies" in page.content()
    assert len(b.checked) >= 8
