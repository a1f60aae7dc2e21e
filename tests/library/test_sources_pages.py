"""The pages for the other sources of learning: learning reviews and multi-agency audits
listed (the office, the chair), recorded and edited by the office with the GOV.UK error
summary (bad input, a reference taken, more graded cases than audited, a stale version:
nothing changed), and a finding added to one."""

from __future__ import annotations

import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import Finding, LearningReview, MultiAgencyAudit


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_the_lists_show_the_sources_with_their_findings(client_as, demo):
    office = client_as("office").get("/learning-reviews")
    assert office.status_code == 200 and "LR 2021/01" in office.text and "Record a learning review" in office.text
    chair = client_as("chair").get("/audits")
    assert chair.status_code == 200 and "MAA 2026/01" in chair.text and "Requires improvement: 5" in chair.text
    assert "Record an audit" not in chair.text and "/edit" not in chair.text
    assert 'href="/learning-reviews"' in client_as("office").get("/findings").text


def test_the_office_records_a_learning_review_and_bad_input_changes_nothing(client_as, demo):
    c = client_as("office")
    before = _count(LearningReview)
    bad = c.post("/learning-reviews/new", data={"reference": "", "title": "", "concluded_on": ["31", "2", "2026"]})
    assert bad.status_code == 400 and "There is a problem" in bad.text
    assert "Enter the reference" in bad.text and "Select the kind of learning review" in bad.text
    taken = c.post(
        "/learning-reviews/new",
        data={
            "reference": "LR 2021/01",
            "kind": "dardr",
            "title": "A review",
            "arm": "adults",
            "area": "north",
            "concluded_on": ["1", "10", "2026"],
        },
    )
    assert taken.status_code == 400 and "already has this reference" in taken.text
    assert _count(LearningReview) == before
    ok = c.post(
        "/learning-reviews/new",
        data={
            "reference": "LR 2026/01",
            "kind": "learning_together",
            "title": "Learning-together review of transition to adult services",
            "arm": "both",
            "area": "both",
            "group_id": str(demo.group("ld").id),
            "concluded_on": ["1", "10", "2026"],
        },
    )
    assert ok.status_code == 302 and _count(LearningReview) == before + 1
    row = db.session.scalar(sa.select(LearningReview).where(LearningReview.reference == "LR 2026/01"))
    assert row.group_id == demo.group("ld").id and row.kind.value == "learning_together"


def test_editing_an_audit_refuses_a_stale_version_and_too_many_graded_cases(client_as, demo):
    audit = db.session.get(MultiAgencyAudit, demo.id("learning_sources", "MAA 2026/01"))
    c = client_as("office")
    page = c.get(f"/audits/{audit.id}/edit")
    assert page.status_code == 200 and 'value="MAA 2026/01"' in page.text
    form = {
        "version": str(audit.version),
        "reference": "MAA 2026/01",
        "topic": audit.topic,
        "arm": "adults",
        "area": "both",
        "group_id": str(audit.group_id),
        "audited_on": ["30", "9", "2026"],
        "cases_audited": "10",
        "grade_good": "8",
        "grade_inadequate": "4",
    }
    over = c.post(f"/audits/{audit.id}/edit", data=form)
    assert over.status_code == 400 and "cannot be more than the cases audited" in over.text
    words = c.post(f"/audits/{audit.id}/edit", data={**form, "cases_audited": "ten"})
    assert words.status_code == 400 and "There is a problem" in words.text
    stale = c.post(f"/audits/{audit.id}/edit", data={**form, "grade_inadequate": "2", "version": "99"})
    assert stale.status_code == 400 and "changed by someone else" in stale.text
    assert db.session.get(MultiAgencyAudit, audit.id).grades["good"] == 4
    ok = c.post(f"/audits/{audit.id}/edit", data={**form, "grade_inadequate": "2"})
    assert ok.status_code == 302
    assert db.session.get(MultiAgencyAudit, audit.id).grades == {"good": 8, "inadequate": 2}


def test_a_finding_of_an_audit_by_page(client_as, demo):
    audit_id = demo.id("learning_sources", "MAA 2023/01")
    c = client_as("office")
    assert c.get(f"/audits/{audit_id}/findings/new").status_code == 200
    before = _count(Finding)
    bad = c.post(f"/audits/{audit_id}/findings/new", data={"statement": "", "public_statement": ""})
    assert bad.status_code == 400 and _count(Finding) == before
    ok = c.post(
        f"/audits/{audit_id}/findings/new",
        data={
            "statement": "Strategy discussions were not held within a day.",
            "public_statement": "Strategy discussions were late.",
            "found_on": ["14", "2", "2023"],
            "panel_themes": ["information_sharing"],
        },
    )
    assert ok.status_code == 302 and _count(Finding) == before + 1
    f = db.session.scalars(sa.select(Finding).order_by(Finding.id.desc())).first()
    assert (f.audit_id, f.source_kind.value) == (audit_id, "audit")


def test_the_quality_and_performance_work_plan_lists_the_years_audits(client_as, demo):
    qp = client_as("office").get(f"/workplans/{demo.id('work_plans', 'qp_2026')}")
    assert qp.status_code == 200 and "Audit programme" in qp.text and "MAA 2026/01" in qp.text
    assert "MAA 2023/01" not in qp.text  # another year's
    sar = client_as("office").get(f"/workplans/{demo.id('work_plans', 'sar_2026')}")
    assert "Audit programme" not in sar.text
