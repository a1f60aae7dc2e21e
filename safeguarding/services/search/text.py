"""Text for the search: what an uploaded paper says (PDF and DOCX, bounded, never failing
the upload), the words of a query, and a snippet with the words marked — the text escaped
first, so nothing a user wrote is ever rendered as HTML."""

from __future__ import annotations

import io
import logging
import re
import warnings

from markupsafe import Markup, escape

MAX_TEXT = 200_000  # characters of a paper kept for the search
MAX_QUERY = 200  # characters of a query
MAX_WORDS = 12
SNIPPET = 220  # characters around the first match

log = logging.getLogger(__name__)

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def extract_text(data: bytes, content_type: str = "", name: str = "") -> str:
    """The text of a PDF or DOCX file, at most MAX_TEXT characters; "" for other files
    and for files that cannot be read (a damaged or encrypted upload still uploads)."""
    lower = (name or "").lower()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if content_type == PDF or lower.endswith(".pdf") or data[:5] == b"%PDF-":
                return _pdf_text(data)
            if content_type == DOCX or lower.endswith(".docx"):
                return _docx_text(data)
    except Exception as exc:  # noqa: BLE001 — any fault of a file's contents means "no text"
        log.info("no text extracted from an upload (%s)", type(exc).__name__)
    return ""


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    reader = PdfReader(io.BytesIO(data))
    parts: list[str] = []
    size = 0
    for page in reader.pages:
        text = page.extract_text() or ""
        parts.append(text)
        size += len(text)
        if size >= MAX_TEXT:
            break
    return _bounded("\n".join(parts))


def _docx_text(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" ".join(cell.text for cell in row.cells))
    return _bounded("\n".join(parts))


def _bounded(text: str) -> str:
    text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", " ", text)
    return text[:MAX_TEXT]


# --- queries and snippets ------------------------------------------------------------------


def words_of(q: str) -> list[str]:
    return re.findall(r"\w+", q or "")[:MAX_WORDS]


def _stem(word: str) -> str:
    w = word.lower()
    for suffix in ("ing", "ed", "es", "s"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            return w[: -len(suffix)]
    return w


def _pattern(q: str) -> re.Pattern[str] | None:
    stems = sorted({_stem(w) for w in words_of(q)}, key=len, reverse=True)
    if not stems:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(s) for s in stems) + r")\w*", re.IGNORECASE)


def snippet(text: str, q: str, size: int = SNIPPET) -> Markup:
    """A piece of `text` around the first word of `q` it holds, escaped, with the words
    of `q` in <mark>; the start of the text when none is found."""
    text = re.sub(r"\s+", " ", text or "").strip()
    pattern = _pattern(q)
    first = pattern.search(text) if pattern else None
    start = 0
    if first and first.start() > size // 3:
        start = first.start() - size // 3
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first.start() else start
    piece = text[start : start + size]
    if start + size < len(text):
        cut = piece.rfind(" ")
        piece = (piece[:cut] if cut > size // 2 else piece) + " …"
    if start:
        piece = "… " + piece
    if pattern is None:
        return escape(piece)
    out: list[str] = []
    at = 0
    for m in pattern.finditer(piece):
        out.append(str(escape(piece[at : m.start()])))
        out.append(f"<mark>{escape(m.group(0))}</mark>")
        at = m.end()
    out.append(str(escape(piece[at:])))
    return Markup("".join(out))
