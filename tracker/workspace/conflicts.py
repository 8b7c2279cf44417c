"""The answer to an edit based on an older version: the shared conflict page (both versions side by side)."""

from __future__ import annotations

from tracker.actions.conflicts import render_conflict
from tracker.core.errors import Conflict


def conflict_response(exc: Conflict, back: str) -> tuple[str, int]:
    return render_conflict(exc, back)
