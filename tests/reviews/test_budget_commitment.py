"""Commissioning a SAR commits the independent reviewer's contract against the budget line
"Safeguarding Adult Reviews – Independent Authors" of the year the review starts."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import SAR_AUTHORS_LINE, Commitment, ReviewState
from safeguarding.services import budget
from safeguarding.services import reviews as svc
from safeguarding.services.errors import Conflict, Forbidden, ValidationFailed
from tests.reviews.helpers import advance, new_cspr, new_sar


def _commitments(review):
    return list(
        db.session.scalars(
            sa.select(Commitment).where(Commitment.source_type == "review", Commitment.source_id == review.id)
        )
    )


def test_starting_a_sar_commits_the_contract_value_in_that_years_budget(demo):
    review = new_sar(demo, harm_date=date(2020, 4, 20), received_on=date(2020, 5, 1))
    advance(review, demo, ReviewState.in_review, decided_on=date(2020, 6, 1))
    [c] = _commitments(review)
    assert (c.amount_pence, c.reference, c.dated_on, c.line.name, c.budget_id) == (
        500_000,
        review.reference,
        date(2020, 6, 1),
        SAR_AUTHORS_LINE,
        budget.budget_for_year(2020).id,
    )
    assert review.commitment_recorded and not svc.commitment_due(review)
    with pytest.raises(ValidationFailed) as exc:
        svc.record_commissioning(
            review,
            demo.user("office"),
            version=review.version,
            terms_of_reference="ToR",
            methodology="thematic",
            reviewer="R",
            contract_value_pence=900_000,
        )
    assert "already committed in the budget" in exc.value.errors["contract_value_pence"]
    with pytest.raises(Conflict):
        svc.commit_contract_value(review, demo.user("office"))


def test_without_a_budget_the_review_starts_and_the_office_commits_later(client_as, demo):
    review = advance(new_sar(demo), demo, ReviewState.in_review, decided_on=date(2026, 10, 1))
    assert budget.budget_for_year(2026) is None
    assert review.state == ReviewState.in_review and _commitments(review) == []
    assert svc.commitment_due(review)
    c = client_as("office")
    page = c.get(f"/reviews/{review.id}")
    assert "not yet committed in the budget" in page.text
    r = c.post(f"/reviews/{review.id}/commitment")
    assert "There is no budget for 2026/27" in c.get(r.headers["Location"]).text
    with pytest.raises(Forbidden):
        svc.commit_contract_value(review, demo.user("sarchair"))
    budget.start_year(financial_year=2026, user=demo.user("office"))
    r = c.post(f"/reviews/{review.id}/commitment")
    assert "committed in the budget" in c.get(r.headers["Location"]).text
    [commitment] = _commitments(review)
    assert commitment.amount_pence == 500_000 and commitment.budget_id == budget.budget_for_year(2026).id
    assert client_as("sarchair").post(f"/reviews/{review.id}/commitment").status_code == 403


def test_a_cspr_or_an_unpaid_review_commits_nothing(demo):
    cspr = advance(new_cspr(demo), demo, ReviewState.in_review)
    assert _commitments(cspr) == [] and not svc.commitment_due(cspr)
    review = advance(new_sar(demo), demo, ReviewState.commissioned)
    svc.record_commissioning(
        review,
        demo.user("office"),
        version=review.version,
        terms_of_reference="ToR",
        methodology="rapid_time",
        reviewer="In-house reviewer",
        contract_value_pence=0,
        period_from=date(2025, 1, 1),
        period_to=date(2026, 1, 1),
    )
    from tests.reviews.helpers import fire

    fire(review, "start_review", demo.user("office"))
    assert _commitments(review) == [] and not svc.commitment_due(review)
