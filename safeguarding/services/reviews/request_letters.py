"""The letter of an information request: for the adults' Board it cites section 45 of the
Care Act 2014 and the conditions that apply; for a Child Safeguarding Practice Review,
section 16H of the Children Act 2004 (the safeguarding partners' power to request
information). Rendered once when the request is sent, kept as PDF and DOCX, and emailed
to a recipient outside the directory (with a reminder when it is overdue)."""

from __future__ import annotations

from datetime import date

from safeguarding.documents import Letter, render_docx, render_pdf
from safeguarding.formatting import long_date
from safeguarding.models import InformationRequest, RequestPurpose, ReviewKind
from safeguarding.notify import Attachment, queue_email, service_url

# Care Act 2014 s45(2)–(5), as the letter puts them to the recipient.
S45_CONDITIONS = {
    1: "the request is made for the purpose of enabling or assisting the Board to perform its functions",
    2: "you are a person or body whose functions or activities the Board considers make it likely that "
    "you hold information relevant to the exercise of a function by the Board",
    3: "the information relates to you, to a function or activity of yours, or to a person in respect of "
    "whom you exercise a function or engage in an activity",
    4: "the information was supplied to you in answer to another request under section 45, or is derived "
    "from information so supplied",
}

ADULTS_BOARD = "Safeguarding Adults Board"
CHILDREN_PARTNERS = "safeguarding partners"


def request_link(req: InformationRequest) -> str:
    """The request's page, for emails: under its review, or on its own."""
    if req.review_id is not None:
        return service_url("reviews.information_request", review_id=req.review_id, request_id=req.id)
    return service_url("reviews.s45_request", request_id=req.id)


def is_children(req: InformationRequest) -> bool:
    return req.review is not None and req.review.kind == ReviewKind.cspr


def subject(req: InformationRequest) -> str:
    """The letter's and the email's subject: the law and the reference, never a name."""
    if is_children(req):
        return f"Request for information under section 16H of the Children Act 2004 ({req.reference})"
    return f"Request for information under section 45 of the Care Act 2014 ({req.reference})"


def _what_for(req: InformationRequest) -> str:
    if req.review is not None:
        kind = "Child Safeguarding Practice Review" if is_children(req) else "Safeguarding Adults Review"
        return f"the {kind} {req.review.reference}"
    detail = req.purpose_detail or ""
    return f"{RequestPurpose(req.purpose).label.lower()}: {detail}" if detail else RequestPurpose(req.purpose).label


def _law(req: InformationRequest) -> list[str]:
    if is_children(req):
        return [
            "The safeguarding partners for the area make this request under section 16H of the Children Act "
            "2004, for the purpose of enabling or assisting them to perform their functions, which include "
            "identifying and reviewing serious child safeguarding cases. A person or body asked under that "
            "section must comply with the request.",
        ]
    conditions = [f"Condition {n}: {S45_CONDITIONS[n]}." for n in req.conditions]
    return [
        "Section 45 of the Care Act 2014 requires a person or body to supply information that a Safeguarding "
        "Adults Board requests when the conditions of that section are met. The Board considers that these "
        "conditions apply to this request:",
        *conditions,
        "Information supplied under section 45 may be used only for the purpose of enabling or assisting the "
        "Board to perform its functions.",
    ]


def build_letter(req: InformationRequest, on: date | None = None) -> Letter:
    """The request letter (plain text paragraphs; no case subject's name is added by us:
    the request's own wording is the office's)."""
    if req.organisation is not None:
        org = req.organisation
        name, organisation = "The Safeguarding Lead", org.name
        address = org.chief_executive_address or ""
    else:
        name, organisation = req.recipient_name or "", ""
        address = req.recipient_address or ""
    asker = f"the {CHILDREN_PARTNERS}" if is_children(req) else f"the {ADULTS_BOARD}"
    paragraphs: list = [
        f"I am writing on behalf of {asker} to ask you for information for {_what_for(req)}.",
        "The information requested:",
        req.request,
        *_law(req),
        f"Please send the information by {long_date(req.due_on)}, quoting reference {req.reference}, to the "
        "business office at the address above. If you cannot supply it, please tell us by the same date and "
        "say why.",
        "Supplying information in answer to this request is a disclosure required by law, which data "
        "protection law permits. Please send it securely.",
    ]
    return Letter(
        reference=req.reference,
        date=on or req.sent_on,
        recipient_name=name,
        recipient_title="",
        recipient_organisation=organisation,
        address_lines=[line.strip() for line in address.splitlines() if line.strip()],
        subject=subject(req).rsplit(" (", 1)[0],
        salutation="Dear colleague",
        paragraphs=paragraphs,
    )


def keep_letter(req: InformationRequest) -> None:
    """Render the letter once, as sent, and keep both forms."""
    letter = build_letter(req)
    req.sent_pdf = render_pdf(letter)
    req.sent_docx = render_docx(letter)


def letter_pdf(req: InformationRequest) -> bytes:
    return req.sent_pdf if req.sent_pdf else render_pdf(build_letter(req))


def letter_docx(req: InformationRequest) -> bytes:
    return req.sent_docx if req.sent_docx else render_docx(build_letter(req))


def email_letter(req: InformationRequest, *, reminder_on: date | None = None) -> None:
    """Email the letter (PDF attached) to a recipient outside the directory who has an
    email address: once when sent, and once per chase when overdue (`reminder_on`)."""
    if req.organisation_id is not None or not req.recipient_email:
        return
    queue_email(
        [req.recipient_email],
        ("Reminder: " if reminder_on else "") + subject(req),
        "information_request_letter",
        {
            "reference": req.reference,
            "asker": f"the {CHILDREN_PARTNERS}" if is_children(req) else f"the {ADULTS_BOARD}",
            "due": long_date(req.due_on),
            "reminder": bool(reminder_on),
        },
        kind="information_request_letter",
        dedupe_key=f"information-request-letter:{req.id}:{reminder_on or 'sent'}",
        attachments=[Attachment(f"{req.reference.replace('/', '-')}-letter.pdf", "application/pdf", letter_pdf(req))],
    )
