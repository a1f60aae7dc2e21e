from __future__ import annotations

import io
import struct
import zlib
from datetime import date

import pytest

from safeguarding.documents import Figure, Letter, Report, Section, Table

CHART_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="120" viewBox="0 0 300 120">'
    '<rect x="0" y="20" width="240" height="30" fill="#1d70b8"/>'
    '<rect x="0" y="70" width="120" height="30" fill="#d4351c"/></svg>'
)


def tiny_png() -> bytes:
    """A 2×2 PNG, made here (no image files in the repository)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + b"\x1d\x70\xb8" * 2 for _ in range(2))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def letter() -> Letter:
    return Letter(
        reference="ESC-2026-004",
        date=date(2026, 11, 23),
        recipient_name="Rachel Kingsley",
        recipient_title="Chief Executive",
        recipient_organisation="North Council",
        address_lines=["Town Hall", "High Street", "Northtown NT1 2BB"],
        subject="Attendance at Safeguarding Partnership Board meetings",
        salutation="Dear Ms Kingsley",
        paragraphs=[
            "I am writing about North Council's attendance at meetings of the Safeguarding Partnership Board.",
            Table(
                "Board meetings North Council was not represented at",
                ["Date", "Meeting"],
                [
                    ["3 June 2026", "Partnership Board"],
                    ["5 August 2026", "Partnership Board"],
                    ["7 October 2026", "Partnership Board"],
                ],
            ),
            "The constitution expects each partner to be represented at every meeting, by its member or "
            "a named deputy with the same authority.",
            "Please reply by 21 December 2026 setting out how North Council will be represented.",
        ],
        cc=["Business Manager, Safeguarding Partnership"],
    )


@pytest.fixture
def report() -> Report:
    return Report(
        title="Annual report 2025/26",
        subtitle="Safeguarding Adults Board and Safeguarding Children Partnership",
        date=date(2026, 7, 1),
        reference="AR-2025-26",
        sections=[
            Section("Introduction", ["This report sets out the partnership's work in 2025/26."]),
            Section(
                "Attendance",
                ["Partners were represented at most meetings."],
                tables=[
                    Table(
                        "Attendance by organisation",
                        ["Organisation", "Represented"],
                        [["County Police", "83%"], ["North Council", "50%"]],
                    )
                ],
                figures=[
                    Figure(
                        alt="Bar chart: County Police represented at 83% of meetings, North Council at 50%.",
                        svg=CHART_SVG,
                        caption="Attendance by organisation",
                    )
                ],
            ),
            Section(
                "Learning from reviews",
                ["Two reviews were completed."],
                figures=[
                    Figure(alt="Photograph of the learning event.", image=tiny_png(), caption="The learning event")
                ],
            ),
        ],
    )


def pdf_text(data: bytes) -> tuple[list[str], object]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return [page.extract_text() for page in reader.pages], reader
