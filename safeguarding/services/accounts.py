"""User accounts: creation, roles, passwords, sign-in sessions and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm.attributes import set_committed_value

from safeguarding.extensions import db
from safeguarding.models import ApiToken, LoginSession, Organisation, Person, Role, User, UserRole
from safeguarding.models.base import utcnow
from safeguarding.notify import queue_email
from safeguarding.services.errors import Conflict, NotFound, ValidationFailed

_hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = 12
# A dummy hash so an unknown email costs as much as a wrong password.
_DUMMY_HASH = _hasher.hash("not-a-real-password-for-timing")


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password_strength(password: str, field: str = "password") -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(errors={field: f"Password must be {MIN_PASSWORD_LENGTH} characters or more"})


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


# Roles that open case-review content (special category data, need-to-know): each grant
# is emailed to the business office (domain.md, "Who uses it": administrator).
CASE_CONTENT_ROLES = frozenset(
    {
        Role.business_office,
        Role.independent_chair,
        Role.partner_member,
        Role.subgroup_chair,
        Role.safeguarding_partner,
        Role.scrutineer,
    }
)


def create_user(
    *,
    email: str,
    password: str,
    roles: Iterable[Role],
    organisation: Organisation | None = None,
    person: Person | None = None,
    granted_by: User | None = None,
    notify: bool = True,
) -> User:
    """Create an account. A partner member must belong to an organisation. A role that
    sees case content is reported to the business office (unless `notify` is False: the
    demo's own accounts)."""
    email = normalise_email(email)
    roles = set(roles)
    errors: dict[str, str] = {}
    if not roles:
        errors["roles"] = "Select at least one role"
    if Role.partner_member in roles and organisation is None and (person is None or person.organisation_id is None):
        errors["organisation_id"] = "Select the organisation this partner member represents"
    if find_user_by_email(email):
        errors["email"] = "An account with this email address already exists"
    try:
        check_password_strength(password)
    except ValidationFailed as exc:
        errors.update(exc.errors)
    if errors:
        raise ValidationFailed(errors=errors)
    if organisation is None and person is not None:
        organisation = person.organisation
    user = User(
        email=email, password_hash=hash_password(password), organisation=organisation, person=person, active=True
    )
    user.role_rows = [UserRole(role=r) for r in sorted(roles)]
    db.session.add(user)
    db.session.flush()
    if notify:
        _report_grants(user, roles, granted_by)
    return user


def set_roles(
    user: User, roles: Iterable[Role], *, organisation: Organisation | None, acting: User | None = None
) -> User:
    """Set an account's roles (and organisation). Nobody changes their own: an
    administrator could otherwise give themselves case content."""
    roles = set(roles)
    if acting is not None and acting.id == user.id:
        raise ValidationFailed(errors={"roles": "You cannot change your own roles: ask another administrator"})
    if not roles:
        raise ValidationFailed(errors={"roles": "Select at least one role"})
    if Role.partner_member in roles and organisation is None:
        raise ValidationFailed(errors={"organisation_id": "Select the organisation this partner member represents"})
    current = {r.role: r for r in user.role_rows}
    for role in set(current) - roles:
        user.role_rows.remove(current[role])
    for role in roles - set(current):
        user.role_rows.append(UserRole(role=role))
    user.organisation = organisation
    user.updated_at = utcnow()  # bumps the version so a concurrent edit is caught
    db.session.flush()
    _report_grants(user, roles - set(current), acting)
    return user


def _report_grants(user: User, granted: set[Role], granted_by: User | None) -> None:
    """Email the business office when an account is given a role that sees case content."""
    sensitive = sorted(granted & CASE_CONTENT_ROLES)
    if not sensitive:
        return
    office = db.session.scalars(
        sa.select(User.email)
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == Role.business_office, User.active.is_(True))
        .order_by(User.email)
    ).all()
    if not office:
        return
    by = granted_by.email if granted_by is not None else "a command run on the server"
    labels = ", ".join(r.label.lower() for r in sensitive)
    text = (
        f"The account {user.email} was given the role{'s' if len(sensitive) > 1 else ''} {labels} by {by}. "
        "These roles can open case-review content.\n\n"
        "If you did not expect this, check the account's roles with the administrator now."
    )
    queue_email(
        list(office), "A role that can see case content was granted", "message", {"text": text}, kind="role_granted"
    )


