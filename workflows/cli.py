"""Command-line entry points of the workflows, registered on the app by wsgi.py."""

from __future__ import annotations

import logging

import click
from flask import Flask, current_app
from flask.cli import AppGroup

scheduler_cli = AppGroup("scheduler", help="The scheduler process (reminders, mail delivery, reports).")


@scheduler_cli.command("run")
def run() -> None:
    """Run the scheduler in the foreground until stopped (Ctrl-C or SIGTERM)."""
    from workflows.scheduler import Scheduler

    logging.getLogger("workflows").setLevel(current_app.config.get("LOG_LEVEL", "INFO"))
    process = Scheduler(current_app._get_current_object())  # type: ignore[attr-defined]
    click.echo(f"Scheduler {process.name} started; jobs: {', '.join(j.name for j in process.jobs)}.")
    process.run_forever()
    click.echo("Scheduler stopped.")


def register_cli(app: Flask) -> None:
    """Add the workflows' command groups to the app's CLI."""
    for group in _groups():
        app.cli.add_command(group)


def _groups() -> list[AppGroup]:
    return [scheduler_cli]
