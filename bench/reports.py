#!/usr/bin/env python3
"""Time a report of each agreement: snapshot, HTML, PDF and XLSX together, with the process's peak memory.

Prints one line per agreement and a summary; nothing is kept (each report is rolled back). Fill the database
first with bench/generate.py, e.g.:

    python bench/generate.py --scale 1 --database-url sqlite:////tmp/bench1.db --reset
    python bench/reports.py --database-url sqlite:////tmp/bench1.db
    python bench/reports.py --database-url sqlite:////tmp/bench1.db --per-language --repeat 3

--per-language prints, for the first agreement and each language, the time to lay out the PDF (HTML and PDF, the
snapshot apart) warm (median and least CPU of --repeat runs in this process after a first one) and in a fresh
process (median and least of --fresh-runs: a new Python that imports the application as the scheduler does, through
wsgi.py, renders once and exits: the figure is its whole life but the snapshot). The fresh processes read the
bytecode of every module from a temporary folder (PYTHONPYCACHEPREFIX), compiled once before them, as a deployed app
does (bench/import_time.py does the same): PYTHONDONTWRITEBYTECODE, set in these worktrees, would have each of them
compile the application's modules from source.
Budgets: under 2 s warm and under 4 s fresh per language.

Figures for the final report of the real agreement's size (scale 1: 300 actions, 32 or 33 pages), as CPU seconds of the
process on the shared two-core machine (wall times there ran up to twice these, load average 2 to 9):

    2026-11-29, outcomes as a five-column table:     warm 4.2 (fr) 5.3 (nl) 4.4 (en)   fresh 6.4 6.9 6.8
    2026-11-30, outcomes as a list, fonts kept:      warm 3.2 (fr) 3.1 (nl) 3.3 (en)   fresh 5.6 5.9 5.5
    2026-11-30, same code, measured again (load 5):  warm 2.9 (fr) 2.9 (nl) 2.9 (en)   fresh 5.5 5.4 5.2
    2026-11-30, fewer boxes, zlib level 6 (load 5):  warm 2.2 (fr) 2.1 (nl) 2.1 (en)   fresh 4.5 4.5 4.4
    2026-11-30, same code again (load 8 to 9):       warm 2.6 (fr) 2.7 (nl) 2.6 (en)   fresh 5.3 5.0 5.4
    2026-11-30, leaders in pairs (load 8 to 9):      warm 2.7 (fr) 2.7 (nl) 2.7 (en)   fresh 5.2 5.2 5.2   ready 4.5 4.4 4.4

The same day on a busier machine (wall times up to four times the CPU times; the same warm render in one process
varied from 2.5 to 4.3 s between runs), CPU seconds, median of 5 warm runs and of the fresh processes (least):

    before (old bench: one fresh process, app compiled from source, load 8 to 12):
                                  warm 4.7 (fr) 5.8 (nl) 5.7 (en)                   fresh 10.8 10.7 10.5      ready 9.7 9.7 9.5
    after, printing() and the fresh processes started as the scheduler starts (load 12 to 13):
                                  warm 4.4 (4.0) 3.2 (3.2) 5.0 (4.3)                fresh 6.2 (6.1) 6.7 (6.4) 7.7 (7.4)   ready 5.9 6.5 7.4

Neither budget is met on this machine. What changed (tracker/reports/render.py, `printing()`): WeasyPrint is
imported once per process with the collector paused, then a full collection and gc.freeze() set aside the app's and
the libraries' objects, and again at exit. Counted with gc.callbacks in a fresh scheduler process: the first PDF
ran 117 collections (0.17 s) and now 2 (0.14 s, of which 0.12 to 0.14 s is the one pass that frees the layout's
160 000 objects, the rest of each PDF's collector cost); 4 800 objects are left for later full passes instead of
54 000; the process's end went from 0.38 to 0.27 s (median of 8 fresh processes alternating old and new code, least
0.31 to 0.23, load 11 to 14). The warm figure does not move (the layout already ran with the collector paused) and
peak memory neither (190 MB). Most of the fresh figure's fall is how it is measured now, as deployed: wsgi.py
pauses the collector while the app is made and sets it aside (0.24 s of collections and half a second at the end
spared) and bytecode is read, not compiled (0.15 to 0.2 s). The same PDF bytes before and after.

Leads looked at and left: fonts are subset by HarfBuzz in 0.013 s (`full_fonts` would only make files bigger);
PDF/A and tags are required (tags 3 % of the time). Shares of a warm PDF under cProfile (Python code is slowed
more than Pango's): layout 42 % (lines 21 %, tables 8 %, page headers and footers 6 %), painting 29 % (text 15 %),
styles 8 %, pydyf writing the file 7 %, parsing the HTML 5 %, tags 3 %, the charts' SVG text 3 %. Below the
budgets needs fewer lines and cells or a quieter machine, not the collector.

The fewer-boxes step of the table above: each workstream's figures as three lines instead of three small tables (0.3 to 0.4 s), milestones
led by their date without bullet or second inline element (0.3 s), an action's facts and outcome in one paragraph
(0.1 s), the PDF's streams compressed at zlib's level 6 rather than pydyf's 9 (0.2 s, files 4 % larger).
Every stream is compressed twice, once for the file and once more for the digest that is its identifier (pydyf
serialises the whole file again for it): 3.2 MB of streams, 0.04 s a pass at level 6 against 0.19 s at level 9.

At a load of 8 to 9 the CPU times themselves grow by a fifth or more and vary by 0.1 to 0.2 s from run to run: a
change smaller than that shows only when both versions alternate in one process (the leaders in pairs: 2.45 s
before, 2.36 s after, median of six runs each, French, load 7). The "fresh" column is the process's whole life;
"ready" is its CPU until the PDF is in hand (both less the snapshot's CPU time; before 2026-11-30 its wall time was
taken off, which flattered the figure by about 0.15 s under load). The difference, 0.6 to 0.8 s, is the
interpreter's end: the collector's passes over every object while the modules are torn down (a scheduler, which
renders and goes on running, never pays it before a file). In these worktrees PYTHONDONTWRITEBYTECODE is set and
the application's modules are compiled from source at each start: with their bytecode written (as deployed),
importing and creating the app takes 0.15 to 0.2 s less.

Where the time goes (warm, the PDF of about 2 s): the outcomes list about 0.85 s (300 actions), the contents page
with its dotted leaders 0.2 s (less since the leader's dots come in pairs: WeasyPrint lays out and draws each copy
of a leader's text as a text of its own), tagging 0.2 s, the highlights 0.15 s, the page headers and footers 0.1 s, the
collector freeing the layout's 170 000 objects afterwards 0.14 s. Each block, table cell, list bullet or inline
element costs about 1 to 1.5 ms whatever its CSS, so the cost follows the number of boxes (but an action's title
put into its paragraph, 300 blocks fewer, gained nothing measurable: the text itself, laid out and then drawn
line by line through Pango, is about a third of the time). A fresh process adds about 1.2 s to import the
application (0.9 to 1.05 s of CPU), 0.4 s to import WeasyPrint (0.3 s of it cffi parsing Pango's declarations) and
0.1 s to compile the templates. Wall times and CPU times both vary by 10 to 20 % with the machine's load.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BUDGET_SECONDS = 5.0
BUDGET_MB = 400
WARM_BUDGET_SECONDS = 2.0
FRESH_BUDGET_SECONDS = 4.0
LANGUAGES = ("fr", "nl", "en")
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
    parser.add_argument("--per-language", action="store_true", help="warm and fresh-process PDF times per language")
    parser.add_argument("--fresh-runs", type=int, default=3, help="fresh processes per language (default 3)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)  # one fresh-process run
    args = parser.parse_args(argv)
    if not args.database_url:
        parser.error("give --database-url or set DATABASE_URL")
    os.environ["DATABASE_URL"] = args.database_url
    if args.child:
        return child_run(args.period, args.language)
    if args.per_language:
        return per_language(args)

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


def _render_once(slug: str, period: str, lang: str) -> dict[str, float]:
    """Generate the report (rolled back later) and lay out its PDF in `lang`; return the seconds of each step."""
    from tracker.reports import render, services

    started, cpu_started = time.perf_counter(), time.process_time()
    report = services.generate_report(services.agreement_for_report(slug), period, regenerate=True)
    t_snapshot = time.perf_counter()
    cpu = time.process_time()
    html = render.render_html(report, lang)
    t_html = time.perf_counter()
    render.render_pdf(report, lang, html)
    t_pdf = time.perf_counter()
    return {
        "snapshot": t_snapshot - started,
        "snapshot_cpu": cpu - cpu_started,
        "html": t_html - t_snapshot,
        "pdf": t_pdf - t_html,
        "render": t_pdf - t_snapshot,
        "render_cpu": time.process_time() - cpu,
    }


def child_run(period: str, lang: str) -> int:
    """One fresh-process run: start as the scheduler does (`wsgi`), render the first agreement's report once, print
    its steps as JSON."""
    import json

    from sqlalchemy import select

    from tracker.agreements.models import Agreement
    from tracker.core.db import db
    from wsgi import app  # what `flask --app wsgi scheduler run` imports: the app, its objects set aside

    with app.app_context():
        slug = db.session.scalars(select(Agreement.slug).order_by(Agreement.id)).first()
        steps = _render_once(slug, period, lang)
        # The process's CPU from its start until the PDF is in hand, the snapshot apart: what a fresh scheduler
        # spends before its first file is written (the process's own end comes after, and only in this bench).
        ran = os.times()
        steps["ready_cpu"] = ran.user + ran.system - steps["snapshot_cpu"]
        db.session.rollback()
    print(json.dumps(steps))
    return 0


def _child_env(folder: str) -> dict[str, str]:
    """Return the environment of a fresh process: bytecode read from (and written to) `folder`, as a deployed app
    reads its compiled modules (PYTHONDONTWRITEBYTECODE, set in these worktrees, would compile the application's
    modules from source in every process, 0.15 to 0.2 s)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = folder
    return env


