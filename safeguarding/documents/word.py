"""Letters and reports as editable Word documents (python-docx), so the business office
can change the text before the chair signs.

Built from the same `Letter` / `Report` objects as the HTML and PDF: A4, the letterhead
in the first page's header (the reference in later pages' headers), "Page X of Y" from
PAGE and NUMPAGES fields in the footer, real heading styles, tables with a repeating
header row. Word has no SVG support here, so an SVG figure is given as its caption and
text alternative (the PDF carries the chart); PNG and JPEG figures are embedded with the
text alternative as the picture's description.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from docx import Document as new_document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from safeguarding.documents.letterhead import Letterhead, letterhead, signature_lines
from safeguarding.documents.model import Document, Figure, Letter, Report, Table
from safeguarding.documents.render import with_signatory
from safeguarding.formatting import long_date

FONT = "Arial"
BLUE = RGBColor(0x1D, 0x70, 0xB8)
GREY = RGBColor(0x50, 0x5A, 0x5F)
RED = RGBColor(0xD4, 0x35, 0x1C)


def render_docx(doc: Document) -> bytes:
    doc = with_signatory(doc)
    head = letterhead()
    word = new_document()
    _styles(word)
    _page(word, head, doc)
    if isinstance(doc, Letter):
        _letter(word, doc, head)
    elif isinstance(doc, Report):
        _report(word, doc)
    else:
        raise TypeError(f"not a letter or a report: {doc!r}")
    props = word.core_properties
    props.title = doc.title
    props.author = head.name
    props.last_modified_by = head.name
    props.comments = ""
    props.subject = getattr(doc, "reference", "") or ""
    out = BytesIO()
    word.save(out)
    return out.getvalue()


# --- page set-up ---------------------------------------------------------------------------


def _styles(word: Any) -> None:
    normal = word.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(8)
    for name, size in (("Title", 24), ("Heading 1", 15), ("Heading 2", 13), ("Heading 3", 11.5)):
        style = word.styles[name]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.color.rgb = RGBColor(0x0B, 0x0C, 0x0C)
        # The default theme fonts would win over the name for East Asian text; be explicit.
        rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for attr in ("w:ascii", "w:hAnsi", "w:cs"):
            rfonts.set(qn(attr), FONT)
    word.styles["Caption"].font.name = FONT
    word.styles["Caption"].font.color.rgb = RGBColor(0x0B, 0x0C, 0x0C)


def _page(word: Any, head: Letterhead, doc: Document) -> None:
    section = word.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.different_first_page_header_footer = True

    first = section.first_page_header
    name = first.paragraphs[0]
    run = name.add_run(head.name)
    run.bold, run.font.size, run.font.color.rgb = True, Pt(17), BLUE
    for text, size in ((head.strapline, 9), (f"{', '.join(head.address_lines)} · {head.email}", 8.5)):
        p = first.add_paragraph()
        r = p.add_run(text)
        r.font.size = Pt(size)
        if size < 9:
            r.font.color.rgb = GREY

    if doc.draft:
        for header in (first, section.header):
            mark = header.add_paragraph() if header is first else header.paragraphs[0]
            r = mark.add_run("DRAFT – not approved: not to be sent  ")
            r.bold, r.font.size, r.font.color.rgb = True, Pt(10), RED

    reference = getattr(doc, "reference", "")
    later = section.header.paragraphs[0]
    later.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if reference:
        r = later.add_run(f"Ref: {reference}")
        r.font.size, r.font.color.rgb = Pt(8), GREY

    for footer in (section.first_page_footer, section.footer):
        _page_numbers(footer.paragraphs[0])


def _page_numbers(paragraph: Any) -> None:
    """ "Page X of Y" with fields Word fills in."""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for piece in ("Page ", "PAGE", " of ", "NUMPAGES"):
        if piece.isupper():
            _field(paragraph, piece)
        else:
            r = paragraph.add_run(piece)
            r.font.size = Pt(8)


def _field(paragraph: Any, instruction: str) -> None:
    def run_with(element: Any) -> None:
        r = paragraph.add_run()
        r.font.size = Pt(8)
        r._r.append(element)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run_with(instr)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    shown = paragraph.add_run("1")  # shown until Word updates the field
    shown.font.size = Pt(8)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


# --- content -------------------------------------------------------------------------------


def _tight(paragraph: Any) -> Any:
    paragraph.paragraph_format.space_after = Pt(0)
    return paragraph


def _letter(word: Any, letter: Letter, head: Letterhead) -> None:
    for text in (f"Our reference: {letter.reference}", f"Date: {long_date(letter.date)}"):
        p = _tight(word.add_paragraph(text))
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    word.add_paragraph()
    for line in letter.recipient_lines:
        _tight(word.add_paragraph(line))
    word.add_paragraph()
    word.add_paragraph(letter.salutation)
    word.add_heading(letter.subject, level=1)
    for block in letter.body:
        if isinstance(block, Table):
            _table(word, block)
        else:
            word.add_paragraph(block)
    word.add_paragraph(letter.closing)
    for _ in range(2):
        _tight(word.add_paragraph())  # room for the signature
    lines = signature_lines(letter.signatory_name or "", letter.signatory_title or "", head.name)
    for i, line in enumerate(lines):
        p = _tight(word.add_paragraph())
        p.add_run(line).bold = i == 0
    if letter.cc:
        word.add_paragraph()
        word.add_paragraph(f"Copy to: {'; '.join(letter.cc)}")


def _report(word: Any, report: Report) -> None:
    word.add_heading(report.title, level=0)
    if report.subtitle:
        word.add_paragraph(report.subtitle, style="Subtitle")
    meta = " · ".join(x for x in (long_date(report.date) if report.date else "", report.reference) if x)
    if meta:
        word.add_paragraph(meta)
    if not report.compact:
        word.add_heading("Contents", level=1)
        for entry in report.contents():
            _tight(word.add_paragraph(f"{entry.number}. {entry.heading}"))
    for entry, section, figures, tables in report.numbered():
        word.add_heading(f"{entry.number}. {section.heading}", level=1)
        for text in section.paragraphs:
            word.add_paragraph(text)
        for number, figure in figures:
            _figure(word, figure, number)
        for number, table in tables:
            _table(word, table, number)


def _table(word: Any, table: Table, number: int | None = None) -> None:
    caption = f"Table {number}: {table.caption}" if number else table.caption
    cap = word.add_paragraph(caption, style="Caption")
    cap.paragraph_format.keep_with_next = True
    t = word.add_table(rows=1, cols=len(table.headers))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.LEFT
    header = t.rows[0]
    tr_pr = header._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")  # repeat the header row on every page
    repeat.set(qn("w:val"), "true")
    tr_pr.append(repeat)
    for cell, text in zip(header.cells, table.headers, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for row in table.rows:
        cells = t.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    word.add_paragraph()


def _figure(word: Any, figure: Figure, number: int) -> None:
    caption = f"Figure {number}" + (f": {figure.caption}" if figure.caption else "")
    if figure.image is not None:
        word.add_picture(BytesIO(figure.image), width=Mm(160))
        picture = word.paragraphs[-1]
        for doc_pr in picture._p.iter(qn("wp:docPr")):
            doc_pr.set("descr", figure.alt)  # the picture's alternative text
        picture.paragraph_format.keep_with_next = True
        word.add_paragraph(caption, style="Caption")
    else:
        word.add_paragraph(caption, style="Caption").paragraph_format.keep_with_next = True
        p = word.add_paragraph()
        p.add_run("Text description of the chart (the chart itself is in the PDF): ").italic = True
        p.add_run(figure.alt)
