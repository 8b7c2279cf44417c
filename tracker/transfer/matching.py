"""Which actions of a file are already in the agreement, so that importing a file twice creates nothing new.

An action of the file stands for an existing action of the same workstream when its reference is that action's
id (what an export writes in `action_ref`), otherwise when their titles are the same (ignoring case and spaces).
A milestone of the file is already present when its action has one with the same title.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.actions.models import Action
from tracker.core.db import db
from tracker.core.numbers import parse_db_int


@dataclass(frozen=True)
class FileAction:
    """An action as the file gives it: its reference in the file, its workstream's id and its title."""

    ref: str
    workstream_id: int
    title: str


def _title_key(title: str) -> str:
    return " ".join(title.split()).casefold()


def same_title(a: str, b: str) -> bool:
    """Return whether two titles name the same thing (case and runs of spaces aside)."""
    return _title_key(a) == _title_key(b)


def existing_actions(wanted: Iterable[FileAction]) -> dict[str, Action]:
    """Return, by the file's reference, the existing action each file action stands for (milestones loaded).

    Two queries whatever the file's size: the ids and titles of the workstreams' actions, then the matched
    actions with their milestones. A reference matches before a title does; file actions matching nothing are
    left out.
    """
    wanted = list(wanted)
    if not wanted:
        return {}
    known = db.session.execute(
        select(Action.id, Action.workstream_id, Action.title)
        .where(Action.workstream_id.in_({w.workstream_id for w in wanted}))
        .order_by(Action.id)
    ).all()
    by_id = {row.id: row for row in known}
    by_title: dict[tuple[int, str], int] = {}
    for row in known:
        by_title.setdefault((row.workstream_id, _title_key(row.title)), row.id)
    matched: dict[str, int] = {}
    for item in wanted:
        row = by_id.get(parse_db_int(item.ref) or 0)
        if row is not None and row.workstream_id == item.workstream_id:
            matched[item.ref] = row.id
        elif (item.workstream_id, _title_key(item.title)) in by_title:
            matched[item.ref] = by_title[(item.workstream_id, _title_key(item.title))]
    actions = db.session.scalars(
        select(Action).where(Action.id.in_(set(matched.values()))).options(selectinload(Action.milestones))
    )
    loaded = {action.id: action for action in actions}
    return {ref: loaded[action_id] for ref, action_id in matched.items()}
