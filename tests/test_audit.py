"""Every change leaves an append-only audit row: who, what, when, before and after."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DatabaseError

from safeguarding.extensions import db
from safeguarding.models import AuditEntry, OrganisationKind, Role
from safeguarding.services import accounts, audit
from safeguarding.services import partnership as svc


def _entries(entity_type, entity_id):
    return db.session.scalars(
        sa.select(AuditEntry)
        .where(AuditEntry.entity_type == entity_type, AuditEntry.entity_id == str(entity_id))
        .order_by(AuditEntry.id)
    ).all()


def test_create_and_update_are_audited_with_before_and_after(demo):
    with audit.acting_as("office@demo.test", demo.user("office").id):
        org = svc.create_organisation(name="Schools Forum", short_name="Schools", kind=OrganisationKind.education)
        svc.update_organisation(org, version=org.version, short_name="Education")
    create, update = _entries("organisations", org.id)
    assert create.action == "create" and create.changes["name"] == "Schools Forum"
    assert create.actor_id == demo.user("office").id and create.actor_label == "office@demo.test"
    assert update.action == "update"
    assert update.changes == {"short_name": {"before": "Schools", "after": "Education"}}


def test_changes_through_pages_name_the_signed_in_user(client_as, demo):
    org = demo.org("healthwatch")
    client_as("office").post(
        f"/organisations/{org.id}/edit",
        data={"version": org.version, "name": org.name, "short_name": "HW", "kind": "healthwatch", "area": "both"},
    )
    last = _entries("organisations", org.id)[-1]
    assert last.actor_label == "office@demo.test" and last.changes["short_name"]["after"] == "HW"


def test_secrets_are_never_written_to_the_log(demo):
    user = accounts.create_user(email="new.person@example.test", password="a-long-password-1", roles=[Role.viewer])
    accounts.change_password(user, current="a-long-password-1", new="another-long-password")
    for entry in _entries("users", user.id):
        text = str(entry.changes)
        assert "argon2" not in text and "a-long-password" not in text
    assert _entries("users", user.id)[-1].changes == {"password_hash": "(changed)"}


def test_the_log_refuses_updates_and_deletes_in_the_orm(demo):
    entry = db.session.scalars(sa.select(AuditEntry).limit(1)).one()
    entry.action = "tampered"
    with pytest.raises(RuntimeError, match="append-only"):
        db.session.flush()
    db.session.rollback()


@pytest.mark.parametrize(
    "statement", ["UPDATE audit_log SET action = 'tampered'", "DELETE FROM audit_log", "DELETE FROM workflow_history"]
)
def test_the_database_refuses_updates_and_deletes(statement):
    savepoint = db.session.begin_nested()
    with pytest.raises(DatabaseError, match="append-only"):
        db.session.execute(sa.text(statement))
    savepoint.rollback()


def test_the_office_can_read_the_audit_log_and_no_one_else(client_as, demo):
    org = demo.org("fire")
    page = client_as("office").get(f"/audit?type=organisations&id={org.id}").text
    assert "transition:admit" in page
    assert "system: demo data" in page
    assert client_as("admin").get("/audit").status_code == 403
    assert client_as("chair").get("/audit").status_code == 403
    assert client_as("office").get("/audit?on=not-a-date").status_code == 400


def test_audit_log_filters_by_actor_and_day(client_as, demo):
    c = client_as("office")
    c.post(
        f"/organisations/{demo.org('vcs').id}/edit",
        data={
            "version": demo.org("vcs").version,
            "name": "County Voluntary Sector Forum",
            "short_name": "VCS",
            "kind": "voluntary_sector",
            "area": "both",
        },
    )
    page = c.get("/audit?actor=office@demo").text
    assert "short name" in page and "Voluntary Sector → VCS" in page
    from datetime import UTC, datetime

    from safeguarding.calendar import LONDON

    # the entry's day by the real clock (the suite pins calendar.today(), not timestamps)
    day = datetime.now(UTC).astimezone(LONDON).date()
    assert "Voluntary Sector → VCS" in c.get(f"/audit?on={day.isoformat()}").text
    assert "Voluntary Sector → VCS" not in c.get("/audit?on=2020-01-01").text
