"""Login sessions, safe redirects and security headers."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager
from sqlalchemy import select

from tracker.accounts.models import User
from tracker.core.db import db


def init_login(app: Flask, login_manager: LoginManager) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def _load_user(session_token: str) -> User | None:
        # The session holds the user's rotating session token, not the id: logout and password
        # changes rotate it, which ends every other session at once.
        return db.session.scalar(select(User).where(User.session_token == session_token, User.active.is_(True)))


def is_safe_path(target: str | None) -> bool:
    """Tell whether `target` is a path on this site (not another host, not a script)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    if "\\" in target or any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def init_headers(app: Flask) -> None:
    @app.after_request
    def _security_headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if app.config.get("PRODUCTION"):
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response
