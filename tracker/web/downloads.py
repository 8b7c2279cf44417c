"""The names of the files people download: readable words in their language, safe for every browser.

`download_name("Actions", "Chantier", "Développement économique", today, extension="xlsx")` reads
`actions-chantier-développement-économique-2026-11-30.xlsx`; `content_disposition(name)` is the Content-Disposition that
sends it (RFC 6266): an ASCII `filename` for old clients (`actions-chantier-developpement-economique-…`) and the
name itself as UTF-8 in `filename*`. Every download goes through `content_disposition` (evidence files keep the name their
author gave them; the app names the others with `download_name`).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from urllib.parse import quote

_SEPARATORS = re.compile(r"[^\w]+")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def download_name(*parts: object, extension: str) -> str:
    """Return a file name made of `parts` (words, titles, dates), lower case, words joined by `-`, accents kept;
    dates are written ISO (`2026-11-30`), which sorts and reads in every language."""
    words = [p.isoformat() if isinstance(p, date) else str(p) for p in parts if p not in (None, "")]
    stem = _SEPARATORS.sub("-", " ".join(words).casefold()).strip("-_")
    return f"{stem or 'file'}.{extension}"


def ascii_name(name: str) -> str:
    """Return `name` in ASCII letters, digits, `.`, `_` and `-` (accents dropped: « é » reads « e »)."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    safe = re.sub(r"-+(?=\.)", "", _UNSAFE.sub("-", plain)).strip("-")
    return safe if safe.strip(".") else "file"


def content_disposition(name: str, *, inline: bool = False) -> str:
    """Return the Content-Disposition header value that sends a file named `name` (RFC 6266, RFC 8187)."""
    kind = "inline" if inline else "attachment"
    fallback = ascii_name(name)
    if fallback == name:
        return f'{kind}; filename="{name}"'
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
