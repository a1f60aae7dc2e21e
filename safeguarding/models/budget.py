"""The partnership's budgets: one per arm (adults, children, or joint for shared costs:
`Arm.both`) per financial year, each with expenditure lines, income
(partner contributions through agreements, other income, reserves applied), in-year
variations after the Board's approval, invoices and payments for contributions, and
spend (commitments and actuals) against the lines.

Money is integer pence everywhere (`*_pence` columns), never a float.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from safeguarding.models.base import Base, TimestampMixin, VersionedMixin, str_enum, utcnow
from safeguarding.models.enums import Arm
from safeguarding.models.people import Organisation

# The line the case-reviews feature records reviewers' contracts against (en dash).
SAR_AUTHORS_LINE = "Safeguarding Adult Reviews – Independent Authors"


class BudgetState(StrEnum):
    draft = "draft"
    proposed = "proposed"
    approved = "approved"
    closed = "closed"

    @property
    def label(self) -> str:
        return {"draft": "Draft", "proposed": "Proposed to the Board", "approved": "Approved", "closed": "Closed"}[
            self.value
        ]


class LineCategory(StrEnum):
    staffing = "staffing"
    independent_chair = "independent_chair"
    case_reviews = "case_reviews"
    engagement = "engagement"
    learning = "learning"
    office = "office"
    legal = "legal"
    other = "other"

    @property
    def label(self) -> str:
        return {
            "staffing": "Staffing",
            "independent_chair": "Independent chair",
            "case_reviews": "Case reviews",
            "engagement": "Engagement and communications",
            "learning": "Learning and development",
            "office": "Office costs",
            "legal": "Legal",
            "other": "Other",
        }[self.value]


class IncomeKind(StrEnum):
    """Income other than partner contributions (those come from agreements)."""

    other_income = "other_income"
    reserves = "reserves"

    @property
    def label(self) -> str:
        return {"other_income": "Other income", "reserves": "Reserves applied"}[self.value]


class AgreementKind(StrEnum):
    """`equal_share` is a share under the budget's contribution scheme (equal shares,
    percentages or a figure per partner); `scheme_fixed` a set sum taken out of the amount
    the scheme shares (the rest is shared); `fixed` a set sum and `percentage` a
    percentage of the budget's expenditure, both in addition to the scheme (as always)."""

    fixed = "fixed"
    equal_share = "equal_share"
    percentage = "percentage"
    scheme_fixed = "scheme_fixed"

    @property
    def label(self) -> str:
        return {
            "fixed": "Fixed amount",
            "equal_share": "A share under the budget's contribution scheme",
            "percentage": "Percentage of the budget's expenditure",
            "scheme_fixed": "Fixed amount within the scheme (the rest is shared)",
        }[self.value]

    @property
    def is_fixed(self) -> bool:
        return self in (AgreementKind.fixed, AgreementKind.scheme_fixed)


class ContributionScheme(StrEnum):
    """How a budget divides the amount its partners share (after any fixed sums)."""

    equal_share = "equal_share"
    percentage = "percentage"
    by_figure = "by_figure"

    @property
    def label(self) -> str:
        return {
            "equal_share": "Equal shares among the statutory agencies",
            "percentage": "Fixed percentages totalling 100%",
            "by_figure": "In proportion to a figure per partner (such as population)",
        }[self.value]


ARM_SLUGS = {Arm.adults: "adults", Arm.children: "children", Arm.both: "joint"}
ARM_BUDGET_LABELS = {Arm.adults: "Adults", Arm.children: "Children", Arm.both: "Joint"}


class SpendKind(StrEnum):
    commitment = "commitment"
    actual = "actual"

    @property
    def label(self) -> str:
        return {"commitment": "Commitment", "actual": "Actual spend"}[self.value]


class VariationSubject(StrEnum):
    line = "line"
    income = "income"
    agreement = "agreement"
    target = "target"


