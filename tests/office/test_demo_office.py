"""The demo's meeting office: the Board of 15 December 2026 has its agenda pack."""

from __future__ import annotations

import io
import time

from pypdf import PdfReader

from safeguarding.extensions import db
from safeguarding.models import AgendaItem, Meeting
from safeguarding.services import agenda_pack


def test_the_december_board_has_a_pack_in_both_versions_built_in_bounded_time(demo):
    board = db.session.get(Meeting, demo.id("meetings", "board_upcoming"))
    private = db.session.get(AgendaItem, demo.id("agenda_items", "board_private_december"))
    assert board.meeting_date.month == 12 and private.restricted
    office = demo.user("office")
    started = time.perf_counter()
    full = PdfReader(io.BytesIO(agenda_pack.agenda_pack(board, office, "full")))
    took = time.perf_counter() - started
    assert took < 10, f"building the demo's full pack took {took:.1f}s"
    public = PdfReader(io.BytesIO(agenda_pack.agenda_pack(board, office, "public")))
    full_text = " ".join(" ".join(p.extract_text() for p in full.pages).split())
    public_text = " ".join(" ".join(p.extract_text() for p in public.pages).split())
    assert private.title in full_text and "Reviewer tender evaluation" in full_text
    assert private.title not in public_text and "Reviewer tender evaluation" not in public_text
    assert "was taken in private." in public_text
    assert "Report cover sheet: Draft budget" in public_text and "For decision" in public_text
    assert "Communications and engagement plan 2027" in public_text and "available separately" in public_text
    assert len(full.pages) > len(public.pages)
    # Read back from the cache the second time: much quicker than building.
    started = time.perf_counter()
    agenda_pack.agenda_pack(board, office, "full")
    assert time.perf_counter() - started < took
