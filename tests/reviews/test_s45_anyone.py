"""Section 45 to anyone, for any Board function (domain.md, "Safeguarding Adults Reviews"):
a request may go to a person or body outside the directory, and may serve an audit or a
data request as well as a review; its letter cites the section and the conditions, is kept
as sent and emailed through the outbox; the office records the reply, or a refusal with its
reason."""

from __future__ import annotations

import io
import re
from datetime import date

import pypdf
import pytest
import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.jobs import run_job
from safeguarding.models import InformationRequest, OutboxAttachment, OutboxMessage, RequestStatus, ReviewState
from safeguarding.services import reviews as svc
from safeguarding.services.errors import Forbidden, NotFound, ValidationFailed
from safeguarding.workflows.reviews import request_lifecycle
from tests.reviews.helpers import advance, new_cspr, new_sar

GP = {
    "recipient_name": "The Practice Manager, Riverside Medical Practice",
    "recipient_email": "pm@riverside.test",
    "recipient_address": "12 Mill Lane\nNorthtown\nNT1 4AB",
}


def _pdf_text(data: bytes) -> str:
    return " ".join((page.extract_text() or "") for page in pypdf.PdfReader(io.BytesIO(data)).pages).replace("\n", " ")


def _letters(req) -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            sa.select(OutboxMessage)
            .where(OutboxMessage.kind == "information_request_letter", OutboxMessage.dedupe_key.like(f"%:{req.id}:%"))
            .order_by(OutboxMessage.id)
        )
    )


def _count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(InformationRequest))


@pytest.fixture
def sar(demo):
    return advance(new_sar(demo), demo, ReviewState.information_gathering)


def test_a_review_request_to_a_gp_practice_outside_the_directory_is_lettered_and_emailed(demo, sar):
    req = svc.send_information_request(
        sar, demo.user("office"), **GP, request="GP records since January 2025", conditions=[1, 2, 3]
    )
    assert (req.organisation_id, req.recipient, req.reference) == (
        None,
        GP["recipient_name"],
        f"{sar.reference}/IR{req.id}",
    )
    text = _pdf_text(req.sent_pdf)
    assert "section 45 of the Care Act 2014" in text and "Condition 3:" in text and "Condition 4:" not in text
    assert "Riverside Medical Practice" in text and "GP records since January 2025" in text
    assert req.sent_docx[:2] == b"PK"
    (mail,) = _letters(req)
    assert mail.to_addrs == ["pm@riverside.test"]
    assert mail.subject == f"Request for information under section 45 of the Care Act 2014 ({req.reference})"
    assert sar.initials not in mail.subject and sar.initials not in mail.body
    (attachment,) = db.session.scalars(sa.select(OutboxAttachment).where(OutboxAttachment.outbox_message_id == mail.id))
    assert attachment.content_type == "application/pdf" and attachment.data == req.sent_pdf
    # The agency list of the review is for agencies in the directory: a GP practice is not one.
    assert {a.organisation_id for a in svc.agencies_of(sar)} == {demo.org("acute").id}


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({}, {"organisation_id": "Select the agency the request is for"}),
        (
            {"recipient_name": "Dr Patel"},
            {"recipient_email": "Enter an email address or a postal address to send the request to"},
        ),
        (
            {"recipient_name": "Dr Patel", "recipient_email": "not an address"},
            {"recipient_email": "Enter an email address in the correct format, like name@example.com"},
        ),
        (
            {"recipient_email": "pm@riverside.test"},
            {"recipient_name": "Enter the name of the person or body the request is for"},
        ),
        (
            {"organisation_id": "police", **GP},
            {"recipient_name": "Either select an agency from the directory or enter someone outside it, not both"},
        ),
    ],
)
def test_who_the_request_is_to_must_be_clear(demo, sar, fields, errors):
    if fields.get("organisation_id") == "police":
        fields = {**fields, "organisation_id": demo.org("police").id}
    before = _count()
    with pytest.raises(ValidationFailed) as exc:
        svc.send_information_request(sar, demo.user("office"), **fields, request="Records", conditions=[1, 2, 3])
    assert exc.value.errors == errors
    assert _count() == before


