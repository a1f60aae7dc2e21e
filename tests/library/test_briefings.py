"""Learning briefings: the draft generated from a source's public findings (never case
content), need-to-know on drafts, editing and publishing with their refusals (wrong role,
stale version, publishing twice, bad input, too long for one page), dissemination
confirmed per organisation (a partner for their own only), the one-page PDF and the DOCX."""

from __future__ import annotations

import html as html_lib
import re
from io import BytesIO

import pytest
import sqlalchemy as sa
from docx import Document as WordDocument
from pypdf import PdfReader

from safeguarding.documents import render_pdf
from safeguarding.extensions import db
from safeguarding.models import (
    BRIEFING_SECTIONS,
    BriefingConfirmation,
    BriefingState,
    Finding,
    LearningBriefing,
    Review,
)
from safeguarding.services.learning import briefings
from safeguarding.services.learning.briefing_text import document


def _b(demo, key: str) -> LearningBriefing:
    return db.session.get(LearningBriefing, demo.id("briefings", key))


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


# --- the demo and the list --------------------------------------------------------------------


def test_the_demo_has_two_published_briefings_with_confirmations_and_a_draft(demo):
    assert _b(demo, "sar_2024").state is BriefingState.published
    assert _b(demo, "audit").state is BriefingState.published and _b(demo, "audit").audit_id
    assert _b(demo, "draft").state is BriefingState.draft
    assert len(briefings.confirmations(_b(demo, "sar_2024"))) == 4
    assert len(briefings.confirmations(_b(demo, "audit"))) == 2


def test_the_list_shows_drafts_to_the_office_and_the_sources_sub_group_only(client_as, demo):
    draft = _b(demo, "draft")
    for who in ("office", "chair", "sarchair"):
        page = client_as(who).get("/briefings")
        assert page.status_code == 200 and draft.title in page.text, who
        assert client_as(who).get(f"/briefings/{draft.id}").status_code == 200, who
    for who in ("viewer", "north", "scrutineer", "northdcs"):
        page = client_as(who).get("/briefings")
        assert page.status_code == 200 and draft.title not in page.text, who
        assert _b(demo, "audit").title in page.text, who
        assert client_as(who).get(f"/briefings/{draft.id}").status_code == 404, who
        assert client_as(who).get(f"/briefings/{draft.id}.pdf").status_code == 404, who
    assert client_as("viewer").get(f"/briefings/{_b(demo, 'audit').id}").status_code == 200


def test_the_library_page_links_to_the_briefings(client_as, demo):
    assert 'href="/briefings"' in client_as("viewer").get("/findings").text


def test_the_api_lists_what_the_user_may_see_and_refuses_a_bad_state(api_as, demo):
    office = api_as("office").get("/api/v1/briefings?per_page=200").json
    viewer = api_as("viewer").get("/api/v1/briefings?per_page=200").json
    assert office["total"] == viewer["total"] + 1
    assert all(item["state"] == "published" for item in viewer["items"])
    drafts = api_as("office").get("/api/v1/briefings?state=draft").json
    assert [i["id"] for i in drafts["items"]] == [demo.id("briefings", "draft")]
    bad = api_as("office").get("/api/v1/briefings?state=nope")
    assert bad.status_code == 422 and bad.content_type.startswith("application/problem+json")
    assert api_as("viewer").get(f"/api/v1/briefings/{demo.id('briefings', 'draft')}").status_code == 404


# --- generating a draft -----------------------------------------------------------------------------


