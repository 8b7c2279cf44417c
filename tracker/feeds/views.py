"""GET /calendar/<feed_token>.ics: no login, the secret token in the address is the credential."""

from __future__ import annotations

from flask import Blueprint, Response, abort

from tracker.feeds.calendar import build_feed, user_for_feed

bp = Blueprint("feeds", __name__)


@bp.get("/calendar/<feed_token>.ics")
def calendar_feed(feed_token: str) -> Response:
    user = user_for_feed(feed_token)
    if user is None:
        abort(404)
    response = Response(build_feed(user), mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'inline; filename="milestones.ics"'
    response.headers["Cache-Control"] = "private, max-age=300"
    return response
