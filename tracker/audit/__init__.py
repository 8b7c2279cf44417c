"""Reading the audit trail: the history of an object, and the administrators' log with its CSV export."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the templates' history helpers: `object_history(obj, page)` (what the reader may see of an
    object's history) and the `history_time` filter."""
    from flask_login import current_user

    from tracker.audit.display import when
    from tracker.audit.history import history_for

    app.add_template_global(lambda obj, page=1: history_for(current_user, obj, page=page), "object_history")
    app.add_template_filter(when, "history_time")
