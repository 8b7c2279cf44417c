#!/usr/bin/env python3
"""Measure delivery from the outbox to a local SMTP sink, in messages per second (figures printed).

    python bench/outbox_delivery.py --database-url postgresql+psycopg://postgres@127.0.0.1/tracker_bench --count 2000

Needs people in the database (bench/generate.py). The messages it queues (test messages, one per person and
round) are deleted afterwards.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def start_sink(port: int) -> subprocess.Popen[bytes]:
    """An SMTP server in a process of its own (aiosmtpd's Sink handler accepts and drops every message)."""
    sink = subprocess.Popen(
        [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Sink"]
    )
    for _ in range(100):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return sink
        time.sleep(0.05)
    sink.kill()
    raise SystemExit(f"the SMTP sink did not start on port {port}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"), help="default: $DATABASE_URL")
    parser.add_argument("--count", type=int, default=2000, help="messages to send (default 2000)")
    parser.add_argument("--port", type=int, default=8925, help="loopback port of the SMTP sink")
    args = parser.parse_args(argv)
    if not args.database_url:
        parser.error("give --database-url or set DATABASE_URL")
    os.environ.update(DATABASE_URL=args.database_url, SMTP_HOST="127.0.0.1", SMTP_PORT=str(args.port))
    os.environ["SMTP_SECURITY"] = "none"

    from sqlalchemy import delete, select

    from tracker import create_app
    from tracker.accounts.models import User
    from tracker.core.db import db
    from tracker.mail.delivery import deliver_pending
    from tracker.mail.models import OutboxMessage
    from tracker.mail.outbox import queue_mail

    sink = start_sink(args.port)
    app = create_app()
    try:
        with app.app_context():
            people = db.session.scalars(select(User).where(User.active.is_(True)).limit(args.count)).all()
            if not people:
                parser.error("no people in the database: run bench/generate.py first")
            started = time.perf_counter()
            for n in range(args.count):
                person = people[n % len(people)]
                queue_mail(
                    to=person, template="test_message", context={"requested_by": "bench"}, dedupe_key=f"bench:{n}"
                )
            db.session.commit()
            queued = time.perf_counter() - started
            started = time.perf_counter()
            report = deliver_pending()
            elapsed = time.perf_counter() - started
            db.session.execute(delete(OutboxMessage).where(OutboxMessage.dedupe_key.like("bench:%")))
            db.session.commit()
    finally:
        sink.terminate()
        sink.wait()
    print(f"queued {args.count} messages in {queued:.2f} s ({args.count / queued:.0f}/s, rendered in 3 languages)")
    print(f"delivered {report.sent} in {elapsed:.2f} s: {report.sent / elapsed:.0f} messages/s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
