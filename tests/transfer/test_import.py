"""Importing actions with their milestones: dry run, row-level errors, nothing written unless all is good."""

from __future__ import annotations

import io
from datetime import date

import lxml.html
from openpyxl import Workbook
from sqlalchemy import func, select

from tests.api.helpers import Api, assert_problem, token_for
from tests.factories import load_agreement, make_action, make_milestone, make_user
from tests.forms import submit_form
from tests.helpers import login, text
from tracker.actions.models import Action, Milestone
from tracker.agreements.models import Workstream
from tracker.core.db import db

HEADER = (
    "action_ref,workstream,title,description,owner_email,lead_party,start_on,due_on,milestone_title,milestone_due_on\n"
)


def _count() -> tuple[int, int]:
    return db.session.scalar(select(func.count(Action.id))), db.session.scalar(select(func.count(Milestone.id)))


def _upload(client, slug: str, data: bytes, dry_run: bool, name: str = "actions.csv"):
    fields = {"file": (name, data), "dry_run": "y" if dry_run else None}
    return submit_form(client, f"/agreements/{slug}/import", fields=fields)


def _api_upload(api: Api, slug: str, data: bytes, dry_run: bool, name: str = "actions.csv"):
    return api.client.post(
        f"/api/v1/agreements/{slug}/import?dry_run={'true' if dry_run else 'false'}",
        data={"file": (io.BytesIO(data), name)},
        headers=api._headers(None),
        content_type="multipart/form-data",
    )


def test_export_then_import_into_an_empty_agreement_gives_back_the_same(client, team, empty_agreement, frozen_clock):
    salon = make_action(team.ws, team.owner, title="Salon =1+1", start_on=date(2026, 2, 1), due_on=date(2026, 12, 18))
    make_milestone(salon, date(2026, 12, 1), title="Stand")
    make_milestone(salon, date(2027, 2, 1), title="-Bilan")
    make_action(team.ws, team.bxl_lead, title="Sans jalon", start_on=None, due_on=None)
    api = Api(client, token_for(team.admin))

    def snapshot(slug: str) -> set[tuple]:
        rows = api.get(f"/actions?agreement={slug}&per_page=100").get_json()["items"]
        result = set()
        for a in rows:
            ms = api.get(f"/actions/{a['id']}/milestones").get_json()["items"]
            key = (
                a["workstream"],
                a["title"],
                a["description"],
                a["owner"]["id"],
                a["lead_party"],
                a["start_on"],
                a["due_on"],
            )
            result.add((key, tuple((m["title"], m["due_on"]) for m in ms)))
        return result

    for fmt in ("csv", "xlsx"):
        exported = api.get(f"/actions/export?format={fmt}&agreement=idf-bxl-2021").get_data()
        checked = _api_upload(api, "idf-bxl-copy", exported, dry_run=True, name=f"a.{fmt}")
        assert checked.status_code == 200, checked.get_json()
        assert (checked.get_json()["actions"], checked.get_json()["milestones"]) == (2, 2)
        assert snapshot("idf-bxl-copy") == set()
    imported = _api_upload(api, "idf-bxl-copy", exported, dry_run=False, name="a.xlsx")
    assert imported.status_code == 201, imported.get_json()
    assert snapshot("idf-bxl-copy") == snapshot("idf-bxl-2021")
    copies = db.session.scalars(select(Action).join(Workstream).where(Workstream.agreement_id == empty_agreement.id))
    assert {a.status for a in copies} == {"draft"}


def test_dry_run_in_the_browser_then_import(client, team, frozen_clock):
    login(client, team.owner.email)
    data = (
        HEADER
        + f"A1,ECO-DEV,Forum,,{team.owner.email},IDF,2027-01-04,2027-06-30,Ouverture,2027-02-01\n"
        + "A1,,,,,,,,Clôture,2027-06-15\n"
    ).encode()
    before = _count()
    dry = _upload(client, "idf-bxl-2021", data, dry_run=True)
    assert dry.status_code == 200 and "1 action" in text(dry).replace("(s)", "")
    assert _count() == before
    done = _upload(client, "idf-bxl-2021", data, dry_run=False)
    assert done.status_code == 201, text(done)
    assert _count() == (before[0] + 1, before[1] + 2)


def test_bad_rows_are_listed_by_line_and_column_and_nothing_changes(client, team):
    api = Api(client, token_for(team.owner))
    data = (
        HEADER
        + f"A1,ECO-DEV,Bon,,{team.owner.email},IDF,2027-01-04,2027-06-30,,\n"
        + f"A2,NOPE,Atelier,,{team.owner.email},IDF,2027-13-45,2027-06-30,,\n"
        + "A3,ECO-DEV,Visite,,nobody@example.org,IDF,,,Jalon,demain\n"
        + f"A4,ECO-DEV,,,{team.owner.email},XX,2027-05-01,2027-04-01,,\n"
    ).encode()
    before = _count()
    response = _api_upload(api, "idf-bxl-2021", data, dry_run=False)
    problem = assert_problem(response, 422, "import-rejected")
    found = {(e["line"], e["column"]) for e in problem["row_errors"]}
    assert found == {
        (3, "workstream"),
        (3, "start_on"),
        (4, "owner_email"),
        (4, "milestone_due_on"),
        (5, "title"),
        (5, "lead_party"),
        (5, "due_on"),
    }
    assert _count() == before
    login(client, team.owner.email)
    page = _upload(client, "idf-bxl-2021", data, dry_run=True)
    assert page.status_code == 422 and "milestone_due_on" in text(page)


