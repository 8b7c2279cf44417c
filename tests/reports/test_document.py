"""The report as a document: sections that belong to its kind, a cover with both emblems, a sign-off that names
each signatory's function and the local day, and a PDF that is tagged and archival (read with pypdf, not with
the library that wrote it)."""

from __future__ import annotations

import io
import itertools
import re
import subprocess
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from tests import factories
from tests.helpers import login, logout
from tracker.accounts.models import User
from tracker.actions import progress
from tracker.actions.models import Action, ActionStatus, Milestone, MilestoneStatus
from tracker.agreements.models import Agreement
from tracker.core.db import db
from tracker.reports import layout, render, services
from tracker.reports.labels import ACTION_FIGURES
from tracker.reports.models import Report

SECTION = re.compile(r'data-section="([a-z-]+)"')


UNBROKEN = "Programme" + "x" * 240 + "FIN"


def _activity(agreement: Agreement, title: str = "Saison culturelle") -> None:
    owner = factories.make_user("IDF")
    action = factories.make_action(
        factories.workstream(agreement, "CULTURE"),
        owner,
        title=title,
        start_on=date(2026, 7, 1),
        due_on=date(2026, 12, 1),
    )
    factories.make_milestone(action, date(2026, 8, 3), title="Saison croisée")
    factories.make_milestone(action, date(2026, 7, 10), status=MilestoneStatus.DONE, completed_on=date(2026, 7, 20))
    factories.make_milestone(action, date(2026, 10, 20), title="Festival d’automne")


@pytest.mark.parametrize("period", ["2026-Q3", "Y5", "final"])
def test_every_section_shown_belongs_to_the_reports_kind(agreement: Agreement, frozen_clock, period: str) -> None:
    _activity(agreement)
    report = services.generate_report(agreement, period)
    db.session.commit()
    kind = report.snapshot["period"]["kind"]
    for lang in ("fr", "nl"):
        html = render.render_html(report, lang)
        shown = set(SECTION.findall(html)) - {"cover", "contents"}
        assert shown and shown <= layout.sections(kind), (kind, shown - layout.sections(kind))
        assert {"figures", "workstreams", "notes", "signoff"} <= shown


def test_a_final_report_has_no_next_period(agreement: Agreement, frozen_clock) -> None:
    _activity(agreement)
    final = services.generate_report(agreement, "final")
    quarter = services.generate_report(agreement, "2026-Q3")
    db.session.commit()
    final_fr, quarter_fr = render.render_html(final, "fr"), render.render_html(quarter, "fr")
    # The quarter lists what comes next; the final report, covering the whole term, says nothing of a next period.
    assert "À venir la période suivante" in quarter_fr and "Festival d’automne" in quarter_fr
    assert "À venir la période suivante" not in final_fr and "période suivante" not in final_fr
    assert "Komend in de volgende periode" not in render.render_html(final, "nl")
    # Nor does it compare with a previous report it does not have.
    assert 'data-section="changes"' not in final_fr and 'data-section="changes"' in quarter_fr


def test_a_final_report_tells_outcomes_not_the_last_progress_notes(agreement: Agreement, frozen_clock) -> None:
    _activity(agreement)
    action = db.session.scalars(select(Action).where(Action.title == "Saison culturelle")).one()
    owner = db.session.get(User, action.owner_id)
    note = "Programmation à consolider au prochain trimestre."
    update = progress.log_progress(owner, action, text=note, percent=40, health="on_track")
    update.created_at = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)  # within the agreement's term and Q3
    final = services.generate_report(agreement, "final")
    quarter = services.generate_report(agreement, "2026-Q3")
    db.session.commit()
    for lang in ("fr", "nl"):
        final_html, quarter_html = render.render_html(final, lang), render.render_html(quarter, lang)
        assert 'data-section="highlights"' in quarter_html and note in quarter_html
        assert 'data-section="highlights"' not in final_html and note not in final_html
        assert 'data-section="outcomes"' in final_html and "Saison culturelle" in final_html
    assert "Faits marquants de la période" not in render.render_html(final, "fr")
    final_book = load_workbook(io.BytesIO(render.render(final, "fr", "xlsx")))
    quarter_book = load_workbook(io.BytesIO(render.render(quarter, "fr", "xlsx")))
    assert "Faits marquants" in quarter_book.sheetnames and "Faits marquants" not in final_book.sheetnames
    cells = {str(v) for sheet in final_book.worksheets for row in sheet.iter_rows(values_only=True) for v in row if v}
    assert note not in cells


