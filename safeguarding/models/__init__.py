"""All models, imported here so metadata (and Alembic) sees every table."""

from safeguarding.models.accounts import ApiToken, LoginSession, User, UserRole
from safeguarding.models.actions import Action, ActionSource, ActionStatus, ActionUpdate
from safeguarding.models.audit import AuditEntry, WorkflowHistory
from safeguarding.models.base import Base
from safeguarding.models.budget import (
    INVOICE_STATUS_LABELS,
    SAR_AUTHORS_LINE,
    ActualSpend,
    AgreementKind,
    Budget,
    BudgetIncome,
    BudgetLine,
    BudgetState,
    BudgetVariation,
    Commitment,
    ContributionAgreement,
    IncomeKind,
    Invoice,
    LineCategory,
    Payment,
    SpendEntry,
    SpendKind,
    VariationSubject,
)
from safeguarding.models.calendar import ClosureDay
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
    "INVOICE_STATUS_LABELS",
    "SAR_AUTHORS_LINE",
    "Action",
    "ActionSource",
    "ActionStatus",
    "ActionUpdate",
    "ActualSpend",
    "AgreementKind",
    "ApiToken",
    "Area",
    "Arm",
    "AuditEntry",
    "Budget",
    "BudgetIncome",
    "BudgetLine",
    "BudgetState",
    "BudgetVariation",
    "Commitment",
    "ContributionAgreement",
    "ClosureDay",
    "Base",
    "Group",
    "GroupKind",
    "IncomeKind",
    "Invoice",
    "JobOutcome",
    "JobRun",
    "LineCategory",
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
    "Payment",
    "Person",
    "Role",
    "SpendEntry",
    "SpendKind",
    "StoredFile",
    "User",
    "UserRole",
    "VariationSubject",
    "WorkflowHistory",
]
