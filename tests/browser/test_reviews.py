"""A SAR from referral to the chair's decision, in the browser: a partner refers, the SAR
sub-group screens and asks the police for information, the police answer, the sub-group
recommends, and the independent chair decides. axe-core checks every page on the way."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


def _fill_date(page, name: str, day: str, month: str, year: str) -> None:
    page.locator(f"#{name}-day").fill(day)
    page.locator(f"#{name}-month").fill(month)
    page.locator(f"#{name}-year").fill(year)


def test_a_sar_from_referral_to_the_chairs_decision(browse):
    # A partner member refers (with a mistake first).
    police = browse("police")
    page = police.page
    police.goto("/reviews/refer")
    page.get_by_label("Initials").fill("Wendy Lane")
    page.get_by_role("button", name="Send the referral").click()
    police.check()
    summary = page.locator(".govuk-error-summary")
    assert "Initials must be 1 to 4 letters" in summary.inner_text()
    summary.get_by_role("link", name="Enter the date of death or serious harm").click()
    assert page.evaluate("document.activeElement.id") == "harm_date-day"
    page.get_by_label("Initials").fill("WL")
    page.get_by_label("Age band").select_option("75_84")
    page.get_by_label("North", exact=True).check()
    _fill_date(page, "harm_date", "3", "11", "2026")
    page.get_by_label("What happened").fill("Died after a fall at home; carers had reported bruising twice.")
    page.get_by_label("Who made the referral").fill("Neighbourhood policing team")
    page.get_by_label("County University Hospitals NHS Trust").check()
    page.get_by_role("button", name="Send the referral").click()
    police.check()
    reference = page.locator(".govuk-panel__body strong").inner_text()
    assert re.fullmatch(r"SAR-2026-\d{3}", reference)

    # The SAR sub-group screens it and asks the police for information.
    sub = browse("sarchair")
    page = sub.page
    sub.goto("/reviews")
    page.get_by_role("link", name=reference).click()
    sub.check()
    assert "Died after a fall at home" in page.content()
    page.get_by_role("button", name="Start screening").click()
    sub.check()
    page.get_by_role("link", name="Record the screening").click()
    sub.check()
    page.locator("input[name=in_area][value=yes]").check()
    page.locator("#in_area_reason").fill("Lived in North Council's area")
    page.locator("input[name=needs][value=yes]").check()
    page.locator("#needs_reason").fill("Receives home care under a care and support plan")
    page.locator("input[name=died][value=yes]").check()
    page.locator("input[name=abuse][value=yes]").check()
    page.locator("#abuse_reason").fill("Unexplained bruising reported twice by carers")
    page.locator("input[name=concern][value=yes]").check()
    page.locator("#concern_reason").fill("The carers' reports were not shared with the GP")
    page.get_by_role("button", name="Save").click()
    sub.check()
    assert "Screening recorded: Mandatory" in page.locator(".govuk-notification-banner").inner_text()
    page.get_by_role("button", name="Start gathering information").click()
    sub.check()
    page.get_by_role("link", name="Send an information request").click()
    sub.check()
    page.get_by_label("Agency in the directory", exact=True).select_option(label="County Police")
    page.get_by_label("Information requested").fill("A chronology of police contact since January 2025")
    for n in ("1", "2", "3"):
        page.locator(f"input[name=conditions][value='{n}']").check()
    page.get_by_role("button", name="Send the request").click()
    sub.check()
    assert "Request sent to County Police" in page.locator(".govuk-notification-banner").inner_text()

    # The police see only their request (not the case) and answer it.
    page = police.page
    police.goto("/reviews/requests")
    page.get_by_role("link", name=re.compile(reference)).click()
    police.check()
    assert "Died after a fall" not in page.content()
    page.get_by_label("The information requested").fill("Two calls to the address in 2026; chronology to follow.")
    page.get_by_role("button", name="Return the information").click()
    police.check()
    assert "the information has been returned" in page.locator(".govuk-notification-banner").inner_text()

    # The sub-group recommends a mandatory review.
    page = sub.page
    page.reload()
    sub.check()
    page.get_by_role("button", name="Recommend a decision to the chair").click()
    sub.check()
    page.get_by_label("Commission a mandatory SAR").check()
    page.get_by_label("Reasons for the recommendation").fill("All three s44 criteria are met")
    page.get_by_role("button", name="Recommend a decision to the chair").click()
    sub.check()
    assert "Awaiting decision" in page.content()

    # The independent chair sees it waiting and decides.
    chair = browse("chair")
    page = chair.page
    page.get_by_role("link", name="Review decisions waiting").click()
    chair.check()
    page.get_by_role("link", name=re.compile(rf"{reference}\W*decide")).click()
    chair.check()
    page.get_by_role("button", name="Record the decision").click()
    chair.check()
    assert "Select your decision" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("Commission a mandatory SAR").check()
    page.get_by_label("Reasons for the decision").fill("The criteria for a mandatory review are met")
    page.get_by_role("button", name="Record the decision").click()
    chair.check()
    assert "Decision recorded: Commission a mandatory SAR" in page.locator(".govuk-notification-banner").inner_text()
    assert "Final report" in page.content()
    assert len(police.checked) >= 6 and len(sub.checked) >= 10 and len(chair.checked) >= 5


def test_review_pages_are_accessible(browse):
    office = browse("office")
    for path in (
        "/reviews",
        "/reviews/all",
        "/reviews/requests",
        "/reviews/timeliness",
        "/reviews/notify",
        "/calendar/closure-days",
    ):
        office.goto(path)
    page = office.page
    office.goto("/reviews")
    page.get_by_role("link", name="SAR-2026-007").click()  # paused for a criminal trial
    office.check()
    assert "Criminal trial" in page.content()
    office.goto("/reviews")
    page.get_by_role("link", name="CSPR-2026-001").first.click()  # rapid review due in 3 working days
    office.check()
    assert "8 December 2026" in page.content() and "Breached" not in page.content()
