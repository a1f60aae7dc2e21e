"""The meetings API's schemas: meetings and their agenda, the register, decisions and votes,
declarations, chair's actions, minutes and amendments."""

from __future__ import annotations

from flask import url_for
from marshmallow import Schema, validate

from safeguarding.api import fields
from safeguarding.api.schemas import PageArgs, PatchSchema, workflow_fields
from safeguarding.models import (
    AgendaItemKind,
    AttendanceStatus,
    ChairActionStatus,
    DecisionMethod,
    DecisionOutcome,
    MeetingKind,
    MeetingState,
    MinutesState,
    VoteChoice,
)
from safeguarding.services import meetings as svc
from safeguarding.workflows.meetings import chair_action_lifecycle, meeting_lifecycle, minutes_lifecycle


def _enum(enum_cls, **kw):
    return fields.Enum(enum_cls, by_value=True, **kw)


# --- schemas ------------------------------------------------------------------------------


class MeetingSchema(Schema):
    id = fields.Integer(dump_only=True)
    group_id = fields.Integer(required=True)
    group = fields.String(dump_only=True, attribute="group.name")
    kind = _enum(MeetingKind, load_default=MeetingKind.ordinary)
    purpose = fields.String(
        allow_none=True,
        validate=validate.Length(max=300),
        metadata={"description": "What an extraordinary meeting is for"},
    )
    meeting_date = fields.Date(required=True)
    starts_at = fields.Time(load_default=None, metadata={"description": "Local time (Europe/London); default 10:00"})
    ends_at = fields.Time(load_default=None, metadata={"description": "Local time; default 12:00"})
    location = fields.String(allow_none=True, validate=validate.Length(max=300))
    papers_due_on = fields.Date(allow_none=True, metadata={"description": "Default: 5 working days before"})
    papers_published_on = fields.Date(dump_only=True, allow_none=True)
    late_publication_reason = fields.String(dump_only=True, allow_none=True)
    nominated_chair_person_id = fields.Integer(dump_only=True, allow_none=True)
    held = fields.Boolean(
        dump_only=True,
        attribute="is_held",
        metadata={"description": "The meeting took place (closed, or recorded as inquorate)"},
    )


MeetingResource = Schema.from_dict(
    {**MeetingSchema._declared_fields, **workflow_fields(meeting_lifecycle)}, name="MeetingResource"
)


class PaperSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    file_name = fields.String(attribute="stored_file.original_name")
    content_type = fields.String(attribute="stored_file.content_type")
    size = fields.Integer(attribute="stored_file.size")
    url = fields.Function(lambda p: url_for("meetings.paper", meeting_id=p.meeting_id, paper_id=p.id))


class AgendaItemSchema(Schema):
    id = fields.Integer(dump_only=True)
    position = fields.Integer(dump_only=True)
    title = fields.String(required=True, validate=validate.Length(min=1, max=300))
    kind = _enum(AgendaItemKind, dump_only=True)
    description = fields.String(allow_none=True)
    presenter = fields.String(allow_none=True, validate=validate.Length(max=200))
    subject_type = fields.String(dump_only=True, allow_none=True)
    subject_id = fields.Integer(dump_only=True, allow_none=True)
    group_id = fields.Integer(
        dump_only=True, allow_none=True, metadata={"description": "The sub-group of a sub-group report slot"}
    )
    withdrawn = fields.Boolean(dump_only=True)
    restricted = fields.Boolean(
        load_default=False,
        metadata={
            "description": "Confidential business (Part B): only the group's members, the office and the "
            "independent chair see the item, its papers and its minutes"
        },
    )
    papers = fields.List(fields.Nested(PaperSchema), dump_only=True)


class RestrictedSchema(Schema):
    restricted = fields.Boolean(required=True)


MeetingDetail = Schema.from_dict(
    {
        **MeetingSchema._declared_fields,
        **workflow_fields(meeting_lifecycle),
        "agenda": fields.List(fields.Nested(AgendaItemSchema)),
    },
    name="MeetingDetail",
)


class MeetingUpdateSchema(PatchSchema):
    version = fields.Integer(required=True, strict=True)
    meeting_date = fields.Date()
    starts_at = fields.Time()
    ends_at = fields.Time()
    location = fields.String(allow_none=True, validate=validate.Length(max=300))
    purpose = fields.String(allow_none=True, validate=validate.Length(max=300))
    papers_due_on = fields.Date(allow_none=True)


