"""The adults' annual report is agreed by a Board decision before it is published, and
publication sends it: one email per recipient through the outbox (the PDF attached or a
link, per the distribution list), each recipient's delivery shown from the outbox, the
office sending a failed or held one again."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from safeguarding.calendar import today
from safeguarding.extensions import db
from safeguarding.models import (
    AgendaItem,
    AnnualReportRecipient,
    AnnualReportState,
    Decision,
    DecisionMethod,
    DecisionOutcome,
    Meeting,
    OutboxAttachment,
    OutboxMessage,
    OutboxStatus,
    ReportContact,
    SendAs,
)
from safeguarding.models.base import utcnow
from safeguarding.notify import deliver_pending
from safeguarding.services import annual, meetings
from safeguarding.services.errors import Conflict, Forbidden, StaleVersion, ValidationFailed
from safeguarding.workflows.annual import annual_report_lifecycle as lc
from tests.support.annual import agree_and_publish, approve, board_agrees, board_meeting
from tests.support.browser import free_port
from tests.support.meetings import record
from tests.support.smtp import smtp_server

YEAR = 2013


def _text(page: str) -> str:
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", page).split()))


@pytest.fixture
def report(demo):
    return approve(annual.start_report(YEAR, demo.user("office")), demo)


def _publish(report, demo, on=None):
    return lc.fire(
        report, "publish", user=demo.user("office"), version=report.version, params={"sent_on": on or today()}
    )


def _messages(report) -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            sa.select(OutboxMessage)
            .where(OutboxMessage.dedupe_key.like(f"annual-report:{report.id}:recipient:%"))
            .order_by(OutboxMessage.id)
        )
    )


# --- the Board's agreement -------------------------------------------------------------------


def test_approval_puts_the_report_on_the_next_board_agenda_and_publication_waits(report, demo, client_as):
    item = db.session.scalar(
        sa.select(AgendaItem).where(AgendaItem.subject_type == "annual_report", AgendaItem.subject_id == report.id)
    )
    assert item is not None
    meeting = db.session.get(Meeting, item.meeting_id)
    assert meeting.group_id == demo.group("board").id and meeting.meeting_date >= today()
    a = annual.agreement(report)
    assert not a.agreed and a.on_agenda_for == meeting.meeting_date
    # The meeting's agenda links to the report.
    assert f'href="/annual-reports/{report.id}"' in client_as("office").get(f"/meetings/{meeting.id}").text
    with pytest.raises(ValidationFailed) as exc:
        _publish(report, demo)
    assert "The Board has not agreed the report yet" in exc.value.reasons[0]
    assert report.state == AnnualReportState.approved and annual.recipients_of(report) == []


def test_a_standing_board_decision_records_the_agreement_then_it_is_published(report, demo):
    decision = board_agrees(report, demo)
    meeting = db.session.get(Meeting, decision.meeting_id)
    assert (report.board_decision_id, report.board_agreed_on) == (decision.id, meeting.meeting_date)
    assert annual.agreement(report).agreed
    with pytest.raises(ValidationFailed):  # not before the Board agreed it
        _publish(report, demo, report.board_agreed_on - timedelta(days=1))
    _publish(report, demo)
    assert report.state == AnnualReportState.published


def test_a_vote_carried_agrees_it(report, demo):
    decision = board_agrees(report, demo, outcome="carried")
    assert decision.outcome == DecisionOutcome.carried and report.board_decision_id == decision.id


def test_a_vote_not_carried_does_not_agree_it_and_publication_is_refused(report, demo):
    decision = board_agrees(report, demo, outcome="not_carried")
    assert decision.outcome == DecisionOutcome.not_carried
    assert report.board_decision_id is None
    a = annual.agreement(report)
    assert not a.agreed and a.undecided == [decision]
    with pytest.raises(ValidationFailed):
        _publish(report, demo)
    # The office puts it before the Board again.
    on = annual.put_on_board_agenda(report, demo.user("office"))
    assert on is not None and annual.agreement(report).on_agenda_for == on


def test_an_inquorate_meetings_decision_does_not_agree_it(report, demo):
    # An interim decision at a meeting without the police: it stands only once validated.
    meeting = board_meeting(demo)
    record(meeting, demo, {"police_lead": "absent"})  # the police leave: quorum is lost
    item = meetings.add_agenda_item(meeting, title="Annual report", subject_type="annual_report", subject_id=report.id)
    with pytest.raises((ValidationFailed, Conflict)):
        meetings.record_decision(item, user=demo.user("office"), method="consensus", text="Agreed")
    interim = meetings.record_decision(item, user=demo.user("office"), method="consensus", text="Agreed", interim=True)
    assert not meetings.decision_stands(interim) and report.board_decision_id is None
    # A decision recorded as inquorate, handed to the hook, agrees nothing either.
    inquorate = Decision(
        meeting_id=meeting.id,
        agenda_item_id=item.id,
        method=DecisionMethod.consensus,
        outcome=DecisionOutcome.agreed,
        text="Agreed",
        subject_type="annual_report",
        subject_id=report.id,
        quorate=False,
    )
    db.session.add(inquorate)
    db.session.flush()
    annual.board_decided(inquorate, meeting)
    assert report.board_decision_id is None
    with pytest.raises(ValidationFailed):
        _publish(report, demo)


def test_a_decision_before_the_chairs_approval_or_of_another_group_agrees_nothing(demo):
    report = annual.start_report(YEAR + 1, demo.user("office"))
    decision = board_agrees(report, demo)  # the report is still drafting
    assert report.board_decision_id is None
    approve(report, demo)
    exec_meeting = db.session.get(Meeting, decision.meeting_id)
    exec_meeting.group_id = demo.group("exec").id
    annual.board_decided(decision, exec_meeting)
    assert report.board_decision_id is None


def test_the_childrens_yearly_report_never_waits_for_the_board(demo):
    yearly = annual.start_report(YEAR, demo.user("office"), "children")
    assert annual.agreement(yearly) is None
    with pytest.raises(Conflict):
        annual.put_on_board_agenda(yearly, demo.user("office"))
    assert not any(t.trigger == "publish" for t in lc.options(yearly, demo.user("office")))


def test_only_the_office_puts_it_on_the_agenda_and_only_while_approved(report, demo):
    with pytest.raises(Forbidden):
        annual.put_on_board_agenda(report, demo.user("chair"))
    board_agrees(report, demo)
    with pytest.raises(Conflict):
        annual.put_on_board_agenda(report, demo.user("office"))


def test_the_page_shows_what_is_awaited_then_the_agreement(report, demo, client_as):
    c = client_as("office")
    text = _text(c.get(f"/annual-reports/{report.id}").text)
    assert "Awaiting the Board's agreement: on the agenda of the Board meeting on" in text
    decision = board_agrees(report, demo)
    page = c.get(f"/annual-reports/{report.id}")
    assert f"Decision {decision.id}" in _text(page.text) and "agreed at the Board meeting on" in _text(page.text)
    assert f"/meetings/{decision.meeting_id}#item-{decision.agenda_item_id}" in page.text


def test_the_office_puts_it_on_the_agenda_from_the_page(report, demo, client_as):
    board_agrees(report, demo, outcome="not_carried")
    c = client_as("office")
    page = c.get(f"/annual-reports/{report.id}")
    assert "Put on the next Board agenda" in page.text
    r = c.post(f"/annual-reports/{report.id}/board-agenda", data={"version": str(report.version)})
    assert r.status_code == 302
    assert "On the agenda of the Board meeting on" in _text(c.get(r.headers["Location"]).text)


def test_the_api_refuses_publication_before_the_agreement(report, demo, api_as):
    a = api_as("office")
    body = a.get(f"/api/v1/annual-reports/{report.id}").json
    assert body["board_agreement"]["agreed"] is False and body["board_agreement"]["on_agenda_for"]
    r = a.post(
        f"/api/v1/annual-reports/{report.id}/transitions",
        json={"trigger": "publish", "version": body["version"], "sent_on": today().isoformat()},
    )
    assert r.status_code == 422 and "The Board has not agreed the report yet" in str(r.json)
    decision = board_agrees(report, demo)
    body = a.get(f"/api/v1/annual-reports/{report.id}").json
    assert body["board_agreement"]["decision_id"] == decision.id
    r = a.post(
        f"/api/v1/annual-reports/{report.id}/transitions",
        json={"trigger": "publish", "version": body["version"], "sent_on": today().isoformat()},
    )
    assert r.status_code == 200 and r.json["state"] == "published"
    assert a.post(f"/api/v1/annual-reports/{report.id}/board-agenda").status_code == 409


# --- the distribution ------------------------------------------------------------------------


def test_publication_queues_one_email_per_recipient_once(report, demo):
    agree_and_publish(report, demo)
    recipients = annual.recipients_of(report)
    messages = _messages(report)
    with_address = [r for r in recipients if r.email]
    assert len(messages) == len(with_address) and with_address
    assert {m.id for m in messages} == {r.message_id for r in with_address}
    north = demo.org("north")
    ce = next(r for r in recipients if r.role == "Chief executive, North Council")
    assert ce.email == north.chief_executive_email and ce.send_as == SendAs.attachment
    # Publishing again is refused; distributing again (a rerun) queues nothing new.
    with pytest.raises(Conflict):
        _publish(report, demo)
    assert annual.distribute(report, today()) == recipients
    assert len(_messages(report)) == len(messages)
    assert all(m.status == OutboxStatus.held for m in messages)  # no mail server in tests


def test_a_recipient_with_no_address_is_recorded_and_publication_goes_ahead(report, demo, client_as):
    agree_and_publish(report, demo)
    leader = next(
        r for r in annual.recipients_of(report) if r.role == "Chair of the Health and Wellbeing Board, West Council"
    )
    assert leader.email is None and leader.message_id is None
    d = next(d for d in annual.deliveries(report) if d.recipient.id == leader.id)
    assert d.status == "no_address"
    text = _text(client_as("office").get(f"/annual-reports/{report.id}").text)
    assert "No address — add one in the directory" in text
    with pytest.raises(ValidationFailed):
        annual.send_to_recipient(report, leader, demo.user("office"))
    # The office adds the address; sending now queues it.
    entry = annual.entry_for(demo.org("west").id, "hwb_chair")
    annual.set_contact(entry, demo.user("office"), email="hwb@west.demo.test", send_as="link", version=None)
    message = annual.send_to_recipient(report, leader, demo.user("office"))
    assert message.to_addrs == ["hwb@west.demo.test"] and leader.message_id == message.id


def test_attachment_for_attachment_recipients_and_a_link_for_link_ones(report, demo, client):
    office = demo.user("office")
    # The demo's distribution list: the commissioner takes a link, the chief executives the PDF.
    assert annual.entry_for(demo.org("police").id, "pcc").send_as == SendAs.link
    agree_and_publish(report, demo)
    by_role = {r.role_key + ":" + str(r.organisation_id): r for r in annual.recipients_of(report)}
    pcc = by_role[f"pcc:{demo.org('police').id}"]
    ce = by_role[f"chief_executive:{demo.org('north').id}"]
    link = f"/published/annual-reports/{report.id}.pdf"
    for r, attached in ((ce, True), (pcc, False)):
        m = db.session.get(OutboxMessage, r.message_id)
        files = list(db.session.scalars(sa.select(OutboxAttachment).where(OutboxAttachment.outbox_message_id == m.id)))
        assert link in m.body
        if attached:
            assert [(f.content_type, f.filename.endswith(".pdf")) for f in files] == [("application/pdf", True)]
            assert "attached" in m.body
        else:
            assert files == [] and "attached" not in m.body
    # The link works without signing in, for a published report only.
    r = client.get(link)
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    draft = annual.start_report(YEAR + 2, office)
    assert client.get(f"/published/annual-reports/{draft.id}.pdf").status_code == 404


def test_the_distribution_list_is_the_offices(demo, client_as):
    c = client_as("office")
    page = c.get("/annual-reports/distribution-list")
    assert page.status_code == 200 and "Leader of the council, North Council" in page.text
    assert "No address" in page.text  # West's Health and Wellbeing Board chair, in the demo
    url = f"/annual-reports/distribution-list/{demo.org('north').id}/leader"
    form = c.get(url)
    assert form.status_code == 200 and "leader@north-council.demo.test" in form.text
    contact = db.session.scalar(
        sa.select(ReportContact).where(
            ReportContact.role_key == "leader", ReportContact.organisation_id == demo.org("north").id
        )
    )
    bad = c.post(url, data={"email": "not an address", "send_as": "link", "version": str(contact.version)})
    assert bad.status_code == 400 and "Enter an email address in the correct format" in bad.text
    stale = c.post(url, data={"email": "leader@north.demo.test", "send_as": "link", "version": "0"})
    assert stale.status_code in (400, 409)
    r = c.post(url, data={"email": "leader@north.demo.test", "send_as": "link", "version": str(contact.version)})
    assert r.status_code == 302
    db.session.refresh(contact)
    assert (contact.email, contact.send_as) == ("leader@north.demo.test", SendAs.link)
    with pytest.raises(StaleVersion):
        annual.set_contact(
            annual.entry_for(demo.org("north").id, "leader"),
            demo.user("office"),
            email=None,
            send_as="attachment",
            version=contact.version - 1,
        )
    with pytest.raises(Forbidden):
        annual.set_contact(
            annual.entry_for(demo.org("north").id, "leader"),
            demo.user("chair"),
            email=None,
            send_as="attachment",
            version=contact.version,
        )
    assert c.get(f"/annual-reports/distribution-list/{demo.org('north').id}/nobody").status_code == 404


def test_the_distribution_list_by_api(demo, api_as):
    api = api_as("office")
    entries = api.get("/api/v1/annual-reports/distribution-list").json
    north = demo.org("north").id
    leader = next(e for e in entries if e["organisation_id"] == north and e["role_key"] == "leader")
    assert leader["role"] == "Leader of the council, North Council" and leader["statutory"] is True
    assert leader["email"] == "leader@north-council.demo.test" and leader["send_as"] == "attachment"
    assert any(e["email"] is None for e in entries)  # West's Health and Wellbeing Board chair
    url = f"/api/v1/annual-reports/distribution-list/{north}/leader"
    version = leader["version"]
    bad = api.put(url, json={"email": "not an address", "send_as": "link", "version": version})
    assert bad.status_code == 422 and bad.content_type == "application/problem+json"
    assert api.put(url, json={"email": "x@north.demo.test", "send_as": "pigeon", "version": version}).status_code == 422
    stale = api.put(url, json={"email": "leader@north.demo.test", "send_as": "link", "version": (version or 0) - 1})
    assert stale.status_code == 409
    ok = api.put(url, json={"email": "leader@north.demo.test", "send_as": "link", "version": version})
    assert ok.status_code == 200
    assert (ok.json["email"], ok.json["send_as"], ok.json["from_chief_executive"]) == (
        "leader@north.demo.test",
        "link",
        False,
    )
    assert (
        api.put(f"/api/v1/annual-reports/distribution-list/{north}/nobody", json={"send_as": "link"}).status_code == 404
    )
    assert api_as("chair").get("/api/v1/annual-reports/distribution-list").status_code == 403


@pytest.fixture
def mail(app, monkeypatch):
    port = free_port()
    for key, value in {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": port,
        "MAIL_TIMEOUT": 1,
        "MAIL_USE_TLS": False,
        "MAIL_USE_SSL": False,
    }.items():
        monkeypatch.setitem(app.config, key, value)
    return port


def test_a_failed_delivery_is_retried_by_the_outbox_shown_and_sent_again_by_the_office(
    report, demo, mail, client_as, api_as
):
    agree_and_publish(report, demo)
    ce = next(r for r in annual.recipients_of(report) if r.role == "Chief executive, North Council")
    c = client_as("office")
    with smtp_server(mail) as server:
        # A temporary failure: the outbox keeps it queued and tries again.
        server.reply = "451 4.3.0 Try again later"
        deliver_pending()
        m = db.session.get(OutboxMessage, ce.message_id)
        db.session.refresh(m)
        assert m.status == OutboxStatus.pending and m.attempts == 1
        d = next(d for d in annual.deliveries(report) if d.recipient.id == ce.id)
        assert d.status == "queued" and not d.may_send
        # A permanent refusal: failed, shown, and the office sends it again.
        server.reply = "554 5.7.1 Message rejected"
        deliver_pending(now=utcnow() + timedelta(hours=1))
        db.session.refresh(m)
        assert m.status == OutboxStatus.failed
        page = c.get(f"/annual-reports/{report.id}")
        assert "Failed" in _text(page.text)
        url = f"/annual-reports/{report.id}/recipients/{ce.id}/send"
        assert url in page.text
        assert client_as("chair").post(url).status_code == 403
        assert api_as("chair").post(f"/api/v1/annual-reports/{report.id}/recipients/{ce.id}/send").status_code == 403
        confirm = c.get(url)
        assert confirm.status_code == 200 and "Are you sure" in confirm.text
        assert c.post(url, data={"version": ""}).status_code == 302
        db.session.refresh(m)
        assert m.status == OutboxStatus.pending and m.attempts == 0
        # The server recovers: delivered, with the PDF.
        server.reply = None
        deliver_pending(now=utcnow() + timedelta(hours=2))
        assert any(
            "Chief executive, North Council" in str(e.get_body(("plain",)).get_content())
            and any(p.get_content_type() == "application/pdf" for p in e.iter_attachments())
            for e in server.messages
        )
    db.session.refresh(m)
    assert m.status == OutboxStatus.sent
    listed = api_as("office").get(f"/api/v1/annual-reports/{report.id}/recipients").json
    row = next(x for x in listed if x["id"] == ce.id)
    assert row["status"] == "sent" and row["outbox_message_id"] == m.id and row["address"] == ce.email
    assert c.get(f"/annual-reports/{report.id}/recipients/{ce.id}/send").status_code == 302  # nothing to send
    with pytest.raises(Conflict):
        annual.send_to_recipient(report, ce, demo.user("office"))
    # Readers see the deliveries, not the addresses.
    viewer = api_as("viewer").get(f"/api/v1/annual-reports/{report.id}/recipients").json
    assert next(x for x in viewer if x["id"] == ce.id)["address"] is None


def test_held_mail_is_sent_again_only_once_a_mail_server_is_configured(report, demo, client_as, app, monkeypatch):
    agree_and_publish(report, demo)
    ce = next(r for r in annual.recipients_of(report) if r.role == "Chief executive, North Council")
    assert not next(d for d in annual.deliveries(report) if d.recipient.id == ce.id).may_send
    assert client_as("office").get(f"/annual-reports/{report.id}/recipients/{ce.id}/send").status_code == 302
    with pytest.raises(Conflict):  # held, no mail server: the outbox refuses
        annual.send_to_recipient(report, ce, demo.user("office"))
    assert db.session.get(OutboxMessage, ce.message_id).status == OutboxStatus.held
    assert db.session.get(AnnualReportRecipient, ce.id).message_id == ce.message_id
    # With a mail server configured, the office releases it.
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    assert next(d for d in annual.deliveries(report) if d.recipient.id == ce.id).may_send
    message = annual.send_to_recipient(report, ce, demo.user("office"))
    db.session.refresh(message)
    assert message.status == OutboxStatus.pending


# --- the demo --------------------------------------------------------------------------------


def test_the_demos_published_report_shows_its_agreement_and_deliveries(demo, client_as, api_as):
    from safeguarding.models import AnnualReport

    report = db.session.get(AnnualReport, demo.id("annual_reports", "2024-25"))
    assert report.state == AnnualReportState.published
    a = annual.agreement(report)
    decision = db.session.get(Decision, a.decision_id)
    meeting = db.session.get(Meeting, decision.meeting_id)
    assert meetings.decision_stands(decision) and meeting.group_id == demo.group("board").id
    assert report.board_agreed_on == meeting.meeting_date
    assert report.approved_on < report.board_agreed_on < report.published_on
    deliveries = annual.deliveries(report)
    assert {d.status for d in deliveries} == {"held", "no_address"}
    assert [d.recipient.role for d in deliveries if d.status == "no_address"] == [
        "Chair of the Health and Wellbeing Board, West Council"
    ]
    pcc = next(d for d in deliveries if d.recipient.role_key == "pcc")
    assert pcc.recipient.send_as == SendAs.link and pcc.message is not None
    text = _text(client_as("office").get(f"/annual-reports/{report.id}").text)
    assert f"Decision {decision.id}" in text and "Held" in text and "No address — add one in the directory" in text
    listed = api_as("viewer").get(f"/api/v1/annual-reports/{report.id}/recipients").json
    assert len(listed) == len(deliveries)
    # The 2025/26 report waits for the chair, then the Board.
    draft = db.session.get(AnnualReport, demo.id("annual_reports", "2025-26"))
    assert annual.agreement(draft).before_approval and draft.board_decision_id is None
    assert "To be agreed by the Board once the chair has approved it" in _text(
        client_as("office").get(f"/annual-reports/{draft.id}").text
    )