def test_a_generated_draft_reads_the_public_statements_never_the_case_content(client_as, demo):
    review = db.session.get(Review, demo.id("reviews", "published"))
    findings = list(db.session.scalars(sa.select(Finding).where(Finding.review_id == review.id)))
    assert findings and all(f.statement != f.public_statement for f in findings)
    c = client_as("office")
    page = c.get(f"/briefings/new?review={review.id}")
    assert page.status_code == 200
    for f in findings:
        assert f.public_statement in page.text and f.statement not in page.text
    assert review.summary not in page.text
    before = _count(LearningBriefing)
    form = {name: _field(page.text, name) for name in ("title", *[n for n, _ in BRIEFING_SECTIONS])}
    made = c.post(f"/briefings/new?review={review.id}", data=form)
    assert made.status_code == 302, made.text
    assert _count(LearningBriefing) == before + 1
    b = db.session.scalars(sa.select(LearningBriefing).order_by(LearningBriefing.id.desc())).first()
    assert (b.review_id, b.group_id, b.state) == (review.id, review.group_id, BriefingState.draft)
    assert briefings.page_lines({n: getattr(b, n) for n, _ in BRIEFING_SECTIONS}) <= briefings.PAGE_LINES


def _field(html: str, name: str) -> str:
    m = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', html, re.S) or re.search(
        rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', html
    )
    return html_lib.unescape(m.group(1)).strip() if m else ""


def test_a_briefing_from_an_audit_or_a_learning_review_through_the_api(api_as, demo):
    c = api_as("office")
    audit = c.post("/api/v1/briefings", json={"audit_id": demo.id("learning_sources", "MAA 2023/01")})
    assert audit.status_code == 201, audit.json
    assert audit.json["state"] == "draft" and "12 cases" in audit.json["background"]
    lr = c.post(
        "/api/v1/briefings", json={"learning_review_id": demo.id("learning_sources", "LR 2021/01"), "title": "Hoarding"}
    )
    assert lr.status_code == 201 and lr.json["title"] == "Hoarding"
    assert "Hoarding was treated as a lifestyle choice" in lr.json["what_happened"]


def test_creating_is_refused_for_bad_input_a_missing_source_and_the_wrong_role(api_as, client_as, demo):
    c = api_as("office")
    before = _count(LearningBriefing)
    assert c.post("/api/v1/briefings", json={}).status_code == 422
    assert c.post("/api/v1/briefings", json={"review_id": 1, "audit_id": 1}).status_code == 422
    assert c.post("/api/v1/briefings", json={"review_id": 999999}).status_code == 404
    empty = c.post("/api/v1/briefings", json={"review_id": demo.id("reviews", "published"), "title": "  "})
    assert empty.status_code == 422 and "title" in str(empty.json)
    assert api_as("sarchair").post("/api/v1/briefings", json={"review_id": 1}).status_code == 403
    assert client_as("office").get("/briefings/new").status_code == 404
    assert client_as("office").get("/briefings/new?review=abc").status_code == 404
    assert _count(LearningBriefing) == before


# --- editing and publishing ------------------------------------------------------------------------------


def test_editing_a_draft_refuses_a_stale_version_and_a_briefing_too_long_for_a_page(client_as, api_as, demo):
    b = _b(demo, "draft")
    c = client_as("office")
    ok = c.post(
        f"/briefings/{b.id}/edit",
        data={"version": str(b.version), "title": "Fire risk and home oxygen", "background": "Background."},
    )
    assert ok.status_code == 302
    b = _b(demo, "draft")
    assert (b.title, b.background) == ("Fire risk and home oxygen", "Background.")
    stale = c.post(f"/briefings/{b.id}/edit", data={"version": str(b.version - 1), "title": "Stale"})
    assert stale.status_code == 400 and "changed by someone else" in stale.text
    assert _b(demo, "draft").title == "Fire risk and home oxygen"
    long = "\n".join(["A line of learning."] * (briefings.PAGE_LINES + 1))
    too_long = c.post(f"/briefings/{b.id}/edit", data={"version": str(b.version), "title": "T", "learning": long})
    assert (
        too_long.status_code == 400
        and "too long for one page" in too_long.text
        and "There is a problem" in too_long.text
    )
    no_title = c.post(f"/briefings/{b.id}/edit", data={"version": str(b.version), "title": ""})
    assert no_title.status_code == 400 and "Enter the briefing" in no_title.text
    api = api_as("office")
    read = b.version
    patched = api.patch(f"/api/v1/briefings/{b.id}", json={"version": read, "resources": "The library."})
    assert patched.status_code == 200 and patched.json["title"] == "Fire risk and home oxygen"
    again = api.patch(f"/api/v1/briefings/{b.id}", json={"version": read, "resources": "Again"})
    assert again.status_code == 409 and again.content_type.startswith("application/problem+json")
    bad = api.patch(f"/api/v1/briefings/{b.id}", json={"version": patched.json["version"], "learning": long})
    assert bad.status_code == 422
    assert _b(demo, "draft").resources == "The library."