class SeriesSchema(Schema):
    group_id = fields.Integer(required=True)
    first_date = fields.Date(required=True)
    count = fields.Integer(load_default=6, validate=validate.Range(min=1, max=12))
    interval_months = fields.Integer(load_default=2, validate=validate.Range(min=1, max=6))
    starts_at = fields.Time(load_default=None)
    ends_at = fields.Time(load_default=None)
    location = fields.String(allow_none=True)


class MeetingArgs(PageArgs):
    group_id = fields.Integer()
    from_ = fields.Date(data_key="from", metadata={"description": "Meetings on or after this date"})
    to = fields.Date(metadata={"description": "Meetings on or before this date"})
    state = fields.String(validate=validate.OneOf([s.value for s in MeetingState]))


class AttendanceEntrySchema(Schema):
    membership_id = fields.Integer(required=True)
    status = fields.String(required=True, validate=validate.OneOf([s.value for s in AttendanceStatus]))
    deputy_person_id = fields.Integer(allow_none=True, load_default=None)
    note = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=500))
    arrived_at = fields.Time(
        allow_none=True, load_default=None, metadata={"description": "HH:MM, if they came in after the start"}
    )
    left_at = fields.Time(allow_none=True, load_default=None, metadata={"description": "HH:MM, if they left early"})


class SeatSchema(Schema):
    membership_id = fields.Integer(attribute="membership.id")
    person_id = fields.Integer(attribute="membership.person_id")
    person = fields.String(attribute="membership.person.name")
    organisation_id = fields.Integer(attribute="membership.organisation_id", allow_none=True)
    organisation = fields.Function(lambda s: s.organisation.name if s.organisation else None)
    role = fields.Function(lambda s: s.membership.role.value)
    status = fields.Function(
        lambda s: s.status.value if s.status else None,
        metadata={"description": "present, deputy_present, apologies, absent, or null (not recorded)"},
    )
    deputy_person_id = fields.Function(lambda s: s.row.deputy_person_id if s.row else None)
    arrived_at = fields.Function(lambda s: s.row.arrived_at.isoformat() if s.row and s.row.arrived_at else None)
    left_at = fields.Function(lambda s: s.row.left_at.isoformat() if s.row and s.row.left_at else None)
    represented = fields.Boolean()


class RegisterSchema(Schema):
    meeting_id = fields.Integer(attribute="meeting.id")
    quorate = fields.Boolean()
    quorum_missing = fields.List(fields.String(), metadata={"description": "What the quorum lacks, in words"})
    presiding_chair_person_id = fields.Integer(allow_none=True)
    seats = fields.List(fields.Nested(SeatSchema))


class ApologiesSchema(Schema):
    membership_id = fields.Integer(load_default=None, metadata={"description": "Default: your seat on the group"})
    deputy_person_id = fields.Integer(
        allow_none=True, load_default=None, metadata={"description": "Who attends in your place"}
    )
    note = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=500))


class VoteSchema(Schema):
    organisation_id = fields.Integer(required=True)
    vote = fields.String(required=True, validate=validate.OneOf([v.value for v in VoteChoice]))


class ValidationSchema(Schema):
    organisation_id = fields.Integer()
    validated_at = fields.DateTime(allow_none=True)
    validated_by_person_id = fields.Integer(allow_none=True)


class DecisionSchema(Schema):
    id = fields.Integer(dump_only=True)
    meeting_id = fields.Integer(dump_only=True)
    agenda_item_id = fields.Integer(required=True)
    method = _enum(DecisionMethod, required=True)
    outcome = _enum(DecisionOutcome, dump_only=True)
    text = fields.String(required=True, validate=validate.Length(min=1))
    votes = fields.List(
        fields.Nested(VoteSchema), load_default=list, metadata={"description": "One per organisation entitled to vote"}
    )
    casting_vote = fields.String(
        allow_none=True,
        load_default=None,
        validate=validate.OneOf(["for", "against"]),
        metadata={"description": "The chair's, only when the votes are tied"},
    )
    interim = fields.Boolean(load_default=False)
    decided_at = fields.Time(
        allow_none=True,
        load_default=None,
        metadata={"description": "HH:MM: quorum and the vote are checked at that time of the meeting"},
    )
    subject_type = fields.String(dump_only=True, allow_none=True)
    subject_id = fields.Integer(dump_only=True, allow_none=True)
    quorate = fields.Boolean(dump_only=True)
    votes_for = fields.Integer(dump_only=True)
    votes_against = fields.Integer(dump_only=True)
    abstentions = fields.Integer(dump_only=True)
    casting_vote_by_person_id = fields.Integer(dump_only=True, allow_none=True)
    validations = fields.List(fields.Nested(ValidationSchema), dump_only=True)
    stands = fields.Function(lambda d: svc.decision_stands(d), dump_only=True)
    recorded_at = fields.DateTime(dump_only=True)


