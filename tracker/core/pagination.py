"""Page-based pagination of SQLAlchemy selects, shared by pages and the API (bounded page sizes)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import ScalarSelect, Select, func, select

from tracker.core.db import db
from tracker.core.numbers import parse_db_int

T = TypeVar("T")
MAX_PER_PAGE = 100
# Beyond this, a page number is surely a mistake (and its offset would overflow the database's integers).
MAX_PAGE = 1_000_000


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
    """Return a valid (page, per_page) from untrusted values (bad values fall back to the defaults).

    `page` is kept within 1..MAX_PAGE and `per_page` within 1..MAX_PER_PAGE, whatever digits were sent.
    """
    page_n = parse_db_int(page, minimum=0, maximum=10**10)
    size = parse_db_int(per_page, minimum=0, maximum=10**10)
    page_n = 1 if page_n is None else min(max(1, page_n), MAX_PAGE)
    size = default_per_page if size is None else size
    return page_n, min(max(1, size), MAX_PER_PAGE)


@dataclass(frozen=True)
class CappedCount:
    """A count that stops at `cap` rows, so that its cost does not grow with the data: `value` is exact below
    the cap; at it, all that is known is « more than cap − 1 » (what pages then show)."""

    value: int
    cap: int

    @property
    def exceeded(self) -> bool:
        return self.value >= self.cap

    def __bool__(self) -> bool:
        return self.value > 0


def capped_count_of(statement: Select[Any], cap: int) -> ScalarSelect[int]:
    """Return the count of the rows of `statement`, reading at most `cap` of them, as a scalar subquery (several
    counts then go in one statement; a correlated `statement` gives one count per row of the enclosing select)."""
    return select(func.count()).select_from(statement.order_by(None).limit(cap).subquery()).scalar_subquery()


def count_capped(statement: Select[Any], cap: int) -> CappedCount:
    """Count the rows of `statement`, reading at most `cap` of them (one query)."""
    return CappedCount(db.session.scalar(select(capped_count_of(statement, cap))) or 0, cap)


def paginate(
    statement: Select[Any], page: int, per_page: int, *, scalars: bool = True, total: int | None = None
) -> Page[Any]:
    """Run `statement` for one page and count the whole result (two queries; one when the caller knows the
    `total` already, e.g. from a tally kept by triggers)."""
    if total is None:
        total = count_all(statement)
    limited = statement.limit(per_page).offset((page - 1) * per_page)
    result = db.session.execute(limited)
    items = result.scalars().all() if scalars else result.all()
    return Page(items=items, page=page, per_page=per_page, total=total)


def paginate_counted(statement: Select[Any], page: int, per_page: int) -> Page[Any]:
    """Like `paginate` (of entities), in one query while the page has rows: each row carries the count of the
    whole result (a window count, taken before the limit). For selects of one entity with at most many-to-one
    joins (no DISTINCT, GROUP BY or joined collections: they would change what the window counts); a page past
    the end counts apart."""
    rows = db.session.execute(
        statement.add_columns(func.count().over()).limit(per_page).offset((page - 1) * per_page)
    ).all()
    if rows:
        return Page(items=[row[0] for row in rows], page=page, per_page=per_page, total=rows[0][-1])
    return Page(items=[], page=page, per_page=per_page, total=0 if page == 1 else count_all(statement))


def count_all(statement: Select[Any]) -> int:
    """Count every row of `statement` (one query)."""
    return db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery())) or 0
