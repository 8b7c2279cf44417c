"""Views and API resources never end a transaction: the request's unit of work commits or rolls back.

A module serving requests (one that declares routes, a `views` module, anything in tracker/api or tracker/web)
that calls the session's commit or rollback fails this test; a refusal shown to the user calls
`tracker.core.db.discard()`, an API answer that shows what was written calls `tracker.core.db.refresh()`.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRACKER = ROOT / "tracker"

ROUTE = re.compile(r"^@\w+\.(route|get|post|put|patch|delete)\(", re.MULTILINE)
ENDS_TRANSACTION = re.compile(r"\bsession\.(commit|rollback)\(")
REQUEST_PACKAGES = ("api", "web", "workspace")


def serves_requests(relative: Path, source: str) -> bool:
    """True for a module that declares routes, is named like views, or lives in a package of pages or API."""
    return bool(ROUTE.search(source)) or relative.stem.endswith("views") or relative.parts[0] in REQUEST_PACKAGES


def offenders(package: Path) -> list[str]:
    """Return `path:line` (relative to `package`) of each commit or rollback of the session in a module serving
    requests."""
    found = []
    for path in sorted(package.rglob("*.py")):
        source, relative = path.read_text(encoding="utf-8"), path.relative_to(package)
        if not serves_requests(relative, source):
            continue
        for number, line in enumerate(source.splitlines(), start=1):
            if ENDS_TRANSACTION.search(line):
                found.append(f"{relative}:{number}")
    return found


def test_no_view_or_api_module_commits_or_rolls_back() -> None:
    found = offenders(TRACKER)
    assert not found, "use the request's unit of work (tracker.core.db.discard or refresh): " + ", ".join(found)


def test_the_guard_sees_commits_and_rollbacks_in_views_and_resources_only(tmp_path: Path) -> None:
    modules = {
        "things/views.py": "def save():\n    db.session.commit()\n",
        "things/resources.py": '@bp.post("/things")\ndef add():\n    db.session.rollback()\n',
        "api/answers.py": "def answer():\n    db.session.commit()\n",
        "things/services.py": "def job():\n    db.session.commit()\n",
    }
    for name, source in modules.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(source, encoding="utf-8")
    assert offenders(tmp_path) == ["api/answers.py:2", "things/resources.py:3", "things/views.py:2"]
