"""The partnership's budget: years, lines, income, contribution agreements, invoices,
payments, spend, monitoring and the year-end close.

Money is integer pence throughout; the arithmetic here is integer arithmetic (no
floats anywhere). Where money is divided, the rule is:

- **equal shares**: each part gets the amount divided and rounded down to the penny; the
  pence left over go one each to the *last* parts in order (so £100.00 among three is
  £33.33, £33.33 and £33.34). The equal-share target is divided among the statutory
  *agencies* — the local authorities, the police, the integrated care board, in that
  order — and an agency with several organisations (our two councils are one
  local-authority agency) splits its share equally among them in name order;
- **percentages** of the budget's expenditure, and **uplifts** on a copied year, are
  rounded to the nearest penny (halves up).

Who sees what (record-level rules live here, the routes only check roles):

- the business office manages everything; the independent chair sees everything and
  may approve (see workflows/budget.py);
- partner members see proposed, approved and closed budgets (lines, totals, what each
  partner contributes) and only their own organisation's agreements, invoices and
  payments — another partner's are "not found";
- viewers see the summary of approved and closed budgets; administrators nothing.

Other features call `record_commitment` (a case review's reviewer contract, against
"Safeguarding Adult Reviews – Independent Authors") and later `record_spend_against_commitment`
or `record_spend` for what is actually paid. See docs/developing.md, "Budget for other features".

Budgets are per arm (adults, children, joint: `Arm.both`) per financial year; the adults'
budget is the default everywhere a year alone is given (`budget_for_year(2026)`,
`record_commitment(financial_year=2026, ...)`, the label "2026-27"); `arm=` picks another.
Each budget's contribution scheme (`schemes`) shares what the partners contribute: equal
shares (the rule above), fixed percentages totalling 100% or in proportion to a figure
per partner, both to the penny by the largest remainder (`split_by_weights`), with any
fixed amounts taken out first.

The package: `queries` (who may see what, and reading), `figures` (totals, the summary,
balances and accounts), `outturn` (spend per line, monitoring, the year-end position),
`home` (the home page's counts), `arithmetic` (integer money), `rules` (editing rules by
state); the writers `commands` (years, settings, lines, income, approval, close),
`contributions` (agreements and `recalculate`), `schemes` (the contribution scheme),
`combined` (the monitoring of every arm of a year), `invoices` (invoices, payments, the daily
chase) and `spend` (commitments and actuals); `lifecycle` registers what the budget's
lifecycle needs from them (guards, effects, the loader) when imported here. Callers import
from here.
"""

from safeguarding.services.budget import lifecycle  # noqa: F401  (registers the lifecycle's rules)
from safeguarding.services.budget.arithmetic import (
    PERCENT_RE,
    format_percentage,
    parse_percentage,
    percentage_of,
    split_by_weights,
    split_equally,
    with_uplift,
)
from safeguarding.services.budget.combined import Combined, CombinedRow, combined_monitoring
from safeguarding.services.budget.commands import (
    add_income,
    add_line,
    close,
    close_guard,
    record_approval,
    set_forecast,
    start_year,
    update_income,
    update_line,
    update_settings,
)
from safeguarding.services.budget.contributions import (
    add_agreement,
    recalculate,
    update_agreement,
)
from safeguarding.services.budget.figures import (
    AGENCY_NAMES,
    Account,
    AccountYear,
    Balance,
    Summary,
    Totals,
    account,
    balances_by_agreement,
    summary,
    totals,
    totals_for,
)
from safeguarding.services.budget.home import (
    home_selects,
    overdue_summary,
)
from safeguarding.services.budget.invoices import (
    BUSINESS_OFFICE_SIGNATORY,
    DEFAULT_CHASE_INTERVAL_DAYS,
    DEFAULT_PAYMENT_DAYS,
    FINANCE_REFERENCE_MAX,
    ChaseResult,
    cancel_invoice,
    chase_overdue,
    finance_reference_text,
    invoice_letter,
    invoice_pdf,
    invoices_to_chase,
    mark_chased,
    raise_invoice,
    record_payment,
    reverse_payment,
    send_invoice,
    set_finance_reference,
)
from safeguarding.services.budget.outturn import (
    Monitoring,
    MonitoringRow,
    YearEnd,
    commitment_remaining,
    monitoring,
    spend_by_line,
    year_end_position,
)
from safeguarding.services.budget.queries import (
    ARM_BY_SLUG,
    INVOICE_FILTERS,
    PARTNER_STATES,
    SEE_ALL,
    VIEWER_STATES,
    InvoiceFilters,
    PaymentFilters,
    SpendFilters,
    agreements_of,
    budget_for_year,
    budget_visibility,
    budgets_for_year,
    commitments_for_source,
    finance_visibility,
    full_title,
    get_agreement,
    get_budget,
    get_income,
    get_invoice,
    get_line,
    get_payment,
    get_spend,
    income_of,
    invoiced_by_agreement,
    invoices_of,
    is_statutory_agency,
    label,
    lines_of,
    list_agreements,
    list_budgets,
    list_invoices,
    list_payments,
    list_spend,
    manages,
    may_see_finances,
    open_commitments,
    overdue_invoices,
    parse_arm,
    parse_budget_ref,
    partner_organisation_id,
    payments_of,
    sees_all,
    title,
    variations_of,
)
from safeguarding.services.budget.rules import Variation
from safeguarding.services.budget.schemes import (
    PartnerShare,
    SchemeView,
    describe,
    has_live_invoices,
    scheme_of,
    set_scheme,
)
from safeguarding.services.budget.spend import (
    end_spend,
    record_commitment,
    record_spend,
    record_spend_against_commitment,
)

