"""Bad input is never a 500 (issue 13): the API answers RFC 9457 problem JSON (422 for a
field, 404 for an id that cannot exist, 400/413 for a body it cannot read), pages a GOV.UK
error summary (or a 400/404 page for an address), and nothing is written.

The rules are written once (safeguarding/validation.py) and used by the API's fields
(safeguarding/api/fields.py), the forms (safeguarding/forms.py) and request hooks."""

from __future__ import annotations

import html as html_lib
import re
import unicodedata
from pathlib import Path

import pytest
import sqlalchemy as sa

from safeguarding import validation
from safeguarding.extensions import db
from safeguarding.models import (
    Action,
    ActionStatus,
    Budget,
    BudgetLine,
    Group,
    Meeting,
    MeetingState,
    Membership,
    Review,
    ReviewKind,
    ReviewState,
)

HUGE = "99999999999999999999"


def _problem(r, status: int) -> dict:
    assert r.status_code == status, (r.status_code, r.text[:500])
    assert r.mimetype == "application/problem+json"
    body = r.json
    assert body["status"] == status and body["title"] and body["type"]
    return body


def _summary(html: str) -> list[str]:
    block = re.search(r'govuk-error-summary__list">(.*?)</ul>', html, re.S)
    assert block, "no GOV.UK error summary on the page"
    return [html_lib.unescape(text.strip()) for text in re.findall(r"<a [^>]*>([^<]+)</a>", block.group(1))]


# --- integers past the database's range ------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/reviews/{HUGE}",
        "/api/v1/reviews/2147483648",
        f"/api/v1/actions/{HUGE}",
        f"/api/v1/organisations/{HUGE}/history",
        f"/api/v1/budgets/2020-21/lines/{HUGE}",
    ],
)
def test_an_id_past_the_range_is_not_found(api_as, path):
    method = "patch" if path.endswith("/lines/" + HUGE) else "get"
    _problem(getattr(api_as("office"), method)(path, json={"version": 1} if method == "patch" else None), 404)


def test_the_openapi_document_gives_path_ids_their_range(client):
    spec = client.get("/api/v1/openapi.json").json
    [param] = spec["paths"]["/api/v1/reviews/{review_id}"]["parameters"]
    assert param["schema"] == {"type": "integer", "minimum": 0, "maximum": validation.INT_MAX}


def test_every_page_number_past_the_range_is_refused(api_as, client):
    spec = client.get("/api/v1/openapi.json").json
    lists = [
        path
        for path, ops in spec["paths"].items()
        if "{" not in path and "get" in ops and any(p["name"] == "page" for p in ops["get"].get("parameters", []))
    ]
    assert len(lists) >= 15
    office = api_as("office")
    for path in lists:
        r = office.get(f"{path}?page={HUGE}")
        if r.status_code == 403:  # lists the office may not read: the chair's complaints are the office's too
            continue
        assert _problem(r, 422)["errors"]["page"].startswith("Must be a whole number between"), path


def test_numbers_in_bodies_and_query_strings_past_the_range_are_refused(api_as, demo):
    office = api_as("office")
    r = office.post(
        "/api/v1/actions", json={"title": "Check", "owner_organisation_id": int(HUGE), "due_date": "2027-01-31"}
    )
    assert "owner_organisation_id" in _problem(r, 422)["errors"]
    r = office.get(f"/api/v1/actions?organisation_id={HUGE}")
    assert "organisation_id" in _problem(r, 422)["errors"]
    r = office.get("/api/v1/people?organisation_id=2147483648")
    assert "organisation_id" in _problem(r, 422)["errors"]


def test_pages_refuse_numbers_past_the_range(client_as):
    c = client_as("office")
    assert c.get(f"/reviews/{HUGE}").status_code == 404
    assert c.get("/reviews/2147483648").status_code == 404
    assert c.get(f"/reviews/all?page={HUGE}").status_code == 400
    assert c.get(f"/audit?page={HUGE}").status_code == 400


# --- partial updates --------------------------------------------------------------------------


def _open_action() -> Action:
    return db.session.scalar(
        sa.select(Action)
        .where(Action.status == ActionStatus.open, Action.description.is_not(None), Action.owner_person_id.is_not(None))
        .limit(1)
    )


