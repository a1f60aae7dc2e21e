"""The shared workflow engine, proved on an organisation's membership of the partnership
(proposed → active → leaving → left): roles, states, versions, guards, history, audit,
one transaction, and the uniform page and API contract."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import AuditEntry, Membership, PartnershipState, WorkflowHistory
from safeguarding.services.errors import Conflict, Forbidden, StaleVersion, ValidationFailed
from safeguarding.workflows.partnership import partnership_lifecycle as lifecycle
from tests.support.factories import MembershipFactory, OrganisationFactory


@pytest.fixture
def proposed():
    return OrganisationFactory(state=PartnershipState.proposed, joined_on=None)


def _history(org):
    return db.session.scalars(
        sa.select(WorkflowHistory)
        .where(WorkflowHistory.lifecycle == "organisation", WorkflowHistory.entity_id == org.id)
        .order_by(WorkflowHistory.id)
    ).all()


def test_fire_changes_state_applies_fields_and_records_history(proposed, demo):
    office = demo.user("office")
    lifecycle.fire(
        proposed,
        "admit",
        user=office,
        version=proposed.version,
        params={"joined_on": date(2026, 11, 2)},
        comment="Agreed at the Board",
    )
    assert proposed.state == PartnershipState.active
    assert proposed.joined_on == date(2026, 11, 2)
    (h,) = _history(proposed)
    assert (h.trigger, h.from_state, h.to_state, h.actor_id, h.comment) == (
        "admit",
        "proposed",
        "active",
        office.id,
        "Agreed at the Board",
    )
    assert h.data == {"joined_on": "2026-11-02"}
    audit = db.session.scalars(
        sa.select(AuditEntry)
        .where(AuditEntry.entity_type == "organisations", AuditEntry.entity_id == str(proposed.id))
        .order_by(AuditEntry.id)
    ).all()
    assert audit[-1].action == "transition:admit"
    assert audit[-1].changes["state"] == {"before": "proposed", "after": "active"}


def test_wrong_role_is_forbidden(proposed, demo):
    with pytest.raises(Forbidden):
        lifecycle.fire(
            proposed,
            "admit",
            user=demo.user("police"),
            version=proposed.version,
            params={"joined_on": date(2026, 11, 2)},
        )
    assert proposed.state == PartnershipState.proposed
    assert _history(proposed) == []


def test_trigger_from_the_wrong_state_is_a_conflict(proposed, demo):
    with pytest.raises(Conflict) as exc:
        lifecycle.fire(proposed, "complete_leaving", user=demo.user("office"), version=proposed.version)
    assert "when the organisation is proposed" in exc.value.message


def test_stale_version_is_refused_not_lost(proposed, demo):
    with pytest.raises(StaleVersion):
        lifecycle.fire(
            proposed,
            "admit",
            user=demo.user("office"),
            version=proposed.version - 1,
            params={"joined_on": date(2026, 11, 2)},
        )
    assert proposed.state == PartnershipState.proposed


def test_concurrent_write_is_caught_by_the_version_column(proposed, demo):
    # Someone else changes the row after we loaded it: our UPDATE matches no row.
    db.session.execute(sa.text("UPDATE organisations SET version = version + 1 WHERE id = :id"), {"id": proposed.id})
    with pytest.raises(StaleVersion):
        lifecycle.fire(
            proposed,
            "admit",
            user=demo.user("office"),
            version=proposed.version,
            params={"joined_on": date(2026, 11, 2)},
        )


def test_guard_refuses_with_a_reason(demo):
    org = OrganisationFactory(state=PartnershipState.proposed, chief_executive_name=None, chief_executive_email=None)
    with pytest.raises(ValidationFailed) as exc:
        lifecycle.fire(
            org, "admit", user=demo.user("office"), version=org.version, params={"joined_on": date(2026, 11, 2)}
        )
    assert any("chief executive" in r for r in exc.value.reasons)
    assert org.state == PartnershipState.proposed
    assert _history(org) == []


def test_missing_fields_and_required_comment(demo):
    org = OrganisationFactory()
    with pytest.raises(ValidationFailed) as exc:
        lifecycle.fire(org, "give_notice", user=demo.user("office"), version=org.version, params={})
    assert exc.value.errors == {
        "comment": "Enter reason for leaving",
        "notice_given_on": "Enter date notice was given",
        "leaving_on": "Enter date the organisation will leave",
    }


def test_guards_see_the_fields(demo):
    org = OrganisationFactory()
    with pytest.raises(ValidationFailed) as exc:
        lifecycle.fire(
            org,
            "give_notice",
            user=demo.user("office"),
            version=org.version,
            comment="Merging",
            params={"notice_given_on": date(2026, 11, 20), "leaving_on": date(2026, 11, 1)},
        )
    assert exc.value.reasons == ["The leaving date must be the same as or after the date notice was given"]


def test_leaving_is_guarded_by_date_and_current_seats(demo):
    org = OrganisationFactory()
    office = demo.user("office")
    MembershipFactory(organisation=org, person__organisation=org)
    lifecycle.fire(
        org,
        "give_notice",
        user=office,
        version=org.version,
        comment="Service decommissioned",
        params={"notice_given_on": date(2026, 9, 1), "leaving_on": date(2026, 12, 31)},
    )
    with pytest.raises(ValidationFailed) as exc:
        lifecycle.fire(org, "complete_leaving", user=office, version=org.version, as_of=date(2026, 12, 1))
    assert exc.value.reasons == [
        "The organisation is not due to leave until 31 December 2026",
        "1 person still sits on groups for this organisation: end those memberships first",
    ]
    seat = db.session.scalar(sa.select(Membership).where(Membership.organisation_id == org.id))
    seat.end_date = date(2026, 12, 31)
    lifecycle.fire(org, "complete_leaving", user=office, version=org.version, as_of=date(2027, 1, 4))
    assert org.state == PartnershipState.left and org.left_on == date(2027, 1, 4)
    assert [h.trigger for h in lifecycle.history(org.id)] == ["give_notice", "complete_leaving"]


def test_a_failing_side_effect_leaves_nothing_behind(demo, monkeypatch):
    org = OrganisationFactory()
    spec = lifecycle.transitions["withdraw_notice"]
    org.state = PartnershipState.leaving
    db.session.flush()

    def boom(ctx):
        raise RuntimeError("mail server exploded")

    monkeypatch.setattr(type(spec), "after", property(lambda self: boom if self.trigger == "withdraw_notice" else None))
    savepoint = db.session.begin_nested()
    with pytest.raises(RuntimeError):
        lifecycle.fire(org, "withdraw_notice", user=demo.user("office"), version=org.version)
    savepoint.rollback()
    db.session.expire_all()
    assert org.state == PartnershipState.leaving
    assert _history(org) == []


def test_available_triggers_depend_on_role_and_state(proposed, demo):
    assert lifecycle.available_triggers(proposed, demo.user("office")) == ["admit"]
    assert lifecycle.available_triggers(proposed, demo.user("chair")) == ["admit"]
    assert lifecycle.available_triggers(proposed, demo.user("police")) == []
    active = demo.org("police")
    assert lifecycle.available_triggers(active, demo.user("office")) == ["give_notice"]
    assert lifecycle.available_triggers(active, demo.user("chair")) == []


# --- the uniform API contract ------------------------------------------------------------


def test_api_resource_shows_state_version_and_the_users_triggers(api_as, proposed):
    r = api_as("office").get(f"/api/v1/organisations/{proposed.id}")
    assert r.status_code == 200
    assert r.json["state"] == "proposed" and r.json["version"] == proposed.version
    assert r.json["available_triggers"] == ["admit"]
    assert api_as("police").get(f"/api/v1/organisations/{proposed.id}").json["available_triggers"] == []


def test_api_transition_codes(api_as, proposed):
    office = api_as("office")
    url = f"/api/v1/organisations/{proposed.id}/transitions"
    version = proposed.version
    # 403: the role may not fire it
    r = api_as("police").post(url, json={"trigger": "admit", "version": proposed.version, "joined_on": "2026-11-02"})
    assert r.status_code == 403 and r.mimetype == "application/problem+json"
    # 409: wrong state
    r = office.post(url, json={"trigger": "complete_leaving", "version": proposed.version})
    assert r.status_code == 409
    # 409: stale version
    r = office.post(url, json={"trigger": "admit", "version": proposed.version + 5, "joined_on": "2026-11-02"})
    assert r.status_code == 409 and "changed by someone else" in r.json["detail"]
    # 422: validation, with field errors
    r = office.post(url, json={"trigger": "admit", "version": proposed.version, "joined_on": "not a date"})
    assert r.status_code == 422 and "joined_on" in r.json["errors"]
    r = office.post(url, json={"trigger": "admit", "version": proposed.version})
    assert r.status_code == 422 and r.json["errors"] == {"joined_on": "Enter date the organisation joined"}
    # 422: unknown trigger, missing version
    assert office.post(url, json={"trigger": "explode", "version": proposed.version}).status_code == 422
    r = office.post(url, json={"trigger": "admit"})
    assert r.status_code == 422 and "version" in r.json["errors"]
    # 200 and the resource
    r = office.post(
        url, json={"trigger": "admit", "version": proposed.version, "joined_on": "2026-11-02", "comment": "Welcome"}
    )
    assert r.status_code == 200, r.json
    assert r.json["state"] == "active" and r.json["version"] == version + 1
    assert r.json["available_triggers"] == ["give_notice"]


def test_api_guard_refusal_is_422_with_reasons(api_as):
    org = OrganisationFactory(state=PartnershipState.proposed, chief_executive_name=None)
    r = api_as("office").post(
        f"/api/v1/organisations/{org.id}/transitions",
        json={"trigger": "admit", "version": org.version, "joined_on": "2026-11-02"},
    )
    assert r.status_code == 422
    assert any("chief executive" in reason for reason in r.json["reasons"])


def test_api_history_is_oldest_first(api_as, proposed):
    office = api_as("office")
    office.post(
        f"/api/v1/organisations/{proposed.id}/transitions",
        json={"trigger": "admit", "version": 1, "joined_on": "2026-11-02"},
    )
    office.post(
        f"/api/v1/organisations/{proposed.id}/transitions",
        json={
            "trigger": "give_notice",
            "version": 2,
            "notice_given_on": "2026-11-10",
            "leaving_on": "2027-03-31",
            "comment": "Merger",
        },
    )
    r = office.get(f"/api/v1/organisations/{proposed.id}/history")
    assert [(h["trigger"], h["from_state"], h["to_state"]) for h in r.json] == [
        ("admit", "proposed", "active"),
        ("give_notice", "active", "leaving"),
    ]
    assert r.json[1]["comment"] == "Merger" and r.json[1]["actor"] == "office@demo.test"


def test_api_unknown_record_is_404(api_as):
    r = api_as("office").post("/api/v1/organisations/999999/transitions", json={"trigger": "admit", "version": 1})
    assert r.status_code == 404 and r.mimetype == "application/problem+json"


# --- pages -------------------------------------------------------------------------------


def test_page_shows_buttons_for_the_users_triggers(client_as, demo):
    org = demo.org("police")
    page = client_as("office").get(f"/organisations/{org.id}").text
    assert "Record notice of leaving" in page
    assert "Record notice of leaving" not in client_as("chair").get(f"/organisations/{org.id}").text


def test_page_trigger_with_fields_asks_then_fires(client_as, demo):
    org = demo.org("fire")
    c = client_as("office")
    url = f"/workflow/organisation/{org.id}/give_notice"
    form = c.get(url).text
    assert "Date notice was given" in form and "Reason for leaving" in form
    r = c.post(url, data={"version": org.version, "confirmed": "1"})
    assert "There is a problem" in r.text
    assert 'href="#notice_given_on-day"' in r.text  # date errors link to the day box
    assert "Enter reason for leaving" in r.text
    r = c.post(
        url,
        data={
            "version": org.version,
            "confirmed": "1",
            "comment": "Restructure",
            "notice_given_on": ["1", "11", "2026"],
            "leaving_on": ["31", "3", "2027"],
        },
    )
    assert r.status_code == 302
    assert org.state == PartnershipState.leaving and org.leaving_on == date(2027, 3, 31)


def test_page_stale_version_is_explained(client_as, demo):
    org = demo.org("fire")
    c = client_as("office")
    r = c.post(
        f"/workflow/organisation/{org.id}/give_notice",
        data={
            "version": org.version - 1,
            "confirmed": "1",
            "comment": "x",
            "notice_given_on": ["1", "11", "2026"],
            "leaving_on": ["31", "3", "2027"],
        },
        follow_redirects=True,
    )
    assert "changed by someone else" in r.text
    assert org.state == PartnershipState.active


def test_page_trigger_refused_for_wrong_role(client_as, demo):
    org = demo.org("fire")
    r = client_as("police").get(f"/workflow/organisation/{org.id}/give_notice")
    assert r.status_code == 403


def test_named_permissions_and_effects_are_registered_by_the_feature_and_checked_at_start(proposed, demo):
    """A lifecycle names what it needs from its feature (a per-record permission, an
    effect); until the feature registers them, `unwired()` lists them (create_app refuses
    to start) and firing fails loudly rather than skipping the rule."""
    from safeguarding.models import Organisation, Role
    from safeguarding.workflows.base import Lifecycle, Transition

    lc = Lifecycle(
        "t_named_rules",
        Organisation,
        PartnershipState,
        [Transition("admit", "proposed", "active", {Role.business_office}, "Admit", allowed="t_may", apply="t_effect")],
        initial="proposed",
    )
    try:
        missing = [m for m in Lifecycle.unwired() if m.startswith("t_named_rules")]
        assert missing == [
            "t_named_rules: no loader or url (lifecycle.serve)",
            "t_named_rules.admit: permission 't_may'",
            "t_named_rules.admit: effect 't_effect'",
        ]
        org, office = proposed, demo.user("office")
        with pytest.raises(LookupError, match="no permission 't_may'"):
            lc.may_fire(org, office, "admit")

        seen = []
        lc.permission("t_may")(lambda row, user: row.id == org.id)
        lc.effect("t_effect")(lambda ctx: seen.append(ctx.trigger))
        lc.serve(loader=lambda entity_id, user: org, url=lambda row: "/somewhere")
        assert not [m for m in Lifecycle.unwired() if m.startswith("t_named_rules")]
        assert lc.may_fire(org, office, "admit")
        assert not lc.may_fire(OrganisationFactory(state=PartnershipState.proposed), office, "admit")
        lc.fire(org, "admit", user=office, version=org.version)
        assert org.state == PartnershipState.active and seen == ["admit"]
    finally:
        Lifecycle.registry.pop("t_named_rules", None)
    # The app's own lifecycles are all wired (create_app would not have started).
    assert Lifecycle.unwired() == []
