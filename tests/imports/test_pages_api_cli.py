"""The import pages, API and command (issue 21): business office only; upload → dry-run
report (GOV.UK error summary linking to the table of rows) → map columns → confirm → result;
the run recorded (who, when, the file's hash, counts) and listed."""

from __future__ import annotations

import io
import re

import openpyxl
import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import ImportMapping, ImportRun, Organisation, User
from tests.imports.helpers import count, csv_bytes, xlsx_bytes

HEAD = ["Name", "Kind", "Area"]
GOOD = [HEAD, ["Harbour Trust", "other", "west"], ["Moor Trust", "other", "north"]]
BAD = [HEAD, ["Harbour Trust", "other", "west"], ["Moor Trust", "castle", "north"]]


def upload(client, rows, name="orgs.csv", kind="organisations"):
    data = csv_bytes(rows) if name.endswith(".csv") else xlsx_bytes(rows)
    return client.post(
        "/imports", data={"kind": kind, "file": (io.BytesIO(data), name)}, content_type="multipart/form-data"
    )


def _latest() -> ImportRun:
    return db.session.scalar(sa.select(ImportRun).order_by(ImportRun.id.desc()).limit(1))


def test_upload_report_confirm_result_and_the_list(client_as, demo):
    office = client_as("office")
    page = office.get("/imports")
    assert page.status_code == 200 and "Organisations template (XLSX)" in page.text
    before = count(Organisation)
    r = upload(office, GOOD, "orgs.xlsx")
    assert r.status_code == 302
    run = _latest()
    assert count(Organisation) == before  # checked, not applied
    report = office.get(f"/imports/{run.id}")
    assert "2 rows would be created" in report.text and "Import 2 rows" in report.text
    done = office.post(f"/imports/{run.id}/commit", data={"sha256": run.sha256}, follow_redirects=True)
    assert "Imported: 2 created, 0 updated, 0 unchanged" in done.text
    assert count(Organisation) == before + 2
    run = db.session.get(ImportRun, run.id)
    assert run.status == "committed" and run.committed_by_id == demo.user("office").id and run.committed_at
    listing = office.get("/imports").text
    assert f'href="/imports/{run.id}"' in listing and "Imported" in listing


def test_the_report_lists_problems_in_a_summary_linking_to_the_table(client_as):
    office = client_as("office")
    upload(office, BAD)
    run = _latest()
    page = office.get(f"/imports/{run.id}").text
    assert "govuk-error-summary" in page and 'href="#problem-0"' in page and 'id="problem-0"' in page
    assert "Row 3: Kind must be one of" in page
    assert "Import 2 rows" not in page  # no confirm button
    refused = office.post(f"/imports/{run.id}/commit", data={"sha256": run.sha256}, follow_redirects=True)
    assert "Only a dry run with no problems can be imported" in refused.text
    assert db.session.scalar(sa.select(Organisation).where(Organisation.name == "Harbour Trust")) is None


def test_a_bad_file_on_the_page_gets_the_error_summary_not_a_500(client_as):
    office = client_as("office")
    r = office.post(
        "/imports",
        data={"kind": "organisations", "file": (io.BytesIO(b"%PDF-1.4"), "a.pdf")},
        content_type="multipart/form-data",
    )
    assert r.status_code == 200 and "govuk-error-summary" in r.text
    assert "The selected file must be a CSV or Excel (XLSX) spreadsheet" in r.text
    r = office.post("/imports", data={"kind": "organisations"}, content_type="multipart/form-data")
    assert "Select a spreadsheet" in r.text
    r = office.post(
        "/imports", data={"kind": "nonsense", "file": (io.BytesIO(b"x"), "a.csv")}, content_type="multipart/form-data"
    )
    assert r.status_code == 200 and "govuk-error-summary" in r.text


def test_the_mapping_page_saves_the_mapping_for_the_kind(client_as):
    office = client_as("office")
    upload(office, [["Organisation", "Type"], ["Harbour Trust", "other"]])
    run = _latest()
    assert run.status == "problems"
    page = office.get(f"/imports/{run.id}/mapping")
    assert page.status_code == 200 and "Match the columns" in page.text
    r = office.post(f"/imports/{run.id}/mapping", data={"map_name": "Organisation", "map_kind": "Type"})
    assert r.status_code == 302
    saved = db.session.scalar(sa.select(ImportMapping).where(ImportMapping.kind == "organisations"))
    assert saved.mapping == {"name": "Organisation", "kind": "Type"}
    assert db.session.get(ImportRun, run.id).status == "checked"


def test_the_template_has_headings_an_example_and_a_sheet_explaining_the_columns(client_as):
    r = client_as("office").get("/imports/templates/people.xlsx")
    assert r.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(r.data))
    data, guide = book.worksheets
    headings = [c.value for c in data[1]]
    assert headings[:2] == ["Name", "Email"] and "Deputy email" in headings
    assert data.max_row == 2  # one example row
    assert guide.title == "Columns" and [c.value for c in guide[1]] == [
        "Column",
        "Required",
        "Allowed values",
        "What it is",
    ]
    role = next(row for row in guide.iter_rows(values_only=True) if row[0] == "Role")
    assert "vice_chair" in role[2]
    # A kind that does not exist is not found.
    assert client_as("office").get("/imports/templates/castle.xlsx").status_code == 404


