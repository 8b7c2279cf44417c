"""The import contract holds (import-linter, configured in pyproject.toml): layers, a neutral core, no cycle, a
scheduler (workflows) and an API framework that know no domain.

The second test copies the code into a temporary directory, adds one forbidden import and checks that the
same command fails: the contract is read and bites, it does not pass by being empty.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    """Runs `lint-imports` in `cwd` (its pyproject.toml and packages) without a cache."""
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        env={"PYTHONPATH": str(cwd), "PATH": "/usr/bin:/bin", "NO_COLOR": "1"},
    )


def test_the_import_contract_holds() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def copy_code(target: Path) -> None:
    """Copies what lint-imports reads (the three root packages and pyproject.toml) into `target`."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "translations", "static", "templates")
    for package in ("tracker", "workflows", "config"):
        shutil.copytree(ROOT / package, target / package, ignore=ignore)
    shutil.copy(ROOT / "pyproject.toml", target / "pyproject.toml")


def add_import(module: Path, line: str) -> None:
    """Appends an import line at the end of a module."""
    module.write_text(module.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")


def test_a_domain_import_in_core_breaks_the_contract(tmp_path: Path) -> None:
    copy_code(tmp_path)
    add_import(tmp_path / "tracker/core/clock.py", "import tracker.reports.models  # noqa")
    result = lint_imports(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "tracker.core imports no domain package BROKEN" in result.stdout
    assert "No import cycle between the packages of tracker BROKEN" in result.stdout


def test_tracker_importing_workflows_breaks_the_layers(tmp_path: Path) -> None:
    copy_code(tmp_path)
    add_import(tmp_path / "tracker/mail/outbox.py", "import workflows  # noqa")
    result = lint_imports(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "workflows -> tracker -> config BROKEN" in result.stdout


def test_a_domain_import_in_the_api_framework_breaks_the_contract(tmp_path: Path) -> None:
    copy_code(tmp_path)
    add_import(tmp_path / "tracker/api/common.py", "import tracker.reports.models  # noqa")
    result = lint_imports(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "The API framework imports no domain: each domain's resources import it BROKEN" in result.stdout


def test_a_domain_import_in_workflows_breaks_the_contract(tmp_path: Path) -> None:
    copy_code(tmp_path)
    add_import(tmp_path / "workflows/jobs.py", "import tracker.reminders.sweep  # noqa")
    result = lint_imports(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "workflows imports no domain: it runs the jobs each domain declares BROKEN" in result.stdout
