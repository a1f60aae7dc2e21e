"""The risk register (issue 17): likelihood × impact before and after mitigations, RAG
from the residual score at each boundary (green 1–6, amber 8–12, red 15–25: our default,
a setting), the history of each risk's scores, mitigating actions in the shared action
log, CSV/XLSX export, pages and API; kept by the office, read by the chair and members."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from safeguarding.extensions import db
from safeguarding.models import Action, ActionSource, Risk
from safeguarding.services import risks
from safeguarding.services.errors import Conflict, Forbidden, StaleVersion, ValidationFailed


@pytest.mark.parametrize(
    ("score", "rag"),
    [(1, "green"), (6, "green"), (8, "amber"), (9, "amber"), (12, "amber"), (15, "red"), (16, "red"), (25, "red")],
)
def test_rag_from_the_score_at_each_boundary(app, score, rag):
    assert risks.rag_for(score) == rag


def test_the_bands_are_settings(app):
    assert risks.rag_for(6, amber_from=5, red_from=10) == "amber"
    assert risks.rag_for(10, amber_from=5, red_from=10) == "red"
    app.config["RISK_RED_FROM"] = 12
    try:
        assert risks.rag_for(12) == "red"
    finally:
        del app.config["RISK_RED_FROM"]
    assert risks.rag_for(12) == "amber"


def values(demo, **kw):
    out = {
        "title": "Reviewers are hard to find",
        "cause": "A small market",
        "effect": "Reviews are late",
        "owner_organisation_id": demo.org("west").id,
        "inherent_likelihood": 4,
        "inherent_impact": 4,
        "residual_likelihood": 3,
        "residual_impact": 3,
        "review_date": date(2027, 3, 1),
    }
    out.update(kw)
    return out


def test_a_new_risk_has_a_reference_its_first_assessment_and_its_rag(demo):
    risk = risks.create_risk(user=demo.user("office"), **values(demo))
    assert risk.reference.startswith("RISK-") and (risk.inherent_score, risk.residual_score) == (16, 9)
    assert risks.rag_of(risk) == "amber"
    (first,) = risks.history_of(risk)
    assert (first.inherent_score, first.residual_score) == (16, 9)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"residual_impact": 6}, "residual_impact"),
        ({"inherent_likelihood": 0}, "inherent_likelihood"),
        ({"inherent_impact": None}, "inherent_impact"),
        ({"title": " "}, "title"),
        ({"cause": ""}, "cause"),
        ({"owner_organisation_id": 999999}, "owner_organisation_id"),
        ({"review_date": None}, "review_date"),
        ({"owner_person_id": 999999}, "owner_person_id"),
    ],
)
def test_bad_input_is_refused(demo, change, field):
    with pytest.raises(ValidationFailed) as exc:
        risks.create_risk(user=demo.user("office"), **values(demo, **change))
    assert field in exc.value.errors


def test_the_owner_must_work_for_the_owning_organisation(demo):
    with pytest.raises(ValidationFailed) as exc:
        risks.create_risk(user=demo.user("office"), **values(demo, owner_person_id=demo.person("police_lead").id))
    assert exc.value.errors["owner_person_id"] == "The risk's owner must work for the owning organisation"


@pytest.mark.parametrize("who", ["chair", "police", "viewer"])
def test_only_the_office_keeps_the_register(demo, who):
    with pytest.raises(Forbidden):
        risks.create_risk(user=demo.user(who), **values(demo))


def test_a_rescore_is_added_to_the_history_and_a_stale_or_closed_risk_is_refused(demo):
    office = demo.user("office")
    risk = risks.create_risk(user=office, **values(demo))
    risks.update_risk(risk, user=office, version=risk.version, title="Reviewers are scarce")
    assert len(risks.history_of(risk)) == 1  # no score changed
    risks.update_risk(risk, user=office, version=risk.version, residual_likelihood=5, note="Two reviewers withdrew")
    history = risks.history_of(risk)
    assert [h.residual_score for h in history] == [9, 15] and history[-1].note == "Two reviewers withdrew"
    assert risks.rag_of(risk) == "red"
    with pytest.raises(StaleVersion):
        risks.update_risk(risk, user=office, version=1, residual_likelihood=1)
    with pytest.raises(ValidationFailed):
        risks.close_risk(risk, user=office, reason=" ")
    risks.close_risk(risk, user=office, reason="Framework agreed", version=risk.version)
    with pytest.raises(Conflict):
        risks.update_risk(risk, user=office, residual_likelihood=1)
    with pytest.raises(Conflict):
        risks.add_mitigation(
            risk, user=office, title="x", owner_organisation_id=demo.org("west").id, due_date=date(2027, 1, 1)
        )


def test_mitigating_actions_are_in_the_shared_action_log(demo):
    office = demo.user("office")
    risk = risks.create_risk(user=office, **values(demo))
    action = risks.add_mitigation(
        risk,
        user=office,
        title="Build a reviewer framework",
        owner_organisation_id=demo.org("west").id,
        due_date=date(2027, 3, 31),
    )
    stored = db.session.get(Action, action.id)
    assert (stored.source_type, stored.source_id) == (ActionSource.risk, risk.id)
    assert [a.id for a in risks.actions_of(risk)] == [action.id]


def test_the_register_lists_the_highest_score_first_and_filters_by_rag(demo):
    office = demo.user("office")
    rows = risks.list_risks(office)
    scores = [r.residual_score for r in rows]
    assert scores == sorted(scores, reverse=True)
    reds = risks.list_risks(office, risks.RiskFilters(rag="red"))
    assert reds and all(r.residual_score >= 15 for r in reds)
    greens = risks.list_risks(office, risks.RiskFilters(rag="green"))
    assert greens and all(r.residual_score <= 6 for r in greens)
    assert risks.top_risks(office, 3) == rows[:3]


def test_csv_and_xlsx_exports(demo):
    rows = risks.list_risks(demo.user("office"))
    table = list(csv.reader(io.StringIO(risks.register_csv(rows))))
    assert table[0][0] == "Reference" and len(table) == len(rows) + 1
    first = dict(zip(table[0], table[1], strict=True))
    assert (first["Reference"], first["Score after"], first["RAG"]) == (
        rows[0].reference,
        str(rows[0].residual_score),
        risks.rag_of(rows[0]).title(),
    )
    sheet = load_workbook(io.BytesIO(risks.register_xlsx(rows))).active
    assert sheet.max_row == len(rows) + 1 and sheet.cell(row=2, column=1).value == rows[0].reference


def test_a_formula_in_a_cell_is_not_a_formula_in_the_export(demo):
    risk = risks.create_risk(user=demo.user("office"), **values(demo, title="=HYPERLINK(1)"))
    assert "'=HYPERLINK(1)" in risks.register_csv([risk])


def test_the_demo_register_has_8_risks_in_every_rag_state_with_their_history(demo):
    rows = db.session.query(Risk).all()
    assert len(rows) == 8
    by_rag = {rag: [r for r in rows if risks.rag_of(r) == rag] for rag in risks.RAGS}
    assert {rag: len(v) for rag, v in by_rag.items()} == {"red": 3, "amber": 3, "green": 2}
    # The boundaries are in the demo: 15 red, 12 and 8 amber, 6 green.
    assert {15, 12, 8, 6} <= {r.residual_score for r in rows}
    assert sum(len(risks.history_of(r)) > 1 for r in rows) == 6
    funding = db.session.get(Risk, demo.id("risks", "funding"))
    assert [h.residual_score for h in risks.history_of(funding)] == [12, 16, 20]
    assert [h.assessed_on.month for h in risks.history_of(funding)] == [4, 7, 10]


# --- pages and API ----------------------------------------------------------------------------


def test_the_register_page_and_a_risk_page(client_as, demo):
    page = client_as("chair").get("/risks").text
    funding = db.session.get(Risk, demo.id("risks", "funding"))
    assert funding.reference in page and "govuk-tag--red" in page
    detail = client_as("police").get(f"/risks/{funding.id}").text
    assert "Score history" in detail and "Agree the 2027/28 contributions" in detail
    assert "Change or rescore" not in detail
    assert "Change or rescore" in client_as("office").get(f"/risks/{funding.id}").text


def test_the_register_downloads(client_as):
    csv_response = client_as("police").get("/risks/register.csv?rag=red")
    assert csv_response.status_code == 200 and csv_response.mimetype == "text/csv"
    lines = csv_response.data.decode().strip().splitlines()
    assert len(lines) == 4 and all(line.count(",Red,") for line in lines[1:])
    xlsx = client_as("office").get("/risks/register.xlsx")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"


def test_the_add_page_shows_errors_and_saves(client_as, demo):
    client = client_as("office")
    bad = client.post("/risks/new", data={"title": "", "owner_person_id": ""})
    assert (
        bad.status_code == 200
        and "Enter the risk" in bad.text
        and "Select the likelihood before mitigations" in bad.text
    )
    data = {
        "title": "Partners withdraw from the Board",
        "cause": "Reorganisation",
        "effect": "Fewer voices",
        "owner_organisation_id": str(demo.org("north").id),
        "owner_person_id": "",
        "inherent_likelihood": "3",
        "inherent_impact": "2",
        "residual_likelihood": "2",
        "residual_impact": "3",
        "review_date": ["1", "3", "2027"],
    }
    ok = client.post("/risks/new", data=data)
    assert ok.status_code == 302
    risk = db.session.query(Risk).filter_by(title="Partners withdraw from the Board").one()
    assert risk.residual_score == 6 and risks.rag_of(risk) == "green"


def test_the_api(api_as, demo):
    office = api_as("office")
    body = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in values(demo).items()}
    created = office.post("/api/v1/risks", json=body)
    assert created.status_code == 201 and created.json["rag"] == "amber" and created.json["residual_score"] == 9
    rid = created.json["id"]
    patch = office.patch(f"/api/v1/risks/{rid}", json={"version": created.json["version"], "residual_likelihood": 5})
    assert patch.status_code == 200 and patch.json["rag"] == "red"
    history = office.get(f"/api/v1/risks/{rid}/history").json
    assert [h["residual_score"] for h in history] == [9, 15] and [h["rag"] for h in history] == ["amber", "red"]
    stale = office.patch(f"/api/v1/risks/{rid}", json={"version": 1, "residual_likelihood": 1})
    assert stale.status_code == 409
    bad = office.post("/api/v1/risks", json={**body, "residual_impact": 6})
    assert bad.status_code == 422 and bad.mimetype == "application/problem+json"
    action = office.post(
        f"/api/v1/risks/{rid}/actions",
        json={"title": "Recruit reviewers", "owner_organisation_id": demo.org("west").id, "due_date": "2027-02-01"},
    )
    assert action.status_code == 201
    assert [a["title"] for a in api_as("chair").get(f"/api/v1/risks/{rid}/actions").json] == ["Recruit reviewers"]
    reds = api_as("police").get("/api/v1/risks?rag=red").json
    assert rid in [r["id"] for r in reds] and all(r["rag"] == "red" for r in reds)
    assert api_as("police").get("/api/v1/risks?format=xlsx").data[:2] == b"PK"
    assert api_as("police").post("/api/v1/risks", json=body).status_code == 403
    assert api_as("viewer").get("/api/v1/risks").status_code == 403
    closed = office.post(f"/api/v1/risks/{rid}/close", json={"reason": "Done", "version": patch.json["version"]})
    assert closed.status_code == 200 and closed.json["status"] == "closed"
