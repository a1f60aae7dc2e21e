"""Information governance in the demo: a subject access request with 9 working days left
(from a partner member: "find what we hold" run, his own records marked to disclose, the
emails still to decide),
one extended by two months, one answered; the retention schedule confirmed for every class
but two (the audit log and user accounts, which the office is still agreeing with the host
council); and the IICSA hold on the children's partnership's review records."""

from __future__ import annotations

from datetime import timedelta

from safeguarding.demo import DemoContext, as_of, at, day, step
from safeguarding.services.records import access, disclosure, schedule

UNCONFIRMED = ("audit_log", "user_accounts")


def _received_for(due) -> object:
    """The latest day of receipt whose one-month answer falls due on `due`."""
    for back in range(25, 45):
        received = due - timedelta(days=back)
        if access.due_after(received) == due:
            return received
    raise RuntimeError(f"no day of receipt falls due on {due}")


@step(95, "information governance")
def seed_records(ctx: DemoContext) -> None:
    office = ctx.users["office"]
    today = as_of()
    due = access._STATUTORY_DAYS.add(today, 9)
    received = _received_for(due)
    with at(received):
        open_request = access.log_request(
            user=office,
            requester_name="Owen Pritchard",
            requester_email="owen.pritchard@home.demo.test",
            received_on=received,
            identity_checked_on=received,
            search_names="Owen Pritchard\nOwen Pritchard-Evans",
            search_emails="vcs.lead@people.demo.test\nowen.pritchard@home.demo.test",
        )
    # Two days later the office ran "find what we hold" and began deciding: the person's
    # own records to disclose, the register of another group withheld for now; the emails
    # are still to be read.
    with at(access._STATUTORY_DAYS.add(received, 2)):
        disclosure.find_what_we_hold(open_request, user=office)
        for item in disclosure.items(open_request):
            if item.record_type in ("person", "user", "membership", "action", "declaration"):
                disclosure.decide(open_request, item, user=office, version=item.version, decision="disclose")
    extended_received = today - timedelta(days=45)
    with at(extended_received + timedelta(days=3)):  # logged when the identity was checked
        extended = access.log_request(
            user=office,
            requester_name="Thomas Greaves",
            received_on=extended_received,
            identity_checked_on=extended_received + timedelta(days=3),
            search_names="Thomas Greaves\nTom Greaves",
        )
    told = extended.due_on - timedelta(days=5)
    with at(told):
        access.extend(
            extended,
            user=office,
            version=extended.version,
            reason="Records in four sub-groups' papers since 2019 and two case reviews to consider for redaction",
            person_told_on=told,
            on=told,
        )
    answered_received = day(2026, 8, 10)
    with at(answered_received):
        answered = access.log_request(
            user=office, requester_name="Graham Lowe", received_on=answered_received, search_names="Graham Lowe"
        )
    with at(day(2026, 9, 1)):
        access.answer(
            answered,
            user=office,
            version=answered.version,
            answered_on=day(2026, 9, 1),
            outcome="Disclosed: attendance records and two emails; third parties' details redacted",
        )
    with at(day(2026, 5, 14)):
        for e in schedule.schedule(office):
            schedule.set_rule(
                e.key,
                user=office,
                version=None,
                period_years=e.period_years,
                trigger=e.trigger.value,
                final_action=e.final_action.value,
                confirmed=e.key not in UNCONFIRMED,
                note="As the host council's retention schedule (information sharing agreement, May 2026)",
            )
    with at(day(2026, 4, 2)):
        hold = schedule.place_hold(
            user=office,
            scope="class",
            class_key="cspr_records",
            reason=(
                "Independent Inquiry into Child Sexual Abuse: instruction of 2015 to retain anything relating to "
                "child sexual abuse or to child protection and care; kept after the Inquiry's final report (2022)"
            ),
            placed_on=day(2026, 4, 2),
        )
    ctx.extra["access_requests"] = {"open": open_request, "extended": extended, "answered": answered}
    ctx.extra["holds"] = {"iicsa": hold}
