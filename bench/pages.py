#!/usr/bin/env python3
"""Page benchmark: p50/p95 of the main pages and requests per second on the dashboard beside /healthz.

Serves the app with gunicorn (2 workers by default) on a free loopback port, against a database filled by
bench/generate.py, logs in as a reviewer and prints figures (no assertion: this is a measurement).

    python bench/generate.py --scale 1 --database-url postgresql+psycopg://postgres@127.0.0.1/tracker_bench
    python bench/pages.py --database-url postgresql+psycopg://postgres@127.0.0.1/tracker_bench

Issue 16's figures are taken with the page cache off (PAGE_CACHE_SIZE=0 in the environment, which the server
inherits) at scales 1 and 100 and on one agreement of 30,000 actions (`generate.py --actions 30000`); the goal is
each page's p50 within 5× that of /healthz. Under load, read the in-process CPU line and bench/explain.py's
database time beside the wall times: they move far less with what else the machine runs.

Figures of 2026-11-30 (PostgreSQL 15, page cache off, 100 requests per page, 2 shared cores loaded by other work:
load average 7-9 throughout, so wall times are high and noisy), before → after the workstream tallies (migration
0026): p50 wall ms, and database ms of the page's SELECTs (bench/explain.py, same load).
    30,000 actions  dashboard  559 → 314 (DB 745 → 118), workstream 235 → 209 (DB 118 → 74),
                    action 186 → 91 (DB 53 → 1); healthz 2.3 → 9.0
    300 actions     dashboard 302 → 141, workstream 396 → 142, action 332 → 86; healthz 32 → 8
App CPU per request in process, main's code and this one run in turn on the same 30,000-action database: dashboard
60 → 47-50, workstream 46-47 → 39-44, action 28-29 → 29-30, healthz 2.0-2.1 (the rest is template rendering).
Then (h16perf2, same day, same 30,000-action database, load average 6-7.5; base d3f02f5 and the branch run in
turn): the date-dependent counts capped (1,000 per agreement, 100 per workstream row: « plus de 999 »), the
catalog looked up once per request, one alias of Action for « continued elsewhere », owners by skip scan
(migration 0028), serving actions per commitment bounded. Database ms (bench/explain.py, base → branch, measured
back to back): dashboard 140 → 89 (39 on a calmer minute), workstream 31 → 27 (the serving count reads up to
1,000 pairs per commitment: it stops growing there, not before), action 1.4 → 1.3. load_dashboard CPU 30-37 →
24 ms. App CPU per page, three interleaved rounds: dashboard 75/77/56 → 64/59/44, workstream and action within
noise (57-60 vs 57-60, 25-42 vs 31-39); healthz 2-4. p50 wall at load 7 (noise larger than the change: healthz
itself read 3 then 18 ms): dashboard 361 → 272, workstream 231 → 261, action 120 → 144.
What still grows or costs: rendering (15 µs per translated message even with the catalog kept, per-row macros
and url_for, the timeline chart), the serving count up to its cap, and the workstream page's 15-statement floor.
Then (h16ws, same day, page cache off, machine loaded by other work: load average 7-14, base 3e41ea4 and the
branch run in turn): the workstream page in 10 statements instead of 15 (its workstream, agreement, commitments
and co-leads in one; the agreement's original end, the serving counts and, unfiltered or filtered by status and
health only, the list's size from the tallies in one row; statements built once per shape), its rows without a
url_for, label lookup or nested macro call each (same HTML). In-process app CPU per request, two interleaved
rounds: 30,000 actions 83/62 → 50/45 ms, 300 actions 82/68 → 40/37 ms (bench/pages.py's CPU line at load 13:
79 → 40 and 84 → 60). p50 wall at load 12-14 (healthz 31-37 ms): 30,000 actions 666 → 449, 300 actions 618 →
319. Database ms (bench/explain.py, 30,000 actions, back to back): 14 → 9 SELECTs, 19-44 → 32-62 ms, noise of
the load: the serving count (up to 1,000 pairs per commitment, unchanged) is nearly all of it in both.
Then (h16dash, 2026-11-30, dashboard only; load average 10-14 throughout from other work, so every wall figure is
inflated and noisy; base 3e41ea4 and the branch run in turn, branch on copies of the bench databases at 0031):
indexes holding the action id (late counts, overdue and coming milestones, commitments served), « continued
elsewhere » read once per statement as a list of ids instead of probed per row, the milestone counts and lists
looking each milestone's action up as they go (they stop at their cap), the date-dependent counts in one
statement, statements built once with bound parameters, tallies read as rows. Statements 16 → 13. Database ms
(bench/explain.py, two rounds): 30,000 actions 353/309 → 141/147 (carried-over count 93 → 0.1, late count
11 → 0.6, commitments no action serves 11 → 0.5; what is left is the overdue milestones per workstream, a hash
of each workstream's open and completed actions, and the two 1,000-row milestone counts), 300 actions 15/6 →
23/3 (noise). load_dashboard CPU 35-42 → 18-22 ms; body rendering 19-25 → 17-22 ms. App CPU per page (this
script's in-process line, two rounds): 30,000 actions 64/71 → 41/57, 300 actions 76/53 → 55/60. p50 wall
(ms, same load): 30,000 actions dashboard 770/680 → 550/424, healthz 30/30 → 62/60; 300 actions 482/704 →
366/572, healthz 40/34 → 76/45; dashboard/healthz throughput 0.06/0.06 → 0.09/0.04 at 30,000 actions,
0.06/0.07 → 0.10/0.10 at 300.
Then (h16shared, 2026-11-30, base 3e41ea4 and the branch run in turn, load average 8-13 on 2 cores: wall times
are mostly the load's): the language of a request read once per request and language instead of through Flask-
Babel's proxies (each `g`/locale proxy read cost 5-7 µs here: a workstream page asked for the locale ~700 times),
`_` bound to gettext itself, figures and percentages memoised per language; the end notice in one statement built
once, the action page's progress log and history carrying their counts (window count), its history pane reusing
the visibility get_action found. Statements per page, 30,000 actions (ended agreement): dashboard 16 → 15,
workstream 15 → 14, action 15 → 11 (in force: 12 → 9), healthz 2. App CPU ms per request in process, interleaved:
    30,000 actions  dashboard 88/84/61 → 63/59/49, workstream 83/82/60 → 70/74/49, action 38/43/39 → 38/38/31
    300 actions     dashboard 86/87 → 69/71, workstream 90/94 → 71/75, action 51/57 → 41/42; healthz 4-6 both
bench/pages.py p50 wall ms, one round each (load 10-13): 300 actions dashboard 799 → 499, workstream 769 → 672,
action 496 → 417, healthz 34 → 56; 30,000 actions dashboard 554 → 675, workstream 395 → 484, action 264 → 175,
healthz 35 → 17 (its own CPU line: dashboard 81 → 62, workstream 78 → 69, action 47 → 40).
What remains on the action page: its five selectin loads (leads, commitments, milestones, approvals, files) and
Jinja's call overhead per helper; url_for costs ~40 µs a call here (rows sharing an endpoint could build one
pattern per page).
"""

