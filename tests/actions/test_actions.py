"""The shared action log: who sees and updates what, the acceptance of completion, and
closing without implementation only with a reason."""

from __future__ import annotations

import io
from datetime import date

import pytest

from safeguarding.extensions import db
from safeguarding.models import Action, ActionSource, ActionStatus
from safeguarding.services import actions as svc
from safeguarding.services.errors import Forbidden, NotFound, ValidationFailed
from safeguarding.workflows.actions import action_lifecycle as lifecycle
from tests.support.factories import GroupFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _action(demo, **kw) -> Action:
    values = dict(
        title="Update the escalation policy",
        owner_organisation_id=demo.org("police").id,
        due_date=date(2027, 1, 31),
        source_type=ActionSource.audit,
    )
    values.update(kw)
    return svc.create_action(**values)


def test_create_action_validates(demo):
    with pytest.raises(ValidationFailed) as exc:
        svc.create_action(
            title=" ", owner_organisation_id=999999, due_date=date(2027, 1, 1), source_type=ActionSource.other
        )
    assert exc.value.errors == {"title": "Enter what needs to be done"}
    with pytest.raises(ValidationFailed) as exc:
        _action(demo, owner_person_id=demo.person("icb_lead").id)
    assert exc.value.errors == {"owner_person_id": "The action's owner must work for the owning organisation"}


def test_partners_see_their_organisations_and_their_groups_actions(demo):
    police_action = _action(demo)
    icb_action = _action(demo, owner_organisation_id=demo.org("icb").id)
    board_action = _action(demo, owner_organisation_id=demo.org("acute").id, group_id=demo.group("board").id)
    other_group = GroupFactory()
    hidden = _action(demo, owner_organisation_id=demo.org("acute").id, group_id=other_group.id)
    police = demo.user("police")  # sits on the Board
    seen = {a.id for a in svc.list_actions(police, svc.ActionFilters(status=None, per_page=200))[0]}
    assert police_action.id in seen and board_action.id in seen
    assert icb_action.id not in seen and hidden.id not in seen
    with pytest.raises(NotFound):
        svc.get_action(icb_action.id, police)
    office_seen = {a.id for a in svc.list_actions(demo.user("office"), svc.ActionFilters(status=None, per_page=500))[0]}
    assert {police_action.id, icb_action.id, board_action.id, hidden.id} <= office_seen
    assert svc.list_actions(demo.user("viewer"), svc.ActionFilters(status=None))[1] == 0


def test_only_the_owner_organisation_and_office_post_progress(demo):
    action = _action(demo)
    with pytest.raises(Forbidden):
        svc.add_update(action, demo.user("icb"), text="Not ours")
    with pytest.raises(ValidationFailed) as exc:
        svc.add_update(action, demo.user("police"), text="", progress=120)
    assert set(exc.value.errors) == {"text", "progress"}
    svc.add_update(action, demo.user("police"), text="Policy redrafted", progress=50)
    assert action.status == ActionStatus.in_progress  # progress means work started
    assert [h.trigger for h in lifecycle.history(action.id)] == ["start"]


def test_completion_is_claimed_by_the_owner_and_accepted_by_the_office(demo):
    action = _action(demo)
    with pytest.raises(Forbidden):
        lifecycle.fire(action, "claim_complete", user=demo.user("icb"), version=action.version, comment="Done")
    lifecycle.fire(action, "claim_complete", user=demo.user("police"), version=action.version, comment="Done")
    with pytest.raises(Forbidden):
        lifecycle.fire(action, "accept_completion", user=demo.user("police"), version=action.version)
    lifecycle.fire(
        action, "accept_completion", user=demo.user("office"), version=action.version, as_of=date(2026, 11, 23)
    )
    assert action.status == ActionStatus.completed and action.completed_on == date(2026, 11, 23)
    with pytest.raises(ValidationFailed):
        svc.add_update(action, demo.user("police"), text="More")


def test_not_implemented_needs_a_reason_that_is_kept(demo):
    action = _action(demo)
    with pytest.raises(ValidationFailed) as exc:
        lifecycle.fire(action, "close_not_implemented", user=demo.user("chair"), version=action.version)
    assert exc.value.errors == {"comment": "Enter reason it will not be implemented"}
    lifecycle.fire(
        action,
        "close_not_implemented",
        user=demo.user("chair"),
        version=action.version,
        comment="Superseded by the national policy",
    )
    assert action.status == ActionStatus.not_implemented
    assert action.closure_reason == "Superseded by the national policy"
    lifecycle.fire(action, "reopen", user=demo.user("office"), version=action.version, comment="Policy withdrawn")
    assert action.status == ActionStatus.in_progress and action.closure_reason is None


