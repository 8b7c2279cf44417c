"""The HTML, PDF and XLSX renditions show the snapshot's figures, in French, English and Dutch."""

from __future__ import annotations

import io
import re
import subprocess
from datetime import date

import pytest
from flask import Flask
from flask_babel import force_locale
from openpyxl import load_workbook
from sqlalchemy import select

from tests import factories
from tracker.actions.models import ActionStatus, Health, Indicator, Measurement, MilestoneStatus
from tracker.agreements.models import Agreement
from tracker.core.db import db
from tracker.reports import render, services
from tracker.reports.labels import ACTION_STATUS, MILESTONE_FIGURES
from tracker.reports.models import Report


def _report(agreement: Agreement, frozen_clock) -> Report:
    idf = factories.make_user("IDF")
    eco = factories.workstream(agreement, "ECO-DEV")
    culture = factories.workstream(agreement, "CULTURE")
    a = factories.make_action(
        eco, idf, title='=HYPERLINK("http://evil")', start_on=date(2026, 7, 1), due_on=date(2026, 9, 1)
    )
    factories.make_milestone(a, date(2026, 8, 3), title="+Comité de suivi")
    factories.make_milestone(a, date(2026, 7, 10), status=MilestoneStatus.DONE, completed_on=date(2026, 7, 20))
    b = factories.make_action(
        culture, idf, title="Saison croisée", health=Health.AT_RISK, start_on=date(2026, 1, 5), due_on=date(2026, 12, 1)
    )
    factories.make_milestone(b, date(2026, 9, 1), status=MilestoneStatus.DONE, completed_on=date(2026, 8, 30))
    factories.make_milestone(b, date(2026, 11, 15), title="Festival")
    factories.make_action(
        culture,
        idf,
        title="Projet abandonné",
        status=ActionStatus.CANCELLED,
        start_on=date(2026, 2, 1),
        due_on=date(2026, 8, 1),
    )
    report = services.generate_report(agreement, "2026-Q3")
    db.session.commit()
    return report


def _sections(text: str, headings: list[str]) -> list[str]:
    """Split the PDF text at each heading's last occurrence (the section, after the contents and tables)."""
    starts = []
    for heading in headings:
        pattern = r"\s+".join(re.escape(word) for word in heading.split())
        starts.append([m.start() for m in re.finditer(pattern, text)][-1])
    assert starts == sorted(starts)
    return [text[a:b] for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]


def _words(label: str) -> str:
    """Return a pattern of the label's words: a long label wraps in its narrow column."""
    return r"\s+".join(re.escape(word) for word in label.split())


# PDFs are slow to make: render one, in Dutch, on one backend.
@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_the_pdf_holds_every_workstream_and_its_figures(agreement: Agreement, frozen_clock, tmp_path) -> None:
    report = _report(agreement, frozen_clock)
    path = tmp_path / "report.pdf"
    path.write_bytes(render.render_pdf(report, "nl"))
    text = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "A4" in info
    cover, rest = text.split("Inhoud", 1)
    assert "Regio Île-de-France" in cover and "Brussels Hoofdstedelijk Gewest" in cover and "Kwartaalverslag" in cover
    with force_locale("nl"):
        statuses = {key: str(label) for key, label in ACTION_STATUS.items()}
        figures = {key: str(label) for key, label in MILESTONE_FIGURES.items()}
    workstreams = report.snapshot["workstreams"]
    sections = _sections(
        rest, [f"{n}. {ws['title']['nl']}" for n, ws in enumerate(workstreams, start=1)] + ["Wat veranderde sinds"]
    )
    # Each workstream's figures as lines of "label figure" pairs, between " · " (a line may wrap between words).
    for ws, section in zip(workstreams, sections, strict=False):
        for key, label in statuses.items():
            assert re.search(rf"[:·]\s+{_words(label)}\s+{ws['actions']['by_status'][key]}(\s+·|$)", section, re.M), (
                label
            )
        for key, label in figures.items():
            assert re.search(rf"[:·]\s+{_words(label)}\s+{ws['milestones'][key]}(\s+·|$)", section, re.M), label
    assert [ws["milestones"]["missed"] for ws in workstreams if ws["code"] == "ECO-DEV"] == [1]
    assert "+Comité de suivi" in sections[1] and "Festival" in sections[-3]
    # The sign-off block, and page numbers on the pages after the cover.
    assert "Ondertekening" in text and "Wacht op handtekening" in text
    # The report's title and period on every page after the cover, with its number.
    assert re.search(r"Kwartaalverslag · K3 2026 2 / \d+", text)


