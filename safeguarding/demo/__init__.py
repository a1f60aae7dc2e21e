"""The demo partnership, built from the source documents through the same services users
call. Each feature adds a step; steps run in order and share a `DemoContext`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.services import audit

DEMO_PASSWORD = "demo-password-2026"


@dataclass
class DemoContext:
    orgs: dict[str, Any] = field(default_factory=dict)
    people: dict[str, Any] = field(default_factory=dict)
    groups: dict[str, Any] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)
    memberships: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


Step = Callable[[DemoContext], None]
_steps: list[tuple[int, str, Step]] = []


def step(order: int, name: str) -> Callable[[Step], Step]:
    def decorator(fn: Step) -> Step:
        _steps.append((order, name, fn))
        _steps.sort(key=lambda s: s[0])
        return fn

    return decorator


def has_data() -> bool:
    from safeguarding.models import Organisation, User

    return bool(
        db.session.scalar(sa.select(sa.func.count()).select_from(User))
        or db.session.scalar(sa.select(sa.func.count()).select_from(Organisation))
    )


def reset_database() -> None:
    """Drop every table and rebuild the schema through the migrations."""
    from flask_migrate import upgrade

    db.session.remove()
    db.drop_all()
    with db.engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
    upgrade()


def _load_steps() -> None:
    """Import every module of this package: each registers its steps."""
    import importlib
    import pkgutil

    for info in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{info.name}")


def seed() -> DemoContext:
    _load_steps()
    ctx = DemoContext()
    with audit.acting_as("system: demo data"):
        for _, _name, fn in _steps:
            fn(ctx)
            db.session.flush()
        db.session.commit()
    return ctx
