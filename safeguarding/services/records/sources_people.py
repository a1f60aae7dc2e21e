"""The record sources about people (listed with the others in `sources.py`).

- **user_accounts** (`person`, trigger: the day the person left — the latest end of their
  seats on groups, as a member or a deputy; deactivating a person ends their seats that
  day): a person is closed when they are deactivated, hold no seat without an end date
  and have no active user account, so someone still serving or still able to sign in is
  never offered (a person given a seat or an account again between the proposal and the
  approval is left alone). Disposal replaces their name by "Disposed of on <date>" and
  empties their job title, email and phone; their user accounts get a placeholder email
  unique to the row (`disposed-<id>@invalid`), an empty password hash (so nobody can ever
  sign in to them again: no password matches it) and no calendar feed, and their sign-in
  sessions and API tokens are deleted. The ids stay (meetings, minutes, actions and the
  audit log refer to them), as do the organisation, the seats with their dates, the
  roles and the accounts' organisation. Each account gets a disposal record of its own
  ("User account 12", in the same batch, with the person's dates and rule), so the
  certificate of destruction names it and the audit log's values about it are redacted
  too. A person who never held a seat has no date of leaving recorded, so is never
  offered."""

from __future__ import annotations

import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import ApiToken, LoginSession, Membership, Person, User
from safeguarding.services.records.sources_base import Related, Source

PERSON_PERSONAL = ("name", "job_title", "email", "phone")
USER_PERSONAL = ("email", "password_hash", "calendar_token")

_seat = sa.or_(Membership.person_id == Person.id, Membership.deputy_person_id == Person.id)
LEFT_ON = sa.select(sa.func.max(Membership.end_date)).where(_seat).correlate(Person).scalar_subquery()

PERSON_LEFT = (
    Person.active.is_(False),
    ~sa.exists().where(_seat, Membership.end_date.is_(None)),
    ~sa.exists().where(User.person_id == Person.id, User.active.is_(True)),
)


def _dispose_person(p: Person, text: str) -> None:
    p.name, p.job_title, p.email, p.phone = text, None, None, None
    users = list(db.session.scalars(sa.select(User).where(User.person_id == p.id)))
    for u in users:
        u.email, u.password_hash, u.calendar_token, u.active = f"disposed-{u.id}@invalid", "", None, False
    if users:
        ids = [u.id for u in users]
        db.session.execute(sa.delete(LoginSession).where(LoginSession.user_id.in_(ids)))
        db.session.execute(sa.delete(ApiToken).where(ApiToken.user_id.in_(ids)))


def _accounts(person_ids: list[int]) -> list[tuple[int, int]]:
    stmt = sa.select(User.person_id, User.id).where(User.person_id.in_(person_ids)).order_by(User.id)
    return [(p, u) for p, u in db.session.execute(stmt) if p is not None]


ACCOUNTS = Related("user_account", "users", USER_PERSONAL, _accounts, lambda user_id: f"User account {user_id}")


PEOPLE_SOURCES: tuple[Source, ...] = (
    Source(
        "user_accounts",
        "person",
        Person,
        PERSON_LEFT,
        LEFT_ON,
        PERSON_PERSONAL,
        lambda p: f"Person {p.id}",
        _dispose_person,
        related=(ACCOUNTS,),
    ),
)
