"""The report as a spreadsheet: a sheet per table, dates as dates, numbers as numbers, text never a formula."""

from __future__ import annotations

import io
import math
import zipfile
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from flask_babel import force_locale
from flask_babel import gettext as _

from tracker.actions.units import precision, unit_name
from tracker.reports.labels import (
    ACTION_FIGURES,
    DIRECTION,
    HEALTH,
    KIND,
    MILESTONE_FIGURES,
    REPORT_STATUS,
    loc,
    period_title,
)
from tracker.reports.layout import milestone_keys, shown_sections
from tracker.reports.narratives.labels import language_name, narrative_text
from tracker.reports.render import signoff_rows

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    from tracker.reports.models import Report

# A cell starting with one of these could be taken for a formula by a spreadsheet when edited.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
SHEET_NAME_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def _rounded(value: float | None, digits: int) -> float | int | None:
    """Return an indicator value rounded to its unit's decimals (an int when it has none); None stays None."""
    if value is None or not math.isfinite(value):
        return value
    return round(value) if digits == 0 else round(float(value), digits)


def _number_format(digits: int) -> str:
    """Return the spreadsheet number format of a value with `digits` decimals and thousands separators."""
    return "#,##0" + ("." + "0" * digits if digits else "")


def _bold() -> Any:
    from openpyxl.styles import Font

    return Font(bold=True)


def put_row(sheet: Worksheet, values: list[Any], *, bold: bool = False) -> None:
    """Append a row; text is stored as text (never a formula) and marked to stay text when edited."""
    sheet.append([None] * len(values))
    row = sheet.max_row
    for col, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=col)
        if isinstance(value, str):
            cell.value = value
            cell.data_type = "s"
            if value.startswith(FORMULA_STARTS):
                cell.quotePrefix = True
        else:
            cell.value = value
            if isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
        if bold:
            cell.font = _bold()


def _sheet(book: Workbook, title: str, header: list[str]) -> Worksheet:
    sheet = book.create_sheet(title.translate(SHEET_NAME_FORBIDDEN)[:31])
    put_row(sheet, header, bold=True)
    sheet.freeze_panes = "A2"
    return sheet


def _summary(book: Workbook, report: Report, s: dict[str, Any], lang: str) -> None:
    sheet = book.active
    sheet.title = _("Summary")[:31]
    tz = ZoneInfo(s["agreement"].get("timezone") or "Europe/Paris")
    generated = datetime.fromisoformat(s["generated_at"]).astimezone(tz).replace(tzinfo=None)
    rows: list[list[Any]] = [
        [_("Agreement"), loc(s["agreement"]["title"])],
        [_("Report"), str(KIND[s["period"]["kind"]])],
        [_("Period"), period_title(s["period"])],
        [_("Period start"), _day(s["period"]["start"])],
        [_("Period end"), _day(s["period"]["end"])],
        [_("Figures as of"), _day(s["period"]["as_of"])],
        [_("Generated at"), generated],
        [_("Version"), report.version],
        [_("Status"), str(REPORT_STATUS[str(report.status)])],
        [_("Period elapsed") + " (%)", s["period"]["elapsed_percent"]],
        [_("Milestones of the period done") + " (%)", s["totals"]["milestones"]["percent_done"]],
        [_("Actions"), s["totals"]["actions"]["total"]],
    ]
    for row in rows:
        put_row(sheet, row)
    sheet.cell(row=7, column=2).number_format = "yyyy-mm-dd hh:mm"
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 100
    _narratives(sheet, s, lang)


def _narrative(entry: dict[str, Any] | None, lang: str) -> str | None:
    """Return a frozen narrative in the reader's language, or the other language's text after the « untranslated
    text » marker, as the document shows it (None when none is written)."""
    shown = narrative_text(entry["texts"] if entry else None, lang)
    if shown is None:
        return None
    if shown["translated"]:
        return str(shown["text"])
    marker = _("“untranslated text”")  # quoted as the reader's language quotes
    written = _("written in %(language)s", language=language_name(shown["lang"]))
    return f"{marker} ({written})\n\n{shown['text']}"


def _narratives(sheet: Worksheet, s: dict[str, Any], lang: str) -> None:
    """Below the figures: the executive summary and each workstream's assessment, when the report's kind holds
    them (`layout.shown_sections`) and they were written (snapshots from before the narratives have none)."""
    from openpyxl.styles import Alignment

    shown = shown_sections(s)
    texts: list[tuple[str, str | None]] = []
    if "executive-summary" in shown:
        texts.append((_("Executive summary"), _narrative(s.get("executive_summary"), lang)))
    if "narrative" in shown:
        texts += [
            (f"{_('Assessment by the co-leads')} – {loc(ws['title'])}", _narrative(ws.get("assessment"), lang))
            for ws in s["workstreams"]
        ]
    written = [(title, text) for title, text in texts if text]
    if written:
        put_row(sheet, [])
    for title, text in written:
        put_row(sheet, [title, text])
        sheet.cell(row=sheet.max_row, column=1).font = _bold()
        for column in (1, 2):
            sheet.cell(row=sheet.max_row, column=column).alignment = Alignment(wrap_text=True, vertical="top")


