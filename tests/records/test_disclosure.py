"""Find what we hold for a subject access request, the decisions, and the disclosure
bundle (domain.md, "Information governance"; UK GDPR Art. 15): the structured links find
the person's records once each, decisions need their reasons, the bundle is built only
when every record is decided and its index lists exactly the records marked to disclose,
redactions blank the words, and the office alone does any of it (pages and API)."""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from datetime import date

import pytest
import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import Action, ActionSource, DisclosureDecision, DisclosureItem, OutboxMessage
from safeguarding.notify.outbox import queue_email
from safeguarding.services.errors import Conflict, StaleVersion, ValidationFailed
from safeguarding.services.records import access as requests_svc
from safeguarding.services.records import bundle as bundle_svc
from safeguarding.services.records import disclosure as svc
from tests.support.factories import MembershipFactory, PersonFactory


@pytest.fixture
def subject(demo):
    """A person the partnership holds records about, with a request naming them."""
    person = PersonFactory(name="Zoë Hartley-Quinn", email="zoe.hq@people.example")
    other = PersonFactory(name="Yusuf Other", email="yusuf@people.example")
    membership = MembershipFactory(person=person)
    MembershipFactory(person=other, group=membership.group)
    db.session.add(
        Action(
            title="Review the training offer",
            source_type=ActionSource.meeting,
            owner_organisation_id=person.organisation_id,
            owner_person_id=person.id,
            due_date=date(2026, 12, 20),
        )
    )
    mail = queue_email(
        ["zoe.hq@people.example"],
        "Papers for the meeting",
        "message",
        _reminder_context(),
        kind="test_mail",
    )
    queue_email(["yusuf@people.example"], "Papers", "message", _reminder_context(), kind="test_mail")
    db.session.flush()
    r = requests_svc.log_request(
        user=demo.user("office"),
        requester_name="Zoë Hartley-Quinn",
        received_on=date(2026, 11, 20),
        search_names="ZOË HARTLEY-QUINN\nZoe Quinn",
        search_emails="Zoe.HQ@people.example",
    )
    return r, person, other, membership, mail


def _reminder_context() -> dict:
    return {"text": "The papers are ready."}


def test_the_search_across_the_records_finds_what_the_links_do_not(demo, subject):
    """A dispute whose summary names the person is found by the partnership's search, once,
    and goes into the bundle with its own fields."""
    from safeguarding.services.disputes import commands

    r, *_ = subject
    office = demo.user("office")
    dispute = commands.raise_dispute(
        office,
        subject="Who leads the training review",
        summary="Raised after Zoë Hartley-Quinn asked the Board",
        party_organisation_ids=[demo.org("icb").id, demo.org("police").id],
    )
    svc.find_what_we_hold(r, user=office)
    hits = [i for i in svc.items(r) if (i.record_type, i.record_id) == ("dispute", dispute.id)]
    assert len(hits) == 1 and hits[0].found_by == "search" and "Hartley" not in hits[0].title
    svc.disclose_pending(r, user=office)
    data = bundle_svc.read_stored(bundle_svc.build_bundle(r, user=office))
    z = zipfile.ZipFile(io.BytesIO(data))
    dispute_file = next(n for n in z.namelist() if n.endswith(f"-dispute-{dispute.id}.csv"))
    assert "Who leads the training review" in z.read(dispute_file).decode("utf-8-sig")


def _found(r):
    return {(i.record_type, i.record_id) for i in svc.items(r)}


def test_find_what_we_hold_follows_the_links_once_each_and_keeps_decisions(demo, subject):
    r, person, other, membership, mail = subject
    office = demo.user("office")
    added = svc.find_what_we_hold(r, user=office)
    found = _found(r)
    assert ("person", person.id) in found  # name compared case-folded
    assert ("membership", membership.id) in found and ("attendance", membership.id) in found
    action_id = db.session.scalar(sa.select(Action.id).where(Action.owner_person_id == person.id))
    assert ("action", action_id) in found
    assert ("email", mail.id) in found
    assert ("person", other.id) not in found  # another person in the same group is not theirs
    others_mail = db.session.scalar(
        sa.select(OutboxMessage.id).where(sa.cast(OutboxMessage.to_addrs, sa.Text).like("%yusuf%"))
    )
    assert ("email", others_mail) not in found
    assert added == len(found)
    # Titles never carry the person's name (they reach lists and audit entries).
    assert all("Hartley" not in i.title for i in svc.items(r))
    item = next(i for i in svc.items(r) if i.record_type == "person")
    svc.decide(r, item, user=office, version=item.version, decision="withhold", reason="Third party data")
    assert svc.find_what_we_hold(r, user=office) == 0  # found once, decision kept
    assert db.session.get(DisclosureItem, item.id).decision == DisclosureDecision.withhold


