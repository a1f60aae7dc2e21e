"""Findings for the learning library (domain.md, "Learning from reviews"): one row per
finding of a case review (SAR, CSPR), a learning review or a multi-agency audit, named by
its reference (already recorded), tagged with the national taxonomies (the types of abuse
or neglect, the domains of practice, the Panel's themes: by code or label), with the
agencies it concerns and keywords.

A finding matches an existing one by its source and its statement (case, spacing and
punctuation at the ends aside); a changed row updates it through the learning service
the pages use (`record_finding`, `update_finding`), so the same rules hold: a public
statement, a date not in the future, at least one theme, 20 keywords at most."""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa

from safeguarding import validation
from safeguarding.extensions import db
from safeguarding.models import Finding, FindingAgency, FindingTag, LearningReview, MultiAgencyAudit, Review, SourceKind
from safeguarding.models.learning import TAG_LABELS, TAG_TAXONOMY, Taxonomy
from safeguarding.services import learning
from safeguarding.services.errors import ValidationFailed
from safeguarding.services.imports import values
from safeguarding.services.imports.directory import DATE, _find_organisation
from safeguarding.services.imports.engine import CREATED, UNCHANGED, UPDATED, Column, Context, Kind, Row, register

SOURCES: tuple[tuple[Any, str], ...] = (
    (Review, "case review"),
    (LearningReview, "learning review"),
    (MultiAgencyAudit, "multi-agency audit"),
)


def _tag_key(raw: str) -> str:
    return re.sub(r"[\s_\-]+", " ", raw.strip().casefold())


TAGS_BY_KEY: dict[str, str] = {
    **{_tag_key(label): code for code, label in TAG_LABELS.items()},
    **{_tag_key(code): code for code in TAG_TAXONOMY},
}


def _split(value: str | None) -> list[str]:
    return [p.strip() for p in re.split(r"[;\n]", value or "") if p.strip()]


def tags(value: Any) -> list[str] | None:
    """Codes or labels of the national taxonomies, separated by semicolons."""
    raw = values.text(value)
    if raw is None:
        return None
    found: list[str] = []
    unknown: list[str] = []
    for part in _split(raw):
        code = TAGS_BY_KEY.get(_tag_key(part))
        if code is None:
            unknown.append(part)
        elif code not in found:
            found.append(code)
    if unknown:
        names = ", ".join(f"‘{u}’" for u in unknown)
        raise values.CellProblem(
            f"has {names}, not a theme of the national lists: use a type of abuse or neglect, a domain of practice "
            "or a Panel theme (the Columns sheet of the template lists them)"
        )
    return found


def _allowed_tags() -> str:
    return " ".join(f"{t.label}: {', '.join(t.terms)}." for t in Taxonomy)


COLUMNS = (
    Column(
        "source",
        "Source reference",
        "The reference of the case review, learning review or multi-agency audit the finding comes from (already "
        "recorded)",
        "LR 2021/01",
        required=True,
    ),
    Column(
        "source_kind",
        "From",
        "For a CSPR only: rapid_review or lcspr (blank: the review's own stage)",
        "",
        values.choice(SourceKind),
        allowed="rapid_review, lcspr (a CSPR's findings only)",
    ),
    Column(
        "found_on",
        "Found on",
        "When the learning was found (the report, rapid review or audit)",
        "12/05/2021",
        values.a_date,
        True,
        DATE,
    ),
    Column(
        "statement",
        "Finding",
        "The finding as the report states it (case content: seen by those who may see its source)",
        "Hoarding was treated as a lifestyle choice and fire risk was not assessed.",
        required=True,
    ),
    Column(
        "public_statement",
        "Public statement",
        "The finding anonymised, with no names or identifying details (everyone with the library sees it)",
        "Hoarding was treated as a lifestyle choice and fire risk was not assessed.",
        required=True,
    ),
    Column(
        "tags",
        "Themes",
        "The themes of the national analyses, by code or label, separated by semicolons (at least one)",
        "self_neglect; Organisational features",
        tags,
        required=True,
        allowed=_allowed_tags(),
    ),
    Column(
        "agencies",
        "Agencies",
        "The organisations the finding concerns, by name (already recorded), separated by semicolons",
        "County Fire and Rescue Service; North Council",
    ),
    Column("keywords", "Keywords", "Words to find it by, separated by commas", "hoarding, fire risk"),
)