from __future__ import annotations

import argparse
import http.client
import http.cookiejar
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
EMAIL, PASSWORD = "bench.reviewer@example.org", "bench-password-123"


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"), help="default: $DATABASE_URL")
    parser.add_argument("--slug", default="idf-bxl-2021")
    parser.add_argument("--workstream", default="ECO-DEV")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--requests", type=int, default=200, help="sequential requests per page for p50/p95")
    parser.add_argument("--concurrency", type=int, default=4, help="parallel clients for the throughput test")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each throughput run")
    args = parser.parse_args(argv)
    if not args.database_url:
        parser.error("give --database-url or set DATABASE_URL")
    return args


def prepare(database_url: str, slug: str, code: str) -> int:
    """Create the benchmark reviewer if needed; return an action id of the workstream."""
    os.environ["DATABASE_URL"] = database_url
    from sqlalchemy import select

    from tracker import create_app
    from tracker.accounts import services
    from tracker.actions.models import Action
    from tracker.agreements.models import Agreement, Workstream
    from tracker.core.db import db

    app = create_app()
    with app.app_context():
        if services.find_by_email(EMAIL) is None:
            services.create_user(email=EMAIL, name="Bench Reviewer", party_code="BXL", role="reviewer",
                                 password=PASSWORD, language="fr")  # fmt: skip
            db.session.commit()
        action_id = db.session.scalar(
            select(Action.id)
            .join(Workstream)
            .join(Agreement)
            .where(Agreement.slug == slug, Workstream.code == code)
            .order_by(Action.id)
            .limit(1)
        )
        db.engine.dispose()
    if action_id is None:
        sys.exit(f"error: no action in {slug}/{code}: run bench/generate.py first")
    return action_id


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(database_url: str, workers: int, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DATABASE_URL": database_url, "RATELIMIT_ENABLED": "false", "LOG_LEVEL": "ERROR"}
    command = [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}", "--log-level",
               "warning", "wsgi:app"]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    sys.exit("error: gunicorn did not start within 30 s")


