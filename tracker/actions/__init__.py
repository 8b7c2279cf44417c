"""Actions of a workstream, their milestones, progress log, evidence and indicators."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the indicators' part of the agreement file with the loader, and declare the domain's API
    resources (actions, milestones, progress updates, indicators) on the API blueprint (called before
    tracker.api.init_app registers the blueprint on the app)."""
    from tracker.actions.agreement_file import apply_indicators
    from tracker.actions.api import actions, indicators, milestones, progress  # noqa: F401
    from tracker.agreements.loader import register_section

    register_section(apply_indicators)