def test_changes_are_told_against_the_last_published_report_never_a_draft_of_the_same(
    agreement: Agreement, frozen_clock
) -> None:
    _activity(agreement)
    services.generate_report(agreement, "final")
    again = services.generate_report(agreement, "final", regenerate=True)
    services.generate_report(agreement, "2026-Q3")
    quarter = services.generate_report(agreement, "2026-Q3", regenerate=True)
    db.session.commit()
    # A new version does not tell what changed since the draft it replaces, which nobody read.
    assert again.version == 2 and again.snapshot["changes"]["previous"] is None
    assert quarter.version == 2 and quarter.snapshot["changes"]["previous"] is None
    assert 'data-section="changes"' not in render.render_html(again, "fr")

    for party in ("IDF", "BXL"):  # the quarter is published: the readers had it
        services.sign_report(factories.make_user(party, "reviewer"), quarter)
    milestone = db.session.scalars(select(Milestone).where(Milestone.title == "Saison croisée")).one()
    milestone.status, milestone.completed_on = MilestoneStatus.DONE, date(2026, 9, 1)
    final = services.generate_report(agreement, "final", regenerate=True)
    db.session.commit()
    assert final.snapshot["changes"]["previous"]["period"] == "2026-Q3"
    assert [m["title"] for m in final.snapshot["changes"]["completed"]] == ["Saison croisée"]
    html = render.render_html(final, "fr")
    changes = html[html.index('data-section="changes"') :]
    assert "T3 2026" in changes[:3000] and "Saison croisée" in changes


def test_a_final_report_lists_the_actions_still_awaiting_a_close_out_decision(
    client: FlaskClient, agreement: Agreement, frozen_clock
) -> None:
    _activity(agreement)
    owner = factories.make_user("BXL")
    factories.make_action(
        factories.workstream(agreement, "ECO-DEV"), owner, title="Mission sans suite", status=ActionStatus.ON_HOLD
    )
    final = services.generate_report(agreement, "final")
    reviewer, admin = factories.make_user("IDF", "reviewer"), factories.make_user("BXL", "admin")
    db.session.commit()
    html = render.render_html(final, "fr")
    closeout = html[html.index('data-section="close-out"') : html.index('data-section="notes"')]
    assert "2 actions n’avaient pas encore de décision de clôture lorsque le rapport a été généré." in closeout
    for title, ws, status in (
        ("Saison culturelle", "CULTURE", "En cours"),
        ("Mission sans suite", "ECO-DEV", "Suspendue"),
    ):
        row = closeout[closeout.index(title) :].split("</tr>")[0]
        assert factories.workstream(agreement, ws).text("title", "fr") in row and status in row
    assert "Mission sans suite" in render.render_html(final, "nl")[html.index("close-out") :]
    book = load_workbook(io.BytesIO(render.render(final, "fr", "xlsx")))
    rows = [[c.value for c in row] for row in book["Décisions de clôture"].iter_rows()]
    assert ["Le développement économique", "Mission sans suite", "Pas encore de décision", "Suspendue"] in [
        r[:4] for r in rows
    ]
    # The reviewer before signing and the admin before generating are told.
    warning = "2 actions n’ont pas encore de décision de clôture"
    login(client, reviewer.email)
    assert warning in client.get(f"/reports/{final.id}").get_data(as_text=True)
    logout(client)
    login(client, admin.email)
    assert warning in client.get("/agreements/idf-bxl-2021/reports/").get_data(as_text=True)


