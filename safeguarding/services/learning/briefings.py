"""Learning briefings ("7-minute briefings"): a draft generated from a source's public
findings and recommendations (never a finding's statement or a review's summary, which
are case content), edited by the business office, published once, and its dissemination
confirmed per partner organisation.

Need-to-know: a draft is seen by the office, the independent chair and the members of the
source's group (its sub-group); a published briefing by every role that uses the library
(viewers and safeguarding partners included; never the administrator)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa

from safeguarding.calendar import today
from safeguarding.extensions import db
from safeguarding.models import (
    BRIEFING_SECTIONS,
    BriefingConfirmation,
    BriefingState,
    Finding,
    FindingTag,
    LearningBriefing,
    LearningReview,
    MultiAgencyAudit,
    Organisation,
    Review,
    ReviewRecommendation,
    Role,
)
from safeguarding.models.enums import PartnershipState
from safeguarding.models.learning import TAG_LABELS
from safeguarding.services.errors import Conflict, Forbidden, NotFound, StaleVersion, ValidationFailed
from safeguarding.services.learning.briefing_text import draft_sections
from safeguarding.services.learning.findings import Source
from safeguarding.services.reviews.queries import _group_ids, sees_everything
from safeguarding.validation import date_problem

# One A4 page: a briefing's text is measured in printed lines (a paragraph takes a line
# per CHARS_PER_LINE characters, at least one) and bounded (tests/library/
# test_briefings.py renders the longest allowed briefings and counts their pages).
MAX_TITLE = 120
MAX_SECTION = 2000
CHARS_PER_LINE = 85
PAGE_LINES = 30
MAX_HOW_SHARED = 500
GENERATED_LINES = 9  # per long section: the generated draft fits the page (5 + 9 + 9 + 5 + 2)
REQUIRED_TO_PUBLISH = ("background", "what_happened", "learning", "what_to_do")
SOURCE_TYPES = ("review", "learning_review", "audit")
# Organisations asked to share a briefing: the partnership's current partners.
SHARING_STATES = (PartnershipState.active, PartnershipState.leaving)


def _require_office(user: Any, what: str = "write learning briefings") -> None:
    if user is None or not user.has_role(Role.business_office):
        raise Forbidden(f"Only the business office can {what}")


# --- need to know ---------------------------------------------------------------------------------


def visible(user: Any) -> sa.ColumnElement[bool]:
    """The briefings `user` may see: all for the office and the chair; published ones and
    the drafts of their groups' sources for members; published ones for the others."""
    if sees_everything(user):
        return sa.true()
    published = LearningBriefing.state == BriefingState.published
    groups = _group_ids(user)
    return sa.or_(published, LearningBriefing.group_id.in_(groups)) if groups else published


def get_briefing(briefing_id: int, user: Any) -> LearningBriefing:
    row = db.session.scalar(sa.select(LearningBriefing).where(LearningBriefing.id == briefing_id, visible(user)))
    if row is None:
        raise NotFound("Briefing not found")
    return row


@dataclass
class BriefingRow:
    briefing: LearningBriefing
    confirmed: int


def list_briefings(
    user: Any, *, state: str | None = None, page: int = 1, per_page: int = 50
) -> tuple[list[BriefingRow], int]:
    """The briefings the user may see, newest first, with each one's confirmations
    counted (two queries)."""
    where = [visible(user)]
    if state in {s.value for s in BriefingState}:
        where.append(LearningBriefing.state == BriefingState(state))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(LearningBriefing).where(*where)) or 0
    confirmed = (
        sa.select(sa.func.count())
        .where(BriefingConfirmation.briefing_id == LearningBriefing.id)
        .correlate(LearningBriefing)
        .scalar_subquery()
    )
    rows = db.session.execute(
        sa.select(LearningBriefing, confirmed)
        .where(*where)
        .order_by(
            LearningBriefing.published_on.desc().nulls_first(), LearningBriefing.created_at.desc(), LearningBriefing.id
        )
        .limit(per_page)
        .offset((max(page, 1) - 1) * per_page)
    ).all()
    return [BriefingRow(b, n) for b, n in rows], total


# --- the source ------------------------------------------------------------------------------------


def load_source(kind: str, source_id: int | None) -> Source:
    """The source a briefing is generated from: a case review, a learning review or an
    audit (the office sees every one)."""
    model = {"review": Review, "learning_review": LearningReview, "audit": MultiAgencyAudit}.get(kind)
    row = db.session.get(model, source_id) if model is not None and source_id else None
    if row is None:
        raise NotFound("Review, learning review or audit not found")
    return Source(row)


