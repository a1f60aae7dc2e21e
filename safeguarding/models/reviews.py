"""Case reviews: Safeguarding Adults Reviews (Care Act 2014 s44) and Child Safeguarding
Practice Reviews (Working Together), their named agencies, s45 information requests,
pauses, review events, recommendations and the deadline alerts the daily job records.

Minimal personal data: a case reference, initials, age band, area and the date of death
or serious harm. No names of the adults or children anywhere."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from safeguarding.models.base import Base, TimestampMixin, VersionedMixin, str_enum, utcnow
from safeguarding.models.enums import Area, Arm
from safeguarding.models.files import StoredFile
from safeguarding.models.groups import Group
from safeguarding.models.people import Organisation


class ReviewKind(StrEnum):
    sar = "sar"
    cspr = "cspr"

    @property
    def label(self) -> str:
        return {"sar": "Safeguarding Adults Review", "cspr": "Child Safeguarding Practice Review"}[self.value]

    @property
    def short(self) -> str:
        return {"sar": "SAR", "cspr": "CSPR"}[self.value]

    @property
    def arm(self) -> Arm:
        return Arm.adults if self is ReviewKind.sar else Arm.children


class ReviewState(StrEnum):
    # SAR: referral → screening → information gathering → chair's decision
    referred = "referred"
    screening = "screening"
    information_gathering = "information_gathering"
    # CSPR: serious incident notification → rapid review → chair's decision
    notified = "notified"
    rapid_review = "rapid_review"
    awaiting_decision = "awaiting_decision"
    commissioned = "commissioned"
    not_commissioned = "not_commissioned"
    lcspr_commissioned = "lcspr_commissioned"
    no_lcspr = "no_lcspr"
    # Both, once commissioned
    in_review = "in_review"
    paused = "paused"
    draft_report = "draft_report"
    signed_off = "signed_off"
    published = "published"
    action_monitoring = "action_monitoring"
    closed = "closed"
    # CSPR: the national Panel took the case as a national review; the local route closes.
    national_review = "national_review"

    @property
    def label(self) -> str:
        return {
            "referred": "Referred",
            "screening": "Screening",
            "information_gathering": "Information gathering",
            "notified": "Notified",
            "rapid_review": "Rapid review",
            "awaiting_decision": "Awaiting decision",
            "commissioned": "Commissioned",
            "not_commissioned": "Not commissioned",
            "lcspr_commissioned": "LCSPR commissioned",
            "no_lcspr": "No LCSPR",
            "in_review": "In review",
            "paused": "Paused",
            "draft_report": "Draft report",
            "signed_off": "Signed off",
            "published": "Publication decided",
            "action_monitoring": "Action monitoring",
            "closed": "Closed",
            "national_review": "National review",
        }[self.value]


# States in which a review is finished with.
CLOSED_STATES = (ReviewState.not_commissioned, ReviewState.no_lcspr, ReviewState.closed, ReviewState.national_review)
OPEN_STATES = tuple(s for s in ReviewState if s not in CLOSED_STATES)
SAR_STATES = (
    ReviewState.referred,
    ReviewState.screening,
    ReviewState.information_gathering,
    ReviewState.awaiting_decision,
    ReviewState.commissioned,
    ReviewState.not_commissioned,
    ReviewState.in_review,
    ReviewState.paused,
    ReviewState.draft_report,
    ReviewState.signed_off,
    ReviewState.published,
    ReviewState.action_monitoring,
    ReviewState.closed,
)
CSPR_STATES = (
    ReviewState.notified,
    ReviewState.rapid_review,
    ReviewState.awaiting_decision,
    ReviewState.lcspr_commissioned,
    ReviewState.no_lcspr,
    ReviewState.in_review,
    ReviewState.paused,
    ReviewState.draft_report,
    ReviewState.signed_off,
    ReviewState.published,
    ReviewState.action_monitoring,
    ReviewState.closed,
    ReviewState.national_review,
)


class AgeBand(StrEnum):
    under_1 = "under_1"
    age_1_4 = "1_4"
    age_5_10 = "5_10"
    age_11_15 = "11_15"
    age_16_17 = "16_17"
    age_18_24 = "18_24"
    age_25_44 = "25_44"
    age_45_64 = "45_64"
    age_65_74 = "65_74"
    age_75_84 = "75_84"
    age_85_plus = "85_plus"

    @property
    def label(self) -> str:
        if self is AgeBand.under_1:
            return "Under 1"
        if self is AgeBand.age_85_plus:
            return "85 or over"
        low, high = self.value.split("_")
        return f"{low} to {high}"

    @property
    def adult(self) -> bool:
        return self.value not in ("under_1", "1_4", "5_10", "11_15", "16_17")


class IncidentKind(StrEnum):
    """A serious incident notification: the child died, or was seriously harmed."""

    death = "death"
    serious_harm = "serious_harm"

    @property
    def label(self) -> str:
        return {"death": "The child died", "serious_harm": "The child was seriously harmed"}[self.value]


class AbuseOrNeglect(StrEnum):
    """Whether abuse or neglect is known or suspected. A looked-after child's death is
    notified whether or not it is (Working Together), hence `not_suspected`."""

    known = "known"
    suspected = "suspected"
    not_suspected = "not_suspected"

    @property
    def label(self) -> str:
        return {
            "known": "Abuse or neglect is known",
            "suspected": "Abuse or neglect is suspected",
            "not_suspected": "Abuse or neglect is not known or suspected",
        }[self.value]


class PanelOutcome(StrEnum):
    """The national Panel's response to a rapid review."""

    agrees = "agrees"
    disagrees = "disagrees"
    national_review = "national_review"

    @property
    def label(self) -> str:
        return {
            "agrees": "The Panel agrees with the rapid review",
            "disagrees": "The Panel disagrees",
            "national_review": "The Panel takes the case as a national review",
        }[self.value]


