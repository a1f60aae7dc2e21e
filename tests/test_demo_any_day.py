"""The demo is built around the day it is loaded (`flask seed-demo --as-of DATE`): on
any day the README's stated facts hold. Built here as `make run` builds it (the migrations,
then the CLI, in a process of its own) for three days — the suite's own day, one across
Christmas and one across the financial year end — and read back with the models.

The README's demo facts checked on each day (README, "Demo accounts"):
- the dispute awaiting a meeting has 7 days left; the convened one meets on a working
  day inside its 28 days; one resolved, one breached, one just raised;
- the CSPR rapid review is due in 3 working days; the national panel must be told of the
  newest CSPR in 2 working days;
- the Board meets in 8 working days and again about two months later; every meeting is
  on a working day;
- the chair's action awaiting ratification was decided 3 weeks ago;
- minutes: the Executive's latest a draft, the SAR sub-group's submitted, the Board's
  approved;
- the 2020/21 budget keeps the source papers' figures to the penny;
- history rows carry the story's dates, not the load time;
- the SAR reports are real PDFs;
- the first start (the daily jobs for the load day) queues only the story's emails of
  that day: no "Deadline missed", nothing held back delivered.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from safeguarding.calendar import working_days
from safeguarding.formatting import days_left
from safeguarding.models import (
    ChairAction,
    Dispute,
    DisputeState,
    Group,
    Meeting,
    Minutes,
    OutboxMessage,
    OutboxStatus,
    Review,
    StoredFile,
    WorkflowHistory,
)
from safeguarding.models.budget import Budget, BudgetLine
from safeguarding.services.reviews import deadlines

ROOT = Path(__file__).resolve().parents[1]
DAYS = [
    date(2026, 12, 3),  # the suite's day (a Thursday)
    date(2026, 12, 7),  # a Monday: the story's weekdays land on weekends (rapid reviews' 15 working days)
    date(2026, 12, 22),  # the Board's next meeting falls after Christmas and New Year
    date(2027, 3, 27),  # a Saturday: Easter, then the new financial year, lie ahead
]


def _flask(url: str, uploads: Path, *args: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "UPLOAD_FOLDER": str(uploads),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("MAIL_SERVER", None)
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "safeguarding", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[date, tuple[str, Path]]:
    """The demo, built around each day in a database of its own (the three in parallel)."""
    out = {}
    running = []
    for day in DAYS:
        where = tmp_path_factory.mktemp(f"demo-{day}")
        url, uploads = f"sqlite:///{where / 'demo.db'}", where / "uploads"
        upgrade = _flask(url, uploads, "db", "upgrade")
        assert upgrade.returncode == 0, upgrade.stderr[-3000:]
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "SECRET_KEY": "test-secret-key-not-for-production",
            "UPLOAD_FOLDER": str(uploads),
            "PYTHONPATH": str(ROOT),
        }
        running.append(
            (
                day,
                subprocess.Popen(
                    [sys.executable, "-m", "flask", "--app", "safeguarding", "seed-demo", "--as-of", day.isoformat()],
                    cwd=ROOT,
                    env=env,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                ),
            )
        )
        out[day] = (url, uploads)
    for day, proc in running:
        stdout, stderr = proc.communicate(timeout=900)
        assert proc.returncode == 0, stderr[-3000:]
        assert f"built around {day.day} {day:%B %Y}" in stdout
    return out


@pytest.fixture(params=DAYS, ids=[d.isoformat() for d in DAYS])
def day(request) -> date:
    return request.param


@pytest.fixture
def db_of(built, day):
    engine = sa.create_engine(built[day][0])
    with Session(engine) as session:
        yield session
    engine.dispose()


def _disputes(s: Session) -> dict[str, Dispute]:
    by_subject = {
        "Funding of continuing": "resolved",
        "Health attendance": "breached",
        "Sharing domestic abuse": "awaiting_meeting",
        "Threshold for police": "convened",
        "Responsibility for fire": "raised",
    }
    out = {}
    for d in s.scalars(sa.select(Dispute)):
        [key] = [k for prefix, k in by_subject.items() if d.subject.startswith(prefix)]
        out[key] = d
    return out


def test_the_disputes_read_as_the_readme_says(db_of, day):
    cal = working_days([])
    d = _disputes(db_of)
    awaiting = d["awaiting_meeting"]
    assert awaiting.state == DisputeState.determined and awaiting.meeting_on is None
    assert awaiting.deadline == day + timedelta(days=7) and days_left(awaiting.deadline, day) == "7 days left"
    assert awaiting.reference == f"DSP-{awaiting.raised_on.year}-{awaiting.ref_number:03d}"
    convened = d["convened"]
    assert convened.state == DisputeState.meeting_convened and not convened.breached
    assert day <= convened.meeting_on <= convened.deadline and cal.is_working_day(convened.meeting_on)
    assert d["resolved"].state == DisputeState.resolved and not d["resolved"].breached
    assert d["breached"].breached and d["raised"].state == DisputeState.raised
    if day == date(2026, 12, 3):  # the references the README names
        assert (awaiting.reference, convened.reference) == ("DSP-2026-003", "DSP-2026-004")


def test_the_cspr_deadlines_count_working_days_from_the_load_day(db_of, day):
    cal = working_days([])
    cspr = {
        r.initials: r for r in db_of.scalars(sa.select(Review).where(Review.reference.like("CSPR-%")))
    }  # LB: rapid review under way; KO: the panel still to be told
    [rapid] = [x for x in deadlines(cspr["LB"], day, cal) if x.kind.value == "rapid_review"]
    assert rapid.due_on == cal.add(day, 3) and rapid.status == "due_soon"
    assert cal.between(day, rapid.due_on) == 3
    [panel] = [x for x in deadlines(cspr["KO"], day, cal) if x.kind.value == "notify_panel"]
    assert panel.due_on == cal.add(day, 2) and panel.is_open


def test_the_meetings_are_on_working_days_and_the_board_meets_in_8_working_days(db_of, day):
    cal = working_days([])
    dates = list(db_of.scalars(sa.select(Meeting.meeting_date)))
    assert len(dates) > 40 and all(cal.is_working_day(d) for d in dates)
    board = db_of.scalar(sa.select(Group.id).where(Group.short_name == "Board"))
    upcoming = list(
        db_of.scalars(
            sa.select(Meeting.meeting_date)
            .where(Meeting.group_id == board, Meeting.meeting_date >= day)
            .order_by(Meeting.meeting_date)
        )
    )
    assert len(upcoming) == 2
    assert cal.between(day, upcoming[0]) == 8
    assert 50 <= (upcoming[1] - upcoming[0]).days <= 75  # the February one, about two months on
    held = db_of.scalar(
        sa.select(sa.func.max(Meeting.meeting_date)).where(Meeting.group_id == board, Meeting.meeting_date < day)
    )
    assert held < day


def test_the_chairs_action_and_the_minutes(db_of, day):
    [awaiting] = db_of.scalars(sa.select(ChairAction).where(ChairAction.status == "awaiting_ratification")).all()
    assert awaiting.decided_on == day - timedelta(days=21)
    states = {
        group: [
            m.state.value
            for m in db_of.scalars(
                sa.select(Minutes).join(Meeting, Minutes.meeting_id == Meeting.id).where(Meeting.group_id == gid)
            )
        ]
        for group, gid in db_of.execute(sa.select(Group.short_name, Group.id))
    }
    assert "draft" in states["Executive"] and "submitted" in states["SAR sub-group"] and "approved" in states["Board"]


def test_the_2020_21_budget_keeps_its_figures_to_the_penny(db_of, day):
    budget = db_of.scalar(sa.select(Budget).where(Budget.financial_year == 2020))
    total = db_of.scalar(sa.select(sa.func.sum(BudgetLine.amount_pence)).where(BudgetLine.budget_id == budget.id))
    assert total == 145_340_00


def test_history_carries_the_storys_dates(db_of, day):
    awaiting = _disputes(db_of)["awaiting_meeting"]
    [determined] = db_of.scalars(
        sa.select(WorkflowHistory).where(
            WorkflowHistory.lifecycle == "dispute",
            WorkflowHistory.entity_id == awaiting.id,
            WorkflowHistory.trigger == "determine",
        )
    )
    assert determined.at.date() == awaiting.determined_on  # not the day the demo was loaded
    years = {at.year for at in db_of.scalars(sa.select(WorkflowHistory.at))}
    assert min(years) <= 2021 and len(years) >= 6  # the story since 2020, year by year


def test_the_sar_reports_are_readable_pdfs(built, db_of, day):
    pypdf = pytest.importorskip("pypdf")
    uploads = built[day][1]
    published = db_of.scalars(sa.select(Review).where(Review.final_report_file_id.is_not(None))).all()
    drafts = db_of.scalars(sa.select(Review).where(Review.draft_report_file_id.is_not(None))).all()
    assert published and drafts
    for review, file_id in [(r, r.final_report_file_id) for r in published] + [
        (r, r.draft_report_file_id) for r in drafts
    ]:
        stored = db_of.get(StoredFile, file_id)
        data = (uploads / stored.storage_key).read_bytes()
        reader = pypdf.PdfReader(io.BytesIO(data))
        assert len(reader.pages) >= 1
        text = " ".join(page.extract_text() for page in reader.pages)
        assert review.reference in text and review.kind.label in text


def test_the_first_start_sends_only_the_storys_emails_of_the_day(built, day):
    url, uploads = built[day]
    engine = sa.create_engine(url)
    try:
        with Session(engine) as s:
            assert not s.scalar(
                sa.select(sa.func.count()).select_from(OutboxMessage).where(OutboxMessage.status != OutboxStatus.held)
            )
            before = s.scalar(sa.select(sa.func.max(OutboxMessage.id)))
        # The scheduler's first run: the daily jobs for the load day.
        run = _flask(url, uploads, "jobs", "run", "--as-of", day.isoformat())
        assert run.returncode == 0, run.stderr[-3000:]
        with Session(engine) as s:
            queued = s.scalars(sa.select(OutboxMessage).where(OutboxMessage.id > before)).all()
            awaiting = _disputes(s)["awaiting_meeting"]
            rapid_warnings = s.scalars(
                sa.select(OutboxMessage.subject).where(
                    OutboxMessage.subject.like("Deadline coming%rapid review to the national panel")
                )
            ).all()
        subjects = sorted(m.subject for m in queued)
        assert not [x for x in subjects if x.startswith("Deadline missed")]
        # What the story means to happen that morning: the 7-day alert for the dispute and the
        # warning that the rapid review is due in 3 working days — nothing else. (When the day
        # before was also 3 working days out — a weekend or a bank holiday — the warning went
        # then, once: the jobs' own rule.)
        assert {m.kind for m in queued} <= {"dispute_deadline_alert", "review_deadline_warning"}
        assert f"Dispute {awaiting.reference}: joint meeting not yet convened, 7 days left" in subjects
        assert [x for x in subjects if x.startswith("Deadline coming")] == [
            x for x in subjects if "rapid review to the national panel" in x
        ]
        assert len(rapid_warnings) == 1
    finally:
        engine.dispose()
