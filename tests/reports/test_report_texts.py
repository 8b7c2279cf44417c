"""What a report says beyond its figures, as its readers find it in the HTML file of their language: the executive
summary first, each workstream's assessment (another language's text marked where one is missing), each action's
outcome, the close-out decisions of the final report, and the publication notice to everyone who worked on it."""

from __future__ import annotations

import io
from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import select

from tests.api.helpers import Api, assert_problem, token_for
from tests.factories import load_agreement, make_action, make_co_lead, make_milestone, make_user, workstream
from tests.forms import submit_form
from tests.helpers import login, logout
from tracker.actions.models import ActionStatus
from tracker.agreements.models import Agreement
from tracker.core.db import db
from tracker.mail.models import OutboxMessage
from tracker.reports import services
from tracker.reports.prepared import prepare_requested
from tracker.reports.render import render_html
from tracker.reports.xlsx import render_xlsx

NARRATIVES = "/agreements/idf-bxl-2021/narratives"


@pytest.fixture
def ended(app: Flask, frozen_clock) -> Agreement:
    return load_agreement(ended=True)


def test_the_report_reads_the_texts_in_each_language_and_marks_the_untranslated(
    client: FlaskClient, ended: Agreement
) -> None:
    lead, admin = make_user("IDF", language="fr"), make_user("BXL", "admin", language="nl")
    make_co_lead(workstream(ended, "ECO-DEV"), lead)
    login(client, lead.email)
    submit_form(
        client, f"{NARRATIVES}/final/ECO-DEV", fields={"text_fr": "Trois missions menées.\n\nLa suite : un salon."}
    )
    logout(client)
    login(client, admin.email)
    submit_form(client, f"{NARRATIVES}/final/summary", fields={"text_nl": "De samenwerking heeft veel opgeleverd."})
    report = services.generate_report(ended, "final", by=admin)
    db.session.commit()

    for lang in ("fr", "nl"):  # the scheduler prepares the files asked for, as it does every minute
        assert client.get(f"/reports/{report.id}/{lang}.html").status_code == 202
    prepare_requested()
    french = client.get(f"/reports/{report.id}/fr.html").text
    assert french.index("De samenwerking heeft veel opgeleverd.") < french.index('id="ws-ECO-DEV"')  # summary first
    assert "«\u202ftexte non traduit\u202f»" in french and "rédigé en néerlandais" in french
    assert "<p>Trois missions menées.</p>" in french and "<p>La suite : un salon.</p>" in french
    assert french.count("texte non traduit") == 1  # the assessment is in French: no marker
    dutch = client.get(f"/reports/{report.id}/nl.html").text
    assert "„niet vertaalde tekst”" in dutch and "geschreven in het Frans" in dutch  # Dutch quotes, not « »
    assert "«" not in dutch[dutch.index("untranslated-marker") :].split("</p>")[0]
    assert dutch.count("niet vertaalde tekst") == 1  # the summary is in Dutch: no marker
    assert "Beleidssamenvatting" in dutch and "Evaluatie door de co-leiders" in dutch


def test_a_report_generated_before_the_texts_existed_still_renders(app: Flask, ended: Agreement) -> None:
    report = services.generate_report(ended, "final")
    old = {k: v for k, v in report.snapshot.items() if k not in ("executive_summary", "closeout")}
    old["workstreams"] = [
        {k: v for k, v in ws.items() if k not in ("assessment", "action_list")} for ws in old["workstreams"]
    ]
    report.snapshot = old
    db.session.commit()
    html = render_html(report, "fr")
    assert "Note de synthèse" not in html and "Actions et résultats" not in html and "Décisions de clôture" not in html
    assert 'id="ws-ECO-DEV"' in html


def test_the_outcome_typed_on_completion_is_listed_with_the_action(
    client: FlaskClient, app: Flask, frozen_clock
) -> None:
    agreement = load_agreement()
    owner = make_user("IDF", language="fr")
    action = make_action(
        workstream(agreement, "ECO-DEV"), owner, title="Salon des start-up", start_on=date(2026, 10, 1)
    )
    make_action(workstream(agreement, "ECO-DEV"), owner, title="Mission sans résultat", start_on=date(2026, 10, 1))
    login(client, owner.email)
    response = submit_form(
        client,
        f"/actions/{action.id}",
        action=f"/actions/{action.id}/transition",
        match={"to": "completed"},
        fields={"outcome": "42 entreprises accompagnées, 3 contrats signés."},
        follow_redirects=True,
    )
    assert response.status_code == 200
    db.session.expire_all()
    assert (
        action.status == ActionStatus.COMPLETED and action.outcome == "42 entreprises accompagnées, 3 contrats signés."
    )
    report = services.generate_report(agreement, "2026-Q4")
    db.session.commit()
    html = render_html(report, "fr")
    start = html.index('<section id="ws-ECO-DEV"')
    section = html[start : html.index('<section id="ws-', start + 1)]
    assert "Actions et résultats" in section and "Salon des start-up" in section
    assert "42 entreprises accompagnées, 3 contrats signés." in section and "Terminée" in section
    assert "Mission sans résultat" in section and owner.name in section
    book = load_workbook(io.BytesIO(render_xlsx(report, "nl")))
    rows = [[c.value for c in row] for row in book["Acties en resultaten"].iter_rows()]
    assert [
        rows[1][1], rows[1][3], rows[1][7]
    ] == ["Salon des start-up", "Afgerond", "42 entreprises accompagnées, 3 contrats signés."]  # fmt: skip


