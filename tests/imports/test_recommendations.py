"""Importing reviews' recommendations and their actions (issue 21): recommendations match
by review reference and number, actions by title; statuses are reached through the
action's lifecycle on their dates; the review's rules hold (its state, the order of numbers)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import Action, ActionSource, ActionStatus, Review, ReviewRecommendation, WorkflowHistory
from safeguarding.services import imports
from tests.imports.helpers import count, csv_bytes, xlsx_bytes

HEAD = [
    "Review reference",
    "Recommendation number",
    "Recommendation",
    "Action",
    "Owner organisation",
    "Owner email",
    "Due date",
    "Status",
    "Completed on",
    "Note",
]
REC1 = "Fire risk is assessed for everyone using home oxygen"
ACT1 = "Refer every new home oxygen patient for a fire safety visit"


def rows(ref):
    return [
        HEAD,
        [ref, 1, REC1, ACT1, "", "", "", "", "", ""],  # already recorded by the demo
        [
            ref,
            2,
            "Carers are told about fire safety",
            "Add fire safety to the carers' leaflet",
            "County Fire and Rescue Service",
            "",
            "30/06/2027",
            "completed",
            "20/11/2026",
            "Leaflet reprinted",
        ],
        [
            ref,
            2,
            "Carers are told about fire safety",
            "Train carers' support workers",
            "West Council",
            "",
            "31/03/2027",
            "in_progress",
            "",
            "",
        ],
        [ref, 3, "The Board checks the changes in a year", "", "", "", "", "", "", ""],
    ]


def _review(demo) -> Review:
    return db.session.get(Review, demo.id("reviews", "published_recently"))


def test_recommendations_and_actions_from_xlsx_then_nothing_changes(demo):
    office = demo.user("office")
    review = _review(demo)
    recs, actions = count(ReviewRecommendation), count(Action)
    run = imports.check(imports.get_kind("recommendations"), "plan.xlsx", xlsx_bytes(rows(review.reference)), office)
    assert run.status == "checked", run.problems
    assert (run.created, run.updated, run.unchanged) == (3, 0, 1)
    assert (count(ReviewRecommendation), count(Action)) == (recs, actions)
    imports.commit(run, run.sha256, office)
    assert count(ReviewRecommendation) == recs + 2 and count(Action) == actions + 2
    leaflet = db.session.scalar(sa.select(Action).where(Action.title == "Add fire safety to the carers' leaflet"))
    assert leaflet.status == ActionStatus.completed and leaflet.completed_on == date(2026, 11, 20)
    assert leaflet.source_type == ActionSource.review and leaflet.restricted and leaflet.due_date == date(2027, 6, 30)
    triggers = db.session.scalars(
        sa.select(WorkflowHistory.trigger).where(
            WorkflowHistory.lifecycle == "action", WorkflowHistory.entity_id == leaflet.id
        )
    ).all()
    assert triggers == ["claim_complete", "accept_completion"]
    training = db.session.scalar(sa.select(Action).where(Action.title == "Train carers' support workers"))
    assert training.status == ActionStatus.in_progress
    again = imports.check(imports.get_kind("recommendations"), "plan.csv", csv_bytes(rows(review.reference)), office)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4), again.problems


def test_the_review_rules_are_reported(demo):
    office = demo.user("office")
    ref = _review(demo).reference
    bad = [
        HEAD,
        ["SAR-1999-99", 1, "Anything", "", "", "", "", "", "", ""],
        [ref, 1, "Other text for number one", "", "", "", "", "", "", ""],
        [ref, 5, "Skipping numbers", "", "", "", "", "", "", ""],
        [ref, 1, REC1, "A new action", "", "", "31/03/2027", "", "", ""],
        [ref, 1, REC1, "Another action", "County Integrated Care Board", "", "31/03/2027", "cancelled", "", ""],
        [ref, 1, REC1, "", "County Integrated Care Board", "", "", "", "", ""],
        [ref, "one", REC1, "", "", "", "", "", "", ""],
    ]
    run = imports.check(imports.get_kind("recommendations"), "plan.csv", csv_bytes(bad), office)
    by_row = {p["row"]: p for p in run.problems}
    assert by_row[2]["column"] == "Review reference"
    assert by_row[3]["column"] == "Recommendation" and "other text" in by_row[3]["message"]
    assert by_row[4]["column"] == "Recommendation number" and "the next" in by_row[4]["message"]
    assert by_row[5]["column"] == "Owner organisation"
    assert by_row[6]["column"] == "Note"
    assert by_row[7]["column"] == "Action"
    assert by_row[8]["column"] == "Recommendation number"
    assert run.status == "problems"
