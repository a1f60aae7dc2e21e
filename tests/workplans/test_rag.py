"""The RAG derivation: boundaries at 30 days (due) and 60 days (no update), completed,
deferred/cancelled, at risk, overrides; the daily job agrees with the pure function."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from safeguarding.extensions import db
from safeguarding.jobs import run_job
from safeguarding.models import ItemStatus, Rag, WorkPlanItem
from safeguarding.services import workplans as svc
from safeguarding.services.errors import Conflict, ValidationFailed
from tests.workplans.helpers import plan

AS_OF = date(2027, 1, 10)


def item(due_in: int, updated_ago: int | None, **kw) -> WorkPlanItem:
    last = (
        datetime.combine(AS_OF - timedelta(days=updated_ago), datetime.min.time(), tzinfo=UTC).replace(hour=12)
        if updated_ago is not None
        else None
    )
    values = dict(
        due_date=AS_OF + timedelta(days=due_in),
        status=ItemStatus.in_progress,
        at_risk=False,
        last_update_at=last,
        created_at=datetime(2020, 1, 1, tzinfo=UTC),
    )
    values.update(kw)
    return WorkPlanItem(**values)


@pytest.mark.parametrize(
    ("due_in", "updated_ago", "expected"),
    [
        (29, 61, Rag.amber),
        (30, 61, Rag.amber),
        (31, 61, Rag.green),  # the 30-day boundary (inclusive)
        (10, 59, Rag.green),
        (10, 60, Rag.amber),
        (10, 61, Rag.amber),  # the 60-day boundary
        (0, 100, Rag.amber),  # due today: not yet overdue
        (-1, 0, Rag.red),
        (-30, 1, Rag.red),  # overdue and not completed
        (100, 200, Rag.green),  # stale but not due soon
    ],
)
def test_derived_rag_boundaries(due_in, updated_ago, expected):
    assert svc.derive_rag(item(due_in, updated_ago), AS_OF) == expected


def test_never_updated_items_count_from_when_they_were_added():
    added = datetime.combine(AS_OF - timedelta(days=59), datetime.min.time(), tzinfo=UTC)
    assert svc.derive_rag(item(10, None, created_at=added), AS_OF) == Rag.green
    assert svc.derive_rag(item(10, None, created_at=added - timedelta(days=1)), AS_OF) == Rag.amber


def test_completed_deferred_cancelled_and_at_risk():
    assert svc.derive_rag(item(-10, 300, status=ItemStatus.completed), AS_OF) == Rag.complete
    assert svc.derive_rag(item(-10, 300, status=ItemStatus.deferred), AS_OF) == Rag.not_rated
    assert svc.derive_rag(item(-10, 300, status=ItemStatus.cancelled), AS_OF) == Rag.not_rated
    assert svc.derive_rag(item(100, 0, at_risk=True), AS_OF) == Rag.amber
    assert svc.derive_rag(item(-1, 0, at_risk=True), AS_OF) == Rag.red


def test_a_custom_policy():
    policy = svc.RagPolicy(due_soon_days=10, stale_days=5)
    assert svc.derive_rag(item(10, 5), AS_OF, policy) == Rag.amber
    assert svc.derive_rag(item(11, 5), AS_OF, policy) == Rag.green


CASES = [(29, 61), (30, 61), (31, 61), (10, 59), (10, 60), (10, 61), (0, 100), (-1, 0), (100, 200)]


def test_the_daily_job_agrees_with_derive_rag_and_is_idempotent(demo):
    p = plan(demo, items=0, state="draft")
    first = svc.priorities_of(svc.business_plan_for_year(p.financial_year).id)[0]
    rows = []
    for due_in, ago in CASES:
        row = item(due_in, ago, work_plan_id=p.id, priority_id=first.id, title="x", success_measure="y", rag=Rag.green)
        db.session.add(row)
        rows.append(row)
    done = item(
        -5,
        0,
        work_plan_id=p.id,
        priority_id=first.id,
        title="d",
        success_measure="y",
        status=ItemStatus.completed,
        rag=Rag.red,
    )
    db.session.add(done)
    db.session.flush()
    expected = {r.id: svc.derive_rag(r, AS_OF) for r in [*rows, done]}
    result = run_job("workplan_rag", AS_OF)
    assert result.counts["changed"] >= sum(1 for r in [*rows, done] if expected[r.id] != Rag.green)
    got = {r.id: db.session.get(WorkPlanItem, r.id).rag for r in [*rows, done]}
    assert got == expected
    assert svc.recalculate_all(AS_OF) == 0  # again: nothing changes


def test_override_needs_a_justification_and_records_who_and_when(demo):
    p = plan(demo, state="approved")
    it = svc.items_of(p)[0]
    office = demo.user("office")
    with pytest.raises(ValidationFailed) as exc:
        svc.set_override(it, p, office, version=it.version, rag="red", justification=" ")
    assert exc.value.errors == {"justification": "Enter the justification for the override"}
    with pytest.raises(ValidationFailed) as exc:
        svc.set_override(it, p, office, version=it.version, rag="complete", justification="x")
    assert "rag" in exc.value.errors
    svc.set_override(it, p, office, version=it.version, rag="red", justification="The provider has withdrawn")
    assert (it.rag, it.rating, it.override_by_id) == (Rag.green, Rag.red, office.id)
    assert it.override_at is not None
    assert svc.rag_reason(it, AS_OF).startswith("Set to red by override")
    # Completing the item ends the override.
    svc.change_status(it, p, office, version=it.version, status="completed")
    assert (it.rating, it.rag_override) == (Rag.complete, None)
    with pytest.raises(Conflict):
        svc.set_override(it, p, office, version=it.version, rag="green", justification="x")


def test_an_override_is_refused_to_others_and_on_a_stale_version(demo):
    from safeguarding.services.errors import Forbidden, StaleVersion

    p = plan(demo, state="approved")
    it = svc.items_of(p)[0]
    with pytest.raises(Forbidden):
        svc.set_override(it, p, demo.user("police"), version=it.version, rag="red", justification="x")
    with pytest.raises(StaleVersion):
        svc.set_override(it, p, demo.user("office"), version=it.version - 1, rag="red", justification="x")


def test_the_job_runs_once_per_date(demo):
    from safeguarding.models import JobOutcome

    first = run_job("workplan_rag", date(2031, 5, 1))
    second = run_job("workplan_rag", date(2031, 5, 1))
    assert first.outcome == JobOutcome.succeeded
    assert second.id == first.id and second.ran_here is False
