"""What a password change and a role change do to an account's other ways in."""

from __future__ import annotations

import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import OutboxMessage, Role, User
from safeguarding.services import accounts
from tests.support.factories import UserFactory


def _granted_emails() -> list[OutboxMessage]:
    return list(db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == "role_granted")))


def test_changing_the_password_ends_every_other_session_and_token(client_as, api_as):
    user = UserFactory(
        email="changer@example.test", password_hash=accounts.hash_password("old-password-123"), roles=[Role.viewer]
    )
    here, elsewhere = client_as(user), client_as(user)
    token = api_as(user)
    assert elsewhere.get("/home").status_code == 200 and token.get("/api/v1/me").status_code == 200

    r = here.post(
        "/account/password",
        data={
            "current_password": "old-password-123",
            "new_password": "a-long-new-password",
            "confirm_password": "a-long-new-password",
        },
    )
    assert r.status_code == 302
    assert here.get("/home").status_code == 200  # the session that changed it stays
    assert elsewhere.get("/home").status_code == 302  # signed out
    assert token.get("/api/v1/me").status_code == 401  # revoked


def test_a_wrong_current_password_changes_nothing(client_as, api_as):
    user = UserFactory(
        email="keeper@example.test", password_hash=accounts.hash_password("old-password-123"), roles=[Role.viewer]
    )
    here, elsewhere, token = client_as(user), client_as(user), api_as(user)
    r = here.post(
        "/account/password",
        data={
            "current_password": "not-my-password",
            "new_password": "a-long-new-password",
            "confirm_password": "a-long-new-password",
        },
    )
    assert "Your current password is incorrect" in r.text
    assert elsewhere.get("/home").status_code == 200 and token.get("/api/v1/me").status_code == 200


def test_an_administrator_cannot_change_their_own_roles(client_as, demo):
    admin = demo.user("admin")
    c = client_as("admin")
    r = c.post(
        f"/admin/users/{admin.id}",
        data={"version": str(admin.version), "roles": ["admin", "business_office"], "organisation_id": ""},
    )
    assert r.status_code == 200
    assert "You cannot change your own roles" in r.text and "There is a problem" in r.text
    assert db.session.get(User, admin.id).roles == {Role.admin}
    assert c.get("/reviews/3").status_code in (403, 404)  # no case content
    assert _granted_emails() == []


def test_granting_a_role_that_sees_case_content_is_emailed_to_the_business_office(client_as, demo):
    viewer = demo.user("viewer")
    c = client_as("admin")
    r = c.post(
        f"/admin/users/{viewer.id}",
        data={
            "version": str(viewer.version),
            "roles": ["viewer", "partner_member"],
            "organisation_id": str(demo.org("police").id),
        },
    )
    assert r.status_code == 302
    [message] = _granted_emails()
    assert message.to_addrs == ["office@demo.test", "officer@demo.test"]  # the business office's two accounts
    assert message.subject == "A role that can see case content was granted"  # no names in the subject
    assert "viewer@demo.test" in message.body and "partner member" in message.body
    assert "admin@demo.test" in message.body


def test_granting_a_role_without_case_content_sends_nothing(client_as, demo):
    user = UserFactory(email="scrutiny@example.test", roles=[Role.viewer])
    c = client_as("admin")
    r = c.post(
        f"/admin/users/{user.id}",
        data={"version": str(user.version), "roles": ["viewer", "admin"], "organisation_id": ""},
    )
    assert r.status_code == 302
    assert _granted_emails() == []


def test_a_new_account_with_case_content_is_emailed_to_the_business_office(client_as):
    c = client_as("admin")
    r = c.post(
        "/admin/users/new",
        data={
            "email": "new.chair@example.test",
            "password": "a-temporary-password",
            "roles": ["independent_chair"],
            "organisation_id": "",
            "person_id": "",
        },
    )
    assert r.status_code == 302
    [message] = _granted_emails()
    assert "new.chair@example.test" in message.body and "independent chair" in message.body
