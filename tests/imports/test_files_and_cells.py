"""Bad files get a clear message, never a 500; cells are read as offices write them
(issue 21)."""

from __future__ import annotations

import io
from datetime import date, datetime

import openpyxl
import pytest

from safeguarding.models import ImportRun, Organisation
from safeguarding.services import imports
from safeguarding.services.errors import ValidationFailed
from safeguarding.services.imports import values
from tests.imports.helpers import count, csv_bytes, xlsx_bytes

HEAD = ["Name", "Kind", "Joined on", "Chief executive name", "Chief executive email"]


def refused(name: str, data: bytes, demo) -> str:
    runs = count(ImportRun)
    with pytest.raises(ValidationFailed) as exc:
        imports.check(imports.get_kind("organisations"), name, data, demo.user("office"))
    assert count(ImportRun) == runs
    return exc.value.errors["file"]


def test_files_that_are_not_spreadsheets_are_refused_plainly(demo):
    assert refused("orgs.pdf", b"%PDF-1.4 hello", demo) == "The selected file must be a CSV or Excel (XLSX) spreadsheet"
    assert refused("orgs.xlsx", b"PK\x03\x04 not a zip", demo).startswith("The selected file must be a CSV or Excel")
    assert refused("orgs.csv", b"", demo) == "The selected file is empty"
    assert refused("orgs.csv", b"\n\n,,\n", demo) == "The selected file is empty"
    assert refused("orgs.csv", b"A title\nA Ltd\n", demo).startswith("The selected file has no row of headings")
    assert refused("orgs.csv", csv_bytes([HEAD]), demo) == "The selected file has headings but no rows"
    assert "UTF-8" in refused("orgs.csv", "Name,Kind\nCafé Ltd,other\n".encode("latin-1"), demo)
    assert "password-protected" in refused("orgs.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, demo)


def test_the_size_and_row_limits_are_settings(app, demo):
    app.config["IMPORT_MAX_ROWS"] = 2
    try:
        rows = [HEAD] + [[f"Org {i}", "other", "", "", ""] for i in range(3)]
        assert refused("orgs.csv", csv_bytes(rows), demo) == "The selected file must have 2 rows or fewer (it has 3)"
    finally:
        app.config["IMPORT_MAX_ROWS"] = 50_000
    app.config["IMPORT_MAX_BYTES"] = 10
    try:
        assert refused("orgs.csv", csv_bytes([HEAD, ["A", "other"]]), demo).startswith(
            "The selected file must be smaller"
        )
    finally:
        app.config["IMPORT_MAX_BYTES"] = 15 * 1024 * 1024


def test_a_utf8_csv_with_a_byte_order_mark_reads_its_first_heading(demo):
    run = imports.check(
        imports.get_kind("organisations"),
        "o.csv",
        csv_bytes([HEAD, ["Café Ltd", "other"]], bom=True),
        demo.user("office"),
    )
    assert run.status == "checked", run.problems


def test_formulas_give_their_cached_values_and_merged_headings_are_reported(demo):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Name", "Kind", "", "Joined on"])
    sheet.merge_cells("B1:C1")
    sheet.append(["Formula Ltd", "other", "x", date(2021, 4, 1)])
    out = io.BytesIO()
    book.save(out)
    run = imports.check(imports.get_kind("organisations"), "o.xlsx", out.getvalue(), demo.user("office"))
    assert run.problems[0]["column"] == "C" and "no heading" in run.problems[0]["message"]
    assert run.problems[0]["row"] == 1


def test_a_missing_required_column_is_reported_and_can_be_mapped(demo, client_as):
    office = demo.user("office")
    data = csv_bytes([["Organisation name", "Type"], ["Mapped Ltd", "other"]])
    run = imports.check(imports.get_kind("organisations"), "o.csv", data, office)
    assert {p["message"] for p in run.problems} == {
        "There is no column for ‘Name’: add it or map it",
        "There is no column for ‘Kind’: add it or map it",
    }
    imports.recheck(run, {"name": "Organisation name", "kind": "Type"}, office)
    assert run.status == "checked" and run.created == 1
    # Saved for next time: the next file with these headings is read straight away.
    again = imports.check(imports.get_kind("organisations"), "o.csv", data, office)
    assert again.status == "checked" and again.mapping == {"name": "Organisation name", "kind": "Type"}


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("23/11/2026", date(2026, 11, 23)),
        ("23.11.2026", date(2026, 11, 23)),
        ("23 Nov 2026", date(2026, 11, 23)),
        ("23 November 2026", date(2026, 11, 23)),
        ("2026-11-23", date(2026, 11, 23)),
        ("46349", date(2026, 11, 23)),
        (46349, date(2026, 11, 23)),
        (datetime(2026, 11, 23, 0, 0), date(2026, 11, 23)),
        ("", None),
    ],
)
def test_dates_as_offices_write_them(cell, expected):
    assert values.a_date(cell) == expected


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("31/02/2026", "must be a real date"),
        ("23/11/26", "year in full"),
        ("23 Novembre 2026", "month we do not recognise"),
        ("next Tuesday", "must be a date"),
        ("01/01/1850", "between 1900 and 2100"),
    ],
)
def test_dates_that_cannot_be_read(cell, message):
    with pytest.raises(values.CellProblem, match=message):
        values.a_date(cell)


