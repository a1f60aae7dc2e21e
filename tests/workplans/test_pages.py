"""The pages: lists, plan and item pages, forms with GOV.UK errors, the partnership view
and the highlight report."""

from __future__ import annotations

import io
from datetime import date

from safeguarding.extensions import db
from safeguarding.models import Meeting, Rag
from safeguarding.services import workplans as svc
from tests.workplans.helpers import business_plan, plan


def test_lists_and_pages_render_for_readers(client_as, demo):
    p = plan(demo, state="approved")
    it = svc.items_of(p)[0]
    bp = svc.business_plan_for_year(p.financial_year)
    upcoming = demo.id("meetings", "board_upcoming")
    for who in ("office", "police", "sarchair", "chair"):
        c = client_as(who)
        for url in (
            "/workplans",
            "/workplans?year=all",
            "/workplans/business-plans",
            f"/workplans/business-plans/{bp.id}",
            f"/workplans/{p.id}",
            f"/workplans/items/{it.id}",
            "/workplans/partnership",
            "/workplans/partnership?year=2026-27&arm=adults&area=north",
            "/workplans/tor-reviews",
            f"/workplans/highlight?group={p.group_id}&meeting={upcoming}",
        ):
            r = c.get(url)
            assert r.status_code == 200, (who, url, r.status_code)
    assert client_as("admin").get("/workplans").status_code == 403
    # Viewers read "the published strategic and business plans", not the groups' working papers.
    viewer = client_as("viewer")
    for url in ("/workplans/business-plans", f"/workplans/business-plans/{bp.id}"):
        assert viewer.get(url).status_code == 200, url
    for url in (
        "/workplans",
        f"/workplans/{p.id}",
        f"/workplans/items/{it.id}",
        "/workplans/partnership",
        "/workplans/tor-reviews",
        f"/workplans/highlight?group={p.group_id}&meeting={upcoming}",
    ):
        assert viewer.get(url).status_code == 403, url


def test_viewers_cannot_change_anything(client_as, demo):
    p = plan(demo, state="approved")
    it = svc.items_of(p)[0]
    c = client_as("viewer")
    assert c.get(f"/workplans/items/{it.id}").status_code == 403
    assert c.post(f"/workplans/items/{it.id}/updates", data={"text": "x"}).status_code == 403
    assert c.get("/workplans/new").status_code == 403


def test_a_partner_who_is_not_the_lead_cannot_post(client_as, demo):
    p = plan(demo, state="approved")
    it = svc.items_of(p)[0]
    assert client_as("west").post(f"/workplans/items/{it.id}/updates", data={"text": "x"}).status_code == 403


def test_posting_an_update_recalculates_the_rag(client_as, demo):
    p = plan(demo, state="approved", due=date(2020, 1, 1))
    it = svc.items_of(p)[0]
    c = client_as("sarchair")
    r = c.post(f"/workplans/items/{it.id}/updates", data={"text": "", "percent": "150"})
    assert r.status_code == 200 and b"Enter the progress made" in r.data
    r = c.post(f"/workplans/items/{it.id}/status", data={"version": it.version, "status": "completed"})
    assert r.status_code == 302
    db.session.refresh(it)
    assert it.rag == Rag.complete


def test_an_update_with_evidence_through_the_page(client_as, demo):
    p = plan(demo, state="approved")
    it = svc.items_of(p)[0]
    c = client_as("police")  # the lead
    r = c.post(
        f"/workplans/items/{it.id}/updates",
        content_type="multipart/form-data",
        data={"text": "Audit done", "percent": "50", "evidence": (io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "audit.pdf")},
    )
    assert r.status_code == 302
    update = svc.updates_of(it)[0]
    assert c.get(f"/workplans/updates/{update.id}/evidence").status_code == 200


def test_forms_show_govuk_errors(client_as, demo):
    c = client_as("office")
    r = c.post("/workplans/business-plans/new", data={"financial_year": "2026", "strategic_plan": ""})
    assert r.status_code == 200 and b"Enter the financial year, like 2026-27" in r.data
    bp = business_plan(demo)
    r = c.post(f"/workplans/business-plans/{bp.id}/priorities/new", data={"title": "", "arm": "x"})
    assert b"Enter the title of the priority" in r.data
    p = plan(demo, state="approved")
    it = svc.items_of(p)[0]
    r = c.post(f"/workplans/items/{it.id}/override", data={"version": it.version, "rag": "red", "justification": ""})
    assert b"Enter the justification for the override" in r.data
    r = c.post(
        f"/workplans/items/{it.id}/override", data={"version": it.version - 1, "rag": "red", "justification": "x"}
    )
    assert b"changed by someone else" in r.data


def test_the_highlight_report_as_pdf_and_docx_and_attached(client_as, demo):
    p = (
        plan(demo, state="approved", year=2026)
        if svc.plan_for(demo.group("sar").id, 2026) is None
        else svc.plan_for(demo.group("sar").id, 2026)
    )
    upcoming = db.session.get(Meeting, demo.id("meetings", "board_upcoming"))
    c = client_as("sarchair")
    q = f"group={p.group_id}&meeting={upcoming.id}"
    assert c.get(f"/workplans/highlight.pdf?{q}").data.startswith(b"%PDF")
    assert c.get(f"/workplans/highlight.docx?{q}").data.startswith(b"PK")
    r = c.post("/workplans/highlight/attach", data={"group": p.group_id, "meeting": upcoming.id})
    assert r.status_code == 302
    assert len(svc.attached_papers(demo.group("sar"), upcoming)) == 2
    r = client_as("police").post("/workplans/highlight/attach", data={"group": p.group_id, "meeting": upcoming.id})
    assert r.status_code == 403


def test_closing_a_plan_through_the_page_is_refused_with_reasons(client_as, demo):
    p = plan(demo, state="approved")
    r = client_as("office").post(f"/workflow/work_plan/{p.id}/close", data={"version": p.version, "confirmed": "1"})
    assert r.status_code == 200 and b"must be carried forward" in r.data


def test_the_demo_has_plans_with_items_in_every_rag_state(demo):
    from safeguarding.models import WorkPlanItem, WorkPlanState

    ratings = {db.session.get(WorkPlanItem, i).rating for i in demo.ids["work_plan_items"].values()}
    assert ratings == set(Rag)
    for key in ("sar_2020", "qp_2020", "ld_2020", "sar_2026", "qp_2026", "ld_2026"):
        p = svc.get_work_plan(demo.id("work_plans", key))
        assert p.state == WorkPlanState.approved and svc.board_approval(p) is not None
    assert svc.get_work_plan(demo.id("work_plans", "pp_2026_draft")).state == WorkPlanState.draft
    assert demo.group("sar").id in {s.group.id for s in svc.tor_flags(2026)}
