"""The scheduler in-process: one leader, each slot once, catch-up without a flood, a heartbeat /healthz shows."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select

from tests.factories import load_agreement, make_action, make_milestone, make_user, workstream
from tracker.core import clock
from tracker.core.db import db
from tracker.mail.models import OutboxMessage
from tracker.scheduling.jobs import JobContext, register_jobs
from tracker.scheduling.models import SchedulerRun
from workflows import lease, ledger
from workflows.jobs import jobs_of
from workflows.scheduler import Scheduler

MONDAY = date(2026, 11, 30)


def people_with_something_due(count: int, due_on: date) -> list:
    agreement = load_agreement()
    ws = workstream(agreement, "ECO-DEV")
    people = [make_user("IDF") for _ in range(count)]
    for person in people:
        make_milestone(make_action(ws, person), due_on)
    return people


def digests() -> list[tuple[str, str]]:
    return [(r, c["on"]) for r, c in db.session.execute(select(OutboxMessage.recipient, OutboxMessage.context))]


def test_one_leader_at_a_time_and_a_stopped_leader_is_replaced(committed_app: Flask) -> None:
    with clock.frozen(datetime(2026, 11, 30, 6, 0, tzinfo=UTC)):
        assert lease.acquire("a", 60)
        assert not lease.acquire("b", 60)
        clock.advance(timedelta(seconds=30))
        assert lease.acquire("a", 60)  # renewed
        clock.advance(timedelta(seconds=61))
        assert lease.current_holder() is None
        assert lease.acquire("b", 60)  # a stopped renewing: b leads
        assert not lease.acquire("a", 60)
        lease.release("b")
        assert lease.acquire("a", 60)


def test_each_slot_runs_once_and_a_dead_holders_slot_is_taken_over(committed_app: Flask) -> None:
    slot = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)
    with clock.frozen(slot):
        assert lease.acquire("a", 60)
        assert ledger.claim("reminder_sweep", slot, "a")
        assert not ledger.claim("reminder_sweep", slot, "b")  # a, the leader, is running it
        clock.advance(timedelta(minutes=5))  # a died without finishing; b leads now
        assert lease.acquire("b", 60)
        assert ledger.claim("reminder_sweep", slot, "b")
        ledger.finish("reminder_sweep", slot, {"queued": 3})
        assert not ledger.claim("reminder_sweep", slot, "b")
        run = db.session.scalars(select(SchedulerRun)).one()
        assert (run.status, run.holder, run.attempts, run.summary) == ("done", "b", 2, {"queued": 3})


def test_two_schedulers_on_one_database_run_each_job_once(committed_app: Flask) -> None:
    people = people_with_something_due(3, MONDAY)
    first, second = Scheduler(committed_app), Scheduler(committed_app)
    second.name += "-other"
    with clock.frozen(datetime(2026, 11, 30, 6, 10, tzinfo=UTC)):  # 07:10 in Paris
        assert first.beat() and not second.beat()
        second.leading = True  # even a process wrongly believing it leads must not run a slot twice
        for process in (first, second, first):
            process.catch_up()
    assert sorted(digests()) == sorted((p.email, "2026-11-30") for p in people)
    runs = db.session.execute(select(SchedulerRun.job, SchedulerRun.status, SchedulerRun.holder)).all()
    assert sorted(runs) == [
        (job, "done", first.name)
        for job in (
            "agreement_archive",
            "agreement_end",
            "housekeeping",
            "outbox_delivery",
            "reminder_sweep",
            "report_files",
            "report_generation",
        )
    ]


def test_a_scheduler_that_was_down_catches_up_once_without_a_flood(committed_app: Flask) -> None:
    people = people_with_something_due(2, MONDAY + timedelta(days=3))  # due-in-3 on Monday, -2 Tuesday...
    for person in people:
        make_milestone(make_action(workstream(load_agreement(), "ECO-DEV"), person), MONDAY + timedelta(days=4))
    process = Scheduler(committed_app)
    # It ran the sweep on Monday at 06:00 (Paris), then was down until Tuesday 09:20.
    with clock.frozen(datetime(2026, 11, 30, 5, 0, tzinfo=UTC)):
        process.beat()
        ledger.claim("reminder_sweep", datetime(2026, 11, 30, 5, 0, tzinfo=UTC), process.name)
        ledger.finish("reminder_sweep", datetime(2026, 11, 30, 5, 0, tzinfo=UTC), {})
    with clock.frozen(datetime(2026, 12, 1, 8, 20, tzinfo=UTC)):
        process.beat()
        process.catch_up()
        process.catch_up()
    # Monday's 07:00 digests (missed) and Tuesday's: once each; one sweep run and one delivery run, not one per
    # missed hour or minute.
    assert sorted(digests()) == sorted((p.email, d) for p in people for d in ("2026-11-30", "2026-12-01"))
    counts = dict(db.session.execute(select(SchedulerRun.job, func.count()).group_by(SchedulerRun.job)).all())
    assert counts == {
        "reminder_sweep": 2,
        "outbox_delivery": 1,
        "housekeeping": 1,
        "report_generation": 1,
        "report_files": 1,
        "agreement_end": 1,
        "agreement_archive": 1,
    }


def test_healthz_shows_the_leaders_heartbeat(committed_app: Flask) -> None:
    process = Scheduler(committed_app, jobs=jobs_of(committed_app))
    process.beat()
    body = committed_app.test_client().get("/healthz").get_json()
    assert body["database"] == "ok"
    assert body["scheduler"]["status"] == "ok" and body["scheduler"]["leader"] == process.name


def test_housekeeping_forgets_old_ledger_rows_and_dead_processes(committed_app: Flask) -> None:
    from tracker.scheduling.models import SchedulerHeartbeat

    process = Scheduler(committed_app)
    with clock.frozen(datetime(2026, 10, 1, 12, 0, tzinfo=UTC)):
        process.beat()  # a process that stopped long ago
        ledger.claim("outbox_delivery", datetime(2026, 10, 1, 12, 0, tzinfo=UTC), process.name)
    process.name += "-new"
    with clock.frozen(datetime(2026, 11, 30, 2, 20, tzinfo=UTC)):
        process.beat()
        process.catch_up()
    assert db.session.scalars(select(SchedulerHeartbeat.name)).all() == [process.name]
    slots = db.session.scalars(select(SchedulerRun.slot)).all()
    assert all(slot > datetime(2026, 11, 1, tzinfo=UTC) for slot in slots)
    assert ("housekeeping", "done") in db.session.execute(select(SchedulerRun.job, SchedulerRun.status)).all()


def test_a_job_that_raises_is_recorded_failed_and_the_other_jobs_run(committed_app: Flask) -> None:
    """A poisoned job (here one that always raises) stops nothing else: its failure is in the ledger, retried."""
    people = people_with_something_due(2, MONDAY)

    def broken(ctx: JobContext) -> dict:
        raise RuntimeError("the disk is full")

    jobs = [replace(spec, run=broken) if spec.name == "housekeeping" else spec for spec in jobs_of(committed_app)]
    process = Scheduler(committed_app, jobs=jobs)
    with clock.frozen(datetime(2026, 11, 30, 6, 10, tzinfo=UTC)):
        assert process.beat()
        process.catch_up()
    assert sorted(digests()) == sorted((p.email, "2026-11-30") for p in people)
    runs = {job: (status, error) for job, status, error in db.session.execute(
        select(SchedulerRun.job, SchedulerRun.status, SchedulerRun.error)
    )}  # fmt: skip
    assert runs.pop("housekeeping") == ("failed", "RuntimeError: the disk is full")
    assert set(runs.values()) == {("done", None)} and len(runs) == len(jobs) - 1
    db.session.commit()  # the test's own reads end (on SQLite, commands' transactions are writers)
    with clock.frozen(datetime(2026, 11, 30, 6, 11, tzinfo=UTC)):  # a failed slot is taken again at the next tick
        process.beat()
        process.catch_up()
    attempts = db.session.scalar(select(SchedulerRun.attempts).where(SchedulerRun.job == "housekeeping"))
    assert attempts == 2


def test_a_job_name_registered_twice_is_refused(app: Flask) -> None:
    """Each domain registers its jobs from its init_app; a second job of the same name would share its ledger."""
    sweep = next(spec for spec in jobs_of(app) if spec.name == "reminder_sweep")
    with pytest.raises(ValueError, match="reminder_sweep"):
        register_jobs(app, [replace(sweep, run=lambda ctx: {})])
    assert [spec.name for spec in jobs_of(app)].count("reminder_sweep") == 1
