"""Deny by default: every route declares who may use it. What each role may do at each
route is tests/test_access_table.py's table, written from docs/domain.md."""

from __future__ import annotations

from safeguarding import access
from safeguarding.extensions import db
from safeguarding.models import Role

# Endpoints that hold no rule of ours because a library owns them; each is declared.
DECLARED = {"static", "api-docs.openapi_json"}


def _routes(app):
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


def test_every_route_declares_who_may_use_it(app):
    missing = []
    for rule, method in _routes(app):
        if access.rule_for(app, rule.endpoint, method) is None:
            missing.append(f"{method} {rule.rule} ({rule.endpoint})")
    assert not missing, "routes without an access rule:\n" + "\n".join(missing)


def test_an_endpoint_without_a_rule_is_refused(database_url, tmp_path):
    from tests.support.databases import build_app

    other = build_app(database_url, tmp_path)

    @other.route("/__test/unruled")
    def unruled():
        return "should never be served"

    @other.route("/__test/public")
    @access.public
    def ruled():
        return "served"

    @other.route("/__test/nobody")
    @access.nobody
    def nobody():
        return "should never be served"

    c = other.test_client()
    try:
        assert c.get("/__test/unruled").status_code == 403
        assert c.get("/__test/public").status_code == 200
        assert "/sign-in" in c.get("/__test/nobody").headers["Location"]  # and no one signed in gets further
    finally:
        with other.app_context():
            db.engine.dispose()


def test_every_role_has_a_demo_account(demo):
    held = set()
    for key in ("office", "chair", "police", "icb", "north", "west", "sarchair", "viewer", "admin", "scrutineer"):
        held |= demo.user(key).roles
    assert held == set(Role)


def test_a_post_may_need_narrower_roles_than_the_page(app):
    """`roles(..., post=...)`: a page's GET for its readers, its POST for fewer."""
    get, post = access.rule_for(app, "meetings.attendance", "GET"), access.rule_for(app, "meetings.attendance", "POST")
    assert post.roles == {Role.business_office} and post.roles < get.roles


def test_nobody_is_refused_to_every_role(app):
    every_role = type("AllRoles", (), {"is_authenticated": True, "roles": set(Role)})()
    assert not access.NOBODY.allows(every_role) and access.NOBODY.describe() == "nobody"
    assert access.rule_for(app, "meetings_api.chair_action_transitions", "POST") == access.NOBODY
