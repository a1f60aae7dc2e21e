"""`/api/v1/invoices` and `/api/v1/payments`."""

from __future__ import annotations

from flask_login import current_user

from safeguarding import access
from safeguarding.api.schemas import page, page_of
from safeguarding.budget.api.blueprint import FINANCE, OFFICE, blp
from safeguarding.budget.api.schemas import (
    FinanceReferenceUpdate,
    InvoiceArgs,
    InvoiceSchema,
    PaymentArgs,
    PaymentSchema,
    ReasonSchema,
)
from safeguarding.services import budget as svc
from safeguarding.services.errors import NotFound, ValidationFailed


@blp.route("/invoices", methods=["GET"])
@access.roles(*FINANCE)
@blp.arguments(InvoiceArgs, location="query")
@blp.response(200, page_of(InvoiceSchema))
def list_invoices(args):
    """Invoices (partners: their own organisation's), filtered by year, partner and
    status (outstanding, overdue, paid, cancelled)."""
    rows, total = svc.list_invoices(
        current_user,
        svc.InvoiceFilters(
            financial_year=args.get("year"),
            arm=args.get("arm"),
            organisation_id=args.get("organisation_id"),
            status=args.get("status"),
            page=args["page"],
            per_page=args["per_page"],
        ),
    )
    return page(rows, total, args)


@blp.route("/invoices", methods=["POST"])
@access.roles(*OFFICE)
@blp.arguments(InvoiceSchema)
@blp.response(201, InvoiceSchema)
def create_invoice(body):
    """Invoice a partner's contribution (approved budgets only)."""
    a = svc.get_agreement(body["agreement_id"], current_user)
    return svc.raise_invoice(
        a,
        issued_on=body["issued_on"],
        due_on=body.get("due_on"),
        amount_pence=body.get("amount_pence"),
        description=body.get("description"),
        user=current_user,
        purchase_order=body.get("purchase_order"),
        ledger_invoice_number=body.get("ledger_invoice_number"),
    )


@blp.route("/invoices/<int:invoice_id>", methods=["GET"])
@access.roles(*FINANCE)
@blp.response(200, InvoiceSchema)
def get_invoice(invoice_id: int):
    return svc.get_invoice(invoice_id, current_user)


@blp.route("/invoices/<int:invoice_id>", methods=["PATCH"])
@access.roles(*OFFICE)
@blp.arguments(FinanceReferenceUpdate)
@blp.response(200, InvoiceSchema)
def update_invoice(body, invoice_id: int):
    """The host council's finance reference: `purchase_order` and `ledger_invoice_number`
    (each optional, at most 40 characters; fields left out keep their values; null clears)."""
    inv = svc.get_invoice(invoice_id, current_user)
    return svc.set_finance_reference(
        inv,
        version=body["version"],
        purchase_order=body.get("purchase_order", inv.purchase_order),
        ledger_invoice_number=body.get("ledger_invoice_number", inv.ledger_invoice_number),
    )


@blp.route("/invoices/<int:invoice_id>/pdf", methods=["GET"])
@access.roles(*FINANCE)
@blp.response(200, description="The invoice as a PDF (application/pdf)")
def get_invoice_pdf(invoice_id: int):
    """The invoice as a PDF on the partnership's letterhead."""
    from safeguarding.documents import send_file

    inv = svc.get_invoice(invoice_id, current_user)
    return send_file(svc.invoice_pdf(inv), f"{inv.number}.pdf")


@blp.route("/invoices/<int:invoice_id>/cancel", methods=["POST"])
@access.roles(*OFFICE)
@blp.arguments(ReasonSchema)
@blp.response(200, InvoiceSchema)
def cancel_invoice(body, invoice_id: int):
    """Cancel an invoice raised in error (it is kept, marked cancelled)."""
    inv = svc.get_invoice(invoice_id, current_user)
    return svc.cancel_invoice(inv, version=body.get("version"), reason=body["reason"], user=current_user)


@blp.route("/payments", methods=["GET"])
@access.roles(*FINANCE)
@blp.arguments(PaymentArgs, location="query")
@blp.response(200, page_of(PaymentSchema))
def list_payments(args):
    """Payments received (partners: their own organisation's only)."""
    rows, total = svc.list_payments(
        current_user,
        svc.PaymentFilters(
            financial_year=args.get("year"),
            arm=args.get("arm"),
            organisation_id=args.get("organisation_id"),
            invoice_id=args.get("invoice_id"),
            page=args["page"],
            per_page=args["per_page"],
        ),
    )
    return page(rows, total, args)


@blp.route("/payments", methods=["POST"])
@access.roles(*OFFICE)
@blp.arguments(PaymentSchema)
@blp.response(201, PaymentSchema)
def create_payment(body):
    """Record a payment against an invoice, in full or in part (never more than is outstanding)."""
    try:
        inv = svc.get_invoice(body["invoice_id"], current_user)
    except NotFound:
        raise ValidationFailed(errors={"invoice_id": "No invoice with this id"}) from None
    return svc.record_payment(
        inv,
        amount_pence=body["amount_pence"],
        received_on=body["received_on"],
        reference=body.get("reference"),
        version=body.get("version"),
        user=current_user,
    )


@blp.route("/payments/<int:payment_id>", methods=["GET"])
@access.roles(*FINANCE)
@blp.response(200, PaymentSchema)
def get_payment(payment_id: int):
    return svc.get_payment(payment_id, current_user)


@blp.route("/payments/<int:payment_id>/reverse", methods=["POST"])
@access.roles(*OFFICE)
@blp.arguments(ReasonSchema)
@blp.response(200, PaymentSchema)
def reverse_payment(body, payment_id: int):
    """Reverse a payment recorded in error (kept, marked reversed; the invoice is owed again)."""
    p = svc.get_payment(payment_id, current_user)
    return svc.reverse_payment(p, reason=body["reason"], version=body.get("version"), user=current_user)
