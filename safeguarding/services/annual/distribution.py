"""Sending the published adults' annual report to its recipients (Care Act 2014 Schedule 2
para 4(2), and every partner), through the outbox.

The distribution list is built from the directory: the statutory roles of each active
organisation (a council's chief executive, leader and chair of its Health and Wellbeing
Board; the police and crime commissioner and the chief constable; Local Healthwatch; the
integrated care board's director of nursing) and each other active partner. Each role's
address and how it gets the report ("attachment": the PDF attached; "link": a link to the
published PDF) are a `ReportContact` the office keeps; where it has none, the roles an
organisation's chief executive holds use the chief executive's email from the directory.

On publication each recipient is recorded (`AnnualReportRecipient`) with the address used
and one email queued for it (dedupe key per report and recipient: publishing again, or a
rerun, queues nothing new). A recipient with no address is recorded without a message and
shown as "no address": publication goes ahead (the report is public and the other
recipients must not wait), and the office sends it once the address is added. Delivery is
the outbox's: its status is the recipient's delivery status, and a failed or held message
is sent again with the outbox's own `send_again`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import email_validator
import sqlalchemy as sa

from safeguarding import documents
from safeguarding.calendar import financial_year_title
from safeguarding.extensions import db
from safeguarding.formatting import long_date
from safeguarding.models import (
    AnnualReport,
    AnnualReportRecipient,
    AnnualReportState,
    Organisation,
    OrganisationKind,
    OutboxMessage,
    OutboxStatus,
    ReportContact,
    ReportKind,
    SendAs,
)
from safeguarding.models.people import PartnershipState
from safeguarding.notify import Attachment, queue_email, send_again, service_url
from safeguarding.notify.outbox import can_send_again
from safeguarding.services import audit
from safeguarding.services.annual.common import OFFICE, _require
from safeguarding.services.annual.queries import title
from safeguarding.services.annual.rendering import document, file_name
from safeguarding.services.errors import Conflict, NotFound, StaleVersion, ValidationFailed

# role key → (label, whether the organisation's chief executive holds it: their email is the default)
ROLES: dict[str, tuple[str, bool]] = {
    "chief_executive": ("Chief executive, {org}", True),
    "leader": ("Leader of the council, {org}", False),
    "hwb_chair": ("Chair of the Health and Wellbeing Board, {org}", False),
    "pcc": ("Police and crime commissioner for the area of {org}", False),
    "chief_constable": ("Chief constable, {org}", True),
    "healthwatch": ("Local Healthwatch, {org}", True),
    "director_of_nursing": ("Director of nursing, {org}", False),
    "partner": ("Partner: {org}", True),
}
STATUTORY_ROLES: dict[OrganisationKind, tuple[str, ...]] = {
    OrganisationKind.local_authority: ("chief_executive", "leader", "hwb_chair"),
    OrganisationKind.police: ("pcc", "chief_constable"),
    OrganisationKind.healthwatch: ("healthwatch",),
    OrganisationKind.icb: ("director_of_nursing",),
}
KIND_ORDER = (
    OrganisationKind.local_authority,
    OrganisationKind.police,
    OrganisationKind.healthwatch,
    OrganisationKind.icb,
)


@dataclass(frozen=True)
class Entry:
    """One line of the distribution list."""

    organisation: Organisation
    role_key: str
    statutory: bool
    contact: ReportContact | None

    @property
    def role(self) -> str:
        return ROLES[self.role_key][0].format(org=self.organisation.name)

    @property
    def email(self) -> str | None:
        if self.contact is not None and self.contact.email:
            return self.contact.email
        return self.organisation.chief_executive_email if ROLES[self.role_key][1] else None

    @property
    def from_chief_executive(self) -> bool:
        """The address is the chief executive's from the organisation's record (no own)."""
        return not (self.contact is not None and self.contact.email) and self.email is not None

    @property
    def send_as(self) -> SendAs:
        return self.contact.send_as if self.contact is not None else SendAs.attachment


def distribution_list() -> list[Entry]:
    """The statutory recipients (by kind of organisation), then every other active partner;
    two queries."""
    orgs = list(
        db.session.scalars(
            sa.select(Organisation).where(Organisation.state == PartnershipState.active).order_by(Organisation.name)
        )
    )
    contacts = {(c.organisation_id, c.role_key): c for c in db.session.scalars(sa.select(ReportContact))}
    out: list[Entry] = []
    for kind in KIND_ORDER:
        for o in orgs:
            if o.kind == kind:
                out += [Entry(o, key, True, contacts.get((o.id, key))) for key in STATUTORY_ROLES[kind]]
    statutory = {e.organisation.id for e in out}
    out += [Entry(o, "partner", False, contacts.get((o.id, "partner"))) for o in orgs if o.id not in statutory]
    return out


def entry_for(organisation_id: int, role_key: str) -> Entry:
    for e in distribution_list():
        if e.organisation.id == organisation_id and e.role_key == role_key:
            return e
    raise NotFound("That recipient is not on the distribution list")


def set_contact(
    entry: Entry, user: Any, *, email: str | None, send_as: SendAs | str | None, version: int | None
) -> ReportContact:
    """The office records a recipient's address (empty: none of its own) and how it gets
    the report. `version` is the contact's (None when it has no row yet)."""
    _require(user, OFFICE, "change the distribution list")
    errors: dict[str, str] = {}
    email = (email or "").strip() or None
    if email is not None:
        try:
            email_validator.validate_email(email, check_deliverability=False, test_environment=True)
        except email_validator.EmailNotValidError:
            errors["email"] = "Enter an email address in the correct format, like name@example.com"
    try:
        send_as = SendAs(send_as or "")
    except ValueError:
        errors["send_as"] = "Select how the report is sent"
    if errors:
        raise ValidationFailed(errors=errors)
    contact = entry.contact
    if contact is None:
        if version is not None:
            raise StaleVersion()
        contact = ReportContact(organisation_id=entry.organisation.id, role_key=entry.role_key)
        db.session.add(contact)
    elif version != contact.version:
        raise StaleVersion()
    contact.email, contact.send_as = email, SendAs(send_as)
    db.session.flush()
    return contact


