"""The children's yearly report (Working Together 2023) on the annual report's engine: its
own sections, signed off by the four safeguarding partners jointly (the chair may comment,
not approve), published, and sent to the national Panel and to Foundations within 7 days
of publication; the adults' annual report is unchanged."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
import sqlalchemy as sa

from safeguarding import calendar
from safeguarding.calendar import today
from safeguarding.extensions import db
from safeguarding.formatting import long_date
from safeguarding.models import (
    AnnualReport,
    AnnualReportState,
    JointDecisionState,
    OutboxMessage,
    ReportKind,
    SectionKind,
)
from safeguarding.services import annual, joint_decisions
from safeguarding.services.errors import Conflict, Forbidden, ValidationFailed
from safeguarding.workflows.annual import annual_report_lifecycle as lc

YEAR = 2012
PARTNERS = ("northdcs", "westdcs", "icb", "police")


@pytest.fixture
def office(demo):
    return demo.user("office")


@pytest.fixture
def chair(demo):
    return demo.user("chair")


@pytest.fixture
def yearly(office):
    return annual.start_report(YEAR, office, "children")


@pytest.fixture
def request_ctx(app):
    # The joint decisions service builds its email link with url_for (needs a request).
    with app.test_request_context():
        yield


def _submit(report, office):
    for s in report.sections:
        if s.kind == SectionKind.narrative:
            annual.edit_section(report, s, office, version=report.version, text=f"Text of {s.heading}")
    lc.fire(report, "submit", user=office, version=report.version)


def _put(report, office, due=None):
    lc.fire(
        report,
        "put_to_partners",
        user=office,
        version=report.version,
        params={"due_on": due or today() + timedelta(days=14)},
    )
    decision = annual.decision_of(report)
    assert decision is not None
    return decision


def _agree(decision, demo, who=PARTNERS):
    for account in who:
        joint_decisions.answer(decision, organisation_id=None, agree=True, reason=None, user=demo.user(account))


# --- sections and kinds ------------------------------------------------------------------------------


def test_the_yearly_report_has_the_sections_working_together_asks_for(yearly, office):
    keys = [s.key for s in yearly.sections]
    assert keys == [
        "impact",
        "little_progress",
        "cspr_decisions",
        "cspr_learning",
        "learning_impact",
        "voice",
        "scrutiny",
        "agencies",
        "funding",
    ]
    narrative = {s.key for s in yearly.sections if s.kind == SectionKind.narrative}
    assert narrative == {"impact", "little_progress", "voice", "scrutiny", "agencies"}
    assert yearly.kind == ReportKind.children and annual.title(yearly).startswith("Yearly report (children)")
    assert annual.figure(annual.section_by_key(yearly, "cspr_decisions"), "rapid_reviews") == 0
    # The adults' report of the same year keeps exactly its sections.
    adults = annual.start_report(YEAR, office)
    assert adults.kind == ReportKind.adults
    assert {s.key for s in adults.sections} >= {"foreword", "priorities", "next_year", "sars", "csprs", "budget"}
    assert not {s.key for s in adults.sections} & {"impact", "cspr_decisions", "funding", "scrutiny"}


def test_the_partners_and_the_scrutineer_read_the_yearly_draft_not_the_adults(yearly, office, demo, client_as):
    adults = annual.start_report(YEAR, office)
    scrutineer = demo.user("scrutineer")
    assert annual.may_see_draft(yearly, scrutineer) and annual.may_see_draft(yearly, demo.user("westdcs"))
    assert not annual.may_see_draft(adults, scrutineer)
    c = client_as("scrutineer")
    assert c.get(f"/annual-reports/{yearly.id}").status_code == 200
    assert c.get(f"/annual-reports/{adults.id}").status_code == 404
    assert client_as("viewer").get(f"/annual-reports/{yearly.id}").status_code == 404


def test_one_report_of_each_kind_per_year(yearly, office):
    with pytest.raises(Conflict):
        annual.start_report(YEAR, office, "children")
    with pytest.raises(ValidationFailed):
        annual.start_report(YEAR + 1, office, "grandparents")


def test_the_demo_yearly_report_was_signed_off_jointly_published_and_sent_within_7_days(demo):
    report = db.session.get(AnnualReport, demo.id("annual_reports", "2025-26-children"))
    assert report.kind == ReportKind.children and report.state == AnnualReportState.published
    decision = annual.decision_of(report)
    assert decision.state == JointDecisionState.carried
    assert len(joint_decisions.answers_of(decision)) == 4
    assert report.approved_on == decision.decided_on
    sending = annual.national_sending(report)
    assert sending.status == "sent" and sending.sent_on <= sending.deadline
    assert {m.recipient for m in sending.messages} == {"panel", "foundations"}
    adults = db.session.get(AnnualReport, demo.id("annual_reports", "2025-26"))
    assert adults.kind == ReportKind.adults and adults.state == AnnualReportState.submitted


# --- the partners' joint sign-off --------------------------------------------------------------------


def test_the_chair_alone_cannot_approve_the_yearly_report(yearly, office, chair, api_as):
    _submit(yearly, office)
    assert not lc.may_fire(yearly, chair, "approve")
    with pytest.raises(Forbidden):
        lc.fire(yearly, "approve", user=chair, version=yearly.version)
    r = api_as("chair").post(
        f"/api/v1/annual-reports/{yearly.id}/transitions", json={"trigger": "approve", "version": yearly.version}
    )
    assert r.status_code == 403
    assert yearly.state == AnnualReportState.submitted
    # The chair comments; it does not decide.
    section = annual.section_by_key(yearly, "impact")
    assert annual.comment_on_sections(yearly, chair, {section.id: "Say more about outcomes"}) == 1


def test_only_the_office_puts_it_to_the_partners_once(yearly, office, chair, request_ctx):
    _submit(yearly, office)
    with pytest.raises(Forbidden):
        lc.fire(yearly, "put_to_partners", user=chair, version=yearly.version, params={"due_on": today()})
    with pytest.raises(ValidationFailed):
        lc.fire(yearly, "put_to_partners", user=office, version=yearly.version, params={})
    decision = _put(yearly, office)
    assert decision.area.value == "both" and decision.subject.value == "yearly_report"
    assert yearly.state == AnnualReportState.submitted
    with pytest.raises(ValidationFailed) as exc:  # already with the partners
        lc.fire(yearly, "put_to_partners", user=office, version=yearly.version, params={"due_on": today()})
    assert "with the safeguarding partners" in str(exc.value.reasons)
    with pytest.raises(ValidationFailed):  # nor taken back while it is
        lc.fire(yearly, "request_changes", user=office, version=yearly.version)


def test_one_partners_disagreement_stops_the_sign_off(yearly, office, demo, request_ctx):
    _submit(yearly, office)
    decision = _put(yearly, office)
    _agree(decision, demo, ("northdcs", "icb", "police"))
    joint_decisions.answer(
        decision,
        organisation_id=None,
        agree=False,
        reason="The funding section is incomplete",
        user=demo.user("westdcs"),
    )
    assert decision.state == JointDecisionState.disputed
    assert yearly.state == AnnualReportState.submitted and yearly.approved_on is None


def test_all_four_partners_agreeing_approves_it_and_freezes_the_figures(yearly, office, demo, request_ctx):
    _submit(yearly, office)
    decision = _put(yearly, office)
    _agree(decision, demo, PARTNERS[:3])
    assert yearly.state == AnnualReportState.submitted  # three of four is not enough
    _agree(decision, demo, PARTNERS[3:])
    assert decision.state == JointDecisionState.carried
    assert yearly.state == AnnualReportState.approved and yearly.approved_on == today()
    history = lc.history(yearly.id)
    assert history[-1].trigger == "approve" and f"JD-{decision.id}" in history[-1].comment
    with pytest.raises(Conflict):
        annual.refresh_figures(yearly, office, version=yearly.version)


def test_the_adults_report_is_still_approved_by_the_chair(office, chair):
    report = annual.start_report(YEAR, office)
    _submit(report, office)
    assert not lc.may_fire(report, office, "put_to_partners")
    lc.fire(report, "approve", user=chair, version=report.version)
    assert report.state == AnnualReportState.approved


def test_the_office_takes_the_yearly_report_back_not_the_chair(yearly, office, chair):
    _submit(yearly, office)
    with pytest.raises(Forbidden):
        lc.fire(yearly, "request_changes", user=chair, version=yearly.version)
    lc.fire(yearly, "request_changes", user=office, version=yearly.version, comment="The partners asked")
    assert yearly.state == AnnualReportState.changes_requested


# --- publication and sending -----------------------------------------------------------------------


def _signed_off(report, office, demo):
    _submit(report, office)
    _agree(_put(report, office), demo)
    assert report.state == AnnualReportState.approved


def test_publishing_then_sending_to_the_panel_and_foundations(yearly, office, chair, demo, app, request_ctx):
    _signed_off(yearly, office, demo)
    with pytest.raises(Forbidden):  # the adults' publication is not this one's
        lc.fire(yearly, "publish", user=office, version=yearly.version, params={"sent_on": today()})
    with pytest.raises(ValidationFailed):
        lc.fire(
            yearly,
            "publish_yearly",
            user=office,
            version=yearly.version,
            params={"published_on": today() + timedelta(1)},
        )
    with pytest.raises(Conflict):  # not yet published
        annual.send_nationally(yearly, office, version=yearly.version)
    lc.fire(yearly, "publish_yearly", user=office, version=yearly.version, params={"published_on": today()})
    assert annual.national_sending(yearly).status == "due"
    with pytest.raises(Forbidden):
        annual.send_nationally(yearly, chair, version=yearly.version)
    annual.send_nationally(yearly, office, version=yearly.version)
    panel = db.session.get(OutboxMessage, yearly.panel_message_id)
    foundations = db.session.get(OutboxMessage, yearly.foundations_message_id)
    assert panel.to_addrs == [app.config["PANEL_EMAIL"]]
    assert foundations.to_addrs == [app.config["FOUNDATIONS_EMAIL"]]
    for m in (panel, foundations):
        assert [a.filename for a in m.attachments] == [f"yearly-report-children-{YEAR}-{str(YEAR + 1)[2:]}.pdf"]
        assert m.attachments[0].content_type == "application/pdf"
    sending = annual.national_sending(yearly)
    assert sending.status == "sent" and not sending.late and len(sending.messages) == 2
    with pytest.raises(Conflict):
        annual.send_nationally(yearly, office, version=yearly.version)


def test_a_report_not_sent_within_7_days_shows_as_late(yearly, office, demo, api_as, client_as, request_ctx):
    published = today() - timedelta(days=10)
    with calendar.clock_at(datetime.combine(published - timedelta(days=5), time(10), tzinfo=calendar.LONDON)):
        _signed_off(yearly, office, demo)
    lc.fire(yearly, "publish_yearly", user=office, version=yearly.version, params={"published_on": published})
    item = {i["key"]: i for i in api_as("office").get("/api/v1/me/queue").json["items"]}["annual.send_nationally"]
    assert item["count"] == 1 and "not sent, 3 days overdue" in item["detail"]
    assert "not sent, 3 days overdue" in client_as("office").get("/home").text
    assert annual.national_sending(yearly).text.startswith("Not sent, 3 days overdue")
    page = client_as("office").get(f"/annual-reports/{yearly.id}")
    assert "Not sent, 3 days overdue" in page.text and "Send to the Panel and Foundations" in page.text
    # The office may still send it: recorded as late.
    annual.send_nationally(yearly, office, version=yearly.version)
    sending = annual.national_sending(yearly)
    assert sending.late and sending.status == "sent_late" and "sent late" in sending.text
    queue = {i["key"] for i in api_as("office").get("/api/v1/me/queue").json["items"]}
    assert "annual.send_nationally" not in queue
    body = api_as("office").get(f"/api/v1/annual-reports/{yearly.id}").json
    assert body["national_sending"]["status"] == "sent_late" and body["national_sending"]["late"] is True


def test_the_deadline_shows_on_the_home_page_before_it_passes(yearly, office, demo, api_as, request_ctx):
    with calendar.clock_at(datetime.combine(today() - timedelta(days=3), time(10), tzinfo=calendar.LONDON)):
        _signed_off(yearly, office, demo)
    lc.fire(yearly, "publish_yearly", user=office, version=yearly.version, params={"published_on": today()})
    item = {i["key"]: i for i in api_as("office").get("/api/v1/me/queue").json["items"]}["annual.send_nationally"]
    due = long_date(today() + timedelta(days=7))
    assert f"due by {due}" in item["detail"]
    assert "annual.send_nationally" not in {i["key"] for i in api_as("chair").get("/api/v1/me/queue").json["items"]}


# --- pages and API ---------------------------------------------------------------------------------------


def test_starting_a_yearly_report_by_page_and_api(client_as, api_as, office):
    office_page = client_as("office")
    page = office_page.get("/annual-reports")
    assert 'name="kind"' in page.text
    r = office_page.post("/annual-reports/new", data={"kind": "children", "financial_year": "2015"})
    assert r.status_code == 302
    started = db.session.scalar(
        sa.select(AnnualReport).where(AnnualReport.kind == ReportKind.children, AnnualReport.financial_year == 2015)
    )
    assert started is not None
    r = office_page.post("/annual-reports/new", data={"kind": "children", "financial_year": "2015"})
    assert r.status_code == 400 and "already been started" in r.text
    api = api_as("office")
    r = api.post("/api/v1/annual-reports", json={"financial_year": f"{YEAR + 1}-{str(YEAR + 2)[2:]}"})
    assert r.status_code == 201 and r.json["kind"] == "adults" and r.json["national_sending"] is None
    r = api.post(
        "/api/v1/annual-reports", json={"financial_year": f"{YEAR + 1}-{str(YEAR + 2)[2:]}", "kind": "children"}
    )
    assert r.status_code == 201 and r.json["kind"] == "children"
    assert r.json["national_sending"]["status"] == "not_published" and r.json["joint_decision"] is None
    r = api.post("/api/v1/annual-reports", json={"financial_year": "2014-15", "kind": "both"})
    assert r.status_code == 422
    r = api.post(
        "/api/v1/annual-reports", json={"financial_year": f"{YEAR + 1}-{str(YEAR + 2)[2:]}", "kind": "children"}
    )
    assert r.status_code == 409


def test_the_report_page_and_api_show_the_joint_decision(yearly, office, demo, client_as, api_as, request_ctx):
    _submit(yearly, office)
    page = client_as("office").get(f"/annual-reports/{yearly.id}")
    assert "Put to the safeguarding partners" in page.text
    chair_page = client_as("chair").get(f"/annual-reports/{yearly.id}")
    assert "Approve the report" not in chair_page.text and "Comment on the sections" in chair_page.text
    decision = _put(yearly, office)
    body = api_as("office").get(f"/api/v1/annual-reports/{yearly.id}").json
    assert body["joint_decision"]["id"] == decision.id and body["joint_decision"]["state"] == "open"
    assert f"JD-{decision.id}" in client_as("office").get(f"/annual-reports/{yearly.id}").text


def test_the_chair_comments_on_the_yearly_report_without_returning_it(yearly, office, client_as):
    _submit(yearly, office)
    section = annual.section_by_key(yearly, "voice")
    c = client_as("chair")
    assert c.get(f"/annual-reports/{yearly.id}/return").status_code == 200
    r = c.post(
        f"/annual-reports/{yearly.id}/return",
        data={"version": str(yearly.version), f"section_{section.id}": "Whose voices?"},
    )
    assert r.status_code == 302
    db.session.refresh(section)
    assert section.chair_comment == "Whose voices?" and yearly.state == AnnualReportState.submitted


def test_sending_by_page_and_api_is_the_offices(yearly, office, demo, client_as, api_as, request_ctx):
    _signed_off(yearly, office, demo)
    lc.fire(yearly, "publish_yearly", user=office, version=yearly.version, params={"published_on": today()})
    assert (
        api_as("chair").post(f"/api/v1/annual-reports/{yearly.id}/national-sending", json={"version": yearly.version})
    ).status_code == 403
    assert (
        api_as("office").post(f"/api/v1/annual-reports/{yearly.id}/national-sending", json={"version": "x"})
    ).status_code == 422
    r = client_as("office").post(f"/annual-reports/{yearly.id}/send-nationally", data={"version": str(yearly.version)})
    assert r.status_code == 302
    body = api_as("office").get(f"/api/v1/annual-reports/{yearly.id}").json
    assert body["national_sending"]["status"] == "sent"
    assert {m["to"] for m in body["national_sending"]["messages"]} == {"panel", "foundations"}
    r = api_as("office").post(f"/api/v1/annual-reports/{yearly.id}/national-sending", json={"version": body["version"]})
    assert r.status_code == 409
