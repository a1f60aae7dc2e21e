"""The Independent Chair's letter escalating a dispute to each statutory partner's chief
executive, and the emails the dispute and complaint rules send through the outbox.

Email subjects carry references only (DSP-2026-003, CMP-2026-001), never names. The
letter goes as a PDF attachment and is rebuilt from the dispute's record whenever it is
downloaded, so the copy in the service says what was sent. The one body that names a
person is the referral of a complaint: the organisation's complaints process needs the
complainant's name and contact to respond. (The 28-day rule's deadline alert is sent
by services/disputes/deadlines.py, with the daily job that sends it.)"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from safeguarding.documents import Letter, Table, render_pdf
from safeguarding.extensions import db
from safeguarding.formatting import long_date
from safeguarding.models import Complaint, Dispute, Organisation
from safeguarding.models.outbox import OutboxAttachment, OutboxMessage
from safeguarding.notify import Attachment, queue_email, service_url
from safeguarding.services import disputes as svc
from safeguarding.services.disputes.queries import _party_names
from safeguarding.services.errors import NotFound
from safeguarding.workflows.base import TransitionContext
from safeguarding.workflows.disputes import SEND_ESCALATION_LETTERS, dispute_lifecycle, sends_now

CONSTITUTION = (
    "The partnership's constitution says: “If there is a dispute between Partnership members, the "
    "Independent Chair will convene a joint meeting with the parties. This should take place within 28 "
    "days of the determining that the dispute exists.”"
)


def escalation_letter(dispute: Dispute, org: Organisation) -> Letter:
    """The letter to `org`'s chief executive, as it was (or will be) sent."""
    on = dispute.escalated_on
    met = f"The joint meeting was held on {long_date(dispute.held_on)}" + (
        ", within the 28 days."
        if dispute.deadline and dispute.held_on <= dispute.deadline
        else f", after the deadline of {long_date(dispute.deadline)}."
    )
    timeline = Table(
        "The dispute's timeline",
        ["Step", "Date"],
        [
            ["Raised", long_date(dispute.raised_on)],
            ["Determined to exist", long_date(dispute.determined_on)],
            ["Joint meeting due by", long_date(dispute.deadline)],
            ["Joint meeting held", long_date(dispute.held_on)],
            ["Escalated", long_date(on)],
        ],
    )
    return Letter(
        reference=dispute.reference,
        date=on,
        recipient_name=org.chief_executive_name or "The Chief Executive",
        recipient_title=org.chief_executive_title or "",
        recipient_organisation=org.name,
        address_lines=[line for line in (org.chief_executive_address or "").splitlines() if line.strip()],
        subject=f"Escalation of dispute {dispute.reference}: {dispute.subject}",
        salutation=f"Dear {org.chief_executive_name}" if org.chief_executive_name else "Dear Chief Executive",
        paragraphs=[
            f"I am writing to you as the chief executive of one of the partnership's statutory partners, to "
            f"escalate a dispute between {_party_names(dispute)} that the joint meeting of the parties has not "
            f"resolved.",
            CONSTITUTION,
            f"The dispute concerns: {dispute.subject}. It was determined to exist on "
            f"{long_date(dispute.determined_on)}. {met}",
            timeline,
            f"The outcome of the meeting: {dispute.outcome}",
            f"Why I am escalating it: {dispute.escalation_reason}",
            "I would ask the statutory partners to consider the dispute together and to let the business office "
            "know, within 28 days of this letter, how you propose to resolve it.",
        ],
    )


def _escalation_key(dispute: Dispute, org_id: int | str) -> str:
    return f"dispute-escalation:{dispute.id}:{org_id}"


def send_escalation_letters(dispute: Dispute) -> int:
    """Email each statutory partner's chief executive the letter as a PDF (once each)."""
    sent = 0
    for org in svc.statutory_partners():
        letter = escalation_letter(dispute, org)
        queue_email(
            [org.chief_executive_email],
            f"Dispute {dispute.reference} escalated to the statutory partners",
            "dispute_escalation",
            {
                "recipient": org.chief_executive_name or "Chief Executive",
                "reference": dispute.reference,
                "parties": _party_names(dispute),
                "link": service_url("disputes.dispute", dispute_id=dispute.id),
            },
            kind="dispute_escalation",
            dedupe_key=_escalation_key(dispute, org.id),
            attachments=[
                Attachment(f"{dispute.reference}-escalation-letter.pdf", "application/pdf", render_pdf(letter))
            ],
        )
        sent += 1
    return sent


@dispute_lifecycle.effect(SEND_ESCALATION_LETTERS)
def _escalation_letters(ctx: TransitionContext) -> None:
    # An escalation recorded with an earlier date was made outside the service: its
    # letters went then, and sending them again now would be wrong (unless asked).
    if sends_now(ctx, "send_letters", "escalated_on"):
        send_escalation_letters(ctx.row)


@dataclass
class SentLetter:
    organisation: Organisation
    message: OutboxMessage


def letters_sent(dispute: Dispute) -> list[SentLetter]:
    """The escalation letters as the outbox holds them: one per chief executive written to."""
    messages = list(
        db.session.scalars(
            sa.select(OutboxMessage)
            .where(OutboxMessage.dedupe_key.like(_escalation_key(dispute, "%")))
            .order_by(OutboxMessage.id)
        )
    )
    ids = {int(m.dedupe_key.rsplit(":", 1)[1]): m for m in messages}
    orgs = db.session.scalars(sa.select(Organisation).where(Organisation.id.in_(ids)).order_by(Organisation.name))
    return [SentLetter(o, ids[o.id]) for o in orgs] if ids else []


def sent_letter_pdf(dispute: Dispute, organisation_id: int) -> bytes:
    """The PDF exactly as it was emailed to the organisation's chief executive."""
    data = db.session.scalar(
        sa.select(OutboxAttachment.data)
        .join(OutboxMessage, OutboxMessage.id == OutboxAttachment.outbox_message_id)
        .where(
            OutboxMessage.dedupe_key == _escalation_key(dispute, organisation_id),
            OutboxAttachment.content_type == "application/pdf",
        )
    )
    if data is None:
        raise NotFound("Letter not found")
    return data


def send_referral_notice(complaint: Complaint, to: str) -> None:
    """Tell the organisation its complaints process has the complaint (once)."""
    org = complaint.organisation
    queue_email(
        [to],
        f"Complaint {complaint.reference} referred to your complaints process",
        "complaint_referral",
        {
            "organisation": org.name,
            "reference": complaint.reference,
            "received_on": long_date(complaint.received_on),
            "referred_on": long_date(complaint.referred_on),
            "complainant_name": complaint.complainant_name,
            "complainant_contact": complaint.complainant_contact,
            "summary": complaint.summary,
        },
        kind="complaint_referral",
        dedupe_key=f"complaint-referral:{complaint.id}",
    )
