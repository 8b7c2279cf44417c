"""Page-based pagination of SQLAlchemy selects, shared by pages and the API (bounded page sizes)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select

from tracker.core.db import db

T = TypeVar("T")
MAX_PER_PAGE = 100


@dataclass(frozen=True)
class Page(Generic[T]):
    items: Sequence[T]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_prev(self) -> bool:
        return self.page > 1


def clamp(page: Any, per_page: Any, default_per_page: int = 25) -> tuple[int, int]:
    """Return a valid (page, per_page) from untrusted values (bad values fall back to the defaults)."""
    try:
        page_n = max(1, int(page))
    except (TypeError, ValueError):
        page_n = 1
    try:
        size = int(per_page)
    except (TypeError, ValueError):
        size = default_per_page
    return page_n, min(max(1, size), MAX_PER_PAGE)


def paginate(statement: Select[Any], page: int, per_page: int, *, scalars: bool = True) -> Page[Any]:
    """Run `statement` for one page and count the whole result (two queries)."""
    total = db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery())) or 0
    limited = statement.limit(per_page).offset((page - 1) * per_page)
    result = db.session.execute(limited)
    items = result.scalars().all() if scalars else result.all()
    return Page(items=items, page=page, per_page=per_page, total=total)
