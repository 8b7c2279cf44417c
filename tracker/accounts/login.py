"""Login sessions: Flask-Login finds the person by the rotating session token their session holds."""

from __future__ import annotations

from flask import Flask
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
