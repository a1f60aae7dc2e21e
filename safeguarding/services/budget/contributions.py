"""Contribution agreements: what each partner contributes in a year (a fixed amount, a
share under the budget's contribution scheme, or a percentage of the expenditure), and
`recalculate`, which works out every agreement's amount.

The scheme shares the budget's target (`equal_share_target_pence`: what the partners
contribute through the scheme) less the fixed amounts within it (kind `scheme_fixed`:
"fixed sums with the rest shared") among the agreements of kind `equal_share`: equally
among the statutory agencies (today's rule), by fixed percentages totalling 100%, or in
proportion to a figure per partner (such as population). Fixed amounts (kind `fixed`)
and percentages of the expenditure are in addition to the scheme, as they always were
(a partner joining mid-year with a set sum does not reduce what the others were invoiced)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.formatting import money
from safeguarding.models import (
    AgreementKind,
    Budget,
    BudgetLine,
    BudgetState,
    ContributionAgreement,
    ContributionScheme,
    Organisation,
    PartnershipState,
    VariationSubject,
)
from safeguarding.models.enums import STATUTORY_KINDS, OrganisationKind
from safeguarding.services.budget.arithmetic import format_percentage, percentage_of, split_by_weights, split_equally
from safeguarding.services.budget.figures import _agency_phrase
from safeguarding.services.budget.queries import agreements_of, invoiced_by_agreement, is_statutory_agency, title
from safeguarding.services.budget.rules import Variation, _check_version, _editable, _money_error, _record_variation
from safeguarding.services.errors import Conflict, ValidationFailed


def _agreement_values(
    budget: Budget,
    org: Organisation | None,
    kind: Any,
    fixed_pence: Any,
    percentage_bp: Any,
    contact_email: str | None,
    *,
    sharing: bool = False,
) -> AgreementKind:
    errors: dict[str, str] = {}
    if org is None:
        errors["organisation_id"] = "Select the partner"
    try:
        k = AgreementKind(kind)
    except ValueError:
        errors["kind"] = "Select how the contribution is worked out"
        raise ValidationFailed(errors=errors) from None
    if k.is_fixed and (err := _money_error("fixed", fixed_pence, "the amount", allow_zero=False)):
        errors["fixed_amount"] = err
    if k == AgreementKind.percentage:
        if percentage_bp is None:
            errors["percentage"] = "Enter the percentage of the budget"
        elif isinstance(percentage_bp, bool) or not isinstance(percentage_bp, int) or not 0 < percentage_bp <= 10000:
            errors["percentage"] = "The percentage must be more than 0 and no more than 100"
    if k == AgreementKind.equal_share and sharing:
        pass  # already sharing: nothing about the share changes here
    elif k == AgreementKind.equal_share and budget.contribution_scheme != ContributionScheme.equal_share:
        errors["kind"] = (
            f"This budget shares {ContributionScheme(budget.contribution_scheme).label.lower()}: "
            "add a sharing partner on the contribution scheme page, with their share"
        )
    elif k == AgreementKind.equal_share:
        if org is not None and not is_statutory_agency(org):
            errors["kind"] = (
                f"Only the statutory partners (local authorities, the police and the integrated care "
                f"board) share the target equally: give {org.name} a fixed amount or a percentage"
            )
        elif budget.equal_share_target_pence is None:
            errors["kind"] = "Set the amount the statutory agencies share equally first (in the budget's settings)"
    if contact_email:
        import email_validator

        try:
            email_validator.validate_email(contact_email, check_deliverability=False, test_environment=True)
        except email_validator.EmailNotValidError:
            errors["contact_email"] = "Enter an email address in the correct format, like name@example.com"
    if errors:
        raise ValidationFailed(errors=errors)
    return k


def add_agreement(
    budget: Budget,
    *,
    organisation_id: int,
    kind: AgreementKind | str,
    fixed_pence: int | None = None,
    percentage_bp: int | None = None,
    contact_name: str | None = None,
    contact_email: str | None = None,
    notes: str | None = None,
    variation: Variation | None = None,
    user: Any = None,
) -> ContributionAgreement:
    """What a partner contributes this year: a fixed amount, an equal share of the target
    (statutory agencies only) or a percentage of the budget's expenditure."""
    v = _editable(budget, variation)
    org = db.session.get(Organisation, organisation_id) if organisation_id else None
    if org is not None and org.state == PartnershipState.left:
        raise ValidationFailed(errors={"organisation_id": f"{org.name} has left the partnership"})
    contact_email = (contact_email or "").strip() or None
    k = _agreement_values(budget, org, kind, fixed_pence, percentage_bp, contact_email)
    if db.session.scalar(
        sa.select(ContributionAgreement.id).where(
            ContributionAgreement.budget_id == budget.id, ContributionAgreement.organisation_id == org.id
        )
    ):
        raise ValidationFailed(errors={"organisation_id": f"{org.name} already has an agreement for {title(budget)}"})
    a = ContributionAgreement(
        budget_id=budget.id,
        organisation_id=org.id,
        kind=k,
        fixed_pence=fixed_pence if k.is_fixed else None,
        percentage_bp=percentage_bp if k == AgreementKind.percentage else None,
        contact_name=(contact_name or "").strip() or None,
        contact_email=contact_email,
        notes=(notes or "").strip() or None,
        amount_pence=0,
        original_pence=0 if v is not None else None,
    )
    db.session.add(a)
    db.session.flush()
    recalculate(budget, variation=v, user=user)
    return a


