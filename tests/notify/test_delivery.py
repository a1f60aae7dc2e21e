"""Delivering the outbox to a real SMTP server (aiosmtpd, in this process): delivered
once, retried with back-off while the server is down, never lost, never sent twice."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import OutboxMessage, OutboxStatus
from safeguarding.models.base import utcnow
from safeguarding.notify import Attachment, deliver_pending, queue_email, retry_delay, send_again
from tests.support.browser import free_port
from tests.support.committed import committed_app
from tests.support.smtp import smtp_server

NOTHING = {"claimed": 0, "sent": 0, "retrying": 0, "failed": 0, "skipped": 0}


@pytest.fixture
def mail(app, monkeypatch):
    """Point the app at 127.0.0.1:<port>; the test starts (or not) a server there."""
    port = free_port()
    for key, value in {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": port,
        "MAIL_TIMEOUT": 5,
        "MAIL_USE_TLS": False,
        "MAIL_USE_SSL": False,
    }.items():
        monkeypatch.setitem(app.config, key, value)
    return port


def _queue(n: int = 1, **kw) -> list[OutboxMessage]:
    return [
        queue_email(
            [kw.pop("to", f"member{i}@partner.example")],
            f"Board papers {i}",
            "message",
            {"text": f"The papers for meeting {i} are ready."},
            kind="test",
            **kw,
        )
        for i in range(n)
    ]


def _state(message: OutboxMessage) -> OutboxMessage:
    db.session.expire(message)
    return db.session.get(OutboxMessage, message.id)


def test_a_message_arrives_with_its_subject_body_and_attachment(mail):
    pdf = b"%PDF-1.7\n% a letter\n"
    [message] = _queue(
        1,
        to="ce@north.example",
        cc=["office@demo.test"],
        attachments=[Attachment("ESC-2026-004-letter.pdf", "application/pdf", pdf)],
    )
    with smtp_server(mail) as server:
        assert deliver_pending() == {"claimed": 1, "sent": 1, "retrying": 0, "failed": 0, "skipped": 0}
    [received] = server.messages
    assert received["Subject"] == "Board papers 0"
    assert received["To"] == "ce@north.example" and received["Cc"] == "office@demo.test"
    assert received["From"] == "Safeguarding Partnership <business.office@safeguarding-partnership.example>"
    assert received["Message-ID"].strip() == message.message_id  # (folded: the header is long)
    assert received["Auto-Submitted"] == "auto-generated"
    assert received.get_body(("plain",)).get_content().replace("\r\n", "\n") == message.body
    [attachment] = list(received.iter_attachments())
    assert attachment.get_filename() == "ESC-2026-004-letter.pdf"
    assert attachment.get_content_type() == "application/pdf" and attachment.get_content() == pdf
    assert server.envelopes == [
        ("business.office@safeguarding-partnership.example", ["ce@north.example", "office@demo.test"])
    ]
    sent = _state(message)
    assert sent.status == OutboxStatus.sent and sent.attempts == 1 and sent.sent_at is not None
    assert sent.last_error is None


def test_while_the_server_is_down_attempts_are_recorded_and_nothing_is_lost(mail):
    messages = _queue(3)
    now = utcnow()
    assert deliver_pending(now=now) == {"claimed": 3, "sent": 0, "retrying": 3, "failed": 0, "skipped": 0}
    for m in messages:
        m = _state(m)
        assert m.status == OutboxStatus.pending and m.attempts == 1
        assert m.last_error.startswith(f"Could not connect to the mail server 127.0.0.1:{mail}: ConnectionRefusedError")
        # A minute after the attempt (the round's clock runs on from `now`).
        assert now + timedelta(minutes=1) <= m.next_attempt_at < now + timedelta(minutes=1, seconds=5)
    # Not due again yet: nothing is tried.
    assert deliver_pending(now=now + timedelta(seconds=30)) == NOTHING

    with smtp_server(mail) as server:
        later = now + timedelta(minutes=2)
        assert deliver_pending(now=later) == {"claimed": 3, "sent": 3, "retrying": 0, "failed": 0, "skipped": 0}
        # Called again (twice): nothing is sent twice.
        assert deliver_pending(now=later) == NOTHING
        assert deliver_pending(now=later + timedelta(hours=1)) == NOTHING
    assert sorted(server.subjects()) == ["Board papers 0", "Board papers 1", "Board papers 2"]
    for m in messages:
        m = _state(m)
        assert m.status == OutboxStatus.sent and m.attempts == 2


def test_the_back_off_doubles_up_to_an_hour(app):
    assert [retry_delay(n).total_seconds() / 60 for n in range(1, 10)] == [1, 2, 4, 8, 16, 32, 60, 60, 60]


def test_a_message_is_failed_once_the_give_up_window_has_passed_until_the_office_sends_it_again(mail, app, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_GIVE_UP_AFTER_HOURS", 1)
    [message] = _queue(1)
    now = utcnow()
    statuses = []
    while True:  # the server stays down; each round at the message's next attempt
        deliver_pending(now=now)
        m = _state(message)
        statuses.append(m.status)
        if m.next_attempt_at is None:
            break
        now = m.next_attempt_at
    # 1, 2, 4, 8, 16, 32 minutes: the attempt at 63 minutes is past the hour.
    assert statuses == [OutboxStatus.pending] * 6 + [OutboxStatus.failed]
    m = _state(message)
    assert m.attempts == 7 and m.last_error.endswith("(given up: not accepted within 1 hours of being queued)")
    assert deliver_pending(now=now + timedelta(days=1)) == NOTHING  # given up

    send_again(_state(message))
    m = _state(message)
    assert m.status == OutboxStatus.pending and m.attempts == 0
    with smtp_server(mail) as server:
        # A fresh window: the deadline counts from when it was sent again.
        assert deliver_pending(now=now + timedelta(days=1))["sent"] == 1
    assert server.subjects() == ["Board papers 0"] and _state(message).status == OutboxStatus.sent


def test_a_permanent_refusal_fails_at_once(mail):
    [refused] = _queue(1, to="nobody@partner.example")
    [fine] = _queue(1, to="somebody@partner.example")
    with smtp_server(mail) as server:
        server.refuse.add("nobody@partner.example")
        assert deliver_pending() == {"claimed": 2, "sent": 1, "retrying": 0, "failed": 1, "skipped": 0}
    m = _state(refused)
    assert m.status == OutboxStatus.failed and m.attempts == 1
    assert "nobody@partner.example: 550" in m.last_error
    assert _state(fine).status == OutboxStatus.sent and len(server.messages) == 1


def test_a_message_that_cannot_be_built_fails_and_the_rest_are_sent(mail, monkeypatch):
    from safeguarding.notify import delivery

    broken, fine = _queue(2)
    build = delivery._email

    def failing(message):
        if message.id == broken.id:
            raise UnicodeEncodeError("ascii", "x", 0, 1, "test")
        return build(message)

    monkeypatch.setattr(delivery, "_email", failing)
    with smtp_server(mail) as server:
        assert deliver_pending() == {"claimed": 2, "sent": 1, "retrying": 0, "failed": 1, "skipped": 0}
    assert _state(broken).status == OutboxStatus.failed
    assert _state(broken).last_error.startswith("The email could not be built: UnicodeEncodeError")
    assert _state(fine).status == OutboxStatus.sent and len(server.messages) == 1


def test_a_message_whose_deliverer_vanished_is_sent_after_the_claim_times_out(mail):
    [message] = _queue(1)
    db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id == message.id)
        .values(status=OutboxStatus.sending, claim_token="someone-else", claimed_at=utcnow() - timedelta(minutes=5))
    )
    with smtp_server(mail) as server:
        assert deliver_pending() == NOTHING  # still within the claim
        assert deliver_pending(now=utcnow() + timedelta(minutes=15)) == {**NOTHING, "claimed": 1, "sent": 1}
    assert len(server.messages) == 1


def test_without_a_mail_server_messages_are_held_and_nothing_is_sent(app):
    [message] = _queue(1)
    with smtp_server() as server:
        assert deliver_pending() == NOTHING
    assert server.messages == [] and _state(message).status == OutboxStatus.held


@pytest.mark.slow
def test_concurrent_deliverers_send_each_message_exactly_once(tmp_path):
    """Two deliverers (think: two schedulers) at the same moment, on their own database
    connections, with a slow server: every message arrives once."""
    port = free_port()
    with committed_app(tmp_path, "deliverers", MAIL_SERVER="127.0.0.1", MAIL_PORT=port) as (app, _):
        with app.app_context():
            for i in range(12):
                queue_email([f"member{i}@partner.example"], f"Message {i}", "message", {"text": "x"}, kind="test")
            db.session.commit()

        results: list[dict] = []
        errors: list[BaseException] = []
        start = threading.Barrier(3)

        def deliver() -> None:
            try:
                with app.app_context():
                    start.wait()
                    results.append(deliver_pending(limit=5))
                    results.append(deliver_pending(limit=50))
            except BaseException as exc:  # reported below
                errors.append(exc)

        with smtp_server(port) as server:
            server.delay = 0.05
            threads = [threading.Thread(target=deliver) for _ in range(3)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=60)
        assert not errors, errors
        assert sorted(server.subjects()) == sorted(f"Message {i}" for i in range(12))
        assert sum(r["sent"] for r in results) == 12 and sum(r["claimed"] for r in results) == 12
        with app.app_context():
            statuses = db.session.scalars(sa.select(OutboxMessage.status)).all()
            assert statuses == [OutboxStatus.sent] * 12
