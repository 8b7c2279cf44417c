"""Renditions of a report from its snapshot: HTML (page body and file), PDF (WeasyPrint) and XLSX, per language."""

from __future__ import annotations

import atexit
import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from flask import render_template
from flask_babel import force_locale, format_datetime
from flask_babel import gettext as _

from tracker.reports.labels import KIND, iso_date, loc, percent, period_title, template_helpers
from tracker.reports.layout import emblem_uri, layout_context
from tracker.web.downloads import download_name

if TYPE_CHECKING:
    from tracker.reports.models import Report

LANGUAGES = ("fr", "en", "nl")
FORMATS = ("pdf", "xlsx", "html")
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
}
LIST_LIMIT = 25
CSS_PATH = Path(__file__).resolve().parent / "static" / "report.css"


@cache
def report_css() -> str:
    return CSS_PATH.read_text(encoding="utf-8")


def signoff_rows(report: Report) -> list[dict[str, Any]]:
    """Return one row per party of the snapshot: signed (who, their function, the local day, comment) or awaiting.

    `signed_on` is the local date of the signature in the agreement's time zone, as the reader writes it
    ("signé le 27 novembre 2026"); `signed_at` keeps the full local date and time (the spreadsheet shows it)."""
    by_code = {sig.party.code: sig for sig in report.signatures}
    rows = []
    for party in report.snapshot["agreement"]["parties"]:
        sig = by_code.get(party["code"])
        local = _local_naive(sig.signed_at, report) if sig else None
        rows.append(
            {
                "party_code": party["code"],
                "party_name": party["name"],
                "signed": sig is not None,
                "user": (sig.signer_name or sig.user.name) if sig else "",
                "function": (sig.signer_function or "") if sig else "",
                "signed_on": _("signed on %(date)s", date=iso_date(local.date(), "long")) if local else "",
                "signed_at": format_datetime(sig.signed_at, "long") if sig else "",
                "signed_at_value": local,
                "comment": sig.comment if sig else "",
            }
        )
    return rows


def _local_naive(at: datetime, report: Report) -> datetime:
    zone = ZoneInfo(report.snapshot["agreement"].get("timezone") or "Europe/Paris")
    return at.astimezone(zone).replace(tzinfo=None)


def chart_list(snapshot: dict[str, Any]) -> list[dict[str, str]]:
    """Return the report's charts (data URIs) with their captions and text alternatives, in the current locale.

    Each names the table beside it that gives the same figures (`table`, an element id). The chart of the period's
    milestones done against the period elapsed is left out once the period is wholly elapsed (a final report):
    the table's last column then says all it would."""
    from tracker.reports import charts

    period = snapshot["period"]
    found = [
        {
            "uri": charts.data_uri(charts.actions_chart(snapshot, _("Actions"))),
            "caption": _("Actions by status in each workstream."),
            "alt": _("Stacked bars of the number of actions by status for each workstream."),
            "table": "actions-table",
            "table_note": _("The table “Actions at a glance” gives the same figures."),
        },
        {
            "uri": charts.data_uri(charts.milestones_chart(snapshot, _("Milestones"))),
            "caption": _("Milestones met on time, met late and missed in each workstream."),
            "alt": _("Stacked bars of the milestones met on time, met late and missed for each workstream."),
            "table": "milestones-table",
            "table_note": _("The table “Milestones at a glance” gives the same figures."),
        },
    ]
    if (period["elapsed_percent"] or 0) < 100:
        found.append(
            {
                "uri": charts.data_uri(
                    charts.progress_chart(snapshot, _("Milestones of the period done"), _("Period elapsed"))
                ),
                "caption": _(
                    "Share of the period's milestones done, against the %(elapsed)s of the period elapsed.",
                    elapsed=percent(period["elapsed_percent"]),
                ),
                "alt": _(
                    "Bars of the percent of milestones done for each workstream, with a dashed line at the percent of the period elapsed."
                ),
                "table": "milestones-table",
                "table_note": _("The table “Milestones at a glance” gives the same figures."),
            }
        )
    return found


def context(report: Report, lang: str) -> dict[str, Any]:
    """Return what the report templates read (call inside `force_locale(lang)`)."""
    snapshot = report.snapshot
    return {
        **template_helpers(),
        **layout_context(snapshot),
        "emblem_uri": emblem_uri,
        "s": snapshot,
        "lang": lang,
        "charts": chart_list(snapshot),
        "signoff": signoff_rows(report),
        "status": str(report.status),
        "version": report.version,
        "list_limit": LIST_LIMIT,
        "title": title(report),
        "css": report_css(),
    }


def title(report: Report) -> str:
    snapshot = report.snapshot
    return f"{KIND[snapshot['period']['kind']]} · {period_title(snapshot['period'])} · {loc(snapshot['agreement']['title'])}"


def render_html(report: Report, lang: str) -> str:
    """Return the report as a self-contained HTML file in `lang`."""
    with force_locale(lang):
        return render_template("reports/standalone.html", **context(report, lang))


# The published files are archival and accessible: PDF/A-3u (ISO 19005-3: fonts embedded, sRGB output intent,
# XMP metadata, Unicode text) and tagged (a structure tree of headings, lists, tables and figures with their
# text alternatives, the document's language and title), so that a screen reader follows them.
PDF_OPTIONS = {"pdf_variant": "pdf/a-3u", "pdf_tags": True}


