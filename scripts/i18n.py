#!/usr/bin/env python3
"""Translation chores: `extract` refreshes the catalogs from the code; `check` fails on any missing translation;
`fill FILE.json` merges {"msgid": {"fr": "...", "nl": "..."}} into the catalogs ("context|msgid" for a message with a
context); `compile` builds the .mo files.

Run from the repository root inside .venv, e.g. `python scripts/i18n.py extract`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "tracker" / "translations"
POT = TRANSLATIONS / "messages.pot"
LANGUAGES = ("fr", "nl")


def po_path(lang: str) -> Path:
    return TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po"


def pybabel(*args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", *args],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def extract() -> None:
    pybabel(
        "extract",
        "-F",
        "babel.cfg",
        "-k",
        "_l",
        "-k",
        "lazy_gettext",
        "-k",
        "ngettext:1,2",
        "-k",
        "lazy_ngettext:1,2",
        "-k",
        "lazy_pgettext:1c,2",
        "--no-location",
        "--sort-output",
        "--omit-header",
        "-o",
        str(POT),
        ".",
    )
    pybabel(
        "update",
        "-i",
        str(POT),
        "-d",
        str(TRANSLATIONS),
        "--no-fuzzy-matching",
        "--omit-header",
        "--ignore-obsolete",
        "--no-wrap",
    )


def missing() -> dict[str, list[str]]:
    """Return {lang: [msgids without a translation, or fuzzy]} against the template."""
    with POT.open("rb") as fh:
        template = read_po(fh)
    result: dict[str, list[str]] = {}
    for lang in LANGUAGES:
        with po_path(lang).open("rb") as fh:
            catalog = read_po(fh, locale=lang)
        gaps = []
        for message in template:
            if not message.id:
                continue
            found = catalog.get(message.id, message.context)
            strings = found.string if found is not None else None
            values = strings if isinstance(strings, tuple | list) else [strings]
            if found is None or found.fuzzy or not all(values):
                gaps.append(message.id if isinstance(message.id, str) else message.id[0])
        result[lang] = gaps
    return result


def fill(path: Path) -> None:
    entries = json.loads(path.read_text(encoding="utf-8"))
    for lang in LANGUAGES:
        with po_path(lang).open("rb") as fh:
            catalog = read_po(fh, locale=lang)
        for key, texts in entries.items():
            if lang not in texts:
                continue
            context, _, msgid = key.rpartition("|")  # "context|msgid" for a message with a context
            message = catalog.get(msgid, context or None)
            if message is None:
                print(f"not in the {lang} catalog (run extract first): {msgid!r}", file=sys.stderr)
                continue
            message.string = texts[lang] if not message.pluralizable else tuple(texts[lang])
            message.flags.discard("fuzzy")
        with po_path(lang).open("wb") as fh:
            write_po(fh, catalog, omit_header=True, sort_output=True, no_location=True, width=0)


def compile_catalogs() -> None:
    pybabel("compile", "-d", str(TRANSLATIONS), "--use-fuzzy")


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "check"
    if command == "extract":
        extract()
    elif command == "fill":
        fill(Path(argv[2]))
    elif command == "compile":
        compile_catalogs()
    elif command == "check":
        gaps = missing()
        for lang, ids in gaps.items():
            for msgid in ids:
                print(f"{lang}: missing translation for {msgid!r}")
        return 1 if any(gaps.values()) else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
