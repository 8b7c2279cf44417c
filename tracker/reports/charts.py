"""Charts of a snapshot as SVG (matplotlib), drawn in DejaVu Sans like the PDF and the report page.

Text stays text (svg.fonttype "none"): the PDF renders it three times faster than glyph outlines, and
screen readers and text extraction can read the labels.
"""

from __future__ import annotations

import base64
import io
from typing import Any

import matplotlib

matplotlib.use("Agg")
from matplotlib.figure import Figure

from tracker.reports.labels import ACTION_STATUS, MILESTONE_FIGURES, loc

matplotlib.rcParams.update(
    {
        "svg.fonttype": "none",
        "svg.hashsalt": "tracker-report",
        "font.family": "DejaVu Sans",
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
)

# Colour-blind-safe palette (Okabe–Ito), dark enough against white.
STATUS_COLOURS = {
    "draft": "#999999",
    "proposed": "#56B4E9",
    "active": "#0072B2",
    "on_hold": "#E69F00",
    "completed": "#009E73",
    "cancelled": "#CC79A7",
}
MILESTONE_COLOURS = {"met_on_time": "#009E73", "met_late": "#E69F00", "missed": "#D55E00"}
WIDTH_INCHES = 6.8
LABEL_CHARS = 32  # a workstream's label beside its bar: its number and the start of its title


def workstream_labels(snapshot: dict[str, Any]) -> list[str]:
    """Return each workstream's label for the charts in the current language: `3. Espace public, aménagement…`."""
    labels = []
    for n, ws in enumerate(snapshot["workstreams"], start=1):
        title = loc(ws["title"])
        if len(title) > LABEL_CHARS:
            title = title[: LABEL_CHARS - 1].rstrip(" ,;:(") + "…"
        labels.append(f"{n}. {title}")
    return labels


def _height(rows: int) -> float:
    return 0.24 * rows + 0.95


def _svg(fig: Figure) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    return buffer.getvalue()


def _stacked(
    codes: list[str], series: dict[str, list[int]], colours: dict[str, str], labels: dict[str, Any], xlabel: str
) -> str:
    fig = Figure(figsize=(WIDTH_INCHES, _height(len(codes))))
    ax = fig.add_subplot()
    positions = list(range(len(codes)))[::-1]
    left = [0] * len(codes)
    for key, values in series.items():
        ax.barh(positions, values, left=left, color=colours[key], label=str(labels[key]), height=0.65)
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.set_yticks(positions, codes)
    ax.set_xlabel(xlabel)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=min(len(series), 6), frameon=False, fontsize=8)
    return _svg(fig)


def actions_chart(snapshot: dict[str, Any], xlabel: str) -> str:
    codes = workstream_labels(snapshot)
    series = {s: [ws["actions"]["by_status"][s] for ws in snapshot["workstreams"]] for s in STATUS_COLOURS}
    return _stacked(codes, series, STATUS_COLOURS, ACTION_STATUS, xlabel)


def milestones_chart(snapshot: dict[str, Any], xlabel: str) -> str:
    codes = workstream_labels(snapshot)
    series = {k: [ws["milestones"][k] for ws in snapshot["workstreams"]] for k in MILESTONE_COLOURS}
    return _stacked(codes, series, MILESTONE_COLOURS, MILESTONE_FIGURES, xlabel)


def progress_chart(snapshot: dict[str, Any], done_label: str, elapsed_label: str) -> str:
    """Bars of the percent of the period's milestones done, with a line at the percent of the period elapsed."""
    workstreams = snapshot["workstreams"]
    codes = workstream_labels(snapshot)
    positions = list(range(len(codes)))[::-1]
    fig = Figure(figsize=(WIDTH_INCHES, _height(len(codes))))
    ax = fig.add_subplot()
    values = [ws["milestones"]["percent_done"] or 0 for ws in workstreams]
    ax.barh(positions, values, color="#0072B2", height=0.65, label=done_label)
    elapsed = snapshot["period"]["elapsed_percent"]
    ax.axvline(elapsed, color="#D55E00", linewidth=2, linestyle="--", label=elapsed_label)
    ax.set_xlim(0, 100)
    ax.set_yticks(positions, codes)
    ax.set_xlabel("%")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=2, frameon=False, fontsize=8)
    return _svg(fig)


def data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