def test_publishing_once_then_no_edits_and_not_twice(client_as, api_as, demo):
    b = _b(demo, "draft")
    page = client_as("office").get(f"/briefings/{b.id}/publish")
    assert page.status_code == 200 and "Publish the briefing" in page.text
    stale = client_as("office").post(f"/briefings/{b.id}/publish", data={"version": str(b.version + 1)})
    assert stale.status_code == 400 and _b(demo, "draft").state is BriefingState.draft
    done = client_as("office").post(f"/briefings/{b.id}/publish", data={"version": str(b.version)})
    assert done.status_code == 302
    b = _b(demo, "draft")
    assert b.state is BriefingState.published and b.published_on is not None
    twice = api_as("office").post(f"/api/v1/briefings/{b.id}/publish", json={"version": b.version})
    assert twice.status_code == 409 and "already published" in twice.json["detail"]
    edit = api_as("office").patch(f"/api/v1/briefings/{b.id}", json={"version": b.version, "title": "New"})
    assert edit.status_code == 409 and _b(demo, "draft").title != "New"
    assert client_as("viewer").get(f"/briefings/{b.id}").status_code == 200  # public once published


def test_a_draft_with_an_empty_section_is_not_published(api_as, demo):
    b = _b(demo, "draft")
    c = api_as("office")
    v = c.patch(f"/api/v1/briefings/{b.id}", json={"version": b.version, "what_to_do": ""}).json["version"]
    r = c.post(f"/api/v1/briefings/{b.id}/publish", json={"version": v})
    assert r.status_code == 422 and _b(demo, "draft").state is BriefingState.draft
    assert api_as("sarchair").post(f"/api/v1/briefings/{b.id}/publish", json={"version": v}).status_code == 403


# --- dissemination ------------------------------------------------------------------------------------------


def test_a_partner_confirms_for_their_own_organisation_only(client_as, api_as, demo):
    b = _b(demo, "audit")
    west_dcs = api_as("westdcs")  # West Council: already confirmed by its adults' director
    assert (
        west_dcs.post(
            f"/api/v1/briefings/{b.id}/confirmations", json={"confirmed_on": "2026-11-20", "how_shared": "Again"}
        ).status_code
        == 409
    )
    police = api_as("police")
    other = police.post(
        f"/api/v1/briefings/{b.id}/confirmations",
        json={"organisation_id": demo.org("north").id, "confirmed_on": "2026-11-20", "how_shared": "Bulletin"},
    )
    assert other.status_code == 403
    early = police.post(
        f"/api/v1/briefings/{b.id}/confirmations", json={"confirmed_on": "2026-01-01", "how_shared": "Bulletin"}
    )
    assert early.status_code == 422 and "on or after" in str(early.json)
    future = police.post(
        f"/api/v1/briefings/{b.id}/confirmations", json={"confirmed_on": "2027-01-01", "how_shared": "Bulletin"}
    )
    assert future.status_code == 422
    assert len(briefings.confirmations(b)) == 2
    page = client_as("police").get(f"/briefings/{b.id}/confirm")
    assert page.status_code == 200 and 'name="organisation_id"' not in page.text
    ok = client_as("police").post(
        f"/briefings/{b.id}/confirm", data={"confirmed_on": ["20", "11", "2026"], "how_shared": "Team briefings"}
    )
    assert ok.status_code == 302
    row = db.session.scalar(
        sa.select(BriefingConfirmation).where(
            BriefingConfirmation.briefing_id == b.id, BriefingConfirmation.organisation_id == demo.org("police").id
        )
    )
    assert row is not None and not row.by_office and row.how_shared == "Team briefings"
    shown = client_as("viewer").get(f"/briefings/{b.id}")
    assert "3 of" in shown.text and "Team briefings" in shown.text and "Not yet confirmed" in shown.text


