"""Geometry of the server-rendered SVG charts (the templates draw them; every chart also has a text table)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from tracker.actions.models import Action, Milestone, MilestoneStatus


@dataclass(frozen=True)
class Segment:
    key: str
    value: int
    x: float  # percent of the bar's width
    width: float


def stacked(values: Sequence[tuple[str, int]]) -> list[Segment]:
    """Return the non-empty segments of a 100 % stacked bar."""
    total = sum(v for _, v in values)
    segments: list[Segment] = []
    x = 0.0
    for key, value in values:
        if value <= 0 or total == 0:
            continue
        width = 100 * value / total
        segments.append(Segment(key, value, round(x, 3), round(width, 3)))
        x += width
    return segments


@dataclass(frozen=True)
class Mark:
    milestone: Milestone
    x: float
    kind: str  # done, planned, overdue, cancelled


@dataclass(frozen=True)
class Row:
    action: Action
    y: float
    x1: float
    x2: float
    marks: list[Mark]


@dataclass
class Timeline:
    width: int
    height: int
    left: int
    top: int
    row_height: int
    years: list[tuple[int, float]] = field(default_factory=list)
    today_x: float | None = None
    rows: list[Row] = field(default_factory=list)


def timeline(
    start: date,
    end: date,
    actions: Sequence[Action],
    milestones: dict[int, list[Milestone]],
    today: date,
    *,
    width: int = 960,
    left: int = 240,
    row_height: int = 26,
) -> Timeline:
    """Lay actions (bars from start to due date) and their milestones (marks) over the period [start, end]."""
    top = 24
    span = max(1, (end - start).days)
    plot = width - left - 12

    def x_of(day: date) -> float:
        clipped = min(max(day, start), end)
        return round(left + plot * (clipped - start).days / span, 1)

    chart = Timeline(width=width, height=top + row_height * max(1, len(actions)) + 8, left=left, top=top,
                     row_height=row_height)  # fmt: skip
    chart.years = [(year, x_of(date(year, 1, 1))) for year in range(start.year + 1, end.year + 1)]
    chart.today_x = x_of(today) if start <= today <= end else None
    for index, action in enumerate(actions):
        y = top + index * row_height
        first = action.start_on or (action.created_at.date() if action.created_at else start)
        last = action.due_on or max(first, today)
        marks = [Mark(m, x_of(m.due_on), _kind(m, today)) for m in milestones.get(action.id, [])]
        chart.rows.append(Row(action, y, x_of(first), max(x_of(last), x_of(first) + 2), marks))
    return chart


def _kind(milestone: Milestone, today: date) -> str:
    if milestone.status == MilestoneStatus.PLANNED:
        return "overdue" if milestone.is_overdue(today) else "planned"
    return str(milestone.status)
