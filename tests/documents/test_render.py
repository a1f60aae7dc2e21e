"""Letters and reports: the PDF (A4, letterhead, page numbers, the chair's signature, the
font it asked for), the editable DOCX and the HTML preview say the same thing."""

from __future__ import annotations

import dataclasses
import io
import re
from datetime import date

import docx
import pytest
from docx.oxml.ns import qn
from flask import render_template

from safeguarding.documents import (
    DEFAULT_SIGNATORY,
    Figure,
    Table,
    partnership_signatory,
    render_docx,
    render_html,
    render_pdf,
)
from safeguarding.extensions import db
from tests.documents.conftest import CHART_SVG, pdf_text


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _docx(data: bytes):
    return docx.Document(io.BytesIO(data))


def _docx_text(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def _docx_cells(document) -> list[str]:
    return [cell.text for table in document.tables for row in table.rows for cell in row.cells]


def _fonts(reader) -> set[str]:
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    return fonts


# --- the PDF ------------------------------------------------------------------------------


def test_a_letter_pdf_is_a4_with_the_letterhead_the_content_and_page_numbers(app, letter):
    data = render_pdf(letter)
    assert data.startswith(b"%PDF-")
    pages, reader = pdf_text(data)
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    text = _flat(" ".join(pages))
    for expected in (
        "Safeguarding Partnership",
        "Safeguarding Adults Board and Safeguarding Children Partnership for North and West",
        "Partnership Business Office",
        "Our reference: ESC-2026-004",
        "Date: 23 November 2026",
        "Rachel Kingsley",
        "Chief Executive",
        "North Council",
        "Northtown NT1 2BB",
        "Dear Ms Kingsley",
        "Attendance at Safeguarding Partnership Board meetings",
        "3 June 2026",
        "7 October 2026",
        "Please reply by 21 December 2026",
        "Yours sincerely",
        "Page 1 of 1",
        "Copy to: Business Manager, Safeguarding Partnership",
    ):
        assert expected in text, expected
    for paragraph in letter.paragraphs:
        if isinstance(paragraph, str):
            assert _flat(paragraph) in text


def test_a_letter_is_signed_by_the_chair_of_the_board(app, letter):
    assert partnership_signatory() == ("Margaret Ellison", "Independent Chair")
    text = _flat(" ".join(pdf_text(render_pdf(letter))[0]))
    assert "Yours sincerely Margaret Ellison Independent Chair Safeguarding Partnership" in text
    # Someone else may sign (the vice chair, acting for the chair).
    acting = dataclasses.replace(
        letter, signatory_name="Anita Desai", signatory_title="Vice Chair, acting for the Chair"
    )
    assert "Anita Desai Vice Chair, acting for the Chair" in _flat(" ".join(pdf_text(render_pdf(acting))[0]))


def test_with_no_chair_of_the_board_letters_are_signed_for_the_partnership(app, demo):
    chair = demo.membership("board", "chair")
    chair.end_date = date(2026, 1, 31)
    db.session.flush()
    assert partnership_signatory(date(2026, 11, 23)) == DEFAULT_SIGNATORY
    assert partnership_signatory(date(2026, 1, 15)) == ("Margaret Ellison", "Independent Chair")


def test_a_long_letter_numbers_its_pages_and_heads_later_pages_with_the_reference(app, letter):
    long = dataclasses.replace(
        letter, paragraphs=[f"Paragraph {i}: " + "the partner was not represented. " * 12 for i in range(30)]
    )
    pages, _ = pdf_text(render_pdf(long))
    assert len(pages) >= 2
    assert f"Page 1 of {len(pages)}" in pages[0] and f"Page 2 of {len(pages)}" in pages[1]
    assert "Ref: ESC-2026-004" in pages[1] and "Ref: ESC-2026-004" not in pages[0]
    assert "Margaret Ellison" in pages[-1]


def test_the_pdf_embeds_the_font_it_asks_for(app, letter, report):
    for document in (letter, report):
        fonts = _fonts(pdf_text(render_pdf(document))[1])
        assert fonts, "no fonts embedded"
        # Subset fonts are named like /ABCDEF+DejaVu-Sans-Bold.
        assert all(f.split("+")[-1].replace("-", "").startswith("DejaVuSans") for f in fonts), fonts


def test_a_report_pdf_has_a_contents_list_with_page_numbers_and_its_figures(app, report):
    pages, _ = pdf_text(render_pdf(report))
    text = _flat(" ".join(pages))
    assert "Annual report 2025/26" in text and "Contents" in text
    assert re.search(r"Introduction \.+ 1", text) and re.search(r"Learning from reviews \.+ \d", text)
    assert "1. Introduction" in text and "2. Attendance" in text and "3. Learning from reviews" in text
    assert "Figure 1: Attendance by organisation" in text and "Figure 2: The learning event" in text
    assert "Table 1: Attendance by organisation" in text and "North Council 50%" in text


def test_a_document_cannot_make_the_renderer_fetch_anything(app, report, monkeypatch):
    """Only data: URLs are fetched: an SVG that points at a local file gets nothing."""
    from weasyprint.urls import URLFetcher

    fetched: list[tuple[str, bool]] = []
    original = URLFetcher.fetch

    def recording(self, url, headers=None):
        try:
            response = original(self, url, headers)
        except Exception:
            fetched.append((url, False))
            raise
        fetched.append((url, True))
        return response

    monkeypatch.setattr(URLFetcher, "fetch", recording)
    sneaky = Figure(
        alt="A chart",
        svg=CHART_SVG.replace("</svg>", '<image href="file:///etc/hostname" width="10" height="10"/></svg>'),
    )
    report.sections[0].figures.append(sneaky)
    try:
        render_pdf(report)
    except Exception as exc:  # refusing to render is fine too
        assert "hostname" in str(exc)
    assert fetched and all(url.startswith("data:") for url, ok in fetched if ok), fetched


# --- the DOCX -----------------------------------------------------------------------------


def test_a_letter_docx_opens_with_the_same_paragraphs_and_table_cells(app, letter):
    document = _docx(render_docx(letter))
    text = _docx_text(document)
    for paragraph in letter.paragraphs:
        if isinstance(paragraph, str):
            assert paragraph in text
    for line in (
        "Our reference: ESC-2026-004",
        "Date: 23 November 2026",
        "Rachel Kingsley",
        "Northtown NT1 2BB",
        "Dear Ms Kingsley",
        "Yours sincerely",
        "Margaret Ellison",
        "Independent Chair",
    ):
        assert line in text, line
    assert _docx_cells(document) == [
        "Date",
        "Meeting",
        "3 June 2026",
        "Partnership Board",
        "5 August 2026",
        "Partnership Board",
        "7 October 2026",
        "Partnership Board",
    ]
    subject = next(p for p in document.paragraphs if p.text == letter.subject)
    assert subject.style.name == "Heading 1"
    # The table comes where it was put: between the first and second paragraphs.
    order = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[1]
        if tag == "tbl":
            order.append("(table)")
        elif tag == "p":
            order.append("".join(t.text or "" for t in child.iter(qn("w:t"))))
    assert order.index(letter.paragraphs[0]) < order.index("(table)") < order.index(letter.paragraphs[2])


def test_the_docx_is_a4_with_the_letterhead_and_page_number_fields(app, letter):
    document = _docx(render_docx(letter))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    header = [p.text for p in section.first_page_header.paragraphs]
    assert header[0] == "Safeguarding Partnership"
    assert "Safeguarding Adults Board and Safeguarding Children Partnership for North and West" in header
    assert "Ref: ESC-2026-004" in [p.text for p in section.header.paragraphs]
    for footer in (section.first_page_footer, section.footer):
        xml = footer._element.xml
        assert "Page " in footer.paragraphs[0].text and " of " in footer.paragraphs[0].text
        assert re.search(r"<w:instrText[^>]*> PAGE </w:instrText>", xml)
        assert re.search(r"<w:instrText[^>]*> NUMPAGES </w:instrText>", xml)
    assert document.core_properties.author == "Safeguarding Partnership"
    assert document.core_properties.title == f"{letter.subject} (ESC-2026-004)"


def test_a_report_docx_has_headings_contents_and_text_alternatives(app, report):
    document = _docx(render_docx(report))
    text = _docx_text(document)
    assert text[0] == "Annual report 2025/26" and document.paragraphs[0].style.name == "Title"
    contents = text.index("Contents")
    assert text[contents + 1 : contents + 4] == ["1. Introduction", "2. Attendance", "3. Learning from reviews"]
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["Contents", "1. Introduction", "2. Attendance", "3. Learning from reviews"]
    # The SVG chart: its text alternative is in the text. The picture: in its description.
    assert any(report.sections[1].figures[0].alt in t for t in text)
    assert "Figure 1: Attendance by organisation" in text and "Figure 2: The learning event" in text
    assert 'descr="Photograph of the learning event."' in document.element.xml
    assert "County Police" in _docx_cells(document)


# --- the HTML preview ---------------------------------------------------------------------


def test_the_html_preview_says_the_same_and_escapes_the_text(app, letter):
    letter.paragraphs.append("<script>alert('x')</script> & more")
    html = str(render_html(letter))
    for paragraph in letter.paragraphs[:-1]:
        if isinstance(paragraph, str):
            assert paragraph.replace("'", "&#39;") in html
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert 'class="govuk-table' in html and "<h2" in html and "<h1" not in html  # under the page's own h1
    assert "Margaret Ellison" in html and "23 November 2026" in html


def test_the_report_preview_has_contents_links_and_figure_alternatives(app, report):
    html = str(render_html(report))
    assert 'aria-label="Contents"' in html
    for entry in report.contents():
        assert f'href="#{entry.anchor}"' in html and f'id="{entry.anchor}"' in html
    assert 'alt="Bar chart: County Police represented at 83% of meetings, North Council at 50%."' in html
    assert 'src="data:image/svg+xml;base64,' in html and 'src="data:image/png;base64,' in html


def test_the_preview_page_template_shows_the_document_and_downloads(app, letter):
    with app.test_request_context("/"):
        page = render_template(
            "documents/preview.html",
            title="Escalation letter ESC-2026-004",
            document=render_html(letter),
            back_url="/outbox",
            pdf_url="/x.pdf",
            docx_url="/x.docx",
        )
    assert '<h1 class="govuk-heading-l">Escalation letter ESC-2026-004</h1>' in page
    assert "Download the PDF" in page and 'href="/x.docx"' in page and "Dear Ms Kingsley" in page


# --- the content model --------------------------------------------------------------------


def test_figures_need_a_text_alternative_and_one_picture():
    with pytest.raises(ValueError, match="text alternative"):
        Figure(alt=" ", svg=CHART_SVG)
    with pytest.raises(ValueError, match="either an SVG or an image"):
        Figure(alt="A chart")
    with pytest.raises(ValueError, match="PNG or JPEG"):
        Figure(alt="A chart", image=b"GIF89a", image_type="image/gif")


def test_tables_need_a_caption_and_whole_rows():
    with pytest.raises(ValueError, match="caption"):
        Table("", ["A"], [["1"]])
    with pytest.raises(ValueError, match="2 cells for 1 headers"):
        Table("Numbers", ["A"], [["1", "2"]])
    assert Table("Numbers", ["A"], [[1]]).rows == [["1"]]
