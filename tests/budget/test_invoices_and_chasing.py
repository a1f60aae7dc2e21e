"""Invoices as PDFs (pages and API, partners their own only), the invoice emailed to the
contact when raised, and the daily job that chases overdue invoices: once per day, every
14 days while overdue, counting invoices with no address for the office."""

from __future__ import annotations

import io
from datetime import date, timedelta

import sqlalchemy as sa
from pypdf import PdfReader

from safeguarding import jobs
from safeguarding.extensions import db
from safeguarding.models import ContributionAgreement, Invoice
from safeguarding.models.outbox import OutboxAttachment, OutboxMessage
from safeguarding.services import budget as svc


def _text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _messages(kind: str) -> list[OutboxMessage]:
    return list(
        db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id))
    )


def _never_chased(invoice: Invoice) -> Invoice:
    """The demo's story chased West's invoice on the morning before the demo's day (the
    daily jobs it ran); these tests start from an invoice never chased."""
    invoice.last_chased_on, invoice.chase_count = None, 0
    ids = [m.id for m in _messages("budget_invoice_overdue")]
    db.session.execute(sa.delete(OutboxAttachment).where(OutboxAttachment.outbox_message_id.in_(ids)))
    db.session.execute(sa.delete(OutboxMessage).where(OutboxMessage.id.in_(ids)))
    db.session.flush()
    return invoice


def _attachments(message: OutboxMessage) -> list[OutboxAttachment]:
    return list(db.session.scalars(sa.select(OutboxAttachment).where(OutboxAttachment.outbox_message_id == message.id)))


def test_the_invoice_pdf_says_what_is_owed(client_as, demo):
    west = db.session.get(Invoice, demo.id("invoices", "west"))
    r = client_as("office").get(f"/budget/invoices/{west.id}/pdf")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert "filename=SP-2020-21-004.pdf" in r.headers["Content-Disposition"]
    text = " ".join(_text(r.data).split())
    for fragment in (
        "SP-2020-21-004",
        "West Council",
        "£19,487.00",
        "31 May 2020",
        "Accounts payable",
        "Partnership Business Office",
    ):
        assert fragment in text, fragment


def test_partners_get_only_their_own_invoice_pdfs(client_as, api_as, demo):
    west, police = demo.id("invoices", "west"), demo.id("invoices", "police")
    assert client_as("police").get(f"/budget/invoices/{west}/pdf").status_code == 404
    assert client_as("police").get(f"/budget/invoices/{police}/pdf").status_code == 200
    assert api_as("police").get(f"/api/v1/invoices/{west}/pdf").status_code == 404
    r = api_as("west").get(f"/api/v1/invoices/{west}/pdf")
    assert r.status_code == 200 and r.data.startswith(b"%PDF")
    assert client_as("viewer").get(f"/budget/invoices/{west}/pdf").status_code == 403


def test_raising_an_invoice_emails_it_to_the_contact(demo):
    b = svc.budget_for_year(2020)
    a = svc.add_agreement(
        b,
        organisation_id=demo.org("fire").id,
        kind="fixed",
        fixed_pence=2_000_00,
        contact_name="Finance",
        contact_email="finance@fire.demo.test",
        variation=svc.Variation("Fire joins", "Partnership Board", date(2020, 9, 1)),
    )
    invoice = svc.raise_invoice(a, issued_on=date(2020, 10, 1))
    (message,) = _messages("budget_invoice")[-1:]
    assert message.to_addrs == ["finance@fire.demo.test"]
    assert message.subject == "Invoice SP-2020-21-005 from the Safeguarding Partnership"
    assert "Amount due: £2,000.00" in message.body and "Please pay by 31 October 2020" in message.body
    assert f"/budget/organisations/{demo.org('fire').id}" in message.body
    (attachment,) = _attachments(message)
    assert attachment.filename == "SP-2020-21-005.pdf" and attachment.content_type == "application/pdf"
    assert "£2,000.00" in _text(attachment.data)
    assert invoice.sent_to == "finance@fire.demo.test"
    # Without an address the invoice is still raised, and says so.
    healthwatch = db.session.get(
        ContributionAgreement,
        svc.add_agreement(
            b,
            organisation_id=demo.org("healthwatch").id,
            kind="fixed",
            fixed_pence=100_00,
            variation=svc.Variation("Joins", "Partnership Board", date(2020, 9, 1)),
        ).id,
    )
    healthwatch.organisation.safeguarding_lead_email = None
    healthwatch.organisation.chief_executive_email = None
    before = len(_messages("budget_invoice"))
    quiet = svc.raise_invoice(healthwatch, issued_on=date(2020, 10, 1))
    assert quiet.sent_to is None and len(_messages("budget_invoice")) == before


def test_the_daily_job_chases_overdue_invoices_once_a_day_every_interval(demo):
    west = _never_chased(db.session.get(Invoice, demo.id("invoices", "west")))
    day = date(2026, 11, 23)
    run = jobs.run_job("chase_overdue_invoices", day)
    assert run.counts == {"reminders": 1, "without_an_address": 0, "overdue": 1}
    (message,) = _messages("budget_invoice_overdue")
    assert message.to_addrs == ["accounts.payable@west.demo.test"]
    assert message.subject == "Reminder: invoice SP-2020-21-004 is overdue"
    assert "£9,487.00 is still outstanding" in message.body
    assert "was due on 31 May 2020: 2367 days ago" in message.body
    assert [a.filename for a in _attachments(message)] == ["SP-2020-21-004.pdf"]
    assert (west.last_chased_on, west.chase_count) == (day, 1)
    # The same day again: the run is not repeated, nothing more is sent.
    jobs.run_job("chase_overdue_invoices", day)
    assert len(_messages("budget_invoice_overdue")) == 1
    # Nor within the interval; then again after 14 days.
    jobs.run_job("chase_overdue_invoices", day + timedelta(days=13))
    assert len(_messages("budget_invoice_overdue")) == 1
    jobs.run_job("chase_overdue_invoices", day + timedelta(days=14))
    assert len(_messages("budget_invoice_overdue")) == 2 and west.chase_count == 2
    # Paid in full: no more reminders.
    svc.record_payment(west, amount_pence=9_487_00, received_on=day)
    run = jobs.run_job("chase_overdue_invoices", day + timedelta(days=28))
    assert run.counts == {"reminders": 0, "without_an_address": 0, "overdue": 0}


def test_the_chase_is_idempotent_even_when_called_twice_for_a_day(demo):
    _never_chased(db.session.get(Invoice, demo.id("invoices", "west")))
    day = date(2026, 12, 1)
    assert [i.number for i in svc.chase_overdue(day).chased] == ["SP-2020-21-004"]
    assert svc.chase_overdue(day).chased == []
    assert len(_messages("budget_invoice_overdue")) == 1


def test_overdue_invoices_without_an_address_are_counted_for_the_office(demo, client_as):
    west = _never_chased(db.session.get(Invoice, demo.id("invoices", "west")))
    agreement = west.agreement
    agreement.contact_email = None
    west.organisation.safeguarding_lead_email = None
    west.organisation.chief_executive_email = None
    db.session.flush()
    run = jobs.run_job("chase_overdue_invoices", date(2026, 11, 23))
    assert run.counts == {"reminders": 0, "without_an_address": 1, "overdue": 1}
    assert _messages("budget_invoice_overdue") == []
    page = client_as("office").get("/budget/invoices?status=overdue").text
    assert "SP-2020-21-004" in page
