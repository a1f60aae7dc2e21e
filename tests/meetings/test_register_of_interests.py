"""The annual register of interests (domain.md "Meetings", issue 16): each Board member
declares their interests, or makes a nil return, once a financial year; the office sees who
has not."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import InterestReturn
from safeguarding.services import meetings as svc
from safeguarding.services.errors import Conflict, Forbidden, ValidationFailed

THIS_YEAR = 2026  # the suite's today is 3 December 2026: financial year 2026/27


def _missing(year: int = THIS_YEAR) -> list[str]:
    return [r.person.name for r in svc.register_of_interests(year) if r.interest_return is None]


def test_the_demo_register_has_two_board_members_yet_to_declare(demo, client_as):
    assert sorted(_missing()) == sorted([demo.person("healthwatch_lead").name, demo.person("vcs_lead").name])
    assert db.session.scalar(svc.yet_to_declare_select()) == 2
    office_home = client_as("office").get("/home").text
    assert "Board members yet to declare their interests" in office_home
    page = client_as("office").get("/interests").text
    assert "2 Board members have not yet made a return for 2026/27" in page
    assert page.count("Not yet made") == 2


def test_a_member_declares_once_a_year_and_the_office_sees_it(demo, client_as, api_as):
    office = api_as("office")
    r = office.post(
        "/api/v1/interest-returns",
        json={"financial_year": "2026-27", "person_id": demo.person("vcs_lead").id, "nil": True},
    )
    assert r.status_code == 201 and r.json["made"] is True and r.json["nil"] is True
    assert _missing() == [demo.person("healthwatch_lead").name]
    r = office.post(
        "/api/v1/interest-returns",
        json={"financial_year": "2026-27", "person_id": demo.person("vcs_lead").id, "nil": True},
    )
    assert r.status_code == 409  # once a year
    listed = office.get("/api/v1/interest-returns?year=2026-27").json
    assert {line["person"] for line in listed if not line["made"]} == {demo.person("healthwatch_lead").name}


def test_a_member_makes_their_own_return_and_not_someone_elses(demo, client_as):
    police = demo.user("police")
    assert "Declare your interests for the year" not in client_as("police").get("/home").text
    db.session.execute(sa.delete(InterestReturn).where(InterestReturn.person_id == police.person_id))
    assert "Declare your interests for the year" in client_as("police").get("/home").text
    with pytest.raises(Forbidden):
        svc.record_interest_return(
            police, financial_year=THIS_YEAR, nil=True, interests=None, person_id=demo.person("vcs_lead").id
        )
    row = svc.record_interest_return(police, financial_year=THIS_YEAR, nil=False, interests="Governor of a school")
    assert (row.person_id, row.interests, row.declared_on) == (
        police.person_id,
        "Governor of a school",
        date(2026, 12, 3),
    )


@pytest.mark.parametrize(
    ("kw", "errors"),
    [
        ({"nil": False, "interests": " "}, {"interests": "Enter your interests, or make a nil return"}),
        (
            {"nil": True, "interests": "Trustee"},
            {"interests": "A nil return lists no interests: remove them or untick ‘nil return’"},
        ),
        ({"nil": True, "interests": None, "financial_year": 2024}, {"financial_year": "Select 2026/27 or 2025/26"}),
        (
            {"nil": True, "interests": None, "declared_on": date(2026, 12, 4)},
            {"declared_on": "The date of the return must be today or in the past"},
        ),
    ],
)
def test_bad_returns_are_refused_and_change_nothing(demo, kw, errors):
    values = {"financial_year": THIS_YEAR, "person_id": demo.person("healthwatch_lead").id, **kw}
    with pytest.raises(ValidationFailed) as exc:
        svc.record_interest_return(demo.user("office"), **values)
    assert exc.value.errors == errors
    assert demo.person("healthwatch_lead").name in _missing()


def test_only_board_members_make_returns(demo):
    with pytest.raises(Forbidden):
        svc.record_interest_return(
            demo.user("office"),
            financial_year=THIS_YEAR,
            nil=True,
            interests=None,
            person_id=demo.person("north_dcs").id,  # on the CSPR sub-group, not the Board
        )
    with pytest.raises(Forbidden):
        svc.record_interest_return(demo.user("viewer"), financial_year=THIS_YEAR, nil=True, interests=None)


def test_the_return_page_and_its_errors(demo, client_as):
    c = client_as("office")
    r = c.post(
        "/interests/return",
        data={"financial_year": "2026", "person_id": str(demo.person("healthwatch_lead").id), "interests": ""},
    )
    assert r.status_code == 200 and "Enter your interests, or make a nil return" in r.text
    assert "govuk-error-summary" in r.text
    r = c.post(
        "/interests/return",
        data={"financial_year": "2026", "person_id": str(demo.person("healthwatch_lead").id), "nil": "y"},
    )
    assert r.status_code == 302
    assert _missing() == [demo.person("vcs_lead").name]
    assert client_as("office").get("/interests?year=nonsense").status_code == 400


def test_conflict_is_a_conflict(demo):
    with pytest.raises(Conflict):
        svc.record_interest_return(
            demo.user("office"),
            financial_year=THIS_YEAR,
            nil=True,
            interests=None,
            person_id=demo.person("police_lead").id,
        )