def _per_workstream(book: Workbook, s: dict[str, Any]) -> None:
    statuses = [st for st in ACTION_FIGURES if st in s["totals"]["actions"]["by_status"]]
    actions = _sheet(
        book,
        _("Actions"),
        [
            _("Workstream"),
            _("Title"),
            _("Total"),
            *[str(ACTION_FIGURES[st]) for st in statuses],
            *[str(v) for v in HEALTH.values()],
        ],
    )
    figures = milestone_keys(s["period"]["kind"])  # no « coming » in a report without a next period
    milestones = _sheet(
        book,
        _("Milestones"),
        [_("Workstream"), _("Title"), *[str(MILESTONE_FIGURES[f]) for f in figures], _("Done / due") + " (%)"],
    )
    for code, title, block in [
        # Workstreams by their number in the agreement: their codes are English words (`YOUTH`).
        *[(n, loc(ws["title"]), ws) for n, ws in enumerate(s["workstreams"], start=1)],
        ("", _("Whole agreement"), s["totals"]),
    ]:
        a, m = block["actions"], block["milestones"]
        by_status = [a["by_status"][st] for st in statuses]
        put_row(actions, [code, title, a["total"], *by_status, *a["by_health"].values()], bold=not code)
        put_row(milestones, [code, title, *[m[f] for f in figures], m["percent_done"]], bold=not code)


def _lists(book: Workbook, s: dict[str, Any]) -> None:
    shown = shown_sections(s)
    listed = ("missed", "coming") if "coming" in shown else ("missed",)
    sheet = _sheet(
        book,
        _("Missed and coming") if "coming" in shown else str(MILESTONE_FIGURES["missed"]),
        [_("Status"), _("Workstream"), _("Milestone"), _("Action"), _("Due on")],
    )
    for ws in s["workstreams"]:
        for key in listed:
            for m in ws["lists"][key]:
                put_row(
                    sheet, [str(MILESTONE_FIGURES[key]), loc(ws["title"]), m["title"], m["action"], _day(m["due_on"])]
                )
    indicators = _sheet(
        book,
        _("Indicators"),
        [
            _("Workstream"),
            _("Indicator"),
            _("Unit"),
            _("Direction"),
            _("Baseline"),
            _("Baseline date"),
            _("Latest"),
            _("Latest date"),
            _("Target"),
            _("Target date"),
            _("Way to target") + " (%)",
        ],
    )
    scoped = [("", i) for i in s["indicators"]] + [
        (loc(ws["title"]), i) for ws in s["workstreams"] for i in ws["indicators"]
    ]
    for code, i in scoped:
        digits = precision(i["unit"])
        put_row(
            indicators,
            [
                code,
                loc(i["name"]),
                unit_name(i["unit"]),
                str(DIRECTION[i["direction"]]),
                _rounded(i["baseline"], digits),
                _day(i["baseline_on"]),
                _rounded(i["latest"], digits),
                _day(i["latest_on"]),
                _rounded(i["target"], digits),
                _day(i["target_on"]),
                i["progress_percent"],
            ],
        )
        row = indicators.max_row
        for column in (5, 7, 9):  # baseline, latest, target: numbers, shown with the unit's decimals and grouping
            indicators.cell(row=row, column=column).number_format = _number_format(digits)
    highlights = (
        _sheet(book, _("Highlights"), [_("Workstream"), _("Date"), _("Action"), _("Percent"), _("Health"), _("Text")])
        if "highlights" in shown
        else None  # a final report: the outcome of each action tells what it achieved
    )
    commitments = _sheet(book, _("Unaddressed commitments"), [_("Workstream"), _("No."), _("Commitment")])
    for ws in s["workstreams"]:
        for h in ws["highlights"] if highlights is not None else []:
            values = [loc(ws["title"]), _day(h["on"]), h["action"], h["percent"], str(HEALTH[h["health"]]), h["text"]]
            put_row(highlights, values)  # type: ignore[arg-type]
        for c in ws["unaddressed_commitments"]:
            # Numbered within their workstream as in the report (older snapshots kept only the code).
            put_row(
                commitments, [loc(ws["title"]), c["position"] + 1 if "position" in c else c["code"], loc(c["text"])]
            )