def _source_label(source: Source) -> str:
    row = source.row
    if isinstance(row, Review):
        return row.kind.label
    if isinstance(row, LearningReview):
        return row.kind.label
    return "Multi-agency audit"


def _public_findings(source: Source) -> list[tuple[str, list[str]]]:
    """Each finding's public statement and its tags' labels, in one query."""
    column = getattr(Finding, f"{source.type}_id")
    out: dict[int, tuple[str, list[str]]] = {}
    for fid, public, code in db.session.execute(
        sa.select(Finding.id, Finding.public_statement, FindingTag.code)
        .outerjoin(FindingTag, FindingTag.finding_id == Finding.id)
        .where(column == source.row.id)
        .order_by(Finding.id, FindingTag.id)
    ).all():
        entry = out.setdefault(fid, (public, []))
        if code:
            entry[1].append(TAG_LABELS.get(code, code))
    return list(out.values())


def _recommendations(source: Source) -> list[str]:
    if not isinstance(source.row, Review):
        return []
    return list(
        db.session.scalars(
            sa.select(ReviewRecommendation.text)
            .where(ReviewRecommendation.review_id == source.row.id)
            .order_by(ReviewRecommendation.number)
        )
    )


def generate_draft(source: Source) -> dict[str, str]:
    """The title and the standard sections, from the source's public findings and
    recommendations; the office edits them before publication."""
    return draft_sections(
        source,
        label=_source_label(source),
        findings=_public_findings(source),
        recommendations=_recommendations(source),
        lines=GENERATED_LINES,
    )


