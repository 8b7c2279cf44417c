#!/usr/bin/env python3
"""Plans of the SQL behind the dashboard, workstream and action pages on PostgreSQL (figures printed, not asserted).

Requests each page once with the page cache off, as the benchmark's reviewer (bench/pages.py creates it), records
every statement it runs, then runs each again under EXPLAIN (ANALYZE, BUFFERS) and prints its time and plan, the
slowest first. A sequential scan of a big table in a plan is what makes a page's cost grow with the data.

    python bench/generate.py --scale 100 --database-url postgresql+psycopg://postgres@127.0.0.1/tracker_bench
    python bench/explain.py --database-url postgresql+psycopg://postgres@127.0.0.1/tracker_bench [--page dashboard]
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.pages import EMAIL, PASSWORD, prepare


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"), help="default: $DATABASE_URL")
    parser.add_argument("--slug", default="idf-bxl-2021")
    parser.add_argument("--workstream", default="ECO-DEV")
    parser.add_argument("--page", choices=["dashboard", "workstream", "action"], action="append",
                        help="pages to explain (default: all three)")  # fmt: skip
    parser.add_argument("--top", type=int, default=6, help="plans printed per page, slowest first (default 6)")
    args = parser.parse_args(argv)
    if not args.database_url or not args.database_url.startswith("postgresql"):
        parser.error("give a PostgreSQL --database-url (or set DATABASE_URL)")
    return args


def recorded_statements(app, path: str) -> list[tuple[str, object]]:
    """GET path as the benchmark's reviewer; return the (SQL, parameters) it ran (fails loudly on anything but 200)."""
    from sqlalchemy import event

    from tracker.core.db import db

    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    client.post("/login", data={"email": EMAIL, "password": PASSWORD, "csrf_token": token})
    client.get(path)  # once to warm up: the statements below are those of a page seen before (cache off)
    seen: list[tuple[str, object]] = []

    def record(_conn, _cursor, statement, parameters, _context, _many) -> None:
        seen.append((statement, parameters))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        response = client.get(path)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    if response.status_code != 200:
        raise RuntimeError(f"GET {path} answered {response.status_code}")
    return seen


def explain(app, statement: str, parameters: object) -> tuple[float, str]:
    """Return the execution time (ms) and the text of the plan of one statement, run under EXPLAIN ANALYZE."""
    from tracker.core.db import db

    with app.app_context(), db.engine.connect() as connection:
        rows = connection.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters).all()
        connection.rollback()
    plan = "\n".join(row[0] for row in rows)
    found = re.search(r"Execution Time: ([\d.]+) ms", plan)
    return float(found.group(1)) if found else 0.0, plan


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    action_id = prepare(args.database_url, args.slug, args.workstream)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ["PAGE_CACHE_SIZE"] = "0"
    from tracker import create_app

    app = create_app({"PAGE_CACHE_SIZE": 0, "RATELIMIT_ENABLED": False})
    paths = {
        "dashboard": f"/agreements/{args.slug}/dashboard",
        "workstream": f"/agreements/{args.slug}/workstreams/{args.workstream}",
        "action": f"/actions/{action_id}",
    }
    for name in args.page or list(paths):
        statements = [s for s in recorded_statements(app, paths[name]) if s[0].lstrip().upper().startswith("SELECT")]
        timed = sorted(((*explain(app, sql, params), sql) for sql, params in statements), reverse=True)
        total = sum(t[0] for t in timed)
        scans = sum(plan.count("Seq Scan") for _t, plan, _sql in timed)
        print(f"=== {name} {paths[name]}: {len(timed)} SELECT statements, {total:.1f} ms in the database, "
              f"{scans} sequential scans")  # fmt: skip
        for ms, plan, sql in timed[: args.top]:
            print(f"--- {ms:.2f} ms: {' '.join(sql.split())[:300]}")
            print(plan)
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
