"""From recommendation to impact: the re-audit is scheduled once all of a recommendation's
actions are complete (6 months later, once per date), the office is reminded once when it
is due, the rating rules (embedded only after some or clear impact; no impact schedules
the next), links from recommendations to findings, and the learning report's figures."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from safeguarding import jobs
from safeguarding.demo import at
from safeguarding.extensions import db
from safeguarding.models import (
    Action,
    ActionSource,
    ImpactRating,
    OutboxMessage,
    Reaudit,
    ReauditState,
    Review,
    ReviewRecommendation,
)
from safeguarding.services import learning
from safeguarding.services.errors import Conflict, Forbidden, StaleVersion, ValidationFailed
from safeguarding.services.learning import reaudits
from safeguarding.workflows.actions import action_lifecycle


def _recommendation(demo, n_actions=2):
    """A recommendation of the demo's published SAR with its own actions (open)."""
    from safeguarding.services import reviews as svc

    review = db.session.get(Review, demo.id("reviews", "published"))
    office = demo.user("office")
    rec = svc.add_recommendation(review, office, text="Test recommendation for re-audit")
    actions = [
        svc.add_action(
            review,
            rec,
            office,
            title=f"Action {i}",
            owner_organisation_id=demo.org("police").id,
            due_date=date(2026, 12, 31),
        )
        for i in range(n_actions)
    ]
    return rec, actions


def _complete(action, office, on):
    with at(on):
        action_lifecycle.fire(action, "claim_complete", user=office, version=action.version, comment="done", as_of=on)
        action_lifecycle.fire(action, "accept_completion", user=office, version=action.version, as_of=on)


def _reaudits(rec):
    return list(db.session.scalars(sa.select(Reaudit).where(Reaudit.recommendation_id == rec.id).order_by(Reaudit.id)))


def test_a_reaudit_is_scheduled_six_months_after_the_last_action_is_complete(demo):
    rec, (a, b) = _recommendation(demo)
    office = demo.user("office")
    assert reaudits.stage_of(rec) == "open"
    _complete(a, office, date(2026, 5, 1))
    reaudits.schedule_reaudits(date(2026, 5, 2))
    assert _reaudits(rec) == []  # one action still open
    _complete(b, office, date(2026, 5, 10))
    assert reaudits.stage_of(rec) == "complete"
    counts = reaudits.schedule_reaudits(date(2026, 5, 11))
    assert counts["scheduled"] >= 1
    (r,) = _reaudits(rec)
    assert (r.state, r.due_on, r.scheduled_on) == (ReauditState.scheduled, date(2026, 11, 10), date(2026, 5, 11))
    reaudits.schedule_reaudits(date(2026, 5, 12))
    assert len(_reaudits(rec)) == 1  # once


def test_a_cancelled_action_does_not_hold_it_back_but_a_not_implemented_one_does(demo):
    rec, (a, b) = _recommendation(demo)
    office = demo.user("office")
    _complete(a, office, date(2026, 5, 1))
    b.status = b.status.__class__("not_implemented")
    db.session.flush()
    assert reaudits.stage_of(rec) == "open"
    b.status = b.status.__class__("cancelled")
    db.session.flush()
    assert reaudits.stage_of(rec) == "complete"


def test_the_daily_job_reminds_the_office_once_when_a_reaudit_is_due(demo, app):
    rec, actions = _recommendation(demo, 1)
    office = demo.user("office")
    _complete(actions[0], office, date(2026, 1, 5))
    reaudits.schedule_reaudits(date(2026, 1, 6))
    (r,) = _reaudits(rec)
    assert r.due_on == date(2026, 7, 5)

    def mails():
        return db.session.scalar(
            sa.select(sa.func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.dedupe_key == f"reaudit-due:{r.id}")
        )

    reaudits.schedule_reaudits(date(2026, 7, 4))
    assert mails() == 0 and r.reminded_on is None
    reaudits.schedule_reaudits(date(2026, 7, 6))
    assert mails() == 1 and r.reminded_on == date(2026, 7, 6)
    reaudits.schedule_reaudits(date(2026, 7, 7))
    assert mails() == 1


