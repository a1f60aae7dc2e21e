"""The agenda pack: one PDF per meeting — a cover, the agenda with the page each paper
starts on, then each paper in agenda order (its cover sheet first), with a bookmark per
item and per paper (the PDF outline).

Two versions (domain.md "Meetings", confidential business):

- `public`: restricted items (Part B) are left out — the agenda reads "Item N was taken in
  private." and their papers are not in it. This is the version to publish.
- `full`: everything, for those who see the meeting's confidential business (the office,
  the independent chair, the group's members and the deputies attending).

Both are for those who may see the meeting's papers (`meetings.may_see_papers`): the office
and the chair always, the group's members once the papers are published; viewers and
administrators never.

PDF papers are copied in page by page. A DOCX or XLSX paper cannot be converted here
without an office suite, so the pack has a page saying it is available separately from the
meeting's page; a PDF that cannot be read (encrypted, damaged) gets the same page.

How it is built: one HTML document (WeasyPrint) holds the cover, the agenda, the cover
sheets and the placeholder pages, and for each PDF paper as many blank pages as the paper
has; the agenda's page numbers are CSS `target-counter`s, so they are exact whatever the
agenda's length. The blank pages are then replaced by the paper's own pages (pypdf) and
the outline is added.

Built on request and kept: the pack is cached on disk under `UPLOAD_FOLDER/agenda-packs/`
by a hash of everything it is made of (the meeting's details, the agenda, each paper's
SHA-256 and cover sheet), so it is rebuilt exactly when a paper, a cover sheet or the
agenda changes, and the older file for that meeting and version is removed.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import current_app, render_template
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError

from safeguarding.calendar import today
from safeguarding.documents import letterhead
from safeguarding.documents.render import PDF_FONT
from safeguarding.extensions import db
from safeguarding.formatting import long_date
from safeguarding.models import CoverSheet, Meeting, Paper
from safeguarding.services import attendance, audit, risks
from safeguarding.services.errors import Forbidden, ValidationFailed
from safeguarding.services.meetings import (
    ATTENDANCE_REPORT,
    TOP_RISKS,
    agenda_of,
    may_see_papers,
    papers_of,
    sees_restricted,
)

# Bump when the pack's layout changes, so cached packs are rebuilt.
PACK_FORMAT = 2
TOP_RISKS_COUNT = 5
VERSIONS = ("public", "full")
KIND_NAMES = {"docx": "a Word document (DOCX)", "xlsx": "an Excel spreadsheet (XLSX)", "pdf": "a PDF"}


@dataclass
class PackSheet:
    purpose: str
    asked_to: str
    author: str
    sponsor: str
    risks: str


@dataclass
class PackPaper:
    id: int
    title: str
    kind: str
    sha256: str
    storage_key: str
    sheet: PackSheet | None = None


@dataclass
class PackReport:
    """A paper the service writes itself: the attendance report, the top risks."""

    heading: str
    note: str
    head: list[str]
    rows: list[list[str]]


@dataclass
class PackItem:
    number: int
    title: str
    presenter: str
    description: str
    private: bool
    papers: list[PackPaper] = field(default_factory=list)
    report: PackReport | None = None


@dataclass
class PackSpec:
    """Everything the pack is made of (its hash names the cached file)."""

    format: int
    version: str
    meeting_id: int
    partnership: str
    group: str
    title: str
    date: str
    time: str
    location: str
    items: list[PackItem]

    def digest(self) -> str:
        return hashlib.sha256(json.dumps(asdict(self), sort_keys=True).encode()).hexdigest()


def check_version(version: str | None) -> str:
    version = version or "public"
    if version not in VERSIONS:
        raise ValidationFailed(errors={"version": "Choose the public or the full version of the pack"})
    return version


def check_access(meeting: Meeting, user: Any, version: str) -> None:
    """Refuse a user who may not have the pack (call with a meeting `user` may see)."""
    if not may_see_papers(meeting, user):
        raise Forbidden("The agenda pack is available once the papers are published")
    if version == "full" and not sees_restricted(meeting, user):
        raise Forbidden("Only the group's members, the business office and the independent chair have the full pack")


def pack_spec(meeting: Meeting, version: str) -> PackSpec:
    """What goes in the pack, in three queries (agenda, papers, cover sheets)."""
    version = check_version(version)
    items = agenda_of(meeting)
    papers = papers_of(meeting)
    sheets = (
        {
            s.paper_id: s
            for s in db.session.scalars(sa.select(CoverSheet).where(CoverSheet.paper_id.in_([p.id for p in papers])))
        }
        if papers
        else {}
    )
    by_item: dict[int, list[Paper]] = {}
    for p in papers:
        by_item.setdefault(p.agenda_item_id, []).append(p)
    out = []
    for number, item in enumerate(items, 1):
        private = version == "public" and item.restricted
        entry = PackItem(
            number=number,
            title="" if private else item.title,
            presenter="" if private else (item.presenter or ""),
            description="" if private else (item.description or ""),
            private=private,
        )
        if not private:
            entry.papers = [_pack_paper(p, sheets.get(p.id)) for p in by_item.get(item.id, [])]
            entry.report = _report(meeting, item.subject_type)
        out.append(entry)
    head = letterhead()
    return PackSpec(
        format=PACK_FORMAT,
        version=version,
        meeting_id=meeting.id,
        partnership=head.name,
        group=meeting.group.name,
        title=meeting.name,
        date=long_date(meeting.meeting_date),
        time=f"{meeting.starts_at:%H:%M} to {meeting.ends_at:%H:%M}",
        location=meeting.location or "",
        items=out,
    )


def _report(meeting: Meeting, subject_type: str | None) -> PackReport | None:
    """The standing reports of a Board meeting, attached (two queries each)."""
    if subject_type == ATTENDANCE_REPORT:
        end = min(meeting.meeting_date, today())
        report = attendance.group_report(meeting.group_id, end=end)
        return PackReport(
            heading="Attendance report",
            note=f"Each organisation's attendance at the {meeting.group.name}'s meetings held from "
            f"{long_date(report.start)} to {long_date(report.end)} (present, or a deputy present).",
            head=["Organisation", "Meetings", "Represented", "Attendance"],
            rows=[
                [
                    r.organisation.name,
                    str(r.held),
                    str(r.represented),
                    "" if r.percent is None else f"{r.percent}%",
                ]
                for r in report.rows
            ],
        )
    if subject_type == TOP_RISKS:
        top = risks.board_top_risks(TOP_RISKS_COUNT)
        return PackReport(
            heading="Risk register: the top risks",
            note=f"The {TOP_RISKS_COUNT} open risks with the highest current score (likelihood × impact after "
            f"mitigations), as at {long_date(today())}.",
            head=["Risk", "Owner", "Score", "RAG", "Review date"],
            rows=[
                [
                    f"{r.reference}: {r.title}",
                    r.owner_organisation.name if r.owner_organisation else "",
                    str(r.residual_score),
                    risks.rag_of(r).capitalize(),
                    long_date(r.review_date),
                ]
                for r in top
            ],
        )
    return None


def _pack_paper(paper: Paper, sheet: CoverSheet | None) -> PackPaper:
    stored = paper.stored_file
    kind = stored.storage_key.rsplit(".", 1)[-1]
    return PackPaper(
        id=paper.id,
        title=paper.title,
        kind=kind,
        sha256=stored.sha256,
        storage_key=stored.storage_key,
        sheet=None
        if sheet is None
        else PackSheet(
            purpose=sheet.purpose.label,
            asked_to=sheet.asked_to,
            author=sheet.author,
            sponsor=sheet.sponsor.name if sheet.sponsor else "",
            risks=sheet.risks or "",
        ),
    )


# --- the cache ------------------------------------------------------------------------------


def _cache_dir() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"]) / "agenda-packs"


def agenda_pack(meeting: Meeting, user: Any, version: str | None) -> bytes:
    """The meeting's agenda pack for `user` (a meeting they may see): built, or read from
    the cache when nothing it is made of has changed."""
    version = check_version(version)
    check_access(meeting, user, version)
    spec = pack_spec(meeting, version)
    folder = _cache_dir()
    path = folder / f"{meeting.id}-{version}-{spec.digest()[:40]}.pdf"
    audit.record_view(f"agenda_pack_{version}", meeting.id)
    if path.is_file():
        return path.read_bytes()
    data = build_pack(spec)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob(f"{meeting.id}-{version}-*.pdf"):
        old.unlink(missing_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    os.replace(tmp, path)
    return data


def pack_file_name(meeting: Meeting, version: str) -> str:
    return f"meeting-{meeting.id}-{meeting.meeting_date:%Y-%m-%d}-agenda-pack-{version}.pdf"


# --- building -------------------------------------------------------------------------------


def _read_paper(paper: PackPaper) -> PdfReader | None:
    """The paper's PDF, or None when it is not a PDF or cannot be read."""
    if paper.kind != "pdf":
        return None
    path = Path(current_app.config["UPLOAD_FOLDER"]) / paper.storage_key
    try:
        reader = PdfReader(io.BytesIO(path.read_bytes()))
        if reader.is_encrypted or len(reader.pages) == 0:
            return None
        return reader
    except (OSError, PyPdfError, ValueError):
        return None


