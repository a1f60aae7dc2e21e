"""Attendance: what the escalation lifecycle (workflows/attendance.py) needs from this
service — the letter drafted from its template, the date a response is due, sending the
letter, putting the escalation before the Board — registered on it by name, and how the
generic pages and API load an escalation."""

from __future__ import annotations

from safeguarding.models import Escalation
from safeguarding.services.attendance.letters import default_letter_text, put_before_board, response_due, send_letter
from safeguarding.services.attendance.queries import get_escalation
from safeguarding.workflows.attendance import (
    DRAFT_FROM_TEMPLATE,
    PUT_BEFORE_BOARD,
    SEND_LETTER,
    SET_SENT,
    escalation_lifecycle,
)
from safeguarding.workflows.base import TransitionContext

escalation_lifecycle.serve(loader=get_escalation)


@escalation_lifecycle.effect(DRAFT_FROM_TEMPLATE)
def _draft(ctx: TransitionContext) -> None:
    e: Escalation = ctx.row
    e.letter_text = default_letter_text(e)
    e.drafted_on = ctx.as_of


@escalation_lifecycle.effect(SET_SENT)
def _set_sent(ctx: TransitionContext) -> None:
    e: Escalation = ctx.row
    e.sent_on = ctx.as_of
    e.response_due_on = response_due(e, ctx.as_of) if e.response_due_on is None else e.response_due_on


@escalation_lifecycle.effect(SEND_LETTER)
def _send(ctx: TransitionContext) -> None:
    send_letter(ctx.row)


@escalation_lifecycle.effect(PUT_BEFORE_BOARD)
def _to_board(ctx: TransitionContext) -> None:
    put_before_board(ctx.row, ctx.as_of)