class ScreeningOutcome(StrEnum):
    mandatory = "mandatory"
    discretionary = "discretionary"
    criteria_not_met = "criteria_not_met"

    @property
    def label(self) -> str:
        return {
            "mandatory": "Mandatory (s44(1)–(3))",
            "discretionary": "Discretionary (s44(4))",
            "criteria_not_met": "Criteria not met",
        }[self.value]


class ReviewOutcome(StrEnum):
    """A sub-group's recommendation and the chair's decision."""

    mandatory = "mandatory"
    discretionary = "discretionary"
    lcspr = "lcspr"
    not_commissioned = "not_commissioned"

    @property
    def label(self) -> str:
        return {
            "mandatory": "Commission a mandatory SAR",
            "discretionary": "Commission a discretionary SAR",
            "lcspr": "Commission a local child safeguarding practice review",
            "not_commissioned": "Do not commission a review",
        }[self.value]

    @property
    def commissions(self) -> bool:
        return self is not ReviewOutcome.not_commissioned


class Methodology(StrEnum):
    learning_together = "learning_together"
    rapid_time = "rapid_time"
    thematic = "thematic"
    silp = "silp"
    traditional = "traditional"
    other = "other"

    @property
    def label(self) -> str:
        return {
            "learning_together": "Learning together (systems review)",
            "rapid_time": "Rapid-time review",
            "thematic": "Thematic review",
            "silp": "Significant incident learning process (SILP)",
            "traditional": "Chronology and individual management reviews",
            "other": "Other",
        }[self.value]


class ParallelProcess(StrEnum):
    criminal_trial = "criminal_trial"
    inquest = "inquest"
    police_investigation = "police_investigation"
    domestic_homicide_review = "domestic_homicide_review"
    other = "other"

    @property
    def label(self) -> str:
        return {
            "criminal_trial": "Criminal trial",
            "inquest": "Inquest",
            "police_investigation": "Police investigation",
            "domestic_homicide_review": "Domestic homicide review",
            "other": "Other proceedings",
        }[self.value]


