"""The SAR sub-group's chair posts a progress update on an amber item (due soon, no update
for 60 days) of the sub-group's work plan and sees its RAG turn green; then opens the
partnership view and the highlight report. axe-core checks every page on the way."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_sub_group_chair_posts_an_update_and_sees_the_rag_change(browse):
    b = browse("sarchair")
    page = b.page
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Plans and actions").click()
    page.get_by_role("navigation", name="In this section").get_by_role("link", name="Work plans").click()
    b.check()
    b.goto("/workplans?year=2026-27")
    b.check()
    page.get_by_role("link", name="Safeguarding Adults Review sub-group").click()
    b.check()
    page.get_by_role("link", name="Publish the SAR annual summary").click()
    b.check()
    assert "Amber" in page.locator("#rag").inner_text()
    assert "with no progress update since" in page.content()

    page.get_by_role("button", name="Post the update").click()
    b.check()
    assert "Enter the progress made" in page.locator(".govuk-error-summary").inner_text()

    page.get_by_label("Progress made").fill("Draft summary agreed by the sub-group; going to the designer")
    page.get_by_label("Percentage complete (optional)").fill("70")
    page.get_by_role("button", name="Post the update").click()
    b.check()
    assert "the item is now rated green" in page.locator(".govuk-notification-banner").inner_text()
    assert "Green" in page.locator("#rag").inner_text()
    assert "Draft summary agreed by the sub-group" in page.content()

    b.goto("/workplans/partnership?year=2026-27")
    b.check()
    assert page.locator("svg[role=img]").count() == 1
    assert "Missing" in page.content()  # the SAR sub-group's terms of reference review
    assert len(b.checked) >= 7
