"""The Independent Chair returns the 2025/26 annual report with a comment on a section;
the business office redrafts the section and submits again; the chair approves, and the
figures are frozen. axe-core checks every page on the way."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_chair_returns_a_section_then_approves(browse):
    chair = browse("chair")
    page = chair.page
    page.get_by_role("link", name="Annual report to review").click()
    chair.check()
    page.get_by_role("link", name="Annual report 2025/26").click()
    chair.check()
    assert "Figures taken on" in page.content()
    page.get_by_role("button", name="Return with comments").click()
    chair.check()
    page.get_by_role("button", name="Return the report").click()
    chair.check()
    assert "Comment on at least one section" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("1. Chair's foreword").fill("Please say more about attendance in the West")
    page.get_by_role("button", name="Return the report").click()
    chair.check()
    assert "returned to the business office" in page.locator(".govuk-notification-banner").inner_text()
    assert "Please say more about attendance in the West" in page.content()

    office = browse("office")
    page = office.page
    office.goto("/annual-reports")
    page.get_by_role("link", name="Annual report 2025/26").click()
    office.check()
    page.get_by_role("button", name="Redraft the report").click()
    office.check()
    page.get_by_role("button", name="Redraft the report").click()
    office.check()
    page.get_by_role("link", name="Write or change the text of ‘Chair's foreword’").click()
    office.check()
    text = page.get_by_label("Chair's foreword")
    text.fill(text.input_value() + "\n\nAttendance in the West improved in the second half of the year.")
    page.get_by_role("button", name="Save").click()
    office.check()
    page.get_by_role("button", name="Submit to the chair").click()
    office.check()
    assert "Submitted to the chair" in page.content() or "Submitted" in page.content()

    page = chair.page
    chair.goto("/annual-reports")
    page.get_by_role("link", name="Annual report 2025/26").click()
    chair.check()
    assert "Please say more about attendance" not in page.content()  # the comment was answered
    page.get_by_role("button", name="Approve the report").click()
    chair.check()
    page.get_by_role("button", name="Approve the report").click()
    chair.check()
    assert "They were frozen when the chair approved the report" in page.content()
    assert len(chair.checked) + len(office.checked) >= 14
