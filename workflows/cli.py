"""Command-line entry points of the workflows, registered on the app by wsgi.py."""

from __future__ import annotations

from flask import Flask


def register_cli(app: Flask) -> None:
    """Add the workflows' command groups to the app's CLI."""
    for group in _groups():
        app.cli.add_command(group)


def _groups() -> list:  # type: ignore[type-arg]
    return []
