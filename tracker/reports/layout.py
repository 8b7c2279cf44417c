"""The report as a document: which sections each kind of report holds, and the parties' emblems on its cover.

One table says which sections a kind of report has (a final report has no next period, so nothing "coming"); the
templates ask it (`has("coming")`) and mark each section they show with `data-section`, which the tests check
against the same table.

Emblems: the operator puts each party's emblem in REPORT_EMBLEMS_DIR as `<party code>.svg` or `.png` (e.g.
`IDF.svg`, `BXL.png`); a party without one gets a neutral emblem drawn from its code (no real logo is shipped).
"""

from __future__ import annotations

import base64
from functools import lru_cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from flask import current_app

# Sections in the order they appear. "executive-summary", "narrative", "outcomes" and "close-out" are filled by
# their own include templates when present; "coming" is the milestones due in the next period; "highlights" the
# period's latest progress notes of each workstream.
ALL_SECTIONS = (
    "executive-summary",
    "figures",
    "indicators",
    "workstreams",
    "narrative",
    "outcomes",
    "coming",
    "highlights",
    "changes",
    "close-out",
    "notes",
    "signoff",
)
_PERIODIC = frozenset(ALL_SECTIONS) - {"close-out"}
SECTIONS: dict[str, frozenset[str]] = {
    "quarter": _PERIODIC,
    "agreement_year": _PERIODIC,
    # The whole term: there is no next period, and the close-out says what became of each unfinished action. Its
    # last progress notes (some « to consolidate next quarter ») are no highlights of the term: each action's
    # outcome ("outcomes") tells what it achieved.
    "final": frozenset(ALL_SECTIONS) - {"coming", "highlights"},
    "ad_hoc": frozenset(ALL_SECTIONS) - {"coming", "close-out"},
}
MILESTONE_KEYS = ("met_on_time", "met_late", "missed", "coming", "planned", "done")
EMBLEM_TYPES = {".svg": "image/svg+xml", ".png": "image/png"}


def sections(kind: str) -> frozenset[str]:
    """Return the names of the sections a report of `kind` holds (KeyError on an unknown kind)."""
    return SECTIONS[kind]


def milestone_keys(kind: str) -> tuple[str, ...]:
    """Return the milestone figures a report of `kind` shows, in order ("coming" only with a next period)."""
    shown = sections(kind)
    return tuple(key for key in MILESTONE_KEYS if key != "coming" or "coming" in shown)


def neutral_emblem(code: str) -> str:
    """Return a plain SVG emblem bearing the party's code: a grey shield, for a party with no emblem set."""
    text = escape(code[:6])
    size = 30 if len(code) <= 3 else 22
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="120" viewBox="0 0 120 120" role="img">'
        '<path d="M60 6 L108 22 V62 C108 90 86 106 60 114 C34 106 12 90 12 62 V22 Z" fill="#ffffff" '
        'stroke="#4a5560" stroke-width="4"/>'
        f'<text x="60" y="{68 + (size - 30) // 3}" font-family="DejaVu Sans, sans-serif" font-size="{size}" '
        f'font-weight="bold" fill="#1b1f24" text-anchor="middle">{text}</text></svg>'
    )


@lru_cache(maxsize=32)
def _emblem_uri(folder: str | None, code: str, stamp: float) -> str:
    if folder:
        for suffix, media_type in EMBLEM_TYPES.items():
            path = Path(folder) / f"{code}{suffix}"
            if path.is_file():
                return f"data:{media_type};base64," + base64.b64encode(path.read_bytes()).decode()
    return "data:image/svg+xml;base64," + base64.b64encode(neutral_emblem(code).encode()).decode()


def emblem_uri(code: str) -> str:
    """Return the party's emblem as a data URI: the operator's file in REPORT_EMBLEMS_DIR, else the neutral one.

    Read once per file version (its modification time), so a replaced emblem shows in the next rendering."""
    folder = current_app.config.get("REPORT_EMBLEMS_DIR")
    stamp = 0.0
    if folder:
        for suffix in EMBLEM_TYPES:
            path = Path(folder) / f"{code}{suffix}"
            if path.is_file():
                stamp = path.stat().st_mtime
                break
    return _emblem_uri(str(folder) if folder else None, code, stamp)


def shown_sections(snapshot: dict[str, Any]) -> frozenset[str]:
    """Return the sections this report shows: those of its kind, less what its data leaves empty.

    A final report shows "changes" only when there is a published report of another period to compare with
    (`services._previous`), never its own earlier version."""
    kind = snapshot["period"]["kind"]
    shown = sections(kind)
    if kind == "final" and not (snapshot.get("changes") or {}).get("previous"):
        shown = shown - {"changes"}
    return shown


def layout_context(snapshot: dict[str, Any]) -> dict[str, Any]:
    """Return what the templates read about the document's form: `has(name)`, the sections and milestone figures."""
    shown = shown_sections(snapshot)
    return {
        "sections": shown,
        "has": shown.__contains__,
        "milestone_keys": milestone_keys(snapshot["period"]["kind"]),
    }
