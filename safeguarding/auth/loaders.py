"""How a request becomes a user: a server-side sign-in session (cookie) or a bearer
token (API)."""

from __future__ import annotations

from flask import g, request, session
from flask_login import LoginManager

from safeguarding.services import accounts

SESSION_KEY = "_user_id"


def register(login_manager: LoginManager) -> None:
    @login_manager.user_loader
    def load_user(key: str):
        return accounts.load_session_user(key)

    @login_manager.request_loader
    def load_from_token(req):
        header = req.headers.get("Authorization", "")
        if not header.lower().startswith("bearer "):
            return None
        user = accounts.load_token_user(header[7:].strip())
        if user is not None:
            g.auth_via_token = True
        return user


def current_session_key() -> str | None:
    return session.get(SESSION_KEY)


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    return header[7:].strip() if header.lower().startswith("bearer ") else None
