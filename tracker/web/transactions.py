"""One unit of work per request: a request that may write commits once, after its view, or changes nothing.

The view (and its services) change the session; the application commits when the view has returned its
answer, before the answer is sent, so a failing commit (a busy database, a constraint) is answered by the
error handlers (503, problem+json) instead of a success that was not kept. A view that raises, or that
calls `tracker.core.db.discard()` to show a refusal, leaves nothing written. Read requests (GET, HEAD,
OPTIONS) commit nothing: their rare writes run in `tracker.core.db.writing()` blocks of their own.
"""

from __future__ import annotations

from flask import Flask, request
from flask.typing import ResponseReturnValue

from tracker.core.db import READ_METHODS, unit_of_work


class TrackerFlask(Flask):
    """Flask whose every view runs in one unit of work (`tracker.core.db.unit_of_work`)."""

    def dispatch_request(self) -> ResponseReturnValue:
        with unit_of_work(commit=request.method not in READ_METHODS):
            # The answer is built inside the unit: an error building it undoes the request's changes too.
            return self.make_response(super().dispatch_request())