def deactivate_user(user: User, acting: User) -> None:
    if user.id == acting.id:
        raise Conflict("You cannot deactivate your own account")
    if not user.active:
        raise Conflict("This account is already deactivated")
    user.active = False
    revoke_all_sessions(user)
    db.session.flush()


def reactivate_user(user: User) -> None:
    if user.active:
        raise Conflict("This account is already active")
    user.active = True
    db.session.flush()


def change_password(user: User, *, current: str, new: str, keep_session_key: str | None = None) -> None:
    """Change the password; every other sign-in session of the account ends and every API
    token is revoked (whoever knew the old password may be using them). The session the
    change was made from (`keep_session_key`) stays signed in."""
    try:
        _hasher.verify(user.password_hash, current)
    except (VerificationError, InvalidHashError):
        raise ValidationFailed(errors={"current_password": "Your current password is incorrect"}) from None
    check_password_strength(new, "new_password")
    user.password_hash = hash_password(new)
    revoke_all_sessions(user, keep_session_key=keep_session_key)
    db.session.flush()


def authenticate(email: str, password: str) -> User | None:
    """The active user with this email and password, or None (same cost either way)."""
    user = find_user_by_email(email)
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        _set_quietly(user, password_hash=hash_password(password))
    return user


def _set_quietly(user: User, **values: object) -> None:
    """Bookkeeping on the account that is not an edit of it (the last sign-in, a rehash):
    written without the optimistic version check, so that one person signing in from two
    places at once, or an administrator editing the account meanwhile, never conflicts."""
    db.session.execute(sa.update(User.__table__).where(User.__table__.c.id == user.id).values(**values))
    for key, value in values.items():
        set_committed_value(user, key, value)


# --- sign-in sessions -------------------------------------------------------------------


def start_session(user: User, lifetime: timedelta) -> str:
    """Record a sign-in; returns the key the cookie carries."""
    key = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.add(LoginSession(user_id=user.id, key_hash=_sha256(key), created_at=now, expires_at=now + lifetime))
    _set_quietly(user, last_login_at=now)
    user.session_key = key
    db.session.flush()
    return key


def load_session_user(key: str) -> User | None:
    row = db.session.execute(
        sa.select(User, LoginSession.id)
        .join(LoginSession, LoginSession.user_id == User.id)
        .where(
            LoginSession.key_hash == _sha256(key),
            LoginSession.revoked_at.is_(None),
            LoginSession.expires_at > utcnow(),
            User.active.is_(True),
        )
    ).first()
    if row is None:
        return None
    user, login_session_id = row
    user.login_session_id = login_session_id
    user.session_key = key
    return user


def end_session(key: str) -> None:
    db.session.execute(
        sa.update(LoginSession)
        .where(LoginSession.key_hash == _sha256(key), LoginSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def revoke_all_sessions(user: User, *, keep_session_key: str | None = None) -> None:
    """End the account's sign-in sessions (but the one with `keep_session_key`) and
    revoke all its API tokens."""
    now = utcnow()
    sessions = sa.update(LoginSession).where(LoginSession.user_id == user.id, LoginSession.revoked_at.is_(None))
    if keep_session_key:
        sessions = sessions.where(LoginSession.key_hash != _sha256(keep_session_key))
    db.session.execute(sessions.values(revoked_at=now))
    db.session.execute(
        sa.update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None)).values(revoked_at=now)
    )


# --- API tokens -------------------------------------------------------------------------


def issue_token(user: User, lifetime: timedelta) -> tuple[str, datetime]:
    token = secrets.token_urlsafe(32)
    expires = utcnow() + lifetime
    db.session.add(ApiToken(user_id=user.id, token_hash=_sha256(token), expires_at=expires))
    db.session.flush()
    return token, expires


def load_token_user(token: str) -> User | None:
    return db.session.scalar(
        sa.select(User)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(
            ApiToken.token_hash == _sha256(token),
            ApiToken.revoked_at.is_(None),
            ApiToken.expires_at > utcnow(),
            User.active.is_(True),
        )
    )


def revoke_token(token: str) -> None:
    n = db.session.execute(
        sa.update(ApiToken)
        .where(ApiToken.token_hash == _sha256(token), ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    ).rowcount
    if not n:
        raise NotFound("No such token")


def rotate_calendar_token(user: User) -> str:
    user.calendar_token = secrets.token_urlsafe(24)
    db.session.flush()
    return user.calendar_token
