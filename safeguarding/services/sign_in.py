"""Signing in, throttled: the one rule the sign-in page and the token endpoint share.

Attempts are rows in the database, so the limits hold across every worker process and
server. After `SIGN_IN_MAX_FAILURES` failed attempts for one email address within
`SIGN_IN_WINDOW`, attempts for it are refused for `SIGN_IN_LOCKOUT` without the password
being checked; a success after that resets the count. Every address is also limited to
`SIGN_IN_ADDRESS_MAX_FAILURES` failures per window, whatever emails it tries. The
answers are the same whether or not the email has an account.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from math import ceil

import sqlalchemy as sa
from flask import current_app, request

from safeguarding.extensions import db
from safeguarding.models import SignInAttempt, User
from safeguarding.models.base import utcnow
from safeguarding.services import accounts
from safeguarding.services.errors import Throttled


def _email_hash(email: str) -> str:
    return hashlib.sha256(accounts.normalise_email(email or "").encode()).hexdigest()


def client_address() -> str:
    """The client's address (the proxy's forwarded one when TRUSTED_PROXIES says so)."""
    return (request.remote_addr or "unknown")[:64]


def _minutes(seconds: float) -> str:
    minutes = max(1, ceil(seconds / 60))
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


def check(email: str, address: str, now: datetime | None = None) -> None:
    """Raise Throttled when this email or this address may not try now."""
    cfg = current_app.config
    now = now or utcnow()
    window: timedelta = cfg["SIGN_IN_WINDOW"]
    lockout: timedelta = cfg["SIGN_IN_LOCKOUT"]
    limit: int = cfg["SIGN_IN_MAX_FAILURES"]
    email_hash = _email_hash(email)

    last_success = (
        sa.select(sa.func.max(SignInAttempt.at))
        .where(SignInAttempt.email_hash == email_hash, SignInAttempt.succeeded.is_(True))
        .scalar_subquery()
    )
    failures = db.session.scalars(
        sa.select(SignInAttempt.at)
        .where(
            SignInAttempt.email_hash == email_hash,
            SignInAttempt.succeeded.is_(False),
            SignInAttempt.at > now - window - lockout,
            sa.or_(last_success.is_(None), SignInAttempt.at > last_success),
        )
        .order_by(SignInAttempt.at.desc())
        .limit(limit)
    ).all()
    if len(failures) >= limit and failures[0] - failures[-1] <= window:
        until = failures[0] + lockout
        if now < until:
            wait = (until - now).total_seconds()
            raise Throttled(
                f"Too many attempts to sign in with this email address. Wait {_minutes(wait)} and try again.",
                retry_after=ceil(wait),
            )

    address_limit: int = cfg["SIGN_IN_ADDRESS_MAX_FAILURES"]
    recent = db.session.scalars(
        sa.select(SignInAttempt.at)
        .where(SignInAttempt.address == address, SignInAttempt.succeeded.is_(False), SignInAttempt.at > now - window)
        .order_by(SignInAttempt.at.desc())
        .limit(address_limit)
    ).all()
    if len(recent) >= address_limit:
        wait = (recent[-1] + window - now).total_seconds()
        raise Throttled(
            f"Too many attempts to sign in from your network. Wait {_minutes(wait)} and try again.",
            retry_after=ceil(wait),
        )


def sign_in(email: str, password: str, address: str | None = None) -> User | None:
    """The user, if the email and password are right and the throttle allows the attempt;
    None for a wrong email or password (the failure is committed at once, since the
    request that reports it may roll back); Throttled when refused."""
    address = address or client_address()
    check(email, address)
    user = accounts.authenticate(email, password)
    db.session.add(SignInAttempt(email_hash=_email_hash(email), address=address, succeeded=user is not None))
    if user is None:
        # A failure must count even though the answer (a 401) rolls the request back.
        db.session.commit()
        current_app.logger.info("failed sign-in from %s", address)
    else:
        db.session.flush()
    return user


def forget_old_attempts(before: datetime) -> int:
    """Delete attempts older than `before` (the throttle only ever looks back a window
    and a lockout)."""
    return db.session.execute(sa.delete(SignInAttempt).where(SignInAttempt.at < before)).rowcount or 0
