"""The escalation lifecycle: only the Chair approves (and may edit the letter when
approving); sending emails the PDF to the chief executive and keeps the PDF and DOCX;
the response; withdrawal; wrong state, wrong role and stale versions refused."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import Escalation, EscalationState, OutboxMessage
from safeguarding.services import attendance as svc
from safeguarding.services.errors import Conflict, Forbidden, StaleVersion, ValidationFailed
from safeguarding.workflows.attendance import escalation_lifecycle as lifecycle

ON = date(2026, 10, 20)


@pytest.fixture
def drafted(setup) -> Escalation:
    setup.series("absent", "absent", "absent")
    svc.scan(setup.last)
    return db.session.scalar(sa.select(Escalation).where(Escalation.group_id == setup.group.id))


def fire(e, trigger, user, **kw):
    return lifecycle.fire(e, trigger, user=user, version=kw.pop("version", e.version), as_of=kw.pop("as_of", ON), **kw)


def test_only_the_chair_approves(drafted, demo):
    for who in ("office", "police", "viewer"):
        with pytest.raises(Forbidden):
            fire(drafted, "approve", demo.user(who))
    assert drafted.state == EscalationState.letter_drafted
    assert "approve" not in lifecycle.available_triggers(drafted, demo.user("office"))
    assert "approve" in lifecycle.available_triggers(drafted, demo.user("chair"))
    fire(drafted, "approve", demo.user("chair"))
    assert drafted.state == EscalationState.letter_approved
    assert drafted.approved_on == ON and drafted.approved_by_id == demo.user("chair").id


def test_the_chair_may_edit_the_letter_when_approving(drafted, demo):
    fire(drafted, "approve", demo.user("chair"), params={"letter_text": "First paragraph.\n\nSecond paragraph."})
    assert drafted.letter_text == "First paragraph.\n\nSecond paragraph."
    letter = svc.build_letter(drafted)
    assert letter.paragraphs[:2] == ["First paragraph.", "Second paragraph."]


def test_approving_without_text_keeps_the_draft(drafted, demo):
    draft = drafted.letter_text
    fire(drafted, "approve", demo.user("chair"))
    assert drafted.letter_text == draft


def test_wrong_state_is_refused(drafted, demo):
    with pytest.raises(Conflict):
        fire(drafted, "send", demo.user("office"))
    with pytest.raises(Conflict):
        fire(
            drafted,
            "record_response",
            demo.user("office"),
            params={"response_received_on": ON, "response_summary": "x"},
        )
    assert drafted.state == EscalationState.letter_drafted


def test_a_stale_version_is_refused(drafted, demo):
    with pytest.raises(StaleVersion):
        fire(drafted, "approve", demo.user("chair"), version=drafted.version - 1)
    assert drafted.state == EscalationState.letter_drafted


def test_nobody_resolves_by_hand(drafted, demo):
    drafted.state = EscalationState.response_received
    db.session.flush()
    for who in ("office", "chair"):
        with pytest.raises(Forbidden):
            fire(drafted, "resolve", demo.user(who))


def test_sending_emails_the_pdf_and_keeps_the_pdf_and_docx(drafted, demo, setup):
    fire(drafted, "approve", demo.user("chair"))
    fire(drafted, "send", demo.user("office"))
    assert drafted.state == EscalationState.sent and drafted.sent_on == ON
    assert drafted.response_due_on == date(2026, 11, 17)
    assert drafted.sent_pdf.startswith(b"%PDF") and drafted.sent_docx.startswith(b"PK")
    message = db.session.scalar(
        sa.select(OutboxMessage).where(OutboxMessage.dedupe_key == f"escalation-sent:{drafted.id}")
    )
    assert message.to_addrs == [setup.a.chief_executive_email]
    assert message.subject == f"Attendance at Test group meetings ({drafted.reference})"
    (attachment,) = message.attachments
    assert attachment.content_type == "application/pdf" and attachment.data == drafted.sent_pdf
    assert svc.letter_pdf(drafted) == drafted.sent_pdf


def test_sending_needs_the_chief_executives_email(drafted, demo, setup):
    fire(drafted, "approve", demo.user("chair"))
    setup.a.chief_executive_email = None
    db.session.flush()
    with pytest.raises(ValidationFailed) as exc:
        fire(drafted, "send", demo.user("office"))
    assert "chief executive's email address" in exc.value.messages[0]


def test_the_response_needs_a_date_not_before_the_letter(drafted, demo):
    fire(drafted, "approve", demo.user("chair"))
    fire(drafted, "send", demo.user("office"))
    with pytest.raises(ValidationFailed) as exc:
        fire(drafted, "record_response", demo.user("office"), params={"response_summary": "x"})
    assert "response_received_on" in exc.value.errors
    with pytest.raises(ValidationFailed):
        fire(
            drafted,
            "record_response",
            demo.user("office"),
            params={"response_received_on": date(2026, 10, 1), "response_summary": "x"},
        )
    fire(
        drafted,
        "record_response",
        demo.user("office"),
        params={"response_received_on": date(2026, 10, 30), "response_summary": "A deputy is named."},
        as_of=date(2026, 11, 2),
    )
    assert drafted.state == EscalationState.response_received
    assert drafted.response_summary == "A deputy is named."


def test_the_office_may_escalate_to_the_board_and_partners_may_not(drafted, demo):
    fire(drafted, "approve", demo.user("chair"))
    fire(drafted, "send", demo.user("office"))
    with pytest.raises(Forbidden):
        fire(drafted, "escalate_to_board", demo.user("police"), params={"escalation_reason": "x"})
    fire(drafted, "escalate_to_board", demo.user("office"), params={"escalation_reason": "No reply to calls."})
    assert drafted.state == EscalationState.escalated_to_board


def test_withdrawal_needs_a_reason_and_closes_it(drafted, demo):
    with pytest.raises(ValidationFailed):
        fire(drafted, "withdraw", demo.user("office"))
    fire(drafted, "withdraw", demo.user("chair"), comment="The organisation has left the group")
    assert drafted.state == EscalationState.withdrawn
    assert drafted.withdrawal_reason == "The organisation has left the group"
    with pytest.raises(Conflict):
        fire(drafted, "withdraw", demo.user("office"), comment="again")