def test_the_office_only(client_as):
    for who in ("chair", "police", "viewer", "admin"):
        c = client_as(who)
        assert c.get("/imports").status_code == 403
        assert upload(c, GOOD).status_code == 403


def test_the_api_checks_then_commits_exactly_that_file(api_as, demo):
    api = api_as("office")
    before = count(Organisation)
    r = api.post(
        "/api/v1/imports",
        data={"kind": "organisations", "file": (io.BytesIO(csv_bytes(BAD)), "o.csv")},
        content_type="multipart/form-data",
    )
    assert r.status_code == 201, r.json
    body = r.json
    assert body["status"] == "problems" and body["problems"] == [
        {"sheet": "CSV", "row": 3, "column": "Kind", "message": body["problems"][0]["message"]}
    ]
    assert count(Organisation) == before
    r = api.post(
        "/api/v1/imports",
        data={"kind": "organisations", "file": (io.BytesIO(csv_bytes(GOOD)), "o.csv")},
        content_type="multipart/form-data",
    )
    body = r.json
    assert body["status"] == "checked" and body["created"] == 2
    wrong = api.post(f"/api/v1/imports/{body['id']}/commit", json={"sha256": "f" * 64})
    assert wrong.status_code == 409 and wrong.content_type.startswith("application/problem+json")
    ok = api.post(f"/api/v1/imports/{body['id']}/commit", json={"sha256": body["sha256"]})
    assert ok.status_code == 200 and ok.json["status"] == "committed"
    assert count(Organisation) == before + 2
    again = api.post(f"/api/v1/imports/{body['id']}/commit", json={"sha256": body["sha256"]})
    assert again.status_code == 409
    assert api.get(f"/api/v1/imports/{body['id']}").json["created"] == 2


def test_the_api_refuses_bad_input_with_problems_and_other_roles(api_as):
    api = api_as("office")
    r = api.post(
        "/api/v1/imports",
        data={"kind": "organisations", "file": (io.BytesIO(b""), "o.csv")},
        content_type="multipart/form-data",
    )
    assert r.status_code == 422 and "empty" in r.text
    r = api.post("/api/v1/imports", data={"kind": "organisations"}, content_type="multipart/form-data")
    assert r.status_code == 422
    r = api.post(
        "/api/v1/imports",
        data={"kind": "castle", "file": (io.BytesIO(b"a"), "o.csv")},
        content_type="multipart/form-data",
    )
    assert r.status_code == 422
    r = api_as("chair").post(
        "/api/v1/imports",
        data={"kind": "organisations", "file": (io.BytesIO(csv_bytes(GOOD)), "o.csv")},
        content_type="multipart/form-data",
    )
    assert r.status_code == 403


def test_the_command_dry_runs_then_commits_with_a_non_zero_exit_on_problems(app, tmp_path):
    runner = app.test_cli_runner()
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes(BAD))
    result = runner.invoke(args=["import", "organisations", str(bad), "--commit", "--as", "office@demo.test"])
    assert result.exit_code == 1
    assert "CSV row 3, Kind: Kind must be one of" in result.output and "nothing was imported" in result.output
    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes(GOOD))
    before = count(Organisation)
    dry = runner.invoke(args=["import", "organisations", str(good), "--as", "office@demo.test"])
    assert dry.exit_code == 0 and "2 would be created" in dry.output and count(Organisation) == before
    done = runner.invoke(args=["import", "organisations", str(good), "--commit", "--as", "office@demo.test"])
    assert done.exit_code == 0 and "2 created" in done.output
    assert count(Organisation) == before + 2
    again = runner.invoke(args=["import", "organisations", str(good), "--commit", "--as", "office@demo.test"])
    assert again.exit_code == 0 and "2 left unchanged" in again.output and count(Organisation) == before + 2
    run = db.session.scalar(sa.select(ImportRun).order_by(ImportRun.id.desc()).limit(1))
    assert run.committed_by_id == db.session.scalar(sa.select(User.id).where(User.email == "office@demo.test"))
    refused = runner.invoke(args=["import", "organisations", str(good), "--as", "viewer@demo.test"])
    assert refused.exit_code != 0 and "not an active business office account" in refused.output


def test_the_run_page_stays_within_the_query_budget(client_as, count_queries):
    office = client_as("office")
    rows = [HEAD] + [[f"Trust {i}", "castle", "west"] for i in range(60)]
    upload(office, rows)
    run = _latest()
    with count_queries() as q:
        page = office.get(f"/imports/{run.id}")
    assert page.status_code == 200 and len(re.findall(r'id="problem-\d+"', page.text)) == 60
    assert q.count <= 15
