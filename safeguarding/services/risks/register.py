"""The risk register (issue 17): the partnership's risks with their cause and effect, an
owner (organisation, and optionally a person), likelihood × impact (1–5 each) before
mitigations (inherent) and after (residual), the controls relied on, mitigating actions
(in the shared action log, `source_type="risk"`), a review date, and the history of each
risk's scores.

RAG comes from the residual score (likelihood × impact). The boundaries are ours (the
partnership's source papers score risks as likelihood × impact but give no bands), so they
are settings with defaults: green 1–6, amber 8–12, red 15–25 (`RISK_AMBER_FROM` = 8,
`RISK_RED_FROM` = 15). A 5 × 5 matrix gives no 7, 11, 13 or 14.

The business office keeps the register; the independent chair and the Board's members
(partner members, sub-group chairs) read it; the top risks go to each Board meeting.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import current_app

from safeguarding.calendar import today
from safeguarding.extensions import db
from safeguarding.models import Action, ActionSource, Organisation, Person, Risk, RiskScore, RiskStatus, Role
from safeguarding.services import actions
from safeguarding.services.errors import Conflict, Forbidden, NotFound, StaleVersion, ValidationFailed
from safeguarding.services.numbering import insert_numbered, next_number

SOURCE = ActionSource.risk
READERS = (Role.business_office, Role.independent_chair, Role.partner_member, Role.subgroup_chair)
AMBER_FROM = 8
RED_FROM = 15
RAGS = ("red", "amber", "green")
SCORES = ("inherent_likelihood", "inherent_impact", "residual_likelihood", "residual_impact")
TEXTS = {"title": 300, "cause": 4000, "effect": 4000, "controls": 4000}
WHAT = {
    "inherent_likelihood": "the likelihood before mitigations",
    "inherent_impact": "the impact before mitigations",
    "residual_likelihood": "the likelihood after mitigations",
    "residual_impact": "the impact after mitigations",
}


def bands() -> tuple[int, int]:
    """(amber from, red from): the app's settings, or the defaults."""
    config = current_app.config
    return int(config.get("RISK_AMBER_FROM", AMBER_FROM)), int(config.get("RISK_RED_FROM", RED_FROM))


def rag_for(score: int, *, amber_from: int | None = None, red_from: int | None = None) -> str:
    """The RAG rating of a likelihood × impact score."""
    if amber_from is None or red_from is None:
        amber_from, red_from = bands()
    if score >= red_from:
        return "red"
    if score >= amber_from:
        return "amber"
    return "green"


def rag_of(risk: Risk | RiskScore) -> str:
    return rag_for(risk.residual_score)


def _require_office(user: Any) -> None:
    if user is None or not user.has_role(Role.business_office):
        raise Forbidden("Only the business office keeps the risk register")


def _require_reader(user: Any) -> None:
    if user is None or not user.has_role(*READERS):
        raise Forbidden("You cannot see the risk register")


# --- reading --------------------------------------------------------------------------------


@dataclass
class RiskFilters:
    status: str | None = "open"  # "open", "closed" or None (all)
    rag: str | None = None
    organisation_id: int | None = None


def list_risks(user: Any, f: RiskFilters | None = None) -> list[Risk]:
    """The register, highest residual score first (one query). The RAG filter is applied
    to the score with the current bands."""
    _require_reader(user)
    f = f or RiskFilters()
    score = Risk.residual_likelihood * Risk.residual_impact
    stmt = sa.select(Risk)
    if f.status:
        stmt = stmt.where(Risk.status == RiskStatus(f.status))
    if f.organisation_id:
        stmt = stmt.where(Risk.owner_organisation_id == f.organisation_id)
    if f.rag:
        amber_from, red_from = bands()
        stmt = stmt.where(
            {
                "red": score >= red_from,
                "amber": sa.and_(score >= amber_from, score < red_from),
                "green": score < amber_from,
            }[f.rag]
        )
    return list(db.session.scalars(stmt.order_by(score.desc(), Risk.review_date, Risk.id)))


def top_risks(user: Any, n: int = 5) -> list[Risk]:
    """The open risks with the highest residual scores (for each Board meeting)."""
    _require_reader(user)
    return board_top_risks(n)


def board_top_risks(n: int = 5) -> list[Risk]:
    """The top risks as the Board's paper gives them (the agenda pack, for those who see the
    meeting's papers: its callers check access). One query."""
    score = Risk.residual_likelihood * Risk.residual_impact
    return list(
        db.session.scalars(
            sa.select(Risk)
            .where(Risk.status == RiskStatus.open)
            .order_by(score.desc(), Risk.review_date, Risk.id)
            .limit(n)
        )
    )


def get_risk(risk_id: int, user: Any) -> Risk:
    _require_reader(user)
    risk = db.session.get(Risk, risk_id)
    if risk is None:
        raise NotFound("Risk not found")
    return risk


def history_of(risk: Risk) -> list[RiskScore]:
    """Each assessment of the risk's scores, oldest first."""
    return list(
        db.session.scalars(
            sa.select(RiskScore).where(RiskScore.risk_id == risk.id).order_by(RiskScore.assessed_on, RiskScore.id)
        )
    )


def actions_of(risk: Risk) -> list[Action]:
    """The mitigating actions (the shared action log)."""
    return actions.actions_for_source(SOURCE, risk.id)