__all__ = [
    "AGENCY_NAMES",
    "ARM_BY_SLUG",
    "Account",
    "AccountYear",
    "BUSINESS_OFFICE_SIGNATORY",
    "Balance",
    "ChaseResult",
    "Combined",
    "CombinedRow",
    "DEFAULT_CHASE_INTERVAL_DAYS",
    "DEFAULT_PAYMENT_DAYS",
    "FINANCE_REFERENCE_MAX",
    "INVOICE_FILTERS",
    "InvoiceFilters",
    "Monitoring",
    "MonitoringRow",
    "PARTNER_STATES",
    "PERCENT_RE",
    "PartnerShare",
    "PaymentFilters",
    "SEE_ALL",
    "SchemeView",
    "SpendFilters",
    "Summary",
    "Totals",
    "VIEWER_STATES",
    "Variation",
    "YearEnd",
    "account",
    "add_agreement",
    "add_income",
    "add_line",
    "agreements_of",
    "balances_by_agreement",
    "budget_for_year",
    "budget_visibility",
    "budgets_for_year",
    "cancel_invoice",
    "chase_overdue",
    "close",
    "close_guard",
    "combined_monitoring",
    "commitment_remaining",
    "commitments_for_source",
    "describe",
    "end_spend",
    "finance_reference_text",
    "finance_visibility",
    "format_percentage",
    "full_title",
    "get_agreement",
    "get_budget",
    "get_income",
    "get_invoice",
    "get_line",
    "get_payment",
    "get_spend",
    "has_live_invoices",
    "home_selects",
    "income_of",
    "invoice_letter",
    "invoice_pdf",
    "invoiced_by_agreement",
    "invoices_of",
    "invoices_to_chase",
    "is_statutory_agency",
    "label",
    "lines_of",
    "list_agreements",
    "list_budgets",
    "list_invoices",
    "list_payments",
    "list_spend",
    "manages",
    "mark_chased",
    "may_see_finances",
    "monitoring",
    "open_commitments",
    "overdue_invoices",
    "overdue_summary",
    "parse_arm",
    "parse_budget_ref",
    "parse_percentage",
    "partner_organisation_id",
    "payments_of",
    "percentage_of",
    "raise_invoice",
    "recalculate",
    "record_approval",
    "record_commitment",
    "record_payment",
    "record_spend",
    "record_spend_against_commitment",
    "reverse_payment",
    "scheme_of",
    "sees_all",
    "send_invoice",
    "set_finance_reference",
    "set_forecast",
    "set_scheme",
    "spend_by_line",
    "split_by_weights",
    "split_equally",
    "start_year",
    "summary",
    "title",
    "totals",
    "totals_for",
    "update_agreement",
    "update_income",
    "update_line",
    "update_settings",
    "variations_of",
    "with_uplift",
    "year_end_position",
]
