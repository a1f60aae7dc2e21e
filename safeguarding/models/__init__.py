"""All models, imported here so metadata (and Alembic) sees every table."""

from safeguarding.models.accounts import ApiToken, LoginSession, User, UserRole
from safeguarding.models.actions import Action, ActionSource, ActionStatus, ActionUpdate
from safeguarding.models.audit import AuditEntry, WorkflowHistory
from safeguarding.models.base import Base
from safeguarding.models.calendar import ClosureDay
from safeguarding.models.disputes import (
    AgendaResponse,
    AgendaResponseKind,
    Complaint,
    ComplaintKind,
    ComplaintState,
    Dispute,
    DisputeParty,
    DisputeState,
    ResponseMethod,
)
from safeguarding.models.enums import (
    Area,
    Arm,
    GroupKind,
    MembershipRole,
    OrganisationKind,
    PartnershipState,
    Role,
)
from safeguarding.models.files import StoredFile
from safeguarding.models.groups import Group, Membership, MouSignature
from safeguarding.models.jobs import JobOutcome, JobRun
from safeguarding.models.outbox import OutboxAttachment, OutboxMessage, OutboxStatus
from safeguarding.models.people import Organisation, Person

__all__ = [
    "Action",
    "AgendaResponse",
    "AgendaResponseKind",
    "ActionSource",
    "ActionStatus",
    "ActionUpdate",
    "ApiToken",
    "Area",
    "Arm",
    "AuditEntry",
    "ClosureDay",
    "Complaint",
    "ComplaintKind",
    "ComplaintState",
    "Dispute",
    "DisputeParty",
    "DisputeState",
    "Base",
    "Group",
    "GroupKind",
    "JobOutcome",
    "JobRun",
    "LoginSession",
    "Membership",
    "MembershipRole",
    "MouSignature",
    "Organisation",
    "OrganisationKind",
    "OutboxAttachment",
    "OutboxMessage",
    "OutboxStatus",
    "PartnershipState",
    "Person",
    "ResponseMethod",
    "Role",
    "StoredFile",
    "User",
    "UserRole",
    "WorkflowHistory",
]
