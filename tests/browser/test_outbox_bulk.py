"""The business office is told the mail server is not accepting mail, sends failed
emails again in bulk after one confirmation, and discards held emails with a reason.
axe-core checks every page on the way."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import OutboxMessage, OutboxStatus
from safeguarding.models.base import utcnow
from safeguarding.notify import queue_email
from tests.support.committed import committed_app

pytestmark = pytest.mark.browser


def _email(subject: str, **values) -> int:
    m = queue_email(["ce@north.example"], subject, "message", {"text": "x"}, kind="test")
    db.session.execute(sa.update(OutboxMessage).where(OutboxMessage.id == m.id).values(**values))
    return m.id


def test_office_is_told_mail_is_stuck_and_sends_failed_emails_again_in_bulk(browse, live_server, tmp_path):
    with committed_app(tmp_path, url=live_server.env["DATABASE_URL"]) as (app, _), app.app_context():
        failed = [
            _email(f"Bulk failed {i}", status=OutboxStatus.failed, attempts=3, last_error="550 No such mailbox")
            for i in range(2)
        ]
        _email(
            "Waiting for the server",
            status=OutboxStatus.pending,
            attempts=1,
            claimed_at=utcnow(),
            last_error="Could not connect to the mail server",
        )
        _email("Held before go-live", status=OutboxStatus.held)
        db.session.commit()

    b = browse("office")
    page = b.page
    page.get_by_role("link", name="Email is not being delivered").click()
    b.check()
    assert "The mail server has not accepted mail since" in page.locator("#mail-stalled").inner_text()
    for message_id in failed:
        page.get_by_label(f"Select email {message_id}").check()
    page.get_by_role("button", name="Send selected emails again").click()
    b.check()
    assert "Are you sure you want to send 2 selected emails again?" in page.content()
    page.get_by_role("button", name="Yes, send them again").click()
    b.check()
    assert "2 emails back in the queue" in page.locator(".govuk-notification-banner").inner_text()

    b.goto("/outbox/discard-held")
    b.check()
    page.get_by_role("button", name="Discard them").click()
    b.check()  # the error summary
    assert "Enter why the held emails are being discarded" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("Why are these emails being discarded?").fill("Test messages from before go-live")
    page.get_by_role("button", name="Discard them").click()
    b.check()
    assert "discarded: they will not be sent" in page.locator(".govuk-notification-banner").inner_text()
    assert "Held before go-live" in page.content()