def _statement_key(text: str) -> str:
    return " ".join(validation.name_key(text).split()).strip(" .;:")


def _key(v: dict[str, Any]) -> tuple[Any, ...] | None:
    if not v.get("source") or not v.get("statement"):
        return None
    return (validation.name_key(v["source"]), _statement_key(v["statement"]))


def _source(ctx: Context, reference: str) -> learning.Source:
    cache: dict[str, learning.Source | None] = ctx.cache.setdefault("sources", {})
    key = validation.name_key(reference)
    if key not in cache:
        rows = [
            (row, what)
            for model, what in SOURCES
            for row in db.session.scalars(sa.select(model).where(sa.func.upper(model.reference) == reference.upper()))
        ]
        if len(rows) > 1:
            kinds = " and a ".join(what for _, what in rows)
            raise ValidationFailed(errors={"source": f"‘{reference}’ is the reference of a {kinds}: rename one"})
        cache[key] = learning.Source(rows[0][0]) if rows else None
    if cache[key] is None:
        raise ValidationFailed(
            errors={
                "source": f"There is no case review, learning review or audit with the reference ‘{reference}’: "
                "record it first"
            }
        )
    found = cache[key]
    assert found is not None
    return found


def _agency_ids(ctx: Context, text: str | None) -> list[int]:
    ids = []
    for name in _split(text):
        org = _find_organisation(ctx, name, "agencies")
        assert org is not None
        ids.append(org.id)
    return sorted(set(ids))


def _existing(source: learning.Source, statement: str) -> Finding | None:
    key = _statement_key(statement)
    return next((f for f in learning.findings_of(source) if _statement_key(f.statement) == key), None)


def _same(finding: Finding, v: dict[str, Any], agency_ids: list[int], kind: SourceKind) -> bool:
    recorded_tags = set(db.session.scalars(sa.select(FindingTag.code).where(FindingTag.finding_id == finding.id)))
    recorded_agencies = set(
        db.session.scalars(sa.select(FindingAgency.organisation_id).where(FindingAgency.finding_id == finding.id))
    )
    return (
        finding.public_statement == v["public_statement"]
        and finding.found_on == v["found_on"]
        and recorded_tags == set(v["tags"])
        and recorded_agencies == set(agency_ids)
        and list(finding.keywords) == learning.parse_keywords(v.get("keywords"))
        and finding.source_kind == kind
    )


def _finding_step(row: Row, ctx: Context) -> str:
    v = row.values
    source = _source(ctx, v["source"])
    agency_ids = _agency_ids(ctx, v.get("agencies"))
    given = v.get("source_kind")
    fields = {
        "public_statement": v["public_statement"],
        "found_on": v["found_on"],
        "tags": v["tags"],
        "keywords": v.get("keywords"),
        "agency_ids": agency_ids,
    }
    finding = _existing(source, v["statement"])
    if finding is None:
        learning.record_finding(
            source, ctx.user, statement=v["statement"], source_kind=given.value if given else None, **fields
        )
        return CREATED
    kind = given or finding.source_kind
    if _same(finding, v, agency_ids, kind):
        return UNCHANGED
    # The statement matched as it is recorded: it keeps its recorded wording.
    learning.update_finding(
        finding, ctx.user, version=None, statement=finding.statement, source_kind=kind.value, **fields
    )
    return UPDATED


FINDINGS = register(
    Kind(
        "findings",
        "Findings",
        "Findings of case reviews, learning reviews and multi-agency audits for the learning library, tagged with "
        "the national themes",
        COLUMNS,
        (_finding_step,),
        error_columns={"agency_ids": "agencies"},
        key=_key,
        key_label="the same source and finding",
    )
)
