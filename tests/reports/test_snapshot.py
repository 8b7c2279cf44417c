"""The snapshot holds exactly what the database held at generation, and later edits never change it."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from tests import factories
from tracker.accounts.models import User
from tracker.actions.models import (
    Action,
    ActionStatus,
    Health,
    Indicator,
    Measurement,
    Milestone,
    MilestoneStatus,
    ProgressUpdate,
)
from tracker.agreements.models import Agreement
from tracker.core import clock
from tracker.core.db import db
from tracker.reports import services
from tracker.reports.snapshot import build_snapshot

# T3 2026 of the ended agreement: it stops with the agreement on 22 September; what comes next runs to 31 December.
PERIOD_START, PERIOD_END = date(2026, 7, 1), date(2026, 9, 22)
NEXT_END = date(2026, 12, 31)
PARIS = ZoneInfo("Europe/Paris")


@dataclass
class MilestoneSpec:
    due: int
    status: MilestoneStatus
    completed: int


@dataclass
class ActionSpec:
    ws: int
    status: ActionStatus
    health: Health
    start: int | None
    length: int | None
    milestones: list[MilestoneSpec] = field(default_factory=list)
    updates: list[int] = field(default_factory=list)
    commitments: list[int] = field(default_factory=list)


# Days around the edges of the period (1 July = 0, 30 September = 91, 31 December = 183), where rules bite.
EDGES = st.sampled_from([-31, -1, 0, 1, 45, 90, 91, 92, 93, 183, 184])
offsets = st.one_of(EDGES, st.integers(-120, 200))
milestone_specs = st.builds(
    MilestoneSpec,
    due=offsets,
    status=st.sampled_from(list(MilestoneStatus)),
    completed=st.one_of(st.sampled_from([-1, 0, 1]), st.integers(-20, 40)),
)
action_specs = st.builds(
    ActionSpec,
    ws=st.integers(0, 3),
    status=st.sampled_from(list(ActionStatus)),
    health=st.sampled_from(list(Health)),
    start=st.one_of(st.none(), offsets),
    length=st.one_of(st.none(), st.integers(0, 300)),
    milestones=st.lists(milestone_specs, max_size=3),
    updates=st.lists(offsets, max_size=3),
    commitments=st.lists(st.integers(0, 1), max_size=2, unique=True),
)
dataset = st.fixed_dictionaries(
    {
        "actions": st.lists(action_specs, max_size=8),
        "today": offsets,
        "measurements": st.lists(st.tuples(st.integers(-400, 150), st.floats(0, 100, allow_nan=False)), max_size=3),
    }
)


def day(offset: int) -> date:
    return PERIOD_START + timedelta(days=offset)


def insert(agreement: Agreement, owner: User, data: dict) -> list[tuple[ActionSpec, Action, list[Milestone]]]:
    workstreams = agreement.workstreams[:4]
    created = []
    minute = 0
    for spec in data["actions"]:
        ws = workstreams[spec.ws]
        start = day(spec.start) if spec.start is not None else None
        due = (start or PERIOD_START) + timedelta(days=spec.length) if spec.length is not None else None
        action = Action(
            workstream_id=ws.id,
            title=f"Action {minute}",
            owner_id=owner.id,
            lead_party_id=owner.party_id,
            status=spec.status,
            health=spec.health,
            start_on=start,
            due_on=due,
            commitments=[ws.commitments[i] for i in spec.commitments if i < len(ws.commitments)],
        )
        db.session.add(action)
        db.session.flush()
        milestones = []
        for m in spec.milestones:
            done = m.status == MilestoneStatus.DONE
            milestone = Milestone(
                action_id=action.id,
                title=f"Jalon {minute}",
                due_on=day(m.due),
                status=m.status,
                completed_on=day(m.due + m.completed) if done else None,
            )
            milestones.append(milestone)
            db.session.add(milestone)
        for k, offset in enumerate(spec.updates):
            minute += 1
            at = datetime.combine(day(offset), time(9, minute % 60), PARIS).astimezone(UTC) + timedelta(seconds=k)
            db.session.add(
                ProgressUpdate(
                    action_id=action.id,
                    author_id=owner.id,
                    text=f"Note {minute}",
                    percent=k * 10,
                    health=spec.health,
                    created_at=at,
                )
            )
        minute += 1
        created.append((spec, action, milestones))
    indicator = db.session.scalars(
        select(Indicator).where(Indicator.agreement_id == agreement.id).order_by(Indicator.id)
    ).first()
    for offset, value in data["measurements"]:
        db.session.add(Measurement(indicator_id=indicator.id, measured_on=day(offset), value=value))
    db.session.flush()
    return created


def expected_figures(created: list, today: date) -> dict[str, dict]:
    """What the report must say, computed plainly from what was inserted."""
    by_ws: dict[str, dict] = {}

    def block(code: str) -> dict:
        return by_ws.setdefault(code, {"status": {}, "health": {}, "m": {}})

    def bump(d: dict, key: str) -> None:
        d[key] = d.get(key, 0) + 1

    for _spec, action, milestones in created:
        code = action.workstream.code
        overlaps = (action.start_on is None or action.start_on <= PERIOD_END) and (
            action.due_on is None or action.due_on >= PERIOD_START
        )
        for target in (block(code), block("*")):
            if overlaps:
                bump(target["status"], action.status.value)
                if action.status in (ActionStatus.ACTIVE, ActionStatus.ON_HOLD):
                    bump(target["health"], action.health.value)
            if action.status not in (ActionStatus.ACTIVE, ActionStatus.ON_HOLD, ActionStatus.COMPLETED):
                continue
            for m in milestones:
                if m.status == MilestoneStatus.CANCELLED:
                    continue
                done = m.status == MilestoneStatus.DONE
                if done and PERIOD_START <= m.completed_on <= PERIOD_END:
                    bump(target["m"], "met_on_time" if m.completed_on <= m.due_on else "met_late")
                if PERIOD_START <= m.due_on <= PERIOD_END:
                    bump(target["m"], "planned")
                    if done and m.completed_on <= PERIOD_END:
                        bump(target["m"], "done")
                    elif m.due_on < today:
                        bump(target["m"], "missed")
                if not done and PERIOD_END < m.due_on <= NEXT_END:
                    bump(target["m"], "coming")
    return by_ws


def figures_of(block: dict) -> dict:
    return {
        "status": {k: v for k, v in block["actions"]["by_status"].items() if v},
        "health": {k: v for k, v in block["actions"]["by_health"].items() if v},
        "m": {k: v for k, v in block["milestones"].items() if k != "percent_done" and v},
    }


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(data=dataset)
def test_the_figures_are_what_the_database_held(agreement: Agreement, data: dict) -> None:
    owner = db.session.scalar(select(User).limit(1)) or factories.make_user("IDF")
    nested = db.session.begin_nested()
    try:
        created = insert(agreement, owner, data)
        today = day(data["today"])
        period = services.period_of(agreement, "2026-Q3")
        snapshot = build_snapshot(agreement, period, today=today, generated_at=clock.now())
        expected = expected_figures(created, today)
        empty = {"status": {}, "health": {}, "m": {}}
        assert figures_of(snapshot["totals"]) == expected.get("*", empty)
        for ws in snapshot["workstreams"]:
            assert figures_of(ws) == expected.get(ws["code"], empty), ws["code"]
            assert ws["actions"]["total"] == sum(ws["actions"]["by_status"].values())
        _check_indicator(snapshot, data["measurements"])
        _check_highlights(snapshot, created)
        _check_commitments(snapshot, agreement, created)
    finally:
        nested.rollback()


def _check_indicator(snapshot: dict, measurements: list) -> None:
    eco_dev = next(ws for ws in snapshot["workstreams"] if ws["code"] == "ECO-DEV")
    first = eco_dev["indicators"][0]
    up_to_end = [(day(o), v) for o, v in measurements if day(o) <= PERIOD_END]
    if up_to_end:
        latest_on = max(d for d, _ in up_to_end)
        assert first["latest_on"] == latest_on.isoformat()
        assert first["latest"] in [v for d, v in up_to_end if d == latest_on]
    else:
        assert first["latest"] is None


def _check_highlights(snapshot: dict, created: list) -> None:
    bounds = (
        datetime.combine(PERIOD_START, time.min, PARIS).astimezone(UTC),
        datetime.combine(PERIOD_END + timedelta(days=1), time.min, PARIS).astimezone(UTC),
    )
    for ws in snapshot["workstreams"]:
        latest = []
        for _spec, action, _m in created:
            updates = db.session.scalars(select(ProgressUpdate).where(ProgressUpdate.action_id == action.id)).all()
            in_period = [u for u in updates if bounds[0] <= u.created_at < bounds[1]]
            if action.workstream.code == ws["code"] and in_period:
                newest = max(in_period, key=lambda u: u.created_at)
                latest.append((newest.created_at, action.title, newest.text))
        latest.sort(reverse=True)
        assert [(h["action"], h["text"]) for h in ws["highlights"]] == [(t, x) for _at, t, x in latest[:5]]


def _check_commitments(snapshot: dict, agreement: Agreement, created: list) -> None:
    addressed = {
        c.code for _s, action, _m in created if action.status != ActionStatus.CANCELLED for c in action.commitments
    }
    for ws_snapshot, ws in zip(snapshot["workstreams"], agreement.workstreams, strict=True):
        expected = [c.code for c in ws.commitments if c.code not in addressed]
        assert [c["code"] for c in ws_snapshot["unaddressed_commitments"]] == expected


def test_later_edits_never_change_a_generated_report(agreement: Agreement, frozen_clock) -> None:
    owner = factories.make_user("IDF")
    ws = factories.workstream(agreement, "ECO-DEV")
    action = factories.make_action(ws, owner, start_on=date(2026, 7, 1), due_on=date(2026, 9, 1))
    milestone = factories.make_milestone(action, date(2026, 8, 1))
    report = services.generate_report(agreement, "2026-Q3")
    db.session.commit()
    frozen = copy.deepcopy(report.snapshot)
    assert report.snapshot["totals"]["milestones"]["missed"] == 1

    action.status = ActionStatus.COMPLETED
    action.title = "Renamed"
    milestone.status, milestone.completed_on = MilestoneStatus.DONE, date(2026, 8, 2)
    db.session.commit()
    db.session.expire_all()

    again = db.session.get(type(report), report.id)
    assert again.snapshot == frozen
    newer = services.generate_report(agreement, "2026-Q3", regenerate=True)
    assert newer.version == 2
    assert newer.snapshot["totals"]["milestones"]["met_late"] == 1
    # A new version is never compared with the draft it replaces, which nobody read.
    assert newer.snapshot["changes"]["previous"] is None
