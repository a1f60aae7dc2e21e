"""Information requests to named agencies (for a SAR, under Care Act s45): sending,
who sees and answers them, their returns and chronologies."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa

from safeguarding.calendar import WorkingDays, today, working_days
from safeguarding.extensions import db
from safeguarding.models import (
    InformationRequest,
    Organisation,
    RequestPurpose,
    RequestStatus,
    Review,
    ReviewKind,
    ReviewState,
    Role,
    StoredFile,
)
from safeguarding.services import audit
from safeguarding.services.errors import Forbidden, NotFound, ValidationFailed
from safeguarding.services.reviews import request_letters
from safeguarding.services.reviews.agencies import _name_agencies
from safeguarding.services.reviews.alerts import agency_emails
from safeguarding.services.reviews.checks import _check_dates, _require_state, _require_worker
from safeguarding.services.reviews.queries import _group_ids, agency_organisation_id, sees_everything
from safeguarding.services.reviews.rules import setting
from safeguarding.validation import email_problem
from safeguarding.workflows.reviews import request_lifecycle

REQUEST_STATES = (
    ReviewState.information_gathering,
    ReviewState.awaiting_decision,
    ReviewState.rapid_review,
    ReviewState.commissioned,
    ReviewState.lcspr_commissioned,
    ReviewState.in_review,
    ReviewState.paused,
)


def s45_refusal(conditions: Iterable[int]) -> str | None:
    """Care Act s45: the Board may require information when conditions 1 and 2 apply and
    either condition 3 or condition 4 does."""
    c = set(conditions)
    if {1, 2} <= c and c & {3, 4}:
        return None
    return "A request under section 45 needs conditions 1 and 2, and condition 3 or 4"


def send_information_request(
    review: Review,
    user: Any,
    *,
    organisation_id: int | None = None,
    request: str | None,
    conditions: Iterable[int] = (),
    sent_on: date | None = None,
    due_on: date | None = None,
    recipient_name: str | None = None,
    recipient_address: str | None = None,
    recipient_email: str | None = None,
    cal: WorkingDays | None = None,
) -> InformationRequest:
    """Ask for information for a review: from an agency in the directory, or from any other
    person or body (`recipient_name` with an email or postal address). For a SAR under s45
    with the conditions that apply. Due 20 working days (default) after sending unless a
    date is given. The letter is kept as sent and emailed to a recipient outside the
    directory; the agency's partner members are told."""
    _require_worker(review, user)
    _require_state(review, REQUEST_STATES, "send an information request")
    return _send(
        user,
        review=review,
        purpose=RequestPurpose.review,
        purpose_detail=None,
        recipient=Recipient(organisation_id, recipient_name, recipient_address, recipient_email),
        request=request,
        conditions=conditions,
        s45=review.kind == ReviewKind.sar,
        sent_on=sent_on,
        due_on=due_on,
        cal=cal,
    )


def send_board_request(
    user: Any,
    *,
    purpose: str | None,
    purpose_detail: str | None,
    request: str | None,
    conditions: Iterable[int] = (),
    organisation_id: int | None = None,
    recipient_name: str | None = None,
    recipient_address: str | None = None,
    recipient_email: str | None = None,
    sent_on: date | None = None,
    due_on: date | None = None,
    cal: WorkingDays | None = None,
) -> InformationRequest:
    """A request under s45 for another of the adults' Board's functions (a multi-agency
    audit, performance or other data), sent by the business office to anyone."""
    if user is None or not user.has_role(Role.business_office):
        raise Forbidden("Only the business office sends the Board's information requests")
    errors: dict[str, str] = {}
    try:
        chosen = RequestPurpose(purpose or "")
    except ValueError:
        chosen = None
    if chosen is None or chosen == RequestPurpose.review:
        errors["purpose"] = "Select what the information is for: a multi-agency audit, or performance or other data"
    detail = (purpose_detail or "").strip()
    if not detail:
        errors["purpose_detail"] = "Enter the Board function the information is for, like the audit's name"
    elif len(detail) > 300:
        errors["purpose_detail"] = "The Board function must be 300 characters or fewer"
    return _send(
        user,
        review=None,
        purpose=chosen or RequestPurpose.audit,
        purpose_detail=detail,
        recipient=Recipient(organisation_id, recipient_name, recipient_address, recipient_email),
        request=request,
        conditions=conditions,
        s45=True,
        sent_on=sent_on,
        due_on=due_on,
        cal=cal,
        errors=errors,
    )


