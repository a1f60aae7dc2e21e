"""Letters and reports: one content model, three renderings that cannot drift apart.

    from safeguarding.documents import Letter, Table, render_html, render_pdf, render_docx

    letter = Letter(reference="ESC-2026-004", date=today(), recipient_name=org.chief_executive_name, ...,
                    paragraphs=["I am writing about …", Table("Meetings missed", ["Date", "Meeting"], rows), "…"])
    render_html(letter)   # Markup for a preview page (templates/documents/preview.html)
    render_pdf(letter)    # A4 PDF: letterhead, "Page X of Y", the chair's signature block
    render_docx(letter)   # editable Word document with the same text and tables
    send_file(pdf, f"{letter.reference}.pdf")   # a download with a safe file name

A letter without a signatory is signed by the chair of the Board (`partnership_signatory`).
Reports (`Report`, `Section`, `Figure`, `Table`) get a generated contents list; every figure
needs a text alternative. File names are built from references, never people's names.
"""

from __future__ import annotations

import mimetypes
import re
import unicodedata
from io import BytesIO

from flask import Response
from flask import send_file as _flask_send_file

from safeguarding.documents.letterhead import (
    DEFAULT_SIGNATORY,
    Letterhead,
    letterhead,
    partnership_signatory,
)
from safeguarding.documents.model import Document, Figure, Letter, Report, Section, Table
from safeguarding.documents.render import PDF_FONT, render_html, render_pdf, render_print_html
from safeguarding.documents.word import render_docx

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "csv": "text/csv",
}


def safe_filename(name: str, default: str = "document") -> str:
    """ASCII letters, digits, '-' and '_' only, then the extension; anything else becomes
    '-'; at most 90 characters before the extension.
    "ESC 2026/004 letter.pdf" → "ESC-2026-004-letter.pdf"."""
    match = re.fullmatch(r"(.*)\.([A-Za-z0-9]{1,8})", name.strip())
    stem, ext = (match.group(1), match.group(2).lower()) if match else (name, "")
    # Accents come off ("é" → "e"); other characters outside ASCII separate words.
    decomposed = unicodedata.normalize("NFKD", stem)
    ascii_stem = "".join(ch if ch.isascii() else ("" if unicodedata.combining(ch) else "-") for ch in decomposed)
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", ascii_stem)
    stem = re.sub(r"-{2,}", "-", stem).strip("-_")[:90] or default
    return f"{stem}.{ext}" if ext else stem


def send_file(data: bytes, filename: str, *, content_type: str | None = None, as_attachment: bool = True) -> Response:
    """Serve a rendered document (or an attachment) as a download. Build `filename` from
    a reference ("ESC-2026-004-letter.pdf"), never a person's name: it is kept in
    browsers' download lists. Not cached anywhere."""
    name = safe_filename(filename)
    ext = name.rpartition(".")[2] if "." in name else ""
    mimetype = content_type or CONTENT_TYPES.get(ext) or mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = _flask_send_file(
        BytesIO(data),
        mimetype=mimetype,
        as_attachment=as_attachment,
        download_name=name,
        max_age=0,
        etag=False,
        conditional=False,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


__all__ = [
    "CONTENT_TYPES",
    "DEFAULT_SIGNATORY",
    "Document",
    "Figure",
    "Letter",
    "Letterhead",
    "PDF_FONT",
    "Report",
    "Section",
    "Table",
    "letterhead",
    "partnership_signatory",
    "render_docx",
    "render_html",
    "render_pdf",
    "render_print_html",
    "safe_filename",
    "send_file",
]
