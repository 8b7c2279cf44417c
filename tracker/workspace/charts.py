"""Geometry of the server-rendered SVG charts (the templates draw them; every chart also has a text table)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from tracker.actions.models import Action, Milestone, MilestoneStatus

MAX_WIDENING_YEARS = 10
YEAR_LABEL_WIDTH = 34  # room a year's label takes right of its line, in SVG units


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

    @property
    def width(self) -> float:
        return round(self.x2 - self.x1, 1)


@dataclass(frozen=True)
class EndLine:
    """A date drawn across the rows: the agreement's end (`kind` "end"), or the end an amendment moved ("original")."""

    on: date
    x: float
    kind: str
    anchor: str  # where its label hangs from the line: "start" (to the right) or "end" (to the left)


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
    ends: list[EndLine] = field(default_factory=list)
    past_end: int = 0  # how many of the rows run past the agreement's end


def timeline(
    start: date,
    end: date,
    actions: Sequence[Action],
    milestones: dict[int, list[Milestone]],
    today: date,
    *,
    original_end: date | None = None,
    width: int = 960,
    left: int = 240,
    row_height: int = 26,
) -> Timeline:
    """Lay actions (bars from start to due date) and their milestones (marks) over the agreement's period [start,
    end], widened to hold the whole of every action and milestone; `end` (and `original_end`, the end date an
    amendment moved, if any) is drawn as a labelled line. Widths and x positions are in SVG user units."""
    top = 52  # room above the rows for the end labels (two lines) and the years
    spans = [_span(action, milestones.get(action.id, []), start, today) for action in actions]
    # Widened by at most MAX_WIDENING_YEARS on each side: a date further off (a typing slip) is drawn at the edge.
    first_day = max(min([start, *(first for first, _ in spans)]), _years_before(start, MAX_WIDENING_YEARS))
    last_day = min(max([end, *(last for _, last in spans)]), _years_before(end, -MAX_WIDENING_YEARS))
    span = max(1, (last_day - first_day).days)
    plot = width - left - 12

    def x_of(day: date) -> float:
        clipped = min(max(day, first_day), last_day)
        return round(left + plot * (clipped - first_day).days / span, 1)

    chart = Timeline(width=width, height=top + row_height * max(1, len(actions)) + 8, left=left, top=top,
                     row_height=row_height)  # fmt: skip
    years = [(year, x_of(date(year, 1, 1))) for year in range(first_day.year + 1, last_day.year + 1)]
    chart.years = [(year, x) for year, x in years if x + YEAR_LABEL_WIDTH <= width]  # a cut label reads wrong
    chart.today_x = x_of(today) if first_day <= today <= last_day else None
    middle = left + plot / 2
    for day, kind in ((end, "end"), (original_end, "original")):
        if day is not None and (kind == "end" or day < end):
            x = x_of(day)
            chart.ends.append(EndLine(day, x, kind, "end" if x > middle else "start"))
    for index, (action, (_, last)) in enumerate(zip(actions, spans, strict=True)):
        y = top + index * row_height
        marks = [Mark(m, x_of(m.due_on), _kind(m, today)) for m in milestones.get(action.id, [])]
        bar_start, bar_end = _bar(action, start, today)
        chart.rows.append(Row(action, y, x_of(bar_start), max(x_of(bar_end), x_of(bar_start) + 2), marks))
        chart.past_end += last > end
    return chart


def _years_before(day: date, years: int) -> date:
    """Return the same day `years` years earlier (later when negative); 28 February for 29 February."""
    year = day.year - years
    return day.replace(year=year, day=min(day.day, 28)) if day.month == 2 else day.replace(year=year)


def _bar(action: Action, start: date, today: date) -> tuple[date, date]:
    """Return the days an action's bar runs: from its start (or creation) to its due date (or today)."""
    first = action.start_on or (action.created_at.date() if action.created_at else start)
    return first, action.due_on or max(first, today)


def _span(action: Action, milestones: Sequence[Milestone], start: date, today: date) -> tuple[date, date]:
    """Return the first and last days an action's row shows: its bar and its milestones."""
    first, last = _bar(action, start, today)
    days = [m.due_on for m in milestones]
    return min([first, *days]), max([last, *days])


def _kind(milestone: Milestone, today: date) -> str:
    if milestone.status == MilestoneStatus.PLANNED:
        return "overdue" if milestone.is_overdue(today) else "planned"
    return str(milestone.status)
