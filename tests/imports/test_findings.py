"""Importing findings for the learning library (issue 21): each row a finding of a case
review, learning review or audit named by its reference, tagged with the national themes
(by code or label; anything else reported), matched by source and statement so the same
file twice changes nothing; the learning service's rules reported by row and column."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import Finding, FindingAgency, FindingTag, Organisation, Review, SourceKind
from safeguarding.services import imports
from tests.imports.helpers import count, csv_bytes, xlsx_bytes

HEAD = ["Source reference", "From", "Found on", "Finding", "Public statement", "Themes", "Agencies", "Keywords"]
NEW_LR = "Fire service referrals were made only after a fire had happened."
NEW_SAR = "The GP's concerns about his weight loss were not shared with the council."
SCHOOLS = "Schools' concerns did not reach children's social care."
AUDITED = "Self-neglect cases were closed after one refusal of support without a multi-agency meeting."


def good_rows(sar_reference):
    return [
        HEAD,
        [
            "LR 2021/01",
            "",
            "14/06/2021",
            NEW_LR,
            NEW_LR,
            "self_neglect; Organisational features",
            "County Fire and Rescue Service; North Council",
            "fire risk, referrals",
        ],
        [
            sar_reference,
            "",
            "3 Nov 2026",
            NEW_SAR,
            "A GP's concerns about an adult's weight loss were not shared with the council.",
            "Neglect or acts of omission; team_around_person",
            "County Integrated Care Board",
            "",
        ],
        # As the demo recorded it, typed with other case and spacing: unchanged.
        [
            "maa 2026/01",
            "",
            "30/09/2026",
            "  self-neglect cases were closed after one refusal of support without a multi-agency meeting ",
            AUDITED,
            "self_neglect; organisational features",
            "",
            "hoarding, refusal of support",
        ],
        # The demo's finding, given a second theme: updated.
        ["LR 2019/01", "", "04/03/2019", SCHOOLS, SCHOOLS, "information_sharing; voice_of_child", "", "education"],
    ]


BAD = [
    ["LR 2099/09", "", "01/01/2026", "A finding of nothing", "Public", "neglect", "", ""],  # 6: unknown source
    ["LR 2021/01", "", "01/01/2026", "Poverty was not asked about", "Public", "neglect; poverty", "", ""],  # 7
    ["LR 2021/01", "", "01/01/2026", "Another", "Public", "neglect", "Nowhere Council", ""],  # 8: unknown agency
    ["LR 2021/01", "", "14/06/2021", NEW_LR.upper(), NEW_LR, "self_neglect", "", ""],  # 9: repeats row 2
    ["LR 2021/01", "", "01/01/2026", "No public statement", "", "neglect", "", ""],  # 10
    ["LR 2021/01", "", "31/02/2026", "Not a real date", "Public", "neglect", "", ""],  # 11
    ["LR 2021/01", "lcspr", "01/01/2026", "Not a CSPR", "Public", "neglect", "", ""],  # 12
]


def _sar(demo) -> Review:
    return db.session.get(Review, demo.id("reviews", "published_recently"))


def test_the_dry_run_reports_each_bad_row(demo):
    office = demo.user("office")
    before = count(Finding)
    rows = good_rows(_sar(demo).reference) + BAD
    run = imports.check(imports.get_kind("findings"), "findings.xlsx", xlsx_bytes(rows), office)
    assert run.status == "problems"
    assert count(Finding) == before
    by_row = {p["row"]: p for p in run.problems}
    assert len(run.problems) == len(BAD) and set(by_row) == set(range(6, 13)), run.problems
    assert by_row[6]["column"] == "Source reference" and "‘LR 2099/09’" in by_row[6]["message"]
    assert by_row[7]["column"] == "Themes" and "‘poverty’, not a theme of the national lists" in by_row[7]["message"]
    assert by_row[8]["column"] == "Agencies" and "Nowhere Council" in by_row[8]["message"]
    assert "repeats row 2" in by_row[9]["message"]
    assert by_row[10] == {
        "sheet": "Sheet1",
        "row": 10,
        "column": "Public statement",
        "message": "Enter the public statement",
    }
    assert by_row[11]["column"] == "Found on" and "must be a real date" in by_row[11]["message"]
    assert by_row[12]["column"] == "From" and "rapid review or the LCSPR" in by_row[12]["message"]
    assert (run.created, run.updated, run.unchanged) == (2, 1, 1)


def test_findings_import_with_their_tags_and_again_change_nothing(demo):
    office = demo.user("office")
    sar = _sar(demo)
    before = count(Finding)
    kind = imports.get_kind("findings")
    run = imports.check(kind, "findings.xlsx", xlsx_bytes(good_rows(sar.reference)), office)
    assert run.status == "checked", run.problems
    assert (run.created, run.updated, run.unchanged) == (2, 1, 1)
    imports.commit(run, run.sha256, office)
    assert count(Finding) == before + 2

    def tags(f):
        return sorted(db.session.scalars(sa.select(FindingTag.code).where(FindingTag.finding_id == f.id)))

    def agencies(f):
        return sorted(
            db.session.scalars(
                sa.select(Organisation.name)
                .join(FindingAgency, FindingAgency.organisation_id == Organisation.id)
                .where(FindingAgency.finding_id == f.id)
            )
        )

    lr = db.session.scalar(sa.select(Finding).where(Finding.statement == NEW_LR))
    assert (lr.source_reference, lr.source_kind, lr.found_on) == (
        "LR 2021/01",
        SourceKind.learning_review,
        date(2021, 6, 14),
    )
    assert tags(lr) == ["organisational_features", "self_neglect"]
    assert agencies(lr) == ["County Fire and Rescue Service", "North Council"]
    assert lr.keywords == ["fire risk", "referrals"]
    from_sar = db.session.scalar(sa.select(Finding).where(Finding.statement == NEW_SAR))
    assert (from_sar.review_id, from_sar.source_kind, from_sar.found_on) == (sar.id, SourceKind.sar, date(2026, 11, 3))
    assert from_sar.public_statement.startswith("A GP's concerns")
    assert tags(from_sar) == ["neglect", "team_around_person"] and agencies(from_sar) == [
        "County Integrated Care Board"
    ]
    schools = db.session.scalar(sa.select(Finding).where(Finding.statement == SCHOOLS))
    assert tags(schools) == ["information_sharing", "voice_of_child"]
    audited = db.session.scalar(sa.select(Finding).where(Finding.statement == AUDITED))
    assert tags(audited) == ["organisational_features", "self_neglect"]  # kept as it was

    again = imports.check(kind, "findings.csv", csv_bytes(good_rows(sar.reference)), office)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4), again.problems
    assert count(Finding) == before + 2


def test_the_template_explains_the_themes_and_its_example_row_reads(demo):
    kind = imports.get_kind("findings")
    book = openpyxl.load_workbook(io.BytesIO(imports.template_xlsx(kind)))
    data, guide = book.worksheets
    assert [c.value for c in data[1]] == HEAD
    explained = {row[0]: row for row in guide.iter_rows(min_row=2, values_only=True) if row and row[0]}
    assert explained["Themes"][1] == "Yes" and "voice_of_child" in explained["Themes"][2]
    assert "Type of abuse or neglect: self_neglect" in explained["Themes"][2]
    run = imports.check(kind, "template.xlsx", imports.template_xlsx(kind), demo.user("office"))
    assert run.status == "checked", run.problems
