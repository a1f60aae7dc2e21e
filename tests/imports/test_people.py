"""Importing people with their memberships and deputies (issue 21): people match by email,
memberships by group, person and start date; deputies by email, in the file or already
recorded; the directory's rules (a deputy of the same organisation, one chair) hold."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import Membership, MembershipRole, Person
from safeguarding.services import imports
from tests.imports.helpers import count, csv_bytes, xlsx_bytes

HEAD = ["Name", "Email", "Job title", "Organisation", "Group", "Role", "Start date", "End date", "Deputy email"]


def rows():
    return [
        HEAD,
        [
            "Alex Morgan",
            "alex.morgan@police.example",
            "Supt",
            "County Police",
            "Quality and Performance sub-group",
            "member",
            "01/04/2024",
            "",
            "sam.patel@police.example",
        ],
        [
            "Alex Morgan",
            "ALEX.MORGAN@police.example",
            "Supt",
            "County Police",
            "Learning and Development sub-group",
            "Adviser (non-voting)",
            "2024-04-01",
            "",
            "",
        ],
        ["Sam Patel", "sam.patel@police.example", "Inspector", "County Police", "", "", "", "", ""],
    ]


def kind():
    return imports.get_kind("people")


def _person(email):
    return db.session.scalar(sa.select(Person).where(Person.email == email))


def test_people_and_memberships_from_xlsx_with_a_deputy_later_in_the_file(demo):
    office = demo.user("office")
    people, memberships = count(Person), count(Membership)
    run = imports.check(kind(), "people.xlsx", xlsx_bytes(rows()), office)
    assert run.status == "checked", run.problems
    assert (run.created, run.updated, run.unchanged) == (3, 0, 0)
    assert (count(Person), count(Membership)) == (people, memberships)  # the dry run wrote nothing
    imports.commit(run, run.sha256, office)
    assert count(Person) == people + 2 and count(Membership) == memberships + 2
    alex, sam = _person("alex.morgan@police.example"), _person("sam.patel@police.example")
    assert alex.organisation_id == demo.org("police").id
    qp = db.session.scalar(
        sa.select(Membership).where(Membership.person_id == alex.id, Membership.group_id == demo.group("qp").id)
    )
    assert qp.deputy_person_id == sam.id and qp.start_date == date(2024, 4, 1) and qp.role == MembershipRole.member
    ld = db.session.scalar(
        sa.select(Membership).where(Membership.person_id == alex.id, Membership.group_id == demo.group("ld").id)
    )
    assert ld.role == MembershipRole.adviser
    again = imports.check(kind(), "people.csv", csv_bytes(rows()), office)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


def test_a_changed_row_updates_the_record_through_the_service(demo):
    office = demo.user("office")
    run = imports.check(kind(), "people.csv", csv_bytes(rows()), office)
    imports.commit(run, run.sha256, office)
    changed = rows()
    changed[1][7] = "31/03/2026"  # the membership ended
    changed[3][2] = "Chief Inspector"
    run = imports.check(kind(), "people.csv", csv_bytes(changed), office)
    assert (run.created, run.updated, run.unchanged) == (0, 2, 1), run.problems
    imports.commit(run, run.sha256, office)
    assert _person("sam.patel@police.example").job_title == "Chief Inspector"
    alex = _person("alex.morgan@police.example")
    qp = db.session.scalar(
        sa.select(Membership).where(Membership.person_id == alex.id, Membership.group_id == demo.group("qp").id)
    )
    assert qp.end_date == date(2026, 3, 31)


def test_the_directory_rules_are_reported_not_forced(demo):
    office = demo.user("office")
    bad = [
        HEAD,
        [
            "Alex Morgan",
            "alex.morgan@police.example",
            "",
            "County Police",
            "Quality and Performance sub-group",
            "",
            "01/04/2024",
            "",
            "lead@nowhere.example",
        ],
        ["Kim Lee", "kim.lee@ambulance.example", "", "Ambulance Trust", "", "", "", "", ""],
        ["Jo Bell", "jo.bell@police.example", "", "County Police", "Imaginary sub-group", "", "01/04/2024", "", ""],
        [
            "Ann Ray",
            "ann.ray@police.example",
            "",
            "County Police",
            "Safeguarding Partnership Board",
            "chair",
            "01/04/2024",
            "",
            "",
        ],
        ["Ed Fox", "ed.fox@police.example", "", "County Police", "Quality and Performance sub-group", "", "", "", ""],
        ["Al Day", "not-an-email", "", "", "", "", "", "", ""],
        [
            "Di Hart",
            "di.hart@police.example",
            "",
            "North Council",
            "Quality and Performance sub-group",
            "",
            "01/04/2024",
            "",
            "alex.morgan@police.example",
        ],
    ]
    run = imports.check(kind(), "people.csv", csv_bytes(bad), office)
    by_row = {p["row"]: p for p in run.problems}
    assert by_row[2]["column"] == "Deputy email"
    assert by_row[3]["column"] == "Organisation" and "Ambulance Trust" in by_row[3]["message"]
    assert by_row[4]["column"] == "Group"
    assert by_row[5]["column"] == "Role" and "already has a chair" in by_row[5]["message"]
    assert by_row[6]["column"] == "Start date"
    assert by_row[7]["column"] == "Email" and "correct format" in by_row[7]["message"]
    assert by_row[8]["column"] == "Deputy email" and "same organisation" in by_row[8]["message"]
    assert run.status == "problems" and _person("alex.morgan@police.example") is None
