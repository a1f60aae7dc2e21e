"""Invoices and payments: raising an invoice (and emailing it as a PDF), cancelling it,
recording and reversing payments, and the daily chase of overdue invoices."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app, has_app_context
from sqlalchemy.exc import IntegrityError

from safeguarding.calendar import today
from safeguarding.extensions import db
from safeguarding.formatting import money
from safeguarding.models import (
    Budget,
    BudgetState,
    ContributionAgreement,
    Invoice,
    Payment,
)
from safeguarding.services.budget.queries import invoiced_by_agreement, label, overdue_invoices, title
from safeguarding.services.budget.rules import _check_version, _money_error
from safeguarding.services.errors import Conflict, ValidationFailed

DEFAULT_PAYMENT_DAYS = 30  # default; INVOICE_PAYMENT_DAYS configures it
DEFAULT_CHASE_INTERVAL_DAYS = 14  # default; INVOICE_CHASE_INTERVAL_DAYS configures it


def _config(name: str, default: int) -> int:
    if has_app_context():
        return int(current_app.config.get(name, default))
    return default


# --- invoices and payments -------------------------------------------------------------


def _next_invoice_number(budget: Budget) -> str:
    count = db.session.scalar(sa.select(sa.func.count()).select_from(Invoice).where(Invoice.budget_id == budget.id))
    return f"SP-{label(budget)}-{(count or 0) + 1:03d}"


def raise_invoice(
    agreement: ContributionAgreement,
    *,
    issued_on: date | None,
    due_on: date | None = None,
    amount_pence: int | None = None,
    description: str | None = None,
    user: Any = None,
    send: bool = True,
    purchase_order: str | None = None,
    ledger_invoice_number: str | None = None,
) -> Invoice:
    """Invoice a partner for (the rest of) their contribution. Defaults: the amount not yet
    invoiced, due 30 days after issue (INVOICE_PAYMENT_DAYS). With `send`, the invoice
    (as a PDF) is emailed to the agreement's invoice contact, in the same transaction."""
    budget = agreement.budget
    if budget.state not in (BudgetState.approved, BudgetState.closed):
        raise Conflict(
            f"Invoices are raised once the Board has approved the budget: the {title(budget)} budget "
            f"is {budget.state.label.lower()}"
        )
    errors = {}
    if issued_on is None:
        errors["issued_on"] = "Enter the date of the invoice"
    elif issued_on > today():
        errors["issued_on"] = "The date of the invoice must be today or in the past"
    if due_on is None and issued_on is not None:
        due_on = issued_on + timedelta(days=_config("INVOICE_PAYMENT_DAYS", DEFAULT_PAYMENT_DAYS))
    if due_on is not None and issued_on is not None and due_on < issued_on:
        errors["due_on"] = "The due date must be the same as or after the date of the invoice"
    invoiced = invoiced_by_agreement([agreement.id]).get(agreement.id, 0)
    remaining = agreement.amount_pence - invoiced
    if amount_pence is None:
        amount_pence = remaining
        if amount_pence <= 0:
            errors["amount"] = (
                f"{agreement.organisation.name}'s contribution of {money(agreement.amount_pence)} "
                "has been invoiced in full"
            )
    elif err := _money_error("amount", amount_pence, "the amount", allow_zero=False):
        errors["amount"] = err
    elif amount_pence > remaining:
        errors["amount"] = (
            f"The amount must be {money(remaining)} or less: {money(invoiced)} of "
            f"{agreement.organisation.name}'s {money(agreement.amount_pence)} has already been invoiced"
        )
    references = _finance_reference(purchase_order, ledger_invoice_number, errors)
    if errors:
        raise ValidationFailed(errors=errors)
    invoice = Invoice(
        number=_next_invoice_number(budget),
        agreement_id=agreement.id,
        budget_id=budget.id,
        organisation_id=agreement.organisation_id,
        issued_on=issued_on,
        due_on=due_on,
        amount_pence=amount_pence,
        paid_pence=0,
        description=(description or "").strip()[:300]
        or f"Contribution to the partnership's budget for {title(budget)}",
        sent_to=agreement.invoice_email,
        raised_by_id=getattr(user, "id", None),
        purchase_order=references[0],
        ledger_invoice_number=references[1],
    )
    try:
        with db.session.begin_nested():
            db.session.add(invoice)
            db.session.flush()
    except IntegrityError:
        raise Conflict("Another invoice was raised at the same moment: try again") from None
    if send:
        send_invoice(invoice)
    return invoice


FINANCE_REFERENCE_MAX = 40


def _finance_reference(
    purchase_order: str | None, ledger_invoice_number: str | None, errors: dict[str, str]
) -> tuple[str | None, str | None]:
    """The host council's finance reference, both optional: trimmed, at most 40 characters."""
    out: list[str | None] = []
    for name, value, what in (
        ("purchase_order", purchase_order, "The purchase order number"),
        ("ledger_invoice_number", ledger_invoice_number, "The ledger's invoice number"),
    ):
        text = " ".join((value or "").split()) or None
        if text is not None and len(text) > FINANCE_REFERENCE_MAX:
            errors[name] = f"{what} must be {FINANCE_REFERENCE_MAX} characters or fewer"
        out.append(text)
    return out[0], out[1]


