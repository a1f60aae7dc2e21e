"""Finding what the partnership holds about a person who made a subject access request,
and the office's decision on each record (UK GDPR Art. 15; domain.md, "Information
governance").

**Find what we hold** looks, for each name and email address of the request:

- through the structured links: the person's record (a name or an email address that
  matches, case and accents aside), their user account, memberships (as member or deputy),
  their attendance and apologies (one item per membership, and one for the meetings they
  came to as a deputy), escalation letters addressed to them (as an organisation's chief
  executive), emails in the outbox sent or copied to their addresses, actions they own,
  declarations of interest and yearly returns, and the audit log's entries about their
  person record;
- and through the partnership's search across every record type, where it is installed
  (`services.search.find`, run as the office sees the records).

Each record found becomes one `DisclosureItem`, found once however many names lead to
it; running the search again adds what is new and keeps the decisions already taken. Its
title names the kind of record and its reference or date, never a person.

**Decisions**: disclose; disclose with redactions (for a record rendered by the service,
the phrases to blank out — third parties' names, say; for a file, the redacted copy the
office uploads); or withhold (with the exemption relied on). A reason is required for
redacting and withholding. Only the office, and only while the request is open."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa

from safeguarding.calendar import today
from safeguarding.extensions import db
from safeguarding.formatting import long_date
from safeguarding.models import (
    AccessRequest,
    AccessRequestState,
    Action,
    Attendance,
    AuditEntry,
    Declaration,
    DisclosureDecision,
    DisclosureItem,
    Escalation,
    InterestReturn,
    Membership,
    Organisation,
    OutboxMessage,
    Person,
    StoredFile,
    User,
)
from safeguarding.services import search
from safeguarding.services.errors import Conflict, NotFound, StaleVersion, ValidationFailed
from safeguarding.services.records.access import require_office

# How each record type is described on the page and in the bundle's index.
TYPE_NAMES: dict[str, str] = {
    "person": "Person record",
    "user": "User account",
    "membership": "Membership",
    "attendance": "Attendance and apologies",
    "deputy_attendance": "Attendance as a deputy",
    "letter": "Escalation letter",
    "email": "Email",
    "action": "Action",
    "declaration": "Declaration of interest",
    "interest_return": "Yearly return of interests",
    "audit_trail": "Audit log entries",
    # found by the search across the records
    "meeting": "Meeting",
    "agenda_item": "Agenda item",
    "decision": "Decision",
    "paper": "Paper",
    "minutes_section": "Minutes",
    "review": "Case review",
    "finding": "Finding",
    "dispute": "Dispute",
    "work_plan": "Work plan",
    "organisation": "Organisation",
}
# Records the bundle carries as files (a redaction is the office's redacted copy).
FILE_TYPES = frozenset({"letter", "paper"})
MAX_REDACTIONS = 50


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold().strip()


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


@dataclass(frozen=True)
class Found:
    record_type: str
    record_id: int
    title: str
    occurred_on: date | None
    found_by: str


# --- the structured links ----------------------------------------------------------------------


def _people(names: list[str], emails: list[str]) -> list[Person]:
    """People whose name or email address matches (compared case-folded, in Python, as
    `validation.name_taken` does: SQL lower() does not fold accents alike on both databases)."""
    folded_names, folded_emails = {_fold(n) for n in names}, {_fold(e) for e in emails}
    if not folded_names and not folded_emails:
        return []
    first_words = {n.split()[0] for n in folded_names if n.split()}
    clauses = [sa.func.lower(Person.email).in_(folded_emails)] if folded_emails else []
    clauses += [sa.func.lower(Person.name).like(f"%{w}%") for w in sorted(first_words)[:20]]
    candidates = db.session.scalars(sa.select(Person).where(sa.or_(*clauses)).order_by(Person.id))
    return [p for p in candidates if _fold(p.name) in folded_names or (p.email and _fold(p.email) in folded_emails)]


def _person_links(people: list[Person], emails: list[str]) -> Iterator[Found]:
    ids = [p.id for p in people]
    for p in people:
        yield Found("person", p.id, f"{TYPE_NAMES['person']} {p.id}", p.created_at.date(), "name or email address")
    users = db.session.scalars(
        sa.select(User).where(
            sa.or_(User.person_id.in_(ids), sa.func.lower(User.email).in_([_fold(e) for e in emails]))
        )
    )
    for u in users:
        yield Found("user", u.id, f"User account {u.id}", u.created_at.date(), "linked to the person")
    if not ids:
        return
    memberships = db.session.scalars(
        sa.select(Membership).where(sa.or_(Membership.person_id.in_(ids), Membership.deputy_person_id.in_(ids)))
    )
    for m in memberships:
        seat = "member" if m.person_id in ids else "named deputy"
        yield Found(
            "membership", m.id, f"{m.group.short_name}: {seat} from {long_date(m.start_date)}", m.start_date, seat
        )
        if m.person_id in ids:
            yield Found("attendance", m.id, f"{m.group.short_name}: attendance register", None, "membership")
    if db.session.scalar(sa.select(Attendance.id).where(Attendance.deputy_person_id.in_(ids)).limit(1)):
        for pid in ids:
            yield Found("deputy_attendance", pid, "Meetings attended or to attend as a deputy", None, "deputy")
    for a in db.session.scalars(sa.select(Action).where(Action.owner_person_id.in_(ids))):
        yield Found("action", a.id, f"Action {a.id}, due {long_date(a.due_date)}", a.due_date, "owner")
    for d in db.session.scalars(sa.select(Declaration).where(Declaration.person_id.in_(ids))):
        yield Found("declaration", d.id, f"Declaration {d.id}", d.declared_at.date(), "declared")
    for r in db.session.scalars(sa.select(InterestReturn).where(InterestReturn.person_id.in_(ids))):
        yield Found(
            "interest_return",
            r.id,
            f"Return for {r.financial_year}/{(r.financial_year + 1) % 100:02d}",
            r.declared_on,
            "declared",
        )
    if db.session.scalar(
        sa.select(AuditEntry.id)
        .where(AuditEntry.entity_type == "people", AuditEntry.entity_id.in_([str(i) for i in ids]))
        .limit(1)
    ):
        for pid in ids:
            yield Found("audit_trail", pid, f"Audit log entries about person record {pid}", None, "person record")


def _letters(names: list[str], emails: list[str]) -> Iterator[Found]:
    """Escalation letters sent to an organisation whose chief executive is the person."""
    folded_names, folded_emails = {_fold(n) for n in names}, {_fold(e) for e in emails}
    orgs = [
        o.id
        for o in db.session.scalars(sa.select(Organisation))
        if (o.chief_executive_name and _fold(o.chief_executive_name) in folded_names)
        or (o.chief_executive_email and _fold(o.chief_executive_email) in folded_emails)
    ]
    if not orgs:
        return
    rows = db.session.execute(
        sa.select(Escalation.id, Escalation.sent_on).where(
            Escalation.organisation_id.in_(orgs), Escalation.sent_on.is_not(None)
        )
    )
    for esc_id, sent_on in rows:
        yield Found(
            "letter", esc_id, f"Escalation letter ATT-{esc_id:04d}, sent {long_date(sent_on)}", sent_on, "addressee"
        )


def _emails(emails: list[str]) -> Iterator[Found]:
    seen: set[int] = set()
    for address in emails[:20]:
        pattern = f"%{_fold(address)}%"
        rows = db.session.execute(
            sa.select(OutboxMessage.id, OutboxMessage.created_at, OutboxMessage.kind).where(
                sa.or_(
                    sa.func.lower(sa.cast(OutboxMessage.to_addrs, sa.Text)).like(pattern),
                    sa.func.lower(sa.cast(OutboxMessage.cc_addrs, sa.Text)).like(pattern),
                )
            )
        )
        for msg_id, created_at, kind in rows:
            if msg_id not in seen:
                seen.add(msg_id)
                label = kind.replace("_", " ")
                yield Found(
                    "email",
                    msg_id,
                    f"Email {msg_id} ({label}), {long_date(created_at.date())}",
                    created_at.date(),
                    "recipient",
                )


# A search hit is found once: an escalation is the letter the structured links find too;
# a person is found by the links (and a person's search title is their name).
_SEARCH_TYPES = {"escalation": "letter"}
_SEARCH_SKIPPED = {"person"}
SEARCH_PAGES, SEARCH_PER_PAGE = 5, 200  # at most 1,000 records a name or address


def _search_hits(names: list[str], emails: list[str], user: Any) -> Iterator[Found]:
    """The partnership's search across its records, for each name and address (as the
    office sees them: everything)."""
    for term in [*names, *emails][:20]:
        for page in range(1, SEARCH_PAGES + 1):
            found = search.find(term, user, page=page, per_page=SEARCH_PER_PAGE)
            for hit in found.items:
                if hit.record_type in _SEARCH_SKIPPED:
                    continue
                kind = TYPE_NAMES.get(_SEARCH_TYPES.get(hit.record_type, hit.record_type)) or hit.kind
                title = f"{kind} {hit.record_id}" + (f", {long_date(hit.occurred_on)}" if hit.occurred_on else "")
                record_type = _SEARCH_TYPES.get(hit.record_type, hit.record_type)
                yield Found(record_type, hit.record_id, title, hit.occurred_on, "search")
            if page >= found.pages:
                break


def find_what_we_hold(r: AccessRequest, *, user: Any) -> int:
    """Run the search for the request's names and addresses; add the records not found
    before (decisions already taken stay). Returns how many were added."""
    require_office(user)
    if r.state != AccessRequestState.open:
        raise Conflict("The request is not open: its search cannot be run again")
    names, emails = _lines(r.search_names) or [r.requester_name], _lines(r.search_emails)
    if r.requester_email and _fold(r.requester_email) not in {_fold(e) for e in emails}:
        emails.append(r.requester_email)
    people = _people(names, emails)
    found: Iterable[Found] = [
        *_person_links(people, emails),
        *_letters(names, emails),
        *_emails(emails),
        *_search_hits(names, emails, user),
    ]
    known = {
        (t, i)
        for t, i in db.session.execute(
            sa.select(DisclosureItem.record_type, DisclosureItem.record_id).where(
                DisclosureItem.access_request_id == r.id
            )
        )
    }
    added = 0
    for f in found:
        if (f.record_type, f.record_id) in known:
            continue
        known.add((f.record_type, f.record_id))
        db.session.add(
            DisclosureItem(
                access_request_id=r.id,
                record_type=f.record_type,
                record_id=f.record_id,
                title=f.title,
                occurred_on=f.occurred_on,
                found_by=f.found_by,
            )
        )
        added += 1
    r.searched_on = today()
    db.session.flush()
    return added


# --- the items and their decisions -------------------------------------------------------------------


def items(r: AccessRequest, *, page: int | None = None, per_page: int = 50) -> list[DisclosureItem]:
    """The request's items by type, newest first (one page of them when `page` is given)."""
    stmt = (
        sa.select(DisclosureItem)
        .where(DisclosureItem.access_request_id == r.id)
        .order_by(DisclosureItem.record_type, DisclosureItem.occurred_on.desc(), DisclosureItem.id)
    )
    if page is not None:
        stmt = stmt.limit(per_page).offset((max(page, 1) - 1) * per_page)
    return list(db.session.scalars(stmt))


