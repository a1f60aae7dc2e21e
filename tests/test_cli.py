"""Command-line tasks."""

from __future__ import annotations

import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import Role, User
from safeguarding.services import accounts


def test_create_user_prompts_for_the_password(app, demo):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["create-user", "lead@partner.example", "--role", "partner_member", "--organisation", "Police"],
        input="a-secret-password\na-secret-password\n",
    )
    assert result.exit_code == 0, result.output
    assert "a-secret-password" not in result.output
    user = db.session.scalar(sa.select(User).where(User.email == "lead@partner.example"))
    assert user.roles == {Role.partner_member} and user.organisation_id == demo.org("police").id
    assert accounts.authenticate("lead@partner.example", "a-secret-password") is not None


def test_create_user_explains_what_is_wrong(app):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["create-user", "member@partner.example", "--role", "partner_member", "--password", "short"]
    )
    assert result.exit_code != 0
    assert "Select the organisation" in result.output and "12 characters" in result.output
    result = runner.invoke(
        args=[
            "create-user",
            "x@partner.example",
            "--role",
            "viewer",
            "--organisation",
            "Nope",
            "--password",
            "long-enough-password",
        ]
    )
    assert result.exit_code != 0 and "No organisation matches" in result.output


def test_seed_demo_refuses_a_database_with_data(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code != 0 and "already has data" in result.output
    result = runner.invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0 and "demo not loaded" in result.output