def page_lines(values: dict[str, str]) -> int:
    """The printed lines of a briefing's sections (each line of text a paragraph)."""
    return sum(
        max(1, -(-len(line) // CHARS_PER_LINE))
        for name, _ in BRIEFING_SECTIONS
        for line in (values.get(name) or "").splitlines()
        if line.strip()
    )


# --- input ------------------------------------------------------------------------------------------


def _clean(values: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    out: dict[str, str] = {}
    errors: dict[str, str] = {}
    title = " ".join(str(values.get("title") or "").split())
    if not title:
        errors["title"] = "Enter the briefing's title (no names)"
    elif len(title) > MAX_TITLE:
        errors["title"] = f"The title must be {MAX_TITLE} characters or fewer"
    out["title"] = title
    for name, heading in BRIEFING_SECTIONS:
        text = "\n".join(line.strip() for line in str(values.get(name) or "").splitlines() if line.strip())
        if len(text) > MAX_SECTION:
            errors[name] = f"{heading} must be {MAX_SECTION} characters or fewer (the briefing is one page)"
        out[name] = text
    lines = page_lines(out)
    if lines > PAGE_LINES and not errors:
        longest = max((name for name, _ in BRIEFING_SECTIONS), key=lambda n: len(out[n]))
        errors[longest] = (
            f"The briefing is too long for one page: shorten it by about {lines - PAGE_LINES} "
            f"lines of {CHARS_PER_LINE} characters"
        )
    return out, errors


# --- commands ---------------------------------------------------------------------------------------


def create_briefing(source: Source, user: Any, **values: Any) -> LearningBriefing:
    """A draft briefing of `source` (the office)."""
    _require_office(user)
    clean, errors = _clean(values)
    if errors:
        raise ValidationFailed(errors=errors)
    row = LearningBriefing(
        source_reference=source.reference,
        source_label=_source_label(source),
        group_id=source.row.group_id,
        arm=source.arm,
        state=BriefingState.draft,
        created_by_id=user.id,
        **{f"{source.type}_id": source.row.id},
        **clean,
    )
    db.session.add(row)
    db.session.flush()
    return row


def _check_version(row: LearningBriefing, version: int | None) -> None:
    if version is None or version != row.version:
        raise StaleVersion()


def update_briefing(row: LearningBriefing, user: Any, *, version: int | None, **values: Any) -> LearningBriefing:
    """Edit a draft (the office); a published briefing is not edited, a stale version is
    refused. Fields left out keep their values."""
    _require_office(user)
    _check_version(row, version)
    if row.state is not BriefingState.draft:
        raise Conflict("A published briefing cannot be changed")
    current = {"title": row.title, **{name: getattr(row, name) for name, _ in BRIEFING_SECTIONS}}
    current.update({k: v for k, v in values.items() if k in current and v is not None})
    clean, errors = _clean(current)
    if errors:
        raise ValidationFailed(errors=errors)
    for key, value in clean.items():
        setattr(row, key, value)
    db.session.flush()
    return row


def publish_briefing(row: LearningBriefing, user: Any, *, version: int | None) -> LearningBriefing:
    """Publish a draft (the office), dated today; once only."""
    _require_office(user)
    _check_version(row, version)
    if row.state is BriefingState.published:
        raise Conflict(f"This briefing was already published on {row.published_on:%d %B %Y}")
    missing = {
        name: f"Write the section {heading!r} before publishing"
        for name, heading in BRIEFING_SECTIONS
        if name in REQUIRED_TO_PUBLISH and not (getattr(row, name) or "").strip()
    }
    if missing:
        raise ValidationFailed(errors=missing)
    row.state = BriefingState.published
    row.published_on = today()
    row.published_by_id = user.id
    db.session.flush()
    return row


def sharing_organisations() -> list[Organisation]:
    return list(
        db.session.scalars(
            sa.select(Organisation).where(Organisation.state.in_(SHARING_STATES)).order_by(Organisation.name)
        )
    )


def confirm_sharing(
    row: LearningBriefing,
    user: Any,
    *,
    organisation_id: int | None,
    confirmed_on: date | None,
    how_shared: str | None,
) -> BriefingConfirmation:
    """Record that an organisation shared a published briefing: a partner member for
    their own organisation, the office for any; once per organisation."""
    office = user is not None and user.has_role(Role.business_office)
    if not office:
        if not (user is not None and user.has_role(Role.partner_member, Role.subgroup_chair) and user.organisation_id):
            raise Forbidden("Only a partner member or the business office can confirm a briefing was shared")
        if organisation_id is None:
            organisation_id = user.organisation_id
        if organisation_id != user.organisation_id:
            raise Forbidden("You can confirm sharing for your own organisation only")
    if row.state is not BriefingState.published:
        raise Conflict("Only a published briefing can be shared")
    errors: dict[str, str] = {}
    org = db.session.get(Organisation, organisation_id) if organisation_id else None
    if org is None or org.state not in SHARING_STATES:
        errors["organisation_id"] = "Select a partner organisation from the list"
    text = (how_shared or "").strip()
    if not text:
        errors["how_shared"] = "Enter how the briefing was shared (for example team meetings, a staff bulletin)"
    elif len(text) > MAX_HOW_SHARED:
        errors["how_shared"] = f"This must be {MAX_HOW_SHARED} characters or fewer"
    if confirmed_on is None:
        errors["confirmed_on"] = "Enter the date the briefing was shared"
    elif problem := date_problem(confirmed_on):
        errors["confirmed_on"] = f"The date {problem}"
    elif confirmed_on > today():
        errors["confirmed_on"] = "The date the briefing was shared must be today or in the past"
    elif row.published_on and confirmed_on < row.published_on:
        errors["confirmed_on"] = "The date the briefing was shared must be on or after the date it was published"
    if errors:
        raise ValidationFailed(errors=errors)
    taken = db.session.scalar(
        sa.select(BriefingConfirmation.id).where(
            BriefingConfirmation.briefing_id == row.id, BriefingConfirmation.organisation_id == organisation_id
        )
    )
    if taken:
        raise Conflict(f"{org.name} has already confirmed it shared this briefing")  # type: ignore[union-attr]
    confirmation = BriefingConfirmation(
        briefing_id=row.id,
        organisation_id=organisation_id,
        confirmed_on=confirmed_on,
        how_shared=text,
        confirmed_by_id=user.id,
        by_office=office,
    )
    db.session.add(confirmation)
    db.session.flush()
    return confirmation


# --- reading -----------------------------------------------------------------------------------------


def confirmations(row: LearningBriefing) -> list[BriefingConfirmation]:
    return list(
        db.session.scalars(
            sa.select(BriefingConfirmation)
            .where(BriefingConfirmation.briefing_id == row.id)
            .order_by(BriefingConfirmation.confirmed_on, BriefingConfirmation.id)
        )
    )


def dissemination(row: LearningBriefing) -> list[tuple[Organisation, BriefingConfirmation | None]]:
    """Each partner organisation, confirmed or not (and any organisation that confirmed
    before it left), in two queries."""
    done = {c.organisation_id: c for c in confirmations(row)}
    orgs = {o.id: o for o in sharing_organisations()}
    for c in done.values():
        orgs.setdefault(c.organisation_id, c.organisation)
    return [(o, done.get(o.id)) for o in sorted(orgs.values(), key=lambda o: o.name)]
