"""The SAR and CSPR tracker's columns (the `reviews` import): one row per review, with
the date of each stage reached. Only initials and an age band identify the adult or
child, as on the review's own record: never a name."""

from __future__ import annotations

from typing import Any

from safeguarding.models import AbuseOrNeglect, AgeBand, Area, IncidentKind, Methodology, ParallelProcess, ReviewKind
from safeguarding.models import ReviewOutcome as Outcome
from safeguarding.services.imports import values
from safeguarding.services.imports.directory import DATE
from safeguarding.services.imports.engine import Column
from safeguarding.services.reviews.rules import LCSPR_CRITERIA

YES_NO = "yes or no"


def criteria(value: Any) -> list[str] | None:
    """LCSPR criteria by their names, separated by semicolons."""
    raw = values.text(value)
    if raw is None:
        return None
    found: list[str] = []
    for part in raw.split(";"):
        key = "_".join(part.strip().lower().replace("-", " ").split())
        if not key:
            continue
        if key not in LCSPR_CRITERIA:
            raise values.CellProblem(f"must be among: {', '.join(LCSPR_CRITERIA)} (separated by semicolons)")
        found.append(key)
    return sorted(set(found)) or None


def _date(field: str, heading: str, help_: str, example: str = "") -> Column:
    return Column(field, heading, help_, example, values.a_date, allowed=DATE)


def _yes(field: str, heading: str, help_: str, example: str = "") -> Column:
    return Column(field, heading, help_, example, values.yes_no, allowed=YES_NO)


def _choice(field: str, heading: str, help_: str, example: str, enum: Any, required: bool = False) -> Column:
    return Column(field, heading, help_, example, values.choice(enum), required, values.allowed_values(enum))


