"""The business office reviews what is due for disposal from the home page, proposes the
subject access requests past their date, and a second office user approves; axe-core
checks every page on the way."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_office_proposes_and_a_second_office_user_approves_a_disposal(browse):
    b = browse("office")
    page = b.page
    page.get_by_role("link", name="Records due for disposal review").click()
    b.check()
    assert "1 held" in page.locator("#dry-run").inner_text()
    page.get_by_role("link", name="Propose Subject access requests and disclosures").click()
    b.check()
    page.get_by_role("button", name="Propose for disposal").click()
    b.check()
    assert "another member of the business office must approve it" in page.content()
    batch = page.url.split("/disposals/")[1]

    o = browse("officer")
    o.goto(f"/disposals/{batch}")
    o.page.get_by_role("button", name="Approve and dispose of the records").click()  # a link styled as a button
    o.check()
    o.page.get_by_role("button", name="Approve and dispose of the records").click()
    o.check()
    assert "Approved and disposed of" in o.page.content()
