"""Charts of a snapshot as small hand-written SVG, in DejaVu Sans like the PDF and the report page.

Bars are rectangles and labels are text: the PDF lays out a few hundred nodes (a plotting library's SVG has
several times more, and importing one costs most of a second in a fresh process), screen readers and text
extraction read the labels, and the same snapshot gives the same bytes. Every chart is drawn in a 680-unit wide
box that the page scales to its width (one unit is about a quarter of a millimetre in the PDF).
"""

from __future__ import annotations

import base64
import math
from typing import Any
from xml.sax.saxutils import escape

from tracker.reports.labels import ACTION_FIGURES, MILESTONE_FIGURES, loc

# Colour-blind-safe palette (Okabe–Ito), dark enough against white; statuses registered by other packages add theirs
# (tracker.reports.snapshot.register_status).
STATUS_COLOURS = {
    "draft": "#999999",
    "proposed": "#56B4E9",
    "active": "#0072B2",
    "on_hold": "#E69F00",
    "completed": "#009E73",
    "cancelled": "#CC79A7",
}
MILESTONE_COLOURS = {"met_on_time": "#009E73", "met_late": "#E69F00", "missed": "#D55E00"}
# A workstream's label beside its bar: its number and title on at most two lines of LINE_CHARS characters (about
# 235 of the label column's 250 units in DejaVu Sans at LABEL_SIZE), the second ended by « … » if still too long.
LINE_CHARS = 44
LABEL_SIZE = 10
WIDTH = 680
LABEL_WIDTH = 250
PLOT_LEFT, PLOT_RIGHT = LABEL_WIDTH + 10, WIDTH - 20
BAR, GAP, TOP = 15, 7, 6
WRAPPED_GAP = 15  # between bars when a label takes two lines
LINE_HEIGHT = 11
FONT = 'font-family="DejaVu Sans, sans-serif"'
INK, GRID = "#1b1f24", "#c9d1d9"


def workstream_labels(snapshot: dict[str, Any]) -> list[list[str]]:
    """Return each workstream's label for the charts in the current language, as its lines:
    `["3. Espace public, aménagement urbain et", "villes intelligentes"]`."""
    return [_lines(f"{n}. {loc(ws['title'])}") for n, ws in enumerate(snapshot["workstreams"], start=1)]


def _lines(label: str) -> list[str]:
    """Return `label` on one line, or two broken at a space (a word longer than a line is cut), the second ended
    by « … » when the label is longer still."""
    if len(label) <= LINE_CHARS:
        return [label]
    cut = label.rfind(" ", 0, LINE_CHARS + 1)
    cut = cut if cut > 0 else LINE_CHARS
    first, rest = label[:cut].rstrip(), label[cut:].strip()
    if len(rest) > LINE_CHARS:
        rest = rest[: LINE_CHARS - 1].rstrip(" ,;:(") + "…"
    return [first, rest]


def _ticks(top: float) -> list[float]:
    """Return round tick values from 0 to at least `top` (at most about six of them)."""
    if top <= 0:
        return [0, 1]
    raw = top / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    count = math.ceil(top / step)
    return [round(i * step, 10) for i in range(count + 1)]


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


