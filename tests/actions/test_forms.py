"""The action pages' forms: what a coordinator types, what is refused (with a message, changing nothing)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale, format_date
from sqlalchemy import func, select

from tests.forms import submit_form
from tests.helpers import csrf_check_off, login, logout, text
from tests.workspace.conftest import World
from tracker.actions.models import Action, ActionStatus, Attachment, Indicator, Measurement, Milestone, ProgressUpdate
from tracker.core.db import db

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
NEW = "/agreements/idf-bxl-2021/workstreams/ECO-DEV/actions/new"


def _action_form(world: World, **changes: object) -> dict[str, object]:
    values: dict[str, object] = {
        "title": "Rencontres économiques",
        "description": "Deux *rencontres* par an",
        "owner_id": str(world.owner.id),
        "lead_party_id": str(world.owner.party_id),
        "start_on": "2026-01-05",
        "due_on": "2026-12-18",
        "commitment_ids": [str(world.ws.commitments[0].id), str(world.ws.commitments[2].id)],
    }
    values.update(changes)
    return values


def _count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_a_coordinator_creates_an_action_serving_commitments(client: FlaskClient, world: World) -> None:
    login(client, world.owner.email)
    response = submit_form(client, NEW, fields=_action_form(world))
    assert response.status_code == 303
    action = db.session.scalars(select(Action).where(Action.title == "Rencontres économiques")).one()
    assert response.headers["Location"] == f"/actions/{action.id}"
    assert action.status == ActionStatus.DRAFT and action.due_on == date(2026, 12, 18)
    assert [c.code for c in action.commitments] == ["ECO-DEV-1", "ECO-DEV-3"]
    page = text(client.get(f"/actions/{action.id}"))
    # The commitments it serves, by number and text (« N° 3 »), never by code (`ECO-DEV-3`).
    assert "<em>rencontres</em>" in page and "<strong>N°\u00a03</strong> Développer des services" in page
    assert "ECO-DEV" not in re.sub(r"<[^>]*>", "", page)  # only in the links' addresses


def test_bad_action_input_is_refused_on_the_form_and_changes_nothing(client: FlaskClient, world: World) -> None:
    login(client, world.owner.email)
    page = client.get(NEW)
    before = _count(Action)
    cases = {
        "L’échéance ne peut pas précéder la date de début.": {"due_on": "2025-01-01"},
        "Un titre est nécessaire.": {"title": "   "},
        "200 caractères": {"title": "x" * 10_000},
        "AAAA-MM-JJ": {"start_on": "le 3 mars"},
    }
    for message, change in cases.items():
        response = submit_form(client, page, fields=_action_form(world, **change))
        assert response.status_code == 422, change
        assert message in text(response), (message, text(response)[-3000:])
        assert 'aria-invalid="true"' in text(response)
    response = submit_form(client, page, fields=_action_form(world, owner_id="999999"))
    assert response.status_code == 422
    response = submit_form(client, page, fields=_action_form(world, commitment_ids=["abc"]))
    assert response.status_code == 422
    assert _count(Action) == before


def test_an_edit_from_a_stale_page_shows_the_conflict_and_saves_nothing(client: FlaskClient, world: World) -> None:
    edit = f"/actions/{world.action.id}/edit"
    login(client, world.owner.email)
    page = client.get(edit)  # both submits come from this page, at its version
    first = submit_form(client, page, fields=_action_form(world, title="Titre de Lotte"))
    assert first.status_code == 303
    stale = submit_form(client, page, fields=_action_form(world, title="Mon titre"))
    assert stale.status_code == 409
    assert "Titre de Lotte" in text(stale) and "Mon titre" in text(stale)
    db.session.expire_all()
    assert db.session.get(Action, world.action.id).title == "Titre de Lotte"


def test_milestones_are_added_and_moved_with_their_rules(client: FlaskClient, world: World) -> None:
    login(client, world.owner.email)
    new = f"/actions/{world.action.id}/milestones/new"
    page = client.get(new)
    early = submit_form(client, page, fields={"title": "Trop tôt", "due_on": "2025-12-01"})
    assert early.status_code == 422 and "prévu avant le début de l’action" in text(early)
    empty = submit_form(client, page, fields={"title": "", "due_on": ""})
    assert empty.status_code == 422 and "Un titre est nécessaire." in text(empty)
    assert submit_form(client, page, fields={"title": "Comité", "due_on": "2026-06-01"}).status_code == 303
    milestone = db.session.scalars(select(Milestone).where(Milestone.action_id == world.action.id)).one()
    edit = f"/milestones/{milestone.id}/edit"
    moved = submit_form(client, edit, fields={"due_on": "2026-07-01", "comment": "Salle prise"})
    assert moved.status_code == 303
    db.session.expire_all()
    milestone = db.session.get(Milestone, milestone.id)
    assert milestone.due_on == date(2026, 7, 1) and milestone.reschedule_count == 1
    assert "déplacé une fois" in text(client.get(f"/actions/{world.action.id}"))


def _log(client: FlaskClient, action: Action, **fields: object):
    """Fill and send the progress form of the action as its page renders it."""
    data = {"text": "Réunion tenue", "percent": "40", "health": "at_risk", **fields}
    return submit_form(client, f"/actions/{action.id}/progress", fields=data)


def test_the_progress_form_sent_twice_saves_one_log(client: FlaskClient, world: World, frozen_clock) -> None:
    """A double click, or Back and send again: the same rendered form saves one log, and says it is already saved."""
    login(client, world.owner.email)
    page = client.get(f"/actions/{world.action.id}/progress")
    fields = {"text": "Réunion tenue", "percent": "40", "health": "at_risk", "files": ("compte-rendu.pdf", PDF)}
    first = submit_form(client, page, fields=fields)
    assert first.status_code == 303
    again = submit_form(client, page, fields=fields)
    assert again.status_code == 303 and again.headers["Location"] == first.headers["Location"]
    shown = text(client.get(again.headers["Location"]))
    assert "Déjà enregistré" in shown and "Réunion tenue" in shown
    assert _count(ProgressUpdate) == 1 and _count(Attachment) == 1
    # Back fetches the form again (a new token) and the browser puts the note back: the same log still.
    fetched_again = _log(client, world.action, text="Réunion tenue", percent="40", health="at_risk")
    assert fetched_again.status_code == 303 and "Déjà enregistré" in text(client.get(fetched_again.headers["Location"]))
    assert _count(ProgressUpdate) == 1
    # Another note is another log; so is the same note an hour later.
    assert _log(client, world.action, text="Deuxième réunion").status_code == 303
    frozen_clock.advance(timedelta(hours=1))
    assert _log(client, world.action, text="Deuxième réunion").status_code == 303
    assert _count(ProgressUpdate) == 3


def test_progress_is_logged_with_an_evidence_file_served_as_a_download(client: FlaskClient, world: World) -> None:
    login(client, world.owner.email)
    response = _log(client, world.action, files=("compte-rendu.pdf", PDF))
    assert response.status_code == 303
    db.session.expire_all()
    action = db.session.get(Action, world.action.id)
    assert action.percent == 40 and action.health == "at_risk"
    attachment = db.session.scalars(select(Attachment).where(Attachment.action_id == action.id)).one()
    page = text(client.get(f"/actions/{action.id}"))
    assert "compte-rendu.pdf" in page and f"/attachments/{attachment.id}/download" in page
    download = client.get(f"/attachments/{attachment.id}/download")
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.headers["Content-Type"] == "application/pdf"
    logout(client)
    login(client, world.outsider.email)
    assert client.get(f"/attachments/{attachment.id}/download").status_code == 404


def test_bad_progress_input_and_refused_files_change_nothing(app: Flask, client: FlaskClient, world: World) -> None:
    login(client, world.owner.email)
    for percent in ("-1", "101", "abc"):
        response = _log(client, world.action, percent=percent)
        assert response.status_code == 422 and "nombre entier de 0 à 100" in text(response)
    empty = _log(client, world.action, text="")
    assert empty.status_code == 422
    program = _log(client, world.action, files=("rapport.pdf", b"MZ\x90\x00" + bytes(200)))
    assert program.status_code == 422 and 'id="files-error"' in text(program)
    app.config.update(MAX_UPLOAD_BYTES=1000, MAX_CONTENT_LENGTH=4000)
    try:
        big = _log(client, world.action, files=("gros.pdf", b"%PDF-1.7\n" + bytes(2000)))
        assert big.status_code == 422 and 'id="files-error"' in text(big)
        huge = _log(client, world.action, files=("énorme.pdf", b"%PDF-1.7\n" + bytes(9000)))
        assert huge.status_code == 413 and "Le fichier est trop volumineux." in text(huge)
    finally:
        app.config.update(MAX_UPLOAD_BYTES=20 * 1024 * 1024, MAX_CONTENT_LENGTH=21 * 1024 * 1024)
    assert _count(ProgressUpdate) == 0 and _count(Attachment) == 0


def test_an_evidence_file_whose_name_lies_about_its_content_is_refused_naming_both(
    client: FlaskClient, world: World
) -> None:
    login(client, world.owner.email)
    program = _log(client, world.action, files=("photo.png", b"MZ\x90\x00" + bytes(200)))
    assert program.status_code == 422 and 'id="files-error"' in text(program)
    assert "Le nom du fichier se termine par .png, mais son contenu est au format EXE." in text(program)
    report = _log(client, world.action, files=("compte-rendu.xlsx", PDF))
    assert "Le nom du fichier se termine par .xlsx, mais son contenu est au format PDF." in text(report)
    assert _count(ProgressUpdate) == 0 and _count(Attachment) == 0


def test_a_co_lead_records_a_measurement_and_a_reviewer_may_not(
    client: FlaskClient, world: World, frozen_clock
) -> None:
    indicator = db.session.scalars(select(Indicator).where(Indicator.code == "BE-FR-EXPORT-SHARE")).one()
    path = f"/indicators/{indicator.id}/measurements/new"
    login(client, world.co_lead.email)
    page = client.get(path)
    bad = submit_form(client, page, fields={"measured_on": "2026-03-01", "value": "beaucoup"})
    assert bad.status_code == 422 and "Un nombre est nécessaire." in text(bad)
    for outside in ("1 234,5", "-0,5"):  # a share of exports is a percentage
        bad = submit_form(client, page, fields={"measured_on": "2026-03-01", "value": outside})
        assert bad.status_code == 422 and "Un pourcentage est compris entre 0 et 100." in text(bad)
    good = submit_form(client, page, fields={"measured_on": "2026-03-01", "value": "7.4", "source": "Douanes"})
    assert good.status_code == 303
    page = text(client.get("/agreements/idf-bxl-2021/workstreams/ECO-DEV"))
    assert "7,4" in page
    logout(client)
    login(client, world.reviewer.email)
    assert client.get(path).status_code == 403
    assert _count(Measurement) == 1


def test_a_reviewer_sees_no_edit_control_and_may_not_post(client: FlaskClient, world: World) -> None:
    login(client, world.reviewer.email)
    page = text(client.get(f"/actions/{world.action.id}"))
    assert "Modifier l’action" not in page and "Consigner l’avancement" not in page
    assert "Nouvelle action" not in text(client.get("/agreements/idf-bxl-2021/workstreams/ECO-DEV"))
    assert client.get(NEW).status_code == 403
    assert client.get(f"/actions/{world.action.id}/edit").status_code == 403
    with csrf_check_off(client.application):  # no page offers this user the form
        data = {"text": "Réunion tenue", "percent": "40", "health": "at_risk"}
        assert client.post(f"/actions/{world.action.id}/progress", data=data).status_code == 403
    assert _count(ProgressUpdate) == 0


def test_a_date_inside_an_error_reads_as_the_reader_writes_dates(client: FlaskClient, world: World) -> None:
    world.owner.language = "nl"
    db.session.commit()
    login(client, world.owner.email)
    start = world.action.start_on
    early = submit_form(
        client, f"/actions/{world.action.id}/milestones/new", fields={"title": "Te vroeg", "due_on": "2000-01-03"}
    )
    assert early.status_code == 422
    shown = text(early)
    assert start.isoformat() not in shown
    with force_locale("nl"):
        assert f"({format_date(start, 'long')})" in shown
