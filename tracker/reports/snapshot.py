"""The snapshot: every number and text a report shows, computed once from the database and frozen as JSON."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tracker.actions.models import ActionStatus, Direction, Health, Indicator
from tracker.agreements.models import Agreement
from tracker.reports import queries
from tracker.reports.changes import changes_since, milestone_index
from tracker.reports.charts import STATUS_COLOURS
from tracker.reports.labels import ACTION_FIGURES
from tracker.reports.models import Report, ReportKind
from tracker.reports.narratives.services import frozen as frozen_narratives
from tracker.reports.periods import Period

SCHEMA = 1
LANGS = ("fr", "en", "nl")
RUNNING = {ActionStatus.ACTIVE.value, ActionStatus.ON_HOLD.value}
MILESTONE_FIGURES = ("met_on_time", "met_late", "missed", "coming", "planned", "done")
LISTED_MILESTONES = ("missed", "coming")
# Parts other packages add to a snapshot (the close-out decisions of a final report): name -> build(agreement,
# period), which returns the part's plain JSON value, or None to leave it out. Snapshots without a part still render.
Part = Callable[[Agreement, Period], Any]
_parts: dict[str, Part] = {}
# Parts an open report must still show as they are now to be signed: name -> (key(part value or None) -> what is
# compared, the reason shown when the database moved on since the report was generated).
_kept_current: dict[str, tuple[Callable[[Any], Any], Any]] = {}
# Statuses other packages count actions under in some reports instead of their own (the final report's « carried
# over »): key -> build(period), the SQL condition on `Action` for that report, or None when it does not count it.
_statuses: dict[str, Callable[[Period], Any]] = {}


def register_status(key: str, label: Any, colour: str, condition: Callable[[Period], Any]) -> None:
    """Count the actions meeting `condition(period)` under `key` (named `label`, drawn in `colour`) in the reports
    for which it returns a condition, instead of under their own status (called once, at app start)."""
    _statuses[key] = condition
    ACTION_FIGURES[key] = label
    STATUS_COLOURS[key] = colour


def _conditions(period: Period) -> dict[str, Any]:
    """The registered statuses counted in a report of `period`, with their conditions."""
    found = {key: build(period) for key, build in _statuses.items()}
    return {key: condition for key, condition in found.items() if condition is not None}


def register_part(name: str, build: Part, *, key: Callable[[Any], Any] | None = None, outdated: Any = None) -> None:
    """Add a part to every snapshot generated from now on (called once, at app start). With `key`, a report whose
    frozen part no longer has the key of the part built now is outdated (`outdated_reason`): `outdated` says why."""
    _parts[name] = build
    if key is not None:
        _kept_current[name] = (key, outdated)


def outdated_reason(report: Report) -> Any:
    """Return why `report`'s snapshot no longer shows what it must (a part kept current changed since it was
    generated; it must be regenerated), or None when it is current. One build per part kept current."""
    period = Period(report.period, ReportKind(report.kind), report.period_start_on, report.period_end_on)
    for name, (key, reason) in _kept_current.items():
        if key(report.snapshot.get(name)) != key(_parts[name](report.agreement, period)):
            return reason
    return None


def texts(obj: Any, field: str) -> dict[str, str]:
    return {lang: obj.text(field, lang) for lang in LANGS}


def _local_bounds(period: Period, timezone: str) -> tuple[datetime, datetime]:
    zone = ZoneInfo(timezone)
    start = datetime.combine(period.start, time.min, zone).astimezone(UTC)
    end = datetime.combine(period.end + timedelta(days=1), time.min, zone).astimezone(UTC)
    return start, end


def empty_block(counted: Collection[str] = ()) -> dict[str, Any]:
    """The figures of a workstream before counting: the actions by their status (and by the registered statuses
    `counted`), by health, the milestones."""
    return {
        "actions": {
            "total": 0,
            "by_status": {s.value: 0 for s in ActionStatus} | dict.fromkeys(counted, 0),
            "by_health": {h.value: 0 for h in Health},
        },
        "milestones": {name: 0 for name in MILESTONE_FIGURES} | {"percent_done": None},
    }


def _count_actions(
    blocks: dict[int, dict[str, Any]], total: dict[str, Any], rows: list[tuple[int, str, str, int]]
) -> None:
    for ws_id, status, health, n in rows:
        for block in (blocks[ws_id], total):
            block["actions"]["total"] += n
            block["actions"]["by_status"][status] += n
            if status in RUNNING:
                block["actions"]["by_health"][health] += n


def classify(row: queries.MilestoneRow, period: Period, following: tuple[date, date] | None, today: date) -> list[str]:
    """Return the figures a milestone counts in for the period (see the report's reading notes)."""
    if row.status == "cancelled":
        return []
    found = []
    done = row.status == "done" and row.completed_on is not None
    if done and period.start <= row.completed_on <= period.end:  # type: ignore[operator]
        found.append("met_on_time" if row.completed_on <= row.due_on else "met_late")  # type: ignore[operator]
    if period.start <= row.due_on <= period.end:
        found.append("planned")
        done_in_time = done and row.completed_on <= period.end  # type: ignore[operator]
        if done_in_time:
            found.append("done")
        elif row.due_on < today:
            found.append("missed")
    if following and not done and following[0] <= row.due_on <= following[1]:
        found.append("coming")
    return found


def _milestone_entry(row: queries.MilestoneRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "title": row.title,
        "action": row.action_title,
        "due_on": row.due_on.isoformat(),
        "completed_on": row.completed_on.isoformat() if row.completed_on else None,
    }


def _count_milestones(
    blocks: dict[int, dict[str, Any]],
    total: dict[str, Any],
    rows: list[queries.MilestoneRow],
    period: Period,
    following: tuple[date, date] | None,
    today: date,
) -> dict[int, dict[str, list[dict[str, Any]]]]:
    lists: dict[int, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: {name: [] for name in LISTED_MILESTONES})
    for row in rows:
        for figure in classify(row, period, following, today):
            blocks[row.workstream_id]["milestones"][figure] += 1
            total["milestones"][figure] += 1
            if figure in LISTED_MILESTONES:
                lists[row.workstream_id][figure].append(_milestone_entry(row))
    for block in [*blocks.values(), total]:
        figures = block["milestones"]
        figures["percent_done"] = round(100 * figures["done"] / figures["planned"], 1) if figures["planned"] else None
    return lists


def indicator_entry(indicator: Indicator, value: float | None, measured_on: date | None) -> dict[str, Any]:
    target, baseline = indicator.target_value, indicator.baseline_value
    progress = None
    if value is not None and target is not None and target != baseline:
        progress = round(100 * (value - baseline) / (target - baseline), 1)
    return {
        "code": indicator.code,
        "name": texts(indicator, "name"),
        "unit": indicator.unit,
        "direction": Direction(indicator.direction).value,
        "baseline": baseline,
        "baseline_on": indicator.baseline_on.isoformat(),
        "target": target,
        "target_on": indicator.target_on.isoformat() if indicator.target_on else None,
        "latest": value,
        "latest_on": measured_on.isoformat() if measured_on else None,
        "progress_percent": progress,
    }


def _highlight(row: dict[str, Any], timezone: str) -> dict[str, Any]:
    return {
        "action": row["action_title"],
        "text": row["text"],
        "percent": row["percent"],
        "health": str(row["health"]),
        "on": row["created_at"].astimezone(ZoneInfo(timezone)).date().isoformat(),
    }


def _action_entry(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "title": row["title"],
        "status": str(row["status"]),
        "health": str(row["health"]),
        "percent": row["percent"],
        "start_on": row["start_on"].isoformat() if row["start_on"] else None,
        "due_on": row["due_on"].isoformat() if row["due_on"] else None,
        "owner": row["owner"] or "",
        "outcome": row["outcome"] or "",
    }


def _header(agreement: Agreement, period: Period, today: date, generated_at: datetime) -> dict[str, Any]:
    following = period.following(agreement.ends_on)
    return {
        "schema": SCHEMA,
        "generated_at": generated_at.isoformat(),
        "agreement": {
            "slug": agreement.slug,
            "timezone": agreement.timezone,
            "title": texts(agreement, "title"),
            "signed_on": agreement.signed_on.isoformat(),
            "starts_on": agreement.starts_on.isoformat(),
            "ends_on": agreement.ends_on.isoformat(),
            "parties": [
                {"code": s.party.code, "name": texts(s.party, "name"), "signed_by": s.signed_by or ""}
                for s in agreement.signatories
            ],
        },
        "period": {
            "key": period.key,
            "kind": period.kind.value,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "as_of": today.isoformat(),
            "elapsed_percent": period.elapsed_percent(today),
            "next_start": following[0].isoformat() if following else None,
            "next_end": following[1].isoformat() if following and following[1] != date.max else None,
        },
    }


def build_snapshot(
    agreement: Agreement,
    period: Period,
    *,
    today: date,
    generated_at: datetime,
    previous: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Return the snapshot of `agreement` over `period` as the database holds it now (plain JSON values)."""
    snapshot = _header(agreement, period, today, generated_at)
    following = period.following(agreement.ends_on)
    workstreams = list(agreement.workstreams)
    conditions = _conditions(period)
    status = queries.counted_status(conditions)
    blocks = {ws.id: empty_block(conditions) for ws in workstreams}
    total = empty_block(conditions)
    _count_actions(blocks, total, queries.action_counts(agreement.id, period.start, period.end, status))
    milestone_rows = queries.milestones(agreement.id)
    lists = _count_milestones(blocks, total, milestone_rows, period, following, today)

    unaddressed: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for commitment in queries.unaddressed_commitments(agreement.id):
        # Numbered within their workstream in the report: their codes are English words (`YOUTH-1`).
        unaddressed[commitment.workstream_id].append(
            {"code": commitment.code, "position": commitment.position, "text": texts(commitment, "text")}
        )
    indicators: dict[int | None, list[dict[str, Any]]] = defaultdict(list)
    for indicator, value, measured_on in queries.indicator_values(agreement.id, period.end):
        indicators[indicator.workstream_id].append(indicator_entry(indicator, value, measured_on))
    highlights: dict[int, list[dict[str, Any]]] = defaultdict(list)
    start_at, end_at = _local_bounds(period, agreement.timezone)
    for row in queries.highlights(agreement.id, start_at, end_at):
        highlights[row["workstream_id"]].append(_highlight(row, agreement.timezone))

    actions: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in queries.actions(agreement.id, period.start, period.end, status):
        actions[row["workstream_id"]].append(_action_entry(row))
    narratives = frozen_narratives(agreement.id, period.key)

    codes = {ws.id: ws.code for ws in workstreams}
    index = milestone_index(milestone_rows, codes)
    snapshot["executive_summary"] = narratives["summary"]
    snapshot["totals"] = total
    snapshot["indicators"] = indicators[None]
    snapshot["workstreams"] = [
        {
            "code": ws.code,
            "title": texts(ws, "title"),
            **blocks[ws.id],
            "lists": lists[ws.id] if ws.id in lists else {name: [] for name in LISTED_MILESTONES},
            "unaddressed_commitments": unaddressed[ws.id],
            "indicators": indicators[ws.id],
            "highlights": highlights[ws.id],
            "assessment": narratives["workstreams"].get(ws.code),
            "action_list": actions[ws.id],
        }
        for ws in workstreams
    ]
    snapshot["changes"] = changes_since(previous, index, milestone_rows, codes)
    snapshot["milestone_index"] = index
    for name, build in _parts.items():
        value = build(agreement, period)
        if value is not None:
            snapshot[name] = value
    return snapshot
