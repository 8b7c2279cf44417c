"""Mail: rendering per recipient, the outbox written in the caller's transaction, and SMTP delivery."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the outbox delivery job, and the labels of the outbox's states and its `datetime_short` filter in
    templates."""
    from tracker.mail import jobs
    from tracker.mail.labels import MAIL_STATE, datetime_short
    from tracker.scheduling.jobs import register_jobs

    register_jobs(app, jobs.JOBS)
    app.jinja_env.globals.update(mail_state_labels=MAIL_STATE)
    app.add_template_filter(datetime_short, "datetime_short")
