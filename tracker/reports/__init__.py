"""Progress reports: frozen snapshots of an agreement over a period, rendered and signed off by both parties."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Declare the domain's API resources (reports) on the API blueprint.

    Called before tracker.api.init_app registers the blueprint on the app.
    """
    from tracker.reports import api  # noqa: F401
