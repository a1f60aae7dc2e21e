"""Learning from reviews (domain.md, "Learning from reviews"): findings recorded apart
from recommendations, tagged with the national taxonomies, from any source — a SAR, an
LCSPR or a rapid review (the `reviews` table), another learning review the office enters
(a learning-together review, a domestic abuse related death review run jointly) or a
multi-agency audit — and recommendations followed to impact through re-audits.

Need-to-know: a finding's `statement` is case content (seen by whoever may see its
source); `public_statement` is the anonymised text everyone with the library sees.

Full-text search reads `search_public` (the public statement, keywords and tag labels)
and `search_full` (those and the statement), which the service writes. The indexes on
them are managed by hand in the migration (names starting `findings_fts`): on SQLite an
FTS5 table over those columns kept in step by triggers, on PostgreSQL GIN indexes on
their English tsvectors."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from safeguarding.models.base import Base, TimestampMixin, VersionedMixin, str_enum
from safeguarding.models.enums import Area, Arm
from safeguarding.models.people import Organisation

# --- the national taxonomies (domain.md) ---------------------------------------------------------

# Adults: the type of abuse or neglect (Care and support statutory guidance, the national
# analyses of SARs).
ABUSE_TYPES: dict[str, str] = {
    "self_neglect": "Self-neglect",
    "neglect": "Neglect or acts of omission",
    "domestic_abuse": "Domestic abuse",
    "physical": "Physical abuse",
    "financial": "Financial or material abuse",
    "sexual": "Sexual abuse",
    "psychological": "Psychological abuse",
    "organisational": "Organisational abuse",
    "discriminatory": "Discriminatory abuse",
    "modern_slavery": "Modern slavery",
}
# Adults: the domain of practice (the national analyses' five domains).
PRACTICE_DOMAINS: dict[str, str] = {
    "direct_practice": "Direct practice with the individual",
    "team_around_person": "The team around the person",
    "organisational_features": "Organisational features",
    "board_governance": "Board governance",
    "national_context": "National legal and policy context",
}
# Children: the national Child Safeguarding Practice Review Panel's practice themes.
PANEL_THEMES: dict[str, str] = {
    "information_sharing": "Multi-agency information sharing",
    "risk_assessment": "Risk assessment and decision making",
    "voice_of_child": "Hearing the voice of the child",
    "critical_thinking": "Critical thinking and challenge",
    "daily_life": "Understanding what the child's daily life is like",
    "family_context": "Working with families: capacity to change",
    "child_protection_processes": "Child protection processes",
    "domestic_abuse_children": "Responding to domestic abuse",
    "extra_familial_harm": "Extra-familial harm",
    "safeguarding_infants": "Safeguarding infants and safer sleep",
}


class Taxonomy(StrEnum):
    abuse = "abuse"
    domain = "domain"
    panel = "panel"

    @property
    def label(self) -> str:
        return {
            "abuse": "Type of abuse or neglect",
            "domain": "Domain of practice",
            "panel": "Panel theme",
        }[self.value]

    @property
    def terms(self) -> dict[str, str]:
        return {"abuse": ABUSE_TYPES, "domain": PRACTICE_DOMAINS, "panel": PANEL_THEMES}[self.value]


# Every code is unique across the taxonomies, so a tag's code alone names it.
TAG_TAXONOMY: dict[str, Taxonomy] = {code: t for t in Taxonomy for code in t.terms}
TAG_LABELS: dict[str, str] = {code: label for t in Taxonomy for code, label in t.terms.items()}
# "Themes" (the library's `theme=` filter and recurrence): abuse types and Panel themes;
# `domain=` filters on the domain of practice.
THEMES: dict[str, str] = {**ABUSE_TYPES, **PANEL_THEMES}


class SourceKind(StrEnum):
    sar = "sar"
    lcspr = "lcspr"
    rapid_review = "rapid_review"
    learning_review = "learning_review"
    audit = "audit"

    @property
    def label(self) -> str:
        return {
            "sar": "Safeguarding Adults Review",
            "lcspr": "Local child safeguarding practice review",
            "rapid_review": "Rapid review",
            "learning_review": "Learning review",
            "audit": "Multi-agency audit",
        }[self.value]

    @property
    def short(self) -> str:
        return {
            "sar": "SAR",
            "lcspr": "LCSPR",
            "rapid_review": "Rapid review",
            "learning_review": "Learning review",
            "audit": "Audit",
        }[self.value]


class LearningReviewKind(StrEnum):
    learning_together = "learning_together"
    dardr = "dardr"
    other = "other"

    @property
    def label(self) -> str:
        return {
            "learning_together": "Learning-together review",
            "dardr": "Domestic abuse related death review",
            "other": "Other learning review",
        }[self.value]


class LearningReview(VersionedMixin, TimestampMixin, Base):
    """A learning review the office enters that is not a SAR or CSPR. No names: a
    reference and a title that does not identify anyone."""

    __tablename__ = "learning_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(sa.String(40), unique=True)
    kind: Mapped[LearningReviewKind] = mapped_column(str_enum(LearningReviewKind, name="learning_review_kind"))
    title: Mapped[str] = mapped_column(sa.String(200))
    arm: Mapped[Arm] = mapped_column(str_enum(Arm))
    area: Mapped[Area] = mapped_column(str_enum(Area))
    # Its group's members need to know (as for a case review); none: the office and chair.
    group_id: Mapped[int | None] = mapped_column(sa.ForeignKey("groups.id"), index=True)
    concluded_on: Mapped[date]
    summary: Mapped[str | None] = mapped_column(sa.Text)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))


class MultiAgencyAudit(VersionedMixin, TimestampMixin, Base):
    """A multi-agency audit (the Quality and Performance sub-group's work): its topic, the
    cases audited and their grades (`{"good": 3, "requires_improvement": 2, ...}`)."""

    __tablename__ = "multi_agency_audits"
    # One audit per planned item (a unique index: it is added to a table others refer to).
    __table_args__ = (sa.Index("uq_multi_agency_audits_work_plan_item_id", "work_plan_item_id", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(sa.String(40), unique=True)
    topic: Mapped[str] = mapped_column(sa.String(200))
    arm: Mapped[Arm] = mapped_column(str_enum(Arm))
    area: Mapped[Area] = mapped_column(str_enum(Area))
    group_id: Mapped[int | None] = mapped_column(sa.ForeignKey("groups.id"), index=True)
    audited_on: Mapped[date]
    # The planned audit of a sub-group's work plan (the audit programme) it carries out.
    work_plan_item_id: Mapped[int | None] = mapped_column(sa.ForeignKey("work_plan_items.id"))
    cases_audited: Mapped[int] = mapped_column(default=0)
    grades: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    summary: Mapped[str | None] = mapped_column(sa.Text)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))


class Finding(VersionedMixin, TimestampMixin, Base):
    __tablename__ = "findings"
    __table_args__ = (
        sa.CheckConstraint(
            "(CASE WHEN review_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN learning_review_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN audit_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="one_source",
        ),
        sa.Index("ix_findings_found_on_id", "found_on", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_kind: Mapped[SourceKind] = mapped_column(str_enum(SourceKind, name="finding_source_kind"))
    review_id: Mapped[int | None] = mapped_column(sa.ForeignKey("reviews.id"), index=True)
    learning_review_id: Mapped[int | None] = mapped_column(sa.ForeignKey("learning_reviews.id"), index=True)
    audit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("multi_agency_audits.id"), index=True)
    # "review:12", "learning_review:3", "audit:4": one source, for recurrence counts.
    source_key: Mapped[str] = mapped_column(sa.String(50), index=True)
    # Copied from the source so the library filters without joining three tables.
    source_reference: Mapped[str] = mapped_column(sa.String(40))
    arm: Mapped[Arm] = mapped_column(str_enum(Arm), index=True)
    area: Mapped[Area] = mapped_column(str_enum(Area))
    # When the learning was found (the report, rapid review or audit); the library's
    # `from`/`to` and the recurrence years read it.
    found_on: Mapped[date]
    statement: Mapped[str] = mapped_column(sa.Text)
    public_statement: Mapped[str] = mapped_column(sa.Text)
    keywords: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    search_public: Mapped[str] = mapped_column(sa.Text, default="")
    search_full: Mapped[str] = mapped_column(sa.Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    tags: Mapped[list[FindingTag]] = relationship(lazy="raise", order_by="FindingTag.id")
    agencies: Mapped[list[FindingAgency]] = relationship(lazy="raise", order_by="FindingAgency.id")

    @property
    def source_id(self) -> int:
        return self.review_id or self.learning_review_id or self.audit_id or 0


class FindingTag(Base):
    __tablename__ = "finding_tags"
    __table_args__ = (
        sa.UniqueConstraint("finding_id", "code"),
        sa.Index("ix_finding_tags_code_finding", "code", "finding_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    finding_id: Mapped[int] = mapped_column(sa.ForeignKey("findings.id"))
    taxonomy: Mapped[Taxonomy] = mapped_column(str_enum(Taxonomy, name="finding_taxonomy"))
    code: Mapped[str] = mapped_column(sa.String(40))

    @property
    def label(self) -> str:
        return TAG_LABELS.get(self.code, self.code)


class FindingAgency(Base):
    __tablename__ = "finding_agencies"
    __table_args__ = (sa.UniqueConstraint("finding_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    finding_id: Mapped[int] = mapped_column(sa.ForeignKey("findings.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)

    organisation: Mapped[Organisation] = relationship(lazy="joined")


class RecommendationFinding(Base):
    """A recommendation answers these findings (existing recommendations keep none)."""

    __tablename__ = "recommendation_findings"
    __table_args__ = (sa.UniqueConstraint("recommendation_id", "finding_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(sa.ForeignKey("review_recommendations.id"), index=True)
    finding_id: Mapped[int] = mapped_column(sa.ForeignKey("findings.id"), index=True)


class ImpactRating(StrEnum):
    none = "none"
    some = "some"
    clear = "clear"

    @property
    def label(self) -> str:
        return {"none": "No evidence of impact", "some": "Some impact", "clear": "Clear impact"}[self.value]

    @property
    def embeds(self) -> bool:
        return self is not ImpactRating.none


class ReauditState(StrEnum):
    scheduled = "scheduled"
    completed = "completed"

    @property
    def label(self) -> str:
        return {"scheduled": "Scheduled", "completed": "Completed"}[self.value]


class Reaudit(VersionedMixin, TimestampMixin, Base):
    """A re-audit of a recommendation whose actions are all complete: due 6–12 months
    later (default 6), then what was checked and the impact rating with its evidence.
    One per recommendation and due date (the daily job schedules it once)."""

    __tablename__ = "reaudits"
    __table_args__ = (
        sa.UniqueConstraint("recommendation_id", "due_on"),
        sa.CheckConstraint("state <> 'completed' OR rating IS NOT NULL", name="rated_when_completed"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(sa.ForeignKey("review_recommendations.id"), index=True)
    state: Mapped[ReauditState] = mapped_column(str_enum(ReauditState, name="reaudit_state"))
    scheduled_on: Mapped[date]
    due_on: Mapped[date] = mapped_column(index=True)
    reminded_on: Mapped[date | None]
    completed_on: Mapped[date | None]
    checked: Mapped[str | None] = mapped_column(sa.Text)
    rating: Mapped[ImpactRating | None] = mapped_column(str_enum(ImpactRating, name="impact_rating"))
    evidence: Mapped[str | None] = mapped_column(sa.Text)
    completed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
