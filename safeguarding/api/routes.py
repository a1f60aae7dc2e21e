"""API endpoints that belong to no one feature: the working-day calendar."""

from __future__ import annotations

from flask_smorest import Blueprint
from marshmallow import Schema, validate

from safeguarding import access
from safeguarding.api import fields
from safeguarding.calendar import working_days

blp = Blueprint("core_api", __name__, url_prefix="/api/v1", description="Shared services")


class WorkingDaysArgs(Schema):
    from_ = fields.Date(required=True, data_key="from", metadata={"description": "Start date (not counted)"})
    days = fields.Integer(
        required=True,
        validate=validate.Range(min=0, max=2000),
        metadata={"description": "Number of working days to add"},
    )


class WorkingDaysResult(Schema):
    from_ = fields.Date(data_key="from")
    days = fields.Integer()
    date = fields.Date(metadata={"description": "The date that many working days after `from`"})
    skipped = fields.List(fields.Date(), metadata={"description": "Bank holidays and closure days passed over"})


@blp.route("/calendar/working-days")
@access.signed_in
@blp.arguments(WorkingDaysArgs, location="query")
@blp.response(200, WorkingDaysResult)
def add_working_days(args):
    """The date N working days after a date, in England (weekends, English bank holidays
    and the partnership's closure days excluded; the start date is not counted)."""
    cal = working_days()
    start, days = args["from_"], args["days"]
    result = cal.add(start, days)
    from datetime import timedelta

    skipped = []
    d = start
    while d < result:
        d += timedelta(days=1)
        if d.weekday() < 5 and not cal.is_working_day(d):
            skipped.append(d)
    return {"from_": start, "days": days, "date": result, "skipped": skipped}


class QueueItemSchema(Schema):
    key = fields.String(metadata={"description": "Stable identifier, like `reviews.decisions`"})
    heading = fields.String()
    count = fields.Integer(allow_none=True)
    href = fields.String(metadata={"description": "The page that lists them"})
    detail = fields.String()
    kind = fields.String(
        metadata={
            "description": "`due` (deadline this week or passed), `approval` (waiting "
            "for your decision), `task` (work for you or your "
            "organisation) or `info`"
        }
    )


class QueueSchema(Schema):
    items = fields.List(fields.Nested(QueueItemSchema))


@blp.route("/me/queue")
@access.signed_in
@blp.response(200, QueueSchema)
def my_queue():
    """The current user's home page items: what is due, breached or waiting for them,
    with counts and links (evaluated in one query)."""
    from flask_login import current_user

    from safeguarding import home

    return {"items": home.panels_for(current_user)}
