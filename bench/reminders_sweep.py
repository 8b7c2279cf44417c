#!/usr/bin/env python3
"""Time the reminder sweep of one date and measure the process's peak memory (figures printed, not asserted).

    python bench/generate.py --scale 667 --database-url postgresql+psycopg://postgres@127.0.0.1/tracker_bench
    python bench/reminders_sweep.py --database-url postgresql+psycopg://postgres@127.0.0.1/tracker_bench

Scale 667 holds about 1,000,000 milestones and 26,680 people. The digests it queues are deleted afterwards
unless --keep is given, so the benchmark can run again on the same data.

Data generated after 2026-09-22 holds agreements already ended (the agreement file's end date): their sweep
queues nothing but close-out reminders (0 digests on 2026-11-30). To measure the reminders of agreements in force,
put them back in force and sweep a date of their term, with fresh planner statistics:

    psql tracker_bench -c "UPDATE agreements SET status = 'in_force' WHERE status = 'ended'" -c "VACUUM ANALYZE"
    python bench/reminders_sweep.py --database-url ... --date 2026-09-21

Without fresh statistics (rows added or statuses changed since the last ANALYZE) PostgreSQL plans the stale-
actions rule as if no agreement were in force and that one query ran for more than 4 minutes.

2026-11-30, main at 3e41ea4, scale 347 of 667 (520,500 milestones, 13,880 people; the generation at the issue's
scale did not finish in the time shared with other jobs), PostgreSQL on the same 2 cores:
  - 2026-09-21, agreements in force: 10,335 digests queued in 9.23 s wall, 3.13 s CPU of this process, peak
    memory 132 MB (94 MB after start-up), load average 4.94 before; a second sweep of that date 3.71 s;
  - 2026-11-30, agreements ended: 0 digests in 2.35 s wall, 1.03 s CPU, 122 MB, load average 4.74.
  Of the first sweep's SQL time (3.4 s in 38 statements at scale 253) the owners' and co-leads' milestone rules
  take about 0.5 s each, the stale-actions rule 0.3 s, and the outbox INSERTs 0.15-0.2 s per chunk of 500.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"), help="default: $DATABASE_URL")
    parser.add_argument("--date", default="2026-11-30", help="local date to sweep (default: a Monday)")
    parser.add_argument("--keep", action="store_true", help="keep the queued digests")
    args = parser.parse_args(argv)
    if not args.database_url:
        parser.error("give --database-url or set DATABASE_URL")
    os.environ["DATABASE_URL"] = args.database_url

    from sqlalchemy import delete, func, select

    from tracker import create_app
    from tracker.accounts.models import User
    from tracker.actions.models import Milestone
    from tracker.core.db import db
    from tracker.mail.models import OutboxMessage
    from tracker.reminders.sweep import sweep

    app = create_app()
    on = date.fromisoformat(args.date)
    with app.app_context():
        url = db.engine.url.render_as_string(hide_password=True)
        milestones = db.session.scalar(select(func.count()).select_from(Milestone))
        people = db.session.scalar(select(func.count()).select_from(User))
        pattern = f"digest:%:{on.isoformat()}"
        db.session.execute(delete(OutboxMessage).where(OutboxMessage.dedupe_key.like(pattern)))
        db.session.commit()
        before_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        load = os.getloadavg()
        started, cpu = time.perf_counter(), time.process_time()
        report = sweep(on)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        again = time.perf_counter()
        second = sweep(on)
        elapsed_again = time.perf_counter() - again
        if not args.keep:
            db.session.execute(delete(OutboxMessage).where(OutboxMessage.dedupe_key.like(pattern)))
            db.session.commit()
    print(f"database: {url}")
    print(f"data: {milestones:,} milestones, {people:,} people")
    print(
        f"sweep of {on.isoformat()}: {report.queued:,} digests queued in {elapsed:.2f} s (CPU of this process {cpu:.2f} s)"
    )
    print(f"load average before the sweep: {' '.join(f'{x:.2f}' for x in load)} on {os.cpu_count()} cores")
    print(f"peak memory of the process: {peak_rss:.0f} MB (after start-up: {before_rss:.0f} MB)")
    print(f"second sweep of the same date: {second.queued} queued, {second.already} already, {elapsed_again:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