def test_a_request_for_an_audit_is_the_offices_and_needs_its_purpose_and_the_conditions(demo):
    office = demo.user("office")
    kw = dict(request="Self-neglect referrals since April", conditions=[1, 2, 3], **GP)
    with pytest.raises(Forbidden):
        svc.send_board_request(demo.user("police"), purpose="audit", purpose_detail="Self-neglect audit", **kw)
    with pytest.raises(ValidationFailed) as exc:
        svc.send_board_request(office, purpose="review", purpose_detail=" ", **{**kw, "conditions": [1, 3]})
    assert exc.value.errors == {
        "purpose": "Select what the information is for: a multi-agency audit, or performance or other data",
        "purpose_detail": "Enter the Board function the information is for, like the audit's name",
        "conditions": "A request under section 45 needs conditions 1 and 2, and condition 3 or 4",
    }
    req = svc.send_board_request(office, purpose="audit", purpose_detail="Self-neglect audit 2026", **kw)
    assert (req.review_id, req.purpose.value, req.reference) == (None, "audit", f"S45/2026/{req.id}")
    assert "a multi-agency audit: Self-neglect audit 2026" in _pdf_text(req.sent_pdf)
    # Only those who see everything see it: no review, no agency of theirs.
    assert svc.get_request(req.id, demo.user("chair")).id == req.id
    with pytest.raises(NotFound):
        svc.get_request(req.id, demo.user("police"))


def test_the_office_records_a_reply_or_a_refusal_with_its_reason(demo, sar):
    office = demo.user("office")
    req = svc.send_information_request(sar, office, **GP, request="GP records", conditions=[1, 2, 3])
    # A partner member (of any organisation) cannot answer for someone outside the directory.
    with pytest.raises(Forbidden):
        svc.return_information(req, demo.user("police"), version=req.version, response="x")
    with pytest.raises(ValidationFailed):
        request_lifecycle.fire(req, "record_refusal", user=office, version=req.version, comment=" ")
    request_lifecycle.fire(
        req, "record_refusal", user=office, version=req.version, comment="The practice says it needs consent"
    )
    assert (req.status, req.refusal_reason, req.refused_on) == (
        RequestStatus.refused,
        "The practice says it needs consent",
        date(2026, 12, 3),
    )
    other = svc.send_information_request(sar, office, **GP, request="Prescriptions", conditions=[1, 2, 3])
    svc.return_information(other, office, version=other.version, response="Records received by post")
    assert other.status == RequestStatus.returned


def test_an_overdue_request_outside_the_directory_is_chased_with_the_letter_again(demo, sar):
    req = svc.send_information_request(
        sar, demo.user("office"), **GP, request="GP records", conditions=[1, 2, 3], sent_on=date(2026, 10, 1)
    )
    run_job("review_request_chasing", date(2026, 12, 3))
    run_job("review_request_chasing", date(2026, 12, 3))
    sent, reminder = _letters(req)
    assert reminder.subject.startswith("Reminder: Request for information under section 45")
    assert req.chase_count == 1


def test_a_cspr_letter_cites_the_safeguarding_partners_power(demo):
    review = advance(new_cspr(demo), demo, ReviewState.rapid_review)
    req = svc.send_information_request(review, demo.user("office"), **GP, request="Health visitor records")
    assert req.conditions == []
    text = _pdf_text(req.sent_pdf)
    assert "section 16H of the Children Act 2004" in text and "section 45" not in text


