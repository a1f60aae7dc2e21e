"""One shared way to give a model a lifecycle.

A lifecycle declares, once: its states, its transitions (trigger, from, to), which roles
may fire each trigger, the guards that refuse with a human-readable reason, the fields a
trigger asks for (as `Param`s, from which both the page form and the API schema are
built), and what each transition does to the record. `Lifecycle.fire` then

- checks the role (and any per-record permission) → `Forbidden` (403),
- checks the version the caller saw → `StaleVersion` (409),
- checks the current state → `Conflict` (409),
- validates the fields and runs the guards → `ValidationFailed` (422, with reasons),
- changes the state column through a shared `transitions.Machine`, applies the fields,
  writes a `WorkflowHistory` row and runs side effects — all in the caller's database
  transaction, so a failure leaves nothing behind.

The machine is built once per lifecycle with `model=None`; each fire borrows it for a
small wrapper around the row (`add_model(..., initial=row.state)`, trigger,
`remove_model`). See ../shared/docs/architecture.md for why.
"""

from __future__ import annotations

import contextlib
import enum
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any, Literal

import sqlalchemy as sa
from marshmallow import Schema, validate
from sqlalchemy.orm.exc import StaleDataError
from transitions import Machine, MachineError

from safeguarding.api import fields
from safeguarding.calendar import today as calendar_today
from safeguarding.extensions import db
from safeguarding.models.accounts import User
from safeguarding.models.audit import WorkflowHistory
from safeguarding.models.enums import Role
from safeguarding.models.people import Person
from safeguarding.services import audit
from safeguarding.services.errors import Conflict, Forbidden, StaleVersion, ValidationFailed

ParamKind = Literal["text", "textarea", "date", "choice", "bool", "int", "money"]


@dataclass(frozen=True)
class Param:
    """A field a trigger asks for. `message` is the GOV.UK error when it is missing."""

    name: str
    kind: ParamKind
    label: str
    required: bool = True
    message: str | None = None
    hint: str | None = None
    choices: tuple[tuple[str, str], ...] = ()
    # An optional date that is the day the trigger fires when left out (the page fills it
    # in with today): for "the date it happened", entered the same day or later.
    default_today: bool = False

    @property
    def missing_message(self) -> str:
        if self.message:
            return self.message
        verb = "Select" if self.kind in ("choice", "bool") else "Enter"
        return f"{verb} {self.label[0].lower() + self.label[1:]}"


@dataclass
class TransitionContext:
    """What guards, `apply` and `after` hooks see."""

    row: Any
    user: Any | None
    trigger: str
    source: str
    dest: str
    params: dict[str, Any]
    comment: str | None
    as_of: date

    @property
    def actor_roles(self) -> frozenset[Role]:
        return frozenset(self.user.roles) if self.user is not None else frozenset()


Guard = Callable[[TransitionContext], str | None]
_RULE_KINDS = ("permission", "guard", "effect", "branch")
Hook = Callable[[TransitionContext], None]


@dataclass(frozen=True)
class Transition:
    trigger: str
    source: str | Sequence[str]
    dest: str
    roles: frozenset[Role] | Iterable[Role]
    label: str
    guards: Sequence[Guard | str] = ()
    params: Sequence[Param] = ()
    comment: Literal["required", "optional"] | None = "optional"
    comment_label: str = "Comment"
    # Per-record permission on top of the role (e.g. "a party to this dispute"), and what
    # the transition does: a function, or the name of one the feature's service registers
    # (`lifecycle.permission(name)`, `lifecycle.effect(name)`), so that a lifecycle needs
    # nothing from services: the arrow points services → workflows.
    allowed: Callable[[Any, Any], bool] | str | None = None
    apply: Hook | str | None = None
    after: Hook | str | None = None
    destructive: bool = False
    # Ask for confirmation on a page even when there are no fields.
    confirm: str | None = None
    # A decision with more than one outcome (commission a review or not): `branch(ctx)`
    # names the destination, `dest` or one of `alternatives`, from the trigger's fields.
    alternatives: Sequence[str] = ()
    branch: Callable[[TransitionContext], str] | str | None = None
    # When the event happened, for one that may have happened outside the service before
    # it was entered (a dispute determined at Tuesday's Board, typed in on Friday): the
    # name of a date param, or `fn(ctx) -> date | None`. The history row keeps it as
    # `occurred_on` beside `at`, the time it was entered. None: it happened when entered.
    occurred: str | Callable[[TransitionContext], date | None] | None = None

    @property
    def dests(self) -> tuple[str, ...]:
        return (self.dest, *self.alternatives)

    @cached_property  # the transition is frozen: worked out once, not per row and user
    def sources(self) -> tuple[str, ...]:
        return (self.source,) if isinstance(self.source, str) else tuple(self.source)

    @cached_property
    def role_set(self) -> frozenset[Role]:
        return frozenset(self.roles)

    @property
    def needs_form(self) -> bool:
        return bool(self.params) or self.comment == "required" or self.confirm is not None