def _fresh(args: argparse.Namespace, lang: str, env: dict[str, str]) -> tuple[float, float, float]:
    """Return (wall seconds, CPU seconds, CPU seconds until the PDF is ready) of a fresh process rendering the PDF
    in `lang`, the snapshot apart (its CPU time from CPU times, its wall time from wall times)."""
    import json
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    out = subprocess.run(
        [
            sys.executable,
            __file__,
            "--child",
            "--database-url",
            args.database_url,
            "--period",
            args.period,
            "--language",
            lang,
        ],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    ).stdout
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    steps = json.loads(out.strip().splitlines()[-1])
    return wall - steps["snapshot"], cpu - steps["snapshot_cpu"], steps["ready_cpu"]


def per_language(args: argparse.Namespace) -> int:
    """Print warm and fresh-process PDF times per language for the first agreement, against the budgets."""
    from sqlalchemy import select

    from tracker import create_app
    from tracker.agreements.models import Agreement
    from tracker.core.db import db

    app = create_app()
    bytecode = tempfile.TemporaryDirectory(prefix="bench-reports-pycache-")  # removed when this process ends
    env = _child_env(bytecode.name)
    # Compiled once before the fresh runs, as on deployment: the application's modules and the libraries'.
    subprocess.run([sys.executable, "-c", "import wsgi, weasyprint"], cwd=ROOT, env=env, check=True)
    print(
        f"period {args.period}; warm: median of {max(1, args.repeat)} runs after a first; load {os.getloadavg()[0]:.1f}"
    )
    print(
        f"{'language':8} {'warm':>6} {'cpu':>6} {'min':>6} {'html':>6} {'pdf':>6} {'fresh':>6} {'cpu':>6} {'min':>6} {'ready':>6}"
    )
    over = []
    with app.app_context():
        slug = db.session.scalars(select(Agreement.slug).order_by(Agreement.id)).first()
        for lang in LANGUAGES:
            runs = []
            for _ in range(max(1, args.repeat) + 1):
                runs.append(_render_once(slug, args.period, lang))
                db.session.rollback()
            runs = runs[1:]  # the first loads the libraries and fonts
            warm = statistics.median(r["render"] for r in runs)
            warm_cpu = statistics.median(r["render_cpu"] for r in runs)
            warm_min = min(r["render_cpu"] for r in runs)
            html = statistics.median(r["html"] for r in runs)
            pdf = statistics.median(r["pdf"] for r in runs)
            fresh_runs = [_fresh(args, lang, env) for _ in range(max(1, args.fresh_runs))]
            fresh = statistics.median(f[0] for f in fresh_runs)
            fresh_cpu = statistics.median(f[1] for f in fresh_runs)
            fresh_min = min(f[1] for f in fresh_runs)
            ready_cpu = statistics.median(f[2] for f in fresh_runs)
            print(
                f"{lang:8} {warm:6.2f} {warm_cpu:6.2f} {warm_min:6.2f} {html:6.2f} {pdf:6.2f} {fresh:6.2f} {fresh_cpu:6.2f} "
                f"{fresh_min:6.2f} {ready_cpu:6.2f}",
                flush=True,
            )
            if warm > WARM_BUDGET_SECONDS or fresh > FRESH_BUDGET_SECONDS:
                over.append(lang)
    print(
        f"budgets: warm {WARM_BUDGET_SECONDS} s, fresh {FRESH_BUDGET_SECONDS} s per language; over: "
        f"{', '.join(over) or 'none'}; load average {os.getloadavg()[0]:.1f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