def test_pages_send_show_and_download_the_letter(client_as, demo, sar):
    c = client_as("office")
    r = c.post(
        f"/reviews/{sar.id}/requests/new",
        data={**GP, "request": "GP records", "conditions": ["1", "2", "3"]},
    )
    assert r.status_code == 302
    req = db.session.scalar(sa.select(InformationRequest).where(InformationRequest.review_id == sar.id))
    page = c.get(f"/reviews/{sar.id}/requests/{req.id}").text
    assert GP["recipient_name"] in page and "Download the letter (PDF)" in page and "Record the reply" in page
    pdf = c.get(f"/information-requests/{req.id}/letter.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data == req.sent_pdf
    assert c.get(f"/information-requests/{req.id}").status_code == 302  # a review's request lives under it
    r = c.post(
        "/information-requests/new",
        data={"purpose": "data", "purpose_detail": "", **GP, "request": "x", "conditions": ["1", "2", "3"]},
    )
    assert r.status_code == 200 and "Enter the Board function the information is for" in r.text
    r = c.post(
        "/information-requests/new",
        data={
            "purpose": "data",
            "purpose_detail": "Waiting times",
            **GP,
            "request": "x",
            "conditions": ["1", "2", "3"],
        },
    )
    assert r.status_code == 302
    assert "Waiting times" in c.get(r.headers["Location"]).text
    assert "Send a request under section 45" in c.get("/reviews/requests").text
    assert client_as("police").get(f"/information-requests/{req.id}/letter.pdf").status_code == 404


def test_the_api_sends_a_board_request_and_records_a_refusal(api_as, demo):
    c = api_as("office")
    body = {"purpose": "audit", "purpose_detail": "Self-neglect audit", "request": "Referrals", "conditions": [1, 2, 3]}
    r = c.post("/api/v1/information-requests", json={**body, "recipient_name": "Willow Court Care Home"})
    assert r.status_code == 422 and "recipient_email" in r.json["errors"]
    r = c.post("/api/v1/information-requests", json={**body, **GP})
    assert r.status_code == 201
    assert (r.json["review_id"], r.json["purpose"], r.json["recipient_name"]) == (None, "audit", GP["recipient_name"])
    docx = c.get(r.json["letter_pdf"].replace(".pdf", ".docx"))
    assert docx.status_code == 200 and docx.data[:2] == b"PK"
    t = c.post(
        f"/api/v1/information-requests/{r.json['id']}/transitions",
        json={"trigger": "record_refusal", "version": r.json["version"], "comment": "Not held"},
    )
    assert t.status_code == 200 and t.json["state"] == "refused" and t.json["refusal_reason"] == "Not held"
    assert api_as("police").post("/api/v1/information-requests", json={**body, **GP}).status_code == 403


def test_the_demo_asks_a_gp_practice_and_a_care_home(demo):
    gp = db.session.get(InformationRequest, demo.id("review_requests", "gp_practice"))
    assert gp.organisation_id is None and "Riverside Medical Practice" in gp.recipient
    assert gp.status == RequestStatus.sent and gp.sent_pdf
    audit = db.session.get(InformationRequest, demo.id("review_requests", "audit_care_home"))
    assert audit.review_id is None and audit.purpose_detail == "Multi-agency audit of self-neglect cases, 2026"


def test_a_refusal_recorded_on_the_page_says_so_in_plain_english(client_as, demo, sar):
    req = svc.send_information_request(sar, demo.user("office"), **GP, request="GP records", conditions=[1, 2, 3])
    c = client_as("office")
    r = c.post(
        f"/workflow/information_request/{req.id}/record_refusal",
        data={"version": req.version, "comment": "Consent needed", "confirmed": "1"},
        follow_redirects=True,
    )
    assert "Saved. The information request's status is now ‘Refused’." in r.text.replace("&#39;", "'")
    assert req.status == RequestStatus.refused and "Consent needed" in r.text
    # The history names who took the step (the audit log keeps the sign-in).
    office = demo.user("office")
    assert f'<td class="govuk-table__cell">{office.person.name}</td>' in r.text
    assert f'<td class="govuk-table__cell">{office.email}</td>' not in r.text


def test_withdrawing_is_never_the_main_button_on_the_request_s_page(client_as, demo, sar):
    req = svc.send_information_request(sar, demo.user("office"), **GP, request="GP records", conditions=[1, 2, 3])
    page = client_as("office").get(f"/reviews/{sar.id}/requests/{req.id}").text
    buttons = dict(
        (label, classes) for classes, label in re.findall(r'class="govuk-button ?([^"]*)"[^>]*>([^<]+)<', page)
    )
    assert buttons["Record a refusal"] == ""  # the main action
    assert "govuk-button--secondary" in buttons["Withdraw the request"]
