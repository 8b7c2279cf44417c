"""Reminder digests: the rules of what is due for whom, the daily sweep, the digest email, unsubscribing."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the digest's own sections, the digest renderer with the outbox, the hourly sweep job and the SQL
    helpers with the database."""
    from tracker.core.db import db
    from tracker.mail.outbox import register_renderer
    from tracker.reminders import jobs, sections
    from tracker.reminders.digest import DIGEST_TEMPLATE, render_digests
    from tracker.reminders.sqlfuncs import install_sqlite_functions
    from tracker.scheduling.jobs import register_jobs

    sections.register_section(*sections.SECTIONS)
    register_renderer(DIGEST_TEMPLATE, render_digests)
    register_jobs(app, jobs.JOBS)
    with app.app_context():
        install_sqlite_functions(db.engine)