@dataclass
class Recipient:
    """An agency in the directory, or a person or body outside it."""

    organisation_id: int | None
    name: str | None
    address: str | None
    email: str | None

    def check(self, errors: dict[str, str]) -> Organisation | None:
        """The agency (or None for an outside recipient), with any problem in `errors`."""
        self.name = (self.name or "").strip() or None
        self.address = (self.address or "").strip() or None
        self.email = (self.email or "").strip() or None
        outside = self.name or self.address or self.email
        if self.organisation_id and outside:
            errors["recipient_name"] = (
                "Either select an agency from the directory or enter someone outside it, not both"
            )
            return None
        if self.organisation_id:
            org = db.session.get(Organisation, self.organisation_id)
            if org is None:
                errors["organisation_id"] = "Select the agency the request is for"
            return org
        if not outside:
            errors["organisation_id"] = "Select the agency the request is for"
            return None
        if not self.name:
            errors["recipient_name"] = "Enter the name of the person or body the request is for"
        elif len(self.name) > 200:
            errors["recipient_name"] = "The name must be 200 characters or fewer"
        self._check_contact(errors)
        return None

    def _check_contact(self, errors: dict[str, str]) -> None:
        if not (self.email or self.address):
            errors["recipient_email"] = "Enter an email address or a postal address to send the request to"
        elif self.email and len(self.email) > 254:
            errors["recipient_email"] = "The email address must be 254 characters or fewer"
        elif self.email and (problem := email_problem(self.email)):
            errors["recipient_email"] = problem
        if self.address and len(self.address) > 1000:
            errors["recipient_address"] = "The address must be 1,000 characters or fewer"


def _send(
    user: Any,
    *,
    review: Review | None,
    purpose: RequestPurpose,
    purpose_detail: str | None,
    recipient: Recipient,
    request: str | None,
    conditions: Iterable[int],
    s45: bool,
    sent_on: date | None,
    due_on: date | None,
    cal: WorkingDays | None,
    errors: dict[str, str] | None = None,
) -> InformationRequest:
    errors = errors if errors is not None else {}
    on = today()
    sent_on = sent_on or on
    org = recipient.check(errors)
    if not (request or "").strip():
        errors["request"] = "Enter the information requested"
    conds = sorted({int(c) for c in conditions if str(c).isdigit() and 1 <= int(c) <= 4})
    if s45 and (reason := s45_refusal(conds)):
        errors["conditions"] = reason
    _check_dates(errors, on, sent_on=(sent_on, "The date the request was sent"))
    if due_on is None:
        due_on = (cal or working_days()).add(sent_on, setting("REVIEW_REQUEST_WORKING_DAYS"))
    elif due_on < sent_on:
        errors["due_on"] = "The due date must be on or after the date the request was sent"
    if errors:
        raise ValidationFailed(errors=errors)
    req = InformationRequest(
        review_id=review.id if review is not None else None,
        review=review,
        purpose=purpose,
        purpose_detail=purpose_detail,
        organisation_id=org.id if org is not None else None,
        organisation=org,
        recipient_name=None if org is not None else recipient.name,
        recipient_address=None if org is not None else recipient.address,
        recipient_email=None if org is not None else recipient.email,
        request=(request or "").strip(),
        sent_on=sent_on,
        due_on=due_on,
        status=RequestStatus.sent,
        created_by_id=user.id,
        **{f"condition_{n}": (n in conds and s45) for n in (1, 2, 3, 4)},
    )
    db.session.add(req)
    db.session.flush()
    if review is not None and org is not None:
        _name_agencies(review, [org.id], on)
    request_letters.keep_letter(req)
    request_letters.email_letter(req)
    _after_request_sent(req)
    return req


def _after_request_sent(req: InformationRequest) -> None:
    """Tell the agency's partner members (case reference and a link only)."""
    from safeguarding.formatting import long_date
    from safeguarding.notify import queue_email

    if req.organisation_id is None:
        return
    to = agency_emails(req.organisation_id)
    if not to:
        return
    review = req.review
    reference = review.reference if review is not None else req.reference
    queue_email(
        to,
        f"Information request for case review {reference}"
        if review is not None
        else f"Information request {reference}",
        "review_information_request",
        {
            "reference": reference,
            "what": f"case review {reference}" if review is not None else f"{req.purpose_detail} ({reference})",
            "organisation": req.organisation.name,
            "board": "Safeguarding Children Partnership"
            if review is not None and review.kind == ReviewKind.cspr
            else "Safeguarding Adults Board",
            "conditions": ", ".join(str(c) for c in req.conditions),
            "due": long_date(req.due_on),
            "link": request_letters.request_link(req),
        },
        kind="review_information_request",
        dedupe_key=f"review-request-sent:{req.id}",
    )


