"""Meeting pages: the blueprint, who may use which pages, and what the pages share."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, url_for

from safeguarding import nav
from safeguarding.extensions import db
from safeguarding.forms import error_summary
from safeguarding.models import Group, Meeting, Role
from safeguarding.web import choices
from safeguarding.workflows.meetings import chair_action_lifecycle, meeting_lifecycle, minutes_lifecycle

bp = Blueprint("meetings", __name__)
meeting_lifecycle.serve(url=lambda m: url_for("meetings.meeting", meeting_id=m.id))
minutes_lifecycle.serve(url=lambda m: url_for("meetings.minutes", minutes_id=m.id))
chair_action_lifecycle.serve(url=lambda a: url_for("meetings.chair_action", action_id=a.id))

OFFICE = (Role.business_office,)
OFFICE_OR_CHAIR = (Role.business_office, Role.independent_chair)
MEMBERS = (Role.partner_member, Role.subgroup_chair)
READERS = (*OFFICE_OR_CHAIR, *MEMBERS)
MINUTES_READERS = (*READERS, Role.viewer)

nav.add("Meetings", "meetings.index", order=30, section=("meetings",), group="Meetings")
nav.add("Minutes", "meetings.minutes_list", order=35, section=("meetings.minutes",), group="Meetings")

STATE_COLOURS = {
    "scheduled": "blue",
    "papers_published": "light-blue",
    "in_session": "green",
    "closed": "grey",
    "cancelled": "red",
    "inquorate": "orange",
}
MINUTES_COLOURS = {"draft": "grey", "submitted": "yellow", "approved": "light-blue", "ratified": "green"}


def _summary(form, extra=None):
    return error_summary(form, extra) if (form.errors or extra) else None


def _group_choices(blank: str = "Select a group"):
    return choices(
        db.session.scalars(sa.select(Group).where(Group.active.is_(True)).order_by(Group.kind, Group.name)), blank=blank
    )


def _meeting_url(meeting: Meeting) -> str:
    return url_for("meetings.meeting", meeting_id=meeting.id)
