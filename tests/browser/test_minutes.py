"""The minutes journey: the business office writes the Executive's draft minutes and
submits them; the chair returns them with a comment; the office changes and resubmits
them; the chair approves them. axe-core checks every page on the way."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def _banner(page) -> str:
    return page.locator(".govuk-notification-banner").first.inner_text()


def test_minutes_are_drafted_returned_resubmitted_and_approved(browse):
    office = browse("office")
    page = office.page
    page.get_by_role("link", name="Minutes to draft").click()
    office.check()
    page.get_by_role("link", name="Partnership Executive").click()
    office.check()
    page.get_by_role("link", name="Minutes (draft)").click()
    office.check()
    page.get_by_role("button", name="Write the minutes").click()
    office.check()
    page.get_by_label("5. Partner contributions 2027/28").fill(
        "The business manager presented the proposed contributions for 2027/28."
    )
    page.get_by_role("button", name="Save the minutes").click()
    office.check()
    assert "Minutes saved" in _banner(page)
    page.get_by_role("button", name="Submit to the chair").click()
    office.check()
    assert "Saved. The minutes' status is now ‘Submitted’." in _banner(page)
    minutes_url = page.url

    chair = browse("chair")
    cpage = chair.page
    cpage.get_by_role("link", name="Minutes to approve").click()
    chair.check()
    assert cpage.get_by_role("link", name="Executive meeting, 17 November 2026").is_visible()
    cpage.goto(minutes_url)
    chair.check()
    cpage.get_by_role("button", name="Return for changes").click()
    chair.check()
    cpage.get_by_role("button", name="Return for changes").click()  # without a comment
    chair.check()
    summary = cpage.locator(".govuk-error-summary")
    assert "Enter what needs to change" in summary.inner_text()
    cpage.get_by_label("What needs to change").fill("Record the 3% rise and the councils' budget caveat.")
    cpage.get_by_role("button", name="Return for changes").click()
    chair.check()
    assert "Saved. The minutes' status is now ‘Draft’." in _banner(cpage)

    page.goto(minutes_url)
    office.check()
    assert "Record the 3% rise" in page.content()  # the chair's comment is in the history
    page.get_by_role("button", name="Write the minutes").click()
    office.check()
    page.get_by_label("5. Partner contributions 2027/28").fill(
        "The business manager presented the proposed contributions. Contributions rise by 3%, subject to the "
        "councils' budget setting in February."
    )
    page.get_by_role("button", name="Save the minutes").click()
    office.check()
    page.get_by_role("button", name="Submit to the chair").click()
    office.check()

    cpage.goto(minutes_url)
    chair.check()
    cpage.get_by_role("button", name="Approve the minutes").click()
    chair.check()
    assert "can no longer be changed" in cpage.content()
    cpage.get_by_role("button", name="Approve the minutes").click()
    chair.check()
    assert "Saved. The minutes' status is now ‘Approved’." in _banner(cpage)
    assert "Approved by the chair on" in cpage.content()
    assert len(office.checked) >= 10 and len(chair.checked) >= 7


def test_the_meeting_pages_are_accessible(browse):
    office = browse("office")
    page = office.page
    for path in (
        "/meetings",
        "/meetings/new",
        "/meetings/series",
        "/chair-actions",
        "/declarations",
        "/calendar",
        "/minutes",
        "/meetings?when=past",
    ):
        office.goto(path)
    office.goto("/meetings/new")
    page.get_by_role("button", name="Schedule the meeting").click()
    page.locator(".govuk-error-summary").wait_for(state="visible")  # the answer is a new page
    office.check()
    assert page.locator(".govuk-error-summary").is_visible()
    office.goto("/meetings")
    page.get_by_role("link", name="Safeguarding Partnership Board").first.click()
    office.check()
    meeting_url = page.url
    for link in ("Record the register", "Add an agenda item"):
        page.goto(meeting_url)
        page.get_by_role("link" if link != "Add an agenda item" else "button", name=link).click()
        office.check()
    page.goto(meeting_url)
    page.get_by_role("link", name="Add a paper for Apologies").click()
    office.check()
    page.goto(meeting_url)
    page.get_by_role("link", name="Withdraw Action log").click()
    office.check()
    page.goto(meeting_url)
    page.get_by_role("link", name="Publish the SAR concerning Adult C before the inquest", exact=True).click()
    office.check()
    office.goto("/minutes?state=ratified")
    page.get_by_role("link", name="Board meeting, 18 August 2026").click()
    office.check()

    police = browse("police")
    police.goto(meeting_url.removeprefix(police.base_url))
    police.page.get_by_role("link", name="Send apologies or name a deputy").click()
    police.check()
    police.page.get_by_role("button", name="Send apologies").click()  # nothing chosen: errors
    police.check()
    police.goto(meeting_url.removeprefix(police.base_url))
    police.page.get_by_role("link", name="Declare an interest in an item").click()
    police.check()

    chair = browse("chair")
    chair.goto("/chair-actions/new")
    chair.page.get_by_role("button", name="Record chair's action").click()
    chair.check()
    assert chair.page.locator(".govuk-error-summary").is_visible()