def test_the_spreadsheet_matches_the_snapshot(agreement: Agreement, frozen_clock) -> None:
    report = _report(agreement, frozen_clock)
    book = load_workbook(io.BytesIO(render.render(report, "en", "xlsx")))
    assert {"Summary", "Actions", "Milestones", "Indicators", "Changes", "Sign-off"} <= set(book.sheetnames)
    actions = book["Actions"]
    header = [c.value for c in actions[1]]
    rows = {r[1].value: r for r in actions.iter_rows(min_row=2)}
    for n, ws in enumerate(report.snapshot["workstreams"], start=1):
        row = rows[ws["title"]["en"]]
        assert row[0].value == n  # workstreams by number, not by their English code
        assert row[header.index("Total")].value == ws["actions"]["total"]
        assert row[header.index("Active")].value == ws["actions"]["by_status"]["active"]
        assert row[header.index("At risk")].value == ws["actions"]["by_health"]["at_risk"]
    milestones = book["Milestones"]
    header = [c.value for c in milestones[1]]
    totals = next(r for r in milestones.iter_rows(min_row=2) if r[1].value == "Whole agreement")
    assert totals[header.index("Missed")].value == report.snapshot["totals"]["milestones"]["missed"] == 1
    assert totals[header.index("Met late")].value == 1
    summary = {r[0].value: r[1] for r in book["Summary"].iter_rows()}
    assert summary["Period start"].is_date and summary["Period start"].value.date() == date(2026, 7, 1)
    assert summary["Version"].data_type == "n"
    listed = book["Missed and coming"]
    cells = [r for r in listed.iter_rows(min_row=2)]
    missed = next(r for r in cells if r[2].value == "+Comité de suivi")
    # Text that starts like a formula stays text and is marked to stay text when edited.
    assert missed[3].value == '=HYPERLINK("http://evil")' and missed[3].data_type == "s" and missed[3].quotePrefix
    assert missed[2].quotePrefix and missed[4].is_date


def test_the_spreadsheet_is_the_same_bytes_whenever_it_is_rendered(agreement: Agreement, frozen_clock) -> None:
    from datetime import timedelta

    report = _report(agreement, frozen_clock)
    first = render.render(report, "fr", "xlsx")
    frozen_clock.advance(timedelta(hours=3, seconds=7))
    assert render.render(report, "fr", "xlsx") == first
    book = load_workbook(io.BytesIO(first))
    assert book.properties.created == frozen_clock.now().replace(tzinfo=None) - timedelta(hours=3, seconds=7)


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("fr", ["Rapport trimestriel", "Chiffres clés", "Le développement économique", "Jalons"]),
        ("en", ["Quarterly report", "Key figures", "Economic development", "Milestones"]),
        ("nl", ["Kwartaalverslag", "Kerncijfers", "Economische ontwikkeling", "Mijlpalen"]),
    ],
)
def test_the_report_reads_in_three_languages(agreement: Agreement, frozen_clock, lang: str, words: list[str]) -> None:
    report = _report(agreement, frozen_clock)
    html = render.render(report, lang, "html").decode()
    assert f'<html lang="{lang}">' in html
    for word in words:
        assert word in html
    # Charts carry a text alternative and point at the table with the same figures.
    # (The quarter has wholly elapsed: no chart of the milestones done against the time elapsed.)
    assert html.count('<img src="data:image/svg+xml;base64,') == 2
    assert 'aria-describedby="milestones-table"' in html and 'id="milestones-table"' in html


