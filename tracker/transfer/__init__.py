"""Import and export of actions and milestones as CSV and XLSX."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the export links' template helpers (`csv_separators()`, `csv_label(sep)`), and declare the domain's
    API resources (import and export) on the API blueprint.

    Called before tracker.api.init_app registers the blueprint on the app.
    """
    from tracker.api.blueprint import declare
    from tracker.transfer.api import exports, imports
    from tracker.transfer.views import csv_label, csv_separators

    app.add_template_global(csv_separators, "csv_separators")
    app.add_template_global(csv_label, "csv_label")
    declare(exports.ROUTES, imports.ROUTES)