def test_patching_an_action_keeps_what_it_leaves_out(api_as):
    action = _open_action()
    description, owner_person_id, due = action.description, action.owner_person_id, action.due_date
    r = api_as("office").patch(
        f"/api/v1/actions/{action.id}", json={"version": action.version, "title": "A clearer title"}
    )
    assert r.status_code == 200, r.text
    assert r.json["title"] == "A clearer title"
    assert (r.json["description"], r.json["owner_person_id"]) == (description, owner_person_id)
    assert r.json["due_date"] == due.isoformat()


def test_patching_with_null_where_null_is_not_allowed_is_refused(api_as):
    action = _open_action()
    r = api_as("office").patch(f"/api/v1/actions/{action.id}", json={"version": action.version, "title": None})
    assert _problem(r, 422)["errors"] == {"title": "Enter a value"}
    r = api_as("office").patch(f"/api/v1/actions/{action.id}", json={"title": "No version"})
    assert _problem(r, 422)["errors"] == {"version": "Enter a value"}


def test_patching_a_meeting_keeps_its_place_and_times(api_as, demo):
    c = api_as("office")
    body = c.post(
        "/api/v1/meetings",
        json={
            "group_id": demo.group("board").id,
            "meeting_date": "2027-05-18",
            "starts_at": "10:00:00",
            "ends_at": "12:30:00",
            "location": "Room 2",
        },
    ).json
    r = c.patch(f"/api/v1/meetings/{body['id']}", json={"version": body["version"], "meeting_date": "2027-05-25"})
    assert r.status_code == 200, r.text
    assert (r.json["location"], r.json["starts_at"], r.json["ends_at"]) == ("Room 2", "10:00:00", "12:30:00")
    assert r.json["papers_due_on"] == "2027-05-18"  # moved with the meeting, as before


def test_patching_an_organisation_needs_its_version_and_keeps_the_rest(api_as, demo):
    org = demo.org("police")
    area, statutory = org.area.value, org.statutory_adults
    c = api_as("office")
    assert "version" in _problem(c.patch(f"/api/v1/organisations/{org.id}", json={"short_name": "Pol"}), 422)["errors"]
    r = c.patch(f"/api/v1/organisations/{org.id}", json={"version": org.version, "short_name": "Pol"})
    assert r.status_code == 200 and (r.json["area"], r.json["statutory_adults"]) == (area, statutory)


def test_patching_a_membership_keeps_its_deputy(api_as, demo):
    m = db.session.scalar(
        sa.select(Membership).where(Membership.deputy_person_id.is_not(None), Membership.end_date.is_(None)).limit(1)
    )
    r = api_as("office").patch(f"/api/v1/memberships/{m.id}", json={"version": m.version, "end_date": "2030-03-31"})
    assert r.status_code == 200, r.text
    assert r.json["deputy_person_id"] == m.deputy_person_id and r.json["end_date"] == "2030-03-31"


def test_a_rapid_review_with_null_reasons_is_refused(api_as):
    review = db.session.scalar(
        sa.select(Review).where(Review.kind == ReviewKind.cspr, Review.state == ReviewState.awaiting_decision).limit(1)
    )
    r = api_as("office").put(
        f"/api/v1/reviews/{review.id}/rapid-review", json={"version": review.version, "reasons": None, "criteria": None}
    )
    errors = _problem(r, 422)["errors"]
    assert "criteria" in errors
    r = api_as("office").put(
        f"/api/v1/reviews/{review.id}/rapid-review", json={"version": review.version, "reasons": None}
    )
    assert _problem(r, 422)["errors"] == {"reasons": "Enter the rapid review's findings and reasons"}


# --- text: one form of Unicode, no control characters -------------------------------------------

NFC_NAME = "Comité de Sécurité"
NFD_NAME = unicodedata.normalize("NFD", NFC_NAME)


def _group(name: str) -> dict:
    return {"name": name, "short_name": "CdS", "kind": "subgroup"}


def test_a_duplicate_group_name_in_another_unicode_form_is_refused(api_as):
    c = api_as("office")
    assert NFD_NAME != NFC_NAME
    r = c.post("/api/v1/groups", json=_group(NFD_NAME))
    assert r.status_code == 201 and r.json["name"] == NFC_NAME  # stored normalised
    for again in (NFC_NAME, NFD_NAME, NFC_NAME.upper(), f"  {NFC_NAME}\n"):
        r = c.post("/api/v1/groups", json=_group(again))
        assert _problem(r, 422)["errors"] == {"name": "A group with this name already exists"}, again
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Group).where(Group.short_name == "CdS")) == 1