class ReviewEventKind(StrEnum):
    panel_meeting = "panel_meeting"
    practitioner_event = "practitioner_event"
    family_involvement = "family_involvement"
    other = "other"

    @property
    def label(self) -> str:
        return {
            "panel_meeting": "Panel meeting",
            "practitioner_event": "Practitioner event",
            "family_involvement": "Family involvement",
            "other": "Other",
        }[self.value]


class DeadlineKind(StrEnum):
    notify_panel = "notify_panel"
    tell_partners = "tell_partners"
    rapid_review = "rapid_review"
    report = "report"

    @property
    def label(self) -> str:
        return {
            "notify_panel": "Notify the national panel",
            "tell_partners": "Tell the safeguarding partners",
            "rapid_review": "Rapid review to the national panel",
            "report": "Final report",
        }[self.value]


class AlertKind(StrEnum):
    warning = "warning"
    breach = "breach"


class Review(VersionedMixin, TimestampMixin, Base):
    __tablename__ = "reviews"
    __table_args__ = (
        sa.UniqueConstraint("kind", "year", "sequence"),
        sa.Index("ix_reviews_state_kind", "state", "kind"),
        sa.CheckConstraint("initials <> ''", name="initials_given"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ReviewKind] = mapped_column(str_enum(ReviewKind, name="review_kind"))
    year: Mapped[int]
    sequence: Mapped[int]
    reference: Mapped[str] = mapped_column(sa.String(20), unique=True)
    state: Mapped[ReviewState] = mapped_column(str_enum(ReviewState, name="review_state"))
    # The sub-group that screens, recommends and quality-checks: its members need to know.
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("groups.id"), index=True)
    area: Mapped[Area] = mapped_column(str_enum(Area))

    # Minimal personal data.
    initials: Mapped[str] = mapped_column(sa.String(10))
    age_band: Mapped[AgeBand] = mapped_column(str_enum(AgeBand, name="age_band"))
    harm_date: Mapped[date | None]  # date of death or serious harm
    summary: Mapped[str] = mapped_column(sa.Text)  # what happened (no names)

    # Referral (SAR) or serious incident (CSPR: the date the local authority became aware).
    received_on: Mapped[date] = mapped_column(index=True)
    referral_source: Mapped[str] = mapped_column(sa.String(300))
    referrer_organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"))
    received_by_email: Mapped[bool] = mapped_column(default=False)
    referred_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    # What the national analysis of SARs found most reports leave out.
    period_from: Mapped[date | None]
    period_to: Mapped[date | None]
    family_invited: Mapped[bool | None]
    family_notes: Mapped[str | None] = mapped_column(sa.Text)
    parallel_processes: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    parallel_notes: Mapped[str | None] = mapped_column(sa.Text)
    delay_explanation: Mapped[str | None] = mapped_column(sa.Text)

    # SAR screening against s44, in the Act's words: each question answered with a reason;
    # the route derived (services/reviews/screening.py). `s44_abuse` answers "does the Board
    # know or suspect that the death resulted from abuse or neglect" when `s44_died`, and
    # "... that the adult has experienced serious abuse or neglect" when not.
    s44_in_area: Mapped[bool | None]
    s44_in_area_reason: Mapped[str | None] = mapped_column(sa.Text)
    s44_needs: Mapped[bool | None]
    s44_needs_reason: Mapped[str | None] = mapped_column(sa.Text)
    s44_died: Mapped[bool | None]
    s44_abuse: Mapped[bool | None]
    s44_abuse_reason: Mapped[str | None] = mapped_column(sa.Text)
    s44_concern: Mapped[bool | None]
    s44_concern_reason: Mapped[str | None] = mapped_column(sa.Text)
    screening_outcome: Mapped[ScreeningOutcome | None] = mapped_column(
        str_enum(ScreeningOutcome, name="screening_outcome")
    )
    screened_on: Mapped[date | None]

    # CSPR notification and rapid review.
    children_count: Mapped[int | None]
    looked_after: Mapped[bool | None]
    notified_on: Mapped[date | None]  # notification sent to the national panel
    # The notification's facts (Ofsted's form): death or serious harm; abuse or neglect
    # known or suspected; for a looked-after child, Ofsted and the Secretary of State told
    # too; the safeguarding partners of the area told (within 5 working days of the council
    # becoming aware, `received_on`); harmed siblings recorded with the one child's
    # notification.
    incident: Mapped[IncidentKind | None] = mapped_column(str_enum(IncidentKind, name="incident_kind"))
    abuse_or_neglect: Mapped[AbuseOrNeglect | None] = mapped_column(str_enum(AbuseOrNeglect, name="abuse_or_neglect"))
    ofsted_notified_on: Mapped[date | None]
    secretary_of_state_notified_on: Mapped[date | None]
    partners_told_on: Mapped[date | None]
    # Whom the service emailed: [{"organisation_id", "organisation", "on"}] (no people).
    partners_told: Mapped[list[dict]] = mapped_column(sa.JSON, default=list)
    siblings_harmed: Mapped[int | None]
    siblings_note: Mapped[str | None] = mapped_column(sa.Text)
    lcspr_criteria: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    rapid_review_reasons: Mapped[str | None] = mapped_column(sa.Text)
    rapid_review_sent_on: Mapped[date | None]
    # The Panel's response: its outcome, its date, and the text (the reason it disagrees,
    # the note of a national review; earlier responses were recorded as text alone).
    panel_outcome: Mapped[PanelOutcome | None] = mapped_column(str_enum(PanelOutcome, name="panel_outcome"))
    panel_response: Mapped[str | None] = mapped_column(sa.Text)
    panel_response_on: Mapped[date | None]

    # Sub-group recommendation and the independent chair's decision (route and why).
    recommendation: Mapped[ReviewOutcome | None] = mapped_column(str_enum(ReviewOutcome, name="review_outcome"))
    recommendation_reason: Mapped[str | None] = mapped_column(sa.Text)
    recommended_on: Mapped[date | None]
    decision: Mapped[ReviewOutcome | None] = mapped_column(str_enum(ReviewOutcome, name="review_decision"))
    decision_reason: Mapped[str | None] = mapped_column(sa.Text)
    alternative_learning: Mapped[str | None] = mapped_column(sa.Text)
    decided_on: Mapped[date | None] = mapped_column(index=True)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    # Commissioning.
    terms_of_reference: Mapped[str | None] = mapped_column(sa.Text)
    methodology: Mapped[Methodology | None] = mapped_column(str_enum(Methodology, name="methodology"))
    reviewer: Mapped[str | None] = mapped_column(sa.String(200))
    contract_value_pence: Mapped[int | None]
    report_due_on: Mapped[date | None]  # before any pause is added
    review_started_on: Mapped[date | None]
    # Pauses (the history is in review_pauses): days of ended pauses, and the start of the
    # pause under way. They move the report deadline on.
    paused_days: Mapped[int] = mapped_column(default=0, server_default="0")
    paused_since: Mapped[date | None]
    commitment_recorded: Mapped[bool] = mapped_column(default=False)

    # Report, quality check, sign-off, publication, monitoring.
    draft_report_file_id: Mapped[int | None] = mapped_column(sa.ForeignKey("stored_files.id"))
    final_report_file_id: Mapped[int | None] = mapped_column(sa.ForeignKey("stored_files.id"))
    draft_received_on: Mapped[date | None]
    quality_checked_on: Mapped[date | None]
    quality_check_passed: Mapped[bool | None]
    quality_check_notes: Mapped[str | None] = mapped_column(sa.Text)
    signed_off_on: Mapped[date | None]
    board_decision_id: Mapped[int | None]
    published: Mapped[bool | None]
    publication_decided_on: Mapped[date | None] = mapped_column(index=True)
    published_on: Mapped[date | None]
    # LCSPR: the final report sent to the Panel and the Secretary of State (at least 7
    # working days before publication).
    report_sent_to_panel_on: Mapped[date | None]
    publication_url: Mapped[str | None] = mapped_column(sa.String(500))
    not_published_reason: Mapped[str | None] = mapped_column(sa.Text)
    family_informed: Mapped[str | None] = mapped_column(sa.String(20))
    monitoring_started_on: Mapped[date | None]
    closed_on: Mapped[date | None]

    group: Mapped[Group] = relationship(lazy="joined")
    referrer_organisation: Mapped[Organisation | None] = relationship(lazy="raise")
    draft_report: Mapped[StoredFile | None] = relationship(foreign_keys=[draft_report_file_id], lazy="raise")
    final_report: Mapped[StoredFile | None] = relationship(foreign_keys=[final_report_file_id], lazy="raise")

    @property
    def arm(self) -> Arm:
        return self.kind.arm

    @property
    def is_open(self) -> bool:
        return self.state not in CLOSED_STATES

    def __repr__(self) -> str:
        return f"<Review {self.id} {self.reference}>"