def counts(r: AccessRequest) -> dict[str, int]:
    """How many items the request has of each decision (one grouped query)."""
    out = {d.value: 0 for d in DisclosureDecision}
    rows = db.session.execute(
        sa.select(DisclosureItem.decision, sa.func.count())
        .where(DisclosureItem.access_request_id == r.id)
        .group_by(DisclosureItem.decision)
    )
    for decision, n in rows:
        out[DisclosureDecision(decision).value] = n
    out["total"] = sum(out.values())
    return out


def get_item(r: AccessRequest, item_id: int) -> DisclosureItem:
    item = db.session.get(DisclosureItem, item_id)
    if item is None or item.access_request_id != r.id:
        raise NotFound("Item not found")
    return item


def type_name(record_type: str) -> str:
    return TYPE_NAMES.get(record_type, record_type.replace("_", " ").capitalize())


def decide(
    r: AccessRequest,
    item: DisclosureItem,
    *,
    user: Any,
    version: int | None,
    decision: str | None,
    reason: str | None = None,
    redactions: str | None = None,
    redacted_file: StoredFile | None = None,
) -> DisclosureItem:
    """Record the office's decision on one item."""
    require_office(user)
    if version is not None and version != item.version:
        raise StaleVersion()
    if r.state != AccessRequestState.open:
        raise Conflict("The request is not open: its decisions cannot be changed")
    errors: dict[str, str] = {}
    choice = DisclosureDecision.__members__.get(decision or "")
    if choice is None or choice == DisclosureDecision.pending:
        errors["decision"] = "Select whether to disclose, redact or withhold the record"
    reason = (reason or "").strip() or None
    if choice in (DisclosureDecision.redact, DisclosureDecision.withhold) and not reason:
        errors["reason"] = (
            "Enter why the record is withheld (the exemption relied on)"
            if choice == DisclosureDecision.withhold
            else "Enter why parts of the record are redacted"
        )
    phrases = _lines(redactions)
    if choice == DisclosureDecision.redact:
        if item.record_type in FILE_TYPES:
            if redacted_file is None and item.redacted_file_id is None:
                errors["redacted_file"] = "Select the redacted copy of the file"
        elif not phrases:
            errors["redactions"] = "Enter the words to blank out, one per line"
        elif len(phrases) > MAX_REDACTIONS:
            errors["redactions"] = f"Enter {MAX_REDACTIONS} words or phrases or fewer"
    if errors:
        raise ValidationFailed(errors=errors)
    assert choice is not None
    item.decision, item.reason = choice, reason
    item.redactions = "\n".join(phrases) if choice == DisclosureDecision.redact and phrases else None
    if redacted_file is not None:
        item.redacted_file_id = redacted_file.id
    item.decided_by_id, item.decided_on = getattr(user, "id", None), today()
    _bundle_outdated(r)
    db.session.flush()
    return item


def disclose_pending(r: AccessRequest, *, user: Any) -> int:
    """Mark every item not yet decided to be disclosed (the office's usual starting point)."""
    require_office(user)
    if r.state != AccessRequestState.open:
        raise Conflict("The request is not open: its decisions cannot be changed")
    rows = [i for i in items(r) if i.decision == DisclosureDecision.pending]
    for item in rows:
        item.decision, item.decided_by_id, item.decided_on = (
            DisclosureDecision.disclose,
            getattr(user, "id", None),
            today(),
        )
    if rows:
        _bundle_outdated(r)
    db.session.flush()
    return len(rows)


def _bundle_outdated(r: AccessRequest) -> None:
    """A decision changed after the bundle was built: it must be built again."""
    if r.bundle_file_id is not None and r.bundle_sent_on is None:
        r.bundle_file_id, r.bundle_sha256, r.bundle_built_on = None, None, None
