"""Search of actions by text, across the agreements the user may see."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from tracker.accounts.models import User
from tracker.actions.models import Action
from tracker.actions.queries import action_visible_to, text_matches, with_continuation
from tracker.agreements.models import Workstream
from tracker.core.pagination import Page, paginate

MAX_QUERY = 200


def search_actions(user: User, text: str, page: int, per_page: int, agreement_id: int | None = None) -> Page[Action]:
    """Return the actions whose title or description contains `text` (case-insensitive), newest first."""
    statement = select(Action).where(action_visible_to(user), *text_matches(text[:MAX_QUERY]))
    if agreement_id is not None:
        statement = statement.join(Workstream, Action.workstream_id == Workstream.id).where(
            Workstream.agreement_id == agreement_id
        )
    statement = statement.options(
        joinedload(Action.workstream).joinedload(Workstream.agreement), joinedload(Action.owner), with_continuation()
    ).order_by(Action.updated_at.desc(), Action.id.desc())
    return paginate(statement, page, per_page)