def test_wrong_columns_non_csv_and_too_many_rows(client, team):
    api = Api(client, token_for(team.owner))
    before = _count()
    wrong = _api_upload(api, "idf-bxl-2021", b"ref,name\nA1,x\n", dry_run=False)
    columns = {e["column"] for e in assert_problem(wrong, 422, "import-rejected")["row_errors"]}
    assert {"ref", "name", "action_ref", "owner_email"} <= columns

    # Names that claim no type: the reader judges the content.
    binary = _api_upload(api, "idf-bxl-2021", bytes(range(256)) * 10, dry_run=False, name="export")
    assert assert_problem(binary, 422, "import-rejected")["row_errors"][0]["line"] == 1

    zipped = _api_upload(api, "idf-bxl-2021", b"PK\x03\x04not really a workbook", dry_run=False, name="x.dat")
    assert_problem(zipped, 422, "import-rejected")

    row = f"A{{n}},ECO-DEV,Action {{n}},,{team.owner.email},IDF,,,,\n"
    big = (HEADER + "".join(row.format(n=n) for n in range(10_000))).encode()
    too_many = assert_problem(_api_upload(api, "idf-bxl-2021", big, dry_run=False), 422, "import-rejected")
    assert too_many["row_errors"] == [{"line": 5002, "column": "", "message": too_many["row_errors"][0]["message"]}]
    assert _count() == before


def test_xlsx_upload_and_reviewers_may_not_import(client, team):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.strip().split(","))
    sheet.append(
        [
            "X1",
            "ECO-DEV",
            "Visite",
            "",
            team.owner.email,
            "IDF",
            date(2027, 1, 4),
            date(2027, 3, 1),
            "Jalon",
            date(2027, 2, 1),
        ]
    )
    out = io.BytesIO()
    book.save(out)
    ok = _api_upload(Api(client, token_for(team.owner)), "idf-bxl-2021", out.getvalue(), dry_run=True, name="a.xlsx")
    assert ok.status_code == 200 and ok.get_json()["milestones"] == 1
    refused = _api_upload(
        Api(client, token_for(team.reviewer)), "idf-bxl-2021", out.getvalue(), dry_run=True, name="a.xlsx"
    )
    assert_problem(refused, 403, "forbidden")


def test_semicolons_french_dates_and_rows_of_one_action_that_disagree(client, team):
    api = Api(client, token_for(team.owner))
    header = HEADER.replace(",", ";")
    good = (header + f"B1;ECO-DEV;Atelier;;{team.owner.email};IDF;04/01/2027;30/06/2027;Jalon;01/03/2027\n").encode(
        "cp1252"
    )
    checked = _api_upload(api, "idf-bxl-2021", good, dry_run=True)
    assert checked.status_code == 200, checked.get_json()
    assert (checked.get_json()["actions"], checked.get_json()["milestones"]) == (1, 1)
    disagree = (
        HEADER
        + f"B1,ECO-DEV,Atelier,,{team.owner.email},IDF,2027-01-04,2027-06-30,Jalon,2027-03-01\n"
        + "B1,ECO-DEV,Autre titre,,,,2027-01-04,,Bilan,2027-06-01\n"
    ).encode()
    problem = assert_problem(_api_upload(api, "idf-bxl-2021", disagree, dry_run=True), 422, "import-rejected")
    assert [(e["line"], e["column"]) for e in problem["row_errors"]] == [(3, "title")]


def test_importing_the_same_file_twice_creates_nothing_the_second_time(client, team, frozen_clock, tmp_path):
    login(client, team.owner.email)
    path = tmp_path / "actions-2027.csv"
    path.write_bytes(
        (
            HEADER
            + f"A1,ECO-DEV,Forum des entreprises,,{team.owner.email},IDF,2027-01-04,2027-06-30,Ouverture,2027-02-01\n"
            + "A1,,,,,,,,Clôture,2027-06-15\n"
            + f"A2,ECO-DEV,Visite d’étude,,{team.owner.email},BXL,2027-03-01,2027-04-30,,\n"
        ).encode()
    )
    before = _count()
    first = _upload(client, "idf-bxl-2021", path.read_bytes(), dry_run=False, name=path.name)
    assert first.status_code == 201, text(first)
    assert _count() == (before[0] + 2, before[1] + 2)

    for dry_run in (True, False):
        again = _upload(client, "idf-bxl-2021", path.read_bytes(), dry_run=dry_run, name=path.name)
        page = text(again)
        assert again.status_code == 200, page
        assert "Rien à importer\u00a0: chaque ligne du fichier figure déjà dans l’accord." in page
        assert "3 lignes déjà dans l’accord, non recréées" in page
        assert "Forum des entreprises" in page and "Clôture" in page and "Visite d’étude" in page
        assert _count() == (before[0] + 2, before[1] + 2)


