"""Demo information requests beyond the directory: section 45 reaches anyone, for any of
the Board's functions."""

from __future__ import annotations

from typing import Any

from safeguarding.demo import at, day
from safeguarding.services import reviews as svc


def _send_request(review: Any, user: Any, **kw: Any) -> Any:
    """A review's request, sent as at its date."""
    with at(kw["sent_on"]):
        return svc.send_information_request(review, user, **kw)


def s45_beyond_the_directory(d: Any, gathering: Any, conditions: list[int]) -> dict[str, Any]:
    # Section 45 reaches anyone: RJ's GP practice is not in the directory; the letter is
    # emailed to its practice manager and the office records the reply.
    gp = _send_request(
        gathering,
        d.office,
        recipient_name="The Practice Manager, Riverside Medical Practice",
        recipient_email="practice.manager@riverside-medical.test",
        recipient_address="Riverside Medical Practice\n12 Mill Lane\nNorthtown\nNT1 4AB",
        conditions=conditions,
        request="GP records for RJ from January 2025: consultations, prescriptions, and referrals made or received.",
        sent_on=day(2026, 11, 12),
    )
    # And for another of the Board's functions: a multi-agency audit.
    with at(day(2026, 11, 18)):
        audit = svc.send_board_request(
            d.office,
            purpose="audit",
            purpose_detail="Multi-agency audit of self-neglect cases, 2026",
            recipient_name="The Registered Manager, Willow Court Care Home",
            recipient_email="manager@willowcourt-care.test",
            recipient_address="Willow Court Care Home\n3 Station Road\nWesthaven\nWH2 7QP",
            conditions=[1, 2, 3],
            request="For each resident referred for self-neglect since April 2026: the date of referral, who "
            "referred, and the outcome. No names: the audit uses the case numbers on the enclosed list.",
            sent_on=day(2026, 11, 18),
        )
    return {"gp_practice": gp, "audit_care_home": audit}