def update_agreement(
    a: ContributionAgreement,
    *,
    version: int | None,
    kind: AgreementKind | str,
    fixed_pence: int | None = None,
    percentage_bp: int | None = None,
    contact_name: str | None = None,
    contact_email: str | None = None,
    notes: str | None = None,
    variation: Variation | None = None,
    user: Any = None,
) -> ContributionAgreement:
    _check_version(a, version)
    budget = a.budget
    contact_email = (contact_email or "").strip() or None
    k = AgreementKind(kind) if kind in AgreementKind.__members__ else kind
    money_changes = (
        k != a.kind
        or (k in (AgreementKind.fixed, AgreementKind.scheme_fixed) and fixed_pence != a.fixed_pence)
        or (k == AgreementKind.percentage and percentage_bp != a.percentage_bp)
    )
    # Contact details and notes are not budget figures: they change in any state but closed.
    v = _editable(budget, variation) if money_changes else None
    if budget.state == BudgetState.closed:
        raise Conflict(f"The {title(budget)} budget is closed: it cannot change")
    # A partner already sharing under the scheme keeps its share (set on the scheme page).
    k = _agreement_values(
        budget, a.organisation, kind, fixed_pence, percentage_bp, contact_email, sharing=a.kind == kind
    )
    a.kind = k
    a.fixed_pence = fixed_pence if k.is_fixed else None
    a.percentage_bp = percentage_bp if k == AgreementKind.percentage else None
    a.contact_name = (contact_name or "").strip() or None
    a.contact_email = contact_email
    a.notes = (notes or "").strip() or None
    db.session.flush()
    if money_changes:
        recalculate(budget, variation=v, user=user)
    return a


def _expenditure_of(budget: Budget) -> int:
    """The total of the budget's lines, in pence."""
    expenditure = (
        db.session.scalar(
            sa.select(sa.func.coalesce(sa.func.sum(BudgetLine.amount_pence), 0)).where(
                BudgetLine.budget_id == budget.id
            )
        )
        or 0
    )
    return int(expenditure)


def _fixed_and_percentage_amounts(
    agreements: Sequence[ContributionAgreement], expenditure: int
) -> dict[int, tuple[int, int, str]]:
    """(amount, remainder, calculation) of each fixed and percentage agreement."""
    new: dict[int, tuple[int, int, str]] = {}
    for a in agreements:
        if a.kind == AgreementKind.fixed:
            new[a.id] = (a.fixed_pence or 0, 0, "A fixed amount")
        elif a.kind == AgreementKind.scheme_fixed:
            new[a.id] = (a.fixed_pence or 0, 0, "A fixed amount, out of the amount the partners share")
        elif a.kind == AgreementKind.percentage:
            bp = a.percentage_bp or 0
            amount = percentage_of(expenditure, bp)
            exact = (expenditure * bp) % 10000 == 0
            new[a.id] = (
                amount,
                0,
                f"{format_percentage(bp)} of the budget's expenditure of {money(expenditure)}"
                f"{'' if exact else ', to the nearest penny'}",
            )
    return new