def test_the_job_runs_once_per_date(demo):
    rec, actions = _recommendation(demo, 1)
    _complete(actions[0], demo.user("office"), date(2026, 1, 5))
    first = jobs.run_job("reaudits", date(2026, 1, 6))
    assert first.ran_here and first.counts["scheduled"] >= 1
    again = jobs.run_job("reaudits", date(2026, 1, 6))
    assert not again.ran_here
    assert len(_reaudits(rec)) == 1
    assert jobs.run_job("reaudits", date(2026, 1, 7)).counts["scheduled"] == 0


def _scheduled(demo):
    rec, actions = _recommendation(demo, 1)
    _complete(actions[0], demo.user("office"), date(2026, 1, 5))
    reaudits.schedule_reaudits(date(2026, 1, 6))
    return rec, _reaudits(rec)[0]


def _record(r, user, **kw):
    values = dict(
        version=r.version, completed_on=date(2026, 7, 10), checked="Ten cases", rating="some", evidence="Records show"
    )
    values.update(kw)
    return reaudits.record_reaudit(r, user, **values)


@pytest.mark.parametrize("rating, stage", [("some", "embedded"), ("clear", "embedded"), ("none", "re_audited")])
def test_a_recommendation_is_embedded_only_after_some_or_clear_impact(demo, rating, stage):
    rec, r = _scheduled(demo)
    _record(r, demo.user("office"), rating=rating)
    assert r.state is ReauditState.completed and r.rating is ImpactRating(rating)
    assert reaudits.stage_of(rec) == stage
    follow_up = [x for x in _reaudits(rec) if x.state is ReauditState.scheduled]
    if rating == "none":  # no evidence of impact: the next re-audit six months on
        assert [x.due_on for x in follow_up] == [date(2027, 1, 10)]
    else:
        assert follow_up == []


def test_recording_a_reaudit_is_the_offices_and_checks_its_input(demo):
    _, r = _scheduled(demo)
    with pytest.raises(Forbidden):
        _record(r, demo.user("chair"))
    for change, field in [
        ({"rating": "great"}, "rating"),
        ({"checked": " "}, "checked"),
        ({"evidence": ""}, "evidence"),
        ({"completed_on": None}, "completed_on"),
        ({"completed_on": date(2099, 1, 1)}, "completed_on"),
    ]:
        with pytest.raises(ValidationFailed) as e:
            _record(r, demo.user("office"), **change)
        assert field in e.value.errors
    with pytest.raises(StaleVersion):
        _record(r, demo.user("office"), version=r.version + 5)
    _record(r, demo.user("office"))
    with pytest.raises(Conflict):
        _record(r, demo.user("office"))


def test_the_reaudit_pages_and_api(client_as, api_as, demo):
    _, r = _scheduled(demo)
    page = client_as("chair").get(f"/reaudits/{r.id}")
    assert page.status_code == 200 and "Record the re-audit" not in page.text
    c = client_as("office")
    assert "Recommendations by stage" in c.get("/reaudits").text
    bad = c.post(f"/reaudits/{r.id}", data={"version": str(r.version), "checked": ""})
    assert bad.status_code == 200 and "There is a problem" in bad.text and "Select the impact rating" in bad.text
    ok = c.post(
        f"/reaudits/{r.id}",
        data={
            "version": str(r.version),
            "completed_on": ["10", "7", "2026"],
            "checked": "Ten cases",
            "rating": "clear",
            "evidence": "Plans in every file",
        },
    )
    assert ok.status_code == 302
    db.session.expire_all()
    assert db.session.get(Reaudit, r.id).rating is ImpactRating.clear
    listed = api_as("chair").get("/api/v1/reaudits?state=completed").json
    assert any(x["id"] == r.id and x["rating"] == "clear" for x in listed)
    again = api_as("office").post(
        f"/api/v1/reaudits/{r.id}/result",
        json={"version": 99, "completed_on": "2026-07-10", "checked": "x", "rating": "some", "evidence": "y"},
    )
    assert again.status_code == 409


