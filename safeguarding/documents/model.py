"""What a letter or a report says, independent of how it is rendered.

Features build a `Letter` or a `Report` from their records; `render_html`, `render_pdf`
and `render_docx` turn the same object into the browser preview, the PDF that is sent and
kept, and the DOCX the business office edits before signing — so the three cannot say
different things.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date


@dataclass
class Table:
    caption: str
    headers: list[str]
    rows: list[list[str]]

    def __post_init__(self) -> None:
        if not self.caption.strip():
            raise ValueError("a table needs a caption (it is how a screen reader user finds it)")
        for row in self.rows:
            if len(row) != len(self.headers):
                raise ValueError(f"table {self.caption!r}: a row has {len(row)} cells for {len(self.headers)} headers")
        self.rows = [[str(cell) for cell in row] for row in self.rows]


@dataclass
class Figure:
    """A chart or picture: an SVG document (str) or image bytes (PNG or JPEG), always with
    a text alternative that says what it shows."""

    alt: str
    svg: str | None = None
    image: bytes | None = None
    image_type: str = "image/png"
    caption: str = ""

    def __post_init__(self) -> None:
        if not self.alt or not self.alt.strip():
            raise ValueError("a figure needs a text alternative (alt) saying what it shows")
        if (self.svg is None) == (self.image is None):
            raise ValueError("a figure has either an SVG or an image")
        if self.image is not None and self.image_type not in ("image/png", "image/jpeg"):
            raise ValueError("figure images are PNG or JPEG")


# A letter's body: paragraphs of text, with a table wherever one belongs.
Block = str | Table


@dataclass
class Letter:
    """A letter on the partnership's letterhead, signed by `signatory_name` (by default
    the chair of the Board: `partnership_signatory()`, filled in when rendered).

    `paragraphs` are plain text (no markup); a `Table` may stand among them where it
    belongs in the text; `tables` follow the last paragraph."""

    reference: str
    date: date
    recipient_name: str
    recipient_title: str
    recipient_organisation: str
    address_lines: list[str]
    subject: str
    salutation: str
    paragraphs: list[Block]
    tables: list[Table] = field(default_factory=list)
    closing: str = "Yours sincerely"
    signatory_name: str | None = None
    signatory_title: str | None = None
    cc: list[str] = field(default_factory=list)
    # Not yet approved: marked DRAFT on every page of every rendering.
    draft: bool = False

    kind = "letter"

    @property
    def title(self) -> str:
        return ("DRAFT: " if self.draft else "") + f"{self.subject} ({self.reference})"

    @property
    def body(self) -> list[Block]:
        return [*self.paragraphs, *self.tables]

    @property
    def recipient_lines(self) -> list[str]:
        """Name, title, organisation and address, each once (an address that starts with the
        organisation's name does not repeat it)."""
        out: list[str] = []
        for line in (self.recipient_name, self.recipient_title, self.recipient_organisation, *self.address_lines):
            text = (line or "").strip()
            if text and text.casefold() not in {o.casefold() for o in out}:
                out.append(text)
        return out


@dataclass
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)


@dataclass
class ContentsEntry:
    number: int
    heading: str
    anchor: str


@dataclass
class Report:
    """A report: a title page line, a generated contents list, then numbered sections.
    Figures and tables are numbered through the report."""

    title: str
    subtitle: str = ""
    sections: list[Section] = field(default_factory=list)
    date: date | None = None
    reference: str = ""
    draft: bool = False
    # A short document (a one-page briefing): no contents list, compact print type.
    compact: bool = False

    kind = "report"

    def contents(self) -> list[ContentsEntry]:
        return [ContentsEntry(i, s.heading, anchor_for(i, s.heading)) for i, s in enumerate(self.sections, 1)]

    def numbered(self) -> list[tuple[ContentsEntry, Section, list[tuple[int, Figure]], list[tuple[int, Table]]]]:
        """Each section with its contents entry and its figures and tables, numbered
        through the whole report (Figure 1, Figure 2 …)."""
        out = []
        figure_no = table_no = 0
        for entry, section in zip(self.contents(), self.sections, strict=True):
            figures = []
            for f in section.figures:
                figure_no += 1
                figures.append((figure_no, f))
            tables = []
            for t in section.tables:
                table_no += 1
                tables.append((table_no, t))
            out.append((entry, section, figures, tables))
        return out


def anchor_for(number: int, heading: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", heading.lower()).strip("-")[:40]
    return f"section-{number}-{slug}" if slug else f"section-{number}"


Document = Letter | Report
