"""Who may act on a review, and what must hold before each of its transitions."""

from __future__ import annotations

from safeguarding.models import Review, ReviewKind, ReviewOutcome, Role
from safeguarding.services import reviews as svc
from safeguarding.workflows.base import TransitionContext

OFFICE = {Role.business_office}
CHAIR = {Role.independent_chair}
WORKERS = {Role.business_office, Role.partner_member, Role.subgroup_chair}


def _worker(review: Review, user) -> bool:
    return svc.may_work_on(review, user)


# --- guards ------------------------------------------------------------------------------------


def _screened(ctx: TransitionContext) -> str | None:
    if ctx.row.screening_outcome is None:
        return "Record the screening against the s44 criteria first"
    return None


def _no_outstanding_requests(ctx: TransitionContext) -> str | None:
    n = svc.outstanding_requests(ctx.row)
    if n:
        return (
            f"{n} information {'request is' if n == 1 else 'requests are'} still awaited: record "
            f"{'its return' if n == 1 else 'their returns'} or withdraw {'it' if n == 1 else 'them'} first"
        )
    return None


def _route_fits(field_name: str):
    def guard(ctx: TransitionContext) -> str | None:
        return svc.route_refusal(ctx.row, ctx.params.get(field_name))

    return guard


def _notification_recorded(ctx: TransitionContext) -> str | None:
    if ctx.row.notified_on is None:
        return "Record the date the notification was sent to the national panel first"
    return None


def _rapid_review_recorded(ctx: TransitionContext) -> str | None:
    r: Review = ctx.row
    if not r.rapid_review_reasons or r.rapid_review_sent_on is None:
        return "Record the rapid review's findings and the date it was sent to the national panel first"
    if ctx.params.get("recommendation") == ReviewOutcome.lcspr.value and not r.lcspr_criteria:
        return "Record which criteria for a local review the case meets first"
    return None


def _late(ctx: TransitionContext, kind) -> bool:
    for d in svc.deadlines(ctx.row, ctx.as_of):
        if d.kind == kind and (d.status == "breached" or d.status == "met_late"):
            return True
    return False


def _delay_explained(kind):
    def guard(ctx: TransitionContext) -> str | None:
        if _late(ctx, kind) and not ctx.row.delay_explanation:
            return f"The deadline ({kind.label.lower()}) has passed: record an explanation of the delay first"
        return None

    return guard


def _commissioning_recorded(ctx: TransitionContext) -> str | None:
    r: Review = ctx.row
    missing = [
        what
        for what, value in (
            ("the terms of reference", r.terms_of_reference),
            ("the methodology", r.methodology),
            ("the independent reviewer", r.reviewer),
        )
        if not value
    ]
    if r.kind == ReviewKind.sar and r.contract_value_pence is None:
        missing.append("the contract value")
    if missing:
        return "Record " + ", ".join(missing[:-1]) + (" and " if len(missing) > 1 else "") + missing[-1] + " first"
    return None


def _period_recorded(ctx: TransitionContext) -> str | None:
    if ctx.row.period_from is None or ctx.row.period_to is None:
        return "Record the period the review covers first"
    return None


def _resume_after_today(ctx: TransitionContext) -> str | None:
    resume = ctx.params.get("expected_resume_on")
    if resume is not None and resume <= ctx.as_of:
        return "The expected resume date must be in the future"
    return None


def _draft_uploaded(ctx: TransitionContext) -> str | None:
    if ctx.row.draft_report_file_id is None:
        return "Upload the draft report first"
    return None


def _family_recorded(ctx: TransitionContext) -> str | None:
    if ctx.row.family_invited is None:
        return "Record whether the family was invited to contribute first"
    return None


def _quality_checked(ctx: TransitionContext) -> str | None:
    if ctx.row.quality_check_passed is not True:
        return "The sub-group has not passed the draft report in its quality check"
    return None


def _board_signed_off(ctx: TransitionContext) -> str | None:
    if svc.board_sign_off(ctx.row) is None:
        return "The Board has not signed off this review: add it to a Board agenda"
    return None


def _final_uploaded(ctx: TransitionContext) -> str | None:
    if ctx.row.final_report_file_id is None:
        return "Upload the final report first"
    return None


def _publication_complete(ctx: TransitionContext) -> str | None:
    p = ctx.params
    if p.get("publish") is True:
        if p.get("published_on") is None or not p.get("publication_url"):
            return "Enter the publication date and the link to the published report"
    elif p.get("publish") is False and not p.get("not_published_reason"):
        return "Enter the reasons the report will not be published"
    return None


def _action_plan_in_place(ctx: TransitionContext) -> str | None:
    recs = svc.recommendations_of(ctx.row)
    if not recs:
        return "Add the report's recommendations and their actions first"
    actions = svc.actions_of(ctx.row)
    bare = [str(r.number) for r in recs if not actions.get(r.id)]
    if bare:
        return (
            f"Recommendation{'s' if len(bare) > 1 else ''} {', '.join(bare)} "
            f"{'have' if len(bare) > 1 else 'has'} no actions: add at least one for each"
        )
    return None


def _all_actions_closed(ctx: TransitionContext) -> str | None:
    n = svc.open_action_count(ctx.row)
    if n:
        return (
            f"{n} {'action is' if n == 1 else 'actions are'} still open: each must be completed or accepted "
            "as not implemented with a reason"
        )
    return None
