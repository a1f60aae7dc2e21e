"""The learning library: every finding of every year, searched (SQLite FTS5, PostgreSQL
full text), filtered, counted per theme, and the recurrence of each theme.

Need-to-know holds in the search too: the words of a finding's statement match only for
a user who may read it; everyone else's search reads the public statement, keywords and
tags (`search_public`). Every query is bounded: a page of rows, then one query each for
the total, the facets, the recurrence and the chart, whatever the library's size."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa

from safeguarding.calendar import today
from safeguarding.extensions import db
from safeguarding.models import Area, Arm, Finding, FindingTag, SourceKind
from safeguarding.models.learning import PRACTICE_DOMAINS, TAG_LABELS, THEMES
from safeguarding.services.learning.findings import full_text_visible, tags_and_agencies

PER_PAGE = 25
MAX_QUERY_WORDS = 12
RECURRENCE_YEARS = 5  # "since" defaults to five calendar years back


@dataclass
class LibraryFilters:
    q: str = ""
    theme: str | None = None
    domain: str | None = None
    arm: str | None = None
    area: str | None = None
    source: str | None = None
    from_: date | None = None
    to: date | None = None
    since: int | None = None
    page: int = 1
    per_page: int = PER_PAGE

    def problems(self) -> dict[str, str]:
        """Bad values (a page shows them; the API answers 422)."""
        errors: dict[str, str] = {}
        if self.theme and self.theme not in THEMES:
            errors["theme"] = "Select a theme from the list"
        if self.domain and self.domain not in PRACTICE_DOMAINS:
            errors["domain"] = "Select a domain of practice from the list"
        if self.arm and self.arm not in {a.value for a in Arm}:
            errors["arm"] = "Select adults, children or both"
        if self.area and self.area not in {a.value for a in Area}:
            errors["area"] = "Select North, West or both"
        if self.source and self.source not in {s.value for s in SourceKind}:
            errors["source"] = "Select a kind of source from the list"
        if self.from_ and self.to and self.from_ > self.to:
            errors["to"] = "The end date must be the same as or after the start date"
        if len(self.q) > 200:
            errors["q"] = "Enter 200 characters or fewer"
        return errors

    def since_year(self) -> int:
        return self.since or today().year - RECURRENCE_YEARS


@dataclass
class LibraryRow:
    finding: Finding
    full: bool  # the user may read the statement
    tags: list = field(default_factory=list)
    agencies: list = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.finding.statement if self.full else self.finding.public_statement


@dataclass
class Recurrence:
    code: str
    label: str
    sources: int
    findings: int


@dataclass
class Library:
    rows: list[LibraryRow]
    total: int
    themes: dict[str, int]  # finding counts per theme (and domain of practice) in the filtered set
    arms: dict[str, int]
    recurrence: list[Recurrence]
    since: int
    by_year: dict[int, dict[str, int]]  # year -> theme -> findings


# --- full-text search ----------------------------------------------------------------------------------


# The SQLite FTS5 table (external content: `findings`), written by the migration.
FTS = sa.table("findings_fts", sa.column("rowid"), sa.column("search_public"), sa.column("search_full"))


def words_of(q: str) -> list[str]:
    return re.findall(r"\w+", q or "")[:MAX_QUERY_WORDS]


def _sqlite_match(column: str, q: str) -> sa.Select | None:
    words = words_of(q)
    if not words:
        return None
    # Each word a quoted FTS5 string (no operators from the user); all must match.
    expression = " ".join('"' + w.replace('"', "") + '"' for w in words)
    return sa.select(FTS.c.rowid).where(FTS.c[column].op("MATCH")(expression))


def _matches(column: sa.ColumnElement[str], name: str, q: str) -> sa.ColumnElement[bool] | None:
    """`column` matches the words of `q`, in the database's own full-text search."""
    if db.engine.dialect.name == "postgresql":
        if not words_of(q):
            return None
        english = sa.literal_column("'english'::regconfig")
        return sa.func.to_tsvector(english, column).op("@@")(sa.func.websearch_to_tsquery(english, q))
    select = _sqlite_match(name, q)
    return None if select is None else Finding.id.in_(select)


def text_condition(q: str, user: Any) -> sa.ColumnElement[bool] | None:
    public = _matches(Finding.search_public, "search_public", q)
    if public is None:
        return None
    full = _matches(Finding.search_full, "search_full", q)
    assert full is not None
    visible = full_text_visible(user)
    return sa.or_(public, sa.and_(full, visible))


