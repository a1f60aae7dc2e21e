"""Importing the SAR and CSPR tracker (issue 21, kind `reviews`): a 20-row workbook with
good rows at every stage the lifecycle reaches and each kind of bad row; the dry run's
report row by row; the commit checked against the sheet (states, dates, deadlines, breaches
recorded without email); the same file again changing nothing."""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from typing import Any

import openpyxl
import sqlalchemy as sa

from safeguarding.calendar import working_days
from safeguarding.extensions import db
from safeguarding.models import (
    DeadlineKind,
    JointDecision,
    JointDecisionAnswer,
    OutboxMessage,
    Review,
    ReviewDeadlineAlert,
    ReviewOutcome,
    ReviewState,
    Role,
    UserRole,
)
from safeguarding.services import imports, joint_decisions, reviews
from safeguarding.services.imports.review_columns import COLUMNS
from safeguarding.workflows.reviews import review_lifecycle
from tests.imports.helpers import count, csv_bytes, xlsx_bytes

HEAD = [c.heading for c in COLUMNS]
FIELD = {c.field: c.heading for c in COLUMNS}
S44_YES = {
    "in_area": "yes",
    "in_area_reason": "Lived in North",
    "needs": "yes",
    "needs_reason": "Home care package",
    "died": "yes",
    "abuse": "yes",
    "abuse_reason": "Neglect suspected",
    "concern": "yes",
    "concern_reason": "Referrals were missed",
}


def sar(ref: str, received: Any, **more: Any) -> dict[str, Any]:
    return {
        "reference": ref,
        "kind": "SAR",
        "area": "North",
        "initials": "JS",
        "age_band": "75 to 84",
        "harm_date": "02/01/2024",
        "summary": "Died after a fall at home",
        "referral_source": "County Police",
        "received_on": received,
        **more,
    }


def cspr(ref: str, aware: Any, **more: Any) -> dict[str, Any]:
    return {
        "reference": ref,
        "kind": "CSPR",
        "area": "West",
        "initials": "AB",
        "age_band": "1_4",
        "harm_date": aware,
        "summary": "Serious injury at home",
        "received_on": aware,
        "incident": "serious_harm",
        "abuse_or_neglect": "suspected",
        **more,
    }


DECIDED = {
    **S44_YES,
    "screening_started_on": "10/01/2024",
    "screened_on": "17/01/2024",
    "information_requested_on": "18/01/2024",
    "recommendation": "mandatory",
    "recommendation_reason": "The s44 criteria are met",
    "recommended_on": "20/02/2024",
    "decision": "mandatory",
    "decision_reason": "Mandatory: the criteria are met",
    "decided_on": "01/03/2024",
}
COMMISSIONED = {
    "terms_of_reference": "How agencies worked together in 2023",
    "methodology": "learning_together",
    "reviewer": "A Reviewer, Review Ltd",
    "contract_value": "£6,500.00",
    "period_from": "01/01/2023",
    "period_to": "02/01/2024",
    "family_invited": "yes",
}
RAPID = {
    "rapid_review_started_on": "09/06/2025",
    "lcspr_criteria": "improvements_needed; agencies_working_together",
    "rapid_review_findings": "Two agencies did not share the plan",
}


