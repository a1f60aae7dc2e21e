"""Recording findings (the business office) and who may read a finding's statement.

A finding's `statement` is visible to whoever may see its source in full (a review's
need-to-know; for a learning review or an audit, the office, the chair and the members of
its group); everyone else with the library sees the anonymised `public_statement` and
the tags only."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import (
    Finding,
    FindingAgency,
    FindingTag,
    LearningReview,
    MultiAgencyAudit,
    Organisation,
    RecommendationFinding,
    Review,
    ReviewKind,
    ReviewOutcome,
    ReviewRecommendation,
    Role,
    SourceKind,
)
from safeguarding.models.learning import TAG_LABELS, TAG_TAXONOMY
from safeguarding.services import audit
from safeguarding.services.errors import Forbidden, NotFound, StaleVersion, ValidationFailed
from safeguarding.services.reviews.queries import _group_ids, sees_everything
from safeguarding.validation import date_problem

MAX_KEYWORDS = 20
MAX_KEYWORD_LENGTH = 60


@dataclass(frozen=True)
class Source:
    """Where a finding comes from: a case review, a learning review or an audit."""

    row: Review | LearningReview | MultiAgencyAudit

    @property
    def key(self) -> str:
        return f"{self.type}:{self.row.id}"

    @property
    def type(self) -> str:
        if isinstance(self.row, Review):
            return "review"
        return "learning_review" if isinstance(self.row, LearningReview) else "audit"

    @property
    def reference(self) -> str:
        return self.row.reference

    @property
    def arm(self):
        return self.row.arm

    @property
    def area(self):
        return self.row.area

    def kinds(self) -> tuple[SourceKind, ...]:
        """The source kinds a finding of this source may have (a CSPR: its rapid review
        or the LCSPR)."""
        if isinstance(self.row, Review):
            if self.row.kind is ReviewKind.sar:
                return (SourceKind.sar,)
            return (SourceKind.rapid_review, SourceKind.lcspr)
        return (SourceKind.learning_review,) if isinstance(self.row, LearningReview) else (SourceKind.audit,)

    def default_kind(self) -> SourceKind:
        kinds = self.kinds()
        if len(kinds) > 1 and isinstance(self.row, Review) and self.row.decision is ReviewOutcome.lcspr:
            return SourceKind.lcspr
        return kinds[0]


def source_of(finding: Finding) -> Source:
    if finding.review_id:
        return Source(db.session.get(Review, finding.review_id))  # type: ignore[arg-type]
    if finding.learning_review_id:
        return Source(db.session.get(LearningReview, finding.learning_review_id))  # type: ignore[arg-type]
    return Source(db.session.get(MultiAgencyAudit, finding.audit_id))  # type: ignore[arg-type]


# --- need to know ------------------------------------------------------------------------------------


def full_text_visible(user: Any) -> sa.ColumnElement[bool]:
    """The findings whose statement `user` may read: all for the office and the chair;
    those whose source's group the user sits on for partner members; none otherwise."""
    if sees_everything(user):
        return sa.true()
    groups = _group_ids(user)
    if not groups:
        return sa.false()
    return sa.or_(
        Finding.review_id.in_(sa.select(Review.id).where(Review.group_id.in_(groups))),
        Finding.learning_review_id.in_(sa.select(LearningReview.id).where(LearningReview.group_id.in_(groups))),
        Finding.audit_id.in_(sa.select(MultiAgencyAudit.id).where(MultiAgencyAudit.group_id.in_(groups))),
    )


def may_read_statement(finding: Finding, user: Any) -> bool:
    """Whether `user` reads the finding's statement; each such read of one finding is
    recorded in the audit log (case content, like a review's page)."""
    full = sees_everything(user) or bool(
        db.session.scalar(sa.select(Finding.id).where(Finding.id == finding.id, full_text_visible(user)))
    )
    if full:
        audit.record_view("findings", finding.id)
    return full


def _require_office(user: Any) -> None:
    if user is None or not user.has_role(Role.business_office):
        raise Forbidden("Only the business office can record findings")


# --- input --------------------------------------------------------------------------------------------


def parse_keywords(raw: str | list[str] | None) -> list[str]:
    """Comma-separated (a page) or a list (the API): trimmed, duplicates dropped."""
    items = raw if isinstance(raw, list) else re.split(r"[,;\n]", raw or "")
    out: list[str] = []
    for item in items:
        word = " ".join(str(item).split())
        if word and word.casefold() not in {w.casefold() for w in out}:
            out.append(word)
    return out