def test_the_cover_shows_both_emblems_the_neutral_one_or_the_operators(
    app: Flask, agreement: Agreement, frozen_clock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = services.generate_report(agreement, "final")
    db.session.commit()
    html = render.render_html(report, "fr")
    assert html.count('class="emblem"') == 2
    assert 'alt="Emblème de Région Île-de-France"' in html and 'alt="Emblème de Région de Bruxelles-Capitale"' in html
    neutral = layout.neutral_emblem("BXL")
    assert ">BXL</text>" in neutral and layout.emblem_uri("BXL") in html
    (tmp_path / "IDF.png").write_bytes(b"\x89PNG\r\n\x1a\n-operator-emblem")
    monkeypatch.setitem(app.config, "REPORT_EMBLEMS_DIR", str(tmp_path))
    html = render.render_html(report, "fr")
    assert "data:image/png;base64,iVBORw0KGgotb3BlcmF0b3ItZW1ibGVt" in html  # the operator's file
    assert (
        layout.emblem_uri("BXL")
        == "data:image/svg+xml;base64," + __import__("base64").b64encode(neutral.encode()).decode()
    )


def _signed_final(agreement: Agreement, frozen_clock) -> Report:
    report = services.generate_report(agreement, "final")
    idf = factories.make_user("IDF", "reviewer", name="Hélène Moreau")
    idf.function = "Directrice des affaires européennes et internationales"
    bxl = factories.make_user("BXL", "reviewer", name="Jan Claes")
    # 23:30 UTC on 27 November is already 28 November in Brussels and Paris.
    frozen_clock.advance(timedelta(hours=15, minutes=30))
    services.sign_report(idf, report, "Conforme")
    services.sign_report(bxl, report)
    db.session.commit()
    return report


def test_the_sign_off_gives_name_function_party_and_local_day(agreement: Agreement, frozen_clock) -> None:
    report = _signed_final(agreement, frozen_clock)
    html = render.render_html(report, "fr")
    block = html[html.index('data-section="signoff"') :]
    assert "Hélène Moreau" in block and "Directrice des affaires européennes et internationales" in block
    assert "Région Île-de-France" in block and "Région de Bruxelles-Capitale" in block and "Jan Claes" in block
    assert "signé le 28 novembre 2026" in block
    assert not re.search(r"\d\d:\d\d:\d\d", block) and "+01" not in block and "UTC" not in block
    assert "ondertekend op 28 november 2026" in render.render_html(report, "nl")


def test_a_signature_keeps_the_function_the_signer_had(agreement: Agreement, frozen_clock) -> None:
    report = _signed_final(agreement, frozen_clock)
    [idf] = [s for s in report.signatures if s.party.code == "IDF"]
    idf.user.function = "Directrice générale adjointe"
    db.session.commit()
    html = render.render_html(report, "fr")
    assert "Directrice des affaires européennes et internationales" in html
    assert "Directrice générale adjointe" not in html


# The PDF is slow to make: one, in Dutch, on one backend.
@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_the_pdf_is_tagged_archival_titled_and_in_the_readers_language(
    agreement: Agreement, frozen_clock, tmp_path: Path
) -> None:
    _activity(agreement, title=UNBROKEN)
    report = _signed_final(agreement, frozen_clock)
    data = render.render_pdf(report, "nl")
    # No text, however long and unbroken, runs off the page.
    (tmp_path / "report.pdf").write_bytes(data)
    bbox = subprocess.run(
        ["pdftotext", "-bbox", str(tmp_path / "report.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    width = float(re.search(r'<page width="([\d.]+)"', bbox).group(1))
    right_edges = [float(x) for x in re.findall(r'xMax="([\d.]+)"', bbox)]
    assert "FIN" in bbox and right_edges and max(right_edges) <= width - 30  # inside the 16 mm margin
    pdf = PdfReader(io.BytesIO(data))
    root = pdf.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"] in (True, "true")
    assert root["/Lang"] == "nl"
    assert pdf.metadata.title.startswith("Eindverslag")
    xmp = root["/Metadata"].get_object().get_data().decode()
    part = re.search(r'pdfaid:part="(\d)"', xmp) or re.search(r"<pdfaid:part>(\d)</pdfaid:part>", xmp)
    assert part and int(part.group(1)) >= 2 and re.search(r"pdfaid:conformance=\"[ABU]\"", xmp)
    assert "Eindverslag" in xmp  # dc:title
    # Charts are figures with a text alternative in the structure tree.
    alternatives = _figure_alternatives(root["/StructTreeRoot"])
    assert any("Gestapelde" in alt or "Stacked" in alt for alt in alternatives), alternatives
    assert len(alternatives) >= 4  # two emblems and two charts
    # The same report gives the same bytes.
    assert render.render_pdf(report, "nl") == data


def _figure_alternatives(node, found: list[str] | None = None) -> list[str]:
    found = [] if found is None else found
    node = node.get_object() if hasattr(node, "get_object") else node
    if isinstance(node, dict):
        if node.get("/S") == "/Figure" and "/Alt" in node:
            found.append(str(node["/Alt"]))
        kids = node.get("/K")
        if kids is not None:
            _figure_alternatives(kids, found)
    elif isinstance(node, list):
        for kid in node:
            _figure_alternatives(kid, found)
    return found


def _fonts(pdf: PdfReader) -> set[str]:
    """The names of the fonts the PDF's pages draw with (subset prefix removed: `ABCDEF+Symbola` → `Symbola`)."""
    names = set()
    for page in pdf.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            names.add(str(font.get_object()["/BaseFont"]).lstrip("/").split("+")[-1])
    return names


def test_an_emoji_in_a_progress_note_is_drawn_in_the_pdf(agreement: Agreement, frozen_clock, tmp_path: Path) -> None:
    _activity(agreement)
    action = db.session.scalars(select(Action).where(Action.title == "Saison culturelle")).one()
    owner = db.session.get(User, action.owner_id)
    update = progress.log_progress(owner, action, text="Objectif atteint 🎉", percent=100, health="on_track")
    update.created_at = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)  # within the agreement's term
    db.session.commit()
    report = services.generate_report(agreement, "2026-Q3")  # a quarter's highlights (a final report has none)
    db.session.commit()
    data = render.render_pdf(report, "fr")
    (tmp_path / "report.pdf").write_bytes(data)
    shown = subprocess.run(["pdftotext", str(tmp_path / "report.pdf"), "-"], capture_output=True, text=True).stdout
    assert "Objectif atteint 🎉" in shown  # a glyph that reads back as the emoji, not a blank box
    fonts = _fonts(PdfReader(io.BytesIO(data)))
    assert {name.split("-")[0] for name in fonts} == {"DejaVu", "Symbola"}, fonts  # Symbola only where DejaVu lacks


def _words(pdf_path: Path) -> list[tuple[int, float, float, str]]:
    """Every word pdftotext reads in the PDF: (page, x, y, text), in the order it is drawn."""
    bbox = subprocess.run(["pdftotext", "-bbox", str(pdf_path), "-"], capture_output=True, text=True, check=True).stdout
    words = []
    for page, body in enumerate(re.split(r"<page ", bbox)[1:], start=1):
        for x, y, text in re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', body):
            words.append((page, float(x), float(y), text))
    return words


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_the_status_headers_of_the_pdf_tables_break_only_at_a_hyphen(
    agreement: Agreement, frozen_clock, tmp_path: Path
) -> None:
    """Before: the header « Brouillon » of « Actions at a glance » broke as « Brouillo / n » (French hyphenation
    has no break in it) while its neighbours hyphenated."""
    owner = factories.make_user("IDF")
    ws = factories.workstream(agreement, "CULTURE")
    for status in ActionStatus:
        factories.make_action(ws, owner, title=f"Action {status}", status=status, start_on=date(2026, 1, 5))
    report = services.generate_report(agreement, "final")
    db.session.commit()
    for lang in ("fr", "nl"):
        (tmp_path / f"{lang}.pdf").write_bytes(render.render_pdf(report, lang))
        words = _words(tmp_path / f"{lang}.pdf")
        with force_locale(lang):
            labels = [str(ACTION_FIGURES[key]) for key in report.snapshot["totals"]["actions"]["by_status"]]
        assert len(labels) >= 7  # every status a column, the final report's « carried over » too
        for label in labels:
            for word in label.split():
                split = [
                    (first[3], second[3])
                    for first, second in itertools.pairwise(words)
                    if first[3] + second[3] == word and not first[3].endswith("-")
                ]
                assert not split, (lang, word, split)


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_long_close_out_reasons_start_under_the_table_head_and_fill_their_pages(
    agreement: Agreement, frozen_clock, tmp_path: Path
) -> None:
    """Before: each row was kept whole, so a row with a 2,000-character reason (in a column a fifth of the page
    wide) jumped to the next page: the table's head was left alone and pages stayed half empty."""
    from tracker.closeout import decisions
    from tracker.closeout.models import Decision

    owner = factories.make_user("IDF")
    reason = " ".join(["Le partenaire s’est retiré et le budget a été réaffecté à d’autres projets."] * 26)
    assert 1900 < len(reason) <= 2000
    for n in range(3):
        action = factories.make_action(factories.workstream(agreement, "ECO-DEV"), owner, title=f"Mission {n}")
        decisions.decide(owner, agreement, action, Decision.CANCELLED, reason)
    final = services.generate_report(agreement, "final")
    db.session.commit()
    (tmp_path / "report.pdf").write_bytes(render.render_pdf(final, "fr"))
    words = _words(tmp_path / "report.pdf")
    heads = [page for (page, _x, _y, text), (_p, _x2, _y2, following) in itertools.pairwise(words)
             if (text, following) == ("Décidé", "par")]  # fmt: skip
    first_row = [page for (page, _x, _y, text), (_p, _x2, _y2, following) in itertools.pairwise(words)
                 if (text, following) == ("Mission", "0")]  # fmt: skip
    assert heads and first_row and first_row[-1] == heads[0], (heads, first_row)  # the head repeats on each page
    reason_pages = {page for page, _x, _y, text in words if text == "réaffecté" and page >= heads[0]}
    assert len(reason_pages) <= 3, sorted(reason_pages)  # 3 reasons of ~2,000 characters (5 pages before)
    # Each date of decision on one line (« 27 nov. 2026 »), not broken letter by letter in a narrow column.
    dates_on_one_line = [
        (page, y) for (page, _x, y, text), (page2, _x2, y2, following) in itertools.pairwise(words)
        if page >= heads[0] and (text, following) == ("nov.", "2026") and (page2, y2) == (page, y)
    ]  # fmt: skip
    assert len(dates_on_one_line) == 3, dates_on_one_line
