"""Importing disputes and complaints with the dates things happened (issues 21 and 26):
each stage reached through the lifecycle on its own date, the 28-day deadline from the
real determination (leap years included), a deadline missed before entry a breach at once,
the lifecycle's refusals reported by row and column, and the same file twice changing
nothing."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import Complaint, ComplaintState, Dispute, DisputeState, OutboxMessage, WorkflowHistory
from safeguarding.services import imports
from tests.imports.helpers import count, csv_bytes, xlsx_bytes

HEAD = [
    "Subject",
    "Summary",
    "Parties",
    "Raised on",
    "Determined on",
    "Meeting on",
    "Meeting time",
    "Location",
    "Outcome",
    "Late reason",
    "Resolved on",
    "Resolution",
    "Escalated on",
    "Escalation reason",
    "Withdrawn on",
    "Withdrawal reason",
]
PARTIES = "County Integrated Care Board; North Council"


def _late_reason_column(rows):
    """Rows written without the late reason get its empty cell."""
    return [r[:9] + [""] + r[9:] if len(r) == len(HEAD) - 1 else r for r in rows]


def dispute_rows():
    return _late_reason_column(
        [
            HEAD,
            # determined 31 Jan 2024, met in time, resolved
            [
                "Continuing health care funding",
                "Who funds a placement",
                PARTIES,
                "29/01/2024",
                "31/01/2024",
                "20/02/2024",
                "14:00",
                "Civic Centre",
                "Agreed a joint review",
                "",
                "21/02/2024",
                "Joint funding agreed",
                "",
                "",
                "",
                "",
            ],
            # determined 1 Feb 2024 (a leap year): deadline 29 Feb; the meeting came late
            [
                "Hospital discharge delays",
                "Discharges without a plan",
                "County Integrated Care Board; West Council",
                "01/02/2024",
                "01/02/2024",
                "04/03/2024",
                "10:00",
                "Online",
                "Escalation needed",
                "The chief executives were away",
                "",
                "",
                "",
                "",
                "",
                "",
            ],
            # determined, never met: entered long after its deadline
            [
                "Transport for strategy meetings",
                "Who pays for transport",
                PARTIES,
                "02/09/2025",
                "03/09/2025",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
            ],
            # raised only
            [
                "Data sharing for audits",
                "Consent for audit data",
                PARTIES,
                "12/11/2026",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
            ],
        ]
    )


def _letters() -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(OutboxMessage).where(OutboxMessage.kind == "dispute_escalation")
    )


def test_disputes_from_xlsx_with_their_real_dates_then_nothing_changes(demo):
    office = demo.user("office")
    before, letters = count(Dispute), _letters()
    run = imports.check(imports.get_kind("disputes"), "disputes.xlsx", xlsx_bytes(dispute_rows()), office)
    assert run.status == "checked", run.problems
    assert (run.created, run.updated, run.unchanged) == (4, 0, 0)
    assert count(Dispute) == before  # the dry run wrote nothing
    imports.commit(run, run.sha256, office)
    assert count(Dispute) == before + 4
    by_subject = {d.subject: d for d in db.session.scalars(sa.select(Dispute).order_by(Dispute.id.desc()).limit(4))}
    funding = by_subject["Continuing health care funding"]
    assert funding.state == DisputeState.resolved and funding.deadline == date(2024, 2, 28)
    assert funding.reference.startswith("DSP-2024-") and funding.breach_recorded_on is None
    discharge = by_subject["Hospital discharge delays"]
    assert discharge.deadline == date(2024, 2, 29) and discharge.state == DisputeState.meeting_held
    assert discharge.held_on == date(2024, 3, 4) and discharge.breach_recorded_on is not None
    transport = by_subject["Transport for strategy meetings"]
    assert transport.state == DisputeState.determined and transport.breach_recorded_on is not None  # at once
    assert by_subject["Data sharing for audits"].state == DisputeState.raised
    history = db.session.scalars(
        sa.select(WorkflowHistory).where(
            WorkflowHistory.lifecycle == "dispute", WorkflowHistory.entity_id == funding.id
        )
    ).all()
    assert [h.trigger for h in history][-3:] == ["determine", "convene", "resolve"]
    assert _letters() == letters
    again = imports.check(imports.get_kind("disputes"), "disputes.csv", csv_bytes(dispute_rows()), office)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4), again.problems


def test_disputes_refusals_are_reported_by_row_and_column(demo):
    office = demo.user("office")
    bad = [
        HEAD,
        ["No parties", "x", "County Integrated Care Board", "01/02/2024", "", "", "", "", "", "", "", "", "", "", ""],
        [
            "Unknown party",
            "x",
            "Nowhere Council; North Council",
            "01/02/2024",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
        ["Determined before raised", "x", PARTIES, "10/02/2024", "01/02/2024", "", "", "", "", "", "", "", "", "", ""],
        ["In the future", "x", PARTIES, "01/02/2030", "", "", "", "", "", "", "", "", "", "", ""],
        ["Withdrawn with no reason", "x", PARTIES, "01/02/2024", "", "", "", "", "", "", "", "", "", "05/02/2024", ""],
    ]
    run = imports.check(imports.get_kind("disputes"), "bad.csv", csv_bytes(_late_reason_column(bad)), office)
    by_row = {p["row"]: p for p in run.problems}
    assert by_row[2]["column"] == "Parties" and "at least two" in by_row[2]["message"]
    assert by_row[3]["column"] == "Parties" and "Nowhere Council" in by_row[3]["message"]
    assert "raised" in by_row[4]["message"], by_row[4]
    assert by_row[5]["column"] == "Raised on"
    assert by_row[6]["column"] == "Withdrawal reason"
    assert run.status == "problems"


def test_escalation_is_the_chairs_and_is_reported_not_forced(demo):
    """Escalating is the Independent Chair's: the office's import reports the row; the chair
    then escalates on the page with the real date (and no letters: they went at the time)."""
    row = dispute_rows()[2]
    row[HEAD.index("Escalated on")] = "05/03/2024"
    row[HEAD.index("Escalation reason")] = "No agreement on the discharge protocol"
    run = imports.check(imports.get_kind("disputes"), "d.csv", csv_bytes([HEAD, row]), demo.user("office"))
    assert run.status == "problems" and "permission to escalate" in run.problems[0]["message"]


COMPLAINT_HEAD = [
    "About",
    "Received on",
    "Complainant",
    "Contact",
    "Summary",
    "Organisation",
    "Investigation started on",
    "Outcome",
    "Responded on",
    "Response method",
    "Referred on",
    "Closed on",
]


def complaint_rows():
    return [
        COMPLAINT_HEAD,
        [
            "partnership",
            "02/03/2026",
            "A Resident",
            "resident@example.org",
            "No answer to a letter",
            "",
            "04/03/2026",
            "An apology and a new process",
            "20/03/2026",
            "letter",
            "",
            "27/03/2026",
        ],
        [
            "member_service",
            "05/05/2026",
            "B Resident",
            "01234 567890",
            "A social worker's visit",
            "West Council",
            "",
            "",
            "",
            "",
            "06/05/2026",
            "",
        ],
    ]


def test_complaints_imported_by_the_chair_with_their_dates(demo):
    chair = demo.user("chair")
    before = count(Complaint)
    run = imports.check(imports.get_kind("complaints"), "complaints.xlsx", xlsx_bytes(complaint_rows()), chair)
    assert run.status == "checked", run.problems
    imports.commit(run, run.sha256, chair)
    assert count(Complaint) == before + 2
    rows = {
        c.complainant_name: c for c in db.session.scalars(sa.select(Complaint).order_by(Complaint.id.desc()).limit(2))
    }
    investigated = rows["A Resident"]
    assert investigated.state == ComplaintState.closed and investigated.responded_on == date(2026, 3, 20)
    assert investigated.closed_on == date(2026, 3, 27) and investigated.investigation_started_on == date(2026, 3, 4)
    referred = rows["B Resident"]
    assert referred.state == ComplaintState.closed and referred.referred_on == date(2026, 5, 6)
    assert referred.organisation_notified_at is None  # referred at the time: no notice now
    again = imports.check(imports.get_kind("complaints"), "complaints.csv", csv_bytes(complaint_rows()), chair)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2), again.problems


def test_the_office_cannot_reach_the_chairs_investigation(demo):
    """Investigating a complaint about the partnership is the Chair's: the office's import
    reports it rather than forcing the state."""
    run = imports.check(
        imports.get_kind("complaints"), "complaints.csv", csv_bytes(complaint_rows()[:2]), demo.user("office")
    )
    assert run.status == "problems"
    assert run.problems[0]["row"] == 2 and "permission" in run.problems[0]["message"]
