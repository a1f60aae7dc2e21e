"""An attendance escalation: detected (by the daily scan) → letter drafted (at once, from
the template) → letter approved (by the Independent Chair only, who may edit the text) →
sent (the PDF emailed to the organisation's chief executive; the PDF and DOCX kept) →
response received (date and summary) → resolved (represented at the next meetings; by the
scan) or escalated to the Board (no response by the date, or no improvement; by the scan
or the business office); withdrawn with a reason from any open state."""

from __future__ import annotations

from safeguarding.formatting import long_date
from safeguarding.models import Escalation, EscalationState, Role
from safeguarding.models.attendance import OPEN_ESCALATION_STATES
from safeguarding.workflows.base import Lifecycle, Param, Transition, TransitionContext

OFFICE = {Role.business_office}
CHAIR = {Role.independent_chair}
OFFICE_OR_CHAIR = {Role.business_office, Role.independent_chair}
SYSTEM_ONLY: set[Role] = set()

# Effects that need the attendance service (the letter's template, the response date,
# sending the letter, the Board's agenda): registered by services/attendance/lifecycle.py.
DRAFT_FROM_TEMPLATE = "draft_from_template"
SET_SENT = "set_sent"
SEND_LETTER = "send_letter"
PUT_BEFORE_BOARD = "put_before_board"


def _edit(ctx: TransitionContext) -> None:
    ctx.row.letter_text = ctx.params["letter_text"]


def _approve(ctx: TransitionContext) -> None:
    e: Escalation = ctx.row
    if ctx.params.get("letter_text"):
        e.letter_text = ctx.params["letter_text"]
    e.approved_on = ctx.as_of
    e.approved_by_id = ctx.user.id if ctx.user is not None else None


def _chief_executive_email(ctx: TransitionContext) -> str | None:
    org = ctx.row.organisation
    if not org.chief_executive_email:
        return f"Record the chief executive's email address of {org.name} first"
    return None


def _response_date_valid(ctx: TransitionContext) -> str | None:
    on = ctx.params.get("response_received_on")
    if on is None:
        return None
    if on > ctx.as_of:
        return "The date the response was received must be today or in the past"
    if ctx.row.sent_on and on < ctx.row.sent_on:
        return (
            f"The date the response was received must be on or after the letter was sent ({long_date(ctx.row.sent_on)})"
        )
    return None


def _set_response(ctx: TransitionContext) -> None:
    ctx.row.response_received_on = ctx.params["response_received_on"]
    ctx.row.response_summary = ctx.params["response_summary"]


def _set_resolved(ctx: TransitionContext) -> None:
    ctx.row.closed_on = ctx.as_of


def _set_escalated(ctx: TransitionContext) -> None:
    ctx.row.escalation_reason = ctx.params["escalation_reason"]
    ctx.row.escalated_on = ctx.as_of
    ctx.row.closed_on = ctx.as_of


def _set_withdrawn(ctx: TransitionContext) -> None:
    ctx.row.withdrawal_reason = ctx.comment
    ctx.row.closed_on = ctx.as_of


LETTER_TEXT_HINT = (
    "The opening paragraphs, separated by a blank line. The meetings missed, the attendance record, "
    "the constitution's words and the response requested are added below them."
)

escalation_lifecycle = Lifecycle(
    "escalation",
    Escalation,
    EscalationState,
    [
        Transition("draft_letter", "detected", "letter_drafted", OFFICE, "Draft the letter", apply=DRAFT_FROM_TEMPLATE),
        Transition(
            "edit_letter",
            "letter_drafted",
            "letter_drafted",
            OFFICE_OR_CHAIR,
            "Edit the letter",
            params=[Param("letter_text", "textarea", "Text of the letter", hint=LETTER_TEXT_HINT)],
            apply=_edit,
        ),
        Transition(
            "approve",
            "letter_drafted",
            "letter_approved",
            CHAIR,
            "Approve and sign the letter",
            params=[
                Param(
                    "letter_text",
                    "textarea",
                    "Text of the letter (leave blank to keep the draft)",
                    required=False,
                    hint=LETTER_TEXT_HINT,
                )
            ],
            apply=_approve,
        ),
        Transition(
            "send",
            "letter_approved",
            "sent",
            OFFICE_OR_CHAIR,
            "Send the letter",
            guards=[_chief_executive_email],
            apply=SET_SENT,
            after=SEND_LETTER,
            confirm="The letter is emailed as a PDF to the organisation's chief executive, and a copy kept.",
        ),
        Transition(
            "record_response",
            "sent",
            "response_received",
            OFFICE_OR_CHAIR,
            "Record the response",
            params=[
                Param(
                    "response_received_on",
                    "date",
                    "Date the response was received",
                    message="Enter the date the response was received",
                ),
                Param(
                    "response_summary", "textarea", "Summary of the response", message="Enter a summary of the response"
                ),
            ],
            guards=[_response_date_valid],
            apply=_set_response,
        ),
        Transition("resolve", "response_received", "resolved", SYSTEM_ONLY, "Record as resolved", apply=_set_resolved),
        Transition(
            "escalate_to_board",
            ["sent", "response_received"],
            "escalated_to_board",
            OFFICE,
            "Escalate to the Board",
            params=[
                Param(
                    "escalation_reason",
                    "textarea",
                    "Why it goes to the Board",
                    message="Enter why it goes to the Board",
                )
            ],
            apply=_set_escalated,
            after=PUT_BEFORE_BOARD,
            confirm="An item is added to the agenda of the next Board meeting.",
        ),
        Transition(
            "withdraw",
            [s.value for s in OPEN_ESCALATION_STATES],
            "withdrawn",
            OFFICE_OR_CHAIR,
            "Withdraw the escalation",
            comment="required",
            comment_label="Reason for withdrawing",
            apply=_set_withdrawn,
            destructive=True,
            confirm="The escalation will be closed as withdrawn. Its record is kept.",
        ),
    ],
    initial="detected",
    noun="escalation",
)
