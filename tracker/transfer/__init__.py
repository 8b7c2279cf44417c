"""Import and export of actions and milestones as CSV and XLSX."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Declare the domain's API resources (import and export) on the API blueprint.

    Called before tracker.api.init_app registers the blueprint on the app.
    """
    from tracker.transfer import api  # noqa: F401
