"""Disputes and complaints from the office's logs, with the dates things happened
(domain.md, "Disputes": a dispute determined at last Tuesday's Board, or last year's, keeps
its real dates, and its 28-day deadline runs from the real determination).

A dispute matches an existing one by its subject and the date it was raised (case and
spacing aside); a complaint by the date received and the complainant's name. Each row is
taken to its furthest stage through the lifecycle the pages use, each transition with its
own date — so the same guards hold (none in the future, each on or after the one before),
a deadline missed before the row was entered is a breach at once, and a stage the
lifecycle cannot reach from where the record stands is reported, not forced. Letters and
notices that went at the time are not sent again (escalation letters, referral notices)."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa

from safeguarding import validation
from safeguarding.extensions import db
from safeguarding.models import Complaint, ComplaintKind, ComplaintState, Dispute, DisputeState, ResponseMethod
from safeguarding.services import complaints
from safeguarding.services.disputes import commands
from safeguarding.services.imports import values
from safeguarding.services.imports.directory import DATE, _find_organisation
from safeguarding.services.imports.engine import CREATED, UNCHANGED, UPDATED, Column, Context, Kind, Row, register
from safeguarding.workflows.disputes import complaint_lifecycle, dispute_lifecycle


def _when(heading: str, help_: str, example: str = "") -> Column:
    field = heading.lower().replace(" ", "_")
    return Column(field, heading, help_, example, values.a_date, allowed=DATE)


DISPUTE_COLUMNS = (
    Column(
        "subject", "Subject", "What the dispute is about", "Threshold for adult safeguarding referrals", required=True
    ),
    Column(
        "summary",
        "Summary",
        "A summary of the dispute",
        "The ICB and the council disagree on the threshold",
        required=True,
    ),
    Column(
        "parties",
        "Parties",
        "The organisations in dispute, by name, separated by semicolons (two or more)",
        "County Integrated Care Board; North Council",
        required=True,
    ),
    Column("raised_on", "Raised on", "The day the dispute was raised", "13/01/2026", values.a_date, True, DATE),
    _when("Determined on", "The day it was determined that a dispute exists: the 28 days run from it", "15/01/2026"),
    _when("Meeting on", "The day of the joint meeting", "05/02/2026"),
    Column("meeting_time", "Meeting time", "The time of the meeting, like 14:00", "14:00"),
    Column("location", "Location", "Where the meeting was held, or its online link", "Civic Centre, Room 2"),
    Column("outcome", "Outcome", "The outcome of a meeting already held", "Threshold agreed pending review"),
    Column("late_reason", "Late reason", "Why the meeting was after the 28-day deadline (a late meeting only)", ""),
    _when("Resolved on", "The day it was resolved"),
    Column("resolution", "Resolution", "How it was resolved", ""),
    _when("Escalated on", "The day it was escalated to the chief executives"),
    Column("escalation_reason", "Escalation reason", "Why it was escalated", ""),
    _when("Withdrawn on", "The day it was withdrawn"),
    Column("withdrawal_reason", "Withdrawal reason", "Why it was withdrawn", ""),
)


def _existing_dispute(ctx: Context, subject: str, raised_on: date) -> Dispute | None:
    key = validation.name_key(subject)
    rows = db.session.scalars(sa.select(Dispute).where(Dispute.raised_on == raised_on))
    return next((d for d in rows if validation.name_key(d.subject) == key), None)


def _parties(ctx: Context, text: str) -> list[int]:
    names = [n.strip() for n in text.split(";") if n.strip()]
    orgs = [_find_organisation(ctx, n, "parties") for n in names]
    return [o.id for o in orgs if o is not None]


def _dispute_step(row: Row, ctx: Context) -> str:
    v = row.values
    dispute = _existing_dispute(ctx, v["subject"], v["raised_on"])
    outcome = UNCHANGED
    if dispute is None:
        dispute = commands.raise_dispute(
            ctx.user,
            subject=v["subject"],
            summary=v["summary"],
            party_organisation_ids=_parties(ctx, v["parties"]),
            raised_on=v["raised_on"],
        )
        outcome = CREATED
    if _reach_dispute(dispute, v, ctx.user):
        outcome = outcome if outcome == CREATED else UPDATED
    return outcome


_DISPUTE_ORDER = [s.value for s in DisputeState]


def _dispute_plan(v: dict[str, Any]) -> list[tuple[str, str, dict[str, Any], str | None]]:
    """The transitions the row's dates call for, in order: (state reached, trigger, params, comment)."""
    plan: list[tuple[str, str, dict[str, Any], str | None]] = []
    if v.get("determined_on"):
        plan.append(("determined", "determine", {"determined_on": v["determined_on"]}, None))
    if v.get("meeting_on"):
        params = {
            "meeting_on": v["meeting_on"],
            "meeting_time": v.get("meeting_time"),
            "location": v.get("location"),
            "outcome": v.get("outcome"),
            "late_reason": v.get("late_reason"),
        }
        plan.append(("meeting_held" if v.get("outcome") else "meeting_convened", "convene", params, None))
    if v.get("resolved_on") or v.get("resolution"):
        plan.append(
            ("resolved", "resolve", {"resolved_on": v.get("resolved_on"), "resolution": v.get("resolution")}, None)
        )
    elif v.get("escalated_on") or v.get("escalation_reason"):
        params = {
            "escalated_on": v.get("escalated_on"),
            "escalation_reason": v.get("escalation_reason"),
            "send_letters": False,  # they went at the time
        }
        plan.append(("escalated", "escalate", params, None))
    if v.get("withdrawn_on") or v.get("withdrawal_reason"):
        plan.append(("withdrawn", "withdraw", {"withdrawn_on": v.get("withdrawn_on")}, v.get("withdrawal_reason")))
    return plan