def request_visibility(user: Any) -> sa.ColumnElement[bool]:
    """Requests the user may see: all of the reviews they see in full, plus their own
    organisation's (partner members of the agency)."""
    if sees_everything(user):
        return sa.true()
    clauses = []
    groups = _group_ids(user)
    if groups:
        clauses.append(InformationRequest.review_id.in_(sa.select(Review.id).where(Review.group_id.in_(groups))))
    org_id = agency_organisation_id(user)
    if org_id:
        clauses.append(InformationRequest.organisation_id == org_id)
    return sa.or_(*clauses) if clauses else sa.false()


def get_request(request_id: int, user: Any) -> InformationRequest:
    req = db.session.scalar(
        sa.select(InformationRequest).where(InformationRequest.id == request_id, request_visibility(user))
    )
    if req is None:
        raise NotFound("Information request not found")
    return req


def may_answer(req: InformationRequest, user: Any) -> bool:
    """The agency's partner members answer; the office enters a return received by email."""
    if user is None:
        return False
    if user.has_role(Role.business_office):
        return True
    return bool(
        req.organisation_id is not None
        and user.has_role(Role.partner_member)
        and user.organisation_id == req.organisation_id
    )


def count_requests(
    user: Any,
    *,
    status: str | None = None,
    overdue: bool = False,
    organisation_id: int | None = None,
    on: date | None = None,
) -> int:
    stmt = sa.select(sa.func.count()).select_from(InformationRequest).where(request_visibility(user))
    if status:
        stmt = stmt.where(InformationRequest.status == RequestStatus(status))
    if overdue:
        stmt = stmt.where(InformationRequest.status == RequestStatus.sent, InformationRequest.due_on < (on or today()))
    if organisation_id:
        stmt = stmt.where(InformationRequest.organisation_id == organisation_id)
    return db.session.scalar(stmt) or 0


def list_requests(
    user: Any,
    *,
    review: Review | None = None,
    status: str | None = None,
    overdue: bool = False,
    organisation_id: int | None = None,
    page: int = 1,
    per_page: int = 50,
    on: date | None = None,
) -> tuple[list[InformationRequest], int]:
    stmt = sa.select(InformationRequest).where(request_visibility(user))
    if review is not None:
        stmt = stmt.where(InformationRequest.review_id == review.id)
    if status:
        stmt = stmt.where(InformationRequest.status == RequestStatus(status))
    if overdue:
        stmt = stmt.where(InformationRequest.status == RequestStatus.sent, InformationRequest.due_on < (on or today()))
    if organisation_id:
        stmt = stmt.where(InformationRequest.organisation_id == organisation_id)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0
    rows = db.session.scalars(
        stmt.order_by(InformationRequest.due_on, InformationRequest.id).limit(per_page).offset((page - 1) * per_page)
    )
    return list(rows), total


def requests_of(review: Review, user: Any) -> list[InformationRequest]:
    """A review's requests as the user may see them (an agency sees only its own)."""
    return list(
        db.session.scalars(
            sa.select(InformationRequest)
            .where(InformationRequest.review_id == review.id, request_visibility(user))
            .order_by(InformationRequest.sent_on, InformationRequest.id)
        )
    )


def return_information(
    req: InformationRequest,
    user: Any,
    *,
    version: int | None,
    response: str | None,
    chronology: StoredFile | None = None,
    returned_on: date | None = None,
) -> InformationRequest:
    """The agency answers (text, and its chronology as an upload); `returned_on` for a
    return the office enters after it arrived by email (default today)."""
    if not may_answer(req, user):
        raise Forbidden("Only the agency the request was sent to can answer it")
    if chronology is not None:
        req.chronology_file_id = chronology.id
    if returned_on is not None and returned_on > today():
        raise ValidationFailed(
            errors={"returned_on": "The date the information was returned must be today or in the past"}
        )
    request_lifecycle.fire(req, "respond", user=user, version=version, params={"response": response}, as_of=returned_on)
    return req


def chronology_file(req: InformationRequest) -> StoredFile:
    """A request's chronology, for a user already checked to see the request; the
    download is recorded."""
    stored = db.session.get(StoredFile, req.chronology_file_id) if req.chronology_file_id else None
    if stored is None:
        raise NotFound("No chronology has been uploaded")
    audit.record("download", "review_information_requests", req.id, {"file": "chronology"})
    return stored


def record_request_view(req: InformationRequest) -> None:
    audit.record_view("review_information_requests", req.id)


def outstanding_requests(review: Review) -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(InformationRequest)
            .where(InformationRequest.review_id == review.id, InformationRequest.status == RequestStatus.sent)
        )
        or 0
    )
