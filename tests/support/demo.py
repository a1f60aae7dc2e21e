"""Find the demo partnership's records by the keys the seed uses (demo/core.py)."""

from __future__ import annotations

from typing import Any

from safeguarding.extensions import db
from safeguarding.models import Group, Membership, Organisation, Person, User


class Demo:
    def __init__(self, ids: dict[str, dict[str, int]]) -> None:
        self.ids = ids

    def _get(self, model: type, kind: str, key: str) -> Any:
        try:
            return db.session.get(model, self.ids[kind][key])
        except KeyError:
            raise KeyError(f"the demo has no {kind} called {key!r}: {sorted(self.ids.get(kind, {}))}") from None

    def user(self, key: str) -> User:
        """ "office" → office@demo.test"""
        return self._get(User, "users", key.split("@")[0])

    def org(self, key: str) -> Organisation:
        return self._get(Organisation, "orgs", key)

    def person(self, key: str) -> Person:
        return self._get(Person, "people", key)

    def group(self, key: str) -> Group:
        return self._get(Group, "groups", key)

    def membership(self, group: str, person: str) -> Membership:
        return self._get(Membership, "memberships", f"{group}:{person}")

    def id(self, kind: str, key: str) -> int:
        return self.ids[kind][key]