def test_the_api_records_the_outcome_on_completion(client: FlaskClient, app: Flask, frozen_clock) -> None:
    agreement = load_agreement()
    owner = make_user("IDF")
    action = make_action(workstream(agreement, "ECO-DEV"), owner)
    api = Api(client, token_for(owner))
    answer = api.post(f"/actions/{action.id}/transitions", json={"to": "completed", "outcome": "Objectif atteint."})
    assert answer.status_code == 200 and answer.json["outcome"] == "Objectif atteint."
    too_long = make_action(workstream(agreement, "ECO-DEV"), owner)
    answer = api.post(f"/actions/{too_long.id}/transitions", json={"to": "completed", "outcome": "x" * 2001})
    assert_problem(answer, 422, "validation-failed")
    db.session.expire_all()
    assert too_long.status == ActionStatus.ACTIVE and too_long.outcome == ""


def test_the_final_report_alone_lists_the_close_out_decisions(client: FlaskClient, ended: Agreement) -> None:
    lead = make_user("BXL", language="fr", name="Bram Lead")
    make_co_lead(workstream(ended, "ECO-DEV"), lead)
    owner = make_user("IDF")
    action = make_action(workstream(ended, "ECO-DEV"), owner, title="Mission reportée", start_on=date(2026, 7, 1))
    login(client, lead.email)
    submit_form(
        client,
        "/agreements/idf-bxl-2021/close-out",
        fields={"action_ids": [str(action.id)], "decision": "cancelled", "note": "Budget non reconduit."},
    )
    final = services.generate_report(ended, "final")
    quarter = services.generate_report(ended, "2026-Q3")
    db.session.commit()
    html = render_html(final, "fr")
    closeout = html[html.index('id="closeout"') :]
    assert "Décisions de clôture" in closeout and "Mission reportée" in closeout
    assert "Budget non reconduit." in closeout and "Bram Lead" in closeout and "27 nov. 2026" in closeout
    assert 'href="#closeout"' in html
    assert 'id="closeout"' not in render_html(quarter, "fr")
    sheets = load_workbook(io.BytesIO(render_xlsx(final, "fr"))).sheetnames
    assert "Décisions de clôture" in sheets
    assert "Décisions de clôture" not in load_workbook(io.BytesIO(render_xlsx(quarter, "fr"))).sheetnames
    # The decision's reason is the action's outcome in the workstream's list too.
    start = html.index('<section id="ws-ECO-DEV"')
    assert "Budget non reconduit." in html[start : html.index('<section id="ws-', start + 1)]


def test_the_publication_notice_reaches_everyone_who_worked_on_it_in_their_language(
    app: Flask, ended: Agreement
) -> None:
    lead = make_user("BXL", language="nl", name="Bram Lead")
    make_co_lead(workstream(ended, "ECO-DEV"), lead)
    owner = make_user("IDF", language="fr", name="Camille Owner")
    make_action(workstream(ended, "ECO-DEV"), owner)
    bystander = make_user("IDF", language="fr", name="Not Involved")
    idf, bxl = make_user("IDF", "reviewer"), make_user("BXL", "reviewer")
    report = services.generate_report(ended, "final")
    db.session.commit()
    services.sign_report(idf, report)
    db.session.commit()
    services.sign_report(bxl, report)
    db.session.commit()
    published = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.dedupe_key.like(f"report:{report.id}:published:%"))
    ).all()
    by_email = {m.recipient: m for m in published}
    assert {lead.email, owner.email, idf.email, bxl.email} <= set(by_email)
    assert bystander.email not in by_email
    assert by_email[lead.email].subject.startswith("Gepubliceerd")
    assert by_email[owner.email].subject.startswith("Publié")


def test_the_spreadsheet_holds_the_sections_of_the_reports_kind_with_the_narratives(
    client: FlaskClient, ended: Agreement
) -> None:
    lead, admin = make_user("IDF", language="fr"), make_user("BXL", "admin", language="nl")
    make_co_lead(workstream(ended, "ECO-DEV"), lead)
    action = make_action(workstream(ended, "ECO-DEV"), lead, title="Salon", start_on=date(2026, 7, 1))
    make_milestone(action, date(2026, 10, 20), title="Salon d’automne")  # due after the end: « coming »
    login(client, lead.email)
    submit_form(client, f"{NARRATIVES}/final/ECO-DEV", fields={"text_fr": "Trois missions menées."})
    logout(client)
    login(client, admin.email)
    submit_form(client, f"{NARRATIVES}/final/summary", fields={"text_nl": "De samenwerking heeft veel opgeleverd."})
    final = services.generate_report(ended, "final", by=admin)
    quarter = services.generate_report(ended, "2026-Q3", by=admin)
    db.session.commit()

    book = load_workbook(io.BytesIO(render_xlsx(final, "fr")))
    summary = [[c.value for c in row] for row in book["Synthèse"].iter_rows()]
    assert [
        "Note de synthèse",
        "«\u202ftexte non traduit\u202f» (rédigé en néerlandais)\n\nDe samenwerking heeft veel opgeleverd.",
    ] in summary
    assert [
        f"Bilan des copilotes – {workstream(ended, 'ECO-DEV').text('title', 'fr')}",
        "Trois missions menées.",
    ] in summary
    cells = {str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row if v}
    # A final report has no next period: no « coming » column nor rows, as in its PDF.
    assert not {c for c in cells if "venir" in c} and "Salon d’automne" not in cells
    assert "Manqués et à venir" not in book.sheetnames
    quarter_book = load_workbook(io.BytesIO(render_xlsx(quarter, "fr")))
    quarter_cells = {str(v) for s in quarter_book.worksheets for row in s.iter_rows(values_only=True) for v in row if v}
    assert "À venir la période suivante" in quarter_cells and "Salon d’automne" in quarter_cells