class Budget(VersionedMixin, TimestampMixin, Base):
    """An arm's budget for a financial year (1 April – 31 March), known by its start year:
    one per arm per year (adults, children, or `both` = a joint budget for shared costs)."""

    __tablename__ = "budgets"
    __table_args__ = (
        sa.UniqueConstraint("arm", "financial_year"),
        sa.CheckConstraint(
            "(adults_share_bp IS NULL AND children_share_bp IS NULL) OR "
            "(adults_share_bp >= 0 AND children_share_bp >= 0 AND adults_share_bp + children_share_bp = 10000)",
            name="arm_shares_total_100",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    arm: Mapped[Arm] = mapped_column(str_enum(Arm, name="budget_arm"), default=Arm.adults, server_default="adults")
    financial_year: Mapped[int]  # 2020 = 2020/21
    state: Mapped[BudgetState] = mapped_column(str_enum(BudgetState, name="budget_state"), default=BudgetState.draft)
    # The amount the partners contribute through the scheme: fixed sums come out of it, the
    # rest is shared by the scheme among the agreements of kind equal_share.
    equal_share_target_pence: Mapped[int | None]
    contribution_scheme: Mapped[ContributionScheme] = mapped_column(
        str_enum(ContributionScheme, name="contribution_scheme"),
        default=ContributionScheme.equal_share,
        server_default="equal_share",
    )
    figure_label: Mapped[str | None] = mapped_column(sa.String(60))  # "Population" (by_figure only)
    # A joint budget's split between the arms (hundredths of a percent, totalling 10000).
    adults_share_bp: Mapped[int | None]
    children_share_bp: Mapped[int | None]
    # Reserves at the start of the year: set by the office for the first year, carried
    # forward by the previous year's close afterwards.
    reserves_brought_forward_pence: Mapped[int] = mapped_column(default=0)
    reserves_carried_in: Mapped[bool] = mapped_column(default=False)
    notes: Mapped[str | None] = mapped_column(sa.Text)
    copied_from_id: Mapped[int | None] = mapped_column(sa.ForeignKey("budgets.id"))
    uplift_bp: Mapped[int | None]  # the uplift applied to the copy, in hundredths of a percent
    # The Board's decision (recorded by the approve trigger).
    board_meeting_on: Mapped[date | None]
    minute_reference: Mapped[str | None] = mapped_column(sa.String(100))
    approved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    # Year-end (recorded by the close_year trigger).
    closed_on: Mapped[date | None]
    outturn_income_pence: Mapped[int | None]
    outturn_spend_pence: Mapped[int | None]
    surplus_pence: Mapped[int | None]  # negative for a deficit
    reserves_carried_forward_pence: Mapped[int | None]

    def __repr__(self) -> str:
        return f"<Budget {self.arm} {self.financial_year}>"

    @property
    def arm_slug(self) -> str:
        return ARM_SLUGS[Arm(self.arm)]

    @property
    def arm_label(self) -> str:
        return ARM_BUDGET_LABELS[Arm(self.arm)]


class BudgetLine(VersionedMixin, TimestampMixin, Base):
    """An expenditure line. `amount_pence` is the current budget (after variations);
    `original_pence` is what the Board approved."""

    __tablename__ = "budget_lines"
    __table_args__ = (
        sa.UniqueConstraint("budget_id", "name"),
        sa.CheckConstraint("amount_pence >= 0", name="amount_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    budget_id: Mapped[int] = mapped_column(sa.ForeignKey("budgets.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    category: Mapped[LineCategory] = mapped_column(str_enum(LineCategory, name="line_category"))
    amount_pence: Mapped[int]
    original_pence: Mapped[int | None]
    # The office's own forecast of the outturn; without it the forecast is actual + committed.
    forecast_pence: Mapped[int | None]
    position: Mapped[int] = mapped_column(default=0)

    budget: Mapped[Budget] = relationship(lazy="joined")


class BudgetIncome(VersionedMixin, TimestampMixin, Base):
    """Income other than partner contributions: other income, and reserves applied."""

    __tablename__ = "budget_income"
    __table_args__ = (
        sa.UniqueConstraint("budget_id", "name"),
        sa.CheckConstraint("amount_pence >= 0", name="amount_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    budget_id: Mapped[int] = mapped_column(sa.ForeignKey("budgets.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[IncomeKind] = mapped_column(str_enum(IncomeKind, name="income_kind"))
    amount_pence: Mapped[int]
    original_pence: Mapped[int | None]

    budget: Mapped[Budget] = relationship(lazy="joined")


class ContributionAgreement(VersionedMixin, TimestampMixin, Base):
    """What one partner contributes in one year. `amount_pence` is worked out by the
    service from the kind (and stored, with the working in `calculation`)."""

    __tablename__ = "contribution_agreements"
    __table_args__ = (
        sa.UniqueConstraint("budget_id", "organisation_id"),
        sa.CheckConstraint("amount_pence >= 0", name="amount_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    budget_id: Mapped[int] = mapped_column(sa.ForeignKey("budgets.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    kind: Mapped[AgreementKind] = mapped_column(str_enum(AgreementKind, name="agreement_kind"))
    fixed_pence: Mapped[int | None]
    percentage_bp: Mapped[int | None]  # hundredths of a percent: 1250 = 12.5%
    # A share under a percentage scheme (hundredths of a percent) or a by-figure scheme.
    share_bp: Mapped[int | None]
    share_figure: Mapped[int | None] = mapped_column(sa.BigInteger)
    amount_pence: Mapped[int] = mapped_column(default=0)
    original_pence: Mapped[int | None]
    # Pence added to this partner's share from what an equal division left over.
    remainder_pence: Mapped[int] = mapped_column(default=0)
    calculation: Mapped[str | None] = mapped_column(sa.Text)
    # Who invoices and reminders go to (defaults to the organisation's safeguarding lead).
    contact_name: Mapped[str | None] = mapped_column(sa.String(200))
    contact_email: Mapped[str | None] = mapped_column(sa.String(320))
    notes: Mapped[str | None] = mapped_column(sa.Text)

    budget: Mapped[Budget] = relationship(lazy="joined")
    organisation: Mapped[Organisation] = relationship(lazy="joined")

    @property
    def invoice_email(self) -> str | None:
        org = self.organisation
        return self.contact_email or org.safeguarding_lead_email or org.chief_executive_email


class BudgetVariation(Base):
    """A change to an approved budget: what changed, from and to, why, who agreed it."""

    __tablename__ = "budget_variations"

    id: Mapped[int] = mapped_column(primary_key=True)
    budget_id: Mapped[int] = mapped_column(sa.ForeignKey("budgets.id"), index=True)
    subject: Mapped[VariationSubject] = mapped_column(str_enum(VariationSubject, name="variation_subject"))
    line_id: Mapped[int | None] = mapped_column(sa.ForeignKey("budget_lines.id"))
    income_id: Mapped[int | None] = mapped_column(sa.ForeignKey("budget_income.id"))
    agreement_id: Mapped[int | None] = mapped_column(sa.ForeignKey("contribution_agreements.id"))
    label: Mapped[str] = mapped_column(sa.String(300))
    before_pence: Mapped[int]
    after_pence: Mapped[int]
    reason: Mapped[str] = mapped_column(sa.Text)
    approver: Mapped[str] = mapped_column(sa.String(200))
    approved_on: Mapped[date]
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def change_pence(self) -> int:
        return self.after_pence - self.before_pence


class Invoice(VersionedMixin, TimestampMixin, Base):
    """An invoice for (part of) a contribution. `paid_pence` is kept by the payment
    services (the sum of the payments not reversed)."""

    __tablename__ = "invoices"
    __table_args__ = (
        sa.CheckConstraint("amount_pence > 0", name="amount_positive"),
        sa.CheckConstraint("paid_pence >= 0", name="paid_not_negative"),
        sa.Index("ix_invoices_due", "cancelled_on", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(40), unique=True)
    agreement_id: Mapped[int] = mapped_column(sa.ForeignKey("contribution_agreements.id"), index=True)
    # Denormalised from the agreement so lists filter without joins.
    budget_id: Mapped[int] = mapped_column(sa.ForeignKey("budgets.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    issued_on: Mapped[date]
    due_on: Mapped[date]
    amount_pence: Mapped[int]
    paid_pence: Mapped[int] = mapped_column(default=0)
    description: Mapped[str | None] = mapped_column(sa.String(300))
    # The host council's finance reference: the purchase order and its ledger's invoice number.
    purchase_order: Mapped[str | None] = mapped_column(sa.String(40))
    ledger_invoice_number: Mapped[str | None] = mapped_column(sa.String(40))
    sent_to: Mapped[str | None] = mapped_column(sa.String(320))
    cancelled_on: Mapped[date | None]
    cancel_reason: Mapped[str | None] = mapped_column(sa.Text)
    last_chased_on: Mapped[date | None]
    chase_count: Mapped[int] = mapped_column(default=0)
    raised_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    agreement: Mapped[ContributionAgreement] = relationship(lazy="joined")
    organisation: Mapped[Organisation] = relationship(lazy="joined")

    @property
    def outstanding_pence(self) -> int:
        return 0 if self.cancelled_on else self.amount_pence - self.paid_pence

    def status(self, on: date) -> str:
        """cancelled, paid, overdue, part_paid or unpaid (on a given day)."""
        if self.cancelled_on:
            return "cancelled"
        if self.outstanding_pence <= 0:
            return "paid"
        if self.due_on < on:
            return "overdue"
        return "part_paid" if self.paid_pence else "unpaid"

    def is_overdue(self, on: date) -> bool:
        return self.status(on) == "overdue"


INVOICE_STATUS_LABELS = {
    "cancelled": "Cancelled",
    "paid": "Paid",
    "overdue": "Overdue",
    "part_paid": "Part paid",
    "unpaid": "Awaiting payment",
}


class Payment(Base):
    """Money received against an invoice. A payment recorded in error is reversed (with a
    reason), never deleted."""

    __tablename__ = "payments"
    __table_args__ = (sa.CheckConstraint("amount_pence > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(sa.ForeignKey("invoices.id"), index=True)
    # Denormalised for partner-level filtering.
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    budget_id: Mapped[int] = mapped_column(sa.ForeignKey("budgets.id"), index=True)
    received_on: Mapped[date]
    amount_pence: Mapped[int]
    reference: Mapped[str | None] = mapped_column(sa.String(100))
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    reversed_on: Mapped[date | None]
    reversal_reason: Mapped[str | None] = mapped_column(sa.Text)

    invoice: Mapped[Invoice] = relationship(lazy="joined")


class SpendEntry(VersionedMixin, TimestampMixin, Base):
    """Spend against a line: a commitment (money promised, such as a SAR reviewer's
    contract) or an actual (money spent, optionally against a commitment). One table, so
    the spend list and the monitoring sums are single queries."""

    __tablename__ = "spend_entries"
    __table_args__ = (
        sa.CheckConstraint("amount_pence > 0", name="amount_positive"),
        sa.Index("ix_spend_entries_line_kind", "line_id", "kind"),
        sa.Index("ix_spend_entries_source", "source_type", "source_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[SpendKind] = mapped_column(str_enum(SpendKind, name="spend_kind"))
    budget_id: Mapped[int] = mapped_column(sa.ForeignKey("budgets.id"), index=True)
    line_id: Mapped[int] = mapped_column(sa.ForeignKey("budget_lines.id"))
    amount_pence: Mapped[int]
    supplier: Mapped[str] = mapped_column(sa.String(200))
    reference: Mapped[str] = mapped_column(sa.String(100))
    dated_on: Mapped[date]  # committed on / spent on
    description: Mapped[str | None] = mapped_column(sa.Text)
    # An actual paid against a commitment.
    commitment_id: Mapped[int | None] = mapped_column(sa.ForeignKey("spend_entries.id"), index=True)
    # The record that made it (a case review's contract, say).
    source_type: Mapped[str | None] = mapped_column(sa.String(40))
    source_id: Mapped[int | None]
    # A commitment released (no more will be spent) or an actual reversed (recorded in error).
    ended_on: Mapped[date | None]
    end_reason: Mapped[str | None] = mapped_column(sa.Text)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    line: Mapped[BudgetLine] = relationship(lazy="joined")

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        args = {"version_id_col": cls.__table__.c.version}
        if cls.__name__ == "SpendEntry":
            args["polymorphic_on"] = cls.__table__.c.kind
        return args


class Commitment(SpendEntry):
    """Money promised against a line (a contract, an order)."""

    __mapper_args__ = {"polymorphic_identity": SpendKind.commitment}

    @property
    def released(self) -> bool:
        return self.ended_on is not None


class ActualSpend(SpendEntry):
    """Money spent against a line."""

    __mapper_args__ = {"polymorphic_identity": SpendKind.actual}

    @property
    def reversed(self) -> bool:
        return self.ended_on is not None