def set_finance_reference(
    invoice: Invoice, *, version: int | None, purchase_order: str | None, ledger_invoice_number: str | None
) -> Invoice:
    """Record the host council's finance reference on an invoice (the partner's purchase
    order number, and the invoice number in the host council's ledger): entered when the
    invoice is raised or later, when the ledger has numbered it. Not on a cancelled invoice."""
    _check_version(invoice, version)
    if invoice.cancelled_on:
        raise Conflict(f"Invoice {invoice.number} was cancelled: its finance reference cannot change")
    errors: dict[str, str] = {}
    po, ledger = _finance_reference(purchase_order, ledger_invoice_number, errors)
    if errors:
        raise ValidationFailed(errors=errors)
    invoice.purchase_order, invoice.ledger_invoice_number = po, ledger
    db.session.flush()
    return invoice


def finance_reference_text(invoice: Invoice) -> str:
    """ "Purchase order PO-1; ledger invoice 900123" (or "" when neither is known)."""
    parts = []
    if invoice.purchase_order:
        parts.append(f"purchase order {invoice.purchase_order}")
    if invoice.ledger_invoice_number:
        parts.append(f"ledger invoice {invoice.ledger_invoice_number}")
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]


# --- the invoice document and its emails -----------------------------------------------


BUSINESS_OFFICE_SIGNATORY = ("Partnership Business Office", "Safeguarding Partnership")


def invoice_letter(invoice: Invoice) -> Any:
    """The invoice as a letter on the partnership's letterhead (documents/ renders it as
    HTML, PDF or DOCX)."""
    from safeguarding.documents import Letter, Table

    a, org = invoice.agreement, invoice.organisation
    year = title(invoice.agreement.budget)
    rows = [[invoice.description or f"Contribution for {year}", money(invoice.amount_pence)]]
    reference = finance_reference_text(invoice)
    return Letter(
        reference=invoice.number,
        date=invoice.issued_on,
        recipient_name=a.contact_name or "Accounts payable",
        recipient_title="",
        recipient_organisation=org.name,
        address_lines=(org.chief_executive_address or "").splitlines(),
        subject=f"Invoice {invoice.number}: contribution to the partnership's budget for {year}",
        salutation="Dear colleague",
        paragraphs=[
            f"This invoice is for {org.name}'s contribution to the partnership's budget for {year}, as agreed: "
            f"{money(a.amount_pence)} ({(a.calculation or a.kind.label).rstrip('.')}).",
            Table(
                f"Invoice {invoice.number}",
                ["Description", "Amount"],
                [*rows, ["Amount due", money(invoice.amount_pence)]],
            ),
            f"Please pay {money(invoice.amount_pence)} by {invoice.due_on.day} {invoice.due_on:%B %Y}, quoting "
            f"{invoice.number}{' and the host council’s finance reference (' + reference + ')' if reference else ''}.",
            "If you have any questions about this invoice, please contact the partnership's business office.",
        ],
        closing="Yours faithfully",
        signatory_name=BUSINESS_OFFICE_SIGNATORY[0],
        signatory_title=BUSINESS_OFFICE_SIGNATORY[1],
    )


def invoice_pdf(invoice: Invoice) -> bytes:
    from safeguarding.documents import render_pdf

    return render_pdf(invoice_letter(invoice))


def _invoice_email_context(invoice: Invoice, on: date) -> dict[str, Any]:
    from safeguarding.notify import service_url

    return {
        "number": invoice.number,
        "organisation": invoice.organisation.name,
        "year": title(invoice.agreement.budget),
        "amount": money(invoice.amount_pence),
        "outstanding": money(invoice.outstanding_pence),
        "due": f"{invoice.due_on.day} {invoice.due_on:%B %Y}",
        "days_overdue": (on - invoice.due_on).days,
        "link": service_url("budget.account", org_id=invoice.organisation_id),
    }


def send_invoice(invoice: Invoice) -> Any:
    """Email the invoice (its PDF attached) to the invoice contact; None when the
    agreement has no address to send it to (the invoice page says so)."""
    from safeguarding.notify import Attachment, queue_email

    to = invoice.sent_to
    if not to:
        return None
    return queue_email(
        [to],
        f"Invoice {invoice.number} from the Safeguarding Partnership",
        "budget_invoice",
        _invoice_email_context(invoice, invoice.issued_on),
        kind="budget_invoice",
        dedupe_key=f"budget-invoice:{invoice.id}",
        attachments=[Attachment(f"{invoice.number}.pdf", "application/pdf", invoice_pdf(invoice))],
    )


# --- cancelling, payments and reversals ------------------------------------------------


