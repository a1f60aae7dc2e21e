"""The disclosure bundle of a subject access request: a ZIP with an index (PDF and CSV)
of exactly the items marked to disclose (with or without redactions), each record as a
CSV (or an email as text), and letters and papers as their files — the office's redacted
copy where it made one. Withheld items are not in the bundle; the request's answer
records what was withheld and why.

The ZIP is stored (a `StoredFile`) with its sha256, so what was sent can be shown later;
any change of a decision before it is sent means building it again. It is only built when
every item has a decision."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from safeguarding import documents
from safeguarding.calendar import today
from safeguarding.documents.render import render_pdf
from safeguarding.extensions import db
from safeguarding.formatting import long_date
from safeguarding.models import (
    AccessRequest,
    AccessRequestState,
    Action,
    AgendaItem,
    Attendance,
    AuditEntry,
    Decision,
    Declaration,
    DisclosureDecision,
    DisclosureItem,
    Dispute,
    Escalation,
    Finding,
    InterestReturn,
    Meeting,
    Membership,
    MinutesSection,
    Organisation,
    OutboxMessage,
    Paper,
    Person,
    Review,
    StoredFile,
    User,
    WorkPlan,
)
from safeguarding.services.errors import Conflict, NotFound
from safeguarding.services.records.access import require_office
from safeguarding.services.records.disclosure import items, type_name
from safeguarding.services.storage import read_stored, store_bytes

INCLUDED = (DisclosureDecision.disclose, DisclosureDecision.redact)
# Columns never disclosed: secrets and the service's own bookkeeping.
_HIDDEN = {"password_hash", "calendar_token", "claim_token", "version", "sent_pdf", "sent_docx", "message_id"}


def _value(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, datetime):
        return v.strftime("%Y-%m-%d %H:%M")
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, (list, dict)):
        return json.dumps(v, ensure_ascii=False, default=str)
    return str(getattr(v, "value", v))


def _row_fields(row: Any) -> list[list[str]]:
    """A record's own columns as field/value pairs."""
    table = row.__table__
    return [[c.name, _value(getattr(row, c.key, None))] for c in table.columns if c.name not in _HIDDEN]


