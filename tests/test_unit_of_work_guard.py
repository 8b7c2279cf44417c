"""Only the unit of work ends a transaction: requests, commands and jobs all run in `tracker.core.db.unit_of_work`.

Any module of the application (tracker/ and workflows/) that calls the session's commit or rollback fails this
test, views, API resources, CLI commands and jobs alike. A refusal shown to the user calls
`tracker.core.db.discard()`, an API answer that shows what was written `tracker.core.db.refresh()`; a command or a
job opens one unit of work per item it must keep apart (a message, a chunk of digests, a report's files), and
reads in `reading()`.

Allowed, and only these:
- tracker/core/db.py: the unit of work itself, `reading()` and `writing()`;
- workflows/ledger.py, workflows/lease.py, workflows/scheduler.py: the scheduler's own bookkeeping (a run's claim
  and outcome, the leader lease, the heartbeat), which must be committed whatever the job's unit did — a failed
  job is recorded as failed after its unit rolled back — and which no job ever calls.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("tracker", "workflows")
ALLOWED = frozenset({"tracker/core/db.py", "workflows/ledger.py", "workflows/lease.py", "workflows/scheduler.py"})
ENDS_TRANSACTION = re.compile(r"\bsession\.(commit|rollback)\(")


def offenders(root: Path) -> list[str]:
    """Return `path:line` (relative to `root`) of each commit or rollback of the session outside ALLOWED."""
    found = []
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            relative = path.relative_to(root).as_posix()
            if relative in ALLOWED:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if ENDS_TRANSACTION.search(line):
                    found.append(f"{relative}:{number}")
    return found


def test_no_module_but_the_unit_of_work_commits_or_rolls_back() -> None:
    found = offenders(ROOT)
    assert not found, "use tracker.core.db.unit_of_work (or discard, refresh, reading): " + ", ".join(found)


def test_the_guard_sees_views_resources_commands_and_jobs_alike(tmp_path: Path) -> None:
    modules = {
        "tracker/things/views.py": "def save():\n    db.session.commit()\n",
        "tracker/things/api/things.py": '@bp.post("/things")\ndef add():\n    db.session.rollback()\n',
        "tracker/things/cli.py": "def command():\n    db.session.commit()\n",
        "tracker/things/jobs.py": "def job(ctx):\n    db.session.commit()\n",
        "tracker/things/delivery.py": "def deliver():\n    try:\n        pass\n    except Exception:\n"
        "        db.session.rollback()\n",
        "tracker/things/services.py": "def change():\n    db.session.flush()\n",
        "tracker/core/db.py": "def unit():\n    db.session.commit()\n",
        "workflows/ledger.py": "def finish():\n    db.session.commit()\n",
        "workflows/jobs.py": "def housekeeping(ctx):\n    db.session.commit()\n",
    }
    for name, source in modules.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(source, encoding="utf-8")
    assert offenders(tmp_path) == [
        "tracker/things/api/things.py:3",
        "tracker/things/cli.py:2",
        "tracker/things/delivery.py:5",
        "tracker/things/jobs.py:2",
        "tracker/things/views.py:2",
        "workflows/jobs.py:2",
    ]