def test_a_recommendation_answers_findings_of_its_own_review_only(demo, api_as):
    rec, _ = _recommendation(demo, 0)
    office = demo.user("office")
    own = learning.record_finding(
        learning.Source(db.session.get(Review, rec.review_id)),
        office,
        statement="s",
        public_statement="p",
        found_on=date(2026, 3, 1),
        tags=["neglect"],
    )
    other = demo.id("findings", "closed_0")
    assert learning.link_findings(rec, [own.id], office) == [own.id]
    assert [r.id for r in learning.recommendations_answering(own.id)] == [rec.id]
    with pytest.raises(ValidationFailed):
        learning.link_findings(rec, [other], office)
    with pytest.raises(Forbidden):
        learning.link_findings(rec, [own.id], demo.user("chair"))
    r = api_as("office").put(f"/api/v1/recommendations/{rec.id}/findings", json={"finding_ids": []})
    assert r.status_code == 200 and learning.answered_findings(rec.id) == []
    assert api_as("office").put("/api/v1/recommendations/999999/findings", json={"finding_ids": []}).status_code == 404


def test_the_learning_report_counts_the_records(demo, api_as):
    office = demo.user("office")
    src = learning.Source(
        learning.record_learning_review(
            office, reference="T-R", kind="other", title="T", arm="adults", area="north", concluded_on=date(2031, 5, 1)
        )
    )
    for tags in (["sexual"], ["sexual", "board_governance"]):
        learning.record_finding(src, office, statement="s", public_statement="p", found_on=date(2031, 5, 1), tags=tags)
    report = learning.learning_report(2031)
    assert report.findings == 2 and report.by_theme == {"sexual": 2, "board_governance": 1}
    rec, r = _scheduled(demo)
    _record(r, office, rating="none")
    report = learning.learning_report(2026)
    assert report.ratings["none"] >= 1
    stages = {s.recommendation.id: s.stage for s in reaudits.standings()}
    assert stages[rec.id] == "re_audited"
    assert sum(report.stages.values()) == db.session.scalar(
        sa.select(sa.func.count()).select_from(ReviewRecommendation)
    )
    j = api_as("viewer").get("/api/v1/reports/learning?year=2031-32").json
    assert j["findings"] == 2 and j["by_theme"]["sexual"] == 2 and set(j["stages"]) == set(reaudits.STAGES)
    csv = api_as("viewer").get("/api/v1/reports/learning?year=2031-32&format=csv")
    assert csv.content_type.startswith("text/csv") and "theme,sexual,Sexual abuse,2" in csv.text
    assert api_as("viewer").get("/api/v1/reports/learning?year=2031").status_code == 422


def test_actions_of_other_sources_are_not_counted(demo):
    n = db.session.scalar(
        sa.select(sa.func.count()).select_from(Action).where(Action.source_type != ActionSource.review)
    )
    assert n > 0  # the demo's audit actions exist and do not make recommendations
    assert all(s.recommendation.review_id for s in reaudits.standings())


def test_the_annual_reports_impact_section_reads_reaudits_and_ratings(demo):
    from safeguarding.services.learning.annual_section import learning_impact_section

    # The demo's older SAR: three re-audits in 2025-26 (six months after actions done in 2025), one per rating.
    done = list(
        db.session.scalars(
            sa.select(Reaudit).where(
                Reaudit.state == ReauditState.completed,
                Reaudit.completed_on >= date(2025, 4, 1),
                Reaudit.completed_on <= date(2026, 3, 31),
            )
        )
    )
    data = learning_impact_section(2025, arm=None, area=None)
    figures = {f.key: f.value for f in data.figures}
    assert figures["reaudits"] == len(done) >= 3
    for rating in ImpactRating:
        assert figures[rating.value] == sum(1 for r in done if r.rating is rating)
    assert figures["embedded"] == sum(1 for s in reaudits.standings() if s.stage == "embedded")
    assert len(data.tables[0].rows) == len(done)
    children = {f.key: f.value for f in learning_impact_section(2025, arm="children", area=None).figures}
    assert children["reaudits"] == 0  # the re-audited recommendations are a SAR's
