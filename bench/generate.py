#!/usr/bin/env python3
"""Fill a database with realistic generated data at a given scale, for the benchmarks.

Scale 1 is the real Île-de-France ↔ Brussels agreement with about 300 actions, 1,500 milestones,
3,000 progress updates and 40 users; scale N adds N-1 copies of the agreement (slugs idf-bxl-2021-gNNN).
Everything generated is marked demo.

    python bench/generate.py --scale 100 --database-url postgresql+psycopg://postgres@127.0.0.1/tracker_bench --reset
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

AGREEMENT_FILE = ROOT / "config" / "agreements" / "idf-bxl-2021.yaml"


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1, help="number of agreements to fill (default 1)")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"), help="default: $DATABASE_URL")
    parser.add_argument("--seed", type=int, default=1, help="random seed (same seed, same data)")
    parser.add_argument("--actions", type=int, default=300, help="actions per agreement")
    parser.add_argument("--milestones-per-action", type=int, default=5)
    parser.add_argument("--updates-per-action", type=int, default=10)
    parser.add_argument("--reset", action="store_true", help="drop every table first (destroys the data!)")
    args = parser.parse_args(argv)
    if args.scale < 1:
        parser.error("--scale must be at least 1")
    if not args.database_url:
        parser.error("give --database-url or set DATABASE_URL")
    return args


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    os.environ["DATABASE_URL"] = args.database_url

    from flask_migrate import downgrade, upgrade
    from sqlalchemy import select

    from tracker import create_app
    from tracker.agreements.loader import apply_agreement, read_agreement_file
    from tracker.agreements.models import Agreement
    from tracker.core import clock
    from tracker.core.db import db
    from tracker.demo.generator import AgreementPopulator, Counts, Sizes, agreement_with_structure, shared_password_hash

    app = create_app()
    sizes = Sizes(
        actions=args.actions,
        milestones_per_action=args.milestones_per_action,
        updates_per_action=args.updates_per_action,
    )
    started = time.perf_counter()
    with app.app_context():
        if args.reset:
            print(f"Resetting {db.engine.url.render_as_string(hide_password=True)}")
            downgrade(revision="base")
        upgrade()
        base = read_agreement_file(AGREEMENT_FILE)
        existing = set(db.session.scalars(select(Agreement.slug)))
        password_hash = shared_password_hash("bench-password")
        total = Counts()
        for k in range(1, args.scale + 1):
            slug = base.slug if k == 1 else f"{base.slug}-g{k:03d}"
            if slug in existing:
                print(f"[{k}/{args.scale}] {slug} exists; skipped")
                continue
            t0 = time.perf_counter()
            data = base if k == 1 else base.model_copy(update={"slug": slug})
            apply_agreement(data)
            db.session.flush()
            agreement = agreement_with_structure(slug)
            populator = AgreementPopulator(
                agreement,
                random.Random(args.seed * 100_003 + k),
                sizes,
                clock.today(agreement.timezone),
                password_hash,
                f"g{k:03d}.example.org",
            )
            people = populator.users()
            populator.co_leads(people)
            populator.actions(people)
            populator.measurements()
            db.session.commit()
            db.session.expunge_all()
            total.add(populator.counts)
            c = populator.counts
            print(
                f"[{k}/{args.scale}] {slug}: {c.users} users, {c.actions} actions, {c.milestones} milestones, "
                f"{c.updates} progress updates ({time.perf_counter() - t0:.1f} s)",
                flush=True,
            )
        db.session.commit()
        refresh_statistics(db.engine)
    elapsed = time.perf_counter() - started
    print(
        f"Made {args.scale} agreements: {total.users} users, {total.actions} actions, {total.milestones} milestones, "
        f"{total.updates} progress updates, {total.measurements} measurements in {elapsed:.1f} s"
    )
    return 0


def refresh_statistics(engine) -> None:
    """Give the planner fresh statistics (the benchmarks would otherwise measure plans made for empty tables)."""
    print("Refreshing planner statistics", flush=True)
    if engine.dialect.name == "postgresql":  # VACUUM cannot run inside a transaction
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
    else:
        with engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
