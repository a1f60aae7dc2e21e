"""A budget's contribution scheme: how the amount the partners contribute is divided.

One of (`ContributionScheme`): **equal shares** among the statutory agencies (the rule the
partnership has always used: `split_equally` per agency, then per organisation);
**fixed percentages** totalling exactly 100%; **in proportion to a figure per partner**
(population, say). Partners may instead contribute a **fixed amount**: fixed amounts come
out of the amount shared, and the rest is divided by the scheme (agreements of kind
`scheme_fixed`; a plain `fixed` agreement stays in addition to the scheme, as always). Percentages and figures
are divided to the penny by the **largest remainder** rule (`arithmetic.split_by_weights`):
each partner's exact share rounded down, the pence left over one each to the partners
whose shares lost the most in rounding, a tie to the later partner by name.

`set_scheme` changes the scheme and the partners' shares together (the page and
`PUT /api/v1/budgets/{ref}/scheme`) and recalculates the contributions. A draft budget
changes freely, an approved one as an in-year variation; once an invoice has been raised
(and not cancelled) the scheme is fixed: cancel the invoices first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.formatting import money
from safeguarding.models import (
    AgreementKind,
    Budget,
    ContributionAgreement,
    ContributionScheme,
    Invoice,
    Organisation,
    PartnershipState,
    VariationSubject,
)
from safeguarding.services.budget.contributions import SchemePart, recalculate, scheme_problem
from safeguarding.services.budget.queries import agreements_of, is_statutory_agency, title
from safeguarding.services.budget.rules import Variation, _check_version, _editable, _money_error, _record_variation
from safeguarding.services.errors import Conflict, ValidationFailed

FIGURE_MAX = 10**12
FIGURE_LABEL_MAX = 60


@dataclass(frozen=True)
class PartnerShare:
    """One partner's part in the scheme: `share` (under the scheme, with `percentage_bp`
    for a percentage scheme or `figure` for a by-figure scheme) or `fixed` (`fixed_pence`)."""

    organisation_id: int
    share: str = "share"  # "share" or "fixed"
    percentage_bp: int | None = None
    figure: int | None = None
    fixed_pence: int | None = None


@dataclass(frozen=True)
class SchemeView:
    """The scheme beside the contributions it produced."""

    budget: Budget
    scheme: ContributionScheme
    figure_label: str | None
    target_pence: int | None
    fixed_pence: int
    shared_pence: int | None  # what the scheme divides: the target less fixed amounts
    agreements: list[ContributionAgreement]
    invoiced: bool  # an invoice (not cancelled) has been raised: the scheme is fixed

    @property
    def total_percentage_bp(self) -> int:
        return sum(a.share_bp or 0 for a in self.agreements if a.kind == AgreementKind.equal_share)

    @property
    def total_figure(self) -> int:
        return sum(a.share_figure or 0 for a in self.agreements if a.kind == AgreementKind.equal_share)

    @property
    def contributions_pence(self) -> int:
        return sum(a.amount_pence for a in self.agreements)


def has_live_invoices(budget: Budget) -> bool:
    return bool(
        db.session.scalar(
            sa.select(Invoice.id).where(Invoice.budget_id == budget.id, Invoice.cancelled_on.is_(None)).limit(1)
        )
    )


def scheme_of(budget: Budget) -> SchemeView:
    agreements = agreements_of(budget)
    fixed = sum(a.fixed_pence or 0 for a in agreements if a.kind == AgreementKind.scheme_fixed)
    target = budget.equal_share_target_pence
    return SchemeView(
        budget=budget,
        scheme=ContributionScheme(budget.contribution_scheme),
        figure_label=budget.figure_label,
        target_pence=target,
        fixed_pence=fixed,
        shared_pence=None if target is None else target - fixed,
        agreements=agreements,
        invoiced=has_live_invoices(budget),
    )


def _partner_errors(
    scheme: ContributionScheme, p: PartnerShare, org: Organisation | None, key: str, errors: dict[str, str]
) -> None:
    if org is None:
        errors[f"{key}.organisation_id"] = "Select the partner"
        return
    if org.state == PartnershipState.left:
        errors[f"{key}.organisation_id"] = f"{org.name} has left the partnership"
    if p.share == "fixed":
        if err := _money_error("fixed", p.fixed_pence, f"{org.name}'s fixed amount", allow_zero=False):
            errors[f"{key}.fixed_amount"] = err
        return
    if p.share != "share":
        errors[f"{key}.share"] = f"Select whether {org.name} takes a share or a fixed amount"
    elif scheme == ContributionScheme.equal_share and not is_statutory_agency(org):
        errors[f"{key}.share"] = (
            f"Only the statutory partners (local authorities, the police and the integrated care board) "
            f"share equally: give {org.name} a fixed amount, or share by percentage or by a figure"
        )
    elif scheme == ContributionScheme.percentage:
        bp = p.percentage_bp
        if bp is None:
            errors[f"{key}.percentage"] = f"Enter {org.name}'s percentage"
        elif isinstance(bp, bool) or not isinstance(bp, int) or not 0 < bp <= 10000:
            errors[f"{key}.percentage"] = f"{org.name}'s percentage must be more than 0 and no more than 100"
    elif scheme == ContributionScheme.by_figure:
        f = p.figure
        if f is None:
            errors[f"{key}.figure"] = f"Enter {org.name}'s figure"
        elif isinstance(f, bool) or not isinstance(f, int) or not 0 < f <= FIGURE_MAX:
            errors[f"{key}.figure"] = f"{org.name}'s figure must be a whole number from 1 to {FIGURE_MAX:,}"


def _checked(
    scheme: ContributionScheme | str, target_pence: int | None, figure_label: str | None, partners: list[PartnerShare]
) -> tuple[ContributionScheme, str | None, dict[int, Organisation]]:
    """The scheme's values checked one by one (the whole is checked by `scheme_problem`)."""
    errors: dict[str, str] = {}
    try:
        the_scheme = ContributionScheme(scheme)
    except ValueError:
        raise ValidationFailed(errors={"scheme": "Select how the contributions are shared"}) from None
    if target_pence is not None and (err := _money_error("target", target_pence, "the amount the partners share")):
        errors["target"] = err
    label_text = " ".join((figure_label or "").split()) or None
    if the_scheme == ContributionScheme.by_figure:
        if label_text is None:
            errors["figure_label"] = "Enter what the figure is, like Population"
        elif len(label_text) > FIGURE_LABEL_MAX:
            errors["figure_label"] = f"What the figure is must be {FIGURE_LABEL_MAX} characters or fewer"
    seen: set[int] = set()
    orgs: dict[int, Organisation] = {}
    for i, p in enumerate(partners):
        org = db.session.get(Organisation, p.organisation_id) if isinstance(p.organisation_id, int) else None
        if org is not None:
            if org.id in seen:
                errors[f"partners.{i}.organisation_id"] = f"{org.name} is listed twice"
            seen.add(org.id)
            orgs[org.id] = org
        _partner_errors(the_scheme, p, org, f"partners.{i}", errors)
    if errors:
        raise ValidationFailed(errors=errors)
    return the_scheme, label_text, orgs