def test_decisions_need_their_reasons_and_refuse_stale_versions(demo, subject):
    r, *_ = subject
    office = demo.user("office")
    svc.find_what_we_hold(r, user=office)
    item = next(i for i in svc.items(r) if i.record_type == "membership")
    with pytest.raises(ValidationFailed) as e:
        svc.decide(r, item, user=office, version=item.version, decision="withhold", reason="")
    assert set(e.value.errors) == {"reason"}
    with pytest.raises(ValidationFailed) as e:
        svc.decide(r, item, user=office, version=item.version, decision="redact", reason="Names", redactions="")
    assert set(e.value.errors) == {"redactions"}
    with pytest.raises(ValidationFailed) as e:
        svc.decide(r, item, user=office, version=item.version, decision="pending")
    assert set(e.value.errors) == {"decision"}
    with pytest.raises(StaleVersion):
        svc.decide(r, item, user=office, version=item.version - 1, decision="disclose")
    letter = DisclosureItem(
        access_request_id=r.id, record_type="letter", record_id=999999, title="Letter", found_by="test"
    )
    db.session.add(letter)
    db.session.flush()
    with pytest.raises(ValidationFailed) as e:  # a file is redacted by uploading the redacted copy
        svc.decide(r, letter, user=office, version=letter.version, decision="redact", reason="Names")
    assert set(e.value.errors) == {"redacted_file"}
    assert item.decision == DisclosureDecision.pending


def test_the_bundle_lists_exactly_the_records_disclosed_and_redacts(demo, subject):
    r, person, _other, membership, mail = subject
    office = demo.user("office")
    with pytest.raises(Conflict):  # nothing found yet
        bundle_svc.build_bundle(r, user=office)
    svc.find_what_we_hold(r, user=office)
    rows = svc.items(r)
    with pytest.raises(Conflict, match="not decided"):
        bundle_svc.build_bundle(r, user=office)
    by_type = {i.record_type: i for i in rows}
    svc.decide(
        r,
        by_type["membership"],
        user=office,
        version=by_type["membership"].version,
        decision="withhold",
        reason="Exempt: management information",
    )
    svc.decide(
        r,
        by_type["email"],
        user=office,
        version=by_type["email"].version,
        decision="redact",
        reason="Another member's details",
        redactions="Papers for",
    )
    assert svc.disclose_pending(r, user=office) == len(rows) - 2
    stored = bundle_svc.build_bundle(r, user=office)
    assert r.bundle_sha256 == stored.sha256 and r.bundle_built_on == date(2026, 12, 3)
    data = bundle_svc.read_stored(stored)
    assert hashlib.sha256(data).hexdigest() == r.bundle_sha256
    z = zipfile.ZipFile(io.BytesIO(data))
    index = list(csv.DictReader(io.StringIO(z.read("index.csv").decode("utf-8-sig"))))
    disclosed = {
        i.title for i in svc.items(r) if i.decision in (DisclosureDecision.disclose, DisclosureDecision.redact)
    }
    assert {row["Record"] for row in index} == disclosed
    assert by_type["membership"].title not in {row["Record"] for row in index}
    assert z.read("index.pdf").startswith(b"%PDF-")
    assert sorted(n for n in z.namelist() if n.startswith("records/")) == sorted(row["File"] for row in index)
    email_file = next(row["File"] for row in index if row["Record"] == by_type["email"].title)
    text = z.read(email_file).decode()
    assert "[redacted]" in text and "Papers for" not in text
    person_file = next(row["File"] for row in index if row["Type"] == "Person record")
    assert "zoe.hq@people.example" in z.read(person_file).decode("utf-8-sig")
    assert "password" not in z.read(person_file).decode("utf-8-sig")
    # A decision changed before sending: the bundle must be built again.
    svc.decide(r, by_type["email"], user=office, version=by_type["email"].version, decision="disclose")
    assert r.bundle_file_id is None
    bundle_svc.build_bundle(r, user=office)
    requests_svc.answer(r, user=office, version=r.version, answered_on=date(2026, 12, 3), outcome="Bundle sent")
    assert r.bundle_sent_on == date(2026, 12, 3)
    with pytest.raises(Conflict):  # answered: nothing changes any more
        svc.find_what_we_hold(r, user=office)