COLUMNS = (
    Column(
        "reference",
        "Reference",
        "The case reference, like SAR-2024-002 or CSPR-2025-001: the review keeps it, and a row matches the "
        "review with this reference",
        "SAR-2024-002",
        required=True,
        allowed="SAR-YYYY-NNN or CSPR-YYYY-NNN",
    ),
    _choice(
        "kind",
        "Kind",
        "SAR (Safeguarding Adults Review) or CSPR (Child Safeguarding Practice Review)",
        "SAR",
        ReviewKind,
        True,
    ),
    _choice("area", "Area", "The council area of the adult or child", "North", Area, True),
    Column(
        "initials",
        "Initials",
        "The adult's or child's initials only (1 to 4 letters), never a name",
        "JS",
        required=True,
        allowed="1 to 4 letters",
    ),
    _choice("age_band", "Age band", "The adult's or child's age band", "65_74", AgeBand, True),
    Column(
        "harm_date",
        "Date of death or serious harm",
        "The date of the death or serious harm",
        "02/01/2024",
        values.a_date,
        True,
        DATE,
    ),
    Column(
        "summary",
        "What happened",
        "A short summary of what happened, with no names",
        "Died after a fall at home",
        required=True,
    ),
    Column(
        "referral_source",
        "Referral source",
        "Who made the referral (an organisation, not a person's name)",
        "County Police",
    ),
    Column(
        "received_on",
        "Received on",
        "SAR: the day the referral was received. CSPR: the day the local "
        "authority became aware of the serious incident",
        "08/01/2024",
        values.a_date,
        True,
        DATE,
    ),
    # CSPR: the notification and the rapid review.
    _date(
        "notified_on",
        "Notified on",
        "CSPR: the day the notification was sent to the national Panel (due 5 "
        "working days after the local authority became aware)",
    ),
    _date(
        "partners_told_on",
        "Partners told on",
        "CSPR: the day the safeguarding partners of the area were told "
        "(due 5 working days after the local authority became aware)",
    ),
    _choice("incident", "Incident", "CSPR: death or serious_harm", "", IncidentKind),
    _choice("abuse_or_neglect", "Abuse or neglect", "CSPR: known or suspected", "", AbuseOrNeglect),
    _date("rapid_review_started_on", "Rapid review started on", "CSPR: the day the rapid review started"),
    Column(
        "lcspr_criteria",
        "LCSPR criteria",
        "CSPR: the criteria for a local review the case meets, separated by semicolons",
        "",
        criteria,
        allowed="; ".join(LCSPR_CRITERIA),
    ),
    Column("rapid_review_findings", "Rapid review findings", "CSPR: the rapid review's findings and reasons", ""),
    _date(
        "rapid_review_sent_on",
        "Rapid review sent on",
        "CSPR: the day the rapid review was sent to the Panel (due 15 working days after the notification)",
    ),
    # SAR: screening against s44 and information gathering.
    _date("screening_started_on", "Screening started on", "SAR: the day the sub-group started screening", "10/01/2024"),
    _yes("in_area", "S44 in area", "SAR: is the adult in the Board's area?", "yes"),
    Column("in_area_reason", "S44 in area reason", "SAR: the reason for that answer", "Lived in North"),
    _yes("needs", "S44 care needs", "SAR: does the adult have needs for care and support?", "yes"),
    Column("needs_reason", "S44 care needs reason", "SAR: the reason for that answer", "Home care package"),
    _yes("died", "S44 died", "SAR: has the adult died?", "yes"),
    _yes("abuse", "S44 abuse or neglect", "SAR: does the Board know or suspect (serious) abuse or neglect?", "yes"),
    Column("abuse_reason", "S44 abuse or neglect reason", "SAR: the reason for that answer", "Neglect suspected"),
    _yes(
        "concern",
        "S44 concern",
        "SAR: is there reasonable cause for concern about how agencies worked together?",
        "yes",
    ),
    Column("concern_reason", "S44 concern reason", "SAR: the reason for that answer", "Missed referrals"),
    _date("screened_on", "Screened on", "SAR: the day of the sub-group's screening", "17/01/2024"),
    _date(
        "information_requested_on",
        "Information requested on",
        "SAR: the day information gathering started",
        "18/01/2024",
    ),
    # Both: the recommendation and the decision.
    _choice(
        "recommendation", "Recommendation", "The sub-group's or the rapid review's recommendation", "mandatory", Outcome
    ),
    Column("recommendation_reason", "Recommendation reason", "Why", "The s44 criteria are met"),
    _date(
        "recommended_on",
        "Recommended on",
        "The day it went for decision (SAR: to the Independent Chair; CSPR: to the safeguarding partners)",
        "20/02/2024",
    ),
    Column("delay_explanation", "Delay explanation", "Why a deadline was missed (needed when one was)", ""),
    _choice(
        "decision",
        "Decision",
        "Commissioned (mandatory, discretionary, lcspr) or not_commissioned",
        "mandatory",
        Outcome,
    ),
    Column("decision_reason", "Decision reason", "The reasons for the decision", "Mandatory: the criteria are met"),
    Column("alternative_learning", "Alternative learning", "When not commissioned: any other learning activity", ""),
    _date("decided_on", "Decided on", "The day of the decision (the final report's target runs from it)", "01/03/2024"),
    Column(
        "decision_recorded_in",
        "Decision recorded in",
        "Where the decision is recorded (SAR: the Independent Chair's decision letter or minute; CSPR: the "
        "safeguarding partners' minutes): they decide; the office records it. Needed unless the SAR's "
        "importer is the chair",
        "",
    ),
    # Commissioning and the review.
    Column("terms_of_reference", "Terms of reference", "The review's terms of reference", "Agencies' work, 2023"),
    _choice("methodology", "Methodology", "The review's route or methodology", "learning_together", Methodology),
    Column("reviewer", "Reviewer", "The independent reviewer (name and organisation)", "A Reviewer, Review Ltd"),
    Column(
        "contract_value",
        "Contract value",
        "The reviewer's contract value",
        "£6,500.00",
        values.money,
        allowed="Money, like £6,500.00",
    ),
    _date("period_from", "Period from", "The start of the period the review covers", "01/01/2023"),
    _date("period_to", "Period to", "The end of the period the review covers", "02/01/2024"),
    _yes("family_invited", "Family invited", "Was the family invited to contribute?", "yes"),
    _date("review_started_on", "Review started on", "The day the review started", "15/03/2024"),
    _date("paused_on", "Paused on", "The day the review was paused for parallel proceedings"),
    _choice("pause_process", "Pause proceedings", "The parallel proceedings it was paused for", "", ParallelProcess),
    Column("pause_reason", "Pause reason", "Why it was paused", ""),
    _date("expected_resume_on", "Expected resume on", "The day it was expected to resume, when paused"),
    _date("resumed_on", "Resumed on", "The day it resumed"),
    _date(
        "draft_received_on",
        "Draft report on",
        "The day the draft report was submitted (the draft itself is uploaded on the review's page first)",
    ),
    _date("signed_off_on", "Signed off on", "The day of the sign-off"),
    _date("published_on", "Published on", "The day the report was published"),
    _date("monitoring_started_on", "Action monitoring from", "The day monitoring of the action plan started"),
    _date("closed_on", "Closed on", "The day the review was closed"),
)

SAR_ONLY = (
    "screening_started_on",
    "in_area",
    "in_area_reason",
    "needs",
    "needs_reason",
    "died",
    "abuse",
    "abuse_reason",
    "concern",
    "concern_reason",
    "screened_on",
    "information_requested_on",
)
CSPR_ONLY = (
    "notified_on",
    "partners_told_on",
    "incident",
    "abuse_or_neglect",
    "rapid_review_started_on",
    "lcspr_criteria",
    "rapid_review_findings",
    "rapid_review_sent_on",
)
# The stage dates in the order they happen: each on or after the one before it.
SAR_ORDER = (
    "harm_date",
    "received_on",
    "screening_started_on",
    "screened_on",
    "information_requested_on",
    "recommended_on",
    "decided_on",
    "review_started_on",
    "paused_on",
    "resumed_on",
    "draft_received_on",
    "signed_off_on",
    "published_on",
    "monitoring_started_on",
    "closed_on",
)
CSPR_ORDER = (
    "harm_date",
    "received_on",
    "notified_on",
    "rapid_review_started_on",
    "recommended_on",
    *SAR_ORDER[6:],
)
# A service's field → the column it is about.
ERROR_COLUMNS = {
    "la_aware_on": "received_on",
    "criteria": "lcspr_criteria",
    "reasons": "rapid_review_findings",
    "sent_on": "rapid_review_sent_on",
    "contract_value_pence": "contract_value",
    "outcome": "decision",
    "process": "pause_process",
    "_": "kind",
}
