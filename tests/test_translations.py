"""Every message of the interface has its French and Dutch translation (English is the source)."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_message_is_translated(tmp_path: Path) -> None:
    # Extract from the current code into a scratch copy, so that a new string without translation fails here.
    scratch = tmp_path / "repo"
    shutil.copytree(ROOT / "tracker", scratch / "tracker", ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    shutil.copytree(ROOT / "workflows", scratch / "workflows", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "babel.cfg", scratch / "babel.cfg")
    (scratch / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "i18n.py", scratch / "scripts" / "i18n.py")
    spec = importlib.util.spec_from_file_location("i18n_tool", scratch / "scripts" / "i18n.py")
    assert spec and spec.loader
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    before = {lang: tool.po_path(lang).read_bytes() for lang in tool.LANGUAGES}
    tool.extract()
    gaps = tool.missing()
    assert gaps == {"fr": [], "nl": []}, f"untranslated: {gaps}"
    # The committed catalogs are up to date with the code (extraction changed nothing in them).
    assert {lang: tool.po_path(lang).read_bytes() for lang in tool.LANGUAGES} == before


def test_catalogs_compile(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "compile",
            "-d",
            str(ROOT / "tracker" / "translations"),
            "--statistics",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_french_statuses_agree_with_what_they_describe(app) -> None:
    from flask_babel import force_locale

    from tracker.actions.labels import ACTION_STATUS, MILESTONE_STATUS
    from tracker.actions.models import ActionStatus, MilestoneStatus

    with app.test_request_context(), force_locale("fr"):
        assert str(ACTION_STATUS[ActionStatus.CANCELLED]) == "Annulée"  # une action
        assert str(MILESTONE_STATUS[MilestoneStatus.CANCELLED]) == "Annulé"  # un jalon
    with app.test_request_context(), force_locale("nl"):
        assert str(ACTION_STATUS[ActionStatus.CANCELLED]) == "Geannuleerd"


# One word for one thing: the term each catalog uses, and the variants it must not use for the same thing.
TERMS = {
    "fr": {
        "chantier (workstream)": r"\baxes?\b",
        "copilote (co-lead)": r"co-pilot|chefs? de file",
    },
    "nl": {
        "overeenkomst (agreement)": r"akkoord",
        "werkspoor (workstream)": r"werkas|werkgebied|pijler",
        "verslag (report)": r"rapport",
        "verbintenis (commitment)": r"engagement",
        "beoordelaar (reviewer)": r"reviewer",
        "co-leider (co-lead)": r"medeleider|coleider|trekker",
    },
}


def _demo_texts() -> dict[str, list[str]]:
    """Return the demo's texts by language: the final report's narratives, and the word lists (French) of the
    generated actions, milestones, progress logs and outcomes."""
    from tracker.demo import narratives, texts

    found: dict[str, list[str]] = {"fr": [], "nl": []}
    for block in (narratives.SUMMARY, *narratives.WORKSTREAMS.values()):
        for lang, text in block.items():
            found[lang].append(text)
    objects = [title for titles in texts.ACTION_OBJECTS.values() for title in titles]
    found["fr"] += [*texts.ACTION_VERBS, *objects, *texts.MILESTONE_TITLES, *texts.PROGRESS_TEXTS, *texts.OUTCOMES]
    found["fr"] += texts.FUNCTIONS["IDF"].values()
    found["nl"] += texts.FUNCTIONS["BXL"].values()
    return found


def test_one_word_for_one_thing() -> None:
    from babel.messages.pofile import read_po

    demo = _demo_texts()
    found = []
    for lang, terms in TERMS.items():
        with (ROOT / "tracker" / "translations" / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
            catalog = read_po(fh, locale=lang)
        catalog_texts = [
            text
            for message in catalog
            for text in (message.string if isinstance(message.string, tuple) else (message.string,))
        ]
        for text in filter(None, [*catalog_texts, *demo[lang]]):
            found += [f"{lang}: {term} wanted in {text!r}" for term, banned in terms.items()
                      if re.search(banned, text, re.IGNORECASE)]  # fmt: skip
    assert not found, "\n".join(found)
