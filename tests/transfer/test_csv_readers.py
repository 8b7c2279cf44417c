"""CSV as each reader's spreadsheet opens it: `;` and a BOM for French and Dutch, `,` for English, a choice.

Each file is opened with the csv module and the separator of the reader's locale, as Excel or LibreOffice
set up in that language splits it on a double click; the links followed are those the pages render.
"""

from __future__ import annotations

import csv
import io
from datetime import date

import lxml.html
from openpyxl import load_workbook

from tests.api.helpers import Api, token_for
from tests.factories import make_action, make_milestone, make_user
from tests.forms import submit_form
from tests.helpers import login, text
from tracker.transfer.export import ACTION_EXPORT_COLUMNS
from tracker.transfer.sheets import to_csv

LOCALE_SEPARATOR = {"fr": ";", "nl": ";", "en": ","}


def _links(page, part: str) -> list[str]:
    tree = lxml.html.fromstring(page.get_data(as_text=True))
    return [a.get("href") for a in tree.iter("a") if part in (a.get("href") or "")]


def _open(body: bytes, delimiter: str) -> list[list[str]]:
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM: accents read right on a double click
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""), delimiter=delimiter))


def _some_actions(team) -> None:
    salon = make_action(team.ws, team.owner, title="Salon, « éco » ; 2027", due_on=date(2027, 6, 30))
    make_milestone(salon, date(2026, 12, 1), title="Stand")


def test_each_reader_gets_the_separator_of_their_spreadsheet_from_the_rendered_links(client, team, frozen_clock):
    _some_actions(team)
    for language, delimiter in LOCALE_SEPARATOR.items():
        reader = make_user("IDF", language=language)
        browser = client.application.test_client()  # each reader in their own browser
        login(browser, reader.email)
        page = browser.get("/agreements/idf-bxl-2021/import")
        csv_links = {
            # The file to read (columns headed in the reader's language) and the actions as an import template.
            ("actions", "reading"): [link for link in _links(page, "/export/actions.csv") if "layout" not in link],
            ("actions", "import"): [link for link in _links(page, "/export/actions.csv") if "layout=import" in link],
            ("milestones", "reading"): _links(page, "/export/milestones.csv"),
        }
        for (kind, layout), links in csv_links.items():
            assert [link.split("sep=", 1)[1].split("&", 1)[0] for link in links] == (
                ["semicolon", "comma"] if delimiter == ";" else ["comma", "semicolon"]
            )
            rows = _open(browser.get(links[0]).get_data(), delimiter)  # the reader's first choice
            if layout == "import":
                assert rows[0] == list(ACTION_EXPORT_COLUMNS), language
            assert all(len(row) == len(rows[0]) for row in rows)
            assert [row[2] for row in rows[1:]] == ["Salon, « éco » ; 2027"], (language, kind, layout)
            other = _open(browser.get(links[1]).get_data(), ";" if delimiter == "," else ",")
            assert other == rows  # the same table with the other separator


def test_an_unknown_separator_is_a_clear_400_and_the_api_offers_the_choice(client, team, frozen_clock):
    _some_actions(team)
    login(client, team.owner.email)
    refused = client.get("/agreements/idf-bxl-2021/export/actions.csv?sep=tab")
    assert refused.status_code == 400 and "sep=semicolon" in text(refused)

    api = Api(client, token_for(team.owner, scope="read"))
    default = _open(api.get("/actions/export?agreement=idf-bxl-2021").get_data(), ",")
    semicolons = _open(api.get("/actions/export?agreement=idf-bxl-2021&sep=semicolon").get_data(), ";")
    assert default == semicolons and default[0] == list(ACTION_EXPORT_COLUMNS)
    assert api.get("/actions/export?sep=tab").status_code == 422


def test_decimal_commas_go_with_semicolons() -> None:
    assert to_csv(["value", "count"], [[1.5, 3]], "semicolon").decode("utf-8-sig") == "value;count\r\n1,5;3\r\n"
    assert to_csv(["value", "count"], [[1.5, 3]], "comma").decode("utf-8-sig") == "value,count\r\n1.5,3\r\n"


def test_ids_are_numbers_in_every_export(client, team, frozen_clock):
    _some_actions(team)
    login(client, team.owner.email)
    for path, column in (
        ("actions.xlsx?layout=import", 0),  # action_ref
        ("actions.xlsx", 0),  # N° d’action
        ("milestones.xlsx", 0),  # N° de jalon
        ("milestones.xlsx", 1),  # N° d’action
    ):
        book = load_workbook(io.BytesIO(client.get(f"/agreements/idf-bxl-2021/export/{path}").get_data()))
        assert isinstance(book.worksheets[0][2][column].value, int), (path, column)


def test_a_semicolon_export_imports_back_through_the_page(client, team, empty_agreement, frozen_clock):
    _some_actions(team)
    login(client, team.owner.email)
    page = client.get("/agreements/idf-bxl-2021/import")
    exported = client.get(
        next(link for link in _links(page, ".csv") if "layout=import" in link)
    ).get_data()  # the actions as an import template
    assert b";" in exported.split(b"\r\n", 1)[0]

    done = submit_form(
        client,
        "/agreements/idf-bxl-copy/import",
        fields={"file": ("actions.csv", exported), "dry_run": None},
    )

    assert done.status_code == 201, text(done)
    again = _open(client.get("/agreements/idf-bxl-copy/export/actions.csv?layout=import").get_data(), ";")
    assert [row[2] for row in again[1:]] == ["Salon, « éco » ; 2027"]
