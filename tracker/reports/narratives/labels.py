"""Names shown beside narratives: languages, and the marker of a text shown in the other language."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

LANGUAGE_NAMES = {"fr": _l("French"), "nl": _l("Dutch"), "en": _l("English")}
# Where a text is missing in the reader's language, the other required language is shown instead.
FALLBACK_ORDER = {"fr": ("nl", "en"), "nl": ("fr", "en"), "en": ("fr", "nl")}


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