def counts_by_rag(user: Any) -> dict[str, int]:
    out = dict.fromkeys(RAGS, 0)
    for risk in list_risks(user):
        out[rag_of(risk)] += 1
    return out


# --- writing --------------------------------------------------------------------------------


def _clean(values: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    """Checked values (for a new risk every field; for a change, those given)."""
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    for name, limit in TEXTS.items():
        if name not in values and partial:
            continue
        text = (values.get(name) or "").strip()
        if not text and name != "controls":
            errors[name] = {"title": "Enter the risk", "cause": "Enter the cause", "effect": "Enter the effect"}[name]
        elif len(text) > limit:
            errors[name] = f"This must be {limit} characters or fewer"
        out[name] = text or None
    for name in SCORES:
        if name not in values and partial:
            continue
        raw = values.get(name)
        if raw is None or raw == "":
            errors[name] = f"Select {WHAT[name]}"
        elif not isinstance(raw, int) or isinstance(raw, bool) or not 1 <= raw <= 5:
            errors[name] = f"{WHAT[name][0].upper()}{WHAT[name][1:]} must be from 1 to 5"
        else:
            out[name] = raw
    if "review_date" in values or not partial:
        if not isinstance(values.get("review_date"), date):
            errors["review_date"] = "Enter the date the risk is next reviewed"
        else:
            out["review_date"] = values["review_date"]
    _clean_owner(values, partial, out, errors)
    if errors:
        raise ValidationFailed(errors=errors)
    return out


def _clean_owner(values: dict[str, Any], partial: bool, out: dict[str, Any], errors: dict[str, str]) -> None:
    if "owner_organisation_id" in values or not partial:
        org_id = values.get("owner_organisation_id")
        if not org_id or db.session.get(Organisation, org_id) is None:
            errors["owner_organisation_id"] = "Select the organisation that owns the risk"
        else:
            out["owner_organisation_id"] = org_id
    if "owner_person_id" in values:
        person_id = values.get("owner_person_id")
        if person_id and db.session.get(Person, person_id) is None:
            errors["owner_person_id"] = "Select a person from the list"
        out["owner_person_id"] = person_id or None


def _check_person(risk: Risk) -> None:
    if risk.owner_person_id is not None:
        person = db.session.get(Person, risk.owner_person_id)
        if person is not None and person.organisation_id != risk.owner_organisation_id:
            raise ValidationFailed(errors={"owner_person_id": "The risk's owner must work for the owning organisation"})


def _assess(risk: Risk, *, user: Any, on: date, note: str | None) -> RiskScore:
    row = RiskScore(
        risk_id=risk.id,
        assessed_on=on,
        note=(note or "").strip() or None,
        recorded_by_id=getattr(user, "id", None),
        **{name: getattr(risk, name) for name in SCORES},
    )
    db.session.add(row)
    db.session.flush()
    return row


def create_risk(*, user: Any, note: str | None = None, **values: Any) -> Risk:
    """Add a risk to the register; its first scores start its history."""
    _require_office(user)
    clean = _clean(values, partial=False)
    risk = Risk(status=RiskStatus.open, created_by_id=user.id, **clean)
    _check_person(risk)

    def number() -> None:
        risk.reference = f"RISK-{next_number(Risk.id, series='risks', year=0):03d}"

    insert_numbered(risk, number)
    _assess(risk, user=user, on=today(), note=note or "First assessment")
    return risk


def update_risk(risk: Risk, *, user: Any, version: int | None = None, note: str | None = None, **values: Any) -> Risk:
    """Change a risk; a change of any score is a new assessment in its history (dated today,
    with the note saying why)."""
    _require_office(user)
    if version is not None and version != risk.version:
        raise StaleVersion()
    if risk.status == RiskStatus.closed:
        raise Conflict("A closed risk cannot be changed")
    clean = _clean(values, partial=True)
    before = tuple(getattr(risk, name) for name in SCORES)
    for name, value in clean.items():
        setattr(risk, name, value)
    _check_person(risk)
    db.session.flush()
    if tuple(getattr(risk, name) for name in SCORES) != before:
        _assess(risk, user=user, on=today(), note=note)
    return risk


def close_risk(risk: Risk, *, user: Any, reason: str, version: int | None = None) -> Risk:
    _require_office(user)
    if version is not None and version != risk.version:
        raise StaleVersion()
    if risk.status == RiskStatus.closed:
        raise Conflict("This risk is already closed")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(errors={"reason": "Enter why the risk is closed"})
    risk.status = RiskStatus.closed
    risk.closed_reason = reason
    db.session.flush()
    return risk


def add_mitigation(
    risk: Risk,
    *,
    user: Any,
    title: str,
    owner_organisation_id: int,
    due_date: date,
    owner_person_id: int | None = None,
    description: str | None = None,
) -> Action:
    """A mitigating action, in the shared action log (source: the risk)."""
    _require_office(user)
    if risk.status == RiskStatus.closed:
        raise Conflict("A closed risk takes no new actions")
    return actions.create_action(
        title=title,
        owner_organisation_id=owner_organisation_id,
        owner_person_id=owner_person_id,
        due_date=due_date,
        description=description,
        source_type=SOURCE,
        source_id=risk.id,
        source_label=f"Risk {risk.reference}",
        created_by_id=user.id,
    )