def _equal_share_amounts(
    budget: Budget, sharers: Sequence[ContributionAgreement], target: int, note: str
) -> dict[int, tuple[int, int, str]]:
    """(amount, remainder, calculation) of each equal-share agreement: the amount shared
    split equally among the agencies, each agency's share equally among its organisations."""
    new: dict[int, tuple[int, int, str]] = {}
    by_agency: dict[OrganisationKind, list[ContributionAgreement]] = defaultdict(list)
    for a in sharers:
        by_agency[a.organisation.kind].append(a)
    agencies = [k for k in STATUTORY_KINDS if k in by_agency]
    agency_amounts = split_equally(target, len(agencies))
    names = ", ".join(_agency_phrase(k, len(by_agency[k])) for k in agencies)
    rule = (
        "pence left over from an equal division go one each to the last in order: the agencies in the "
        "order local authorities, police, integrated care board; organisations by name"
    )
    for kind, agency_amount in zip(agencies, agency_amounts, strict=True):
        members = sorted(by_agency[kind], key=lambda a: (a.organisation.name, a.id))
        amounts = split_equally(agency_amount, len(members))
        # The exact share (target ÷ agencies ÷ members) rounded down; anything above it
        # came from left-over pence.
        floor_share = target // (len(agencies) * len(members))
        for a, amount in zip(members, amounts, strict=True):
            text = (
                f"An equal share of {money(target)}{note} among {len(agencies)} statutory "
                f"{'agency' if len(agencies) == 1 else 'agencies'} ({names})"
            )
            if len(members) > 1:
                phrase = _agency_phrase(kind, len(members))
                text += (
                    f"; the {phrase}{chr(39) if phrase.endswith('s') else chr(39) + 's'} share of "
                    f"{money(agency_amount)} is split equally between {len(members)} organisations"
                )
            remainder = amount - floor_share
            if remainder:
                text += f" (includes {remainder}p left over: {rule})"
            new[a.id] = (amount, remainder, text)
    return new


LARGEST_REMAINDER_RULE = (
    "pence left over go one each to the partners whose exact shares lost the most in rounding down "
    "(the largest remainder; a tie goes to the later partner by name)"
)


def _weighted_amounts(
    budget: Budget, sharers: Sequence[ContributionAgreement], shared: int, note: str
) -> dict[int, tuple[int, int, str]]:
    """(amount, remainder, calculation) of each sharer under a percentage or by-figure
    scheme: the amount shared in proportion, to the penny by the largest remainder."""
    by_percentage = budget.contribution_scheme == ContributionScheme.percentage
    weights = [(a.share_bp if by_percentage else a.share_figure) or 0 for a in sharers]
    whole = sum(weights)
    amounts = split_by_weights(shared, weights)
    figure = (budget.figure_label or "Figure").strip()
    new: dict[int, tuple[int, int, str]] = {}
    for a, weight, amount in zip(sharers, weights, amounts, strict=True):
        floor_share = shared * weight // whole if whole else 0
        if by_percentage:
            text = f"{format_percentage(weight)} of {money(shared)}{note}"
        else:
            text = f"{figure} {weight:,} of {whole:,}: that proportion of {money(shared)}{note}"
        remainder = amount - floor_share
        if remainder:
            text += f" (includes {remainder}p left over: {LARGEST_REMAINDER_RULE})"
        new[a.id] = (amount, remainder, text)
    return new


@dataclass(frozen=True)
class SchemePart:
    """What `scheme_problem` needs of an agreement (real, or proposed by `set_scheme`)."""

    name: str
    kind: AgreementKind
    share_bp: int | None = None
    share_figure: int | None = None
    fixed_pence: int | None = None

    @classmethod
    def of(cls, a: ContributionAgreement) -> SchemePart:
        return cls(a.organisation.name, AgreementKind(a.kind), a.share_bp, a.share_figure, a.fixed_pence)