@dataclass(frozen=True)
class TriggerOption:
    trigger: str
    label: str
    needs_form: bool
    destructive: bool


class _Bound:
    """The object the shared machine drives: a row plus what this firing carries.

    Its `state` reads and writes the row's state column; attribute names must not
    collide with trigger names (the machine adds a method per trigger)."""

    def __init__(self, lifecycle: Lifecycle, ctx: TransitionContext) -> None:
        self._lc = lifecycle
        self._ctx = ctx
        self._refusals: list[str] = []

    @property
    def state(self) -> str:
        return _value(getattr(self._ctx.row, self._lc.state_attr))

    @state.setter
    def state(self, value: str) -> None:
        if self.state != value:
            setattr(self._ctx.row, self._lc.state_attr, self._lc.states(value))

    def _goes_to(self, event: Any) -> bool:
        return bool(self._ctx.dest == event.transition.dest)

    def _check_guards(self, event: Any) -> bool:
        spec = self._lc.transitions[event.event.name]
        self._refusals = [r for g in spec.guards if (r := self._lc._rule("guard", g)(self._ctx))]
        return not self._refusals

    def _apply(self, event: Any) -> None:
        spec = self._lc.transitions[event.event.name]
        if spec.apply:
            self._lc._hook(spec.apply)(self._ctx)

    def _record(self, event: Any) -> None:
        self._lc._record(self._ctx)


def _value(state: Any) -> str:
    return state.value if isinstance(state, enum.Enum) else str(state)


