"""Actions of a workstream, their milestones, progress log, evidence and indicators."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the indicators' part of the agreement file with the loader."""
    from tracker.actions.agreement_file import apply_indicators
    from tracker.agreements.loader import register_section

    register_section(apply_indicators)
