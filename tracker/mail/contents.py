"""What each claimed message is to carry now: its content, a reason it is no longer to be sent, or a failure.

Rows rendered at send time (digests) are built together per template; one row that cannot be built fails
alone (a `BuildFailure`, recorded on that row and retried), never the batch.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from tracker.accounts.models import User
from tracker.core.db import db, reading
from tracker.mail.models import OutboxMessage
from tracker.mail.outbox import renderer_for
from tracker.mail.render import Rendered

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BuildFailure:
    """Why one message could not be built now (an exception while rendering or composing it): retried later."""

    reason: str

    @classmethod
    def of(cls, exc: Exception) -> BuildFailure:
        return cls(f"could not build the message: {type(exc).__name__}: {exc}"[:2000])


def build_contents(messages: Sequence[OutboxMessage]) -> dict[int, Rendered | str | BuildFailure]:
    """Return for each row what to send now, why it is no longer to be sent (a string), or why it failed to build.

    A renderer builds its rows together; when that fails, each row is built alone so that one bad row (a
    corrupt context, a person whose data breaks a template) fails alone and the others go out.
    """
    result: dict[int, Rendered | str | BuildFailure] = {}
    recipients = {m.recipient_id for m in messages if m.recipient_id is not None}
    active = set(db.session.scalars(select(User.id).where(User.id.in_(recipients), User.active.is_(True))))
    by_template: dict[str, list[OutboxMessage]] = {}
    for m in messages:
        if m.recipient_id is not None and m.recipient_id not in active:
            result[m.id] = "the recipient's account is deactivated"
        elif renderer_for(m.template) is not None:
            by_template.setdefault(m.template, []).append(m)
        else:
            result[m.id] = Rendered(m.subject or "", m.body_text or "", m.body_html, dict(m.headers or {}))
    for template, rows in by_template.items():
        result.update(_render_rows(template, rows))
    return result


def _render_rows(template: str, rows: list[OutboxMessage]) -> dict[int, Rendered | str | BuildFailure]:
    renderer = renderer_for(template)
    assert renderer is not None
    try:
        with reading():  # ended (rolled back) even when the renderer fails: the rows are detached copies
            rendered: dict[int, Rendered | None] = renderer(rows)
    except Exception as exc:
        if len(rows) == 1:
            log.exception("outbox: message %s could not be rendered", rows[0].id)
            return {rows[0].id: BuildFailure.of(exc)}
        # Only after a failure, and once per row: the price of finding which one is bad.
        found: dict[int, Rendered | str | BuildFailure] = {}
        for row in rows:
            found.update(_render_rows(template, [row]))
        return found
    gone = "nothing left to send: what it was about is settled"
    return {m.id: content if content is not None else gone for m, content in ((m, rendered.get(m.id)) for m in rows)}