def test_an_export_sent_back_adds_only_the_milestone_written_into_it(client, team, frozen_clock):
    salon = make_action(team.ws, team.owner, title="Salon des PME")
    make_milestone(salon, date(2026, 12, 1), title="Stand")
    api = Api(client, token_for(team.owner))
    exported = api.get("/actions/export?format=csv&agreement=idf-bxl-2021").get_data(as_text=True)
    renamed = exported.replace("Salon des PME", "Salon des PME (2e édition)")  # matched by its reference, the id
    extra = f"{salon.id},ECO-DEV,,,,,,,Bilan du salon,2026-12-15,,,,\n"
    before = _count()
    answer = _api_upload(api, "idf-bxl-2021", (renamed + extra).encode(), dry_run=False)
    assert answer.status_code == 201, answer.get_json()
    body = answer.get_json()
    assert (body["actions"], body["milestones"]) == (0, 1)
    present = [(p["action_id"], p["milestone_title"]) for p in body["already_present"] if p["action_id"] == salon.id]
    assert present == [(salon.id, "Stand")]
    assert _count() == (before[0], before[1] + 1)
    again = _api_upload(api, "idf-bxl-2021", (renamed + extra).encode(), dry_run=False)
    assert again.status_code == 200 and (again.get_json()["actions"], again.get_json()["milestones"]) == (0, 0)
    assert _count() == (before[0], before[1] + 1)


def _workbook(owner_email: str) -> bytes:
    book = Workbook()
    book.active.append(HEADER.strip().split(","))
    book.active.append(["W1", "ECO-DEV", "Visite", "", owner_email, "IDF", date(2027, 1, 4), date(2027, 3, 1)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_file_whose_name_says_another_type_than_its_content_is_refused_naming_both(client, team, tmp_path):
    workbook = tmp_path / "actions.csv"  # a real workbook, saved under a CSV name
    workbook.write_bytes(_workbook(team.owner.email))
    before = _count()
    login(client, team.owner.email)
    page = _upload(client, "idf-bxl-2021", workbook.read_bytes(), dry_run=False, name=workbook.name)
    assert page.status_code == 422
    assert "Le nom du fichier se termine par .csv, mais son contenu est au format Excel (XLSX)." in text(
        page
    )  # on the form, by its file field
    assert 'id="file-error"' in text(page)

    api = Api(client, token_for(team.owner))
    pdf = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    refused = assert_problem(
        _api_upload(api, "idf-bxl-2021", pdf, dry_run=True, name="actions.xlsx"), 422, "validation-failed"
    )
    assert refused["errors"] == {"file": ["The file name ends in .xlsx, but its content is in PDF format."]}
    assert _count() == before


def test_an_ended_agreement_offers_no_import_and_refuses_one_its_exports_stay(client, app, frozen_clock):
    load_agreement(ended=True)
    coordinator = make_user("IDF", language="fr")
    login(client, coordinator.email)
    show = text(client.get("/agreements/idf-bxl-2021/"))
    assert "Exporter des actions (CSV, XLSX)" in show and "Importer ou exporter" not in show
    listing = text(client.get("/agreements/idf-bxl-2021/workstreams/CULTURE"))
    assert "/export/actions.xlsx" in listing and 'href="/agreements/idf-bxl-2021/import"' not in listing
    # Opened anyway (a bookmark): the refusal instead of the form, the exports still there.
    page = client.get("/agreements/idf-bxl-2021/import")
    assert page.status_code == 200 and 'name="file"' not in text(page)
    assert "Cet accord a pris fin le 22 septembre 2026\u202f: une nouvelle action a sa place" in text(page)
    assert "/agreements/idf-bxl-2021/export/actions.xlsx" in text(page)
    # Nothing can be imported back into it, so no import template is offered.
    assert "layout=import" not in text(page) and "modèle d’import" not in text(page)
    # Titled by what it offers, as the agreement's link to it reads (no « Importer »).
    shown = lxml.html.fromstring(text(page))
    assert shown.findtext(".//h1") == "Exporter des actions"
    assert shown.findtext(".//title").startswith("Exporter des actions")
    assert shown.xpath('string(//li[@aria-current="page"])') == "Exporter des actions"
    data = (
        HEADER + f"A1,CULTURE,Festival 2027,,{coordinator.email},IDF,2027-01-04,2027-06-30,Ouverture,2027-02-01\n"
    ).encode()
    before = _count()
    api = Api(client, token_for(coordinator))
    for dry_run in (True, False):
        refused = _api_upload(api, "idf-bxl-2021", data, dry_run=dry_run)
        problem = assert_problem(refused, 422, "validation-failed")
        assert "new actions belong in the agreement that succeeds it" in (problem.get("detail") or problem["title"])
    assert _count() == before
