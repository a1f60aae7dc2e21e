"""The budget's lifecycle: draft → proposed → approved (the Board's decision, with the
meeting date and minute) → closed; who may fire each trigger, wrong states, stale
versions, guards, and the history that records the Board's decision."""

from __future__ import annotations

from datetime import date

import pytest

from safeguarding.models import BudgetState, LineCategory
from safeguarding.services import budget as svc
from safeguarding.services.errors import Conflict, Forbidden, StaleVersion, ValidationFailed
from safeguarding.workflows.budget import budget_lifecycle as lifecycle


@pytest.fixture
def draft():
    return svc.start_year(financial_year=2030, lines=[("Staff", LineCategory.staffing, 50_000_00)])


def test_only_the_office_proposes_and_only_with_expenditure(demo, draft):
    for who in ("chair", "police", "viewer", "admin"):
        with pytest.raises(Forbidden):
            lifecycle.fire(draft, "propose", user=demo.user(who), version=draft.version)
    empty = svc.start_year(financial_year=2031)
    with pytest.raises(ValidationFailed) as exc:
        lifecycle.fire(empty, "propose", user=demo.user("office"), version=empty.version)
    assert exc.value.reasons == ["Add the budget's expenditure lines before proposing it to the Board"]
    lifecycle.fire(draft, "propose", user=demo.user("office"), version=draft.version)
    assert draft.state == BudgetState.proposed


def test_the_board_approval_is_recorded_by_the_office_or_the_chair(demo, draft):
    office, chair = demo.user("office"), demo.user("chair")
    lifecycle.fire(draft, "propose", user=office, version=draft.version)
    with pytest.raises(Forbidden):
        lifecycle.fire(
            draft,
            "approve",
            user=demo.user("police"),
            version=draft.version,
            params={"board_meeting_on": date(2026, 5, 1)},
        )
    with pytest.raises(StaleVersion):
        lifecycle.fire(
            draft, "approve", user=chair, version=draft.version - 1, params={"board_meeting_on": date(2026, 5, 1)}
        )
    with pytest.raises(ValidationFailed) as exc:
        lifecycle.fire(draft, "approve", user=chair, version=draft.version)
    assert exc.value.errors == {"board_meeting_on": "Enter the date of the Board meeting that approved the budget"}
    with pytest.raises(ValidationFailed) as exc:
        lifecycle.fire(
            draft,
            "approve",
            user=chair,
            version=draft.version,
            params={"board_meeting_on": date(2099, 1, 1)},
            as_of=date(2026, 5, 2),
        )
    assert exc.value.reasons == ["The Board meeting date must be today or in the past (not 1 January 2099)"]
    assert draft.state == BudgetState.proposed and draft.board_meeting_on is None
    lifecycle.fire(
        draft,
        "approve",
        user=chair,
        version=draft.version,
        params={"board_meeting_on": date(2026, 5, 1), "minute_reference": "SPB 01/05/26 item 4"},
        comment="Agreed unanimously",
    )
    assert draft.state == BudgetState.approved
    assert (draft.board_meeting_on, draft.minute_reference, draft.approved_by_id) == (
        date(2026, 5, 1),
        "SPB 01/05/26 item 4",
        chair.id,
    )
    assert svc.lines_of(draft)[0].original_pence == 50_000_00
    history = lifecycle.history(draft.id)
    assert [(h.trigger, h.actor_id) for h in history] == [("propose", office.id), ("approve", chair.id)]
    assert history[-1].data == {"board_meeting_on": "2026-05-01", "minute_reference": "SPB 01/05/26 item 4"}
    assert history[-1].comment == "Agreed unanimously"


def test_return_to_draft_needs_what_must_change(demo, draft):
    lifecycle.fire(draft, "propose", user=demo.user("office"), version=draft.version)
    with pytest.raises(ValidationFailed) as exc:
        lifecycle.fire(draft, "return_to_draft", user=demo.user("chair"), version=draft.version)
    assert exc.value.errors == {"comment": "Enter what needs to change"}
    lifecycle.fire(
        draft, "return_to_draft", user=demo.user("chair"), version=draft.version, comment="Add the CSPR reviewer costs"
    )
    assert draft.state == BudgetState.draft


def test_wrong_state_is_a_conflict(demo, draft):
    with pytest.raises(Conflict, match="when the budget is draft"):
        lifecycle.fire(
            draft,
            "approve",
            user=demo.user("chair"),
            version=draft.version,
            params={"board_meeting_on": date(2026, 5, 1)},
        )
    with pytest.raises(Conflict):
        lifecycle.fire(draft, "close_year", user=demo.user("office"), version=draft.version)


def test_only_the_office_closes_the_year(demo):
    from safeguarding.extensions import db
    from safeguarding.models import Budget

    b = db.session.get(Budget, demo.id("budgets", "2020"))
    assert lifecycle.available_triggers(b, demo.user("office")) == ["close_year"]
    assert lifecycle.available_triggers(b, demo.user("chair")) == []
    with pytest.raises(Forbidden):
        lifecycle.fire(b, "close_year", user=demo.user("chair"), version=b.version, as_of=date(2021, 5, 1))
