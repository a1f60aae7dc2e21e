"""The agenda pack (issue 17; domain.md "Meetings"): one PDF per meeting — cover, agenda
with the page each paper starts on, each paper in order with bookmarks — in a public
version (restricted items left out: "Item N was taken in private.") and a full version;
rebuilt when the papers change; refused to those who may not see the papers."""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader
from weasyprint import HTML
from werkzeug.datastructures import FileStorage

from safeguarding.extensions import db
from safeguarding.models import Meeting
from safeguarding.services import agenda_pack, storage
from safeguarding.services import meetings as svc
from safeguarding.services.errors import Forbidden, ValidationFailed
from tests.support.meetings import schedule


def pdf_of(marker: str, pages: int) -> bytes:
    body = "".join(
        f'<p style="break-before: page">{marker} page {n}</p>' if n > 1 else f"<p>{marker} page {n}</p>"
        for n in range(1, pages + 1)
    )
    return HTML(string=f"<html><body>{body}</body></html>").write_pdf()


def docx_bytes() -> bytes:
    d = docx.Document()
    d.add_paragraph("A Word paper")
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def attach(demo, item, title: str, data: bytes, name: str):
    upload = FileStorage(stream=io.BytesIO(data), filename=name)
    stored = storage.save_upload(upload, purpose="meeting_paper", uploaded_by_id=demo.user("office").id)
    return svc.attach_paper(item, stored, title=title, added_by_id=demo.user("office").id)


@pytest.fixture
def meeting(demo) -> dict:
    m = schedule(demo)
    performance = svc.add_agenda_item(m, title="Quarterly performance report", presenter="Business Manager")
    private = svc.add_agenda_item(m, title="Commissioning a reviewer for SAR Adult Z", restricted=True)
    words = svc.add_agenda_item(m, title="Communications plan")
    papers = {
        "performance": attach(demo, performance, "Performance dashboard", pdf_of("PERFORMANCE", 3), "perf.pdf"),
        "appendix": attach(demo, performance, "Performance appendix", pdf_of("APPENDIX", 2), "appendix.pdf"),
        "private": attach(demo, private, "Reviewer tender", pdf_of("PRIVATE", 2), "tender.pdf"),
        "words": attach(demo, words, "Communications plan 2027", docx_bytes(), "comms.docx"),
    }
    numbers = {i.id: n for n, i in enumerate(svc.agenda_of(m), 1)}
    db.session.flush()
    return {
        "meeting": m,
        "papers": papers,
        "n_performance": numbers[performance.id],
        "n_private": numbers[private.id],
        "n_words": numbers[words.id],
    }


def _outline(reader: PdfReader) -> list[tuple[str, int, list]]:
    def walk(entries):
        out = []
        for e in entries:
            if isinstance(e, list):
                out[-1][2].extend(walk(e))
            else:
                out.append((e.title, reader.get_destination_page_number(e), []))
        return out

    return walk(reader.outline)


def _page_of(reader: PdfReader, marker: str) -> int:
    (index,) = [i for i, p in enumerate(reader.pages) if marker in (p.extract_text() or "")]
    return index


def test_the_full_pack_has_each_paper_in_order_with_bookmarks_and_page_numbers(demo, meeting):
    m = meeting["meeting"]
    reader = PdfReader(io.BytesIO(agenda_pack.agenda_pack(m, demo.user("office"), "full")))
    # Cover (1 page), agenda, then the papers' own pages in agenda order.
    perf = _page_of(reader, "PERFORMANCE page 1")
    assert [_page_of(reader, f"PERFORMANCE page {n}") for n in (1, 2, 3)] == [perf, perf + 1, perf + 2]
    assert _page_of(reader, "APPENDIX page 1") == perf + 3
    assert _page_of(reader, "PRIVATE page 1") == perf + 5
    words = _page_of(reader, "which cannot be included")
    assert words == perf + 7 and "available separately" in reader.pages[words].extract_text()
    assert len(reader.pages) == perf + 8

    outline = _outline(reader)
    assert [(t, p) for t, p, _ in outline[:2]] == [("Cover", 0), ("Agenda", 1)]
    items = {t: (p, [(c, q) for c, q, _ in kids]) for t, p, kids in outline[2:]}
    # The standing reports the service writes (attendance, the top risks) follow the agenda.
    reports = {t: v for t, v in items.items() if t.endswith((svc.ATTENDANCE_REPORT_TITLE, svc.TOP_RISKS_TITLE))}
    assert sorted(reports.values()) == [(2, []), (3, [])]
    items = {t: v for t, v in items.items() if t not in reports}
    assert items == {
        f"Item {meeting['n_performance']}: Quarterly performance report": (
            perf,
            [("Performance dashboard", perf), ("Performance appendix", perf + 3)],
        ),
        f"Item {meeting['n_private']}: Commissioning a reviewer for SAR Adult Z": (
            perf + 5,
            [("Reviewer tender", perf + 5)],
        ),
        f"Item {meeting['n_words']}: Communications plan": (words, [("Communications plan 2027", words)]),
    }

    # The agenda gives each paper's page in the pack (1-based), as printed.
    agenda = re.sub(r"\s+", " ", reader.pages[1].extract_text())
    assert f"Paper: Performance dashboard {perf + 1}" in agenda
    assert f"Paper: Performance appendix {perf + 4}" in agenda
    assert f"Paper: Reviewer tender {perf + 6}" in agenda
    assert f"Paper: Communications plan 2027 {words + 1}" in agenda


