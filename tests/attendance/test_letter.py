"""The Chair's letter: to the chief executive by name and address, the meetings missed
with their dates, the attendance record, the constitution's words, the response date; the
same content as HTML, PDF and DOCX."""

from __future__ import annotations

import io
from datetime import date

import pypdf
import pytest
import sqlalchemy as sa

from safeguarding.documents import render_docx, render_html
from safeguarding.extensions import db
from safeguarding.models import Escalation
from safeguarding.services import attendance as svc
from safeguarding.workflows.attendance import escalation_lifecycle as lifecycle


@pytest.fixture
def escalation(setup) -> Escalation:
    setup.series("present", "absent", "apologies", "absent")  # 15 and 29 September, 13 October 2026
    svc.scan(setup.last)
    return db.session.scalar(sa.select(Escalation).where(Escalation.group_id == setup.group.id))


def test_the_letter_names_the_chief_executive_the_meetings_and_the_response_date(escalation, demo):
    lifecycle.fire(escalation, "approve", user=demo.user("chair"), version=escalation.version, as_of=date(2026, 10, 20))
    lifecycle.fire(escalation, "send", user=demo.user("office"), version=escalation.version, as_of=date(2026, 10, 20))
    letter = svc.build_letter(escalation)
    assert letter.recipient_name == "Dr Alex Morgan" and letter.salutation == "Dear Dr Alex Morgan"
    assert letter.address_lines == ["Organisation A", "1 High Street", "County Town", "CT1 2AB"]
    html = str(render_html(letter))
    for text in (
        "Dr Alex Morgan",
        "1 High Street",
        "15 September 2026",
        "29 September 2026",
        "13 October 2026",
        "persistent non-attendance",
        "Please reply to the business office by 17 November 2026",
        "Margaret Ellison",
    ):
        assert text in html, text
    # The attendance record for the last 12 months: present on 1 September, then not.
    assert "1 September 2026" in html and "Apologies" in html and "Present" in html


def test_a_draft_gives_the_response_date_it_would_have_if_sent_today(escalation):
    letter = svc.build_letter(escalation, on=date(2026, 10, 21))
    assert "by 18 November 2026" in letter.paragraphs[-1]


def test_the_docx_has_the_same_content(escalation):
    from docx import Document

    doc = Document(io.BytesIO(render_docx(svc.build_letter(escalation, on=date(2026, 10, 21)))))
    text = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
        c.text for t in doc.tables for row in t.rows for c in row.cells
    )
    assert "Dr Alex Morgan" in text and "29 September 2026" in text and "18 November 2026" in text


def test_the_low_rate_letter_says_the_percentage(setup):
    setup.series("absent", "present", "absent", "absent")
    svc.scan(setup.last)
    e = db.session.scalar(sa.select(Escalation).where(Escalation.group_id == setup.group.id))
    assert "represented at 25% of the 4 meetings held" in e.letter_text


def _pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() or "" for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def test_a_letter_not_yet_approved_is_marked_draft_on_every_page_and_in_every_form(escalation, demo):
    """A draft that leaves the service (downloaded, printed, forwarded) says what it is."""
    from docx import Document

    draft_pdf = svc.letter_pdf(escalation)
    reader_pages = _pdf_text(draft_pdf)
    assert reader_pages.count("DRAFT") >= 2  # the mark in the margin of each page and the banner
    assert "DRAFT" in str(render_html(svc.build_letter(escalation)))
    headers = Document(io.BytesIO(svc.letter_docx(escalation))).sections[0].first_page_header
    assert "DRAFT" in " ".join(p.text for p in headers.paragraphs)
    lifecycle.fire(escalation, "approve", user=demo.user("chair"), version=escalation.version, as_of=date(2026, 10, 20))
    assert "DRAFT" not in _pdf_text(svc.letter_pdf(escalation))
    assert "DRAFT" not in str(render_html(svc.build_letter(escalation)))


def test_an_address_that_repeats_the_organisation_s_name_prints_it_once(escalation):
    letter = svc.build_letter(escalation)
    assert letter.recipient_lines.count("Organisation A") == 1