def _check(
    *, statement: str | None, public_statement: str | None, found_on: date | None, tags: list[str], keywords: list[str]
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not (statement or "").strip():
        errors["statement"] = "Enter the finding"
    if not (public_statement or "").strip():
        errors["public_statement"] = "Enter the public statement (anonymised: no names or identifying details)"
    if found_on is None:
        errors["found_on"] = "Enter the date of the finding"
    elif problem := date_problem(found_on):
        errors["found_on"] = problem
    unknown = [t for t in tags if t not in TAG_TAXONOMY]
    if unknown:
        errors["tags"] = "Select themes from the lists"
    elif not tags:
        errors["tags"] = "Select at least one theme or domain of practice"
    if len(keywords) > MAX_KEYWORDS:
        errors["keywords"] = f"Enter {MAX_KEYWORDS} keywords or fewer"
    elif any(len(k) > MAX_KEYWORD_LENGTH for k in keywords):
        errors["keywords"] = f"Each keyword must be {MAX_KEYWORD_LENGTH} characters or fewer"
    return errors


def _agencies(ids: list[int]) -> list[int]:
    wanted = sorted(set(ids))
    if not wanted:
        return []
    found = set(db.session.scalars(sa.select(Organisation.id).where(Organisation.id.in_(wanted))))
    if found != set(wanted):
        raise ValidationFailed(errors={"agencies": "Select agencies from the list"})
    return wanted


def _search_texts(finding: Finding, tags: list[str]) -> None:
    public = " ".join([finding.public_statement, " ".join(finding.keywords), *(TAG_LABELS[t] for t in tags)])
    finding.search_public = public
    finding.search_full = f"{finding.statement} {public}"


def _set_tags(finding: Finding, tags: list[str]) -> None:
    existing = {t.code: t for t in db.session.scalars(sa.select(FindingTag).where(FindingTag.finding_id == finding.id))}
    for code, row in existing.items():
        if code not in tags:
            db.session.delete(row)
    for code in tags:
        if code not in existing:
            db.session.add(FindingTag(finding_id=finding.id, taxonomy=TAG_TAXONOMY[code], code=code))


def _set_agencies(finding: Finding, ids: list[int]) -> None:
    existing = {
        a.organisation_id: a
        for a in db.session.scalars(sa.select(FindingAgency).where(FindingAgency.finding_id == finding.id))
    }
    for org_id, row in existing.items():
        if org_id not in ids:
            db.session.delete(row)
    for org_id in ids:
        if org_id not in existing:
            db.session.add(FindingAgency(finding_id=finding.id, organisation_id=org_id))


# --- commands -----------------------------------------------------------------------------------------


def record_finding(
    source: Source,
    user: Any,
    *,
    statement: str | None,
    public_statement: str | None,
    found_on: date | None,
    tags: list[str] | None = None,
    keywords: str | list[str] | None = None,
    agency_ids: list[int] | None = None,
    source_kind: str | None = None,
) -> Finding:
    """A finding of `source`, tagged, with the agencies it concerns (the office)."""
    _require_office(user)
    tag_list, words = list(dict.fromkeys(tags or [])), parse_keywords(keywords)
    errors = _check(
        statement=statement, public_statement=public_statement, found_on=found_on, tags=tag_list, keywords=words
    )
    kind = _kind(source, source_kind, errors)
    if errors:
        raise ValidationFailed(errors=errors)
    agencies = _agencies(agency_ids or [])
    finding = Finding(
        source_kind=kind,
        source_key=source.key,
        source_reference=source.reference,
        arm=source.arm,
        area=source.area,
        found_on=found_on,
        statement=(statement or "").strip(),
        public_statement=(public_statement or "").strip(),
        keywords=words,
        recorded_by_id=user.id,
        **{f"{source.type}_id": source.row.id},
    )
    _search_texts(finding, tag_list)
    db.session.add(finding)
    db.session.flush()
    _set_tags(finding, tag_list)
    _set_agencies(finding, agencies)
    db.session.flush()
    return finding


def _kind(source: Source, given: str | None, errors: dict[str, str]) -> SourceKind:
    if not given:
        return source.default_kind()
    try:
        kind = SourceKind(given)
    except ValueError:
        kind = None
    if kind not in source.kinds():
        errors["source_kind"] = "Select whether the finding comes from the rapid review or the LCSPR"
        return source.default_kind()
    return kind


def update_finding(
    finding: Finding,
    user: Any,
    *,
    version: int | None,
    statement: str | None,
    public_statement: str | None,
    found_on: date | None,
    tags: list[str] | None = None,
    keywords: str | list[str] | None = None,
    agency_ids: list[int] | None = None,
    source_kind: str | None = None,
) -> Finding:
    """Edit a finding (the office); a stale version is refused."""
    _require_office(user)
    if version is not None and version != finding.version:
        raise StaleVersion()
    tag_list, words = list(dict.fromkeys(tags or [])), parse_keywords(keywords)
    errors = _check(
        statement=statement, public_statement=public_statement, found_on=found_on, tags=tag_list, keywords=words
    )
    kind = _kind(source_of(finding), source_kind or finding.source_kind.value, errors)
    if errors:
        raise ValidationFailed(errors=errors)
    agencies = _agencies(agency_ids or [])
    finding.source_kind = kind
    finding.statement = (statement or "").strip()
    finding.public_statement = (public_statement or "").strip()
    finding.found_on = found_on  # type: ignore[assignment]
    finding.keywords = words
    _search_texts(finding, tag_list)
    _set_tags(finding, tag_list)
    _set_agencies(finding, agencies)
    db.session.flush()
    return finding


# --- reading -------------------------------------------------------------------------------------------


def get_finding(finding_id: int, user: Any) -> Finding:
    """Any finding (the library is open to the roles that may use it); its statement is
    the caller's to show or not (`may_read_statement`)."""
    finding = db.session.get(Finding, finding_id)
    if finding is None:
        raise NotFound("Finding not found")
    return finding


def tags_and_agencies(ids: list[int]) -> tuple[dict[int, list[FindingTag]], dict[int, list[FindingAgency]]]:
    """Tags and agencies of these findings, in two queries."""
    tags: dict[int, list[FindingTag]] = {i: [] for i in ids}
    agencies: dict[int, list[FindingAgency]] = {i: [] for i in ids}
    if ids:
        for t in db.session.scalars(
            sa.select(FindingTag).where(FindingTag.finding_id.in_(ids)).order_by(FindingTag.id)
        ):
            tags[t.finding_id].append(t)
        for a in db.session.scalars(
            sa.select(FindingAgency).where(FindingAgency.finding_id.in_(ids)).order_by(FindingAgency.id)
        ):
            agencies[a.finding_id].append(a)
    return tags, agencies


def findings_of(source: Source) -> list[Finding]:
    column = getattr(Finding, f"{source.type}_id")
    return list(db.session.scalars(sa.select(Finding).where(column == source.row.id).order_by(Finding.id)))


def findings_with_tags(source: Source) -> list[tuple[Finding, list[FindingTag]]]:
    """A source's findings with their tags, in one query (a review's page)."""
    column = getattr(Finding, f"{source.type}_id")
    out: dict[int, tuple[Finding, list[FindingTag]]] = {}
    for finding, tag in db.session.execute(
        sa.select(Finding, FindingTag)
        .outerjoin(FindingTag, FindingTag.finding_id == Finding.id)
        .where(column == source.row.id)
        .order_by(Finding.id, FindingTag.id)
    ).all():
        entry = out.setdefault(finding.id, (finding, []))
        if tag is not None:
            entry[1].append(tag)
    return list(out.values())


# --- recommendations answer findings ------------------------------------------------------------------


def answered_findings(recommendation_id: int) -> list[int]:
    return list(
        db.session.scalars(
            sa.select(RecommendationFinding.finding_id)
            .where(RecommendationFinding.recommendation_id == recommendation_id)
            .order_by(RecommendationFinding.finding_id)
        )
    )


def link_findings(recommendation: ReviewRecommendation, finding_ids: list[int], user: Any) -> list[int]:
    """The findings of the recommendation's own review that it answers (the office);
    replaces the set given before."""
    _require_office(user)
    wanted = sorted(set(finding_ids))
    if wanted:
        found = set(
            db.session.scalars(
                sa.select(Finding.id).where(Finding.id.in_(wanted), Finding.review_id == recommendation.review_id)
            )
        )
        if found != set(wanted):
            raise ValidationFailed(errors={"finding_ids": "Select findings of this recommendation's review"})
    existing = {
        row.finding_id: row
        for row in db.session.scalars(
            sa.select(RecommendationFinding).where(RecommendationFinding.recommendation_id == recommendation.id)
        )
    }
    for fid, row in existing.items():
        if fid not in wanted:
            db.session.delete(row)
    for fid in wanted:
        if fid not in existing:
            db.session.add(RecommendationFinding(recommendation_id=recommendation.id, finding_id=fid))
    db.session.flush()
    return wanted


def recommendations_answering(finding_id: int) -> list[ReviewRecommendation]:
    return list(
        db.session.scalars(
            sa.select(ReviewRecommendation)
            .join(RecommendationFinding, RecommendationFinding.recommendation_id == ReviewRecommendation.id)
            .where(RecommendationFinding.finding_id == finding_id)
            .order_by(ReviewRecommendation.number)
        )
    )