def _apply(
    budget: Budget,
    scheme: ContributionScheme,
    listed: dict[int, PartnerShare],
    existing: dict[int, ContributionAgreement],
    *,
    approved: bool,
) -> None:
    """Make or change the listed partners' agreements (a new one after approval is a
    variation from £0)."""
    for p in listed.values():
        a = existing.get(p.organisation_id)
        if a is None:
            a = ContributionAgreement(
                budget_id=budget.id,
                organisation_id=p.organisation_id,
                amount_pence=0,
                original_pence=0 if approved else None,
            )
            db.session.add(a)
        a.kind = AgreementKind.scheme_fixed if p.share == "fixed" else AgreementKind.equal_share
        a.fixed_pence = p.fixed_pence if p.share == "fixed" else None
        a.percentage_bp = None
        if p.share == "share" and scheme == ContributionScheme.percentage:
            a.share_bp = p.percentage_bp
        if p.share == "share" and scheme == ContributionScheme.by_figure:
            a.share_figure = p.figure


def set_scheme(
    budget: Budget,
    *,
    version: int | None,
    scheme: ContributionScheme | str,
    target_pence: int | None,
    figure_label: str | None = None,
    partners: list[PartnerShare] | None = None,
    variation: Variation | None = None,
    user: Any = None,
) -> SchemeView:
    """Change the scheme, the amount the partners contribute through it (`target_pence`)
    and the listed partners' shares (an agreement is made for a partner without one;
    partners not listed keep theirs), then recalculate every contribution. Refused once an
    invoice has been raised; on an approved budget a change is an in-year variation."""
    _check_version(budget, version)
    if has_live_invoices(budget):
        raise Conflict(
            f"Invoices have been raised against the {title(budget)} budget: its contribution scheme can no "
            "longer change. Cancel the invoices first, or vary a partner's contribution instead"
        )
    v = _editable(budget, variation)
    the_scheme, label_text, orgs = _checked(scheme, target_pence, figure_label, partners or [])
    existing = {a.organisation_id: a for a in agreements_of(budget)}
    listed = {p.organisation_id: p for p in partners or []}
    proposed = [SchemePart.of(a) for a in existing.values() if a.organisation_id not in listed]
    for p in listed.values():
        a = existing.get(p.organisation_id)
        proposed.append(
            SchemePart(
                orgs[p.organisation_id].name,
                AgreementKind.scheme_fixed if p.share == "fixed" else AgreementKind.equal_share,
                p.percentage_bp if the_scheme == ContributionScheme.percentage else (a.share_bp if a else None),
                p.figure if the_scheme == ContributionScheme.by_figure else (a.share_figure if a else None),
                p.fixed_pence if p.share == "fixed" else None,
            )
        )
    if problem := scheme_problem(the_scheme, target_pence, label_text, proposed):
        raise ValidationFailed(problem, errors={"scheme": problem})

    _apply(budget, the_scheme, listed, existing, approved=v is not None)
    before = budget.equal_share_target_pence
    budget.contribution_scheme = the_scheme
    budget.figure_label = label_text if the_scheme == ContributionScheme.by_figure else budget.figure_label
    budget.equal_share_target_pence = target_pence
    db.session.flush()
    if v is not None and before != target_pence:
        _record_variation(
            budget,
            v,
            subject=VariationSubject.target,
            label_text="Amount the partners contribute through the scheme",
            before=before or 0,
            after=target_pence or 0,
            user=user,
        )
    recalculate(budget, variation=v, user=user)
    return scheme_of(budget)


def describe(view: SchemeView) -> str:
    """One sentence for the page and the reports: the scheme and what it divides."""
    scheme = view.scheme
    if view.target_pence is None:
        return f"{scheme.label}: the amount the partners contribute is not set yet"
    text = f"{scheme.label}: {money(view.target_pence)} contributed by the partners"
    if view.fixed_pence:
        text += f", of which fixed amounts {money(view.fixed_pence)} and {money(view.shared_pence or 0)} shared"
    if scheme == ContributionScheme.by_figure and view.figure_label:
        text += f" in proportion to {view.figure_label.lower()}"
    return text