def test_reports_generate_on_the_command_line(app: Flask, agreement: Agreement, frozen_clock) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(args=["reports", "generate", "--agreement", "idf-bxl-2021", "--period", "final"])
    assert result.exit_code == 0, result.output
    assert "idf-bxl-2021 final (version 1, 2021-09-23 to 2026-09-22), status draft" in result.output
    again = runner.invoke(args=["reports", "generate", "--agreement", "idf-bxl-2021", "--period", "final"])
    assert again.exit_code == 1 and "exists already (version 1)" in again.output
    newer = runner.invoke(
        args=["reports", "generate", "--agreement", "idf-bxl-2021", "--period", "final", "--regenerate"]
    )
    assert newer.exit_code == 0 and "version 2" in newer.output
    assert db.session.query(Report).count() == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--agreement", "idf-bxl-2021", "--period", "Q3"], "Error: Unknown period Q3"),
        (["--agreement", "idf-bxl-2021", "--period", "Y9"], "Error: This agreement’s years go from “Agreement year 1” to “Agreement year 5”."),
        (["--agreement", "nowhere", "--period", "final"], "Error: There is no agreement nowhere."),
    ],
)
def test_bad_input_gets_one_line_and_changes_nothing(
    app: Flask, agreement: Agreement, args: list[str], message: str
) -> None:
    result = app.test_cli_runner().invoke(args=["reports", "generate", *args])
    assert result.exit_code == 1
    assert result.output.strip().startswith(message) and len(result.output.strip().splitlines()) == 1
    assert "Traceback" not in result.output
    assert db.session.query(Report).count() == 0


@pytest.mark.parametrize(("lang", "previous"), [("fr", "T2 2026"), ("nl", "K2 2026")])
def test_a_report_names_the_report_it_is_compared_with_and_its_commitments_as_readers_do(
    agreement: Agreement, frozen_clock, lang: str, previous: str
) -> None:
    earlier = services.generate_report(agreement, "2026-Q2")
    for party in ("IDF", "BXL"):  # published: a report is compared with the last one its readers had
        services.sign_report(factories.make_user(party, "reviewer"), earlier)
    report = services.generate_report(agreement, "2026-Q3")
    db.session.commit()
    page = render.render_html(report, lang)
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert f" {previous} (" in text and "2026-Q2" not in text
    # Commitments by their number in their workstream (« N° 1 »), never by their code (`ECO-PROD-1`, English words).
    codes = [c.code for ws in agreement.workstreams for c in ws.commitments]
    assert codes and not [code for code in codes if code in text]
    assert {"fr": "N°\u00a01</span>", "nl": "Nr.\u00a01</span>"}[lang] in page  # kept together on one line
    book = load_workbook(io.BytesIO(render.render(report, lang, "xlsx")), read_only=True)
    cells = {str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row if v}
    assert not set(codes) & cells


@pytest.mark.parametrize(("lang", "sheet", "period"), [("nl", "Samenvatting", "van "), ("fr", "Synthèse", "du ")])
def test_the_spreadsheet_names_the_period_and_formats_indicator_values_by_their_unit(
    agreement: Agreement, frozen_clock, lang: str, sheet: str, period: str
) -> None:
    people = db.session.scalars(
        select(Indicator).where(Indicator.agreement_id == agreement.id, Indicator.unit == "people")
    ).first()
    db.session.add(Measurement(indicator_id=people.id, measured_on=date(2026, 9, 1), value=68694.71))
    db.session.flush()
    report = services.generate_report(agreement, "final")
    db.session.commit()
    book = load_workbook(io.BytesIO(render.render(report, lang, "xlsx")))
    summary = [[c.value for c in row] for row in book[sheet].iter_rows()]
    shown = str(summary[2][1])
    assert shown.startswith(period) and "final" not in shown
    latest = [row for sheet_ in book.worksheets for row in sheet_.iter_rows() if any(c.value == 68695 for c in row)]
    assert latest, "the latest count of people is a whole number"
    cell = next(c for c in latest[0] if c.value == 68695)
    assert cell.number_format == "#,##0" and isinstance(cell.value, int)


def test_percentages_in_the_report_read_as_in_the_pages(agreement: Agreement, frozen_clock) -> None:
    report = _report(agreement, frozen_clock)
    page = render.render_html(report, "nl")
    text = re.sub(r"<[^>]+>", " ", page)
    # Dutch writes « 49% » (Babel's percent format), as the pages do, never « 49 % ».
    assert re.search(r"\d%", text) and not re.findall(r"\d[ \u00a0\u202f]%", text)
