"""The scheduled jobs page: recent runs, outcomes, counts and errors, for the business
office; failures on the home page."""

from __future__ import annotations

from datetime import date, timedelta

from safeguarding import jobs
from safeguarding.calendar import today


def _fail(as_of: date) -> dict:
    raise RuntimeError("the meetings table is missing")


def test_the_jobs_page_shows_runs_with_outcomes_counts_and_errors(client_as, define_job):
    define_job("t_page_ok", lambda as_of: {"reminders": 2, "escalations": 1}, description="Find non-attendance")
    define_job("t_page_broken", _fail)
    jobs.run_due(date(2026, 11, 23))
    c = client_as("office")
    html = c.get("/jobs").get_data(as_text=True)
    assert "Find non-attendance" in html  # the registered jobs
    assert "t_page_ok" in html and "escalations: 1, reminders: 2" in html
    assert "RuntimeError: the meetings table is missing" in html  # the error, at a glance
    assert "Traceback" in html  # and the whole story behind "details"

    failed_only = c.get("/jobs?outcome=failed").get_data(as_text=True)
    assert "the meetings table is missing" in failed_only and "escalations: 1" not in failed_only
    assert c.get("/jobs?outcome=exploded").status_code == 404


def test_only_the_business_office_sees_the_jobs_page(client_as):
    for who in ("chair", "police", "admin", "viewer", "sarchair"):
        assert client_as(who).get("/jobs").status_code == 403


def test_recent_failed_runs_show_on_the_business_office_home_page(client_as, define_job):
    define_job("t_home_broken", _fail)
    c = client_as("office")
    assert "Scheduled jobs that failed" not in c.get("/home").get_data(as_text=True)
    jobs.run_job("t_home_broken", today() - timedelta(days=30))  # long ago: not news
    assert "Scheduled jobs that failed" not in c.get("/home").get_data(as_text=True)
    jobs.run_job("t_home_broken", today())
    html = c.get("/home").get_data(as_text=True)
    assert "Scheduled jobs that failed" in html and "/jobs?outcome=failed" in html


def test_the_jobs_page_stays_within_the_query_budget_as_runs_grow(client_as, define_job, count_queries):
    define_job("t_budget", lambda as_of: {"n": 1})
    c = client_as("office")
    counts = []
    for days in (1, 40):
        for d in range(days):
            jobs.run_job("t_budget", date(2026, 1, 1) + timedelta(days=d))
        with count_queries() as q:
            assert c.get("/jobs").status_code == 200
        counts.append(q.count)
    assert counts[0] == counts[1] <= 15, counts
