"""Escalation to the statutory partners' chief executives (the Chair's letter as a PDF,
once to each), and the email telling an organisation a complaint is referred to it."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from safeguarding.documents import render_docx
from safeguarding.extensions import db
from safeguarding.models import Complaint, ComplaintKind, Dispute, DisputeState
from safeguarding.models.outbox import OutboxAttachment, OutboxMessage
from safeguarding.services import complaints
from safeguarding.services import dispute_letters as letters
from safeguarding.services.errors import NotFound, ValidationFailed
from safeguarding.workflows.disputes import complaint_lifecycle, dispute_lifecycle

STATUTORY = {"north", "west", "police", "icb"}


def _messages(kind: str, key_prefix: str) -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            sa.select(OutboxMessage)
            .where(OutboxMessage.kind == kind, OutboxMessage.dedupe_key.like(f"{key_prefix}%"))
            .order_by(OutboxMessage.id)
        )
    )


@pytest.fixture
def held(demo) -> Dispute:
    d = db.session.get(Dispute, demo.id("disputes", "breached"))  # West and the ICB; meeting held
    assert d.state == DisputeState.meeting_held
    return d


def escalate(d, demo, who="chair"):
    dispute_lifecycle.fire(
        d,
        "escalate",
        user=demo.user(who),
        version=d.version,
        as_of=date(2026, 11, 23),
        params={"escalation_reason": "The joint audit found no agreement on the expectation."},
    )


def test_escalation_sends_the_chairs_letter_to_each_statutory_partner_once(held, demo):
    escalate(held, demo)
    assert (held.state, held.escalated_on) == (DisputeState.escalated, date(2026, 11, 23))
    sent = _messages("dispute_escalation", f"dispute-escalation:{held.id}:")
    assert {m.to_addrs[0] for m in sent} == {demo.org(k).chief_executive_email for k in STATUTORY}
    for m in sent:
        assert m.subject == f"Dispute {held.reference} escalated to the statutory partners"
        (attachment,) = db.session.scalars(
            sa.select(OutboxAttachment).where(OutboxAttachment.outbox_message_id == m.id)
        )
        assert attachment.filename == f"{held.reference}-escalation-letter.pdf"
        assert attachment.data.startswith(b"%PDF")
    # Sending again (a retry of the same escalation) sends nothing twice.
    assert letters.send_escalation_letters(held) == 4
    assert len(_messages("dispute_escalation", f"dispute-escalation:{held.id}:")) == 4
    assert {s.organisation.id for s in letters.letters_sent(held)} == {demo.org(k).id for k in STATUTORY}


def test_the_letter_says_what_happened(held, demo):
    escalate(held, demo)
    letter = letters.escalation_letter(held, demo.org("police"))
    text = " ".join(p if isinstance(p, str) else " ".join(" ".join(r) for r in p.rows) for p in letter.paragraphs)
    assert letter.reference == held.reference and letter.recipient_name == "Nicola Brannigan"
    assert letter.salutation == "Dear Nicola Brannigan"
    assert "West Council and County Integrated Care Board" in text
    assert "within 28 days of the determining that the dispute exists" in text
    assert "held on 6 October 2026, after the deadline of 29 September 2026" in text
    assert "The joint audit found no agreement on the expectation." in text
    assert render_docx(letter)[:2] == b"PK"  # the same letter as an editable document


def test_escalation_needs_every_statutory_partners_chief_executive(held, demo):
    police = demo.org("police")
    police.chief_executive_email = None
    db.session.flush()
    with pytest.raises(ValidationFailed) as exc:
        escalate(held, demo)
    assert exc.value.reasons == ["Record the chief executive's email address of County Police first"]
    assert held.state == DisputeState.meeting_held
    assert _messages("dispute_escalation", f"dispute-escalation:{held.id}:") == []


def test_the_letters_are_on_the_disputes_page_for_the_office_and_chair(held, demo, client_as):
    escalate(held, demo)
    office = client_as("office")
    page = office.get(f"/disputes/{held.id}").text
    assert "Letter to the chief executive of County Police (PDF)" in page
    r = office.get(f"/disputes/{held.id}/escalation-letters/{demo.org('police').id}")
    assert r.status_code == 200 and r.data.startswith(b"%PDF") and r.mimetype == "application/pdf"
    assert f"{held.reference}-escalation-letter-{demo.org('police').id}.pdf" in r.headers["Content-Disposition"]
    assert office.get(f"/disputes/{held.id}/escalation-letters/{demo.org('fire').id}").status_code == 404
    assert client_as("west").get(f"/disputes/{held.id}/escalation-letters/{demo.org('police').id}").status_code == 403
    assert "Letter to the chief executive" not in client_as("west").get(f"/disputes/{held.id}").text
    with pytest.raises(NotFound):
        letters.sent_letter_pdf(db.session.get(Dispute, demo.id("disputes", "resolved")), demo.org("police").id)


def test_a_referral_emails_the_organisation_once_without_names_in_the_subject(demo):
    c = db.session.get(Complaint, demo.id("complaints", "member_received"))  # about fire and rescue
    complaint_lifecycle.fire(
        c,
        "refer",
        user=demo.user("office"),
        version=c.version,
        as_of=date(2026, 11, 23),
        params={"referred_on": date(2026, 11, 23)},
    )
    (m,) = _messages("complaint_referral", f"complaint-referral:{c.id}")
    assert m.to_addrs == [demo.org("fire").safeguarding_lead_email]
    assert m.subject == f"Complaint {c.reference} referred to your complaints process"
    assert c.complainant_name not in m.subject
    assert c.complainant_name in m.body and c.complainant_contact in m.body  # the organisation needs them
    assert "Referred to you: 23 November 2026" in m.body
    complaints.notify_referral(c)  # told again: still one email
    assert len(_messages("complaint_referral", f"complaint-referral:{c.id}")) == 1


def test_a_referral_goes_to_the_chief_executive_when_no_safeguarding_lead_is_recorded(demo):
    org = demo.org("probation")
    org.safeguarding_lead_email = None
    db.session.flush()
    c = complaints.log_complaint(
        demo.user("office"),
        kind=ComplaintKind.member_service,
        received_on=date(2026, 11, 20),
        complainant_name="D Person",
        complainant_contact="01632 960001",
        summary="Late appointment",
        organisation_id=org.id,
    )
    complaint_lifecycle.fire(
        c,
        "refer",
        user=demo.user("chair"),
        version=c.version,
        params={"referred_on": date(2026, 11, 20), "send_notice": True},
    )
    (m,) = _messages("complaint_referral", f"complaint-referral:{c.id}")
    assert m.to_addrs == [org.chief_executive_email]
