"""Letters and reports to HTML (the preview page) and PDF (WeasyPrint).

Both come from the same Jinja templates in templates/documents/: `_letter.html` and
`_report.html` hold the content, with GOV.UK Frontend's class names; the page preview
embeds them as they are, and the PDF wraps them in `print.html`, whose stylesheet
(`print.css`) sets A4 pages, the letterhead, "Page X of Y" and DejaVu Sans for the same
classes. WeasyPrint may fetch nothing but `data:` URLs (figures are embedded), so a
document cannot make the server read a file or call a URL.
"""

from __future__ import annotations

import base64
import dataclasses
import logging
from typing import Any

import jinja2
from flask import current_app
from markupsafe import Markup

from safeguarding.documents.letterhead import letterhead, partnership_signatory, signature_lines
from safeguarding.documents.model import Document, Figure, Letter, Report
from safeguarding.formatting import long_date

# The face the PDF asks for and embeds (fonts-dejavu-core; `make install` checks it).
PDF_FONT = "DejaVu Sans"


def _env() -> jinja2.Environment:
    # The app's templates and filters, strict about missing values.
    env = current_app.extensions.get("documents_jinja")
    if env is None:
        env = current_app.jinja_env.overlay(undefined=jinja2.StrictUndefined)
        current_app.extensions["documents_jinja"] = env
    return env


def with_signatory(doc: Document) -> Document:
    """A letter with no signatory is signed by the chair of the Board."""
    if isinstance(doc, Letter) and not (doc.signatory_name and doc.signatory_title):
        name, title = partnership_signatory(doc.date)
        return dataclasses.replace(
            doc, signatory_name=doc.signatory_name or name, signatory_title=doc.signatory_title or title
        )
    return doc


def figure_src(figure: Figure) -> str:
    if figure.svg is not None:
        return "data:image/svg+xml;base64," + base64.b64encode(figure.svg.encode()).decode()
    assert figure.image is not None
    return f"data:{figure.image_type};base64," + base64.b64encode(figure.image).decode()


def css_string(text: str) -> str:
    """A CSS string literal, safe inside a <style> element."""
    escaped = "".join(ch if ch.isalnum() or ch in " .,-'&()" else f"\\{ord(ch):x} " for ch in text)
    return f'"{escaped}"'


def _context(doc: Document, *, screen: bool) -> dict[str, Any]:
    doc = with_signatory(doc)
    head = letterhead()
    ctx: dict[str, Any] = {
        "doc": doc,
        "letterhead": head,
        "screen": screen,
        # Page previews sit under the page's own <h1>; a PDF's title is its <h1>.
        "h1": 2 if screen else 1,
        "long_date": long_date,
        "figure_src": figure_src,
    }
    if isinstance(doc, Letter):
        ctx["signature"] = signature_lines(doc.signatory_name or "", doc.signatory_title or "", head.name)
    return ctx


def _template(doc: Document) -> str:
    if isinstance(doc, Letter):
        return "documents/_letter.html"
    if isinstance(doc, Report):
        return "documents/_report.html"
    raise TypeError(f"not a letter or a report: {doc!r}")


def render_html(doc: Document) -> Markup:
    """The document as HTML to embed in a page (a preview), GOV.UK styled."""
    return Markup(_env().get_template(_template(doc)).render(_context(doc, screen=True)))


def render_print_html(doc: Document) -> str:
    """The standalone HTML WeasyPrint turns into the PDF (useful when debugging layout)."""
    ctx = _context(doc, screen=False)
    ctx["body_template"] = _template(doc)
    ctx["font"] = PDF_FONT
    ctx["css_string"] = css_string
    return _env().get_template("documents/print.html").render(ctx)


def load_pdf_engine() -> None:
    """Import WeasyPrint now (about 0.8 s: its C libraries and stylesheets) rather than in
    the first job or request that renders a PDF. The scheduler does it as it starts: it is a
    long-running process, and its daily jobs (the invoice chase attaches PDFs) should not pay
    a process's start-up cost."""
    import weasyprint  # noqa: F401


def render_pdf(doc: Document) -> bytes:
    """An A4 PDF with the letterhead, page numbers and the signature block; tagged for
    screen readers (PDF/UA structure from the HTML)."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)  # a line per step otherwise
    fetcher = URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)
    html = HTML(string=render_print_html(doc), url_fetcher=fetcher)
    return html.write_pdf(pdf_tags=True)