def test_pages_and_their_refusals(demo, subject, client_as):
    r, *_ = subject
    c = client_as("office")
    assert "Find what we hold" in c.get(f"/subject-access-requests/{r.id}").text
    found = c.post(f"/subject-access-requests/{r.id}/find")
    assert found.status_code == 302
    page = c.get(f"/subject-access-requests/{r.id}/items").text
    assert "record" in page and "Not decided" in page and "Hartley" not in c.get("/subject-access-requests").text
    item = svc.items(r)[0]
    url = f"/subject-access-requests/{r.id}/items/{item.id}"
    bad = c.post(url, data={"version": str(item.version), "decision": "withhold", "reason": ""})
    assert (
        bad.status_code == 400 and "govuk-error-summary" in bad.text and "Enter why the record is withheld" in bad.text
    )
    nonsense = c.post(url, data={"version": str(item.version), "decision": "shred"})
    assert nonsense.status_code == 400
    assert db.session.get(DisclosureItem, item.id).decision == DisclosureDecision.pending
    ok = c.post(url, data={"version": str(item.version), "decision": "disclose"})
    assert ok.status_code == 302
    early = c.post(f"/subject-access-requests/{r.id}/bundle")
    assert early.status_code == 302 and "not decided" in c.get(f"/subject-access-requests/{r.id}/items").text
    c.post(f"/subject-access-requests/{r.id}/items/disclose-undecided")
    assert c.post(f"/subject-access-requests/{r.id}/bundle").status_code == 302
    download = c.get(f"/subject-access-requests/{r.id}/bundle")
    assert download.status_code == 200 and download.headers["Content-Type"] == "application/zip"
    assert "Hartley" not in download.headers["Content-Disposition"]
    chair = client_as("chair")
    assert chair.get(f"/subject-access-requests/{r.id}/items").status_code == 403
    assert chair.post(f"/subject-access-requests/{r.id}/find").status_code == 403
    assert c.get(f"/subject-access-requests/{r.id}/items/999999").status_code == 404


def test_the_api(demo, subject, api_as):
    r, *_ = subject
    api = api_as("office")
    base = f"/api/v1/subject-access-requests/{r.id}"
    found = api.post(f"{base}/find")
    assert found.status_code == 200 and found.json["added"] == found.json["total"] > 0
    detail = api.get(base).json
    assert len(detail["items"]) == found.json["total"] and detail["items"][0]["decision"] == "pending"
    assert api.post(f"{base}/bundle").status_code == 409
    item = detail["items"][0]
    bad = api.put(f"{base}/items/{item['id']}", json={"version": item["version"], "decision": "withhold"})
    assert bad.status_code == 422 and bad.headers["Content-Type"].startswith("application/problem+json")
    stale = api.put(f"{base}/items/{item['id']}", json={"version": item["version"] + 5, "decision": "disclose"})
    assert stale.status_code == 409
    for i in detail["items"]:
        assert (
            api.put(f"{base}/items/{i['id']}", json={"version": i["version"], "decision": "disclose"}).status_code
            == 200
        )
    built = api.post(f"{base}/bundle")
    assert built.status_code == 201 and len(built.json["sha256"]) == 64
    download = api.get(f"{base}/bundle")
    assert download.status_code == 200 and hashlib.sha256(download.data).hexdigest() == built.json["sha256"]
    assert api.get(base).json["bundle_sha256"] == built.json["sha256"]
    assert api_as("chair").post(f"{base}/find").status_code == 403
    assert api_as("viewer").get(f"{base}/bundle").status_code == 403


def test_the_items_are_paged(demo, client_as):
    """The demo's open request has a partner member's years of email: 50 a page."""
    from safeguarding.models import AccessRequest

    r = db.session.get(AccessRequest, demo.id("access_requests", "open"))
    total = svc.counts(r)["total"]
    assert total > 50
    c = client_as("office")
    first = c.get(f"/subject-access-requests/{r.id}/items").text
    assert first.count(f'href="/subject-access-requests/{r.id}/items/') == 50
    last_page = (total + 49) // 50
    last = c.get(f"/subject-access-requests/{r.id}/items?page={last_page}").text
    assert last.count(f'href="/subject-access-requests/{r.id}/items/') == total - 50 * (last_page - 1)
    assert f"{last_page} of {last_page}" in last