@pytest.mark.parametrize("bad", ["Board\x07", "Board\x00", "Bo\x1bard", "Board\x85", "\ud800 Board"])
def test_control_characters_and_lone_surrogates_in_text_are_refused(api_as, bad):
    r = api_as("office").post("/api/v1/groups", json=_group(bad))
    message = _problem(r, 422)["errors"]["name"] if r.status_code == 422 else _problem(r, 400)["detail"]
    assert "must not include" in message or "not valid Unicode" in message


def test_nul_in_a_query_string_is_refused(api_as):
    office = api_as("office")
    for path in ("/api/v1/reviews?q=%00", "/api/v1/people?q=a%00b", "/api/v1/actions?status=open%00"):
        assert "NUL" in _problem(office.get(path), 422)["errors"]["q" if "q=" in path else "status"]


def test_pages_refuse_control_characters_with_an_error_summary(client_as):
    c = client_as("office")
    r = c.post(
        "/groups/new",
        data={"name": "Board\x07", "short_name": "B\x00", "kind": "subgroup", "arm": "both", "area": "both"},
    )
    assert r.status_code == 200
    messages = _summary(r.text)
    assert "Name must not include control characters (it has U+0007)" in messages
    assert "Short name must not include NUL characters" in messages
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Group).where(Group.name.like("Board_"))) == 0


def test_pages_refuse_a_duplicate_name_typed_another_way(client_as):
    c = client_as("office")
    r = c.post(
        "/groups/new", data={"name": NFD_NAME, "short_name": "CdS", "kind": "subgroup", "arm": "both", "area": "both"}
    )
    assert r.status_code == 302
    r = c.post(
        "/groups/new",
        data={"name": NFC_NAME.upper() + "\t", "short_name": "CdS", "kind": "subgroup", "arm": "both", "area": "both"},
    )
    assert "A group with this name already exists" in _summary(r.text)


def test_pages_refuse_nul_in_the_address(client_as):
    c = client_as("office")
    for path in ("/people?q=%00", "/reviews?q=a%00", "/actions?status=%00"):
        r = c.get(path)
        assert r.status_code == 400 and "characters that are not allowed" in r.text, path


# --- money, odd digits, dates, JSON -------------------------------------------------------------------


def test_a_budget_reference_in_other_digits_is_not_found(api_as):
    for ref in ("%C2%B2", "%D9%A2%D9%A0%D9%A2%D9%A0-21", HUGE, "0000-01", "9999-00"):
        _problem(api_as("office").get(f"/api/v1/budgets/{ref}"), 404)


def test_pages_treat_a_budget_reference_in_other_digits_as_not_found(client_as):
    assert client_as("office").get("/budget/%C2%B2").status_code == 404


def _draft_budget(c) -> str:
    year = c.post("/api/v1/budgets", json={"financial_year": "2031-32"}).json["financial_year"]
    return year


def test_money_has_a_maximum_in_the_api(api_as):
    c = api_as("office")
    year = _draft_budget(c)
    r = c.post(
        f"/api/v1/budgets/{year}/lines", json={"name": "Big", "category": "other", "amount": "99999999999999999999.99"}
    )
    assert _problem(r, 422)["errors"] == {"amount": "The amount must be £10,000,000 or less"}
    r = c.post(f"/api/v1/budgets/{year}/lines", json={"name": "Big", "category": "other", "amount": "10000000.00"})
    assert r.status_code == 201 and r.json["amount_pence"] == validation.MONEY_MAX_PENCE
    review = db.session.scalar(sa.select(Review).limit(1))
    r = c.put(
        f"/api/v1/reviews/{review.id}/commissioning",
        json={
            "version": review.version,
            "terms_of_reference": "x",
            "methodology": None,
            "reviewer": "x",
            "contract_value_pence": 10**15,
        },
    )
    assert "contract_value_pence" in _problem(r, 422)["errors"]


def test_money_has_a_maximum_on_pages(client_as, api_as):
    year = _draft_budget(api_as("office"))
    r = client_as("office").post(
        f"/budget/{year}/lines/new", data={"name": "Big", "category": "other", "amount": "99999999999999999999.99"}
    )
    assert r.status_code == 200
    assert any(m.endswith("must be £10,000,000 or less") for m in _summary(r.text))
    budget = db.session.scalar(sa.select(Budget).where(Budget.financial_year == 2031))
    assert (
        db.session.scalar(sa.select(BudgetLine).where(BudgetLine.budget_id == budget.id, BudgetLine.name == "Big"))
        is None
    )