def _render(html: str) -> tuple[bytes, dict[str, int]]:
    """The HTML as a PDF, and the page (0-based) each anchor is on."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    fetcher = URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)
    document = HTML(string=html, url_fetcher=fetcher).render()
    anchors: dict[str, int] = {}
    for index, page in enumerate(document.pages):
        for name in page.anchors:
            anchors.setdefault(name, index)
    return document.write_pdf(), anchors


def _start(anchors: dict[str, int], paper: PackPaper) -> int:
    """The page a paper starts on: its cover sheet's, or its own."""
    return anchors[f"start-{paper.id}"] if paper.sheet else anchors[f"paper-{paper.id}"]


def build_pack(spec: PackSpec) -> bytes:
    readers = {p.id: _read_paper(p) for item in spec.items for p in item.papers}
    pages = {pid: len(r.pages) for pid, r in readers.items() if r is not None}
    html = render_template(
        "documents/agenda_pack.html",
        spec=spec,
        pages=pages,
        kind_names=KIND_NAMES,
        font=PDF_FONT,
    )
    rendered, anchors = _render(html)
    base = PdfReader(io.BytesIO(rendered))
    replace: dict[int, Any] = {}
    for pid, reader in readers.items():
        if reader is None:
            continue
        start = anchors[f"paper-{pid}"]
        for offset, page in enumerate(reader.pages):
            replace[start + offset] = page
    writer = PdfWriter()
    for index, page in enumerate(base.pages):
        writer.add_page(replace.get(index, page))
    writer.add_metadata({"/Title": f"Agenda pack: {spec.title}", "/Author": spec.partnership})
    writer.add_outline_item(title="Cover", page_number=0)
    writer.add_outline_item(title="Agenda", page_number=anchors.get("agenda", 0))
    for item in spec.items:
        if item.report is not None:
            writer.add_outline_item(
                title=f"Item {item.number}: {item.title}", page_number=anchors[f"report-{item.number}"]
            )
        if not item.papers:
            continue
        parent = writer.add_outline_item(
            title=f"Item {item.number}: {item.title}", page_number=_start(anchors, item.papers[0])
        )
        for p in item.papers:
            writer.add_outline_item(title=p.title, page_number=_start(anchors, p), parent=parent)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
