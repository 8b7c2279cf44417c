"""The compiled catalogs follow their .po files: built when missing, rebuilt when the .po is newer."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from babel.support import Translations

from tracker.web.catalogs import SOURCE_DIR, ensure_catalogs


def test_catalogs_are_built_when_missing_and_rebuilt_when_older_than_the_po(tmp_path: Path) -> None:
    source = tmp_path / "translations"
    shutil.copytree(SOURCE_DIR, source, ignore=shutil.ignore_patterns("*.mo", "*.pot"))
    assert ensure_catalogs(tmp_path / "instance", source) == source
    mo_dir = source / "fr" / "LC_MESSAGES"
    assert Translations.load(str(source), ["fr"]).gettext("Log in") == "Se connecter"

    po = mo_dir / "messages.po"
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "Se connecter"', 'msgstr "Connexion"'), "utf-8")
    stamp = (mo_dir / "messages.mo").stat().st_mtime
    os.utime(po, (stamp + 10, stamp + 10))
    ensure_catalogs(tmp_path / "instance", source)
    assert Translations.load(str(source), ["fr"]).gettext("Log in") == "Connexion"
    assert not [p.name for p in mo_dir.iterdir() if p.name.startswith(".messages-")], "no scratch file left"
