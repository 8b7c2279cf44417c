#!/usr/bin/env python3
"""Time a report of each agreement: snapshot, HTML, PDF and XLSX together, with the process's peak memory.

Prints one line per agreement and a summary; nothing is kept (each report is rolled back). Fill the database
first with bench/generate.py, e.g.:

    python bench/generate.py --scale 1 --database-url sqlite:////tmp/bench1.db --reset
    python bench/reports.py --database-url sqlite:////tmp/bench1.db
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BUDGET_SECONDS = 5.0
BUDGET_MB = 400
# Wall-clock figures mean little on a busy machine: the CPU time of the process is printed beside them.


def peak_rss_mb() -> float:
    """Return the process's peak resident memory since the last reset (VmHWM), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def pages(pdf: bytes) -> int:
    """Return the number of pages of a PDF (pdfinfo, from poppler-utils), or -1 without it."""
    try:
        info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    except (OSError, subprocess.CalledProcessError):
        return -1
    return int(next((line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")), -1))


def reset_peak() -> None:
    # Writing 5 to clear_refs resets VmHWM to the current RSS (Linux): each agreement gets its own peak.
    Path("/proc/self/clear_refs").write_text("5")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--period", default="final", help="report period (default final)")
    parser.add_argument("--language", default="fr")
    parser.add_argument("--limit", type=int, default=0, help="only the first N agreements (default all)")
    parser.add_argument("--step", type=int, default=1, help="every Nth agreement (default each one)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per agreement (the first loads the libraries)")
    args = parser.parse_args(argv)
    if not args.database_url:
        parser.error("give --database-url or set DATABASE_URL")
    os.environ["DATABASE_URL"] = args.database_url

    from sqlalchemy import select

    from tracker import create_app
    from tracker.agreements.models import Agreement
    from tracker.core.db import db
    from tracker.reports import render, services

    app = create_app()
    with app.app_context():
        slugs = list(db.session.scalars(select(Agreement.slug).order_by(Agreement.id)))
        slugs = slugs[:: max(1, args.step)]
        if args.limit:
            slugs = slugs[: args.limit]
        print(f"{len(slugs)} agreement(s), period {args.period}, language {args.language}")
        print(
            f"{'agreement':24} {'snapshot':>9} {'html':>7} {'pdf':>7} {'xlsx':>7} {'total':>7} {'cpu':>6} {'peak MB':>8} {'pages':>6}"
        )
        totals, cpus, peaks = [], [], []
        runs = [s for s in slugs for _ in range(max(1, args.repeat))]
        for slug in runs:
            reset_peak()
            cpu_started = time.process_time()
            started = time.perf_counter()
            agreement = services.agreement_for_report(slug)
            report = services.generate_report(agreement, args.period, regenerate=True)
            t_snapshot = time.perf_counter()
            html = render.render_html(report, args.language)
            t_html = time.perf_counter()
            pdf = render.render_pdf(report, args.language, html)
            t_pdf = time.perf_counter()
            from tracker.reports.xlsx import render_xlsx

            render_xlsx(report, args.language)
            t_xlsx = time.perf_counter()
            db.session.rollback()
            total = t_xlsx - started
            cpu = time.process_time() - cpu_started
            peak = peak_rss_mb()
            totals.append(total)
            cpus.append(cpu)
            peaks.append(peak)
            print(
                f"{slug:24} {t_snapshot - started:9.2f} {t_html - t_snapshot:7.2f} {t_pdf - t_html:7.2f} "
                f"{t_xlsx - t_pdf:7.2f} {total:7.2f} {cpu:6.2f} {peak:8.0f} {pages(pdf):6d}",
                flush=True,
            )
        print(
            f"total per agreement: median {statistics.median(totals):.2f} s, max {max(totals):.2f} s "
            f"(budget {BUDGET_SECONDS} s); CPU median {statistics.median(cpus):.2f} s, max {max(cpus):.2f} s; "
            f"peak memory max {max(peaks):.0f} MB (budget {BUDGET_MB} MB); load average {os.getloadavg()[0]:.1f}"
        )
        over = [s for s, t, p in zip(runs, totals, peaks, strict=True) if t > BUDGET_SECONDS or p > BUDGET_MB]
        print(f"over budget: {len(over)} of {len(runs)}" + (f" ({', '.join(over[:5])}…)" if over else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
