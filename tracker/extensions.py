"""Flask extensions, created unbound and initialised by the app factory.

Flask-Migrate is set up on first use (the `flask db` commands, `flask_migrate.upgrade()`): importing it loads
Alembic, Mako and Pygments, a fifth of a second of CPU that every web worker, job and other command would
pay for nothing.
"""

from __future__ import annotations

from typing import Any

import click
from flask import Flask
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

from tracker.core.db import db


class LazyMigrate:
    """Flask-Migrate's `Migrate`, imported and bound when something first asks for it."""

    def __init__(self, **options: Any) -> None:
        self.options = options

    def init_app(self, app: Flask, database: Any, directory: str) -> None:
        """Registers the `db` commands and `app.extensions["migrate"]`, both of which bind Flask-Migrate."""
        app.extensions["migrate"] = _PendingMigrateConfig(self, app, database, directory)
        app.cli.add_command(_LazyDbGroup(self, app, database, directory))

    def bind(self, app: Flask, database: Any, directory: str) -> Any:
        """Binds Flask-Migrate to the app (it replaces both placeholders) and returns its configuration."""
        from flask_migrate import Migrate

        Migrate(**self.options).init_app(app, database, directory=directory)
        return app.extensions["migrate"]


class _PendingMigrateConfig:
    """Stands for Flask-Migrate's configuration in `app.extensions` until an attribute of it is read."""

    def __init__(self, migrate: LazyMigrate, app: Flask, database: Any, directory: str) -> None:
        self._bind = lambda: migrate.bind(app, database, directory)
        self._bound: Any = None

    def __getattr__(self, name: str) -> Any:
        if self._bound is None:
            self._bound = self._bind()
        return getattr(self._bound, name)


class _LazyDbGroup(click.Group):
    """The `flask db` group: Flask-Migrate's own, imported when the group is invoked."""

    def __init__(self, migrate: LazyMigrate, app: Flask, database: Any, directory: str) -> None:
        super().__init__(name="db", help="Perform database migrations.")
        self._bind = lambda: migrate.bind(app, database, directory)

    def _real(self) -> click.Group:
        from flask_migrate.cli import db as group

        self._bind()
        return group

    def make_context(self, info_name: str | None, args: list[str], parent: click.Context | None = None, **extra: Any):
        return self._real().make_context(info_name, args, parent=parent, **extra)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return self._real().list_commands(ctx)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return self._real().get_command(ctx, cmd_name)


migrate = LazyMigrate(render_as_batch=True, compare_type=True)
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address, default_limits=[], strategy="moving-window")

__all__ = ["babel", "csrf", "db", "limiter", "login_manager", "migrate"]
