"""French translations follow French typography: a non-breaking space before : ; ? ! and inside « », and typographic
apostrophes. Code quoted in a message (paths, URLs, HTTP headers, placeholders, HTML tags) is left as it is."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
NBSP = "\u00a0\u202f"  # non-breaking space, narrow non-breaking space
# What is code in a message: placeholders, tags, URLs and paths, HTTP headers (`Content-Type: …`).
CODE = re.compile(r"%\([^)]*\)[sdif]|%%|\{[^}]*\}|<[^>]+>|\S*(?:/|\?\w+=)\S*|\b[A-Z][A-Za-z]+(?:-[A-Z][A-Za-z]+)*: ")
RULES = {
    "a plain space before : ; ? ! or »": re.compile(r" [:;?!»]"),
    "no space before ; ? !": re.compile(rf"[^\s{NBSP}][;?!]"),
    "no space before a colon": re.compile(rf"[^\s{NBSP}\d]:(?=\s|$)"),
    "no non-breaking space after «": re.compile(rf"«(?![{NBSP}])"),
    "no non-breaking space before »": re.compile(rf"(?<![{NBSP}])»"),
    # Before a word, or before code or markup (« l'<a href=…>API</a> »).
    "a straight apostrophe": re.compile(r"\w'[\w\u2063]"),
}


def french_texts() -> list[str]:
    with (ROOT / "tracker" / "translations" / "fr" / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalog = read_po(fh, locale="fr")
    texts = []
    for message in catalog:
        if message.id and message.string:
            texts += message.string if isinstance(message.string, tuple) else [message.string]
    return texts


def typography_faults(text: str) -> list[str]:
    """Return the names of the rules `text` breaks, code left aside."""
    prose = CODE.sub("\u2063", text)  # an invisible separator where code was: never a space, never punctuation
    return [name for name, rule in RULES.items() if rule.search(prose)]


def test_the_rules_see_what_they_should() -> None:
    assert typography_faults("Statut : « %(state)s ».") == [
        "a plain space before : ; ? ! or »",
        "no non-breaking space after «",
        "no non-breaking space before »",
    ]
    assert typography_faults("Ce n'est pas une date; écrivez-la!") == [
        "no space before ; ? !",
        "a straight apostrophe",
    ]
    assert typography_faults('Utilisez l\'<a href="%(url)s">API</a>.') == ["a straight apostrophe"]
    assert typography_faults("Envoyez Content-Type: application/json avec GET /api/v1/actions?page=2.") == []
    assert typography_faults("Statut\u00a0: «\u00a0%(state)s\u00a0» à 14:15\u202f?") == []


def test_french_translations_follow_french_typography() -> None:
    faults = [f"{name}: {text!r}" for text in french_texts() for name in typography_faults(text)]
    assert not faults, "\n".join(faults)
