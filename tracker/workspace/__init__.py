"""The pages that span domains: my work, the agreement dashboard, the workstream page and search; and the template
filters every page uses (dates, numbers, Markdown) with the action labels."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the template filters every page uses (`date`, `datetime`, `markdown`, `number`, …) and the labels
    of action states, health and sort orders."""
    from tracker.workspace import labels, text

    text.register(app)
    labels.register(app)