def test_dates_past_the_calendar_are_refused(api_as, client_as, demo):
    office = api_as("office")
    r = office.get("/api/v1/calendar/working-days?from=9999-12-30&days=5")
    assert _problem(r, 422)["errors"]["from"] == "The date must be between 1900 and 2100"
    r = office.post("/api/v1/meetings", json={"group_id": demo.group("board").id, "meeting_date": "9999-12-31"})
    assert "meeting_date" in _problem(r, 422)["errors"]
    r = client_as("office").post(
        "/meetings/new", data={"group_id": str(demo.group("board").id), "meeting_date": ["31", "12", "9999"]}
    )
    assert any("must be between 1900 and 2100" in m for m in _summary(r.text))
    r = client_as("office").post(
        "/meetings/new", data={"group_id": str(demo.group("board").id), "meeting_date": [HUGE, "12", "2027"]}
    )
    assert any("must be a real date" in m for m in _summary(r.text))


def test_a_lone_surrogate_in_json_is_refused(api_as):
    r = api_as("office").post(
        "/api/v1/groups",
        data=b'{"name": "\\ud800", "short_name": "x", "kind": "subgroup"}',
        headers={"Content-Type": "application/json"},
    )
    assert "not valid Unicode" in _problem(r, 400)["detail"]
    r = api_as("office").post("/api/v1/groups", data=b'{"\\udfff": 1}', headers={"Content-Type": "application/json"})
    _problem(r, 400)


def test_deep_or_large_json_is_refused(api_as):
    office = api_as("office")
    deep = b"[" * 5000 + b"]" * 5000
    r = office.post("/api/v1/groups", data=deep, headers={"Content-Type": "application/json"})
    assert "nested more than 32 levels" in _problem(r, 400)["detail"]
    nested = b'{"name": ' + b"[" * 40 + b"]" * 40 + b"}"
    _problem(office.post("/api/v1/groups", data=nested, headers={"Content-Type": "application/json"}), 400)
    large = b'{"name": "' + b"x" * (validation.JSON_MAX_BYTES + 1) + b'"}'
    assert _problem(office.post("/api/v1/groups", data=large, headers={"Content-Type": "application/json"}), 413)[
        "detail"
    ].startswith("The JSON body is larger than")


# --- the rules stay in one place ------------------------------------------------------------------


def test_every_form_and_api_schema_uses_the_shared_rules():
    root = Path(__file__).resolve().parent.parent / "safeguarding"
    forms = [p for p in root.rglob("*.py") if "from flask_wtf import FlaskForm" in p.read_text()]
    # auth/ keeps Flask-WTF's own base (passwords are never normalised).
    assert sorted(p.relative_to(root).as_posix() for p in forms) == ["auth/forms.py", "web.py"]
    apis = [p for p in root.rglob("*.py") if re.search(r"^from marshmallow import .*\bfields\b", p.read_text(), re.M)]
    assert sorted(p.relative_to(root).as_posix() for p in apis) == ["api/fields.py", "auth/api.py", "problems.py"]


def test_a_patch_with_only_the_version_reaches_the_state_check(api_as):
    meeting = db.session.scalar(sa.select(Meeting).where(Meeting.state == MeetingState.closed).limit(1))
    r = api_as("office").patch(f"/api/v1/meetings/{meeting.id}", json={"version": meeting.version})
    _problem(r, 409)


def test_the_form_rules_apply_to_every_field_however_it_is_declared(app):
    from wtforms import IntegerField, PasswordField, StringField, TextAreaField

    from safeguarding.forms import FlaskForm

    class Form(FlaskForm):
        name = StringField("Name")
        notes = TextAreaField("Notes")
        count = IntegerField("Number of children")
        password = PasswordField("Password")

    with app.test_request_context(
        method="POST",
        data={"name": f"  {NFD_NAME}\n", "notes": "Line one\r\n\tLine two", "count": HUGE, "password": " p\x07 "},
    ):
        form = Form(meta={"csrf": False})
        assert not form.validate()
        assert form.name.data == NFC_NAME and form.notes.data == "Line one\r\n\tLine two"
        assert form.errors == {
            "count": ["Number of children must be a whole number between -2,147,483,648 and 2,147,483,647"]
        }
        assert form.password.data == " p\x07 "  # passwords are taken as typed
