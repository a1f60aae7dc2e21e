"""Starting a report, editing and assigning sections, the lifecycle (the chair's comments,
redrafting, the chair-only approval), the freeze on approval and the distribution."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from safeguarding.calendar import financial_year_start, today
from safeguarding.models import AnnualReportState, ReviewKind, SectionKind, SectionState
from safeguarding.services import annual
from safeguarding.services.errors import Conflict, Forbidden, StaleVersion, ValidationFailed
from safeguarding.workflows.annual import annual_report_lifecycle as lc
from tests.annual.factories import ReviewFactory
from tests.support.annual import board_agrees

YEAR = 2011


@pytest.fixture
def office(demo):
    return demo.user("office")


@pytest.fixture
def chair(demo):
    return demo.user("chair")


@pytest.fixture
def report(office):
    return annual.start_report(YEAR, office)


def _write_all(report, user):
    for s in report.sections:
        if s.kind == SectionKind.narrative:
            annual.edit_section(report, s, user, version=report.version, text=f"Text of {s.heading}")


def test_start_makes_narrative_and_data_sections_with_figures_taken(report):
    kinds = {s.key: s.kind for s in report.sections}
    assert {k for k, v in kinds.items() if v == SectionKind.narrative} == {"foreword", "priorities", "next_year"}
    assert {"meetings", "members", "sars", "csprs", "budget", "disputes"} <= set(kinds)
    assert report.state == AnnualReportState.drafting and report.figures_taken_at is not None
    assert [s.order for s in report.sections] == sorted(s.order for s in report.sections)
    assert all(s.generated_summary for s in report.sections if s.kind == SectionKind.data)


def test_start_is_for_the_office_once_per_year_and_for_a_year_that_has_begun(report, office, chair):
    with pytest.raises(Forbidden):
        annual.start_report(YEAR + 1, chair)
    with pytest.raises(Conflict):
        annual.start_report(YEAR, office)
    with pytest.raises(ValidationFailed):
        annual.start_report(financial_year_start(today()) + 1, office)


def test_submit_needs_every_narrative_section_written(report, office):
    with pytest.raises(ValidationFailed) as exc:
        lc.fire(report, "submit", user=office, version=report.version)
    assert "Chair's foreword" in str(exc.value.reasons)
    _write_all(report, office)
    lc.fire(report, "submit", user=office, version=report.version)
    assert report.state == AnnualReportState.submitted


def test_edits_check_the_version_and_the_state(report, office):
    s = annual.section_by_key(report, "foreword")
    with pytest.raises(StaleVersion):
        annual.edit_section(report, s, office, version=report.version - 1, text="x")
    with pytest.raises(ValidationFailed):
        annual.edit_section(report, s, office, version=report.version, text="  ")
    data = annual.section_by_key(report, "sars")
    annual.edit_section(report, data, office, version=report.version, text="Edited summary")
    assert data.summary == "Edited summary"
    annual.edit_section(report, data, office, version=report.version, text="")
    assert data.summary == data.generated_summary
    _write_all(report, office)
    lc.fire(report, "submit", user=office, version=report.version)
    with pytest.raises(Conflict):
        annual.edit_section(report, s, office, version=report.version, text="Too late")


def test_a_writer_may_write_their_section(report, office, demo):
    s = annual.section_by_key(report, "foreword")
    writer = demo.user("police")
    with pytest.raises(Forbidden):
        annual.edit_section(report, s, writer, version=report.version, text="Mine")
    with pytest.raises(ValidationFailed):
        annual.assign_writer(
            report, s, office, version=report.version, person_id=writer.person_id, due_on=today() - timedelta(days=1)
        )
    with pytest.raises(Forbidden):
        annual.assign_writer(report, s, writer, version=report.version, person_id=writer.person_id, due_on=today())
    annual.assign_writer(
        report, s, office, version=report.version, person_id=writer.person_id, due_on=today() + timedelta(days=14)
    )
    annual.edit_section(report, s, writer, version=report.version, text="Mine")
    assert s.text == "Mine" and s.state == SectionState.written
    assert annual.may_see_draft(report, writer) and not annual.may_see_draft(report, demo.user("icb"))


def test_changes_requested_needs_a_comment_on_a_section_and_the_chair(report, office, chair):
    _write_all(report, office)
    lc.fire(report, "submit", user=office, version=report.version)
    with pytest.raises(ValidationFailed) as exc:
        lc.fire(report, "request_changes", user=chair, version=report.version)
    assert "at least one section" in str(exc.value.reasons)
    foreword = annual.section_by_key(report, "foreword")
    with pytest.raises(Forbidden):
        annual.comment_on_sections(report, office, {foreword.id: "No"})
    assert annual.comment_on_sections(report, chair, {foreword.id: "Say more about the year"}) == 1
    with pytest.raises(Forbidden):
        lc.fire(report, "request_changes", user=office, version=report.version)
    lc.fire(report, "request_changes", user=chair, version=report.version, comment="Nearly there")
    assert report.state == AnnualReportState.changes_requested
    assert foreword.state == SectionState.changes_requested
    with pytest.raises(Conflict):  # back to drafting first
        annual.edit_section(report, foreword, office, version=report.version, text="More")
    with pytest.raises(Forbidden):
        lc.fire(report, "redraft", user=chair, version=report.version)
    lc.fire(report, "redraft", user=office, version=report.version)
    assert foreword.chair_comment == "Say more about the year"  # kept while redrafting
    annual.edit_section(report, foreword, office, version=report.version, text="More about the year")
    lc.fire(report, "submit", user=office, version=report.version)
    assert foreword.chair_comment is None and foreword.state == SectionState.written
    assert [h.trigger for h in lc.history(report.id)] == ["submit", "request_changes", "redraft", "submit"]


def test_only_the_chair_approves(report, office, chair):
    _write_all(report, office)
    lc.fire(report, "submit", user=office, version=report.version)
    with pytest.raises(Forbidden):
        lc.fire(report, "approve", user=office, version=report.version)
    with pytest.raises(StaleVersion):
        lc.fire(report, "approve", user=chair, version=report.version - 1)
    lc.fire(report, "approve", user=chair, version=report.version)
    assert report.state == AnnualReportState.approved and report.approved_on == today()


def test_figures_are_frozen_on_approval(report, office, chair, demo):
    before = annual.figure(annual.section_by_key(report, "sars"), "referrals")
    ReviewFactory(kind=ReviewKind.sar, group=demo.group("sar"), received_on=date(2011, 6, 1))
    annual.refresh_figures(report, office, version=report.version)  # while drafting: refreshed
    assert annual.figure(annual.section_by_key(report, "sars"), "referrals") == before + 1
    _write_all(report, office)
    lc.fire(report, "submit", user=office, version=report.version)
    with pytest.raises(Conflict):
        annual.refresh_figures(report, office, version=report.version)
    lc.fire(report, "approve", user=chair, version=report.version)
    taken = report.figures_taken_at
    ReviewFactory(kind=ReviewKind.sar, group=demo.group("sar"), received_on=date(2011, 7, 1))
    with pytest.raises(Conflict):
        annual.refresh_figures(report, office, version=report.version)
    assert annual.figure(annual.section_by_key(report, "sars"), "referrals") == before + 1
    assert report.figures_taken_at == taken


def test_publication_records_the_statutory_distribution(report, office, chair, demo):
    _write_all(report, office)
    lc.fire(report, "submit", user=office, version=report.version)
    lc.fire(report, "approve", user=chair, version=report.version)
    with pytest.raises(ValidationFailed):
        lc.fire(report, "publish", user=office, version=report.version, params={"sent_on": today() + timedelta(days=1)})
    with pytest.raises(Forbidden):
        lc.fire(report, "publish", user=chair, version=report.version, params={"sent_on": today()})
    board_agrees(report, demo)
    lc.fire(report, "publish", user=office, version=report.version, params={"sent_on": today()})
    assert report.state == AnnualReportState.published and report.published_on == today()
    recipients = annual.recipients_of(report)
    roles = [r.role for r in recipients if r.statutory]
    for council in ("North Council", "West Council"):
        assert f"Chief executive, {council}" in roles and f"Leader of the council, {council}" in roles
        assert f"Chair of the Health and Wellbeing Board, {council}" in roles
    assert any(r.startswith("Police and crime commissioner") for r in roles)
    assert any(r.startswith("Local Healthwatch") for r in roles)
    partners = [r for r in recipients if not r.statutory]
    assert demo.org("fire").id in {r.organisation_id for r in partners}
    assert all(r.sent_on == today() for r in recipients)


def test_new_sections_registered_later_join_a_report_on_refresh(report, office):
    @annual.section("test_extra", 85, "A later feature")
    def _extra(year, *, arm, area):
        return annual.SectionData([annual.Figure("n", "Things", 7 if area is None else 1)], summary="Seven things.")

    try:
        annual.refresh_figures(report, office, version=report.version)
        s = annual.section_by_key(report, "test_extra")
        assert annual.figure(s, "n") == 7 and annual.figure(s, "n", area="west") == 1
        assert s.generated_summary == "Seven things." and s.order == 85
        with pytest.raises(ValueError):
            annual.section("test_extra", 86, "Again")(_extra)
    finally:
        annual._sections.pop("test_extra")


def test_emails_tell_the_chair_the_office_and_the_writer(report, office, chair, demo):
    import sqlalchemy as sa

    from safeguarding.extensions import db
    from safeguarding.models import OutboxMessage

    def sent(kind):
        return list(
            db.session.scalars(
                sa.select(OutboxMessage).where(OutboxMessage.kind == kind, OutboxMessage.subject.contains("2011/12"))
            )
        )

    writer = demo.user("police")
    s = annual.section_by_key(report, "next_year")
    annual.assign_writer(
        report, s, office, version=report.version, person_id=writer.person_id, due_on=today() + timedelta(days=10)
    )
    assigned = sent("annual_report_assigned")
    assert [m.to_addrs for m in assigned] == [[demo.person("police_lead").email]]
    assert "Annual report 2011/12" in assigned[0].subject and "Police" not in assigned[0].subject
    _write_all(report, office)
    lc.fire(report, "submit", user=office, version=report.version)
    assert [m.to_addrs for m in sent("annual_report_submitted")] == [["chair@demo.test"]]
    annual.comment_on_sections(report, chair, {s.id: "More, please"})
    lc.fire(report, "request_changes", user=chair, version=report.version)
    assert [m.to_addrs for m in sent("annual_report_returned")] == [["office@demo.test", "officer@demo.test"]]
