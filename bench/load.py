#!/usr/bin/env python3
"""Load test of the embedded default: gunicorn (2 workers) and the scheduler on one database, many clients.

    python bench/load.py                                   # SQLite in a temporary folder
    python bench/load.py --database-url postgresql+psycopg://postgres@127.0.0.1/tracker_load   # an empty database

Prepares the database as scripts/run does (migrations, the Île-de-France ↔ Brussels agreement, demo data, a
draft report), starts gunicorn and the scheduler (its jobs every few seconds), then runs 16 clients for 60 s,
each mixing API reads (lists, one action, a report's PDF), API writes (progress updates) and page reads.
Local and bounded: loopback only, a fixed duration, everything it started is stopped at the end.

Prints the requests made, the answers by status, p50/p95 per kind, and checks that every write the server
acknowledged (201) is stored. Exits 1 on any server error (5xx) or lost write.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
SLUG = "idf-bxl-2021"
WRITER = "admin@idf.example.org"  # a demo admin: may log progress on every action
READER = "an.janssens@bxl.example.org"  # a demo reviewer
PASSWORD = "demo-password"
# Kind of request -> weight in the mix.
MIX = {"api_list": 35, "api_action": 20, "api_write": 20, "page": 20, "api_report_pdf": 5}


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="an empty database (default: a new SQLite file)")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    return parser.parse_args(argv)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else 0.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def flask(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        sys.exit(f"error: flask {' '.join(args)}: {done.stderr.strip().splitlines()[-1:]}")
    return done.stdout


def prepare(env: dict[str, str]) -> dict[str, str]:
    """Migrate and fill the database; return API tokens of a writer and a reader."""
    flask(env, "db", "upgrade")
    flask(env, "agreements", "load", "config/agreements/idf-bxl-2021.yaml")
    flask(env, "demo", "load")
    flask(env, "reports", "generate", "--agreement", SLUG, "--period", "2026-Q3")
    tokens = {}
    for name, email in (("writer", WRITER), ("reader", READER)):
        found = re.findall(r"\S{30,}", flask(env, "users", "token", "--email", email))
        if not found:
            sys.exit(f"error: no token printed for {email}")
        tokens[name] = found[-1]
    return tokens


def start(env: dict[str, str], port: int, workers: int, log: Path) -> list[subprocess.Popen[bytes]]:
    out = log.open("ab")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}", "--log-level", "warning",
         "--timeout", "30", "wsgi:app"],
        cwd=ROOT, env=env, stdout=out, stderr=out, start_new_session=True,
    )  # fmt: skip
    scheduler = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "scheduler", "run"],
        cwd=ROOT, env=env, stdout=out, stderr=out, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return [server, scheduler]
        except httpx.HTTPError:
            time.sleep(0.3)
    stop([server, scheduler])
    sys.exit("error: gunicorn did not answer /healthz within 60 s")


def stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def log_in(client: httpx.Client) -> None:
    page = client.get("/login").text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    if token is None:
        sys.exit("error: no login form")
    client.post("/login", data={"email": READER, "password": PASSWORD, "csrf_token": token.group(1)})


class Load:
    """What the clients did: (kind, status, seconds) per request, and the ids of acknowledged writes."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.results: list[tuple[str, int, float]] = []
        self.acknowledged: list[int] = []

    def record(self, kind: str, status: int, seconds: float, written: int | None = None) -> None:
        with self.lock:
            self.results.append((kind, status, seconds))
            if written is not None:
                self.acknowledged.append(written)


def client_loop(base: str, tokens: dict[str, str], ids: dict[str, list[int]], load: Load, until: float) -> None:
    rng = random.Random()
    kinds, weights = list(MIX), list(MIX.values())
    api = httpx.Client(base_url=base, timeout=60)
    page = httpx.Client(base_url=base, timeout=60, follow_redirects=True)
    log_in(page)
    reader = {"Authorization": f"Bearer {tokens['reader']}"}
    writer = {"Authorization": f"Bearer {tokens['writer']}"}
    while time.monotonic() < until:
        kind = rng.choices(kinds, weights)[0]
        started, written = time.perf_counter(), None
        try:
            if kind == "api_list":
                response = api.get(f"/api/v1/actions?agreement={SLUG}&per_page=50", headers=reader)
            elif kind == "api_action":
                response = api.get(f"/api/v1/actions/{rng.choice(ids['all'])}", headers=reader)
            elif kind == "api_write":
                body = {"text": f"Point de charge {rng.random():.6f}", "percent": rng.randint(0, 100),
                        "health": "on_track"}  # fmt: skip
                response = api.post(f"/api/v1/actions/{rng.choice(ids['own'])}/updates", json=body, headers=writer)
                if response.status_code == 201:
                    written = int(response.json()["id"])
            elif kind == "api_report_pdf":
                response = api.get(f"/api/v1/reports/{ids['report'][0]}/pdf", headers=reader)
            else:
                response = page.get(rng.choice(["/", f"/agreements/{SLUG}", f"/actions/{rng.choice(ids['all'])}"]))
            status = response.status_code
        except httpx.HTTPError:
            status = 0  # no answer at all (connection refused or reset, timeout)
        load.record(kind, status, time.perf_counter() - started, written)