# --- on publication --------------------------------------------------------------------------


def _dedupe_key(report: AnnualReport, r: AnnualReportRecipient) -> str:
    return f"annual-report:{report.id}:recipient:{r.organisation_id}:{r.role_key}"


def _queue(report: AnnualReport, r: AnnualReportRecipient, pdf: bytes | None) -> OutboxMessage:
    link = service_url("annual.published_pdf", report_id=report.id)
    attach = r.send_as == SendAs.attachment
    return queue_email(
        [r.email],
        f"{title(report)} {financial_year_title(report.financial_year)}",
        "annual_report_recipient",
        {
            "recipient": r.role,
            "report": title(report),
            "year": financial_year_title(report.financial_year),
            "published_on": long_date(report.published_on or r.sent_on),
            "attached": attach,
            "link": link,
        },
        kind="annual_report_distribution",
        dedupe_key=_dedupe_key(report, r),
        attachments=[Attachment(file_name(report, "pdf"), "application/pdf", pdf)] if attach and pdf else [],
    )


def distribute(report: AnnualReport, sent_on: date) -> list[AnnualReportRecipient]:
    """Record each recipient with the address used and queue its email (the PDF rendered
    once, when a recipient takes it attached). Idempotent: a report already distributed
    gets nothing new."""
    existing = recipients_of(report)
    if existing:
        return existing
    entries = distribution_list()
    pdf = (
        documents.render_pdf(document(report))
        if any(e.email and e.send_as == SendAs.attachment for e in entries)
        else None
    )
    rows = []
    for e in entries:
        r = AnnualReportRecipient(
            report_id=report.id,
            role=e.role,
            role_key=e.role_key,
            organisation_id=e.organisation.id,
            statutory=e.statutory,
            sent_on=sent_on,
            email=e.email,
            send_as=e.send_as,
        )
        db.session.add(r)
        rows.append(r)
    db.session.flush()
    for r in rows:
        if r.email:
            r.message_id = _queue(report, r, pdf).id
    db.session.flush()
    return rows


