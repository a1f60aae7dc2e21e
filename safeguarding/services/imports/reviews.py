"""SARs and CSPRs from the office's case review tracker (issue 21), with the dates things
happened (domain.md, "Case reviews").

A row matches the review with its reference; a new review keeps the reference the office
gave it. Each row is taken to its furthest stage through the review lifecycle the pages
use, each transition on its own date (`as_of`), so a review imported shows the deadlines
one entered by hand on those dates would show (the Panel's 5 working days from the
council becoming aware, the rapid review's 15 from the notification, the report's months
from the decision). A deadline missed before the import is recorded as a breach at once,
without the "deadline missed" email; nothing dated in the past emails anyone (it was
announced at the time). The lifecycle's rules hold: a SAR is decided by the Independent
Chair (an office importer records a decision the chair took before the service held the
case, from where it is recorded — *Decision recorded in* — never one dated today), a CSPR's decision is the
safeguarding partners' joint decision: the office records one they took before the case
came into the service from where it is minuted (*Decision recorded in*; the decision page
says so), never one dated today, which the partners give in the service; a draft report is uploaded on the page before it is
submitted — a stage that cannot be reached is reported, not forced."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import sqlalchemy as sa

from safeguarding.calendar import today
from safeguarding.extensions import db
from safeguarding.models import Review, ReviewKind, ReviewState, Role
from safeguarding.notify.outbox import quiet
from safeguarding.services import reviews
from safeguarding.services.errors import ServiceError, ValidationFailed
from safeguarding.services.imports.engine import CREATED, UNCHANGED, UPDATED, Context, Kind, Row, register
from safeguarding.services.imports.review_columns import (
    COLUMNS,
    CSPR_ONLY,
    CSPR_ORDER,
    ERROR_COLUMNS,
    SAR_ONLY,
    SAR_ORDER,
)
from safeguarding.services.reviews import partners as review_partners
from safeguarding.services.reviews.deadlines import pauses_of
from safeguarding.workflows.reviews import review_lifecycle

HEADINGS = {c.field: c.heading for c in COLUMNS}
# How far along a state is (a stage whose state the review has reached or passed is done).
RANK = {
    "referred": 0,
    "notified": 0,
    "screening": 1,
    "rapid_review": 1,
    "information_gathering": 2,
    "awaiting_decision": 3,
    "commissioned": 4,
    "lcspr_commissioned": 4,
    "not_commissioned": 20,
    "no_lcspr": 20,
    "in_review": 5,
    "paused": 5,
    "draft_report": 6,
    "signed_off": 7,
    "published": 8,
    "action_monitoring": 9,
    "closed": 10,
    "national_review": 20,
}
CASE_FIELDS = ("initials", "age_band", "area", "harm_date", "summary", "referral_source")
SCREENING = (
    "in_area",
    "in_area_reason",
    "needs",
    "needs_reason",
    "died",
    "abuse",
    "abuse_reason",
    "concern",
    "concern_reason",
)
COMMISSIONING = ("terms_of_reference", "methodology", "reviewer", "contract_value")


def _problem(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(errors={field: message})


# --- the row's own checks ---------------------------------------------------------------------------


def _check_row(v: dict[str, Any], row: Row, ctx: Context) -> None:
    """One row per review; a kind's own columns only; no date in the future; each stage on
    or after the one before it."""
    seen = ctx.cache.setdefault("review_references", {})
    key = v["reference"].strip().upper()
    if key in seen:
        raise _problem("reference", f"Reference {v['reference']} is also on row {seen[key]}: one row per review")
    seen[key] = row.number
    kind = v["kind"]
    other = CSPR_ONLY if kind == ReviewKind.sar else SAR_ONLY
    for name in other:
        if v.get(name) is not None:
            raise _problem(name, f"{HEADINGS[name]} is only for a {'CSPR' if kind == ReviewKind.sar else 'SAR'}")
    on = today()
    for name, value in v.items():
        if isinstance(value, date) and value > on and name != "expected_resume_on":
            raise _problem(name, f"{HEADINGS[name]} must be today or in the past")
    latest: tuple[str, date] | None = None
    for name in SAR_ORDER if kind == ReviewKind.sar else CSPR_ORDER:
        value = v.get(name)
        if value is None:
            continue
        if latest is not None and value < latest[1]:
            raise _problem(name, f"{HEADINGS[name]} must be on or after {HEADINGS[latest[0]].lower()}")
        latest = (name, value)
    sent, started = v.get("rapid_review_sent_on"), v.get("rapid_review_started_on")
    if sent and started and sent < started:
        raise _problem("rapid_review_sent_on", "Rapid review sent on must be on or after it started")


# --- creating and matching ----------------------------------------------------------------------------


def _existing(reference: str) -> Review | None:
    return db.session.scalar(sa.select(Review).where(sa.func.upper(Review.reference) == reference.strip().upper()))


@contextlib.contextmanager
def _dated(on: date | None) -> Iterator[None]:
    """Nothing dated in the past emails anyone: it was announced when it happened."""
    with quiet() if on is not None and on < today() else contextlib.nullcontext():
        yield


def _create(v: dict[str, Any], ctx: Context) -> Review:
    common = {
        "initials": v["initials"],
        "age_band": v["age_band"],
        "area": v["area"],
        "harm_date": v["harm_date"],
        "summary": v["summary"],
        "referral_source": v.get("referral_source"),
        "reference": v["reference"],
    }
    with _dated(v["received_on"]):
        if v["kind"] == ReviewKind.sar:
            return reviews.refer_sar(ctx.user, received_on=v["received_on"], **common)
        facts = {k: v[k] for k in ("incident", "abuse_or_neglect", "partners_told_on") if v.get(k) is not None}
        return reviews.notify_serious_incident(
            ctx.user, la_aware_on=v["received_on"], notified_on=v.get("notified_on"), **common, **facts
        )


def _update_case(review: Review, v: dict[str, Any], ctx: Context) -> bool:
    """The case details and notes the row changes (the details of a review already here
    are corrected as on its page; blank cells keep what is recorded)."""
    if review.received_on != v["received_on"]:
        raise _problem("received_on", "does not match the review's: a review's received date cannot be changed")
    wanted = {k: v[k] for k in (*CASE_FIELDS, "family_invited", "delay_explanation", "period_from", "period_to")}
    if review.kind == ReviewKind.cspr:
        wanted.update({k: v.get(k) for k in ("notified_on", "partners_told_on", "incident", "abuse_or_neglect")})
    changes = {k: value for k, value in wanted.items() if value is not None and getattr(review, k) != value}
    if "initials" in changes and review.initials == "".join(v["initials"].split()).replace(".", "").upper():
        del changes["initials"]
    if not changes:
        return False
    with _dated(None):
        reviews.update_case_details(review, ctx.user, version=review.version, **changes)
    return True


# --- the stages ---------------------------------------------------------------------------------------------


def _fire(
    review: Review,
    trigger: str,
    field: str,
    on: date,
    ctx: Context,
    *,
    recorded_from: str | None = None,
    **params: Any,
) -> None:
    """Fire a transition on the stage's date; a refusal is reported on the stage's column.
    `recorded_from`: the office records a decision someone else took before the service
    held the case, from where it is recorded (the history says so)."""
    try:
        with _dated(on):
            review_lifecycle.fire(
                review,
                trigger,
                user=ctx.user,
                version=review.version,
                params=params or None,
                as_of=on,
                system=recorded_from is not None,
                comment=f"Recorded by the business office from: {recorded_from}" if recorded_from else None,
            )
    except ValidationFailed as exc:
        if exc.errors:
            raise
        raise _problem(field, "; ".join(exc.reasons) or exc.message) from None
    except ServiceError as exc:
        raise _problem(field, exc.message) from None


def _reached(review: Review, state: str) -> bool:
    return RANK[review.state.value] >= RANK[state]


def _screening(review: Review, v: dict[str, Any], ctx: Context) -> bool:
    if all(v.get(k) is None for k in SCREENING):
        return False
    if all(getattr(review, f"s44_{k}") == v.get(k) for k in SCREENING) and (
        v.get("screened_on") in (None, review.screened_on)
    ):
        return False
    reviews.record_screening(
        review, ctx.user, version=review.version, screened_on=v.get("screened_on"), **{k: v.get(k) for k in SCREENING}
    )
    return True


def _rapid_review(review: Review, v: dict[str, Any], ctx: Context) -> bool:
    given = (v.get("lcspr_criteria"), v.get("rapid_review_findings"), v.get("rapid_review_sent_on"))
    if given == (None, None, None):
        return False
    if (sorted(review.lcspr_criteria or []), review.rapid_review_reasons, review.rapid_review_sent_on) == (
        given[0] or [],
        given[1],
        given[2],
    ):
        return False
    reviews.record_rapid_review(
        review, ctx.user, version=review.version, criteria=given[0] or [], reasons=given[1], sent_on=given[2]
    )
    return True


def _commissioning(review: Review, v: dict[str, Any], ctx: Context) -> bool:
    if all(v.get(k) is None for k in COMMISSIONING):
        return False
    recorded = (review.terms_of_reference, review.methodology, review.reviewer, review.contract_value_pence)
    if recorded == tuple(v.get(k) for k in COMMISSIONING):
        return False
    reviews.record_commissioning(
        review,
        ctx.user,
        version=review.version,
        terms_of_reference=v.get("terms_of_reference"),
        methodology=v.get("methodology"),
        reviewer=v.get("reviewer"),
        contract_value_pence=v.get("contract_value"),
    )
    return True


def _decide(review: Review, v: dict[str, Any], ctx: Context) -> bool:
    decision = v.get("decision")
    if decision is None and v.get("decided_on") is None:
        return False
    if review.decision is not None:
        if decision is not None and review.decision != decision:
            raise _problem("decision", f"The review's decision is already: {review.decision.label.lower()}")
        return False
    if decision is None or v.get("decided_on") is None:
        raise _problem("decision" if decision is None else "decided_on", "Enter both the decision and its date")
    if review.kind == ReviewKind.cspr:
        return _record_partners_decision(review, v, ctx)
    recorded_from = None
    if not ctx.user.has_role(Role.independent_chair):
        # The Independent Chair decided; the office records a decision taken before the
        # service held the case, from where it is recorded, never one dated today.
        recorded_from = v.get("decision_recorded_in")
        if not recorded_from:
            raise _problem(
                "decision_recorded_in",
                "Enter where the Independent Chair's decision is recorded, such as the decision letter: the chair "
                "decides a Safeguarding Adults Review; the office records the decision",
            )
        if v["decided_on"] >= today():
            raise _problem("decided_on", "A decision taken today is the Independent Chair's to make in the service")
    _fire(
        review,
        "decide",
        "decided_on",
        v["decided_on"],
        ctx,
        recorded_from=recorded_from,
        outcome=decision.value,
        decision_reason=v.get("decision_reason"),
        alternative_learning=v.get("alternative_learning"),
        decided_on=v["decided_on"],
    )
    return True


def _record_partners_decision(review: Review, v: dict[str, Any], ctx: Context) -> bool:
    """A CSPR's decision is the safeguarding partners' joint decision: the office records
    one they took before the case came into the service, from where it is minuted (a
    decision taken today is theirs to give in the service)."""
    if not v.get("decision_recorded_in"):
        raise _problem(
            "decision_recorded_in",
            "Enter where the safeguarding partners' joint decision is recorded, such as the minutes of their "
            "meeting: the partners decide a local review; the office records their decision",
        )
    try:
        with _dated(v["decided_on"]):
            review_partners.record_rapid_review_decision(
                review,
                ctx.user,
                outcome=v["decision"],
                decided_on=v["decided_on"],
                recorded_from=v["decision_recorded_in"],
            )
    except ValidationFailed as exc:
        field = {"recorded_from": "decision_recorded_in", "area": "area"}.get(next(iter(exc.errors), ""), "decided_on")
        raise _problem(field, next(iter(exc.errors.values()), None) or "; ".join(exc.reasons) or exc.message) from None
    except ServiceError as exc:
        raise _problem("decided_on", exc.message) from None
    return True


def _pause_and_resume(review: Review, v: dict[str, Any], ctx: Context) -> bool:
    changed = False
    paused_on = v.get("paused_on")
    if (
        paused_on is not None
        and review.state == ReviewState.in_review
        and not any(p.started_on == paused_on for p in pauses_of([review.id]).get(review.id, []))
    ):
        _fire(
            review,
            "pause",
            "paused_on",
            paused_on,
            ctx,
            process=v["pause_process"].value if v.get("pause_process") else None,
            pause_reason=v.get("pause_reason"),
            expected_resume_on=v.get("expected_resume_on"),
        )
        changed = True
    if v.get("resumed_on") is not None and review.state == ReviewState.paused:
        _fire(review, "resume", "resumed_on", v["resumed_on"], ctx)
        changed = True
    return changed


Step = Callable[[Review, dict[str, Any], Context], bool]


def _transition(trigger: str, field: str, state: str, **params: str) -> Step:
    """A stage that is one transition with no fields but the row's (`params`: the
    transition's field → the row's column)."""

    def step(review: Review, v: dict[str, Any], ctx: Context) -> bool:
        on = v.get(field)
        if on is None or _reached(review, state):
            return False
        values = {p: (v[col].value if hasattr(v.get(col), "value") else v.get(col)) for p, col in params.items()}
        _fire(review, trigger, field, on, ctx, **values)
        return True

    return step


def _screening_started(review: Review, v: dict[str, Any], ctx: Context) -> bool:
    on = v.get("screening_started_on") or v.get("screened_on")
    if on is None or _reached(review, "screening"):
        return False
    _fire(review, "start_screening", "screening_started_on", on, ctx)
    return True


def _published(review: Review, v: dict[str, Any], ctx: Context) -> bool:
    if v.get("published_on") is None or _reached(review, "published"):
        return False
    raise _problem(
        "published_on",
        "Record the publication decision on the review's page (the final report is uploaded there first): "
        "leave this and later dates blank here",
    )


RECOMMEND = {"recommendation": "recommendation", "recommendation_reason": "recommendation_reason"}
LATER: tuple[Step, ...] = (
    _commissioning,
    _transition("start_review", "review_started_on", "in_review"),
    _pause_and_resume,
    _transition("submit_draft", "draft_received_on", "draft_report"),
    _transition("sign_off", "signed_off_on", "signed_off"),
    _published,
    _transition("start_monitoring", "monitoring_started_on", "action_monitoring"),
    _transition("close", "closed_on", "closed"),
)
STAGES: dict[ReviewKind, tuple[Step, ...]] = {
    ReviewKind.sar: (
        _screening_started,
        _screening,
        _transition("request_information", "information_requested_on", "information_gathering"),
        _transition("recommend", "recommended_on", "awaiting_decision", **RECOMMEND),
        _decide,
        *LATER,
    ),
    ReviewKind.cspr: (
        _transition("start_rapid_review", "rapid_review_started_on", "rapid_review"),
        _rapid_review,
        _transition("complete_rapid_review", "recommended_on", "awaiting_decision", **RECOMMEND),
        _decide,
        *LATER,
    ),
}


def _review_step(row: Row, ctx: Context) -> str:
    v = row.values
    _check_row(v, row, ctx)
    review = _existing(v["reference"])
    if review is None:
        review = _create(v, ctx)
        outcome = CREATED
        changed = _update_case(review, v, ctx)
    else:
        if review.kind != v["kind"]:
            raise _problem("kind", f"{review.reference} is a {review.kind.short}")
        outcome = UNCHANGED
        changed = _update_case(review, v, ctx)
    for stage in STAGES[review.kind]:
        changed = stage(review, v, ctx) or changed
    if outcome == CREATED or changed:
        reviews.record_breaches(review, today())
    return outcome if outcome == CREATED else (UPDATED if changed else UNCHANGED)


REVIEWS = register(
    Kind(
        "reviews",
        "SARs and CSPRs",
        "The case review tracker: one row per SAR or CSPR with its reference and the date of each stage reached "
        "(referral or notification, screening or rapid review, recommendation, decision, commissioning, the "
        "review, pauses) — each taken through the review's lifecycle on its own dates",
        COLUMNS,
        (_review_step,),
        error_columns=ERROR_COLUMNS,
    )
)
