"""Text kept in the three languages, one column each (title_fr, title_en, title_nl), read in one of them."""

from __future__ import annotations

from tracker.core.db import pick_language


class Localized:
    """Gives `obj.text("title", "nl")` over columns named title_fr, title_en, title_nl."""

    def text(self, field: str, language: str) -> str:
        return pick_language({lang: getattr(self, f"{field}_{lang}", None) for lang in ("fr", "en", "nl")}, language)
