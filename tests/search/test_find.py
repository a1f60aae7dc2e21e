"""The search finds each kind of record on the database the suite runs on (SQLite FTS5 or
PostgreSQL full text), keeps its entries in step with the records (an edit, a deletion, an
uploaded paper's text), orders newest first or by relevance, filters by kind, area and
date, marks the words found in escaped text, refuses bad input, and is rebuilt by
`flask search reindex`."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from safeguarding.documents import Letter, render_docx, render_pdf
from safeguarding.extensions import db
from safeguarding.models import AgendaItem, Organisation, Person, SearchEntry
from safeguarding.services import meetings, search, storage
from safeguarding.services.errors import Forbidden, ValidationFailed
from safeguarding.services.search.text import MAX_TEXT, extract_text, snippet
from tests.support.factories import PersonFactory


def entry(record_type: str, record_id: int) -> SearchEntry | None:
    return db.session.scalar(
        sa.select(SearchEntry).where(SearchEntry.record_type == record_type, SearchEntry.record_id == record_id)
    )


def test_the_demo_is_indexed_and_a_word_finds_records_of_several_kinds(demo):
    found = search.find("safeguarding", demo.user("office"))
    kinds = {k for k, n in found.counts.items() if n}
    assert len(kinds) >= 6, found.counts
    assert found.total == sum(found.counts.values())
    assert found.items and all(r.url.startswith("/") for r in found.items)
    dates = [r.occurred_on for r in found.items if r.occurred_on]
    assert dates == sorted(dates, reverse=True)  # newest first


@pytest.mark.parametrize("order", ["newest", "relevance"])
def test_pages_follow_one_order_without_gaps_or_repeats_and_undated_records_come_last(demo, order):
    office = demo.user("office")
    everything = search.find("safeguarding", office, per_page=1000, order=order)
    keys = [(r.record_type, r.record_id) for r in everything.items]
    assert len(keys) == everything.total == len(set(keys)) > 12
    dated = [r.occurred_on is not None for r in everything.items]
    if order == "newest":
        assert dated == sorted(dated, reverse=True)  # no date: last
        dates = [r.occurred_on for r in everything.items if r.occurred_on]
        assert dates == sorted(dates, reverse=True)
    paged = []
    for page in (1, 2, 3):
        found = search.find("safeguarding", office, per_page=4, page=page, order=order)
        assert found.total == everything.total
        paged += [(r.record_type, r.record_id) for r in found.items]
    assert paged == keys[:12]


@pytest.mark.parametrize("kind", [k.key for k in search.KINDS])
def test_each_kind_is_found_by_the_words_of_its_title_and_links_to_its_page(demo, client_as, kind):
    row = db.session.scalars(sa.select(SearchEntry).where(SearchEntry.kind == kind).order_by(SearchEntry.id)).first()
    assert row is not None, f"the demo indexes no {kind}"
    found = search.find(row.title, demo.user("office"), types=[kind], per_page=200, order="relevance")
    assert (row.record_type, row.record_id) in [(r.record_type, r.record_id) for r in found.items]
    hit = next(r for r in found.items if r.record_id == row.record_id)
    assert client_as("office").get(hit.url).status_code == 200


def test_an_edit_updates_the_entry_and_a_deletion_removes_it(demo):
    office = demo.user("office")
    person = PersonFactory(name="Ingrid Thackeray", organisation=demo.org("fire"))
    db.session.flush()
    assert [r.record_id for r in search.find("Thackeray", office).items] == [person.id]
    person.name = "Ingrid Fotheringay"
    db.session.flush()
    assert search.find("Thackeray", office).total == 0
    assert search.find("Fotheringay", office).counts["people"] == 1
    db.session.delete(person)
    db.session.flush()
    assert entry("person", person.id) is None and search.find("Fotheringay", office).total == 0


def test_a_change_to_an_organisation_name_is_found_at_once(demo):
    org = db.session.get(Organisation, demo.org("vcs").id)
    org.name = "Voluntary Xylophonists Alliance"
    db.session.flush()
    assert entry("organisation", org.id).title == "Voluntary Xylophonists Alliance"
    assert search.find("xylophonists", demo.user("chair")).counts["organisations"] == 1


def _letter(word: str) -> Letter:
    return Letter(
        reference="TEST-1",
        date=date(2026, 12, 1),
        recipient_name="Chief Executive",
        recipient_title="Chief Executive",
        recipient_organisation="Fire and Rescue",
        address_lines=["1 High Street"],
        subject="Highlight report",
        salutation="Dear Chief Executive",
        paragraphs=[f"The sub-group agreed the {word} protocol this quarter."],
    )


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_an_uploaded_papers_text_is_extracted_and_found(demo, fmt):
    word = f"capybara{fmt}"
    data = render_pdf(_letter(word)) if fmt == "pdf" else render_docx(_letter(word))
    content_type = storage.KINDS[fmt]
    stored = storage.store_bytes(
        data, extension=fmt, content_type=content_type, purpose="meeting_paper", name=f"report.{fmt}", by_id=None
    )
    upcoming = demo.id("meetings", "board_upcoming")
    item = db.session.scalars(sa.select(AgendaItem).where(AgendaItem.meeting_id == upcoming)).first()
    paper = meetings.attach_paper(item, stored, title="Quarterly highlight report")
    found = search.find(word, demo.user("office"))
    assert [(r.record_type, r.record_id) for r in found.items] == [("paper", paper.id)]
    assert f"<mark>{word}</mark>" in str(found.items[0].snippet)
    assert found.items[0].url == f"/meetings/{upcoming}/papers/{paper.id}"


def test_extraction_is_bounded_and_never_fails():
    assert extract_text(b"%PDF-1.7 not really a pdf", "application/pdf", "x.pdf") == ""
    assert extract_text(b"PK\x03\x04 broken", storage.KINDS["docx"], "x.docx") == ""
    assert extract_text(b"plain", "text/plain", "x.txt") == ""
    long = render_docx(_letter("word " * 50_000))
    assert 0 < len(extract_text(long, storage.KINDS["docx"], "x.docx")) <= MAX_TEXT


def test_snippets_escape_the_text_and_mark_the_words():
    s = str(snippet("Before <script>alert(1)</script> the meetings & minutes", "meeting"))
    assert "<script>" not in s and "&lt;script&gt;" in s and "&amp;" in s
    assert "<mark>meetings</mark>" in s
    far = str(snippet("word " * 200 + "needle here " + "word " * 200, "needle"))
    assert far.startswith("… ") and far.endswith(" …") and "<mark>needle</mark>" in far


def test_a_record_holding_html_is_shown_escaped(demo, client_as):
    PersonFactory(name="Oswin <b>Bold</b> Pettigrew", organisation=demo.org("fire"))
    db.session.flush()
    page = client_as("office").get("/search?q=Pettigrew").text
    assert "<b>Bold</b>" not in page and "&lt;b&gt;Bold&lt;/b&gt;" in page


def test_filters_by_kind_area_and_date(demo):
    office = demo.user("office")
    everything = search.find("board", office)
    meetings_only = search.find("board", office, types=["meetings"], per_page=200)
    assert {r.kind for r in meetings_only.items} == {"meetings"}
    assert meetings_only.total == everything.counts["meetings"]
    assert meetings_only.counts == everything.counts  # the counts of every kind stay
    recent = search.find("board", office, date_from=date(2026, 1, 1), date_to=date(2026, 12, 31), per_page=200)
    assert recent.items and all(date(2026, 1, 1) <= r.occurred_on <= date(2026, 12, 31) for r in recent.items)
    assert recent.total < everything.total
    west = search.find("safeguarding", office, area="west", per_page=200)
    assert west.items and all(r.area in ("west", "both") for r in west.items)


def test_relevance_puts_the_record_that_says_it_most_first(demo):
    office = demo.user("office")
    PersonFactory(name="Tamsin Quillfeather", job_title="Lead", organisation=demo.org("fire"))
    best = PersonFactory(name="Quillfeather Quillfeather", job_title="Quillfeather", organisation=demo.org("fire"))
    db.session.flush()
    assert search.find("Quillfeather", office, order="relevance").items[0].record_id == best.id


@pytest.mark.parametrize(
    "kw, field",
    [
        ({"q": "x" * 201}, "q"),
        ({"q": "board", "types": ["spaceships"]}, "type"),
        ({"q": "board", "area": "east"}, "area"),
        ({"q": "board", "date_from": date(2026, 2, 1), "date_to": date(2026, 1, 1)}, "to"),
        ({"q": "board", "order": "random"}, "order"),
    ],
)
def test_bad_input_is_refused(demo, kw, field):
    q = kw.pop("q")
    with pytest.raises(ValidationFailed) as e:
        search.find(q, demo.user("office"), **kw)
    assert field in e.value.errors


def test_an_empty_search_finds_nothing_and_costs_no_query(demo, count_queries):
    office = demo.user("office")
    with count_queries() as counted:
        found = search.find("  ", office)
    assert found.items == [] and set(found.counts.values()) == {0} and counted.count == 0
    assert search.find("!!! ???", office).total == 0  # no words at all


def test_words_are_never_operators(demo):
    office = demo.user("office")
    for q in ['board" OR "x', "board AND NOT", "NEAR(board", "title:board", "board*", "-board", "'); DROP"]:
        search.find(q, office)  # no error from the full-text syntax


def test_the_reindex_command_rebuilds_the_index(app, demo):
    t = SearchEntry.__table__
    before = db.session.scalar(sa.select(sa.func.count()).select_from(t))
    db.session.execute(sa.delete(t))
    db.session.execute(sa.update(Person.__table__).values(job_title="Zebracorn officer").where(Person.id == 1))
    result = app.test_cli_runner().invoke(args=["search", "reindex"])
    assert result.exit_code == 0, result.output
    assert f"Indexed {before} records." in result.output
    assert search.find("zebracorn", demo.user("office")).counts["people"] == 1
    one = app.test_cli_runner().invoke(args=["search", "reindex", "--kind", "people"])
    assert one.exit_code == 0 and "People:" in one.output and "Meetings" not in one.output
    assert app.test_cli_runner().invoke(args=["search", "reindex", "--kind", "spaceships"]).exit_code == 2


def test_the_subject_access_search_can_call_find_outside_a_request(app, demo):
    with app.app_context():
        found = search.find("board", demo.user("office"), per_page=5)
    assert len(found.items) == 5 and all(r.url.startswith("/") for r in found.items)


def test_only_searchers_search(demo):
    with pytest.raises(Forbidden):
        search.find("board", demo.user("admin"))
