"""What changed since the previous report of the same kind: new, completed and slipped milestones."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tracker.reports.queries import MilestoneRow


def milestone_index(rows: list[MilestoneRow], codes: dict[int, str]) -> dict[str, list[Any]]:
    """Return {milestone id: [workstream code, due on, status, completed on]}, kept to compare with next time."""
    return {
        str(r.id): [
            codes[r.workstream_id],
            r.due_on.isoformat(),
            r.status,
            r.completed_on.isoformat() if r.completed_on else None,
        ]
        for r in rows
    }


def _entry(row: MilestoneRow, codes: dict[int, str], **extra: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "workstream": codes[row.workstream_id],
        "title": row.title,
        "action": row.action_title,
        "due_on": row.due_on.isoformat(),
        **extra,
    }


def changes_since(
    previous: dict[str, Any] | None, index: dict[str, list[Any]], rows: list[MilestoneRow], codes: dict[int, str]
) -> dict[str, Any]:
    """Compare the milestones now with those of the previous report (None: nothing to compare with)."""
    if previous is None:
        return {"previous": None, "new": [], "completed": [], "slipped": []}
    before: dict[str, list[Any]] = previous["milestone_index"]
    new, completed, slipped = [], [], []
    for row in rows:
        old = before.get(str(row.id))
        if old is None:
            if row.status != "cancelled":
                new.append(_entry(row, codes))
            continue
        _code, old_due, old_status, _old_completed = old
        if row.status == "done" and old_status != "done":
            completed.append(
                _entry(row, codes, completed_on=row.completed_on.isoformat() if row.completed_on else None)
            )
        if row.due_on.isoformat() > old_due and row.status != "cancelled":
            slipped.append(_entry(row, codes, old_due_on=old_due))
    return {
        "previous": {key: previous[key] for key in ("id", "period", "kind", "start", "end", "version", "generated_at")},
        "new": new,
        "completed": completed,
        "slipped": slipped,
    }