class Lifecycle:
    """A lifecycle bound to one model's state column."""

    registry: dict[str, Lifecycle] = {}

    def __init__(
        self,
        name: str,
        model: type,
        states: type[enum.StrEnum],
        transitions: Sequence[Transition],
        *,
        initial: str,
        state_attr: str = "state",
        noun: str = "record",
        loader: Callable[[int, Any], Any] | None = None,
        url: Callable[[Any], str] | None = None,
    ) -> None:
        self.name = name
        self.model = model
        self.states = states
        self.state_attr = state_attr
        self.noun = noun
        self.loader = loader
        self.url = url
        self.transitions: dict[str, Transition] = {}
        for t in transitions:
            if t.trigger in self.transitions:
                raise ValueError(f"{name}: trigger {t.trigger} declared twice")
            for s in (*t.sources, *t.dests):
                states(s)  # a typo in a state name fails at import
            if t.alternatives and t.branch is None:
                raise ValueError(f"{name}: {t.trigger} has alternative destinations but no branch")
            if isinstance(t.occurred, str) and not any(p.name == t.occurred and p.kind == "date" for p in t.params):
                raise ValueError(f"{name}: {t.trigger} names {t.occurred!r} as its date but has no such date param")
            self.transitions[t.trigger] = t
        self._lock = threading.Lock()
        self.machine = Machine(
            model=None,
            states=[s.value for s in states],
            initial=initial,
            transitions=[
                {
                    "trigger": t.trigger,
                    "source": list(t.sources),
                    "dest": dest,
                    # A branching trigger has one machine transition per destination;
                    # only the one its fields chose runs the guards.
                    "conditions": ["_goes_to", "_check_guards"] if t.alternatives else ["_check_guards"],
                    "before": ["_apply"],
                    "after": ["_record"],
                }
                for t in transitions
                for dest in t.dests
            ],
            auto_transitions=False,
            send_event=True,
            model_attribute="state",
        )
        # Named rules the feature registers: kind ("permission", "guard", "effect",
        # "branch") → name → function.
        self._named: dict[str, dict[str, Callable[..., Any]]] = {kind: {} for kind in _RULE_KINDS}
        Lifecycle.registry[name] = self

    # --- what features register -----------------------------------------------------------

    def serve(
        self, *, loader: Callable[[int, Any], Any] | None = None, url: Callable[[Any], str] | None = None
    ) -> None:
        """How the generic pages and API find a record (`loader(id, user)`, which also
        checks that the user may see it) and link to it (`url(row)`): registered by the
        feature (its service and its blueprint), not known to the lifecycle."""
        if loader is not None:
            self.loader = loader
        if url is not None:
            self.url = url

    def _register(self, kind: str, name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        def register(fn: Callable[..., Any]) -> Callable[..., Any]:
            self._named[kind][name] = fn
            return fn

        return register

    def permission(self, name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Register `fn(row, user) -> bool` as the per-record permission called `name`."""
        return self._register("permission", name)

    def guard(self, name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Register `fn(ctx) -> reason | None` as the guard called `name`."""
        return self._register("guard", name)

    def effect(self, name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Register `fn(ctx)` as the effect called `name` (a transition's `apply` or `after`)."""
        return self._register("effect", name)

    def branch(self, name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Register `fn(ctx) -> destination` as the branch called `name`."""
        return self._register("branch", name)

    def _rules_named(self, t: Transition) -> list[tuple[str, str]]:
        named: list[tuple[str, object]] = [
            ("permission", t.allowed),
            ("effect", t.apply),
            ("effect", t.after),
            ("branch", t.branch),
        ]
        named += [("guard", g) for g in t.guards]
        return [(kind, rule) for kind, rule in named if isinstance(rule, str)]

    @classmethod
    def unwired(cls) -> list[str]:
        """What no feature has registered: named rules, loaders, links. create_app refuses
        to start while anything is missing."""
        missing = []
        for lc in cls.registry.values():
            if lc.loader is None or lc.url is None:
                missing.append(f"{lc.name}: no loader or url (lifecycle.serve)")
            for t in lc.transitions.values():
                missing += [
                    f"{lc.name}.{t.trigger}: {kind} {name!r}"
                    for kind, name in lc._rules_named(t)
                    if name not in lc._named[kind]
                ]
        return missing

    def _rule(self, kind: str, rule: Any) -> Any:
        """A transition's rule: the function itself, or the one registered under its name."""
        if not isinstance(rule, str):
            return rule
        if rule not in self._named[kind]:
            raise LookupError(f"{self.name}: no {kind} {rule!r} is registered (import its service)")
        return self._named[kind][rule]

    def _permission(self, allowed: Any) -> Callable[[Any, Any], bool]:
        permission: Callable[[Any, Any], bool] = self._rule("permission", allowed)
        return permission

    def _hook(self, hook: Any) -> Hook:
        effect: Hook = self._rule("effect", hook)
        return effect

    # --- what a user may do ---------------------------------------------------------------

    def state_of(self, row: Any) -> str:
        return _value(getattr(row, self.state_attr))

    def done_message(self, row: Any) -> str:
        """What a page says after a trigger fired, in plain English: "Saved. The minutes'
        status is now ‘Approved’."."""
        state = self.states(self.state_of(row))
        label = getattr(state, "label", str(state).replace("_", " ").capitalize())
        owner = f"{self.noun}'" if self.noun.endswith("s") else f"{self.noun}'s"
        return f"Saved. The {owner} status is now ‘{label}’."

    def may_fire(self, row: Any, user: Any, trigger: str) -> bool:
        spec = self.transitions.get(trigger)
        if spec is None or user is None or not getattr(user, "is_authenticated", False):
            return False
        if self.state_of(row) not in spec.sources:
            return False
        if not spec.role_set.intersection(user.roles):
            return False
        return spec.allowed is None or bool(self._permission(spec.allowed)(row, user))

    def options(self, row: Any, user: Any) -> list[TriggerOption]:
        if user is None or not getattr(user, "is_authenticated", False):
            return []
        state, roles = self.state_of(row), user.roles  # once, not once per trigger
        return [
            TriggerOption(t.trigger, t.label, t.needs_form, t.destructive)
            for t in self.transitions.values()
            if state in t.sources
            and t.role_set.intersection(roles)
            and (t.allowed is None or bool(self._permission(t.allowed)(row, user)))
        ]

    def available_triggers(self, row: Any, user: Any) -> list[str]:
        return [o.trigger for o in self.options(row, user)]

    # --- firing ---------------------------------------------------------------------------

    def fire(
        self,
        row: Any,
        trigger: str,
        *,
        user: Any | None,
        version: int | None = None,
        params: dict[str, Any] | None = None,
        comment: str | None = None,
        as_of: date | None = None,
        system: bool = False,
    ) -> Any:
        """Fire `trigger` on `row` as `user` (or as the system, for scheduled jobs)."""
        acting = audit.acting_as(user.email, user.id) if user is not None else contextlib.nullcontext()
        with acting:
            return self._fire(
                row, trigger, user=user, version=version, params=params, comment=comment, as_of=as_of, system=system
            )

    def _fire(
        self,
        row: Any,
        trigger: str,
        *,
        user: Any | None,
        version: int | None,
        params: dict[str, Any] | None,
        comment: str | None,
        as_of: date | None,
        system: bool,
    ) -> Any:
        spec = self.transitions.get(trigger)
        if spec is None:
            raise ValidationFailed(reasons=[f"There is no action called {trigger!r} for a {self.noun}"])
        if not system:
            if (
                user is None
                or not spec.role_set.intersection(user.roles)
                or (spec.allowed is not None and not self._permission(spec.allowed)(row, user))
            ):
                raise Forbidden(f"You do not have permission to {spec.label.lower()}")
            if version is None:
                raise ValidationFailed(errors={"version": "Give the version of the record you are changing"})
        if version is not None and version != row.version:
            raise StaleVersion()
        source = self.state_of(row)
        if source not in spec.sources:
            raise Conflict(f"You cannot {spec.label.lower()} when the {self.noun} is {source.replace('_', ' ')}")
        comment = (comment or "").strip() or None
        on = as_of or calendar_today()
        clean = self._validate(spec, params or {}, comment, on)
        ctx = TransitionContext(
            row=row,
            user=user,
            trigger=trigger,
            source=source,
            dest=spec.dest,
            params=clean,
            comment=comment,
            as_of=on,
        )
        if spec.branch is not None:
            ctx.dest = self._rule("branch", spec.branch)(ctx)
            if ctx.dest not in spec.dests:  # pragma: no cover - a programming error
                raise ValueError(f"{self.name}: {trigger} cannot go to {ctx.dest}")
        bound = _Bound(self, ctx)
        with self._lock:
            self.machine.add_model(bound, initial=source)
            try:
                fired = getattr(bound, trigger)()
            except MachineError as exc:  # pragma: no cover - the state was checked above
                raise Conflict(str(exc.value)) from exc
            finally:
                self.machine.remove_model(bound)
        if not fired:
            raise ValidationFailed(f"You cannot {spec.label.lower()} yet", reasons=bound._refusals)
        try:
            db.session.flush()
        except StaleDataError as exc:
            raise StaleVersion() from exc
        return row

    def _validate(
        self, spec: Transition, params: dict[str, Any], comment: str | None, on: date | None = None
    ) -> dict[str, Any]:
        errors: dict[str, str] = {}
        if spec.comment == "required" and not comment:
            errors["comment"] = f"Enter {spec.comment_label[0].lower() + spec.comment_label[1:]}"
        clean: dict[str, Any] = {}
        for p in spec.params:
            value = params.get(p.name)
            if isinstance(value, str):
                value = value.strip() or None
            if value is None or value == []:
                if p.required:
                    errors[p.name] = p.missing_message
                clean[p.name] = (on or calendar_today()) if p.default_today else None
                continue
            if p.kind == "choice" and p.choices and str(value) not in {c for c, _ in p.choices}:
                errors[p.name] = p.missing_message
                continue
            if p.kind == "date" and not isinstance(value, date):
                errors[p.name] = f"{p.label} must be a real date"
                continue
            if p.kind in ("int", "money") and (isinstance(value, bool) or not isinstance(value, int)):
                errors[p.name] = f"{p.label} must be a whole number" if p.kind == "int" else f"Enter {p.label.lower()}"
                continue
            if p.kind in ("int", "money") and isinstance(value, int) and value < 0:
                errors[p.name] = f"{p.label} must be 0 or more"
                continue
            clean[p.name] = value
        if errors:
            raise ValidationFailed(errors=errors)
        return clean

    def _record(self, ctx: TransitionContext) -> None:
        actor = audit.current_actor()
        db.session.add(
            WorkflowHistory(
                lifecycle=self.name,
                entity_id=ctx.row.id,
                trigger=ctx.trigger,
                from_state=ctx.source,
                to_state=ctx.dest,
                actor_id=actor.user_id,
                actor_label=actor.label,
                comment=ctx.comment,
                data={k: audit._plain(v) for k, v in ctx.params.items() if v is not None},
                occurred_on=self.occurred_on(ctx),
            )
        )
        audit.mark_action(ctx.row, f"transition:{ctx.trigger}")
        spec = self.transitions[ctx.trigger]
        if spec.after:
            self._hook(spec.after)(ctx)

    def occurred_on(self, ctx: TransitionContext) -> date | None:
        """The day the transition's event happened (`Transition.occurred`), when its trigger
        says (None when it says the event happened as it was entered); for a trigger that
        does not say, the day it was fired as of when that is past (an import of a stage
        reached in 2024, a job backfilled for last Tuesday); None otherwise."""
        occurred = self.transitions[ctx.trigger].occurred
        if occurred is None:
            return ctx.as_of if ctx.as_of < calendar_today() else None
        value = ctx.params.get(occurred) if isinstance(occurred, str) else occurred(ctx)
        return value if isinstance(value, date) else None

    def history(self, entity_id: int) -> list[WorkflowHistory]:
        """The record's steps in order, each with the name of the person who took it (one
        query)."""
        rows = db.session.execute(
            sa.select(WorkflowHistory, Person.name)
            .outerjoin(User, User.id == WorkflowHistory.actor_id)
            .outerjoin(Person, Person.id == User.person_id)
            .where(WorkflowHistory.lifecycle == self.name, WorkflowHistory.entity_id == entity_id)
            .order_by(WorkflowHistory.at, WorkflowHistory.id)
        ).all()
        for h, name in rows:
            setattr(h, "actor_name", name)  # noqa: B010 - not a mapped column
        return [h for h, _ in rows]

    # --- interfaces: the API schema and the page form for a trigger's fields -------------

    def params_schema(self, trigger: str) -> type[Schema]:
        spec = self.transitions[trigger]
        return params_schema(spec)


_schemas: dict[int, type[Schema]] = {}


def params_schema(spec: Transition) -> type[Schema]:
    """A marshmallow schema for the API body of one trigger (plus trigger/version/comment)."""
    cached = _schemas.get(id(spec))
    if cached is not None:
        return cached
    attrs: dict[str, Any] = {}
    for p in spec.params:
        kw: dict[str, Any] = {"required": False, "allow_none": True, "metadata": {"description": p.label}}
        if p.kind in ("text", "textarea"):
            attrs[p.name] = fields.String(**kw)
        elif p.kind == "date":
            attrs[p.name] = fields.Date(**kw)
        elif p.kind == "choice":
            attrs[p.name] = fields.String(validate=validate.OneOf([c for c, _ in p.choices]), **kw)
        elif p.kind == "bool":
            attrs[p.name] = fields.Boolean(**kw)
        elif p.kind == "int":
            attrs[p.name] = fields.Integer(strict=True, **kw)
        elif p.kind == "money":
            attrs[p.name] = fields.Integer(
                strict=True, metadata={"description": f"{p.label}, in pence"}, required=False, allow_none=True
            )
    schema = Schema.from_dict(attrs, name=f"{spec.trigger.title().replace('_', '')}Params")
    _schemas[id(spec)] = schema
    return schema


@dataclass
class TriggerRequest:
    trigger: str
    version: int | None
    comment: str | None
    params: dict[str, Any] = field(default_factory=dict)
