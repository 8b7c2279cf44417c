"""The answer to an edit based on an older version: nothing saved, both versions shown (409)."""

from __future__ import annotations

from flask import render_template

from tracker.core.errors import Conflict


def conflict_response(exc: Conflict, back: str) -> tuple[str, int]:
    return render_template("workspace/conflict.html", conflict=exc, details=exc.details, back=back), 409
