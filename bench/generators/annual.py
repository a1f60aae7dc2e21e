"""The annual report for the last complete financial year, started through the service
(so its generation over ten years of records is exercised at benchmark size)."""

from __future__ import annotations

import time

ORDER = 90


def generate(ctx) -> None:
    import sqlalchemy as sa

    from bench.generate import FIRST_YEAR, YEARS
    from safeguarding.extensions import db
    from safeguarding.models import User
    from safeguarding.services import annual

    office = db.session.scalar(sa.select(User).where(User.email == "business_office@bench.example"))
    started = time.perf_counter()
    annual.start_report(FIRST_YEAR + YEARS - 2, office)
    print(f"annual report generated in {time.perf_counter() - started:.1f}s")