def discover(base: str, tokens: dict[str, str]) -> dict[str, list[int]]:
    """Return the ids of every action of the agreement, of those open to progress, and of the draft report."""
    writer = {"Authorization": f"Bearer {tokens['writer']}"}
    items = httpx.get(f"{base}/api/v1/actions?agreement={SLUG}&per_page=100", headers=writer).json()["items"]
    reports = httpx.get(f"{base}/api/v1/reports?agreement={SLUG}", headers=writer).json()["items"]
    own = [a["id"] for a in items if a["status"] in ("active", "on_hold")]
    if not own or not reports:
        sys.exit(f"error: the demo data has no active action ({len(items)} actions) or no report ({reports})")
    return {"all": [a["id"] for a in items], "own": own, "report": [reports[0]["id"]]}


def stored_updates(env: dict[str, str], wanted: list[int]) -> set[int]:
    """Return which of the acknowledged progress updates are in the database (read by a fresh process)."""
    code = (
        "import sys; from sqlalchemy import select; from tracker import create_app; from tracker.core.db import db\n"
        "from tracker.actions.models import ProgressUpdate\n"
        "ids = [int(x) for x in sys.stdin.read().split()]\n"
        "with create_app().app_context():\n"
        "    print(' '.join(str(i) for i in db.session.scalars(select(ProgressUpdate.id).where(ProgressUpdate.id.in_(ids)))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, input=" ".join(map(str, wanted)), capture_output=True,
        text=True, check=True,
    )  # fmt: skip
    return {int(x) for x in done.stdout.split()}


def report(load: Load, seconds: float, missing: set[int], log: Path) -> int:
    by_status = Counter(status for _kind, status, _s in load.results)
    by_kind: dict[str, list[float]] = defaultdict(list)
    for kind, _status, spent in load.results:
        by_kind[kind].append(spent)
    total = len(load.results)
    print(
        f"\n{total} requests in {seconds:.0f} s ({total / seconds:.1f}/s); answers by status: {dict(sorted(by_status.items()))}"
    )
    print(f"{'kind':<16} {'count':>7} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for kind in sorted(by_kind):
        spent = by_kind[kind]
        print(f"{kind:<16} {len(spent):>7} {1000 * percentile(spent, 0.5):>8.0f} {1000 * percentile(spent, 0.95):>8.0f} "
              f"{1000 * max(spent):>8.0f}")  # fmt: skip
    everything = [s for _k, _st, s in load.results]
    print(
        f"{'all':<16} {total:>7} {1000 * percentile(everything, 0.5):>8.0f} {1000 * percentile(everything, 0.95):>8.0f}"
    )
    errors = sum(n for status, n in by_status.items() if status >= 500 or status == 0)
    print(f"acknowledged writes: {len(load.acknowledged)}, missing from the database: {len(missing)}")
    print(f"server errors (5xx or no answer): {errors}; server and scheduler log: {log}")
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    return 1 if errors or missing else 0


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="tracker-load-"))
    url = args.database_url or f"sqlite:///{folder / 'tracker.db'}"
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "load-test-" + folder.name,
        "REPORT_DIR": str(folder / "reports"),
        "UPLOAD_DIR": str(folder / "uploads"),
        "BASE_URL": f"http://127.0.0.1:{port}",
        "RATELIMIT_ENABLED": "false",
        "LOG_LEVEL": "WARNING",
        "SCHEDULER_OUTBOX_DELIVERY_SECONDS": "5",
        "SCHEDULER_REPORT_FILES_SECONDS": "5",
        "SCHEDULER_HEARTBEAT_SECONDS": "2",
    }
    print(f"database {url.split('@')[-1]}; {args.clients} clients for {args.seconds:.0f} s; gunicorn {args.workers} "
          f"workers and the scheduler on 127.0.0.1:{port}")  # fmt: skip
    tokens = prepare(env)
    log = folder / "server.log"
    processes = start(env, port, args.workers, log)
    load = Load()
    try:
        base = f"http://127.0.0.1:{port}"
        ids = discover(base, tokens)
        until = time.monotonic() + args.seconds
        threads = [
            threading.Thread(target=client_loop, args=(base, tokens, ids, load, until)) for _ in range(args.clients)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        stop(processes)
    missing = set(load.acknowledged) - stored_updates(env, load.acknowledged)
    status = report(load, args.seconds, missing, log)
    if not args.database_url and status == 0:
        shutil.rmtree(folder, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
