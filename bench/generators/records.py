"""Information governance at scale: subject access requests over the ten years (about 30
a year, a few open with about 150 records found each, some extended) and holds on classes and records (a few lifted)."""

from __future__ import annotations

from datetime import date, timedelta

from safeguarding.models import AccessRequest, AccessRequestState, DisclosureItem, Hold, HoldScope
from safeguarding.models.base import utcnow
from safeguarding.services.records.access import EXTENSION_MONTHS, due_after

ORDER = 95


def generate(ctx) -> None:
    from bench.generate import FIRST_YEAR, YEARS

    now = utcnow()
    count = ctx.n(300)
    rows, numbers = [], {}
    for i in range(count):
        received = date(FIRST_YEAR, 4, 1) + timedelta(days=int(i * 365 * YEARS / count))
        is_open = i >= count - 6
        extended = i % 9 == 0
        numbers[received.year] = numbers.get(received.year, 0) + 1
        due = due_after(received)
        rows.append(
            {
                "id": i + 1,
                "reference": f"DSAR-{received.year}-{numbers[received.year]:03d}",
                "number": numbers[received.year],
                "year": received.year,
                "requester_name": f"Requester {i + 1}",
                "requester_email": None,
                "received_on": received,
                "identity_checked_on": received,
                "search_names": f"Requester {i + 1}",
                "search_emails": "",
                "state": (AccessRequestState.open if is_open else AccessRequestState.answered).value,
                "due_on": due,
                "extended_to": due_after(received, 1 + EXTENSION_MONTHS) if extended else None,
                "extended_on": received + timedelta(days=20) if extended else None,
                "extension_reason": "Complex" if extended else None,
                "person_told_on": received + timedelta(days=20) if extended else None,
                "answered_on": None if is_open else due - timedelta(days=3),
                "outcome": None if is_open else "Disclosed",
                "recorded_by_id": None,
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
        )
    ctx.insert(AccessRequest.__table__, rows, "subject access requests")
    # What we hold for each open request: a partner member's ten years of email (about 150).
    items = [
        {
            "id": n * 150 + k + 1,
            "access_request_id": r["id"],
            "record_type": "email",
            "record_id": k + 1,
            "title": f"Email {k + 1} (attendance reminder)",
            "occurred_on": r["received_on"] - timedelta(days=k * 20),
            "found_by": "recipient",
            "decision": ("disclose" if k % 3 else "pending"),
            "version": 1,
            "created_at": now,
            "updated_at": now,
        }
        for n, r in enumerate(x for x in rows if x["state"] == AccessRequestState.open.value)
        for k in range(150)
    ]
    ctx.insert(DisclosureItem.__table__, items, "disclosure items")
    holds = [
        {
            "id": k + 1,
            "scope": (HoldScope.record_class if k % 2 == 0 else HoldScope.record).value,
            "record_type": None if k % 2 == 0 else "person",
            "record_id": None if k % 2 == 0 else ctx.ids["people"][k % len(ctx.ids["people"])],
            "review_id": None,
            "class_key": "cspr_records" if k % 2 == 0 else None,
            "reason": "Generated for the benchmark",
            "placed_on": date(FIRST_YEAR, 4, 1) + timedelta(days=120 * k),
            "placed_by_id": None,
            "lifted_on": date(FIRST_YEAR, 4, 1) + timedelta(days=120 * k + 400) if k % 3 == 0 else None,
            "lifted_by_id": None,
            "lift_reason": "Generated" if k % 3 == 0 else None,
            "version": 1,
            "created_at": now,
            "updated_at": now,
        }
        for k in range(ctx.n(30))
    ]
    ctx.insert(Hold.__table__, holds, "holds")
