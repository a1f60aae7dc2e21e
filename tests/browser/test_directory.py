"""The business office signs in, opens the dashboard and an organisation's edit form,
submits it with an error, then correctly. axe-core checks every page on the way."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_office_edits_an_organisation(browse):
    b = browse("office")
    page = b.page
    assert page.get_by_role("heading", name="Welcome, Priya Shah").is_visible()
    page.get_by_role("link", name="Organisations").first.click()
    b.check()
    page.get_by_role("link", name="County Fire and Rescue Service").click()
    b.check()
    page.get_by_role("link", name="Change details").click()
    b.check()

    page.get_by_label("Short name").fill("")
    page.get_by_label("Chief executive's email address").fill("not an email")
    page.get_by_role("button", name="Save").click()
    b.check()
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert "Enter a short name" in summary.inner_text()
    summary.get_by_role("link", name="Enter a short name").click()
    assert page.evaluate("document.activeElement.id") == "short_name"

    page.get_by_label("Short name").fill("Fire")
    page.get_by_label("Chief executive's email address").fill("chief.fire.officer@fire.demo.test")
    page.get_by_role("button", name="Save").click()
    b.check()
    assert "County Fire and Rescue Service updated" in page.locator(".govuk-notification-banner").inner_text()
    assert "chief.fire.officer@fire.demo.test" in page.content()


def test_the_start_page_and_statements_are_accessible(browse):
    b = browse()
    for path in ("/", "/sign-in", "/accessibility", "/privacy"):
        b.goto(path)
    assert len(b.checked) == 4


def test_the_accessibility_check_can_fail(browse):
    b = browse()
    b.page.set_content("<html><body><img src='x.png'><input type='text'></body></html>")
    with pytest.raises(AssertionError, match="image-alt"):
        b.check()