def _csv(headers: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def _attendance_rows(where: Any) -> list[list[str]]:
    rows = db.session.execute(
        sa.select(Meeting.meeting_date, Attendance.status, Attendance.note, Attendance.arrived_at, Attendance.left_at)
        .join(Meeting, Meeting.id == Attendance.meeting_id)
        .where(where)
        .order_by(Meeting.meeting_date)
    )
    return [[_value(d), _value(s), n or "", _value(a), _value(lft)] for d, s, n, a, lft in rows]


_ATTENDANCE_HEADERS = ["meeting_date", "status", "note", "arrived_at", "left_at"]


def _record(model: Any) -> Callable[[int], tuple[str, bytes] | None]:
    def render(record_id: int) -> tuple[str, bytes] | None:
        row = db.session.get(model, record_id)
        return None if row is None else ("csv", _csv(["field", "value"], _row_fields(row)))

    return render


def _attendance(membership_id: int) -> tuple[str, bytes]:
    return "csv", _csv(_ATTENDANCE_HEADERS, _attendance_rows(Attendance.membership_id == membership_id))


def _deputy_attendance(person_id: int) -> tuple[str, bytes]:
    return "csv", _csv(_ATTENDANCE_HEADERS, _attendance_rows(Attendance.deputy_person_id == person_id))


def _audit_trail(person_id: int) -> tuple[str, bytes]:
    rows = db.session.execute(
        sa.select(AuditEntry.at, AuditEntry.action, AuditEntry.changes)
        .where(AuditEntry.entity_type == "people", AuditEntry.entity_id == str(person_id))
        .order_by(AuditEntry.at)
    )
    return "csv", _csv(["at", "action", "changes"], [[_value(at), a, _value(c)] for at, a, c in rows])


def _email(message_id: int) -> tuple[str, bytes] | None:
    m = db.session.get(OutboxMessage, message_id)
    if m is None:
        return None
    text = (
        f"Date: {m.created_at:%d %B %Y %H:%M} UTC\nTo: {', '.join(m.to_addrs)}\n"
        + (f"Cc: {', '.join(m.cc_addrs)}\n" if m.cc_addrs else "")
        + f"Subject: {m.subject}\n\n{m.body}\n"
    )
    return "txt", text.encode("utf-8")


def _letter(escalation_id: int) -> tuple[str, bytes] | None:
    pdf = db.session.scalar(sa.select(Escalation.sent_pdf).where(Escalation.id == escalation_id))
    return None if pdf is None else ("pdf", pdf)


def _paper(paper_id: int) -> tuple[str, bytes] | None:
    paper = db.session.get(Paper, paper_id)
    if paper is None:
        return None
    return paper.stored_file.original_name.rsplit(".", 1)[-1].lower(), read_stored(paper.stored_file)


RENDERERS: dict[str, Callable[[int], tuple[str, bytes] | None]] = {
    # found by the search across the records: the record's own fields
    "meeting": _record(Meeting),
    "agenda_item": _record(AgendaItem),
    "decision": _record(Decision),
    "minutes_section": _record(MinutesSection),
    "review": _record(Review),
    "finding": _record(Finding),
    "dispute": _record(Dispute),
    "work_plan": _record(WorkPlan),
    "organisation": _record(Organisation),
    "person": _record(Person),
    "user": _record(User),
    "membership": _record(Membership),
    "attendance": _attendance,
    "deputy_attendance": _deputy_attendance,
    "action": _record(Action),
    "declaration": _record(Declaration),
    "interest_return": _record(InterestReturn),
    "audit_trail": _audit_trail,
    "email": _email,
    "letter": _letter,
    "paper": _paper,
}


def _generic(item: DisclosureItem) -> tuple[str, bytes]:
    """A record found by the search, of a type with no renderer of its own: its title and
    where it was found (the office adds the record itself when it is a file it holds)."""
    return "csv", _csv(["field", "value"], [["record", item.title], ["type", item.record_type]])


def _redact(data: bytes, phrases: list[str]) -> bytes:
    text = data.decode("utf-8-sig")
    for phrase in sorted(phrases, key=len, reverse=True):
        text = re.sub(re.escape(phrase), "[redacted]", text, flags=re.IGNORECASE)
    return text.encode("utf-8-sig")


def _content(item: DisclosureItem) -> tuple[str, bytes]:
    if item.decision == DisclosureDecision.redact and item.redacted_file_id:
        stored = db.session.get(StoredFile, item.redacted_file_id)
        assert stored is not None
        return stored.original_name.rsplit(".", 1)[-1].lower(), read_stored(stored)
    render = RENDERERS.get(item.record_type)
    made = render(item.record_id) if render else None
    extension, data = made if made else _generic(item)
    if item.decision == DisclosureDecision.redact and item.redactions and extension in ("csv", "txt"):
        data = _redact(data, item.redactions.splitlines())
    return extension, data


def _index(r: AccessRequest, entries: list[list[str]]) -> tuple[bytes, bytes]:
    headers = ["No.", "Record", "Type", "Date", "Decision", "File"]
    csv_bytes = _csv(headers, entries)
    report = documents.Report(
        title=f"Subject access request {r.reference}",
        subtitle="Index of the records disclosed",
        date=today(),
        reference=r.reference,
        sections=[
            documents.Section(
                heading="Records disclosed",
                paragraphs=[
                    f"Request received on {long_date(r.received_on)}; answer due by {long_date(r.deadline)}.",
                    f"{len(entries)} record{'s' if len(entries) != 1 else ''} disclosed. Where a record is marked "
                    "‘Disclose with redactions’, information about other people has been removed.",
                ],
                tables=[documents.Table("Records disclosed", headers, entries)] if entries else [],
            )
        ],
    )
    return csv_bytes, render_pdf(report)


def build_bundle(r: AccessRequest, *, user: Any) -> StoredFile:
    """Build and store the ZIP; refuses while any item has no decision."""
    require_office(user)
    if r.state != AccessRequestState.open:
        raise Conflict("The request is not open: its bundle cannot be built again")
    rows = items(r)
    if not rows:
        raise Conflict("Find what we hold first: the request has no records to disclose")
    pending = sum(1 for i in rows if i.decision == DisclosureDecision.pending)
    if pending:
        raise Conflict(f"Decide every record first: {pending} {'is' if pending == 1 else 'are'} not decided")
    buffer = io.BytesIO()
    entries: list[list[str]] = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for number, item in enumerate((i for i in rows if i.decision in INCLUDED), 1):
            extension, data = _content(item)
            name = f"records/{number:03d}-{item.record_type}-{item.record_id}.{extension}"
            z.writestr(name, data)
            when = long_date(item.occurred_on) if item.occurred_on else ""
            entries.append([str(number), item.title, type_name(item.record_type), when, item.decision.label, name])
        index_csv, index_pdf = _index(r, entries)
        z.writestr("index.csv", index_csv)
        z.writestr("index.pdf", index_pdf)
    stored = store_bytes(
        buffer.getvalue(),
        extension="zip",
        content_type="application/zip",
        purpose="disclosure_bundle",
        name=f"{r.reference}-disclosure.zip",
        by_id=getattr(user, "id", None),
    )
    r.bundle_file_id, r.bundle_sha256, r.bundle_built_on = stored.id, stored.sha256, today()
    db.session.flush()
    return stored


def bundle_file(r: AccessRequest, *, user: Any) -> StoredFile:
    require_office(user)
    stored = db.session.get(StoredFile, r.bundle_file_id) if r.bundle_file_id else None
    if stored is None:
        raise NotFound("The disclosure bundle has not been built")
    return stored
