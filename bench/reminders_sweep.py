#!/usr/bin/env python3
"""Time the reminder sweep of one date and measure the process's peak memory (figures printed, not asserted).

    python bench/generate.py --scale 667 --database-url postgresql+psycopg://postgres@127.0.0.1/tracker_bench
    python bench/reminders_sweep.py --database-url postgresql+psycopg://postgres@127.0.0.1/tracker_bench

Scale 667 holds about 1,000,000 milestones and 26,680 people. The digests it queues are deleted afterwards
unless --keep is given, so the benchmark can run again on the same data.
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
        started = time.perf_counter()
        report = sweep(on)
        elapsed = time.perf_counter() - started
        peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        again = time.perf_counter()
        second = sweep(on)
        elapsed_again = time.perf_counter() - again
        if not args.keep:
            db.session.execute(delete(OutboxMessage).where(OutboxMessage.dedupe_key.like(pattern)))
            db.session.commit()
    print(f"database: {url}")
    print(f"data: {milestones:,} milestones, {people:,} people")
    print(f"sweep of {on.isoformat()}: {report.queued:,} digests queued in {elapsed:.2f} s")
    print(f"peak memory of the process: {peak_rss:.0f} MB (after start-up: {before_rss:.0f} MB)")
    print(f"second sweep of the same date: {second.queued} queued, {second.already} already, {elapsed_again:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