class _Chart:
    """A horizontal bar chart under construction: one row per workstream, an axis, a legend below."""

    def __init__(self, labels: list[list[str]], top: float, xlabel: str) -> None:
        self.labels, self.xlabel = labels, xlabel
        self.ticks = _ticks(top)
        self.scale = (PLOT_RIGHT - PLOT_LEFT) / self.ticks[-1]
        # Each row's top: a bar and the gap around it, wider around a bar whose label takes two lines.
        self.tops: list[float] = []
        y = TOP
        for lines in labels:
            self.tops.append(y)
            y += BAR + (WRAPPED_GAP if len(lines) > 1 else GAP)
        self.bottom = y
        self.parts: list[str] = []
        self.legend: list[tuple[str, str, bool]] = []  # (colour, label, dashed line rather than a square)

    def x(self, value: float) -> float:
        return PLOT_LEFT + value * self.scale

    def row_y(self, index: int) -> float:
        gap = WRAPPED_GAP if len(self.labels[index]) > 1 else GAP
        return self.tops[index] + gap / 2

    def bar(self, index: int, start: float, length: float, colour: str) -> None:
        if length > 0:
            self.parts.append(
                f'<rect x="{self.x(start):.1f}" y="{self.row_y(index):.1f}" width="{length * self.scale:.1f}" '
                f'height="{BAR}" fill="{colour}"/>'
            )

    def render(self) -> str:
        """Return the SVG document: grid, bars, row labels, axis with its ticks and label, legend."""
        out = []
        for tick in self.ticks:
            out.append(
                f'<line x1="{self.x(tick):.1f}" y1="{TOP}" x2="{self.x(tick):.1f}" y2="{self.bottom}" '
                f'stroke="{GRID}" stroke-width="0.8"/>'
            )
        out.extend(self.parts)
        for i, lines in enumerate(self.labels):
            # The lines centred on the bar: one on its middle, two either side of it.
            y = self.row_y(i) + BAR - 4 - (len(lines) - 1) * LINE_HEIGHT / 2
            for line in lines:
                out.append(
                    f'<text x="{LABEL_WIDTH}" y="{y:.1f}" text-anchor="end" font-size="{LABEL_SIZE}">'
                    f"{escape(line)}</text>"
                )
                y += LINE_HEIGHT
        out.append(f'<line x1="{PLOT_LEFT}" y1="{self.bottom}" x2="{PLOT_RIGHT}" y2="{self.bottom}" stroke="{INK}"/>')
        for tick in self.ticks:
            out.append(f'<text x="{self.x(tick):.1f}" y="{self.bottom + 14}" text-anchor="middle">{_fmt(tick)}</text>')
        middle = (PLOT_LEFT + PLOT_RIGHT) / 2
        out.append(f'<text x="{middle:.1f}" y="{self.bottom + 30}" text-anchor="middle">{escape(self.xlabel)}</text>')
        height = self.bottom + 38 + self._legend(out, self.bottom + 40)
        body = "".join(out)
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height:.0f}" '
            f'viewBox="0 0 {WIDTH} {height:.0f}"><g {FONT} font-size="11" fill="{INK}">{body}</g></svg>'
        )

    def _legend(self, out: list[str], y0: float) -> float:
        """Append the legend in rows centred under the plot; return its height."""
        rows: list[list[tuple[str, str, bool, float]]] = [[]]
        width = 0.0
        for colour, label, dashed in self.legend:
            item = 22 + len(label) * 6.2 + 16
            if rows[-1] and width + item > WIDTH - 20:
                rows.append([])
                width = 0.0
            rows[-1].append((colour, label, dashed, item))
            width += item
        for r, row in enumerate(rows):
            x = (WIDTH - sum(item for *_, item in row)) / 2
            y = y0 + r * 18
            for colour, label, dashed, item in row:
                if dashed:
                    out.append(
                        f'<line x1="{x:.1f}" y1="{y + 5:.1f}" x2="{x + 16:.1f}" y2="{y + 5:.1f}" stroke="{colour}" '
                        'stroke-width="2" stroke-dasharray="4 2"/>'
                    )
                else:
                    out.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="11" height="11" fill="{colour}"/>')
                out.append(f'<text x="{x + 20:.1f}" y="{y + 9.5:.1f}" font-size="10">{escape(label)}</text>')
                x += item
        return len(rows) * 18 + 4


def _stacked(
    labels: list[list[str]], series: dict[str, list[int]], colours: dict[str, str], names: dict[str, Any], xlabel: str
) -> str:
    totals = [sum(values) for values in zip(*series.values(), strict=True)] if series else []
    chart = _Chart(labels, max(totals, default=0), xlabel)
    left = [0] * len(labels)
    for key, values in series.items():
        for i, value in enumerate(values):
            chart.bar(i, left[i], value, colours[key])
        left = [a + b for a, b in zip(left, values, strict=True)]
        chart.legend.append((colours[key], str(names[key]), False))
    return chart.render()


def actions_chart(snapshot: dict[str, Any], xlabel: str) -> str:
    """Return stacked bars of each workstream's actions by status (SVG text): the statuses its snapshot counts."""
    counted = [s for s in STATUS_COLOURS if s in snapshot["totals"]["actions"]["by_status"]]
    series = {s: [ws["actions"]["by_status"][s] for ws in snapshot["workstreams"]] for s in counted}
    return _stacked(workstream_labels(snapshot), series, STATUS_COLOURS, ACTION_FIGURES, xlabel)


def milestones_chart(snapshot: dict[str, Any], xlabel: str) -> str:
    """Return stacked bars of each workstream's milestones met on time, met late and missed (SVG text)."""
    series = {k: [ws["milestones"][k] for ws in snapshot["workstreams"]] for k in MILESTONE_COLOURS}
    return _stacked(workstream_labels(snapshot), series, MILESTONE_COLOURS, MILESTONE_FIGURES, xlabel)


def progress_chart(snapshot: dict[str, Any], done_label: str, elapsed_label: str) -> str:
    """Return bars of the percent of the period's milestones done, with a dashed line at the percent elapsed."""
    chart = _Chart(workstream_labels(snapshot), 100, "%")
    for i, ws in enumerate(snapshot["workstreams"]):
        chart.bar(i, 0, ws["milestones"]["percent_done"] or 0, "#0072B2")
    elapsed = chart.x(snapshot["period"]["elapsed_percent"] or 0)
    chart.parts.append(
        f'<line x1="{elapsed:.1f}" y1="{TOP}" x2="{elapsed:.1f}" y2="{chart.bottom}" stroke="#D55E00" '
        'stroke-width="2" stroke-dasharray="6 3"/>'
    )
    chart.legend += [("#0072B2", done_label, False), ("#D55E00", elapsed_label, True)]
    return chart.render()


def data_uri(svg: str) -> str:
    """Return the SVG as a base64 data URI for an <img>."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