def _reach_dispute(dispute: Dispute, v: dict[str, Any], user: Any) -> bool:
    changed = False
    for state, trigger, params, comment in _dispute_plan(v):
        if dispute.state.value == state or _passed(dispute.state.value, state):
            continue
        dispute_lifecycle.fire(
            dispute, trigger, user=user, version=dispute.version, params=params, comment=comment, system=user is None
        )
        changed = True
    return changed


def _passed(current: str, wanted: str) -> bool:
    """Whether the dispute already stands at or beyond `wanted` (re-importing changes nothing)."""
    terminal = {"resolved", "escalated", "withdrawn"}
    if current in terminal:
        return True
    return _DISPUTE_ORDER.index(current) >= _DISPUTE_ORDER.index(wanted) if wanted not in terminal else False


DISPUTES = register(
    Kind(
        "disputes",
        "Disputes",
        "Disputes between partner organisations with the dates of each stage (raised, determined, meeting, "
        "resolved, escalated or withdrawn)",
        DISPUTE_COLUMNS,
        (_dispute_step,),
        error_columns={"party_organisation_ids": "parties", "comment": "withdrawal_reason"},
    )
)


# --- complaints -----------------------------------------------------------------------------------

COMPLAINT_COLUMNS = (
    Column(
        "kind",
        "About",
        "partnership (the operation of the partnership) or member_service (a member organisation's service)",
        "partnership",
        values.choice(ComplaintKind),
        required=True,
        allowed=values.allowed_values(ComplaintKind),
    ),
    Column("received_on", "Received on", "The day the complaint was received", "02/03/2026", values.a_date, True, DATE),
    Column("complainant_name", "Complainant", "The complainant's name", "A Resident", required=True),
    Column(
        "complainant_contact",
        "Contact",
        "How to reach the complainant (email, phone or address)",
        "resident@example.org",
        required=True,
    ),
    Column(
        "summary", "Summary", "What the complaint is about", "The partnership did not answer a letter", required=True
    ),
    Column("organisation", "Organisation", "For a complaint about a member's service: the organisation, by name", ""),
    _when("Investigation started on", "The day the Chair's investigation started (about the partnership)"),
    Column("outcome", "Outcome", "The outcome of the investigation", ""),
    _when("Responded on", "The day the outcome was communicated"),
    Column(
        "response_method",
        "Response method",
        "How the outcome was communicated",
        "",
        values.choice(ResponseMethod),
        allowed=values.allowed_values(ResponseMethod),
    ),
    _when("Referred on", "The day it was referred to the organisation's own complaints process (member_service)"),
    _when("Closed on", "The day the complaint was closed"),
)


def _existing_complaint(received_on: date, name: str) -> Complaint | None:
    key = validation.name_key(name)
    rows = db.session.scalars(sa.select(Complaint).where(Complaint.received_on == received_on))
    return next((c for c in rows if validation.name_key(c.complainant_name) == key), None)


def _complaint_plan(v: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    plan: list[tuple[str, str, dict[str, Any]]] = []
    if v.get("referred_on"):
        return [("closed", "refer", {"referred_on": v["referred_on"], "send_notice": False})]
    if v.get("investigation_started_on") or v.get("outcome"):
        plan.append(("investigating", "investigate", {"started_on": v.get("investigation_started_on")}))
    if v.get("outcome") or v.get("responded_on"):
        params = {
            "outcome": v.get("outcome"),
            "responded_on": v.get("responded_on"),
            "response_method": v.get("response_method"),
        }
        plan.append(("responded", "respond", params))
    if v.get("closed_on"):
        plan.append(("closed", "close", {"closed_on": v["closed_on"]}))
    return plan


_COMPLAINT_ORDER = [s.value for s in ComplaintState]


def _complaint_step(row: Row, ctx: Context) -> str:
    v = row.values
    complaint = _existing_complaint(v["received_on"], v["complainant_name"])
    outcome = UNCHANGED
    if complaint is None:
        org = _find_organisation(ctx, v.get("organisation"), "organisation")
        complaint = complaints.log_complaint(
            ctx.user,
            kind=v["kind"],
            received_on=v["received_on"],
            complainant_name=v["complainant_name"],
            complainant_contact=v["complainant_contact"],
            summary=v["summary"],
            organisation_id=org.id if org else None,
        )
        outcome = CREATED
    changed = False
    for state, trigger, params in _complaint_plan(v):
        current = complaint.state.value
        if current == "closed" or _COMPLAINT_ORDER.index(current) >= _COMPLAINT_ORDER.index(state):
            continue
        complaint_lifecycle.fire(
            complaint, trigger, user=ctx.user, version=complaint.version, params=params, system=ctx.user is None
        )
        changed = True
    if changed and outcome != CREATED:
        outcome = UPDATED
    return outcome


COMPLAINTS = register(
    Kind(
        "complaints",
        "Complaints",
        "Complaints about the partnership or a member's service, with the dates of the investigation, the "
        "response, a referral and the closure",
        COMPLAINT_COLUMNS,
        (_complaint_step,),
        error_columns={"organisation_id": "organisation", "started_on": "investigation_started_on"},
    )
)
