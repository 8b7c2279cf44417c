"""GET /calendar/<feed_token>.ics: no login, the secret token in the address is the credential."""

from __future__ import annotations

from flask import Blueprint, Response, abort, request

from tracker.feeds.calendar import build_feed, user_for_feed
from tracker.web.downloads import content_disposition

bp = Blueprint("feeds", __name__)


@bp.get("/calendar/<feed_token>.ics")
def calendar_feed(feed_token: str) -> Response:
    user = user_for_feed(feed_token)
    if user is None:
        abort(404)
    feed = build_feed(user)
    response = Response(feed.body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = content_disposition(
        "milestones.ics", inline=True
    )  # read by calendar apps
    response.headers["Cache-Control"] = "private, max-age=300"
    response.set_etag(feed.etag)
    if feed.last_modified is not None:
        response.last_modified = feed.last_modified
    # 304 when the client's copy is current (If-None-Match first, else If-Modified-Since).
    return response.make_conditional(request)
