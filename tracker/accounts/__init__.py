"""People: accounts, roles, login sessions and personal API tokens."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register what the profile page's token and feed sections use in templates: `token_panel(user)` and the
    token form's class."""
    from tracker.accounts.token_views import TokenForm, token_panel

    app.jinja_env.globals.update(token_panel=token_panel, token_form_class=TokenForm)
