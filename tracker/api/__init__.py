"""The API framework: the /api/v1 blueprint, token authentication, problem answers, request-body parsing, the
shapes every resource shares, and the OpenAPI document with its reference page.

The resources live in their domains (tracker/<domain>/api.py, or tracker/<domain>/api/<resource>.py), each listing
its routes in `ROUTES`; a domain declares its resources on the blueprint in its `init_app`
(`tracker.api.blueprint.declare`), which the app calls before `init_app` below registers the blueprint. Nothing
is declared on import.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Declare the API's own resources (`/me`, the document and its page) and register the blueprint on the app."""
    from tracker.api import docs, me
    from tracker.api.blueprint import bp, declare

    declare(docs.ROUTES, me.ROUTES)
    app.register_blueprint(bp)
