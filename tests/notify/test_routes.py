"""The outbox page: the business office sees every email, reads it, and sends a failed
one again after confirming."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from safeguarding.extensions import db
from safeguarding.models import AuditEntry, OutboxMessage, OutboxStatus
from safeguarding.notify import Attachment, queue_email


def _message(status: OutboxStatus = OutboxStatus.held, **kw) -> OutboxMessage:
    m = queue_email(
        ["ce@north.example"],
        kw.pop("subject", "Attendance at Board meetings (ESC-2026-004)"),
        "message",
        {"text": "Please reply by 21 December 2026."},
        kind="attendance_escalation",
        **kw,
    )
    db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id == m.id)
        .values(
            status=status,
            attempts=8 if status == OutboxStatus.failed else 0,
            last_error="Could not connect to the mail server" if status == OutboxStatus.failed else None,
        )
    )
    db.session.expire(m)
    return m


def test_the_outbox_lists_messages_with_status_attempts_and_errors(client_as):
    _message(OutboxStatus.failed, subject="Failed one")
    _message(OutboxStatus.held, subject="Held one")
    page = client_as("office").get("/outbox")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Failed one" in html and "Held one" in html and "Could not connect to the mail server" in html
    assert "No mail server is configured" in html  # development: read them here
    assert "Failed (1)" in html


def test_the_outbox_filters_by_status(client_as):
    _message(OutboxStatus.failed, subject="Failed one")
    _message(OutboxStatus.held, subject="Held one")
    c = client_as("office")
    html = c.get("/outbox?status=failed").get_data(as_text=True)
    assert "Failed one" in html and "Held one" not in html
    assert c.get("/outbox?status=lost").status_code == 404


def test_a_message_shows_its_text_and_attachments(client_as):
    m = _message(attachments=[Attachment("ESC-2026-004-letter.pdf", "application/pdf", b"%PDF-1.7 x")])
    c = client_as("office")
    html = c.get(f"/outbox/{m.id}").get_data(as_text=True)
    assert "Please reply by 21 December 2026." in html and "ce@north.example" in html
    assert "ESC-2026-004-letter.pdf" in html
    attachment_id = (
        db.session.scalar(
            sa.select(OutboxMessage).where(OutboxMessage.id == m.id).options(selectinload(OutboxMessage.attachments))
        )
        .attachments[0]
        .id
    )
    download = c.get(f"/outbox/{m.id}/attachments/{attachment_id}")
    assert download.status_code == 200 and download.data == b"%PDF-1.7 x"
    assert download.mimetype == "application/pdf"
    assert "attachment; filename=ESC-2026-004-letter.pdf" in download.headers["Content-Disposition"]
    assert c.get(f"/outbox/{m.id}/attachments/999999").status_code == 404


def test_only_the_business_office_sees_the_outbox(client_as):
    m = _message()
    for who in ("chair", "police", "admin", "viewer"):
        c = client_as(who)
        assert c.get("/outbox").status_code == 403
        assert c.get(f"/outbox/{m.id}").status_code == 403


def test_a_failed_message_is_sent_again_after_confirmation(client_as, app, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "mail.example.org")
    m = _message(OutboxStatus.failed)
    c = client_as("office")
    assert "Send again" in c.get(f"/outbox/{m.id}").get_data(as_text=True)
    confirm = c.get(f"/outbox/{m.id}/send-again")
    assert "Are you sure you want to send this email again?" in confirm.get_data(as_text=True)
    assert db.session.get(OutboxMessage, m.id).status == OutboxStatus.failed  # asking changes nothing

    done = c.post(f"/outbox/{m.id}/send-again", follow_redirects=True)
    assert "back in the queue" in done.get_data(as_text=True)
    m = db.session.get(OutboxMessage, m.id)
    assert m.status == OutboxStatus.pending and m.attempts == 0 and m.next_attempt_at is not None
    entry = db.session.scalar(
        sa.select(AuditEntry).where(AuditEntry.action == "send_again", AuditEntry.entity_id == str(m.id))
    )
    assert entry.actor_label == "office@demo.test"


def test_only_failed_messages_can_be_sent_again(client_as):
    sent = _message(OutboxStatus.sent)
    c = client_as("office")
    assert "Send again" not in c.get(f"/outbox/{sent.id}").get_data(as_text=True)
    response = c.post(f"/outbox/{sent.id}/send-again", follow_redirects=True)
    assert "only failed messages can be sent again" in response.get_data(as_text=True)
    assert db.session.get(OutboxMessage, sent.id).status == OutboxStatus.sent
    # A held message needs a mail server to go anywhere.
    held = _message(OutboxStatus.held)
    assert c.get(f"/outbox/{held.id}/send-again").status_code == 302


def test_sending_again_needs_the_csrf_token(client_as):
    m = _message(OutboxStatus.failed)
    response = client_as("office").post(f"/outbox/{m.id}/send-again", csrf=False)
    assert response.status_code == 400
    assert db.session.get(OutboxMessage, m.id).status == OutboxStatus.failed


def test_failed_emails_show_on_the_business_office_home_page(client_as):
    c = client_as("office")
    assert "Emails that could not be sent" not in c.get("/home").get_data(as_text=True)
    _message(OutboxStatus.failed)
    _message(OutboxStatus.failed)
    html = c.get("/home").get_data(as_text=True)
    assert "Emails that could not be sent" in html and "/outbox?status=failed" in html
    assert "Emails that could not be sent" not in client_as("chair").get("/home").get_data(as_text=True)


def test_pages_stay_within_the_query_budget_as_the_outbox_grows(client_as, count_queries, app, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "mail.example.org")  # the held panel and its pages
    _message(OutboxStatus.held)
    c = client_as("office")
    first = _message(OutboxStatus.failed, attachments=[Attachment("a.pdf", "application/pdf", b"x")])
    counts = []
    for size in (1, 40):
        while db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) < size:
            _message(OutboxStatus.failed, attachments=[Attachment("a.pdf", "application/pdf", b"x")])
        row = []
        for url in (
            "/outbox",
            "/outbox?status=failed",
            f"/outbox/{first.id}",
            "/home",
            "/outbox/send-again?all=failed",
            f"/outbox/send-again?ids={first.id}",
            "/outbox/discard-held",
        ):
            with count_queries() as q:
                assert c.get(url).status_code == 200
            row.append(q.count)
        counts.append(row)
    assert counts[0] == counts[1] and max(counts[1]) <= 15, counts