class DeclarationSchema(Schema):
    id = fields.Integer(dump_only=True)
    meeting_id = fields.Integer(dump_only=True)
    agenda_item_id = fields.Integer(required=True)
    person_id = fields.Integer(
        allow_none=True, load_default=None, metadata={"description": "The business office only: who declared"}
    )
    organisation_id = fields.Integer(dump_only=True, allow_none=True)
    nature = fields.String(required=True, validate=validate.Length(min=1))
    declared_at = fields.DateTime(dump_only=True)


class DeclarationArgs(PageArgs):
    meeting_id = fields.Integer()


class ConsultationSchema(Schema):
    organisation_id = fields.Integer(required=True)
    consulted_on = fields.Date(required=True)
    view = fields.String(required=True)
    consulted_person_id = fields.Integer(allow_none=True, load_default=None)


class ChairActionSchema(Schema):
    id = fields.Integer(dump_only=True)
    group_id = fields.Integer(dump_only=True)
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    decision = fields.String(required=True)
    urgency = fields.String(required=True, metadata={"description": "Why it could not wait for the next meeting"})
    decided_on = fields.Date(required=True)
    decided_by_person_id = fields.Integer(dump_only=True)
    ratified_on = fields.Date(dump_only=True, allow_none=True)
    consultations = fields.List(fields.Nested(ConsultationSchema), required=True)


ChairActionResource = Schema.from_dict(
    {**ChairActionSchema._declared_fields, **workflow_fields(chair_action_lifecycle)}, name="ChairActionResource"
)


class ChairActionArgs(PageArgs):
    status = fields.String(validate=validate.OneOf([s.value for s in ChairActionStatus]))


class SectionSchema(Schema):
    agenda_item_id = fields.Integer(required=True)
    text = fields.String(required=True)
    position = fields.Integer(dump_only=True, metadata={"description": "The item's number on the agenda"})
    title = fields.String(dump_only=True, metadata={"description": "Left out for an item taken in private"})
    private = fields.Boolean(
        dump_only=True,
        metadata={"description": "Confidential business you may not see: only its number is given"},
    )


class MinutesSchema(Schema):
    id = fields.Integer(dump_only=True)
    meeting_id = fields.Integer(dump_only=True)
    meeting = fields.String(dump_only=True, attribute="meeting.name")
    submitted_on = fields.Date(dump_only=True, allow_none=True)
    approved_on = fields.Date(dump_only=True, allow_none=True)
    circulated_at = fields.DateTime(dump_only=True, allow_none=True)
    ratified_on = fields.Date(dump_only=True, allow_none=True)
    ratified_at_meeting_id = fields.Integer(dump_only=True, allow_none=True)


MinutesResource = Schema.from_dict(
    {**MinutesSchema._declared_fields, **workflow_fields(minutes_lifecycle)}, name="MinutesResource"
)
MinutesDetail = Schema.from_dict(
    {
        **MinutesSchema._declared_fields,
        **workflow_fields(minutes_lifecycle),
        "sections": fields.List(fields.Nested(SectionSchema)),
    },
    name="MinutesDetail",
)


class MinutesUpdateSchema(PatchSchema):
    version = fields.Integer(required=True, strict=True)
    sections = fields.List(
        fields.Nested(SectionSchema),
        metadata={"description": "The items' texts to change; items not listed keep theirs"},
    )


class MinutesArgs(PageArgs):
    state = fields.String(validate=validate.OneOf([s.value for s in MinutesState]))
    group_id = fields.Integer()


class AmendmentSchema(Schema):
    id = fields.Integer(dump_only=True)
    agenda_item_id = fields.Integer(allow_none=True, load_default=None)
    text = fields.String(required=True)
    reason = fields.String(required=True)
    recorded_at = fields.DateTime(dump_only=True)


class InterestReturnSchema(Schema):
    """One line of the register of interests: a Board member and their return for the year."""

    person_id = fields.Integer(metadata={"description": "The Board member (the office records for anyone)"})
    person = fields.String(dump_only=True)
    financial_year = fields.String(required=True, metadata={"description": "Like 2026-27"})
    made = fields.Boolean(dump_only=True, metadata={"description": "False: no return yet"})
    nil = fields.Boolean(load_default=False, allow_none=True, metadata={"description": "null: no return yet"})
    interests = fields.String(allow_none=True, load_default=None)
    declared_on = fields.Date(allow_none=True, load_default=None)


class InterestArgs(Schema):
    year = fields.String(metadata={"description": "Like 2026-27 (default: this financial year)"})
