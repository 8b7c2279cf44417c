"""Names shown beside narratives: languages, and the marker of a text shown in the other language."""

from __future__ import annotations

from typing import Any

from babel import Locale
from flask_babel import get_locale

# Where a text is missing in the reader's language, the other required language is shown instead.
FALLBACK_ORDER = {"fr": ("nl", "en"), "nl": ("fr", "en"), "en": ("fr", "nl")}


def language_name(lang: str) -> str:
    """Return a language's name in the reader's language, from the CLDR (`nl` reads « néerlandais » in French)."""
    reader = get_locale() or Locale("fr")
    return str(reader.languages.get(lang, lang))


def narrative_text(texts: dict[str, str] | None, lang: str) -> dict[str, Any] | None:
    """Return {"text", "lang", "translated"} for the reader's `lang` from a {fr, nl, en} dict: the text in that
    language, or else the first other language that has one (translated False); None when none is written."""
    if not texts:
        return None
    if (texts.get(lang) or "").strip():
        return {"text": texts[lang], "lang": lang, "translated": True}
    for other in FALLBACK_ORDER.get(lang, ("fr", "nl", "en")):
        if (texts.get(other) or "").strip():
            return {"text": texts[other], "lang": other, "translated": False}
    return None