def cancel_invoice(invoice: Invoice, *, version: int | None, reason: str | None, user: Any = None) -> Invoice:
    """An invoice raised in error is cancelled (kept, marked), never deleted."""
    _check_version(invoice, version)
    if invoice.cancelled_on is not None:
        raise Conflict(f"Invoice {invoice.number} is already cancelled")
    if invoice.paid_pence:
        raise ValidationFailed(
            reasons=[
                f"Invoice {invoice.number} has payments of {money(invoice.paid_pence)}: "
                "reverse them before cancelling it"
            ]
        )
    if not (reason or "").strip():
        raise ValidationFailed(errors={"reason": "Enter the reason for cancelling the invoice"})
    invoice.cancelled_on = today()
    invoice.cancel_reason = reason.strip()
    db.session.flush()
    return invoice


def record_payment(
    invoice: Invoice,
    *,
    amount_pence: int | None,
    received_on: date | None,
    reference: str | None = None,
    version: int | None = None,
    user: Any = None,
) -> Payment:
    """Money received against an invoice, in full or in part (never more than is owed)."""
    _check_version(invoice, version)
    if invoice.cancelled_on is not None:
        raise Conflict(f"Invoice {invoice.number} was cancelled: it takes no payments")
    errors = {}
    outstanding = invoice.outstanding_pence
    if err := _money_error("amount", amount_pence, "the amount received", allow_zero=False):
        errors["amount"] = err
    elif outstanding <= 0:
        errors["amount"] = f"Invoice {invoice.number} has been paid in full"
    elif amount_pence > outstanding:
        errors["amount"] = (
            f"The amount received must be {money(outstanding)} or less: that is what is "
            f"outstanding on invoice {invoice.number}"
        )
    if received_on is None:
        errors["received_on"] = "Enter the date the payment was received"
    elif received_on > today():
        errors["received_on"] = "The date the payment was received must be today or in the past"
    if reference is not None and len(reference.strip()) > 100:
        errors["reference"] = "The reference must be 100 characters or fewer"
    if errors:
        raise ValidationFailed(errors=errors)
    payment = Payment(
        invoice_id=invoice.id,
        organisation_id=invoice.organisation_id,
        budget_id=invoice.budget_id,
        received_on=received_on,
        amount_pence=amount_pence,
        reference=(reference or "").strip() or None,
        recorded_by_id=getattr(user, "id", None),
    )
    db.session.add(payment)
    invoice.paid_pence += amount_pence
    db.session.flush()
    return payment


def reverse_payment(payment: Payment, *, reason: str | None, version: int | None = None, user: Any = None) -> Payment:
    """A payment recorded in error is reversed (kept, marked), never deleted."""
    invoice = payment.invoice
    _check_version(invoice, version)
    if payment.reversed_on is not None:
        raise Conflict("This payment has already been reversed")
    if not (reason or "").strip():
        raise ValidationFailed(errors={"reason": "Enter the reason for reversing the payment"})
    payment.reversed_on = today()
    payment.reversal_reason = reason.strip()
    invoice.paid_pence -= payment.amount_pence
    db.session.flush()
    return payment


# --- the daily chase -------------------------------------------------------------------


def invoices_to_chase(as_of: date) -> list[Invoice]:
    """Overdue invoices not chased in the last INVOICE_CHASE_INTERVAL_DAYS days (default 14)."""
    interval = _config("INVOICE_CHASE_INTERVAL_DAYS", DEFAULT_CHASE_INTERVAL_DAYS)
    return [
        inv
        for inv in overdue_invoices(as_of)
        if inv.last_chased_on is None or (as_of - inv.last_chased_on).days >= interval
    ]


def mark_chased(invoice: Invoice, as_of: date) -> None:
    invoice.last_chased_on = as_of
    invoice.chase_count += 1
    db.session.flush()


@dataclass
class ChaseResult:
    chased: list[Invoice] = field(default_factory=list)
    no_address: list[Invoice] = field(default_factory=list)


def chase_overdue(as_of: date) -> ChaseResult:
    """The daily chase: email each overdue invoice's contact (a reminder with the invoice
    attached), at most every INVOICE_CHASE_INTERVAL_DAYS days; the same invoice and day
    never send twice. Invoices with no address are counted (the office sees them in the
    overdue list)."""
    from safeguarding.notify import Attachment, queue_email

    result = ChaseResult()
    for invoice in invoices_to_chase(as_of):
        to = invoice.agreement.invoice_email
        if not to:
            result.no_address.append(invoice)
            continue
        queue_email(
            [to],
            f"Reminder: invoice {invoice.number} is overdue",
            "budget_invoice_overdue",
            _invoice_email_context(invoice, as_of),
            kind="budget_invoice_overdue",
            dedupe_key=f"budget-invoice-overdue:{invoice.id}:{as_of.isoformat()}",
            attachments=[Attachment(f"{invoice.number}.pdf", "application/pdf", invoice_pdf(invoice))],
        )
        mark_chased(invoice, as_of)
        result.chased.append(invoice)
    return result
