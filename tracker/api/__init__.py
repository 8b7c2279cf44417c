"""The API framework: the /api/v1 blueprint, token authentication, problem answers, request-body parsing, the
shapes every resource shares, and the OpenAPI document with its reference page.

The resources live in their domains (tracker/<domain>/api.py, or tracker/<domain>/api/<resource>.py), each
declaring its routes on the blueprint; a domain declares its resources in its `init_app`, which the app calls
before `init_app` below registers the blueprint.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Declare the API's own resources (`/me`, the document and its page) and register the blueprint on the app."""
    from tracker.api import docs, me  # noqa: F401  (their routes are declared on the blueprint as they load)
    from tracker.api.blueprint import bp

    app.register_blueprint(bp)
