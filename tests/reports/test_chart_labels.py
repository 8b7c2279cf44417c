"""The charts name each workstream beside its bar in full, on two lines when its title is long, every line inside
the label column (measured with DejaVu Sans, the font the charts are drawn in)."""

from __future__ import annotations

import re
from functools import cache

import pytest
from flask import Flask
from flask_babel import force_locale
from fontTools.ttLib import TTFont

from tests.factories import load_agreement
from tracker.core.db import db
from tracker.reports import charts, services

DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
# A row's label: right-aligned on the label column's edge, in the chart's 11-unit type unless it says otherwise.
LABEL = re.compile(r'<text x="([\d.]+)" y="[\d.]+" text-anchor="end"(?: font-size="([\d.]+)")?>([^<]*)</text>')


@cache
def _advances() -> tuple[dict[int, str], object, int]:
    font = TTFont(DEJAVU)
    return font.getBestCmap(), font["hmtx"], font["head"].unitsPerEm


def _width(text: str, size: float) -> float:
    cmap, hmtx, units = _advances()
    return sum(hmtx[cmap[ord(c)]][0] for c in text) * size / units


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_a_long_workstream_title_wraps_on_two_lines_beside_its_bar(app: Flask, lang: str) -> None:
    """Before: « 3. Espace public, aménagement urba… », « 9. Climat et financement de projet… »."""
    agreement = load_agreement(ended=True)
    report = services.generate_report(agreement, "final")
    db.session.commit()
    with force_locale(lang):
        svg = charts.actions_chart(report.snapshot, "Actions")
    titles = [f"{n}. {ws['title'][lang]}" for n, ws in enumerate(report.snapshot["workstreams"], start=1)]
    lines = [(x, size or "11", text) for x, size, text in LABEL.findall(svg)]
    assert len(lines) >= len(titles)
    shown = " ".join(text for *_, text in lines)
    assert "…" not in shown
    for title in titles:
        assert title in shown, title
    for x, size, text in lines:
        assert _width(text, float(size)) <= float(x), (text, _width(text, float(size)), x)  # not cut at the left