# --- the query -------------------------------------------------------------------------------------------


def _conditions(f: LibraryFilters, user: Any) -> list[sa.ColumnElement[bool]]:
    where: list[sa.ColumnElement[bool]] = []
    if (text := text_condition(f.q, user)) is not None:
        where.append(text)
    for code in (f.theme, f.domain):
        if code:
            where.append(Finding.id.in_(sa.select(FindingTag.finding_id).where(FindingTag.code == code)))
    if f.arm:
        where.append(Finding.arm == Arm(f.arm))
    if f.area:
        where.append(Finding.area == Area(f.area))
    if f.source:
        where.append(Finding.source_kind == SourceKind(f.source))
    if f.from_:
        where.append(Finding.found_on >= f.from_)
    if f.to:
        where.append(Finding.found_on <= f.to)
    return where


def search(f: LibraryFilters, user: Any, *, chart: bool = True) -> Library:
    """A page of the findings `f` selects, their facets and the recurrence; with `chart`,
    the findings per theme per year too (the page's chart; the API has none)."""
    where = _conditions(f, user)
    visible = full_text_visible(user)
    page = max(1, f.page)
    found = db.session.execute(
        sa.select(Finding, visible.label("full"))
        .where(*where)
        .order_by(Finding.found_on.desc(), Finding.id.desc())
        .limit(f.per_page)
        .offset((page - 1) * f.per_page)
    ).all()
    themes, arms = _facets(where)
    tags, agencies = tags_and_agencies([r.Finding.id for r in found])
    rows = [LibraryRow(r.Finding, bool(r.full), tags[r.Finding.id], agencies[r.Finding.id]) for r in found]
    return Library(
        rows=rows,
        total=sum(arms.values()),  # every finding has one arm
        themes=themes,
        arms=arms,
        recurrence=recurrence(f.since_year()),
        since=f.since_year(),
        by_year=by_year() if chart else {},
    )


def _facets(where: list) -> tuple[dict[str, int], dict[str, int]]:
    """The filtered findings' counts per tag (theme, domain of practice) and per arm, in one
    statement that finds them once (a full-text filter is the costly part)."""
    found = sa.select(Finding.id, Finding.arm).where(*where).cte("found").prefix_with("MATERIALIZED")
    rows = db.session.execute(
        sa.union_all(
            sa.select(sa.literal("tag"), FindingTag.code, sa.func.count())
            .where(FindingTag.finding_id.in_(sa.select(found.c.id)))
            .group_by(FindingTag.code),
            sa.select(sa.literal("arm"), found.c.arm, sa.func.count()).group_by(found.c.arm),
        )
    ).all()
    themes = {code: n for what, code, n in rows if what == "tag"}
    arms = {Arm(arm).value: n for what, arm, n in rows if what == "arm"}
    return themes, arms


def recurrence(since: int) -> list[Recurrence]:
    """For each theme: how many sources (reviews, learning reviews, audits) found it
    since 1 January of `since`, and in how many findings — most sources first."""
    rows = db.session.execute(
        sa.select(
            FindingTag.code,
            sa.func.count(sa.distinct(Finding.source_key)),
            sa.func.count(),  # a finding has a tag once (uq_finding_tags_finding_id_code)
        )
        .join(Finding, Finding.id == FindingTag.finding_id)
        .where(Finding.found_on >= date(since, 1, 1), FindingTag.code.in_(list(THEMES)))
        .group_by(FindingTag.code)
    ).all()
    out = [Recurrence(code, TAG_LABELS[code], sources, findings) for code, sources, findings in rows]
    return sorted(out, key=lambda r: (-r.sources, -r.findings, r.label))


def by_year() -> dict[int, dict[str, int]]:
    """Findings per theme per calendar year, all years (one query)."""
    year = sa.extract("year", Finding.found_on)
    rows = db.session.execute(
        sa.select(year, FindingTag.code, sa.func.count())  # a tag once per finding: no DISTINCT to sort
        .join(Finding, Finding.id == FindingTag.finding_id)
        .where(FindingTag.code.in_(list(THEMES)))
        .group_by(year, FindingTag.code)
    ).all()
    out: dict[int, dict[str, int]] = {}
    for y, code, n in rows:
        out.setdefault(int(y), {})[code] = n
    return dict(sorted(out.items()))
