"""Findings: recorded by the office with tags and agencies, refused to others and on bad
input, edited with optimistic locking; need-to-know on a finding's statement (pages, API
and search); full-text search on the database the suite runs on (SQLite FTS5 or
PostgreSQL full text); facets and recurrence counted against the records."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import Finding, FindingAgency, FindingTag, Review, SourceKind
from safeguarding.services import learning
from safeguarding.services.errors import Forbidden, StaleVersion, ValidationFailed

SECRET = "zanzibarquux"  # a word only in the statement
PUBLIC = "pelicanfrobnitz"  # a word only in the public statement


def _record(demo, review_key="closed", **kw):
    review = db.session.get(Review, demo.id("reviews", review_key))
    values = dict(
        statement=f"The carer's {SECRET} visits were missed",
        public_statement=f"Missed visits {PUBLIC} were not escalated",
        found_on=date(2026, 5, 1),
        tags=["self_neglect", "organisational_features"],
        keywords="missed visits, escalation",
        agency_ids=[demo.org("north").id, demo.org("acute").id],
    )
    values.update(kw)
    return learning.record_finding(learning.Source(review), demo.user("office"), **values)


def test_the_office_records_a_finding_with_tags_agencies_and_keywords(demo):
    f = _record(demo)
    assert f.source_kind is SourceKind.sar and f.source_reference.startswith("SAR")
    assert f.keywords == ["missed visits", "escalation"]
    tags = set(db.session.scalars(sa.select(FindingTag.code).where(FindingTag.finding_id == f.id)))
    assert tags == {"self_neglect", "organisational_features"}
    orgs = set(db.session.scalars(sa.select(FindingAgency.organisation_id).where(FindingAgency.finding_id == f.id)))
    assert orgs == {demo.org("north").id, demo.org("acute").id}


def test_a_cspr_finding_comes_from_its_rapid_review_or_the_lcspr(demo):
    rapid = learning.Source(db.session.get(Review, demo.id("reviews", "cspr_rapid")))
    f = learning.record_finding(
        rapid,
        demo.user("office"),
        statement="s",
        public_statement="p",
        found_on=date(2026, 1, 1),
        tags=["voice_of_child"],
        source_kind="lcspr",
    )
    assert f.source_kind is SourceKind.lcspr
    with pytest.raises(ValidationFailed) as e:
        _record(demo, source_kind="rapid_review")  # a SAR has no rapid review
    assert "source_kind" in e.value.errors


@pytest.mark.parametrize("who", ["chair", "police", "sarchair", "viewer"])
def test_only_the_office_records_findings(demo, who):
    review = db.session.get(Review, demo.id("reviews", "closed"))
    with pytest.raises(Forbidden):
        learning.record_finding(
            learning.Source(review),
            demo.user(who),
            statement="s",
            public_statement="p",
            found_on=date(2026, 1, 1),
            tags=["neglect"],
        )


@pytest.mark.parametrize(
    "change, field",
    [
        ({"statement": " "}, "statement"),
        ({"public_statement": ""}, "public_statement"),
        ({"found_on": None}, "found_on"),
        ({"found_on": date(1800, 1, 1)}, "found_on"),
        ({"tags": []}, "tags"),
        ({"tags": ["no_such_theme"]}, "tags"),
        ({"keywords": ",".join(f"k{i}" for i in range(30))}, "keywords"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(demo, change, field):
    before = db.session.scalar(sa.select(sa.func.count()).select_from(Finding))
    with pytest.raises(ValidationFailed) as e:
        _record(demo, **change)
    assert field in e.value.errors
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Finding)) == before


def test_an_unknown_agency_is_refused(demo):
    with pytest.raises(ValidationFailed) as e:
        _record(demo, agency_ids=[999999])
    assert "agencies" in e.value.errors


def test_an_edit_keeps_the_search_in_step_and_refuses_a_stale_version(demo):
    f = _record(demo)
    office = demo.user("office")
    version = f.version
    learning.update_finding(
        f,
        office,
        version=version,
        statement="Rewritten statement",
        public_statement="Rewritten quokkaword",
        found_on=f.found_on,
        tags=["neglect"],
        keywords=[],
        agency_ids=[],
    )
    db.session.flush()
    assert _ids("quokkaword", office) == [f.id]
    assert _ids(PUBLIC, office) == []  # the old words left the index
    assert set(db.session.scalars(sa.select(FindingTag.code).where(FindingTag.finding_id == f.id))) == {"neglect"}
    with pytest.raises(StaleVersion):
        learning.update_finding(
            f,
            office,
            version=version,
            statement="x",
            public_statement="y",
            found_on=f.found_on,
            tags=["neglect"],
        )


def _ids(q, user, **kw):
    lib = learning.search(learning.LibraryFilters(q=q, **kw), user)
    return [r.finding.id for r in lib.rows]


# --- search and need to know ----------------------------------------------------------------------


def test_search_finds_words_of_the_statement_only_for_those_who_may_see_the_source(demo):
    f = _record(demo)
    # The office and the chair see every review; the SAR sub-group's chair sits on its group.
    for who in ("office", "chair", "sarchair"):
        assert _ids(SECRET, demo.user(who)) == [f.id], who
    # A partner not on the SAR sub-group, a viewer, the scrutineer: not a word of it.
    for who in ("north", "viewer", "scrutineer"):
        assert _ids(SECRET, demo.user(who)) == [], who
        rows = learning.search(learning.LibraryFilters(q=PUBLIC), demo.user(who)).rows
        assert [r.finding.id for r in rows] == [f.id]
        assert rows[0].full is False and rows[0].text == f.public_statement


def test_search_stems_words_and_needs_every_word(demo):
    f = _record(demo, public_statement="Escalations of safeguarding concerns were delayed")
    office = demo.user("office")
    assert f.id in _ids("escalation delay", office)  # stemmed: escalations, delayed
    assert f.id not in _ids("escalation hovercraft", office)


def test_search_survives_operators_and_punctuation(demo):
    _record(demo)
    office = demo.user("office")
    for q in ['"', "NOT", "AND OR", "a*", "(", "-", "::", "ß' OR 1=1 --", "NEAR(a b)"]:
        learning.search(learning.LibraryFilters(q=q), office)  # no error


def test_filters_narrow_the_library(demo):
    f = _record(demo, found_on=date(2018, 3, 3))
    office = demo.user("office")
    assert f.id in _ids("", office, theme="self_neglect", arm="adults", from_=date(2018, 1, 1), to=date(2018, 12, 31))
    assert f.id not in _ids("", office, theme="neglect")
    assert f.id not in _ids("", office, domain="board_governance")
    assert f.id not in _ids("", office, arm="children")
    assert f.id not in _ids("", office, from_=date(2019, 1, 1))
    assert f.id not in _ids("", office, source="audit")
    assert f.id in _ids("", office, area=f.area.value)
    other = "west" if f.area.value == "north" else "north"
    assert f.id not in _ids("", office, area=other)


def test_facets_and_recurrence_are_counted_from_the_records(demo):
    office = demo.user("office")
    a = learning.Source(
        learning.record_learning_review(
            office, reference="T-A", kind="dardr", title="A", arm="adults", area="north", concluded_on=date(2022, 5, 1)
        )
    )
    b = learning.Source(
        learning.record_audit(
            office,
            reference="T-B",
            topic="B",
            arm="adults",
            area="west",
            audited_on=date(2024, 5, 1),
            cases_audited=3,
            grades={"good": 3},
        )
    )

    def add(source, on, tags):
        return learning.record_finding(source, office, statement="s", public_statement="p", found_on=on, tags=tags)

    add(a, date(2022, 5, 1), ["modern_slavery", "direct_practice"])
    add(a, date(2022, 5, 1), ["modern_slavery"])
    add(b, date(2024, 5, 1), ["modern_slavery"])
    add(b, date(2019, 5, 1), ["modern_slavery"])  # before 2021
    slavery = {r.code: r for r in learning.recurrence(2021)}["modern_slavery"]
    assert (slavery.sources, slavery.findings) == (2, 3)
    since_2019 = {r.code: r for r in learning.recurrence(2019)}["modern_slavery"]
    assert (since_2019.sources, since_2019.findings) == (2, 4)  # the same two sources

    lib = learning.search(learning.LibraryFilters(theme="modern_slavery"), office)
    assert lib.total == 4 and lib.themes["modern_slavery"] == 4 and lib.themes["direct_practice"] == 1
    assert lib.arms == {"adults": 4}
    assert lib.by_year[2022]["modern_slavery"] == 2 and lib.by_year[2019]["modern_slavery"] == 1


def test_a_page_of_the_library_is_bounded(demo):
    office = demo.user("office")
    lib = learning.search(learning.LibraryFilters(per_page=3), office)
    assert len(lib.rows) == 3 and lib.total >= 10  # the demo's findings
    second = learning.search(learning.LibraryFilters(per_page=3, page=2), office)
    assert not {r.finding.id for r in lib.rows} & {r.finding.id for r in second.rows}
