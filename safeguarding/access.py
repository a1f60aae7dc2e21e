"""Deny by default: every endpoint declares who may use it.

Decorate each view with one of `public`, `signed_in`, `roles(...)` or `nobody`. A request
to an endpoint without a declared rule is refused (and a test walks `app.url_map` so none
ships). A page that reads on GET and writes on POST may name narrower roles for the POST:
`roles(*READERS, post=(Role.business_office,))`. tests/test_access_table.py holds, written
by hand from domain.md, what each role may do at every route: a role refused a route gets
403 whatever the record. Rules here are about roles; whether a user may see a particular
record (their own organisation's, the reviews they need to know about) is decided in the
services, which answer 404 for records a user may not know exist.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Flask, abort, current_app, request
from flask_login import current_user

from safeguarding.models.enums import Role

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Rule:
    public: bool = False
    roles: frozenset[Role] | None = None  # None with public False: any signed-in user

    def allows(self, user: Any) -> bool:
        if self.public:
            return True
        if not user or not user.is_authenticated:
            return False
        if self.roles is None:
            return True
        return bool(self.roles.intersection(user.roles))

    def describe(self) -> str:
        if self.public:
            return "public"
        if self.roles is None:
            return "signed in"
        return ", ".join(sorted(r.value for r in self.roles)) or "nobody"


PUBLIC = Rule(public=True)
SIGNED_IN = Rule()
NOBODY = Rule(roles=frozenset())  # declared, and refused to every role

ATTR = "_access_rule"
# A narrower rule for one method of a function view (e.g. the POST of a GET/POST page).
METHOD_ATTR = "_access_rules_by_method"
# Endpoints registered by libraries rather than our decorators.
_endpoint_rules: dict[str, Rule] = {}


def _tag(rule: Rule) -> Callable[[F], F]:
    def decorator(fn: F) -> F:
        setattr(fn, ATTR, rule)
        return fn

    return decorator


def public(fn: F) -> F:
    return _tag(PUBLIC)(fn)


def signed_in(fn: F) -> F:
    return _tag(SIGNED_IN)(fn)


def nobody(fn: F) -> F:
    """An endpoint no user may use (its work is the system's), refused to every role."""
    return _tag(NOBODY)(fn)


def roles(*allowed: Role, post: Iterable[Role] | None = None) -> Callable[[F], F]:
    """Only these roles; with `post`, a POST to the view needs one of those instead."""
    if not allowed:
        raise ValueError("name at least one role")
    rule = Rule(roles=frozenset(allowed))
    if post is None:
        return _tag(rule)
    post_rule = Rule(roles=frozenset(post))
    if not post_rule.roles:
        raise ValueError("name at least one role for the POST")

    def decorator(fn: F) -> F:
        setattr(fn, ATTR, rule)
        setattr(fn, METHOD_ATTR, {"POST": post_rule})
        return fn

    return decorator


def rule_of(decorator: Callable[[F], F]) -> Rule:
    """The rule an access decorator (`signed_in`, `roles(...)`, …) declares."""

    def probe() -> None:  # pragma: no cover - never called
        return None

    return getattr(decorator(probe), ATTR)


def declare_endpoint(endpoint: str, rule: Rule) -> None:
    _endpoint_rules[endpoint] = rule


def rule_for(app: Flask, endpoint: str | None, method: str) -> Rule | None:
    if endpoint is None:
        return None
    if endpoint in _endpoint_rules:
        return _endpoint_rules[endpoint]
    view = app.view_functions.get(endpoint)
    if view is None:
        return None
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        handler = getattr(view_class, method.lower(), None)
        if handler is None and method == "HEAD":
            handler = getattr(view_class, "get", None)
        rule = getattr(handler, ATTR, None) if handler else None
        return rule or getattr(view_class, ATTR, None)
    by_method = getattr(view, METHOD_ATTR, None)
    if by_method and method in by_method:
        return by_method[method]
    return getattr(view, ATTR, None)


def is_api_request() -> bool:
    return request.path.startswith("/api/")


def enforce() -> None:
    """before_request: check the endpoint's rule."""
    if request.endpoint is None:
        return  # 404/405 handled by Flask
    rule = rule_for(current_app, request.endpoint, request.method)
    if rule is None:
        current_app.logger.error("endpoint %s has no access rule: refused", request.endpoint)
        abort(403)
    if rule.allows(current_user):
        return
    if not current_user.is_authenticated:
        abort(401)
    abort(403)


def may_open(endpoint: str, user: Any, method: str = "GET") -> bool:
    """Whether `user` may open `endpoint` (navigation shows only what the user may open)."""
    rule = rule_for(current_app, endpoint, method)
    return bool(rule and rule.allows(user))


def user_has(user: Any, allowed: Iterable[Role]) -> bool:
    return bool(user and user.is_authenticated and set(allowed) & set(user.roles))