class ReviewAgency(Base):
    """An agency involved in a review. Its partner members see their own information
    requests and actions for this review (not the case detail)."""

    __tablename__ = "review_agencies"
    __table_args__ = (sa.UniqueConstraint("review_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(sa.ForeignKey("reviews.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    added_on: Mapped[date]

    organisation: Mapped[Organisation] = relationship(lazy="joined")


class ReviewPause(Base):
    """A pause for parallel proceedings; its days are left out of elapsed-time measures."""

    __tablename__ = "review_pauses"
    __table_args__ = (sa.CheckConstraint("ended_on IS NULL OR ended_on >= started_on", name="ends_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(sa.ForeignKey("reviews.id"), index=True)
    started_on: Mapped[date]
    ended_on: Mapped[date | None]
    process: Mapped[ParallelProcess] = mapped_column(str_enum(ParallelProcess, name="parallel_process"))
    reason: Mapped[str] = mapped_column(sa.Text)
    expected_resume_on: Mapped[date]

    def days(self, on: date) -> int:
        return ((self.ended_on or on) - self.started_on).days


class ReviewEvent(Base):
    """Panel meetings, practitioner events and family involvement during a review."""

    __tablename__ = "review_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(sa.ForeignKey("reviews.id"), index=True)
    kind: Mapped[ReviewEventKind] = mapped_column(str_enum(ReviewEventKind, name="review_event_kind"))
    held_on: Mapped[date]
    notes: Mapped[str | None] = mapped_column(sa.Text)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReviewRecommendation(TimestampMixin, Base):
    """A recommendation of a review's report; its actions live in the shared action log
    (source_type "review", source_id = this recommendation's id)."""

    __tablename__ = "review_recommendations"
    __table_args__ = (sa.UniqueConstraint("review_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(sa.ForeignKey("reviews.id"), index=True)
    number: Mapped[int]
    text: Mapped[str] = mapped_column(sa.Text)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))


class ReviewDeadlineAlert(Base):
    """A warning before, or a breach after, one of a review's deadlines: recorded once
    (the daily job is idempotent through the unique constraint)."""

    __tablename__ = "review_deadline_alerts"
    __table_args__ = (sa.UniqueConstraint("review_id", "deadline", "kind", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(sa.ForeignKey("reviews.id"), index=True)
    deadline: Mapped[DeadlineKind] = mapped_column(str_enum(DeadlineKind, name="deadline_kind"))
    kind: Mapped[AlertKind] = mapped_column(str_enum(AlertKind, name="alert_kind"))
    due_on: Mapped[date]
    recorded_on: Mapped[date]
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
