"""Exports of actions and milestones: filters, typed XLSX cells, no formula injection."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime

import lxml.html
from openpyxl import load_workbook

from tests.api.helpers import Api, token_for
from tests.factories import make_action, make_milestone, make_user
from tests.forms import submit_form
from tests.helpers import login
from tracker.actions.models import ActionStatus
from tracker.transfer.export import ACTION_EXPORT_COLUMNS


def _csv(response, delimiter: str = ",") -> list[dict[str, str]]:
    """Read a CSV answer; pages default to `;` for the French and Dutch readers of these tests, the API to `,`."""
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig")), delimiter=delimiter))


def test_export_applies_the_filters_and_lists_each_milestone(client, team, frozen_clock):
    active = make_action(team.ws, team.owner, title="Salon")
    make_milestone(active, date(2026, 12, 1), title="Stand")
    make_milestone(active, date(2027, 2, 1), title="Bilan")
    make_action(team.ws, team.owner, title="Ancienne", status=ActionStatus.COMPLETED)
    login(client, team.owner.email)
    rows = _csv(client.get("/agreements/idf-bxl-2021/export/actions.csv?status=active&layout=import"), ";")
    assert [(r["title"], r["milestone_title"], r["milestone_due_on"]) for r in rows] == [
        ("Salon", "Stand", "2026-12-01"),
        ("Salon", "Bilan", "2027-02-01"),
    ]
    everything = _csv(client.get("/agreements/idf-bxl-2021/export/actions.csv"), ";")
    assert {r["Action"] for r in everything} == {"Salon", "Ancienne"}
    milestones = _csv(client.get("/agreements/idf-bxl-2021/export/milestones.csv?status=active"), ";")
    assert [(m["Jalon"], m["En retard"]) for m in milestones] == [("Stand", "Non"), ("Bilan", "Non")]


def test_cells_that_a_spreadsheet_would_run_are_neutralised(client, team, frozen_clock):
    dangerous = ['=HYPERLINK("http://evil")', "+1+1", "-2", "@SUM(A1)", "\tcmd", "\rcmd"]
    for text in dangerous:
        make_action(team.ws, team.owner, title=text)
    api = Api(client, token_for(team.owner, scope="read"))
    rows = _csv(api.get("/actions/export?format=csv&agreement=idf-bxl-2021"))
    assert sorted(r["title"] for r in rows) == sorted("'" + t for t in dangerous)

    response = api.get("/actions/export?format=xlsx&agreement=idf-bxl-2021")
    assert response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.get_data())).worksheets[0]
    cells = [row[2] for row in sheet.iter_rows(min_row=2)]
    # The text as typed (no apostrophe the reader would see as data), in a text cell that stays text when
    # edited (quote prefix). Depending on the XML writer a carriage return may come back as a line feed.
    assert sorted(c.value.replace("\r", "\n") for c in cells) == sorted(t.replace("\r", "\n") for t in dangerous)
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    # Read raw, as another spreadsheet would: no formula anywhere, and a quote-prefix style exists.
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as book:
        assert "<f>" not in book.read("xl/worksheets/sheet1.xml").decode()
        assert 'quotePrefix="1"' in book.read("xl/styles.xml").decode()


def test_xlsx_keeps_dates_as_dates_and_numbers_as_numbers(client, team, frozen_clock):
    action = make_action(team.ws, team.owner, title="Salon", start_on=date(2026, 1, 5), due_on=date(2026, 12, 18))
    make_milestone(action, date(2026, 12, 1), title="Stand")
    login(client, team.owner.email)
    response = client.get("/agreements/idf-bxl-2021/export/actions.xlsx?layout=import")
    sheet = load_workbook(io.BytesIO(response.get_data())).worksheets[0]
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert row["start_on"] == datetime(2026, 1, 5) and sheet[2][header.index("start_on")].is_date
    assert row["milestone_due_on"] == datetime(2026, 12, 1)
    assert row["percent"] == 0 and isinstance(row["percent"], int)
    reading = load_workbook(io.BytesIO(client.get("/agreements/idf-bxl-2021/export/actions.xlsx").get_data()))
    header = [c.value for c in reading.worksheets[0][1]]
    cells = dict(zip(header, reading.worksheets[0][2], strict=True))
    assert cells["Début"].value == datetime(2026, 1, 5) and cells["Début"].is_date
    assert cells["Échéance du jalon"].value == datetime(2026, 12, 1) and cells["Échéance du jalon"].is_date
    assert cells["Avancement (%)"].value == 0 and isinstance(cells["Avancement (%)"].value, int)
    milestones = load_workbook(io.BytesIO(client.get("/agreements/idf-bxl-2021/export/milestones.xlsx").get_data()))
    first = [c.value for c in milestones.worksheets[0][2]]
    assert isinstance(first[0], int) and first[5] == datetime(2026, 12, 1) and first[8] is False  # typed: not overdue
    assert milestones.sheetnames == ["Jalons"]  # named in the reader's language (French here), not `milestones`


def test_exports_never_show_another_partys_agreement(client, team):
    outsider = Api(client, token_for(team.outsider))
    make_action(team.ws, team.owner, title="Salon")
    assert _csv(outsider.get("/actions/export?format=csv")) == []
    login(client, team.outsider.email)
    assert client.get("/agreements/idf-bxl-2021/export/actions.csv").status_code == 404


def test_templates(client, team):
    login(client, team.owner.email)
    rows = _csv(client.get("/agreements/idf-bxl-2021/import/template.csv"), ";")
    assert rows[0]["action_ref"] == "A1" and rows[1]["milestone_title"]
    xlsx = client.get("/agreements/idf-bxl-2021/import/template.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.get_data())).worksheets[0]
    assert [c.value for c in sheet[1]][:3] == ["action_ref", "workstream", "title"]
    assert Api(client, token_for(team.owner)).get("/import/template?format=xlsx").status_code == 200


def test_workstream_page_offers_exports_with_its_filters(client, team, frozen_clock):
    make_action(team.ws, team.owner, title="Active")
    make_action(team.ws, team.bxl_lead, title="Bruxelloise")
    login(client, team.owner.email)
    page = client.get("/agreements/idf-bxl-2021/workstreams/ECO-DEV?party=BXL")
    assert page.status_code == 200
    link = "/agreements/idf-bxl-2021/workstreams/ECO-DEV/export/actions.csv?sep=semicolon&amp;party=BXL"
    assert link in page.get_data(as_text=True)
    assert [r["Action"] for r in _csv(client.get(link.replace("&amp;", "&")), ";")] == ["Bruxelloise"]
    template = (
        "/agreements/idf-bxl-2021/workstreams/ECO-DEV/export/actions.csv?sep=semicolon&amp;layout=import&amp;party=BXL"
    )
    assert template in page.get_data(as_text=True)
    assert [r["title"] for r in _csv(client.get(template.replace("&amp;", "&")), ";")] == ["Bruxelloise"]


def test_an_actions_description_is_written_once_not_once_per_milestone(client, team, frozen_clock):
    action = make_action(team.ws, team.owner, title="Salon")
    action.description = "Une longue description. " * 40
    for month in (3, 6, 9):
        make_milestone(action, date(2027, month, 1), title=f"Étape {month}")
    login(client, team.owner.email)
    rows = _csv(client.get("/agreements/idf-bxl-2021/export/actions.csv?layout=import"), ";")
    assert [(r["action_ref"], r["title"], r["milestone_title"]) for r in rows] == [
        (str(action.id), "Salon", f"Étape {month}") for month in (3, 6, 9)
    ]
    assert [bool(r["description"]) for r in rows] == [True, False, False]


def test_a_description_downloaded_to_read_is_plain_text_and_the_import_layout_keeps_its_markdown(
    client, team, frozen_clock
):
    action = make_action(team.ws, team.owner, title="Salon")
    action.description = (
        "**Objectif** : réunir *vingt* entreprises.\n\n- un [stand](https://example.org/stand)\n- un bilan"
    )
    login(client, team.owner.email)
    sheet = load_workbook(io.BytesIO(client.get("/agreements/idf-bxl-2021/export/actions.xlsx").get_data())).worksheets[
        0
    ]
    header = [c.value for c in sheet[1]]
    read = sheet[2][header.index("Description")].value
    assert read == "Objectif : réunir vingt entreprises.\n\n- un stand (https://example.org/stand)\n- un bilan"
    rows = _csv(client.get("/agreements/idf-bxl-2021/export/actions.csv"), ";")
    assert rows[0]["Description"] == read
    kept = _csv(client.get("/agreements/idf-bxl-2021/export/actions.csv?layout=import"), ";")
    assert kept[0]["description"] == action.description  # edited and imported back as typed


def _file_names(response) -> tuple[str, str | None]:
    """Return the ASCII name and the UTF-8 name (`filename*`, RFC 6266) a download is sent under."""
    from urllib.parse import unquote

    header = response.headers["Content-Disposition"]
    assert header.startswith("attachment;"), header
    plain = header.split('filename="', 1)[1].split('"', 1)[0]
    utf8 = unquote(header.split("filename*=UTF-8''", 1)[1]) if "filename*=" in header else None
    return plain, utf8


def test_a_downloaded_file_is_named_in_the_readers_words(client, team, frozen_clock):
    make_action(team.ws, team.owner, title="Salon")
    theme = "chantier-le-développement-économique"
    expected = {
        "fr": [
            ("/workstreams/ECO-DEV/export/actions.xlsx", f"actions-{theme}-2026-11-27.xlsx"),
            ("/workstreams/ECO-DEV/export/milestones.csv", f"jalons-{theme}-2026-11-27.csv"),
            ("/export/actions.csv", "actions-2026-11-27.csv"),
            ("/workstreams/ECO-DEV/export/actions.csv?layout=import", f"actions-à-importer-{theme}-2026-11-27.csv"),
            ("/import/template.xlsx", "modèle-d-import-des-actions.xlsx"),
        ],
        "nl": [
            ("/workstreams/ECO-DEV/export/actions.xlsx", "acties-werkspoor-economische-ontwikkeling-2026-11-27.xlsx"),
            ("/export/milestones.xlsx", "mijlpalen-2026-11-27.xlsx"),
            ("/import/template.csv", "importsjabloon-voor-acties.csv"),
        ],
    }
    for language, downloads in expected.items():
        reader = make_user("IDF", language=language)
        browser = client.application.test_client()
        login(browser, reader.email)
        for path, name in downloads:
            plain, utf8 = _file_names(browser.get(f"/agreements/idf-bxl-2021{path}"))
            assert (utf8 or plain) == name, path
            ascii_name = name.translate(str.maketrans("éèà", "eea"))
            assert plain == ascii_name  # for clients that read no filename*


READING = {  # what each reader finds in the file they download to read: headers, words, dates as they write them
    "fr": {
        "header": ["N° d’action", "Chantier", "Action", "Description", "Responsable", "Partie pilote", "Statut"],
        "words": ["En cours", "En bonne voie", "Prévu"],
        "milestones": ["N° de jalon", "N° d’action", "Action", "Chantier", "Jalon", "Échéance", "Statut"],
        "late": "Oui",
        "party": "Région Île-de-France",
        "date": "01/12/2026",
    },
    "nl": {
        "header": ["Actienr.", "Werkspoor", "Actie", "Beschrijving", "Eigenaar", "Leidende partij", "Status"],
        "words": ["Lopend", "Op schema", "Gepland"],
        "milestones": ["Mijlpaalnr.", "Actienr.", "Actie", "Werkspoor", "Mijlpaal", "Vervaldatum", "Status"],
        "late": "Ja",
        "party": "Regio Île-de-France",
        "date": "01-12-2026",
    },
}


def test_a_reader_downloads_the_actions_in_their_language_and_the_import_template_apart(client, team, frozen_clock):
    salon = make_action(team.ws, team.owner, title="Salon", start_on=date(2026, 1, 5), due_on=date(2026, 12, 18))
    make_milestone(salon, date(2026, 12, 1), title="Stand")
    make_milestone(salon, date(2026, 11, 2), title="Invitations")  # overdue on the frozen 2026-11-27
    for language, expected in READING.items():
        reader = make_user("IDF", language=language)
        browser = client.application.test_client()
        login(browser, reader.email)
        page = lxml.html.fromstring(browser.get("/agreements/idf-bxl-2021/workstreams/ECO-DEV").get_data(as_text=True))
        to_read, template = page.find_class("export-links")
        assert "import" not in to_read.text_content().lower().replace("importer", "")
        links = [a.get("href") for a in to_read.iter("a")]

        book = load_workbook(io.BytesIO(browser.get(links[0]).get_data()))  # actions and milestones (XLSX)
        sheet = book.worksheets[0]
        header = [c.value for c in sheet[1]]
        assert header[: len(expected["header"])] == expected["header"], language
        first = dict(zip(header, sheet[2], strict=True))
        values = [c.value for c in sheet[2]]
        assert "Amélie Durand" in values and team.owner.email not in values  # people by name
        assert all(word in values for word in expected["words"][:2]) and "active" not in values
        assert expected["party"] in values and "IDF" not in values and "ECO-DEV" not in values
        start = first[header[9]]
        assert start.is_date and start.value == datetime(2026, 1, 5)
        assert start.number_format == "mm-dd-yy"  # Excel's built-in short date: shown as the reader's system writes it
        assert isinstance(values[8], int)  # progress, a number

        rows = _open_csv(browser.get(links[1]).get_data())  # the CSV for the reader's spreadsheet: `;` and a BOM
        assert rows[0][: len(expected["header"])] == expected["header"]
        assert expected["date"] in rows[1] + rows[2] and "2026-12-01" not in str(rows)
        assert expected["words"][2] in rows[1] + rows[2]

        milestones = _open_csv(browser.get(next(a for a in links if "milestones.csv" in a)).get_data())
        assert milestones[0][: len(expected["milestones"])] == expected["milestones"]
        late = dict(zip(milestones[0], next(r for r in milestones[1:] if "Invitations" in r), strict=True))
        assert late[milestones[0][8]] == expected["late"]  # overdue, in words

        # The import layout stays one click away, said to be the import template, and imports back.
        imported = [a.get("href") for a in template.iter("a") if "layout=import" in (a.get("href") or "")]
        assert len(imported) == 3
        assert [c.value for c in load_workbook(io.BytesIO(browser.get(imported[0]).get_data())).worksheets[0][1]] == [
            *ACTION_EXPORT_COLUMNS
        ]


def _open_csv(body: bytes) -> list[list[str]]:
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_a_file_downloaded_to_read_is_refused_by_the_import_saying_what_to_send(client, team, empty_agreement):
    make_action(team.ws, team.owner, title="Salon")
    login(client, team.owner.email)
    to_read = client.get("/agreements/idf-bxl-2021/export/actions.xlsx").get_data()
    refused = submit_form(
        client, "/agreements/idf-bxl-copy/import", fields={"file": ("actions.xlsx", to_read), "dry_run": None}
    )
    assert refused.status_code == 422
    problems = lxml.html.fromstring(refused.get_data(as_text=True)).xpath(
        "//section[@aria-labelledby='report-heading']//tbody/tr"
    )
    assert "modèle d’import" in problems[0].text_content()  # first, before the columns the file lacks