def good_rows() -> list[dict[str, Any]]:
    return [
        sar("SAR-2024-101", "08/01/2024"),
        sar("SAR-2024-102", "8 Jan 2024", screening_started_on=datetime(2024, 1, 10)),
        sar(
            "SAR-2024-103",
            "08/01/2024",
            **{**S44_YES, "screening_started_on": "10/01/2024"},
            screened_on="17/01/2024",
            information_requested_on="18/01/2024",
        ),
        sar(
            "SAR-2024-104",
            "08/01/2024",
            **{k: v for k, v in DECIDED.items() if not k.startswith("decision") and k != "decided_on"},
        ),
        sar(
            "SAR-2024-105",
            "08/01/2024",
            **{
                **DECIDED,
                "in_area": "no",
                "recommendation": "not_commissioned",
                "decision": "not_commissioned",
                "decision_reason": "Out of area",
                "alternative_learning": "A learning briefing",
            },
        ),
        sar("SAR-2024-106", "08/01/2024", **DECIDED, **COMMISSIONED),
        sar(
            "SAR-2024-107",
            "08/01/2024",
            **DECIDED,
            **COMMISSIONED,
            review_started_on="15/03/2024",
            paused_on="01/05/2024",
            pause_process="inquest",
            pause_reason="The inquest",
            expected_resume_on="01/07/2024",
            resumed_on="31/05/2024",
        ),
        sar(
            "SAR-2026-101",
            "02/03/2026",
            **{
                **DECIDED,
                "screening_started_on": "03/03/2026",
                "screened_on": "05/03/2026",
                "information_requested_on": "06/03/2026",
                "recommended_on": "01/04/2026",
                "decided_on": "02/04/2026",
            },
            **COMMISSIONED,
            review_started_on="01/05/2026",
            paused_on="01/10/2026",
            pause_process="criminal_trial",
            pause_reason="The trial",
            expected_resume_on="01/02/2027",
        ),
        # CSPRs
        cspr("CSPR-2025-101", "01/05/2025", notified_on="12/05/2025", partners_told_on="07/05/2025"),
        cspr("CSPR-2026-101", "27/11/2026"),
        cspr("CSPR-2025-102", "02/06/2025", notified_on="06/06/2025", **RAPID),
        cspr(
            "CSPR-2025-103",
            "02/06/2025",
            notified_on="06/06/2025",
            **RAPID,
            rapid_review_sent_on="25/06/2025",
            recommendation="lcspr",
            recommendation_reason="Improvements are needed",
            recommended_on="25/06/2025",
        ),
        cspr(
            "CSPR-2025-104",
            "02/06/2025",
            notified_on="06/06/2025",
            **RAPID,
            rapid_review_sent_on="15/07/2025",
            recommendation="not_commissioned",
            recommendation_reason="Learning is known",
            recommended_on="15/07/2025",
            delay_explanation="The police chronology came late",
        ),
        cspr("CSPR-2024-101", "45300", notified_on=datetime(2024, 1, 10)),
        # The partners' joint decision, taken before the service, recorded from their minutes.
        cspr(
            "CSPR-2025-105",
            "02/06/2025",
            notified_on="06/06/2025",
            **RAPID,
            rapid_review_sent_on="25/06/2025",
            recommendation="lcspr",
            recommendation_reason="Improvements are needed",
            recommended_on="25/06/2025",
            decision="lcspr",
            decided_on="30/06/2025",
            decision_recorded_in="Safeguarding partners' meeting minutes, item 4",
        ),
    ]


def bad_rows() -> list[dict[str, Any]]:
    return [
        sar("SAR-2024-201", "08/01/2024", area="East"),  # unknown area
        sar("SAR-2024-202", "01/02/2027"),  # in the future
        sar("SAR-2024-203", "08/01/2024", **{**DECIDED, "recommended_on": "15/01/2024"}),  # out of order
        cspr(
            "CSPR-2025-201",
            "02/06/2025",
            notified_on="06/06/2025",
            **RAPID,
            rapid_review_sent_on="25/06/2025",
            recommendation="lcspr",
            recommendation_reason="x",
            recommended_on="25/06/2025",
            decision="lcspr",
            decided_on="30/06/2025",
        ),  # the partners' decision: not the import's
        sar(
            "SAR-2024-204", "08/01/2024", screening_started_on=Typed("03/04/2024")
        ),  # ambiguous (the sheet has US dates)
        sar("SAR-2024-205", Typed("01/13/2024")),  # month first
        sar("SAR-2024-101", "08/01/2024"),  # the same reference twice
    ]


class Typed(str):
    """A cell typed as text in the workbook (not turned into a date cell)."""


def _cell(value: Any) -> Any:
    """A date as a date cell, as a tracker kept in Excel has them."""
    if isinstance(value, str) and not isinstance(value, Typed) and re.fullmatch(r"\d\d/\d\d/\d{4}", value):
        return datetime.strptime(value, "%d/%m/%Y")
    return value


def sheet(rows: list[dict[str, Any]], bad: list[dict[str, Any]] = ()) -> list[list[Any]]:
    """The rows, dates as date cells but those typed as text (`Typed`)."""
    return [
        HEAD,
        *[[_cell(r.get(c.field, "")) for c in COLUMNS] for r in [*rows, *bad]],
    ]


def text_sheet(rows: list[dict[str, Any]]) -> list[list[Any]]:
    return [HEAD, *[[r.get(c.field, "") for c in COLUMNS] for r in rows]]


def _office_and_chair(demo):
    """A SAR's decision is the Independent Chair's: the importer holds both roles."""
    user = demo.user("office")
    user.role_rows.append(UserRole(role=Role.independent_chair))
    db.session.flush()
    return user


def _by_ref(ref: str) -> Review:
    return db.session.scalar(sa.select(Review).where(Review.reference == ref))


def _breach_emails() -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(OutboxMessage).where(OutboxMessage.kind.like("review_deadline%"))
    )


