"""Actions of a workstream, their milestones, progress log, evidence and indicators."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Declare the domain's API resources (actions, milestones, progress updates, indicators) on the API blueprint.

    Called before tracker.api.init_app registers the blueprint on the app.
    """
    from tracker.actions.api import actions, indicators, milestones, progress  # noqa: F401
