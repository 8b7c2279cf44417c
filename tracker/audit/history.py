"""The history of one object: its audit entries (and those of its parts), newest first, with actor names."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import joinedload

from tracker.accounts.models import User
from tracker.actions.access import ensure_visible
from tracker.actions.models import Action, Attachment, Indicator, Measurement, Milestone, ProgressUpdate
from tracker.agreements.models import Agreement, Workstream
from tracker.audit.display import Entry, describe
from tracker.core.audit import AuditEntry
from tracker.core.pagination import paginate_counted
from tracker.reports.models import Report

HISTORY_LIMIT = 100


@dataclass(frozen=True)
class History:
    entries: list[Entry]
    total: int
    page: int = 1  # pages of `limit` entries, newest first
    limit: int = HISTORY_LIMIT

    @property
    def truncated(self) -> bool:
        return self.total > len(self.entries)

    @property
    def first(self) -> int:
        """The rank (1 = newest) of the first entry shown."""
        return (self.page - 1) * self.limit + 1

    @property
    def has_older(self) -> bool:
        return self.page * self.limit < self.total


def _scope(obj: Any) -> tuple[int, Any]:
    """Return the object's agreement id and the condition selecting its entries and its parts' entries."""

    def of(entity: str, ids: Any) -> Any:
        return and_(
            AuditEntry.entity == entity,
            AuditEntry.entity_id.in_(ids) if not isinstance(ids, int) else AuditEntry.entity_id == ids,
        )

    if isinstance(obj, Action):
        return obj.workstream.agreement_id, or_(
            of("action", obj.id),
            of("milestone", select(Milestone.id).where(Milestone.action_id == obj.id).scalar_subquery()),
            of(
                "progress_update", select(ProgressUpdate.id).where(ProgressUpdate.action_id == obj.id).scalar_subquery()
            ),
            of("attachment", select(Attachment.id).where(Attachment.action_id == obj.id).scalar_subquery()),
        )
    if isinstance(obj, Milestone):
        return obj.action.workstream.agreement_id, of("milestone", obj.id)
    if isinstance(obj, Indicator):
        measurements = select(Measurement.id).where(Measurement.indicator_id == obj.id).scalar_subquery()
        return obj.agreement_id, or_(of("indicator", obj.id), of("measurement", measurements))
    if isinstance(obj, Workstream):
        return obj.agreement_id, of("workstream", obj.id)
    if isinstance(obj, Agreement):
        return obj.id, of("agreement", obj.id)
    if isinstance(obj, Report):
        return obj.agreement_id, of("report", obj.id)
    raise TypeError(f"no history for {type(obj).__name__}")


def history_for(user: User, obj: Any, limit: int = HISTORY_LIMIT, page: int = 1) -> History:
    """Return the object's changes for a user who may see it: the `page`-th group of `limit` (1: the latest), in
    one or two queries (one more when the user's sight of the agreement was not checked yet in this request)."""
    page = max(1, page)
    agreement_id, condition = _scope(obj)
    ensure_visible(user, agreement_id, _l("This page does not exist, or you may not see it."))
    found = paginate_counted(
        select(AuditEntry)
        .where(condition)
        .options(joinedload(AuditEntry.actor))
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()),
        page,
        limit,
    )
    return History(describe(list(found.items)), found.total, page, limit)
