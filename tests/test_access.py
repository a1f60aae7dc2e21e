"""Deny by default: every route declares who may use it, and each route answers each role
as its rule says."""

from __future__ import annotations

import re

import pytest

from safeguarding import access
from safeguarding.extensions import db
from safeguarding.models import Role, User, UserRole

ROLES = list(Role)
# Endpoints that hold no rule of ours because a library owns them; each is declared.
DECLARED = {"static", "api-docs.openapi_json"}


def _routes(app):
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


def _url(rule) -> str:
    # Every id in a path becomes 999999: a record that does not exist, so an allowed
    # request reaches the view (and 404s) while a refused one is stopped before it.
    url = re.sub(r"<int:[^>]+>", "999999", rule.rule)
    url = re.sub(r"<path:[^>]+>", "missing.txt", url)
    return re.sub(r"<[^>]+>", "missing", url)


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

    c = other.test_client()
    try:
        assert c.get("/__test/unruled").status_code == 403
        assert c.get("/__test/public").status_code == 200
    finally:
        with other.app_context():
            db.engine.dispose()


def _expectation(app, rule, method, role: Role | None) -> str:
    r = access.rule_for(app, rule.endpoint, method)
    if r.public:
        return "allowed"
    if role is None:
        return "sign-in"
    if r.roles is None or role in r.roles:
        return "allowed"
    return "refused"


@pytest.mark.parametrize("role", [None, *ROLES], ids=lambda r: r.value if r else "anonymous")
def test_each_route_answers_each_role_as_declared(app, client, client_as, demo, role):
    if role is None:
        c = client
    else:
        # A user holding exactly this one role.
        user = User(email=f"only-{role.value}@example.test", password_hash="x", active=True,
                    organisation=demo.org("police") if role == Role.partner_member else None)
        user.role_rows = [UserRole(role=role)]
        db.session.add(user)
        db.session.flush()
        c = client_as(user)
    problems = []
    for rule, method in _routes(app):
        if rule.endpoint in ("auth.sign_out",):
            continue  # would end the client's session mid-walk; tested in test_auth
        url = _url(rule)
        response = c.open(url, method=method, json={} if url.startswith("/api/") and method != "GET" else None)
        expected = _expectation(app, rule, method, role)
        status = response.status_code
        location = response.headers.get("Location", "")
        response.close()
        api = url.startswith("/api/")
        if expected == "allowed":
            ok = status not in (401, 403) and not (status == 302 and "/sign-in" in location)
        elif expected == "sign-in":
            ok = status == 401 if api else (status == 302 and "/sign-in" in location)
        else:
            ok = status == 403
        if not ok:
            problems.append(f"{method} {url}: expected {expected}, got {status}")
    assert not problems, "\n".join(problems)


def test_every_role_has_a_demo_account(demo):
    held = set()
    for key in ("office", "chair", "police", "icb", "north", "west", "sarchair", "viewer", "admin"):
        held |= demo.user(key).roles
    assert held == set(Role)
