"""The business office finds a failed email from the home page, reads it, sends it
again, and looks at the scheduled jobs. axe-core checks every page on the way."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import JobOutcome, JobRun, OutboxMessage, OutboxStatus
from safeguarding.models.base import utcnow
from safeguarding.notify import Attachment, queue_email
from tests.support.committed import committed_app

pytestmark = pytest.mark.browser


def test_office_sends_a_failed_email_again_and_reads_the_jobs_page(browse, live_server, tmp_path):
    with committed_app(tmp_path, url=live_server.env["DATABASE_URL"]) as (app, _), app.app_context():
        m = queue_email(
            ["ce@north.example"],
            "Attendance at Board meetings (ESC-2026-004)",
            "message",
            {"text": "Please reply by 21 December 2026."},
            kind="attendance_escalation",
            attachments=[Attachment("ESC-2026-004-letter.pdf", "application/pdf", b"%PDF-1.7")],
        )
        db.session.execute(
            sa.update(OutboxMessage)
            .where(OutboxMessage.id == m.id)
            .values(status=OutboxStatus.failed, attempts=8, last_error="Could not connect to the mail server")
        )
        db.session.add(
            JobRun(
                job="attendance_scan",
                as_of=date(2026, 11, 23),
                outcome=JobOutcome.failed,
                started_at=utcnow(),
                finished_at=utcnow(),
                counts={},
                attempts=1,
                error="Traceback (most recent call last):\n  ...\nValueError: no meetings",
            )
        )
        db.session.commit()

    b = browse("office")
    page = b.page
    page.get_by_role("link", name="Emails that could not be sent").click()
    b.check()
    page.get_by_role("link", name="Attendance at Board meetings (ESC-2026-004)").first.click()
    b.check()
    assert "Please reply by 21 December 2026." in page.content()
    page.get_by_role("button", name="Send again").click()
    b.check()
    page.get_by_role("button", name="Yes, send it again").click()
    b.check()
    assert "back in the queue" in page.locator(".govuk-notification-banner").inner_text()

    page.get_by_role("link", name="Email outbox").click()
    b.check()
    page.get_by_role("link", name="Scheduled jobs").click()
    b.check()
    page.get_by_text("ValueError: no meetings").first.click()  # open the details
    assert "Traceback" in page.locator(".govuk-details__text").first.inner_text()
    b.check()