def test_overdue(demo):
    action = _action(demo, due_date=date(2026, 1, 1))
    assert action.is_overdue(date(2026, 1, 2)) and not action.is_overdue(date(2026, 1, 1))
    assert action in svc.overdue_actions(date(2026, 11, 23))
    lifecycle.fire(action, "cancel", user=demo.user("office"), version=action.version, comment="Duplicate")
    assert not action.is_overdue(date(2026, 11, 23))


def test_action_log_page_and_filters(client_as, demo):
    c = client_as("police")
    page = c.get("/actions").text
    assert "Brief neighbourhood officers on the self-neglect pathway" in page
    assert "Overdue" in page
    # The ICB's action belongs to Quality and Performance, where the police have no seat.
    assert "Add self-neglect prompts" not in page
    assert "Add self-neglect prompts" in client_as("icb").get("/actions").text
    overdue_only = client_as("office").get("/actions?overdue=1").text
    assert "Brief neighbourhood officers" in overdue_only and "Add self-neglect prompts" not in overdue_only
    assert c.get("/actions?status=bogus").status_code == 400
    assert client_as("viewer").get("/actions").status_code == 403


def test_post_progress_with_evidence_and_download_it(client_as, demo):
    action = db.session.get(Action, demo.id("actions", "police_overdue"))
    c = client_as("police")
    r = c.post(
        f"/actions/{action.id}",
        data={
            "text": "Briefing given to 3 of 5 teams",
            "progress": "60",
            "evidence": (io.BytesIO(PDF), "briefing.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert r.status_code == 302
    (update,) = svc.updates_of(action)
    assert update.progress == 60 and update.evidence.original_name == "briefing.pdf"
    download = c.get(f"/actions/{action.id}/updates/{update.id}/evidence")
    assert download.status_code == 200 and download.data == PDF
    assert "attachment" in download.headers["Content-Disposition"]
    assert client_as("west").get(f"/actions/{action.id}/updates/{update.id}/evidence").status_code == 404


def test_evidence_must_be_a_real_document(client_as, demo):
    action = db.session.get(Action, demo.id("actions", "police_overdue"))
    r = client_as("police").post(
        f"/actions/{action.id}",
        data={"text": "See attached", "evidence": (io.BytesIO(b"MZ\x90\x00 not a pdf"), "evidence.pdf")},
        content_type="multipart/form-data",
    )
    assert "The selected file must be a PDF, Word document (DOCX) or Excel spreadsheet (XLSX)" in r.text
    assert svc.updates_of(action) == []


def test_other_organisations_cannot_post_progress_on_the_page(client_as, demo):
    action = db.session.get(Action, demo.id("actions", "icb_progress"))
    c = client_as("north")
    r = c.post(f"/actions/{action.id}", data={"text": "x"})
    assert r.status_code in (403, 404)


def test_api_actions(api_as, demo):
    police = api_as("police")
    r = police.get("/api/v1/actions?status=open&per_page=100")
    assert r.status_code == 200
    titles = {a["title"] for a in r.json["items"]}
    assert "Brief neighbourhood officers on the self-neglect pathway" in titles
    icb_id = demo.id("actions", "icb_progress")
    assert api_as("west").post(f"/api/v1/actions/{icb_id}/updates", json={"text": "x"}).status_code in (403, 404)
    r = api_as("icb").post(f"/api/v1/actions/{icb_id}/updates", json={"text": "Live in 10 practices", "progress": 70})
    assert r.status_code == 201 and r.json["progress"] == 70
    claimed = demo.id("actions", "west_claimed")
    r = api_as("office").get(f"/api/v1/actions/{claimed}")
    assert r.json["state"] == "completion_claimed"
    assert set(r.json["available_triggers"]) == {"accept_completion", "reject_completion", "close_not_implemented"}
    r = api_as("office").post(
        f"/api/v1/actions/{claimed}/transitions", json={"trigger": "reject_completion", "version": r.json["version"]}
    )
    assert r.status_code == 422 and "comment" in r.json["errors"]
