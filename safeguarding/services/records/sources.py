"""Which records each class of the retention schedule holds, the date its period runs from,
and what disposing of one removes (domain.md, "Information governance").

A record is **due** when its trigger date plus the class's period (whole years; a 29
February anniversary in a common year falls on 1 March) is today or earlier, it is
closed (an answered request, a closed dispute or complaint), and it has not been disposed
of or proposed already. A class may hold more than one kind of record (`BY_CLASS` maps it
to its sources: disputes and complaints are one class). Whether it is *offered* (class confirmed, no hold) is decided in
`disposal.py`.

The service can dispose of these classes so far (the others are listed on the disposals
page as "not handled by the service yet", so nothing of theirs is ever offered):

- **outbox** (`outbox_message`, trigger: the day the email was queued): recipients
  (to, cc) emptied; subject and body replaced by "Disposed of on <date>"; the last
  delivery error cleared; attachments (the files) deleted; a message not yet sent is
  discarded so that it is never sent blank.
- **access_requests** (`access_request`, trigger: the day it was answered; a withdrawn
  request has no such date, so its deadline is used, which is never earlier): the
  requester's name replaced by "Disposed of on <date>"; their email, the names and email
  addresses to look for, the extension's reason and the outcome emptied; the reasons and
  redactions of what was found for it emptied, the redacted copies and the disclosure
  bundle (files) deleted. The reference (DSAR-2026-001), the dates, the state and the
  bundle's sha256 stay.
- **disputes** (`dispute`, trigger: the day it closed — resolved, escalated or
  withdrawn): subject and summary replaced by "Disposed of on <date>"; every free-text
  field (chair's reason, lateness, agenda, meeting place, outcome, resolution, escalation
  and withdrawal reasons, breach note, the parties' agenda responses) emptied. The
  reference, the parties (organisations), dates and state stay.
- **disputes** also holds complaints (`complaint`, trigger: the day it closed — closed
  after the response, or referred to the organisation's own complaints process): the
  complainant's name replaced by "Disposed of on <date>"; their contact details, the
  summary and the outcome emptied. The reference (CMP-2026-001), the kind, the
  organisation it was about, the dates, the state and how the outcome was sent stay.
- **user_accounts** (`person`, trigger: the day the person left): see `sources_people.py`.
- **attendance** (`attendance`, a register row, trigger: the meeting's date; `escalation`,
  the Chair's letter, trigger: the day it closed): see `sources_attendance.py`.

Rows stay where they are, with their ids (other rows refer to them); only their personal
columns change. The audit entries of the row keep table, id, action, who and when; the
values they stored for the columns listed in `personal` are replaced by "(disposed of)"
(`redaction.redact_audit`)."""

from __future__ import annotations

import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import (
    AccessRequest,
    AccessRequestState,
    AgendaResponse,
    Complaint,
    ComplaintState,
    DisclosureItem,
    Dispute,
    DisputeState,
    OutboxAttachment,
    OutboxMessage,
    OutboxStatus,
    StoredFile,
)
from safeguarding.services import storage
from safeguarding.services.records.sources_attendance import ATTENDANCE_SOURCES
from safeguarding.services.records.sources_base import REDACTED, Related, Source, cutoff, due_date
from safeguarding.services.records.sources_people import PEOPLE_SOURCES

__all__ = ["BY_CLASS", "BY_TYPE", "REDACTED", "SOURCES", "Related", "Source", "cutoff", "due_date"]


def _dispose_outbox(m: OutboxMessage, text: str) -> None:
    for a in db.session.scalars(sa.select(OutboxAttachment).where(OutboxAttachment.outbox_message_id == m.id)):
        db.session.delete(a)
    m.to_addrs, m.cc_addrs, m.subject, m.body, m.last_error = [], [], text, text, None
    if m.status not in (OutboxStatus.sent, OutboxStatus.discarded):
        m.status, m.next_attempt_at = OutboxStatus.discarded, None


def _dispose_request(r: AccessRequest, text: str) -> None:
    r.requester_name, r.requester_email = text, None
    r.search_names, r.search_emails = "", ""
    r.extension_reason = None if r.extension_reason is None else ""
    r.outcome = None if r.outcome is None else text
    # What was found for it: the office's reasons and redactions emptied, the redacted
    # copies and the disclosure bundle (the ZIP of the person's records) deleted; the
    # bundle's sha256 and dates stay as the record of what was sent.
    files = [r.bundle_file_id] if r.bundle_file_id is not None else []
    for item in db.session.scalars(sa.select(DisclosureItem).where(DisclosureItem.access_request_id == r.id)):
        item.reason, item.redactions = (None if item.reason is None else ""), None
        if item.redacted_file_id is not None:
            files.append(item.redacted_file_id)
            item.redacted_file_id = None
    r.bundle_file_id = None
    db.session.flush()  # nothing refers to the files any more
    for stored in db.session.scalars(sa.select(StoredFile).where(StoredFile.id.in_(files))) if files else []:
        storage.discard_stored(stored)


DISPUTE_TEXTS = (
    "chair_reason",
    "late_reason",
    "agenda",
    "meeting_location",
    "outcome",
    "resolution",
    "escalation_reason",
    "withdrawal_reason",
    "breach_note",
)


def _dispose_dispute(d: Dispute, text: str) -> None:
    d.subject, d.summary = text, text
    for column in DISPUTE_TEXTS:
        if getattr(d, column) is not None:
            setattr(d, column, None)
    db.session.execute(sa.update(AgendaResponse).where(AgendaResponse.dispute_id == d.id).values(changes=None))


def _dispose_complaint(c: Complaint, text: str) -> None:
    c.complainant_name, c.complainant_contact, c.summary = text, "", ""
    c.outcome = None


SOURCES: tuple[Source, ...] = (
    Source(
        "outbox",
        "outbox_message",
        OutboxMessage,
        (),
        OutboxMessage.created_at,
        ("to_addrs", "cc_addrs", "subject", "body", "last_error"),
        lambda m: f"Email {m.id} ({m.kind})",
        _dispose_outbox,
        is_datetime=True,
    ),
    Source(
        "access_requests",
        "access_request",
        AccessRequest,
        (AccessRequest.state != AccessRequestState.open,),
        sa.func.coalesce(AccessRequest.answered_on, AccessRequest.extended_to, AccessRequest.due_on),
        ("requester_name", "requester_email", "search_names", "search_emails", "extension_reason", "outcome"),
        lambda r: r.reference,
        _dispose_request,
    ),
    Source(
        "disputes",
        "dispute",
        Dispute,
        (
            Dispute.state.in_((DisputeState.resolved, DisputeState.escalated, DisputeState.withdrawn)),
            Dispute.closed_on.is_not(None),
        ),
        Dispute.closed_on,
        ("subject", "summary", *DISPUTE_TEXTS),
        lambda d: d.reference,
        _dispose_dispute,
    ),
    Source(
        "disputes",
        "complaint",
        Complaint,
        (Complaint.state == ComplaintState.closed, Complaint.closed_on.is_not(None)),
        Complaint.closed_on,
        ("complainant_name", "complainant_contact", "summary", "outcome"),
        lambda c: c.reference,
        _dispose_complaint,
    ),
    *PEOPLE_SOURCES,
    *ATTENDANCE_SOURCES,
)
# A class maps to every kind of record it holds (disputes and complaints: one class).
BY_CLASS: dict[str, tuple[Source, ...]] = {}
for _src in SOURCES:
    BY_CLASS[_src.class_key] = (*BY_CLASS.get(_src.class_key, ()), _src)
BY_TYPE = {s.record_type: s for s in SOURCES}