def scheme_problem(
    scheme: ContributionScheme | str, target: int | None, figure_label: str | None, parts: Sequence[SchemePart]
) -> str | None:
    """Why the scheme cannot divide the amount shared (None when it can): fixed amounts
    above the amount the partners contribute, a sharer without a percentage or figure, or
    percentages that do not total exactly 100%."""
    sharers = [a for a in parts if a.kind == AgreementKind.equal_share]
    fixed = sum(a.fixed_pence or 0 for a in parts if a.kind == AgreementKind.scheme_fixed)
    if target is not None and fixed > target:
        return (
            f"The fixed amounts total {money(fixed)}, more than the {money(target)} the partners contribute "
            "through the scheme: raise that amount or lower a fixed amount"
        )
    if not sharers:
        return None
    if target is None:
        return "Enter the amount the partners contribute through the scheme"
    if scheme == ContributionScheme.percentage:
        missing = [a.name for a in sharers if not a.share_bp]
        if missing:
            return f"Give each sharing partner a percentage: {', '.join(missing)} has none"
        total = sum(a.share_bp or 0 for a in sharers)
        if total != 10000:
            return f"The percentages add up to {format_percentage(total)}: they must total exactly 100%"
    if scheme == ContributionScheme.by_figure:
        missing = [a.name for a in sharers if not a.share_figure]
        if missing:
            return (
                f"Give each sharing partner their {(figure_label or 'figure').lower()}: {', '.join(missing)} has none"
            )
    return None


def _record_agreement_variations(
    budget: Budget,
    changed: Sequence[ContributionAgreement],
    new: dict[int, tuple[int, int, str]],
    variation: Variation | None,
    user: Any,
) -> None:
    """On an approved (or closed) budget: refuse to take an agreement below what has been
    invoiced, and record each changed amount as a variation."""
    if variation is None:  # pragma: no cover - _editable guarantees one
        raise Conflict("An approved budget changes only through a variation")
    invoiced = invoiced_by_agreement([a.id for a in changed])
    for a in changed:
        if new[a.id][0] < invoiced.get(a.id, 0):
            raise ValidationFailed(
                reasons=[
                    f"{a.organisation.name} has already been invoiced {money(invoiced[a.id])}, more than the "
                    f"{money(new[a.id][0])} this change would leave them to pay: cancel an invoice first"
                ]
            )
    for a in changed:
        _record_variation(
            budget,
            variation,
            subject=VariationSubject.agreement,
            label_text=f"Contribution: {a.organisation.name}",
            before=a.amount_pence,
            after=new[a.id][0],
            user=user,
            agreement_id=a.id,
        )


def recalculate(budget: Budget, *, variation: Variation | None = None, user: Any = None) -> None:
    """Work out every agreement's amount (and say how). On an approved budget each change
    is recorded as a variation, and no agreement may fall below what has been invoiced."""
    agreements = agreements_of(budget)
    if not agreements:
        return
    problem = scheme_problem(
        budget.contribution_scheme,
        budget.equal_share_target_pence,
        budget.figure_label,
        [SchemePart.of(a) for a in agreements],
    )
    if problem:
        raise ValidationFailed(problem, errors={"scheme": problem})
    new = _fixed_and_percentage_amounts(agreements, _expenditure_of(budget))
    sharers = [a for a in agreements if a.kind == AgreementKind.equal_share]
    if sharers:
        target = budget.equal_share_target_pence or 0
        fixed = sum(a.fixed_pence or 0 for a in agreements if a.kind == AgreementKind.scheme_fixed)
        shared = target - fixed
        note = f" ({money(target)} less fixed amounts of {money(fixed)})" if fixed else ""
        if budget.contribution_scheme == ContributionScheme.equal_share:
            new.update(_equal_share_amounts(budget, sharers, shared, note))
        else:
            new.update(_weighted_amounts(budget, sharers, shared, note))
    changed = [a for a in agreements if a.amount_pence != new[a.id][0]]
    if budget.state in (BudgetState.approved, BudgetState.closed) and changed:
        _record_agreement_variations(budget, changed, new, variation, user)
    for a in agreements:
        a.amount_pence, a.remainder_pence, a.calculation = new[a.id]
    db.session.flush()
