"""The engine's "when it happened" (issue 26): a transition may name the date param (or a
function) that says when its event happened outside the service; the history row keeps it
as `occurred_on` beside `at`, the entry time. An optional date param may default to the
day the trigger fires. Lifecycles that declare neither behave as before."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import Dispute, DisputeState, PartnershipState, WorkflowHistory
from safeguarding.services import disputes as svc
from safeguarding.workflows.base import Lifecycle, Param, Transition
from safeguarding.workflows.disputes import dispute_lifecycle
from safeguarding.workflows.partnership import partnership_lifecycle
from tests.support.factories import OrganisationFactory

ON = date(2026, 11, 23)


def _last_history(lifecycle: str, entity_id: int) -> WorkflowHistory:
    return db.session.scalars(
        sa.select(WorkflowHistory)
        .where(WorkflowHistory.lifecycle == lifecycle, WorkflowHistory.entity_id == entity_id)
        .order_by(WorkflowHistory.id.desc())
        .limit(1)
    ).one()


def test_a_transition_naming_a_date_it_does_not_ask_for_is_refused_at_import():
    with pytest.raises(ValueError, match="has no such date param"):
        Lifecycle(
            "not_registered_bad_occurred",
            Dispute,
            DisputeState,
            [Transition("determine", "raised", "determined", set(), "x", occurred="determined_on")],
            initial="raised",
        )
    with pytest.raises(ValueError, match="has no such date param"):
        Lifecycle(
            "not_registered_text_occurred",
            Dispute,
            DisputeState,
            [
                Transition(
                    "determine", "raised", "determined", set(), "x", params=[Param("on", "text", "On")], occurred="on"
                )
            ],
            initial="raised",
        )
    assert "not_registered_bad_occurred" not in Lifecycle.registry


def test_an_optional_date_left_out_is_the_day_the_trigger_fires_and_is_kept_as_when_it_happened(demo):
    office = demo.user("office")
    d = svc.raise_dispute(
        office,
        subject="x",
        summary="y",
        party_organisation_ids=[demo.org("police").id, demo.org("west").id],
        raised_on=date(2026, 11, 2),
        as_of=ON,
    )
    dispute_lifecycle.fire(d, "determine", user=office, version=d.version, as_of=ON, params={"determined_on": ON})
    meeting = {"meeting_time": "10:00", "location": "x"}
    # Convening a meeting still to come happens when it is entered: no occurred_on.
    dispute_lifecycle.fire(d, "convene", user=office, version=d.version, as_of=ON, params={"meeting_on": ON, **meeting})
    assert d.state == DisputeState.meeting_convened and _last_history("dispute", d.id).occurred_on is None
    d2 = svc.raise_dispute(
        office,
        subject="x",
        summary="y",
        party_organisation_ids=[demo.org("police").id, demo.org("west").id],
        raised_on=date(2026, 11, 2),
        as_of=ON,
    )
    dispute_lifecycle.fire(d2, "determine", user=office, version=d2.version, as_of=ON, params={"determined_on": ON})
    # A meeting already held (a past date, with its outcome) happened on its date.
    later = date(2026, 11, 26)
    dispute_lifecycle.fire(
        d2,
        "convene",
        user=office,
        version=d2.version,
        as_of=later,
        params={"meeting_on": ON, "outcome": "Agreed", **meeting},
    )
    assert d2.state == DisputeState.meeting_held and _last_history("dispute", d2.id).occurred_on == ON
    # Resolved with the date left out: the day it fires.
    dispute_lifecycle.fire(d2, "resolve", user=office, version=d2.version, as_of=later, params={"resolution": "Done"})
    h = _last_history("dispute", d2.id)
    assert d2.closed_on == later and h.occurred_on == later and h.data["resolved_on"] == later.isoformat()


def test_lifecycles_that_do_not_say_keep_no_occurred_on(demo):
    org = OrganisationFactory(state=PartnershipState.proposed, joined_on=None)
    partnership_lifecycle.fire(
        org, "admit", user=demo.user("office"), version=org.version, params={"joined_on": date(2026, 11, 2)}
    )
    assert _last_history("organisation", org.id).occurred_on is None


def test_the_page_fills_an_optional_date_in_with_today(client_as, demo):
    d = db.session.get(Dispute, demo.id("disputes", "awaiting_meeting"))
    page = client_as("office").get(f"/workflow/dispute/{d.id}/withdraw").text
    for part, value in (("day", "03"), ("month", "12"), ("year", "2026")):
        assert f'id="withdrawn_on-{part}" name="withdrawn_on" type="text" value="{value}"' in page
