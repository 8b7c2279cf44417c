"""The cooperation tracker: web application and domain."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from config.settings import Config, config_from_environment


def create_app(config: Config | dict[str, Any] | None = None) -> Flask:
    """Return a configured application; it never starts the scheduler."""
    from tracker.web.transactions import TrackerFlask

    app = TrackerFlask(__name__, instance_relative_config=False)
    settings = config if isinstance(config, Config) else config_from_environment()
    app.config.from_object(settings)
    if isinstance(config, dict):
        app.config.update(config)
    app.instance_path = str(app.config["INSTANCE_DIR"])
    if app.config["PROXY_FIX_X_FOR"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXY_FIX_X_FOR"], x_proto=1)  # type: ignore[method-assign]
    _configure_logging(app)
    register_extensions(app)
    init_domains(app)
    register_blueprints(app)
    register_commands(app)
    return app


def _configure_logging(app: Flask) -> None:
    if not app.testing and not logging.getLogger().handlers:
        logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        for name in ("tracker", "workflows"):
            logging.getLogger(name).setLevel(app.config["LOG_LEVEL"])


def register_extensions(app: Flask) -> None:
    from tracker import models  # noqa: F401  (complete metadata before the engine is used)
    from tracker.accounts.login import init_login
    from tracker.core.db import configure_engine_events
    from tracker.extensions import babel, csrf, db, limiter, login_manager, migrate
    from tracker.web import catalogs, edge, i18n, security

    edge.init_edge(app)  # before any blueprint: its URL rules use the bounded `int` converter
    db.init_app(app)
    # End the session with the request, not only with the app context: a request never sees another's
    # uncommitted objects, even when something keeps the app context alive (commands, tests).
    app.teardown_request(lambda _exc: db.session.remove())
    with app.app_context():
        configure_engine_events(
            db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"], app.config.get("SQLITE_IMMEDIATE_OUTSIDE_REQUESTS", True)
        )
    migrate.init_app(app, db, directory=str(_migrations_dir()))
    csrf.init_app(app)
    # French first on every way of starting: the catalogs are compiled here when missing or out of date.
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(catalogs.ensure_catalogs(app.config["INSTANCE_DIR"]))
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
    i18n.init_localized_messages(app, babel)
    limiter.init_app(app)
    init_login(app, login_manager)
    security.init_headers(app)
    i18n.init_template_helpers(app)


def init_domains(app: Flask) -> None:
    """Let each domain register what it adds to the app: jobs, digest sections, template helpers, hooks, and its
    API resources (declared on the API blueprint, which register_blueprints then registers)."""
    from tracker import accounts, actions, agreements, audit, closeout, mail, reminders, reports, transfer, workspace

    for domain in (accounts, agreements, actions, reminders, mail, reports, closeout, audit, transfer, workspace):
        domain.init_app(app)


def _migrations_dir() -> Any:
    from pathlib import Path

    return Path(__file__).resolve().parent.parent / "migrations"


def register_blueprints(app: Flask) -> None:
    from tracker import api
    from tracker.accounts.token_views import bp as tokens_bp
    from tracker.accounts.views import bp as accounts_bp
    from tracker.actions.views import bp as actions_bp
    from tracker.agreements.days_off_views import bp as days_off_bp
    from tracker.agreements.views import bp as agreements_bp
    from tracker.audit.views import bp as audit_bp
    from tracker.closeout.views import bp as closeout_bp
    from tracker.feeds.views import bp as feeds_bp
    from tracker.mail.views import bp as mail_bp
    from tracker.people.password_views import bp as passwords_bp
    from tracker.people.views import bp as people_bp
    from tracker.reminders.views import bp as reminders_bp
    from tracker.reports.views import bp as reports_bp
    from tracker.site.views import bp as web_bp
    from tracker.transfer.views import bp as transfer_bp
    from tracker.web.errors import register_error_handlers
    from tracker.workspace.blueprint import bp as workspace_bp

    app.register_blueprint(web_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(agreements_bp)
    api.init_app(app)  # after init_domains: each domain has declared its API resources on the blueprint
    app.register_blueprint(mail_bp)
    app.register_blueprint(workspace_bp)
    app.register_blueprint(actions_bp)
    app.register_blueprint(reminders_bp)
    app.register_blueprint(audit_bp)
    app.register_blueprint(tokens_bp)
    app.register_blueprint(feeds_bp)
    app.register_blueprint(transfer_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(closeout_bp)
    app.register_blueprint(days_off_bp)
    app.register_blueprint(people_bp)
    app.register_blueprint(passwords_bp)
    register_error_handlers(app)


def register_commands(app: Flask) -> None:
    from tracker.accounts.cli import users_cli
    from tracker.agreements.cli import agreements_cli
    from tracker.closeout.cli import archive, close_out, renew
    from tracker.demo.cli import demo_cli
    from tracker.mail.cli import outbox_cli
    from tracker.reminders.cli import reminders_cli
    from tracker.reports.cli import reports_cli

    agreements_cli.add_command(close_out)
    agreements_cli.add_command(renew)
    agreements_cli.add_command(archive)
    app.cli.add_command(agreements_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(outbox_cli)
    app.cli.add_command(reminders_cli)
    app.cli.add_command(reports_cli)
