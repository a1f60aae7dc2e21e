"""The disputes' daily job: the alert when 7 days (DISPUTE_ALERT_DAYS) remain and no
meeting is convened, and the breach on day 29 without a held meeting — each once, however
often the job runs for the same day or on the days after."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from safeguarding import jobs
from safeguarding.extensions import db
from safeguarding.jobs.disputes import dispute_deadlines
from safeguarding.models import Dispute
from safeguarding.models.outbox import OutboxMessage
from safeguarding.services import disputes as svc
from safeguarding.workflows.disputes import dispute_lifecycle

DETERMINED = date(2027, 3, 1)
DEADLINE = date(2027, 3, 29)  # + 28 days


@pytest.fixture
def dispute(demo) -> Dispute:
    # The demo's own disputes are long past their deadlines by 2027: settle their breaches
    # first, so the counts below are this dispute's alone.
    svc.record_breaches(DETERMINED)
    office = demo.user("office")
    d = svc.raise_dispute(
        office,
        subject="Sharing of strategy meeting minutes with Paul Haynes's team",
        summary="x",
        party_organisation_ids=[demo.org("icb").id, demo.org("west").id],
        raised_on=date(2027, 2, 26),
        as_of=DETERMINED,
    )
    dispute_lifecycle.fire(
        d, "determine", user=office, version=d.version, as_of=DETERMINED, params={"determined_on": DETERMINED}
    )
    assert d.deadline == DEADLINE
    return d


def _alerts(d: Dispute) -> list[OutboxMessage]:
    return list(
        db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.dedupe_key == f"dispute-deadline-alert:{d.id}"))
    )


def test_the_job_is_registered():
    spec = jobs.get("dispute_deadlines")
    assert spec.fn is dispute_deadlines and "day 29" in spec.description


def test_the_alert_goes_once_when_7_days_remain_and_no_meeting_is_convened(dispute, demo):
    assert dispute_deadlines(DEADLINE - timedelta(days=8)) == {"alerts": 0, "breaches": 0}
    assert _alerts(dispute) == []
    day = DEADLINE - timedelta(days=7)
    assert dispute_deadlines(day) == {"alerts": 1, "breaches": 0}
    assert dispute_deadlines(day) == {"alerts": 0, "breaches": 0}  # the same day again
    for later in (1, 2, 7):  # the days after, up to the deadline
        assert dispute_deadlines(day + timedelta(days=later))["alerts"] == 0
    (message,) = _alerts(dispute)
    assert sorted(message.to_addrs) == ["chair@demo.test", "office@demo.test", "officer@demo.test"]
    assert message.subject == f"Dispute {dispute.reference}: joint meeting not yet convened, 7 days left"
    assert "Paul Haynes" not in message.subject and "Paul Haynes" not in message.body
    assert "must take place by 29 March 2027 (7 days left)" in message.body
    assert f"/disputes/{dispute.id}" in message.body
    assert dispute.deadline_alert_sent_on == day


def test_a_convened_meeting_means_no_alert(dispute, demo):
    dispute_lifecycle.fire(
        dispute,
        "convene",
        user=demo.user("chair"),
        version=dispute.version,
        as_of=DETERMINED,
        params={"meeting_on": DEADLINE, "meeting_time": "10:00", "location": "County Hall"},
    )
    for back in range(8, -1, -1):
        dispute_deadlines(DEADLINE - timedelta(days=back))
    assert _alerts(dispute) == [] and dispute.deadline_alert_sent_on is None


def test_a_dispute_determined_late_is_alerted_on_the_first_run(demo):
    svc.record_breaches(date(2027, 3, 1))
    d = svc.raise_dispute(
        demo.user("office"),
        subject="Late",
        summary="x",
        party_organisation_ids=[demo.org("icb").id, demo.org("west").id],
        raised_on=date(2027, 3, 1),
        as_of=date(2027, 3, 25),
    )
    dispute_lifecycle.fire(
        d,
        "determine",
        user=demo.user("office"),
        version=d.version,
        as_of=date(2027, 3, 25),
        params={"determined_on": date(2027, 3, 3)},
    )  # recorded with 6 days left
    assert dispute_deadlines(date(2027, 3, 25))["alerts"] == 1
    assert _alerts(d)[0].subject.endswith("6 days left")


def test_the_alert_days_are_configurable(dispute, app):
    previous = app.config["DISPUTE_ALERT_DAYS"]
    app.config["DISPUTE_ALERT_DAYS"] = 3
    try:
        assert dispute_deadlines(DEADLINE - timedelta(days=7))["alerts"] == 0
        assert dispute_deadlines(DEADLINE - timedelta(days=4))["alerts"] == 0
        assert dispute_deadlines(DEADLINE - timedelta(days=3))["alerts"] == 1
    finally:
        app.config["DISPUTE_ALERT_DAYS"] = previous
    assert _alerts(dispute)[0].subject.endswith("3 days left")


def test_the_breach_is_recorded_once_on_day_29_without_a_held_meeting(dispute):
    assert dispute_deadlines(DEADLINE)["breaches"] == 0  # day 28: still in time
    assert not dispute.breached
    day_29 = DEADLINE + timedelta(days=1)
    assert dispute_deadlines(day_29) == {"alerts": 0, "breaches": 1}
    assert dispute.breached and dispute.breach_recorded_on == day_29
    assert dispute.breach_note == "No joint meeting was held by the deadline of 29 March 2027"
    assert dispute_deadlines(day_29) == {"alerts": 0, "breaches": 0}  # the same day again
    assert dispute_deadlines(day_29 + timedelta(days=1)) == {"alerts": 0, "breaches": 0}  # and the next
    assert dispute.breach_recorded_on == day_29


def test_a_resolved_or_withdrawn_dispute_is_never_breached(dispute, demo):
    dispute_lifecycle.fire(
        dispute, "withdraw", user=demo.user("office"), version=dispute.version, comment="Settled", as_of=DETERMINED
    )
    dispute_deadlines(DEADLINE + timedelta(days=1))
    assert not dispute.breached


def test_the_runner_runs_it_once_per_day(dispute):
    day = DEADLINE - timedelta(days=7)
    first = jobs.run_job("dispute_deadlines", day)
    assert first.ran_here and first.counts == {"alerts": 1, "breaches": 0}
    again = jobs.run_job("dispute_deadlines", day)  # the same row, now "not run here"
    assert not again.ran_here
    assert len(_alerts(dispute)) == 1
    assert jobs.run_job("dispute_deadlines", day + timedelta(days=1)).counts == {"alerts": 0, "breaches": 0}
