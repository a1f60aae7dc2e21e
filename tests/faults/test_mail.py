"""Mail under faults, against a real SMTP server (aiosmtpd) that is down, hangs, answers
451 or 554, is slow, or is down for days and comes back. Each test asserts on the outbox
rows and on what the server received. Hours pass on the deliverer's clock
(`deliver_pending(now=...)`, the round's start), never by sleeping."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from safeguarding.calendar import LONDON
from safeguarding.extensions import db
from safeguarding.formatting import date_time
from safeguarding.models import OutboxMessage, OutboxStatus
from safeguarding.models.base import utcnow
from safeguarding.notify import deliver_pending, delivery, queue_email
from tests.support.browser import PROJECT, free_port
from tests.support.committed import child_env, committed_app
from tests.support.smtp import smtp_server

STALLED = "The mail server has not accepted mail since"


@pytest.fixture
def mail(app, monkeypatch):
    """The app sends to 127.0.0.1:<port>; each test decides what listens there."""
    port = free_port()
    for key, value in {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": port,
        "MAIL_TIMEOUT": 1,
        "MAIL_USE_TLS": False,
        "MAIL_USE_SSL": False,
        "MAIL_GIVE_UP_AFTER_HOURS": 72,
        "MAIL_CLAIM_TIMEOUT_MINUTES": 15,
    }.items():
        monkeypatch.setitem(app.config, key, value)
    return port


def _queue(n: int, subject: str = "Chair's letter") -> list[OutboxMessage]:
    return [
        queue_email([f"ce{i}@partner.example"], f"{subject} {i}", "message", {"text": "x"}, kind="test")
        for i in range(n)
    ]


def _rows(messages: list[OutboxMessage]) -> list[OutboxMessage]:
    db.session.expire_all()
    return [db.session.get(OutboxMessage, m.id) for m in messages]


def _statuses(messages: list[OutboxMessage]) -> list[OutboxStatus]:
    return [m.status for m in _rows(messages)]


def _next_due(messages: list[OutboxMessage]) -> datetime | None:
    due = [m.next_attempt_at for m in _rows(messages) if m.status == OutboxStatus.pending]
    return min(due) if due else None


def _tick(at: datetime) -> datetime:
    """The scheduler's next round (it delivers on the minute) at or after `at`."""
    whole = at.replace(second=0, microsecond=0)
    return whole if whole == at else whole + timedelta(minutes=1)


def _rounds_until(messages: list[OutboxMessage], until: datetime) -> int:
    """The scheduler's rounds while the server stays as it is, skipping the minutes in
    which nothing is due, up to `until`. Returns how many rounds ran."""
    rounds = 0
    while (due := _next_due(messages)) is not None and _tick(due) <= until:
        deliver_pending(now=_tick(due))
        rounds += 1
    return rounds


def _hhmm(at: datetime) -> str:
    return f"{at.astimezone(LONDON):%H:%M}"