def test_the_tracker_dry_run_reports_each_bad_row(demo):
    user = _office_and_chair(demo)
    assert len(good_rows() + bad_rows()) == 22
    before = count(Review)
    run = imports.check(imports.get_kind("reviews"), "tracker.xlsx", xlsx_bytes(sheet(good_rows(), bad_rows())), user)
    assert run.status == "problems" and count(Review) == before
    by_row = {}
    for p in run.problems:
        by_row.setdefault(p["row"], []).append(p)
    first_bad = len(good_rows()) + 2
    assert set(by_row) == set(range(first_bad, first_bad + 7)), run.problems
    area = by_row[first_bad][0]
    assert area["column"] == "Area" and "must be one of: north, west, both" in area["message"]
    future = by_row[first_bad + 1][0]
    assert future["column"] == "Received on" and "today or in the past" in future["message"]
    order = by_row[first_bad + 2][0]
    assert order["column"] == "Recommended on" and "on or after information requested on" in order["message"]
    partners = by_row[first_bad + 3][0]
    assert partners["column"] == "Decision recorded in" and "the partners decide a local review" in partners["message"]
    assert by_row[first_bad + 4][0]["column"] == "Screening started on"
    assert "could be day first or month first" in by_row[first_bad + 4][0]["message"]
    assert "month first" in by_row[first_bad + 5][0]["message"]
    duplicate = by_row[first_bad + 6][0]
    assert duplicate["column"] == "Reference" and "also on row 2" in duplicate["message"]
    assert (run.created, run.updated, run.unchanged) == (len(good_rows()) + 0, 0, 0)


