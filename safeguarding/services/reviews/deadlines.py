"""Pauses and elapsed time, and a review's deadlines: statutory for a CSPR, the report
target for both (moved on by pauses)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from dateutil.relativedelta import relativedelta

from safeguarding.calendar import WorkingDays, working_days
from safeguarding.extensions import db
from safeguarding.models import DeadlineKind, Review, ReviewKind, ReviewPause, ReviewState
from safeguarding.models.reviews import CLOSED_STATES
from safeguarding.services.reviews.rules import (
    LCSPR_REPORT_MONTHS,
    NOTIFY_PANEL_WORKING_DAYS,
    RAPID_REVIEW_WORKING_DAYS,
    setting,
)

# --- pauses and elapsed time ----------------------------------------------------------------------


def pauses_of(review_ids: Sequence[int]) -> dict[int, list[ReviewPause]]:
    out: dict[int, list[ReviewPause]] = {}
    if not review_ids:
        return out
    for p in db.session.scalars(
        sa.select(ReviewPause).where(ReviewPause.review_id.in_(list(review_ids))).order_by(ReviewPause.started_on)
    ):
        out.setdefault(p.review_id, []).append(p)
    return out


def paused_days(pauses: Iterable[ReviewPause], start: date, end: date) -> int:
    """Calendar days of [start, end) during which the review was paused."""
    total = 0
    for p in pauses:
        lo, hi = max(start, p.started_on), min(end, p.ended_on or end)
        if hi > lo:
            total += (hi - lo).days
    return total


def elapsed_days(start: date, end: date, pauses: Iterable[ReviewPause] = ()) -> int:
    """Calendar days from start to end, leaving out the days the review was paused."""
    return (end - start).days - paused_days(pauses, start, end)


# --- deadlines --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    kind: DeadlineKind
    due_on: date
    met_on: date | None
    status: str  # on_track, due_soon, breached, met, met_late, paused
    remaining: int  # days left (working days for working-day deadlines); negative when overdue
    working: bool

    @property
    def label(self) -> str:
        return self.kind.label

    @property
    def is_open(self) -> bool:
        return self.status in ("on_track", "due_soon", "breached")

    @property
    def status_label(self) -> str:
        return {
            "on_track": "On track",
            "due_soon": "Due soon",
            "breached": "Breached",
            "met": "Met",
            "met_late": "Met late",
            "paused": "Paused",
        }[self.status]

    @property
    def colour(self) -> str:
        return {
            "on_track": "green",
            "due_soon": "yellow",
            "breached": "red",
            "met": "grey",
            "met_late": "orange",
            "paused": "blue",
        }[self.status]

    @property
    def remaining_text(self) -> str:
        if not self.is_open:
            return ""
        unit = "working day" if self.working else "day"
        n = abs(self.remaining)
        words = f"{n} {unit}{'' if n == 1 else 's'}"
        if self.remaining > 0:
            return f"{words} left"
        if self.remaining == 0:
            return "due today"
        return f"{words} overdue"


STATUS_RANK = {"breached": 3, "due_soon": 2, "on_track": 1, "paused": 0}


class LazyWorkingDays:
    """The partnership's working-day calendar, read from the database only when a
    deadline actually needs it (most SAR pages never do)."""

    def __init__(self) -> None:
        self._cal: WorkingDays | None = None

    def _get(self) -> WorkingDays:
        if self._cal is None:
            self._cal = working_days()
        return self._cal

    def add(self, start: date, days: int) -> date:
        return self._get().add(start, days)

    def between(self, start: date, end: date) -> int:
        return self._get().between(start, end)

    def is_working_day(self, d: date) -> bool:
        return self._get().is_working_day(d)


def report_due(review: Review, on: date) -> date | None:
    """The final report's due date, moved on by the days the review has been paused
    (ended pauses, and the one under way up to `on`)."""
    if review.report_due_on is None:
        return None
    ongoing = (on - review.paused_since).days if review.paused_since and on > review.paused_since else 0
    return review.report_due_on + timedelta(days=(review.paused_days or 0) + ongoing)


def _deadline(
    kind: DeadlineKind, due: date, met: date | None, on: date, cal: Any, working: bool, warn: int
) -> Deadline:
    if met is not None:
        return Deadline(kind, due, met, "met" if met <= due else "met_late", 0, working)
    if working:
        remaining = cal.between(on, due) if due >= on else -cal.between(due, on)
        left = remaining
    else:
        remaining = (due - on).days
        # Months away needs no day-by-day count.
        left = cal.between(on, due) if 0 <= remaining <= 3 * warn + 14 else (remaining if remaining > 0 else -1)
    if on > due:
        status = "breached"
    elif left <= warn:
        status = "due_soon"
    else:
        status = "on_track"
    return Deadline(kind, due, None, status, remaining, working)


def deadlines(review: Review, on: date, cal: Any = None) -> list[Deadline]:
    """The review's deadlines as of `on`: a CSPR's notification to the national panel and
    to the safeguarding partners of the child's area (each 5 working days after the local
    authority became aware) and rapid review (15 working
    days after the notification), and the final report (6 calendar months after the
    decision for an LCSPR; the configured target for a SAR; moved on by any pause)."""
    cal = cal or LazyWorkingDays()
    warn = setting("REVIEW_WARNING_WORKING_DAYS")
    out: list[Deadline] = []
    if review.kind == ReviewKind.cspr:
        out.append(
            _deadline(
                DeadlineKind.notify_panel,
                cal.add(review.received_on, NOTIFY_PANEL_WORKING_DAYS),
                review.notified_on,
                on,
                cal,
                True,
                warn,
            )
        )
        # Each safeguarding partner of the child's area is told within 5 working days of
        # the council becoming aware, like the Panel (domain.md, "Children's safeguarding
        # arrangements"); the service emails them when the notification is recorded.
        out.append(
            _deadline(
                DeadlineKind.tell_partners,
                cal.add(review.received_on, NOTIFY_PANEL_WORKING_DAYS),
                review.partners_told_on,
                on,
                cal,
                True,
                warn,
            )
        )
        if review.notified_on is not None:
            out.append(
                _deadline(
                    DeadlineKind.rapid_review,
                    cal.add(review.notified_on, RAPID_REVIEW_WORKING_DAYS),
                    review.rapid_review_sent_on,
                    on,
                    cal,
                    True,
                    warn,
                )
            )
    due = report_due(review, on)
    if due is not None and review.decision is not None and review.decision.commissions:
        d = _deadline(DeadlineKind.report, due, review.signed_off_on, on, cal, False, warn)
        if review.state == ReviewState.paused and d.is_open:
            d = Deadline(d.kind, d.due_on, None, "paused", d.remaining, False)
        out.append(d)
    if review.state in CLOSED_STATES:
        out = [d for d in out if not d.is_open]
    return out


def worst(deadline_list: Iterable[Deadline]) -> Deadline | None:
    candidates = [d for d in deadline_list if d.is_open or d.status == "paused"]
    if not candidates:
        return None
    return max(candidates, key=lambda d: (STATUS_RANK[d.status], -d.due_on.toordinal()))


def report_target_months(kind: ReviewKind) -> int:
    return LCSPR_REPORT_MONTHS if kind == ReviewKind.cspr else setting("SAR_REPORT_TARGET_MONTHS")


def report_due_after(kind: ReviewKind, decided_on: date) -> date:
    """Calendar months after the decision, month-end safe (31 August + 6 months = 28 or
    29 February)."""
    return decided_on + relativedelta(months=report_target_months(kind))
