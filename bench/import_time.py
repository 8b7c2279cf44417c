#!/usr/bin/env python3
"""Start-up cost of the app beside a bare Flask + SQLAlchemy app (figures printed, not asserted).

Each figure is the median, over fresh Python processes, of the CPU time (user + system) the process spent from
start to exit: unlike wall time it hardly moves when other programs load the machine. Measured:

- `python -c pass` (the interpreter alone);
- `import flask, sqlalchemy` (the libraries alone);
- a bare app: `import flask, sqlalchemy`, a Flask app with Flask-SQLAlchemy on an SQLite engine;
- `import wsgi`: what a gunicorn worker does before serving (create_app and the CLI registration);
- `flask --app wsgi --help`: what every `flask` command pays before it starts.

The target of issue 16: `import wsgi` within 2.5× the bare app. Every process reads compiled bytecode, kept
in a temporary folder (PYTHONPYCACHEPREFIX), as a deployed app does: without it (PYTHONDONTWRITEBYTECODE=1) the
app's own modules would be compiled again in every process while the libraries' come precompiled;
`--no-bytecode` measures that case. On a loaded machine CPU times still move by a tenth or more; `--instructions`
counts the instructions each command runs under valgrind (cachegrind, once per command, slow but the same figure
on a busy machine as on a quiet one).

    python bench/import_time.py [--runs 15]
    python -X importtime -c "import wsgi" 2> importtime.txt   # where the time goes, module by module

2026-11-30 (main at 3e41ea4; the machine shared with other jobs, load average 10.8 -> 12.0 on 2 cores):
  CPU, median of 7: interpreter 25 ms, import flask + sqlalchemy 740 ms, bare app 1,121 ms, import wsgi 1,924 ms
  (1.72x the bare app, 2.60x flask + sqlalchemy), flask --help 2,159 ms (1.93x, 2.92x).
  --instructions: 39 M, 1,244 M, 1,573 M, import wsgi 3,651 M (2.32x the bare app, 2.94x flask + sqlalchemy),
  flask --help 3,861 M (2.45x, 3.10x).
  openpyxl, icalendar, holidays, weasyprint, markdown, yaml and lxml are no longer imported by `import wsgi`;
  what remains above the libraries is the models' mappers, the API's pydantic models and spectree document
  (tracker.api.spec and tracker.api.schemas, about 290 ms of CPU, built when the routes are declared) and the
  agreement file's pydantic schema (tracker.agreements.schema, about 100 ms, pulled in by the loader's
  registration hooks that the actions and close-out domains call at start-up).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BARE_APP = (
    "import flask, sqlalchemy\n"
    "from flask_sqlalchemy import SQLAlchemy\n"
    "app = flask.Flask('bare')\n"
    "app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite://'\n"
    "db = SQLAlchemy(app)\n"
    "with app.app_context():\n"
    "    db.engine\n"
)

COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "import flask, sqlalchemy": [sys.executable, "-c", "import flask, sqlalchemy"],
    "bare Flask + SQLAlchemy app": [sys.executable, "-c", BARE_APP],
    "import wsgi": [sys.executable, "-c", "import wsgi"],
    "flask --app wsgi --help": [sys.executable, "-m", "flask", "--app", "wsgi", "--help"],
}


def cpu_seconds(command: list[str], env: dict[str, str]) -> float:
    """Run command to its end in a fresh process; return its user + system CPU seconds (fails loudly)."""
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {process.stderr.read().decode()[-500:]}")
    process.stderr.close()
    return usage.ru_utime + usage.ru_stime


def instructions(command: list[str], env: dict[str, str], folder: str) -> int:
    """Return how many instructions command runs to its end, counted by valgrind's cachegrind (fails loudly)."""
    out = f"{folder}/cachegrind.out"
    done = subprocess.run(
        ["valgrind", "--tool=cachegrind", "--cache-sim=no", f"--cachegrind-out-file={out}", *command],
        cwd=ROOT, env={**env, "PYTHONHASHSEED": "0"}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if done.returncode != 0 or found is None:
        raise RuntimeError(f"valgrind {' '.join(command)} failed: {done.stderr[-500:]}")
    return int(found.group(1).replace(",", ""))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="fresh processes per command (default 15)")
    parser.add_argument("--no-bytecode", action="store_true", help="compile the app's modules in every process")
    parser.add_argument("--instructions", action="store_true", help="count instructions under valgrind instead")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="tracker-import-") as folder:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder}/tracker.db", "TRACKER_INSTANCE_DIR": folder,
               "SECRET_KEY": "import-time-bench"}  # fmt: skip
        if args.no_bytecode:
            env["PYTHONDONTWRITEBYTECODE"] = "1"
        else:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = f"{folder}/pycache"
        for command in COMMANDS.values():  # first runs: compiled catalogs and bytecode, not measured
            cpu_seconds(command, env)
        if args.instructions:
            if shutil.which("valgrind") is None:
                parser.error("--instructions needs valgrind (apt-get install valgrind)")
            counts = {name: instructions(command, env, folder) for name, command in COMMANDS.items()}
            print("instructions run (valgrind cachegrind, PYTHONHASHSEED=0)")
            for name, value in counts.items():
                print(f"{name:<30}{value / 1e6:>10.0f} M")
            for name in ("import wsgi", "flask --app wsgi --help"):
                print(f"{name}: {counts[name] / counts['bare Flask + SQLAlchemy app']:.2f} × the bare app (target <= 2.5), "
                      f"{counts[name] / counts['import flask, sqlalchemy']:.2f} × importing flask and sqlalchemy")  # fmt: skip
            return 0
        print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
        print(f"median CPU time of {args.runs} fresh processes (user + system)")
        times: dict[str, list[float]] = {name: [] for name in COMMANDS}
        for _ in range(args.runs):  # round-robin: a burst of load from elsewhere hits every command alike
            for name, command in COMMANDS.items():
                times[name].append(cpu_seconds(command, env) * 1000)
        medians = {name: statistics.median(values) for name, values in times.items()}
        for name, value in medians.items():
            print(f"{name:<30}{value:>8.0f} ms")
    bare, libraries = medians["bare Flask + SQLAlchemy app"], medians["import flask, sqlalchemy"]
    for name in ("import wsgi", "flask --app wsgi --help"):
        print(f"{name}: {medians[name] / bare:.2f} × the bare app (target <= 2.5), "
              f"{medians[name] / libraries:.2f} × importing flask and sqlalchemy")  # fmt: skip
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
