"""Compiled translation catalogs, built when the app starts if missing or older than their .po file.

The .po files are committed and the .mo files are not: every way of starting the tracker (`scripts/run`,
`gunicorn wsgi:app` after `pip install`, `flask --app wsgi …`, the scheduler) goes through `create_app`, which calls
`ensure_catalogs` so that French and Dutch never silently fall back to English.

The .mo files are written next to the .po files when that folder is writable (a clone), else under
`<instance>/translations` (a read-only install). Several workers may start together: each writes a file of its own
and renames it into place, so a reader sees either the old complete file or the new complete one.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

SOURCE_DIR = Path(__file__).resolve().parent.parent / "translations"
log = logging.getLogger(__name__)


def _po_files(source: Path) -> dict[str, Path]:
    """Return {language: path of its messages.po} found under source."""
    return {po.parent.parent.name: po for po in sorted(source.glob("*/LC_MESSAGES/messages.po"))}


def _is_fresh(mo: Path, po: Path) -> bool:
    try:
        return mo.stat().st_mtime >= po.stat().st_mtime and mo.stat().st_size > 0
    except FileNotFoundError:
        return False


def _compile(po: Path, mo: Path, language: str) -> None:
    """Write po compiled into mo atomically (raises OSError when mo's folder cannot be written)."""
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=language)
    mo.parent.mkdir(parents=True, exist_ok=True)
    fd, scratch = tempfile.mkstemp(prefix=".messages-", suffix=".mo", dir=mo.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            write_mo(out, catalog, use_fuzzy=True)
        os.replace(scratch, mo)
    except BaseException:
        Path(scratch).unlink(missing_ok=True)
        raise


def _ensure_in(target: Path, sources: dict[str, Path]) -> None:
    """Compile into target/<lang>/LC_MESSAGES/messages.mo each catalog missing or older than its .po."""
    for language, po in sources.items():
        mo = target / language / "LC_MESSAGES" / "messages.mo"
        if not _is_fresh(mo, po):
            _compile(po, mo, language)
            log.info("compiled the %s translation catalog into %s", language, mo)


def ensure_catalogs(instance_dir: Path, source: Path = SOURCE_DIR) -> Path:
    """Return the folder holding up-to-date .mo files for every .po under source, compiling what is needed.

    Tries source itself first, then `instance_dir/translations` when source cannot be written.
    """
    sources = _po_files(source)
    try:
        _ensure_in(source, sources)
        return source
    except OSError as exc:
        fallback = Path(instance_dir) / "translations"
        log.info("cannot write compiled catalogs next to their .po files (%s); using %s", exc, fallback)
        _ensure_in(fallback, sources)
        return fallback
