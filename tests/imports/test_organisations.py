"""Importing organisations (issue 21): dry run first, then the same file applied, all or
nothing, matched by name so that a second import changes nothing."""

from __future__ import annotations

from datetime import date

import pytest

from safeguarding.extensions import db
from safeguarding.models import Area, AuditEntry, Organisation, OrganisationKind, PartnershipState, WorkflowHistory
from safeguarding.services import imports
from safeguarding.services.errors import Conflict
from tests.imports.helpers import count, csv_bytes, xlsx_bytes

HEAD = [
    "Name",
    "Short name",
    "Kind",
    "Area",
    "Statutory adults",
    "Chief executive name",
    "Chief executive email",
    "Joined on",
]
GOOD = [
    [
        "Riverside Housing",
        "Riverside",
        "independent",
        "north",
        "no",
        "Pat Green",
        "pat@riverside.example",
        "01/04/2021",
    ],
    ["County Fire and Rescue Service", "", "Fire rescue", "North", "", "", "", ""],
]


def kind():
    return imports.get_kind("organisations")


def test_a_dry_run_from_csv_writes_nothing_and_counts_what_it_would_do(demo):
    office = demo.user("office")
    before = count(Organisation)
    run = imports.check(kind(), "orgs.csv", csv_bytes([HEAD, *GOOD]), office)
    assert run.status == "checked", run.problems
    assert (run.rows, run.created, run.updated, run.unchanged) == (2, 1, 1, 0)
    assert count(Organisation) == before
    assert run.sha256 and run.stored_file.original_name == "orgs.csv"


def test_commit_applies_the_file_through_the_services_and_a_second_import_changes_nothing(demo):
    office = demo.user("office")
    before = count(Organisation)
    run = imports.check(kind(), "orgs.xlsx", xlsx_bytes([HEAD, *GOOD]), office)
    imports.commit(run, run.sha256, office)
    assert run.status == "committed" and run.committed_by_id == office.id
    assert count(Organisation) == before + 1
    org = db.session.scalar(db.select(Organisation).where(Organisation.name == "Riverside Housing"))
    assert org.kind == OrganisationKind.independent and org.area == Area.north
    # Admitted through the lifecycle, with its real date.
    assert org.state == PartnershipState.active and org.joined_on == date(2021, 4, 1)
    history = db.session.scalar(
        db.select(WorkflowHistory).where(
            WorkflowHistory.lifecycle == "organisation", WorkflowHistory.entity_id == org.id
        )
    )
    assert history.trigger == "admit" and history.actor_id == office.id
    audit = db.session.scalars(
        db.select(AuditEntry).where(
            AuditEntry.entity_type == "organisations",
            AuditEntry.entity_id == str(org.id),
            AuditEntry.action == "create",
        )
    ).all()
    assert [a.actor_id for a in audit] == [office.id]  # audited as the person importing
    fire = db.session.scalar(db.select(Organisation).where(Organisation.name == "County Fire and Rescue Service"))
    assert fire.kind == OrganisationKind.fire_rescue and fire.area == Area.north
    assert fire.short_name == "Fire and Rescue"  # a blank cell keeps what is recorded
    again = imports.check(kind(), "orgs.xlsx", xlsx_bytes([HEAD, *GOOD]), office)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    imports.commit(again, again.sha256, office)
    assert count(Organisation) == before + 1


def test_each_bad_row_is_reported_by_row_and_column_and_nothing_is_committed(demo):
    office = demo.user("office")
    rows = [
        HEAD,
        GOOD[0],
        ["", "X", "police", "", "", "", "", ""],  # row 3: no name
        ["Bad Kind Ltd", "", "castle", "", "", "", "", ""],  # row 4
        ["Bad Flag Ltd", "", "other", "", "perhaps", "", "", ""],  # row 5
        ["Bad Date Ltd", "", "other", "", "", "A", "a@b.example", "31/02/2021"],  # row 6
        ["No CE Ltd", "", "other", "", "", "", "", "01/04/2021"],  # row 7: the lifecycle's guard
    ]
    run = imports.check(kind(), "orgs.csv", csv_bytes(rows), office)
    assert run.status == "problems"
    found = {(p["row"], p["column"]) for p in run.problems}
    assert {(3, "Name"), (4, "Kind"), (5, "Statutory adults"), (6, "Joined on"), (7, "")} <= found
    messages = {p["row"]: p["message"] for p in run.problems}
    assert messages[3] == "Enter the name"
    assert "must be one of" in messages[4]
    assert messages[5] == "Statutory adults must be yes or no"
    assert messages[6].startswith("Joined on must be a real date")
    assert "chief executive" in messages[7]
    with pytest.raises(Conflict):
        imports.commit(run, run.sha256, office)
    assert db.session.scalar(db.select(Organisation).where(Organisation.name == "Riverside Housing")) is None


def test_the_confirmation_is_tied_to_the_file_checked(demo):
    office = demo.user("office")
    run = imports.check(kind(), "orgs.csv", csv_bytes([HEAD, *GOOD]), office)
    with pytest.raises(Conflict):
        imports.commit(run, "0" * 64, office)
    assert run.status == "checked"
