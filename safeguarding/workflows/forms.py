"""The page form for a trigger, built from its `Param`s (the API schema is built from
the same declaration in base.py, so the two cannot drift)."""

from __future__ import annotations

from typing import Any

from wtforms import HiddenField, IntegerField, RadioField, StringField, TextAreaField
from wtforms.validators import Optional

from safeguarding.calendar import today
from safeguarding.forms import (
    DateField,
    FlaskForm,
    GovRadioInput,
    GovTextArea,
    GovTextInput,
    MoneyField,
    Required,
)
from safeguarding.workflows.base import Transition


class _TriggerForm(FlaskForm):
    version = HiddenField()


def trigger_form_class(spec: Transition) -> type[FlaskForm]:
    attrs: dict[str, Any] = {}
    for p in spec.params:
        validators = [Required(p.missing_message)] if p.required else [Optional()]
        kw: dict[str, Any] = {"validators": validators, "description": p.hint or ""}
        if p.kind == "text":
            attrs[p.name] = StringField(p.label, widget=GovTextInput(), **kw)
        elif p.kind == "textarea":
            attrs[p.name] = TextAreaField(p.label, widget=GovTextArea(), **kw)
        elif p.kind == "date":
            what = p.label[0].lower() + p.label[1:]
            if p.default_today:  # filled in with today; left blank, it is today too
                kw["default"] = today
            attrs[p.name] = DateField(p.label, what=what, **kw)
        elif p.kind == "choice":
            attrs[p.name] = RadioField(p.label, choices=list(p.choices), widget=GovRadioInput(), **kw)
        elif p.kind == "bool":
            attrs[p.name] = RadioField(p.label, choices=[("yes", "Yes"), ("no", "No")], widget=GovRadioInput(), **kw)
        elif p.kind == "int":
            attrs[p.name] = IntegerField(p.label, widget=GovTextInput(), **kw)
        elif p.kind == "money":
            attrs[p.name] = MoneyField(p.label, what=p.label[0].lower() + p.label[1:], **kw)
    if spec.comment:
        validators = (
            [Required(f"Enter {spec.comment_label[0].lower() + spec.comment_label[1:]}")]
            if spec.comment == "required"
            else [Optional()]
        )
        attrs["comment"] = TextAreaField(spec.comment_label, validators=validators, widget=GovTextArea())
    return type(f"{spec.trigger.title().replace('_', '')}Form", (_TriggerForm,), attrs)


def form_params(spec: Transition, form: FlaskForm) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for p in spec.params:
        value = getattr(form, p.name).data
        if p.kind == "bool" and value is not None:
            value = {"yes": True, "no": False}.get(value)
        out[p.name] = value
    return out