def test_the_tracker_imported_with_its_dates_and_deadlines_then_nothing_changes(demo):
    user = _office_and_chair(demo)
    emails, before = db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)), count(Review)
    run = imports.check(imports.get_kind("reviews"), "tracker.xlsx", xlsx_bytes(sheet(good_rows())), user)
    assert run.status == "checked", run.problems
    assert (run.created, run.updated, run.unchanged) == (15, 0, 0)
    imports.commit(run, run.sha256, user)
    assert run.status == "committed" and count(Review) == before + 15
    cal = working_days()
    states = {ref: _by_ref(ref).state for ref in (r["reference"] for r in good_rows())}
    assert states == {
        "SAR-2024-101": ReviewState.referred,
        "SAR-2024-102": ReviewState.screening,
        "SAR-2024-103": ReviewState.information_gathering,
        "SAR-2024-104": ReviewState.awaiting_decision,
        "SAR-2024-105": ReviewState.not_commissioned,
        "SAR-2024-106": ReviewState.commissioned,
        "SAR-2024-107": ReviewState.in_review,
        "SAR-2026-101": ReviewState.paused,
        "CSPR-2025-101": ReviewState.notified,
        "CSPR-2026-101": ReviewState.notified,
        "CSPR-2025-102": ReviewState.rapid_review,
        "CSPR-2025-103": ReviewState.awaiting_decision,
        "CSPR-2025-104": ReviewState.awaiting_decision,
        "CSPR-2024-101": ReviewState.notified,
        "CSPR-2025-105": ReviewState.lcspr_commissioned,
    }
    screened = _by_ref("SAR-2024-103")
    assert screened.received_on == date(2024, 1, 8) and screened.screened_on == date(2024, 1, 17)
    # Each stage's history step says the day it happened (and keeps when it was entered).
    steps = review_lifecycle.history(screened.id)
    assert steps and all(h.occurred_on is not None and h.occurred_on.year == 2024 for h in steps), [
        (h.trigger, h.occurred_on) for h in steps
    ]
    assert {h.occurred_on for h in steps} == {date(2024, 1, 10), date(2024, 1, 18)}  # screening, information
    assert screened.year == 2024 and screened.sequence == 103 and screened.initials == "JS"
    waiting = _by_ref("SAR-2024-104")
    assert waiting.recommended_on == date(2024, 2, 20) and waiting.recommendation == ReviewOutcome.mandatory
    not_commissioned = _by_ref("SAR-2024-105")
    assert not_commissioned.decided_on == date(2024, 3, 1) and not_commissioned.report_due_on is None
    assert not_commissioned.alternative_learning == "A learning briefing"
    commissioned = _by_ref("SAR-2024-106")
    assert commissioned.report_due_on == date(2024, 9, 1) and commissioned.contract_value_pence == 650_000
    started = _by_ref("SAR-2024-107")
    assert started.review_started_on == date(2024, 3, 15) and started.paused_days == 30
    report = next(d for d in reviews.deadlines(started, date(2026, 12, 3)) if d.kind == DeadlineKind.report)
    assert report.due_on == date(2024, 10, 1) and report.status == "breached"  # 1 Sep + 30 days paused
    paused = _by_ref("SAR-2026-101")
    assert paused.paused_since == date(2026, 10, 1) and paused.report_due_on == date(2026, 10, 2)
    # CSPR: the statutory deadlines from the real dates.
    late = _by_ref("CSPR-2025-101")
    found = {d.kind: d for d in reviews.deadlines(late, date(2026, 12, 3))}
    assert found[DeadlineKind.notify_panel].due_on == cal.add(date(2025, 5, 1), 5)
    assert found[DeadlineKind.notify_panel].status == "met_late"  # notified 12 May, due 9 May
    assert found[DeadlineKind.rapid_review].due_on == cal.add(date(2025, 5, 12), 15)
    assert found[DeadlineKind.rapid_review].status == "breached"
    # The partners told on the sheet's date (the import emails no one), not "today".
    assert late.partners_told_on == date(2025, 5, 7) and late.partners_told
    assert {t["on"] for t in late.partners_told} == {"2025-05-07"}
    assert found[DeadlineKind.tell_partners].status == "met"
    # No date on the sheet: nothing recorded (the deadline shows it), no "told today".
    untold = _by_ref("CSPR-2025-102")
    assert untold.partners_told_on is None and untold.partners_told == []
    fresh = {d.kind: d for d in reviews.deadlines(_by_ref("CSPR-2026-101"), date(2026, 12, 3))}
    assert fresh[DeadlineKind.notify_panel].due_on == date(2026, 12, 4)
    on_time = _by_ref("CSPR-2025-103")
    assert on_time.rapid_review_sent_on == date(2025, 6, 25) and on_time.lcspr_criteria == [
        "agencies_working_together",
        "improvements_needed",
    ]
    assert {d.kind: d.status for d in reviews.deadlines(on_time, date(2026, 12, 3))}[DeadlineKind.rapid_review] == "met"
    question = db.session.scalar(sa.select(JointDecision).where(JointDecision.review_id == on_time.id))
    assert question is not None and question.proposal == {"outcome": "lcspr"}  # with the partners
    # Recorded, not decided, by the office: every partner of the area agreed on that date.
    recorded = _by_ref("CSPR-2025-105")
    assert (recorded.decision, recorded.decided_on) == (ReviewOutcome.lcspr, date(2025, 6, 30))
    assert recorded.report_due_on == date(2025, 12, 30)  # 6 months from the real decision
    jd = db.session.scalar(sa.select(JointDecision).where(JointDecision.review_id == recorded.id))
    assert jd.state.value == "carried" and jd.decided_on == date(2025, 6, 30)
    assert jd.recorded_from == "Safeguarding partners' meeting minutes, item 4"
    answers = db.session.scalars(sa.select(JointDecisionAnswer).where(JointDecisionAnswer.decision_id == jd.id))
    assert sorted((a.organisation.name, a.agree, a.capacity) for a in answers) == sorted(
        (p.organisation.name, True, "recorded") for p in joint_decisions.partners_for(recorded.area)
    )
    delayed = _by_ref("CSPR-2025-104")
    assert delayed.delay_explanation == "The police chronology came late"
    assert _by_ref("CSPR-2024-101").received_on == date(2024, 1, 9)  # an Excel serial date
    # Breaches missed before the import are recorded at once, with no email.
    alerts = db.session.execute(
        sa.select(Review.reference, ReviewDeadlineAlert.deadline)
        .join(Review, Review.id == ReviewDeadlineAlert.review_id)
        .where(Review.reference.in_(list(states)))
    )
    breaches = {(ref, kind) for ref, kind in alerts}
    assert ("CSPR-2025-101", DeadlineKind.rapid_review) in breaches
    assert ("SAR-2024-107", DeadlineKind.report) in breaches
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == emails
    reviews.check_deadlines(date(2026, 12, 3))
    subjects = [
        m.subject
        for m in db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind.like("review_deadline%")))
    ]
    imported_breaches = [s for s in subjects if "missed" in s and any(ref in s for ref in states)]
    assert imported_breaches == [], subjects
    again = imports.check(imports.get_kind("reviews"), "tracker.csv", csv_bytes(text_sheet(good_rows())), user)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 15), again.problems