_printing = threading.local()

# pydyf compresses every stream of the PDF at zlib's highest level (9): for the final report that is a quarter of a
# second of CPU for 4 % smaller files. zlib's default level (6) compresses the same streams four times faster.
PDF_COMPRESSION_LEVEL = 6


class _ZlibAtLevel:
    """zlib as pydyf calls it, with `compressobj` at PDF_COMPRESSION_LEVEL whatever level pydyf asks for."""

    def __init__(self, module: Any) -> None:
        self._module = module

    def __getattr__(self, name: str) -> Any:
        return getattr(self._module, name)

    def compressobj(self, level: int = PDF_COMPRESSION_LEVEL, *args: Any, **kwargs: Any) -> Any:
        return self._module.compressobj(min(level, PDF_COMPRESSION_LEVEL), *args, **kwargs)


def _compress_faster() -> None:
    """Make pydyf (WeasyPrint's PDF writer, used by nothing else here) compress at PDF_COMPRESSION_LEVEL; idempotent."""
    import pydyf

    module = getattr(pydyf, "zlib", None)
    if module is not None and not isinstance(module, _ZlibAtLevel):
        pydyf.zlib = _ZlibAtLevel(module)


def _font_config() -> Any:
    """Return this thread's WeasyPrint font configuration, made on first use and kept for its later PDFs.

    Kept, the fonts Pango has loaded and measured serve the next report too; one per thread, since Pango's font
    map is not shared safely between threads."""
    config = getattr(_printing, "font_config", None)
    if config is None:
        from weasyprint.text.fonts import FontConfiguration

        config = _printing.font_config = FontConfiguration()
    return config


_loading = threading.Lock()
_loaded = False


def _load_printer() -> None:
    """Import WeasyPrint once in this process, the collector paused, then set aside (gc.freeze) what lives on.

    What is set aside, the application's and the libraries' objects (a few hundred thousand: modules, classes,
    Pango's declarations, compiled styles), is never walked again by the collector's full passes, nor by those of
    the interpreter's end (they cost more than half a second when a process that printed exits: the freeze is done
    again at exit). A full collection first: no garbage is set aside, only what was alive."""
    global _loaded
    with _loading:
        if _loaded:
            return
        enabled = gc.isenabled()
        gc.disable()
        try:
            import weasyprint  # noqa: F401  (imported on use: Pango is loaded only by those who print)

            _compress_faster()
            gc.collect()
            gc.freeze()
            atexit.register(gc.freeze)
            _loaded = True
        finally:
            if enabled:
                gc.enable()


@contextmanager
def printing() -> Iterator[None]:
    """Lay out a PDF with Python's cyclic garbage collector paused, then free the layout's garbage in one pass.

    The layout makes a few hundred thousand objects, most of them in reference cycles (boxes and their parents):
    the collector's passes while they are made would walk them again and again. Paused, they wait for one
    collection of the young generation at the end (a seventh of a second; the process's peak memory grows by
    no more than the layout's own, see bench/reports.py). The first use loads WeasyPrint (`_load_printer`).
    If another thread paused the collector too, the first to finish turns it back on."""
    _load_printer()
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.collect(0)
        if enabled:
            gc.enable()


def render_pdf(report: Report, lang: str, html: str | None = None) -> bytes:
    """Return the report as an A4, tagged PDF/A-3u in `lang`: cover, contents with page numbers, sections, sign-off.

    The same report and language give the same bytes (the file identifier is a digest of the content)."""
    document = html if html is not None else render_html(report, lang)
    with printing():
        from weasyprint import HTML

        pdf = HTML(string=document, base_url=str(CSS_PATH.parent)).write_pdf(font_config=_font_config(), **PDF_OPTIONS)
        return bytes(pdf)


def render(report: Report, lang: str, fmt: str) -> bytes:
    """Return the file of `report` in language `lang` and format `fmt` (pdf, xlsx or html)."""
    if fmt == "pdf":
        return render_pdf(report, lang)
    if fmt == "xlsx":
        from tracker.reports.xlsx import render_xlsx

        return render_xlsx(report, lang)
    if fmt == "html":
        return render_html(report, lang).encode("utf-8")
    raise ValueError(fmt)


def render_all(report: Report, lang: str) -> dict[str, bytes]:
    """Return every format of the report in `lang`, drawing the charts once for the HTML and the PDF."""
    from tracker.reports.xlsx import render_xlsx

    html = render_html(report, lang)
    return {"html": html.encode("utf-8"), "pdf": render_pdf(report, lang, html), "xlsx": render_xlsx(report, lang)}


def file_name(report: Report, lang: str, fmt: str) -> str:
    """Return the name of the report's file in `lang`, in that language's words: what report, which period, which
    version (« rapport-trimestriel-t3-2026-version-1.pdf », « eindverslag-2021-2026-versie-1.pdf »)."""
    period = report.snapshot["period"]
    with force_locale(lang):
        if period["kind"] in ("quarter", "agreement_year"):
            when: list[object] = [period_title(period)]
        elif period["kind"] == "final":
            when = [f"{period['start'][:4]}-{period['end'][:4]}"]
        else:
            when = [period["start"], period["end"]]
        return download_name(KIND[period["kind"]], *when, _("Version"), report.version, extension=fmt)