def _outcomes(book: Workbook, s: dict[str, Any]) -> None:
    """The actions of each workstream with their outcome, and a final report's close-out decisions (snapshots
    from before these parts have neither sheet)."""
    if any("action_list" in ws for ws in s["workstreams"]):
        sheet = _sheet(
            book,
            _("Actions and their outcomes"),
            [
                _("Workstream"),
                _("Action"),
                _("Owner"),
                _("Status"),
                _("Start"),
                _("Due on"),
                _("Progress") + " (%)",
                _("Outcome"),
            ],
        )
        for ws in s["workstreams"]:
            for a in ws.get("action_list", []):
                put_row(
                    sheet,
                    [
                        loc(ws["title"]),
                        a["title"],
                        a["owner"],
                        str(ACTION_FIGURES[a["status"]]),
                        _day(a["start_on"]),
                        _day(a["due_on"]),
                        a["percent"],
                        a["outcome"],
                    ],
                )
    if s.get("closeout") is not None and "close-out" in shown_sections(s):
        titles = {ws["code"]: loc(ws["title"]) for ws in s["workstreams"]}
        decisions = _sheet(
            book,
            _("Close-out decisions"),
            [_("Workstream"), _("Action"), _("Decision"), _("Reason or outcome"), _("Decided by"), _("On")],
        )
        for d in s["closeout"]["decisions"]:
            put_row(
                decisions,
                [
                    titles.get(d["workstream"], d["workstream"]),
                    d["action"],
                    _decision(d["decision"]),
                    d["note"],
                    d["by"],
                    _day(d["on"]),
                ],
            )
        # The actions still awaiting a decision when the report was generated, with their status instead.
        for a in s["closeout"].get("undecided", []):
            put_row(
                decisions,
                [
                    titles.get(a["workstream"], a["workstream"]),
                    a["action"],
                    _("No decision yet"),
                    str(ACTION_FIGURES[a["status"]]),
                    "",
                    None,
                ],
            )


def _decision(code: str) -> str:
    from flask import current_app

    label = current_app.jinja_env.globals.get("closeout_decision_label")
    return str(label(code)) if callable(label) else code


def _changes(book: Workbook, s: dict[str, Any]) -> None:
    if "changes" not in shown_sections(s):  # a final report with no earlier published report to compare with
        return
    sheet = _sheet(
        book,
        _("Changes"),
        [_("Change"), _("Workstream"), _("Milestone"), _("Action"), _("Was due on"), _("Due on"), _("Completed on")],
    )
    names = {"new": _("New milestones"), "completed": _("Completed milestones"), "slipped": _("Slipped milestones")}
    titles = {ws["code"]: loc(ws["title"]) for ws in s["workstreams"]}
    for key, name in names.items():
        for m in s["changes"][key]:
            put_row(
                sheet,
                [
                    name,
                    titles.get(m["workstream"], m["workstream"]),
                    m["title"],
                    m["action"],
                    _day(m.get("old_due_on")),
                    _day(m["due_on"]),
                    _day(m.get("completed_on")),
                ],
            )


def _signoff(book: Workbook, report: Report) -> None:
    signoff = _sheet(book, _("Sign-off"), [_("Party"), _("Signed by"), _("Function"), _("On"), _("Comment")])
    for row in signoff_rows(report):
        when = row["signed_at_value"]
        signer = row["user"] or _("Awaiting signature")
        put_row(signoff, [loc(row["party_name"]), signer, row["function"], when, row["comment"]])
        if when is not None:
            signoff.cell(row=signoff.max_row, column=4).number_format = "yyyy-mm-dd hh:mm"


def render_xlsx(report: Report, lang: str) -> bytes:
    """Return the report as an XLSX workbook in `lang`."""
    # Imported here: openpyxl costs about a second of CPU at import, which every command and worker would pay.
    from openpyxl import Workbook

    s = report.snapshot
    with force_locale(lang):
        book = Workbook()
        _summary(book, report, s, lang)
        _per_workstream(book, s)
        _lists(book, s)
        _outcomes(book, s)
        _changes(book, s)
        _signoff(book, report)
        book.properties.title = f"{KIND[s['period']['kind']]} {s['period']['key']}"
        book.properties.creator = "Cooperation tracker"
        # The same report gives the same bytes, whenever it is rendered (a download matches the kept file).
        generated = datetime.fromisoformat(s["generated_at"]).replace(tzinfo=None)
        book.properties.created = book.properties.modified = generated
    # Not book.save(): it stamps `modified` with the wall clock, and the bytes would change from second to second.
    from openpyxl.writer.excel import ExcelWriter

    buffer = io.BytesIO()
    ExcelWriter(book, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True)).save()
    return _stable_zip(buffer.getvalue())


def _stable_zip(data: bytes) -> bytes:
    """Return the workbook with its zip entries dated 1980-01-01 (zipfile dates them with the time of writing)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            fixed = zipfile.ZipInfo(entry.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = entry.external_attr
            target.writestr(fixed, source.read(entry.filename))
    return output.getvalue()