def test_the_public_pack_leaves_the_restricted_item_and_its_papers_out(demo, meeting):
    m = meeting["meeting"]
    reader = PdfReader(io.BytesIO(agenda_pack.agenda_pack(m, demo.user("office"), "public")))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert f"Item {meeting['n_private']} was taken in private." in text
    assert "Adult Z" not in text and "Reviewer tender" not in text and "PRIVATE page" not in text
    assert "PERFORMANCE page 3" in text and "Public version" in text
    titles = [t for t, _, _ in _outline(reader)]
    assert not any("Adult Z" in t for t in titles)
    assert len(reader.pages) == _page_of(reader, "which cannot be included") + 1


def test_the_pack_is_kept_and_rebuilt_when_a_paper_changes(demo, meeting, app):
    m = meeting["meeting"]
    office = demo.user("office")
    first = agenda_pack.agenda_pack(m, office, "public")
    spec = agenda_pack.pack_spec(m, "public")
    assert agenda_pack.agenda_pack(m, office, "public") == first  # read back from the cache
    item = svc.agenda_of(m)[0]
    attach(demo, item, "Late paper", pdf_of("LATE", 1), "late.pdf")
    assert agenda_pack.pack_spec(m, "public").digest() != spec.digest()
    rebuilt = PdfReader(io.BytesIO(agenda_pack.agenda_pack(m, office, "public")))
    assert any("LATE page 1" in p.extract_text() for p in rebuilt.pages)
    kept = list((Path(app.config["UPLOAD_FOLDER"]) / "agenda-packs").glob(f"{m.id}-public-*.pdf"))
    assert len(kept) == 1  # the older pack of this meeting and version is removed


def test_the_spec_is_read_in_a_bounded_number_of_queries(demo, meeting, count_queries):
    m = meeting["meeting"]
    db.session.expire_all()
    with count_queries() as few:
        agenda_pack.pack_spec(m, "full")
    for n in range(6):
        attach(demo, svc.agenda_of(m)[0], f"More {n}", pdf_of(f"MORE{n}", 1), f"more{n}.pdf")
    db.session.expire_all()
    with count_queries() as many:
        agenda_pack.pack_spec(m, "full")
    assert many.count == few.count


def test_a_member_has_the_pack_only_once_the_papers_are_published(demo, meeting):
    m = meeting["meeting"]
    police = demo.user("police")
    with pytest.raises(Forbidden):
        agenda_pack.agenda_pack(m, police, "public")
    m.papers_published_on = m.papers_due_on
    db.session.flush()
    assert agenda_pack.agenda_pack(m, police, "full")[:5] == b"%PDF-"


def test_a_version_other_than_public_or_full_is_refused(demo, meeting):
    with pytest.raises(ValidationFailed):
        agenda_pack.agenda_pack(meeting["meeting"], demo.user("office"), "draft")


def test_the_meeting_page_and_the_api_give_the_pack(client_as, api_as, meeting):
    m = meeting["meeting"]
    response = client_as("office").get(f"/meetings/{m.id}/pack?version=full")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    page = client_as("office").get(f"/meetings/{m.id}").text
    assert f"/meetings/{m.id}/pack?version=public" in page and f"/meetings/{m.id}/pack?version=full" in page
    body = api_as("chair").get(f"/api/v1/meetings/{m.id}/pack?version=public")
    assert body.status_code == 200 and body.data[:5] == b"%PDF-"
    bad = api_as("office").get(f"/api/v1/meetings/{m.id}/pack?version=draft")
    assert bad.status_code == 422 and bad.mimetype == "application/problem+json"


@pytest.mark.parametrize("who", ["viewer", "admin"])
def test_roles_that_never_see_papers_are_refused(api_as, client_as, meeting, who):
    m = meeting["meeting"]
    assert api_as(who).get(f"/api/v1/meetings/{m.id}/pack").status_code == 403
    assert client_as(who).get(f"/meetings/{m.id}/pack").status_code == 403


def test_a_member_before_publication_is_refused_by_the_api(api_as, meeting):
    m: Meeting = meeting["meeting"]
    assert api_as("police").get(f"/api/v1/meetings/{m.id}/pack").status_code == 403
