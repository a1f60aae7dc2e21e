"""Queueing email: in the caller's transaction, rendered now, once per dedupe key."""

from __future__ import annotations

import jinja2
import pytest
import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import AuditEntry, OutboxAttachment, OutboxMessage, OutboxStatus
from safeguarding.notify import Attachment, queue_email, render_body, service_url
from safeguarding.services import audit


def _count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage))


def test_an_email_is_rendered_now_and_written_to_the_outbox(app):
    before = _count()
    with audit.acting_as("system: attendance_scan"):
        message = queue_email(
            ["ce@north.example", "CE@north.example"],
            "Attendance at Board meetings (ESC-2026-004)",
            "message",
            {"text": "Please see the escalation.", "link": service_url("notify.outbox")},
            kind="attendance_escalation",
            cc=["office@demo.test"],
            attachments=[Attachment("ESC-2026-004.pdf", "application/pdf", b"%PDF-1.7 test")],
        )
    assert _count() == before + 1 and message.id is not None  # flushed, not committed
    assert message.to_addrs == ["ce@north.example"]  # the same address twice is sent once
    assert message.cc_addrs == ["office@demo.test"]
    assert message.kind == "attendance_escalation" and message.queued_by == "system: attendance_scan"
    assert message.message_id.startswith("<") and message.message_id.endswith("@safeguarding-partnership.example>")
    body = message.body
    assert body.startswith("Hello,\n\nPlease see the escalation.\n\nhttp://127.0.0.1:5000/outbox\n")
    # The footer: the partnership and a link to the service.
    assert "Safeguarding Partnership\nSafeguarding Adults Board and Safeguarding Children Partnership" in body
    assert "http://127.0.0.1:5000/\n" in body
    attachment = db.session.scalar(sa.select(OutboxAttachment).where(OutboxAttachment.outbox_message_id == message.id))
    assert (attachment.filename, attachment.content_type, attachment.size, attachment.data) == (
        "ESC-2026-004.pdf",
        "application/pdf",
        13,
        b"%PDF-1.7 test",
    )


def test_it_is_part_of_the_caller_s_transaction(app):
    before = _count()
    db.session.commit()  # (a savepoint in tests) the state before the change
    queue_email(["a@example.org"], "Subject", "message", {"text": "x"}, kind="test")
    db.session.rollback()  # the change that caused it failed
    assert _count() == before


def test_without_a_mail_server_messages_are_held_and_with_one_they_wait_to_be_sent(app, monkeypatch):
    held = queue_email(["a@example.org"], "Held", "message", {"text": "x"}, kind="test")
    assert held.status == OutboxStatus.held and held.next_attempt_at is None
    monkeypatch.setitem(app.config, "MAIL_SERVER", "mail.example.org")
    pending = queue_email(["a@example.org"], "Pending", "message", {"text": "x"}, kind="test")
    assert pending.status == OutboxStatus.pending and pending.next_attempt_at is not None and pending.attempts == 0


def test_the_same_dedupe_key_returns_the_message_already_queued(app):
    first = queue_email(
        ["a@example.org"],
        "Reminder",
        "message",
        {"text": "one"},
        kind="reminder",
        dedupe_key="reminder:membership:7:2026-11-23",
    )
    again = queue_email(
        ["a@example.org"],
        "Reminder",
        "message",
        {"text": "two"},
        kind="reminder",
        dedupe_key="reminder:membership:7:2026-11-23",
    )
    assert again.id == first.id and again.body == first.body
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.dedupe_key == "reminder:membership:7:2026-11-23")
        )
        == 1
    )
    other = queue_email(
        ["a@example.org"],
        "Reminder",
        "message",
        {"text": "x"},
        kind="reminder",
        dedupe_key="reminder:membership:7:2026-11-24",
    )
    assert other.id != first.id


def test_a_dedupe_key_queued_by_another_transaction_meanwhile_is_returned(app, monkeypatch):
    """The race: our look-up misses, theirs commits first; the unique key catches it."""
    from safeguarding.notify import outbox

    theirs = queue_email(["a@example.org"], "Theirs", "message", {"text": "x"}, kind="k", dedupe_key="race")
    calls = []

    def missing_once(key):
        calls.append(key)
        return (
            None
            if len(calls) == 1
            else db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.dedupe_key == key))
        )

    monkeypatch.setattr(outbox, "_by_key", missing_once)
    ours = queue_email(["a@example.org"], "Ours", "message", {"text": "x"}, kind="k", dedupe_key="race")
    assert ours.id == theirs.id and ours.subject == "Theirs"
    # The rest of the transaction carries on.
    assert queue_email(["b@example.org"], "Next", "message", {"text": "x"}, kind="k").id


@pytest.mark.parametrize(
    ("to", "subject", "message"),
    [
        ([], "Subject", "at least one recipient"),
        (["not an address"], "Subject", "not an email address"),
        ("a@example.org", "Subject", "a list of addresses"),
        (["a@example.org"], "Two\nlines", "one line"),
        (["a@example.org"], "  ", "one line"),
    ],
)
def test_bad_recipients_and_subjects_are_refused(app, to, subject, message):
    with pytest.raises((ValueError, TypeError), match=message):
        queue_email(to, subject, "message", {"text": "x"}, kind="test")


def test_a_template_missing_a_value_is_an_error_not_a_blank(app):
    with pytest.raises(jinja2.UndefinedError):
        render_body("message", {})
    with pytest.raises(ValueError, match="not an email template name"):
        render_body("../base", {"text": "x"})


def test_links_point_at_the_service_base_url_without_a_request(app, monkeypatch):
    assert service_url() == "http://127.0.0.1:5000/"
    assert service_url("notify.message", message_id=3) == "http://127.0.0.1:5000/outbox/3"
    monkeypatch.setitem(app.config, "SERVICE_BASE_URL", "https://partnership.example.org/sp/")
    assert service_url("notify.message", message_id=3) == "https://partnership.example.org/sp/outbox/3"


def test_queueing_is_audited_with_who_caused_it(client_as, demo):
    with audit.acting_as("office@demo.test", demo.user("office").id):
        message = queue_email(["a@example.org"], "Subject", "message", {"text": "x"}, kind="test")
    entry = db.session.scalar(
        sa.select(AuditEntry).where(
            AuditEntry.entity_type == "outbox_messages", AuditEntry.entity_id == str(message.id)
        )
    )
    assert entry.action == "create" and entry.actor_id == demo.user("office").id
    assert message.queued_by == "office@demo.test"


def test_attachments_must_be_safe():
    with pytest.raises(ValueError):
        Attachment("../../etc/passwd", "text/plain", b"x")
    with pytest.raises(ValueError):
        Attachment("a.pdf", "pdf", b"x")
    with pytest.raises(ValueError):
        Attachment("a.csv", "text/csv; charset=utf-8\r\nBcc: x@example.org", b"x")
    with pytest.raises(TypeError):
        Attachment("a.txt", "text/plain", "not bytes")  # type: ignore[arg-type]