def test_an_ambiguous_date_is_reported_when_the_sheet_is_month_first(demo):
    rows = [
        HEAD,
        ["A Ltd", "other", "03/04/2021", "C", "c@a.example"],
        ["B Ltd", "other", "12/25/2021", "C", "c@b.example"],
    ]
    run = imports.check(imports.get_kind("organisations"), "o.csv", csv_bytes(rows), demo.user("office"))
    messages = {p["row"]: p["message"] for p in run.problems}
    assert "could be day first or month first" in messages[2]
    assert "month first" in messages[3]
    # The same date in a sheet written day first is read day first.
    rows = [
        HEAD,
        ["A Ltd", "other", "03/04/2021", "C", "c@a.example"],
        ["B Ltd", "other", "25/12/2021", "C", "c@b.example"],
    ]
    run = imports.check(imports.get_kind("organisations"), "o.csv", csv_bytes(rows), demo.user("office"))
    assert run.status == "checked", run.problems


@pytest.mark.parametrize(
    ("cell", "pence"),
    [
        ("£38,974.00", 3_897_400),
        ("38974", 3_897_400),
        ("38,974.5", 3_897_450),
        (38974, 3_897_400),
        (38974.5, 3_897_450),
        ("", None),
    ],
)
def test_money_as_offices_write_it(cell, pence):
    assert values.money(cell) == pence


@pytest.mark.parametrize(
    ("cell", "message"),
    [("£1.005", "2 decimal places"), ("-£5", "negative"), ("lots", "amount of money"), ("£20,000,000", "or less")],
)
def test_money_that_cannot_be_read(cell, message):
    with pytest.raises(values.CellProblem, match=message):
        values.money(cell)


@pytest.mark.parametrize(
    ("cell", "answer"),
    [
        ("Yes", True),
        ("y", True),
        ("TRUE", True),
        (1, True),
        ("No", False),
        ("n", False),
        ("0", False),
        (False, False),
        ("", None),
    ],
)
def test_yes_no_variants(cell, answer):
    assert values.yes_no(cell) is answer


def test_a_dry_run_with_problems_writes_nothing_but_the_run(demo):
    before = count(Organisation)
    rows = [HEAD, ["Good Ltd", "other", "", "", ""], ["Bad Ltd", "castle", "", "", ""]]
    run = imports.check(imports.get_kind("organisations"), "o.xlsx", xlsx_bytes(rows), demo.user("office"))
    assert run.status == "problems" and run.created == 1
    assert count(Organisation) == before


def test_headings_below_a_title_row_are_found_and_reported_at_their_row(demo):
    rows = [["Membership list 2026"], [], ["Name", "Sort"], ["Title Row Ltd", "other"]]
    run = imports.check(imports.get_kind("organisations"), "o.xlsx", xlsx_bytes(rows), demo.user("office"))
    assert run.problems == [
        {"sheet": "Sheet1", "row": 3, "column": "Kind", "message": "There is no column for ‘Kind’: add it or map it"}
    ]
