"""Agreements, the parties that signed them, their workstreams and commitments."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Declare the domain's API resources (agreements, workstreams) on the API blueprint.

    Called before tracker.api.init_app registers the blueprint on the app.
    """
    from tracker.agreements.api import agreements, workstreams
    from tracker.api.blueprint import declare

    declare(agreements.ROUTES, workstreams.ROUTES)
