"""Reading the audit trail: the history of an object, and the administrators' log with its CSV export.

The trail is split by direction, not by topic: writing it is framework (`tracker.core.audit`: the entry model,
`record`, and the write guards every audited change passes, which every domain uses and which knows none);
reading it is this package, an entry point above the domains, since showing an entry means naming its actor,
agreement, entity, verb and fields in the reader's language (`display.py`, `fields.py`).
"""

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