def test_a_sar_decision_is_the_chairs_and_the_office_records_it_from_where_it_is_recorded(demo):
    office, kind = demo.user("office"), imports.get_kind("reviews")
    row = sar("SAR-2024-301", "08/01/2024", **DECIDED)
    run = imports.check(kind, "t.csv", csv_bytes(text_sheet([row])), office)
    assert run.status == "problems" and run.problems[0]["column"] == "Decision recorded in"
    assert "the chair decides" in run.problems[0]["message"]
    today = sar("SAR-2026-301", "02/11/2026", **{**DECIDED, "screening_started_on": "03/11/2026"})
    today.update(screened_on="04/11/2026", information_requested_on="05/11/2026", recommended_on="06/11/2026")
    today.update(decided_on="03/12/2026", decision_recorded_in="Letter")
    run = imports.check(kind, "t.csv", csv_bytes(text_sheet([today])), office)
    assert run.problems[0]["column"] == "Decided on" and "the Independent Chair's to make" in run.problems[0]["message"]
    row["decision_recorded_in"] = "The chair's decision letter of 1 March 2024"
    run = imports.check(kind, "t.csv", csv_bytes(text_sheet([row])), office)
    assert run.status == "checked", run.problems
    imports.commit(run, run.sha256, office)
    review = _by_ref("SAR-2024-301")
    assert (review.state, review.decided_on) == (ReviewState.commissioned, date(2024, 3, 1))
    decided = next(h for h in review_lifecycle.history(review.id) if h.trigger == "decide")
    assert decided.comment == "Recorded by the business office from: The chair's decision letter of 1 March 2024"


def test_a_draft_report_is_uploaded_on_the_page_first(demo):
    row = sar(
        "SAR-2024-302",
        "08/01/2024",
        **DECIDED,
        **COMMISSIONED,
        review_started_on="15/03/2024",
        draft_received_on="01/08/2024",
    )
    run = imports.check(imports.get_kind("reviews"), "t.csv", csv_bytes(text_sheet([row])), _office_and_chair(demo))
    assert run.problems[0]["column"] == "Draft report on" and "Upload the draft report" in run.problems[0]["message"]


def test_a_changed_row_updates_its_review_through_the_service(demo):
    user = _office_and_chair(demo)
    kind = imports.get_kind("reviews")
    first = imports.check(kind, "t.csv", csv_bytes(text_sheet([sar("SAR-2024-401", "08/01/2024")])), user)
    imports.commit(first, first.sha256, user)
    changed = sar("SAR-2024-401", "08/01/2024", area="West", screening_started_on="10/01/2024")
    second = imports.check(kind, "t.csv", csv_bytes(text_sheet([changed])), user)
    assert (second.created, second.updated, second.unchanged) == (0, 1, 0), second.problems
    imports.commit(second, second.sha256, user)
    review = _by_ref("SAR-2024-401")
    assert review.area.value == "west" and review.state == ReviewState.screening
    wrong_kind = cspr("SAR-2024-401", "08/01/2024")
    third = imports.check(kind, "t.csv", csv_bytes(text_sheet([wrong_kind])), user)
    assert third.status == "problems"


def test_the_template_explains_each_column(client_as):
    response = client_as("office").get("/imports/templates/reviews.xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    data, guide = book.worksheets[0], book["Columns"]
    assert [c.value for c in data[1]] == HEAD
    assert "Name" not in " ".join(HEAD)  # initials only, never a name
    explained = {row[0].value: row for row in guide.iter_rows(min_row=2) if row[0].value}
    assert explained["Reference"][1].value == "Yes" and "SAR-2024-002" in explained["Reference"][3].value
    assert "north, west, both" in explained["Area"][2].value


def test_the_command_imports_the_tracker(app, tmp_path, demo):
    runner = app.test_cli_runner()
    rows = [r for r in good_rows() if r["kind"] == "CSPR"]
    path = tmp_path / "tracker.xlsx"
    path.write_bytes(xlsx_bytes(sheet(rows, bad_rows()[:1])))
    bad = runner.invoke(args=["import", "reviews", str(path), "--commit", "--as", "office@demo.test"])
    assert bad.exit_code == 1 and "row 9, Area: Area must be one of" in bad.output
    path.write_bytes(xlsx_bytes(sheet(rows)))
    before = count(Review)
    done = runner.invoke(args=["import", "reviews", str(path), "--commit", "--as", "office@demo.test"])
    assert done.exit_code == 0 and "7 created" in done.output, done.output
    assert count(Review) == before + 7 and _by_ref("CSPR-2025-103").state == ReviewState.awaiting_decision
    # The office (not a partner) records the partners' decision from their minutes.
    assert _by_ref("CSPR-2025-105").state == ReviewState.lcspr_commissioned
    again = runner.invoke(args=["import", "reviews", str(path), "--commit", "--as", "office@demo.test"])
    assert again.exit_code == 0 and "7 left unchanged" in again.output