def test_the_office_records_for_any_organisation_and_bad_input_changes_nothing(client_as, api_as, demo):
    b = _b(demo, "audit")
    c = client_as("office")
    page = c.get(f"/briefings/{b.id}/confirm")
    assert page.status_code == 200 and 'name="organisation_id"' in page.text
    before = _count(BriefingConfirmation)
    bad = c.post(f"/briefings/{b.id}/confirm", data={"organisation_id": "", "how_shared": ""})
    assert bad.status_code == 400 and "There is a problem" in bad.text
    assert _count(BriefingConfirmation) == before
    fire = demo.org("fire").id
    ok = c.post(
        f"/briefings/{b.id}/confirm",
        data={"organisation_id": str(fire), "confirmed_on": ["25", "11", "2026"], "how_shared": "Crew briefings"},
    )
    assert ok.status_code == 302 and _count(BriefingConfirmation) == before + 1
    listed = api_as("viewer").get(f"/api/v1/briefings/{b.id}/confirmations").json
    fire_row = next(r for r in listed if r["organisation_id"] == fire)
    assert fire_row["confirmed"] and fire_row["by_office"] and fire_row["how_shared"] == "Crew briefings"
    draft = _b(demo, "draft")
    refused = api_as("office").post(
        f"/api/v1/briefings/{draft.id}/confirmations",
        json={"organisation_id": fire, "confirmed_on": "2026-11-25", "how_shared": "x"},
    )
    assert refused.status_code == 409
    assert (
        api_as("viewer")
        .post(f"/api/v1/briefings/{b.id}/confirmations", json={"confirmed_on": "2026-11-25", "how_shared": "x"})
        .status_code
        == 403
    )


# --- the documents --------------------------------------------------------------------------------------------


def test_the_pdf_is_one_page_and_the_docx_opens(client_as, demo):
    for key in ("sar_2024", "audit", "draft"):
        b = _b(demo, key)
        pdf = client_as("office").get(f"/briefings/{b.id}.pdf")
        assert pdf.status_code == 200 and pdf.content_type == "application/pdf"
        assert len(PdfReader(BytesIO(pdf.data)).pages) == 1, key
        assert b.reference in pdf.headers["Content-Disposition"]
        word = client_as("viewer" if key != "draft" else "sarchair").get(f"/briefings/{b.id}.docx")
        assert word.status_code == 200
        text = "\n".join(p.text for p in WordDocument(BytesIO(word.data)).paragraphs)
        assert b.title in text and "Background" in text


TEXT = "Practitioners did not share information about risk with the agencies around the person. " * 40


@pytest.mark.parametrize("per_line", [1, 85, 170, 400, 2000])
def test_the_longest_allowed_briefing_is_one_page(app, per_line):
    values: dict[str, str] = {}
    names = [n for n, _ in BRIEFING_SECTIONS]
    for i, name in enumerate(names):
        paras: list[str] = []
        share = briefings.PAGE_LINES // 5 + (briefings.PAGE_LINES % 5 if i == 0 else 0)
        while share > 0:
            paras.append(TEXT[: min(per_line, share * briefings.CHARS_PER_LINE)].strip())
            share -= max(1, -(-len(paras[-1]) // briefings.CHARS_PER_LINE))
        values[name] = "\n".join(paras)
    clean, errors = briefings._clean({"title": "Wwwwwwwww " * 12, **values})
    assert not errors and briefings.page_lines(clean) == briefings.PAGE_LINES
    b = LearningBriefing(
        id=1,
        source_label="Safeguarding Adults Review",
        source_reference="SAR 2026/01",
        state=BriefingState.draft,
        **clean,
    )
    assert len(PdfReader(BytesIO(render_pdf(document(b, None)))).pages) == 1
