"""Sending again in bulk, and held mail released or discarded: the outbox page (one
confirmation page), `POST /api/v1/outbox/retry`, and `flask outbox release` /
`flask outbox discard --held`. Never sent silently, never dropped silently."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import AuditEntry, OutboxMessage, OutboxStatus
from safeguarding.models.base import utcnow
from safeguarding.notify import deliver_pending, queue_email
from tests.support.browser import free_port
from tests.support.smtp import smtp_server


def _message(status: OutboxStatus, subject: str = "Board papers", created_at: datetime | None = None) -> OutboxMessage:
    m = queue_email(["ce@north.example"], subject, "message", {"text": "x"}, kind="test")
    values: dict = {"status": status}
    if status == OutboxStatus.failed:
        values.update(attempts=9, last_error="Could not connect to the mail server")
    if created_at is not None:
        values["created_at"] = created_at
    db.session.execute(sa.update(OutboxMessage).where(OutboxMessage.id == m.id).values(**values))
    db.session.commit()  # (a savepoint in tests) a refused command's rollback keeps it
    return m


def _status(m: OutboxMessage | int) -> OutboxStatus:
    db.session.expire_all()
    return db.session.get(OutboxMessage, m if isinstance(m, int) else m.id).status


def _count(status: OutboxStatus) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(OutboxMessage).where(OutboxMessage.status == status)
    )


def _audit(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


@pytest.fixture
def mail_server(app, monkeypatch):
    port = free_port()
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    monkeypatch.setitem(app.config, "MAIL_TIMEOUT", 2)
    return port


# --- pages -----------------------------------------------------------------------------------


def test_a_selection_is_sent_again_after_one_confirmation_and_audited_with_the_count(client_as, mail_server):
    one, two = _message(OutboxStatus.failed, "First"), _message(OutboxStatus.failed, "Second")
    sent = _message(OutboxStatus.sent, "Delivered")
    c = client_as("office")
    html = c.get("/outbox").get_data(as_text=True)
    assert f'id="ids-{one.id}"' in html and f'id="ids-{two.id}"' in html and f'id="ids-{sent.id}"' not in html

    confirm = c.get(f"/outbox/send-again?ids={one.id}&ids={two.id}")
    assert "Are you sure you want to send 2 selected emails again?" in confirm.get_data(as_text=True)
    assert [_status(one), _status(two)] == [OutboxStatus.failed] * 2  # asking changes nothing

    before = len(_audit("send_again_bulk"))
    done = c.post("/outbox/send-again", data={"ids": [str(one.id), str(two.id)]}, follow_redirects=True)
    assert "2 emails back in the queue" in done.get_data(as_text=True)
    assert [_status(one), _status(two), _status(sent)] == [
        OutboxStatus.pending,
        OutboxStatus.pending,
        OutboxStatus.sent,
    ]
    entry = _audit("send_again_bulk")[before]
    assert entry.changes["count"] == 2 and entry.changes["ids"] == sorted([one.id, two.id])
    assert entry.actor_label == "office@demo.test"
    with smtp_server(mail_server) as server:
        assert deliver_pending()["sent"] >= 2
    assert {"First", "Second"} <= set(server.subjects()) and "Delivered" not in server.subjects()


def test_every_failed_email_is_sent_again_with_a_fresh_give_up_window(client_as, mail_server):
    old = utcnow() - timedelta(days=10)
    failed = [_message(OutboxStatus.failed, f"Failed {i}", created_at=old) for i in range(3)]
    total = _count(OutboxStatus.failed)
    c = client_as("office")
    assert f"Send all {total} failed emails again" in c.get("/outbox").get_data(as_text=True)
    assert f"send {total} failed emails again?" in c.get("/outbox/send-again?all=failed").get_data(as_text=True)
    c.post("/outbox/send-again", data={"all": "failed"})
    assert _count(OutboxStatus.failed) == 0
    db.session.expire_all()
    rows = [db.session.get(OutboxMessage, m.id) for m in failed]
    assert all(m.status == OutboxStatus.pending and m.attempts == 0 for m in rows)
    assert all(m.queued_at > old + timedelta(days=9) for m in rows)  # the deadline counts from now
    assert _audit("send_again_bulk")[-1].changes == {"count": total, "selection": "failed"}


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ("", "Select the emails to send again"),
        ("?ids=abc", "Select the emails to send again"),
        ("?ids=-1", "Select the emails to send again"),
        ("?all=everything", "Select the emails to send again"),
        ("?ids=999999", "There is no email 999999"),
    ],
)
def test_a_bad_selection_is_shown_as_an_error_and_changes_nothing(client_as, mail_server, query, error):
    failed = _message(OutboxStatus.failed)
    c = client_as("office")
    for response in (c.get(f"/outbox/send-again{query}"), c.post(f"/outbox/send-again{query}")):
        html = response.get_data(as_text=True)
        assert response.status_code == 200 and "There is a problem" in html and error in html
    assert _status(failed) == OutboxStatus.failed


def test_a_selection_including_a_sent_email_is_refused_as_a_whole(client_as, mail_server):
    failed, sent = _message(OutboxStatus.failed), _message(OutboxStatus.sent)
    html = client_as("office").post(f"/outbox/send-again?ids={failed.id}&ids={sent.id}").get_data(as_text=True)
    assert f"Email {sent.id} is sent: only failed emails" in html
    assert f'value="{failed.id}" checked' in html  # the ticks are kept
    assert [_status(failed), _status(sent)] == [OutboxStatus.failed, OutboxStatus.sent]


def test_sending_again_in_bulk_needs_the_csrf_token_and_the_business_office(client_as, mail_server):
    failed = _message(OutboxStatus.failed)
    assert client_as("office").post("/outbox/send-again", data={"all": "failed"}, csrf=False).status_code == 400
    assert client_as("chair").post("/outbox/send-again", data={"all": "failed"}).status_code == 403
    assert _status(failed) == OutboxStatus.failed


# --- held mail -----------------------------------------------------------------------------


def test_held_mail_is_offered_to_release_once_a_server_is_configured_and_never_sent_silently(
    client_as, app, monkeypatch
):
    oldest = datetime(2019, 11, 2, 9, 30, tzinfo=UTC)  # before any of the demo's story
    held = [_message(OutboxStatus.held, "Held letter", created_at=oldest)]
    c = client_as("office")
    assert "Release held emails" not in c.get("/outbox").get_data(as_text=True)  # no server: read them here
    refused = c.get("/outbox/send-again?all=held").get_data(as_text=True)
    assert "No mail server is configured" in refused

    port = free_port()
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    total = _count(OutboxStatus.held)
    with smtp_server(port) as server:
        deliver_pending()  # a deliverer with a mail server does not touch held mail
        assert server.messages == [] and _status(held[0]) == OutboxStatus.held
        html = c.get("/outbox").get_data(as_text=True)
        assert f"{total} held emails" in html and "2 November 2019 at 9:30am" in html
        assert "Release held emails" in html and "Discard held emails" in html
        confirm = c.get("/outbox/send-again?all=held").get_data(as_text=True)
        assert f"Are you sure you want to release {total} held emails?" in confirm
        c.post("/outbox/send-again", data={"all": "held"})
        assert _count(OutboxStatus.held) == 0
        assert _audit("release_held")[-1].changes == {"count": total, "selection": "held"}
        deliver_pending(limit=total + 10)
    assert "Held letter" in server.subjects() and len(server.messages) == total


def test_held_mail_is_discarded_only_with_a_reason_and_kept(client_as, mail_server):
    held = _message(OutboxStatus.held, "Test before go-live")
    total = _count(OutboxStatus.held)
    c = client_as("office")
    assert f"Discard {total} held emails" in c.get("/outbox/discard-held").get_data(as_text=True)
    missing = c.post("/outbox/discard-held", data={"reason": "  "}).get_data(as_text=True)
    assert "There is a problem" in missing and "Enter why the held emails are being discarded" in missing
    assert _status(held) == OutboxStatus.held
    c.post("/outbox/discard-held", data={"reason": "Test messages from before go-live"})
    assert _status(held) == OutboxStatus.discarded and _count(OutboxStatus.held) == 0
    assert db.session.get(OutboxMessage, held.id).last_error == "Discarded: Test messages from before go-live"
    assert _audit("discard_held")[-1].changes == {
        "count": total,
        "reason": "Test messages from before go-live",
        "since": None,
    }
    assert "Test before go-live" in c.get("/outbox?status=discarded").get_data(as_text=True)
    # Nothing held: the page sends the office back.
    assert c.get("/outbox/discard-held").status_code == 302


# --- API -------------------------------------------------------------------------------------


def test_the_api_sends_a_selection_or_all_failed_again(api_as, mail_server):
    one, two = _message(OutboxStatus.failed), _message(OutboxStatus.failed)
    api = api_as("office")
    response = api.post("/api/v1/outbox/retry", json={"ids": [one.id]})
    assert response.status_code == 200 and response.get_json() == {"count": 1}
    assert [_status(one), _status(two)] == [OutboxStatus.pending, OutboxStatus.failed]
    total = _count(OutboxStatus.failed)
    assert api.post("/api/v1/outbox/retry", json={"all": "failed"}).get_json() == {"count": total}
    assert _status(two) == OutboxStatus.pending
    assert _audit("send_again_bulk")[-1].changes == {"count": total, "selection": "failed"}


@pytest.mark.parametrize(
    "body",
    [{}, {"ids": []}, {"ids": ["x"]}, {"ids": [1], "all": "failed"}, {"all": "sent"}, {"ids": 3}, {"ids": [999999]}],
)
def test_the_api_answers_bad_input_with_problem_json_and_changes_nothing(api_as, mail_server, body):
    failed = _message(OutboxStatus.failed)
    response = api_as("office").post("/api/v1/outbox/retry", json=body)
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    assert _status(failed) == OutboxStatus.failed


def test_the_api_refuses_held_mail_without_a_server_and_other_roles(api_as):
    held = _message(OutboxStatus.held)
    response = api_as("office").post("/api/v1/outbox/retry", json={"all": "held"})
    assert response.status_code == 409 and response.mimetype == "application/problem+json"
    assert "No mail server is configured" in response.get_json()["detail"]
    assert api_as("chair").post("/api/v1/outbox/retry", json={"all": "failed"}).status_code == 403
    assert _status(held) == OutboxStatus.held


# --- command line ----------------------------------------------------------------------------


def test_flask_outbox_release_since_a_date_leaves_older_held_mail_held(app, mail_server):
    old = _message(OutboxStatus.held, created_at=datetime(2026, 10, 1, 12, tzinfo=UTC))
    new = _message(
        OutboxStatus.held, created_at=datetime(2026, 11, 30, 23, 30, tzinfo=UTC)
    )  # still 30 November in London
    newest = _message(OutboxStatus.held, created_at=datetime(2026, 12, 2, 9, tzinfo=UTC))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["outbox", "release", "--since", "2026-12-01"])
    assert result.exit_code == 0, result.output
    assert [_status(old), _status(new), _status(newest)] == [
        OutboxStatus.held,
        OutboxStatus.held,
        OutboxStatus.pending,
    ]
    assert "Released" in result.output
    entry = _audit("release_held")[-1]
    assert entry.actor_label == "system: outbox release command" and entry.changes["since"] == "2026-12-01"
    assert runner.invoke(args=["outbox", "release", "--since", "yesterday"]).exit_code != 0


def test_flask_outbox_discard_needs_held_and_a_reason(app):
    held = _message(OutboxStatus.held).id
    runner = app.test_cli_runner()
    assert runner.invoke(args=["outbox", "discard", "--reason", "old"]).exit_code != 0
    assert runner.invoke(args=["outbox", "discard", "--held"]).exit_code != 0
    assert runner.invoke(args=["outbox", "discard", "--held", "--reason", "  "]).exit_code != 0
    assert _status(held) == OutboxStatus.held
    result = runner.invoke(args=["outbox", "discard", "--held", "--reason", "Sent by hand instead"])
    assert result.exit_code == 0, result.output
    assert _status(held) == OutboxStatus.discarded and _count(OutboxStatus.held) == 0
    assert _audit("discard_held")[-1].changes["reason"] == "Sent by hand instead"


def test_flask_outbox_release_without_a_mail_server_refuses(app):
    held = _message(OutboxStatus.held).id
    result = app.test_cli_runner().invoke(args=["outbox", "release"])
    assert result.exit_code != 0 and "No mail server is configured" in result.output
    assert _status(held) == OutboxStatus.held
