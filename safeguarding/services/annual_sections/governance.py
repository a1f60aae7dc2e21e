"""The annual report's information governance section: the retention schedule in force
(each class's period, trigger, final action and whether the partnership has confirmed
it), the holds in force, and the records disposed of under it in the year (domain.md,
"Information governance")."""

from __future__ import annotations

import sqlalchemy as sa

from safeguarding.calendar import financial_year_bounds
from safeguarding.extensions import db
from safeguarding.models import DisposalRecord, Hold, RetentionRule
from safeguarding.services.annual_sections.common import _plural
from safeguarding.services.annual_sections.registry import Figure, SectionData, Table, section
from safeguarding.services.records.schedule import CLASSES, ScheduleEntry


@section("governance", 90, "Information governance: the retention schedule", breakdown=())
def governance_section(year: int, *, arm: str | None, area: str | None) -> SectionData:
    start, end = financial_year_bounds(year)
    rules = {r.class_key: r for r in db.session.scalars(sa.select(RetentionRule))}
    entries = [ScheduleEntry(c, rules.get(c.key)) for c in CLASSES]
    holds, disposed = db.session.execute(
        sa.select(
            sa.select(sa.func.count()).select_from(Hold).where(Hold.lifted_on.is_(None)).scalar_subquery(),
            sa.select(sa.func.count())
            .select_from(DisposalRecord)
            .where(DisposalRecord.disposed_on.between(start, end))
            .scalar_subquery(),
        )
    ).one()
    confirmed = sum(1 for e in entries if e.confirmed)
    rows = [[e.name, e.period_text, e.final_action.label, "Yes" if e.confirmed else "Not yet"] for e in entries]
    return SectionData(
        figures=[
            Figure("classes_confirmed", "Record classes with a confirmed retention period", confirmed),
            Figure("holds", "Holds in force", holds),
            Figure("disposed", "Records disposed of under the schedule", disposed),
        ],
        tables=[Table("The retention schedule in force", ["Records", "Kept", "Then", "Confirmed"], rows)],
        summary=(
            f"The partnership's retention schedule has {_plural(len(entries), 'class', 'classes')} of records, "
            f"{confirmed} confirmed; a class not confirmed disposes of nothing. "
            f"Holds in force, which stop disposal of what they cover: {holds}. "
            f"Records disposed of in the year: {disposed}, each proposed and approved by two members of the "
            "business office, with a disposal record kept."
        ),
    )
