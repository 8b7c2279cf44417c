"""Deployed the usual way from a clean clone (no `scripts/run`, no compile step), the tracker speaks French.

The clone holds what git holds (the tracked and not-ignored files of this tree: no .mo file); the commands are the
operator's: `flask --app wsgi db upgrade`, `agreements load`, `users create`, `reports generate`, then
`gunicorn wsgi:app` with two workers, read over HTTP.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

from tests.forms import find_form, form_data

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "clean-clone-password"


def clone_tree(target: Path) -> None:
    """Copy the files a clone of this tree would hold (tracked or new, never ignored) into target."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for name in filter(None, (item.decode() for item in listed)):
        source = ROOT / name
        if source.is_file() and not source.is_symlink():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run(clone: Path, env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=clone, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def wait_until_up(browser: requests.Session, base: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, server.stdout.read() if server.stdout else "gunicorn stopped"
        try:
            if browser.get(f"{base}/healthz", timeout=5).ok:
                return
        except requests.RequestException:
            time.sleep(0.2)
    raise AssertionError("gunicorn did not answer within 60 s")


def test_a_clean_clone_served_by_gunicorn_reads_french(tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    clone_tree(clone)
    assert not list(clone.rglob("*.mo")), "a clone holds no compiled catalog"
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'tracker.db'}", PYTHONDONTWRITEBYTECODE="1")
    run(clone, env, "db", "upgrade")
    run(clone, env, "agreements", "load", "config/agreements/idf-bxl-2021.yaml")
    run(clone, env, "users", "create", "--email", "relecture@idf.example.org", "--name", "Relectrice",
        "--party", "IDF", "--role", "reviewer", "--password", PASSWORD)  # fmt: skip
    generated = run(clone, env, "reports", "generate", "--agreement", "idf-bxl-2021", "--period", "final")
    report_id = generated.split()[1]  # "Report 1 generated: …" (the command speaks English to operators)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}", "wsgi:app"],
        cwd=clone,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        browser = requests.Session()
        browser.trust_env = False  # straight to loopback, whatever proxy the environment names
        wait_until_up(browser, base, server)
        login = browser.get(f"{base}/login", timeout=10)
        assert "<h1>Se connecter</h1>" in login.text
        form = find_form(login.text, action="/login", base_url=f"{base}/")
        data = form_data(form, {"email": "relecture@idf.example.org", "password": PASSWORD})
        assert browser.post(f"{base}/login", data=data, timeout=10).ok
        report = browser.get(f"{base}/reports/{report_id}", timeout=30)
        assert report.status_code == 200
        assert "<h1>Rapport final ·" in report.text
        assert "Final report" not in report.text
    finally:
        server.terminate()
        server.wait(timeout=30)