def recipients_of(report: AnnualReport) -> list[AnnualReportRecipient]:
    return list(
        db.session.scalars(
            sa.select(AnnualReportRecipient)
            .where(AnnualReportRecipient.report_id == report.id)
            .order_by(AnnualReportRecipient.statutory.desc(), AnnualReportRecipient.id)
        )
    )


# --- delivery ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Delivery:
    recipient: AnnualReportRecipient
    message: OutboxMessage | None

    @property
    def status(self) -> str:
        """queued (waiting or being sent), sent, failed, held, discarded, or no_address."""
        if self.message is None:
            return "no_address" if not self.recipient.email else "not_sent"
        s = self.message.status
        return "queued" if s in (OutboxStatus.pending, OutboxStatus.sending) else s.value

    @property
    def status_label(self) -> str:
        return {
            "no_address": "No address — add one in the directory",
            "not_sent": "Not sent",
            "queued": "Queued",
            "sent": "Sent",
            "failed": "Failed",
            "held": "Held",
            "discarded": "Discarded",
        }[self.status]

    @property
    def delivered_at(self) -> datetime | None:
        return self.message.sent_at if self.message is not None else None

    @property
    def may_send(self) -> bool:
        """The office may send it (again): failed, or held once a mail server is configured
        (the outbox's rule), or never sent for want of an address."""
        if self.message is not None:
            return can_send_again(self.message)
        return True


def deliveries(report: AnnualReport) -> list[Delivery]:
    """Each recipient with its outbox message (one query)."""
    rows = db.session.execute(
        sa.select(AnnualReportRecipient, OutboxMessage)
        .outerjoin(OutboxMessage, OutboxMessage.id == AnnualReportRecipient.message_id)
        .where(AnnualReportRecipient.report_id == report.id)
        .order_by(AnnualReportRecipient.statutory.desc(), AnnualReportRecipient.id)
    ).all()
    return [Delivery(r, m) for r, m in rows]


def get_recipient(report: AnnualReport, recipient_id: int) -> AnnualReportRecipient:
    r = db.session.get(AnnualReportRecipient, recipient_id)
    if r is None or r.report_id != report.id:
        raise NotFound("Recipient not found")
    return r


def send_to_recipient(report: AnnualReport, recipient: AnnualReportRecipient, user: Any) -> OutboxMessage:
    """The office sends the report to one recipient again: a failed or held message goes
    back in the outbox's queue (the outbox's `send_again`); a recipient that had no address
    is sent to at the address the directory has now."""
    _require(user, OFFICE, "send the report to a recipient")
    if report.kind != ReportKind.adults or report.state != AnnualReportState.published:
        raise Conflict("The report is sent to its recipients once it is published")
    message = db.session.get(OutboxMessage, recipient.message_id) if recipient.message_id else None
    if message is not None:
        if message.status in (OutboxStatus.pending, OutboxStatus.sending):
            raise Conflict("The email to this recipient is queued: the outbox is sending it")
        if message.status == OutboxStatus.sent:
            raise Conflict(f"The report was delivered to this recipient on {long_date(message.sent_at.date())}")
        send_again(message)  # failed, or held once a mail server is configured (else Conflict)
        audit.mark_action(report, f"send_again:{recipient.id}")
        return message
    entry = (
        entry_for(recipient.organisation_id, recipient.role_key)
        if recipient.organisation_id and recipient.role_key
        else None
    )
    if entry is None or not entry.email:
        raise ValidationFailed(
            errors={"email": "This recipient has no address: add one in the distribution list, then send it"}
        )
    recipient.email, recipient.send_as = entry.email, entry.send_as
    pdf = documents.render_pdf(document(report)) if entry.send_as == SendAs.attachment else None
    message = _queue(report, recipient, pdf)
    recipient.message_id = message.id
    audit.mark_action(report, f"send:{recipient.id}")
    db.session.flush()
    return message