def log_in(base: str) -> str:
    """Log in through the form and return the session cookie header."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/login").read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"email": EMAIL, "password": PASSWORD, "csrf_token": token}).encode()
    opener.open(base + "/login", data=body)
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def fetch(port: int, path: str, cookie: str) -> float:
    """GET path; return the seconds it took (fails loudly on anything but 200)."""
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers={"Cookie": cookie})
    response = conn.getresponse()
    response.read()
    conn.close()
    if response.status != 200:
        raise RuntimeError(f"GET {path} answered {response.status}")
    return time.perf_counter() - started


def latencies(port: int, path: str, cookie: str, count: int) -> tuple[float, float]:
    for _ in range(5):  # warm-up: caches, connections
        fetch(port, path, cookie)
    times = sorted(fetch(port, path, cookie) for _ in range(count))
    return statistics.median(times) * 1000, times[int(0.95 * (len(times) - 1))] * 1000


def throughput(port: int, path: str, cookie: str, clients: int, seconds: float) -> float:
    """Requests per second with `clients` parallel clients for `seconds` (bounded)."""
    done = [0] * clients
    stop = time.perf_counter() + seconds

    def run(k: int) -> None:
        while time.perf_counter() < stop:
            fetch(port, path, cookie)
            done[k] += 1

    threads = [threading.Thread(target=run, args=(k,)) for k in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(done) / (time.perf_counter() - started)


def cpu_per_request(database_url: str, paths: dict[str, str], count: int = 50) -> dict[str, float]:
    """Return the median CPU time (ms) the app spends per request, in this process: unlike wall times it does
    not grow when other programs load the machine (the database's own CPU is not counted)."""
    os.environ["DATABASE_URL"] = database_url
    from tracker import create_app

    app = create_app()
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    client.post("/login", data={"email": EMAIL, "password": PASSWORD, "csrf_token": token})
    result = {}
    for name, path in paths.items():
        for _ in range(5):
            client.get(path)
        times = []
        for _ in range(count):
            started = time.process_time()
            client.get(path)
            times.append((time.process_time() - started) * 1000)
        result[name] = statistics.median(times)
    return result


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    action_id = prepare(args.database_url, args.slug, args.workstream)
    port = free_port()
    server = start_server(args.database_url, args.workers, port)
    try:
        cookie = log_in(f"http://127.0.0.1:{port}")
        pages = {
            "dashboard": f"/agreements/{args.slug}/dashboard",
            "workstream": f"/agreements/{args.slug}/workstreams/{args.workstream}",
            "action": f"/actions/{action_id}",
            "healthz": "/healthz",
        }
        print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
        cache = os.environ.get("PAGE_CACHE_SIZE", "the default")
        print(f"gunicorn {args.workers} workers, {args.requests} sequential requests per page, page cache {cache}")
        print(f"{'page':<12}{'p50 ms':>10}{'p95 ms':>10}")
        for name, path in pages.items():
            p50, p95 = latencies(port, path, cookie, args.requests)
            print(f"{name:<12}{p50:>10.1f}{p95:>10.1f}", flush=True)
        print(f"throughput, {args.concurrency} clients for {args.seconds:.0f} s each")
        dash = throughput(port, pages["dashboard"], cookie, args.concurrency, args.seconds)
        health = throughput(port, pages["healthz"], cookie, args.concurrency, args.seconds)
        print(f"{'dashboard':<12}{dash:>10.1f} req/s")
        print(f"{'healthz':<12}{health:>10.1f} req/s")
        print(f"dashboard / healthz = {dash / health:.2f} (target >= 0.25)")
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        server.terminate()
        server.wait(timeout=10)
    cpu = cpu_per_request(args.database_url, pages)
    print("app CPU per request, in process (median ms): " + ", ".join(f"{k} {v:.1f}" for k, v in cpu.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