@contextmanager
def _hanging_server(port: int) -> Iterator[None]:
    """Accepts connections (the kernel's backlog) and never says a word."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(16)
    try:
        yield
    finally:
        listener.close()


# --- down, and back after a long outage -----------------------------------------------------


def test_a_two_day_outage_loses_nothing_and_the_office_is_told_until_mail_flows(mail, client_as):
    messages = _queue(5)
    queued = _rows(messages)[0].queued_at
    start = utcnow()
    office = client_as("office")
    assert STALLED not in office.get("/home").get_data(as_text=True)

    # The first round finds the server down: every message waits for another attempt.
    assert deliver_pending(now=start) == {"claimed": 5, "sent": 0, "retrying": 5, "failed": 0, "skipped": 0}
    sentence = f"{STALLED} {_hhmm(queued)}; 5 emails are waiting"
    assert sentence in office.get("/home").get_data(as_text=True)
    assert sentence in office.get("/outbox").get_data(as_text=True)
    assert STALLED not in client_as("chair").get("/home").get_data(as_text=True)
    page = office.get(f"/outbox/{messages[0].id}").get_data(as_text=True)
    assert "Tried until" in page
    assert date_time(queued + timedelta(hours=72)) in page

    # Two days of rounds with the server down (1, 2, 4 … minutes, then hourly).
    rounds = _rounds_until(messages, start + timedelta(hours=48))
    assert 45 <= rounds <= 60
    rows = _rows(messages)
    assert {m.status for m in rows} == {OutboxStatus.pending}
    assert all(m.attempts == rounds + 1 for m in rows)
    assert all(m.last_error.startswith("Could not connect to the mail server") for m in rows)
    # A message queued during the outage is waiting too.
    [late] = _queue(1, "Dispute alert")
    assert f"{STALLED} {_hhmm(queued)}; 6 emails are waiting" in office.get("/home").get_data(as_text=True)

    with smtp_server(mail) as server:
        deliver_pending(now=_tick(_next_due(messages)))
    assert _statuses([*messages, late]) == [OutboxStatus.sent] * 6
    assert sorted(server.subjects()) == sorted([f"Chair's letter {i}" for i in range(5)] + ["Dispute alert 0"])
    assert sorted(server.message_ids()) == sorted(m.message_id for m in _rows([*messages, late]))
    # Mail flows: both pages clear themselves.
    assert STALLED not in office.get("/home").get_data(as_text=True)
    assert STALLED not in office.get("/outbox").get_data(as_text=True)


def test_past_the_give_up_window_a_message_fails_and_the_office_sends_them_all_again(mail, client_as, api_as):
    messages = _queue(3)
    start = utcnow()
    deliver_pending(now=start)
    _rounds_until(messages, start + timedelta(hours=71, minutes=59))
    assert _statuses(messages) == [OutboxStatus.pending] * 3  # still trying at 71 hours
    _rounds_until(messages, start + timedelta(hours=74))
    rows = _rows(messages)
    assert [m.status for m in rows] == [OutboxStatus.failed] * 3
    assert all("given up: not accepted within 72 hours" in m.last_error for m in rows)
    assert all(m.next_attempt_at is None for m in rows)
    # Nothing waits any more, so the warning goes; the failed ones are the office's now.
    home = client_as("office").get("/home").get_data(as_text=True)
    assert STALLED not in home and "Emails that could not be sent" in home

    response = api_as("office").post("/api/v1/outbox/retry", json={"all": "failed"})
    assert response.status_code == 200 and response.get_json()["count"] >= 3
    with smtp_server(mail) as server:
        assert deliver_pending(now=start + timedelta(hours=75))["sent"] >= 3
    assert _statuses(messages) == [OutboxStatus.sent] * 3
    assert Counter(server.message_ids())[_rows(messages)[0].message_id] == 1


def test_when_the_server_is_back_messages_waiting_out_their_back_off_go_in_the_next_round(mail):
    early = _queue(2, "Review reminder")
    start = utcnow()
    deliver_pending(now=start)
    _rounds_until(early, start + timedelta(hours=3))  # now an hour apart
    # Five minutes after the last failed attempt, 55 minutes before the next one.
    later = _next_due(early) - timedelta(minutes=55)
    [fresh] = _queue(1, "Chair's letter")
    with smtp_server(mail) as server:
        assert deliver_pending(now=later)["sent"] == 1  # the fresh one
        assert deliver_pending(now=later + timedelta(minutes=1))["sent"] == 2  # brought forward
    assert _statuses([*early, fresh]) == [OutboxStatus.sent] * 3 and len(server.messages) == 3


# --- a server that hangs, asks to try later, or refuses -----------------------------------


def test_a_hung_server_ends_the_round_after_the_timeout_and_the_message_waits(mail):
    [message] = _queue(1)
    with _hanging_server(mail):
        began = time.monotonic()
        assert deliver_pending()["retrying"] == 1
        assert time.monotonic() - began < 10
    [row] = _rows([message])
    assert row.status == OutboxStatus.pending and row.attempts == 1 and "timed out" in row.last_error
    with smtp_server(mail) as server:
        deliver_pending(now=row.next_attempt_at)
    assert _statuses([message]) == [OutboxStatus.sent] and server.message_ids() == [row.message_id]


def test_a_451_is_retried_with_the_same_message_id_and_delivered_once(mail):
    [message] = _queue(1)
    with smtp_server(mail) as server:
        server.reply = "451 4.3.0 Try again later"
        assert deliver_pending()["retrying"] == 1
        [row] = _rows([message])
        assert row.status == OutboxStatus.pending and "451" in row.last_error
        assert server.refused_data == 1 and server.messages == []
        server.reply = None
        retry_at, message_id = row.next_attempt_at, row.message_id
        assert deliver_pending(now=retry_at)["sent"] == 1
        assert deliver_pending(now=retry_at + timedelta(hours=1))["claimed"] == 0
    assert server.message_ids() == [message_id]
    [row] = _rows([message])
    assert row.status == OutboxStatus.sent and row.attempts == 2


def test_a_permanent_refusal_fails_at_once_and_is_not_tried_again(mail):
    [message] = _queue(1)
    with smtp_server(mail) as server:
        server.reply = "554 5.7.1 Message rejected"
        assert deliver_pending()["failed"] == 1
        assert deliver_pending(now=utcnow() + timedelta(days=1))["claimed"] == 0
    [row] = _rows([message])
    assert row.status == OutboxStatus.failed and row.attempts == 1 and "554" in row.last_error
    assert server.refused_data == 1 and server.messages == []


# --- at most one send per claim ---------------------------------------------------------------


def test_a_message_taken_over_by_another_deliverer_mid_round_is_skipped(mail, monkeypatch):
    first, second = _queue(2)
    send = delivery._Smtp.send

    def send_then_lose_the_next_claim(self, email):
        outcome = send(self, email)
        # Meanwhile another deliverer found `second` stale and claimed it.
        db.session.execute(
            sa.update(OutboxMessage)
            .where(OutboxMessage.id == second.id)
            .values(claim_token="another-deliverer", claimed_at=utcnow())
        )
        return outcome

    monkeypatch.setattr(delivery._Smtp, "send", send_then_lose_the_next_claim)
    with smtp_server(mail) as server:
        assert deliver_pending() == {"claimed": 2, "sent": 1, "retrying": 0, "failed": 0, "skipped": 1}
    assert server.message_ids() == [first.message_id]
    one, two = _rows([first, second])
    assert one.status == OutboxStatus.sent
    assert two.status == OutboxStatus.sending and two.claim_token == "another-deliverer"


def test_the_claim_is_refreshed_before_each_message_so_a_slow_round_keeps_it(mail, app, monkeypatch):
    """A round whose second message comes two minutes after the claim (a slow server):
    another deliverer looking while it is sent, with a one-minute claim timeout, finds
    nothing stale to take, because the claim was refreshed just before sending."""
    monkeypatch.setitem(app.config, "MAIL_CLAIM_TIMEOUT_MINUTES", 1)
    first, second = _queue(2)
    clock = [utcnow()]
    start = clock[0]
    monkeypatch.setattr(delivery, "utcnow", lambda: clock[0])
    taken_over: list[list[int]] = []
    send = delivery._Smtp.send

    def slow_send(self, email):
        if taken_over == [] and clock[0] == start:
            clock[0] = start + timedelta(minutes=2)  # the first message took two minutes
            taken_over.append([])
            return send(self, email)
        # Sending the second: another deliverer looks 30 seconds later.
        taken_over.append(delivery._claim(clock[0] + timedelta(seconds=30), 50, "another-deliverer"))
        return send(self, email)

    monkeypatch.setattr(delivery._Smtp, "send", slow_send)
    with smtp_server(mail) as server:
        assert deliver_pending()["sent"] == 2
    assert taken_over == [[], []]  # nothing was stale
    assert sorted(server.message_ids()) == sorted([first.message_id, second.message_id])
    assert [m.claim_token != "another-deliverer" for m in _rows([first, second])] == [True, True]


@pytest.mark.slow
def test_a_deliverer_that_dies_after_the_server_accepted_is_repeated_with_the_same_message_id(mail, monkeypatch):
    """The one window left: accepted, not recorded. After the claim timeout the message is
    sent again, with the same Message-ID so mail systems can recognise the repeat."""
    [message] = _queue(1)

    def die(*args, **kwargs):
        raise SystemExit("killed")

    with smtp_server(mail) as server:
        with monkeypatch.context() as m:
            m.setattr(delivery, "_record_sent", die)
            with pytest.raises(SystemExit):
                deliver_pending()
        db.session.rollback()
        assert _statuses([message]) == [OutboxStatus.sending]
        assert deliver_pending(now=utcnow() + timedelta(minutes=5))["claimed"] == 0  # within the claim
        assert deliver_pending(now=utcnow() + timedelta(minutes=16))["sent"] == 1
    assert server.message_ids() == [message.message_id, message.message_id]
    assert _statuses([message]) == [OutboxStatus.sent]


@pytest.mark.slow
@pytest.mark.parametrize("deliverers", [2, 4])
def test_deliverer_processes_against_a_slow_server_send_each_message_once(tmp_path, deliverers):
    """`flask outbox deliver` processes, over and over, against a slow server, with a claim
    timeout (6 s) far shorter than a round: the others start once the first has claimed
    everything and take over its unsent messages (the server takes 1.5 s a message until
    they have, however long they take to start on a busy machine, then 0.5 s), and no
    message is sent twice."""
    port = free_port()
    total = 40
    with committed_app(tmp_path, f"deliverers{deliverers}", MAIL_SERVER="127.0.0.1", MAIL_PORT=port) as (app, url):
        with app.app_context():
            for i in range(total):
                queue_email([f"member{i}@partner.example"], f"Message {i}", "message", {"text": "x"}, kind="t")
            db.session.commit()

        def count(*statuses: OutboxStatus) -> int:
            with app.app_context():
                n = db.session.scalar(
                    sa.select(sa.func.count()).select_from(OutboxMessage).where(OutboxMessage.status.in_(statuses))
                )
                db.session.remove()
                return n

        def unsent() -> int:
            return count(OutboxStatus.pending, OutboxStatus.sending)

        def claims() -> int:
            with app.app_context():
                n = db.session.scalar(sa.select(sa.func.count(sa.distinct(OutboxMessage.claim_token))))
                db.session.remove()
                return n

        env = child_env(url, MAIL_SERVER="127.0.0.1", MAIL_PORT=str(port), MAIL_CLAIM_TIMEOUT_MINUTES="0.1")
        failures: list[str] = []
        skipped: list[int] = []
        deadline = time.monotonic() + 150

        claimed = threading.Event()

        def deliverer(first: bool) -> None:
            if not first:
                claimed.wait(timeout=60)
            while unsent() and time.monotonic() < deadline:
                done = subprocess.run(
                    [sys.executable, "-m", "flask", "--app", "safeguarding", "outbox", "deliver"],
                    env=env,
                    cwd=PROJECT,
                    capture_output=True,
                    text=True,
                    timeout=120,
                )
                if done.returncode != 0:
                    failures.append(done.stdout + done.stderr)
                    return
                # The command's summary: "claimed 24, sent 5, retrying 0, failed 0, skipped 19".
                skipped.extend(int(n) for n in re.findall(r"skipped (\d+)", done.stdout))

        with smtp_server(port) as server:
            server.delay = 1.5
            threads = [threading.Thread(target=deliverer, args=(i == 0,)) for i in range(deliverers)]
            for t in threads:
                t.start()
            while not claimed.is_set() and time.monotonic() < deadline:
                if count(OutboxStatus.sending) or not unsent():
                    claimed.set()
                time.sleep(0.1)
            while claims() < 2 and unsent() and time.monotonic() < deadline:
                time.sleep(0.2)
            server.delay = 0.5  # taken over: the rest at the usual slow pace
            for t in threads:
                t.join(timeout=180)
        assert not failures, failures[0]
        subjects = Counter(server.subjects())
        assert sorted(subjects) == sorted(f"Message {i}" for i in range(total))
        assert [s for s, n in subjects.items() if n > 1] == []  # 0 duplicates
        assert sum(skipped) > 0  # rounds were overtaken: the takeover really happened
        with app.app_context():
            assert db.session.scalars(sa.select(OutboxMessage.status)).all() == [OutboxStatus.sent] * total
