"""The end of an agreement: it ends by itself the day after its end date, its pages say so, new actions are
refused, and its reminders turn from lateness to close-out."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.factories import load_agreement, make_action, make_co_lead, make_milestone, make_user, workstream
from tests.forms import submit_form
from tests.helpers import login, logout, text
from tests.smtp import SmtpSink
from tracker.actions.models import Action, ActionStatus
from tracker.agreements.models import Agreement, AgreementStatus
from tracker.closeout.jobs import agreement_end
from tracker.core import clock
from tracker.core.audit import AuditEntry
from tracker.core.db import db
from tracker.mail.delivery import deliver_pending
from tracker.mail.models import OutboxMessage
from tracker.reminders.sweep import sweep
from tracker.scheduling.jobs import JobContext

PARIS = ZoneInfo("Europe/Paris")
END = date(2026, 9, 22)


def at(day: date, hour: int = 8) -> datetime:
    return datetime.combine(day, time(hour), PARIS).astimezone(UTC)


@pytest.fixture
def ended(app: Flask) -> Agreement:
    return load_agreement(ended=True)


def test_the_agreement_ends_by_itself_the_day_after_its_end_date(app: Flask) -> None:
    clock.freeze(at(END, 23))
    ended = load_agreement(ended=True)  # loaded on its last day: in force
    assert agreement_end(JobContext("agreement_end", clock.now())) == {"ended": []}
    assert ended.status == AgreementStatus.IN_FORCE
    clock.freeze(at(date(2026, 9, 23), 0))
    assert agreement_end(JobContext("agreement_end", clock.now())) == {"ended": ["idf-bxl-2021"]}
    db.session.refresh(ended)
    assert ended.status == AgreementStatus.ENDED
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.entity == "agreement", AuditEntry.verb == "end")
    ).one()
    assert (entry.verb, entry.actor_id, entry.changes["status"]) == ("end", None, ["in_force", "ended"])
    assert agreement_end(JobContext("agreement_end", clock.now())) == {"ended": []}  # once only
    clock.unfreeze()


def test_an_agreement_loaded_after_its_end_date_ends_at_once_as_the_job_would(app: Flask, frozen_clock) -> None:
    agreement = load_agreement(ended=True)  # ended on 22 September; today is 27 November
    assert agreement.status == AgreementStatus.ENDED
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.entity == "agreement", AuditEntry.verb == "end")
    ).one()
    assert (entry.actor_id, entry.agreement_id, entry.changes["status"]) == (None, agreement.id, ["in_force", "ended"])
    assert agreement_end(JobContext("agreement_end", clock.now())) == {"ended": []}  # nothing left for the job


def test_every_page_of_an_ended_agreement_says_so_in_the_readers_language(
    client: FlaskClient, ended: Agreement, frozen_clock
) -> None:
    owner = make_user("IDF", language="fr")
    action = make_action(workstream(ended, "CULTURE"), owner)
    make_action(workstream(ended, "CULTURE"), owner, status=ActionStatus.COMPLETED)
    login(client, owner.email)
    pages = [
        "/agreements/idf-bxl-2021/",
        "/agreements/idf-bxl-2021/dashboard",
        "/agreements/idf-bxl-2021/workstreams/CULTURE",
        f"/actions/{action.id}",
        "/agreements/idf-bxl-2021/reports/",
    ]
    for path in pages:
        body = text(client.get(path))
        assert "Cet accord a pris fin le 22 septembre 2026\u00a0:" in body, path
        assert "rapport final à générer" in body and "1 action à clôturer" in body, path
    assert "a pris fin" not in text(client.get("/agreements/"))  # the list of agreements is not one of its pages


def test_an_agreement_in_force_shows_no_end_notice(client: FlaskClient, app: Flask, frozen_clock) -> None:
    agreement = load_agreement()
    owner = make_user("BXL", language="nl")
    login(client, owner.email)
    assert agreement.ends_on > clock.today("Europe/Paris")
    assert "agreement-ended" not in text(client.get("/agreements/idf-bxl-2021/"))


def test_new_actions_are_refused_once_the_agreement_has_ended(
    client: FlaskClient, ended: Agreement, frozen_clock
) -> None:
    coordinator = make_user("IDF", language="fr")
    login(client, coordinator.email)
    assert "/actions/new" not in text(client.get("/agreements/idf-bxl-2021/workstreams/CULTURE"))  # not offered
    # Opened anyway (a bookmark): the refusal, not a form that would only be refused on submit.
    response = client.get("/agreements/idf-bxl-2021/workstreams/CULTURE/actions/new")
    assert response.status_code == 200 and 'name="title"' not in text(response)
    assert "Cet accord a pris fin le 22 septembre 2026" in text(response)
    assert "accord qui lui succède" in text(response)
    ended.ends_on = date(2026, 11, 1)  # the first of a month, as French writes it
    db.session.commit()
    page = text(client.get("/agreements/idf-bxl-2021/workstreams/CULTURE/actions/new"))
    assert "Cet accord a pris fin le 1er novembre 2026" in page


def test_the_api_refuses_new_actions_of_an_ended_agreement_and_names_the_way_out(
    client: FlaskClient, ended: Agreement, frozen_clock
) -> None:
    from tracker.accounts.services import create_api_token

    coordinator = make_user("BXL", language="nl")
    _, token = create_api_token(coordinator, name="script", scope="write")
    db.session.commit()
    response = client.post(
        "/api/v1/actions",
        json={"workstream_id": workstream(ended, "CULTURE").id, "title": "Festival 2027", "due_on": "2027-06-30"},
        headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"},
    )
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    problem = response.get_json()
    message = problem.get("detail") or problem["title"]
    assert "belong in the agreement that succeeds it" in message and "amendment has extended it" in message
    assert db.session.scalar(select(Action).where(Action.title == "Festival 2027")) is None


def test_an_ended_agreements_sweep_queues_close_out_items_only(app: Flask, ended: Agreement) -> None:
    ws = workstream(ended, "ECO-DEV")
    camille = make_user("IDF", name="Camille Martin", language="fr")
    lead_idf, lead_bxl = make_user("IDF", language="fr"), make_user("BXL", language="nl")
    make_co_lead(ws, lead_idf)
    make_co_lead(ws, lead_bxl)
    late = make_action(ws, camille, title="Mission tardive", start_on=date(2025, 1, 6))
    make_milestone(late, date(2026, 9, 8))  # 15 days overdue on the first day after the end
    proposed = make_action(ws, camille, title="Projet proposé", status=ActionStatus.PROPOSED)
    make_action(ws, camille, title="Mission terminée", status=ActionStatus.COMPLETED)

    def items_on(day: date) -> dict[str, dict[str, list[int]]]:
        clock.freeze(at(day, 7))
        sweep(day)
        rows = db.session.execute(select(OutboxMessage.recipient, OutboxMessage.context)).all()
        return {email: ctx["items"] for email, ctx in rows if ctx.get("on") == day.isoformat()}

    first = items_on(date(2026, 9, 23))  # a Wednesday, the day after the end
    expected = {"closeout": sorted([late.id, proposed.id])}
    assert first == {camille.email: expected, lead_idf.email: expected, lead_bxl.email: expected}
    assert items_on(date(2026, 9, 24)) == {}  # no overdue, stale or approval reminders in between
    assert items_on(date(2026, 9, 30)) == {camille.email: expected, lead_idf.email: expected, lead_bxl.email: expected}
    clock.unfreeze()


def test_reviewers_hear_the_final_report_waits_for_them_and_owners_hear_of_close_out_not_lateness(
    mail_app: Flask, smtp_server: SmtpSink
) -> None:
    from tracker.reports import services as reports

    ended = load_agreement(ended=True)
    ws = workstream(ended, "ECO-DEV")
    owner, lead = make_user("IDF", name="Camille Martin", language="fr"), make_user("BXL", language="nl")
    make_co_lead(ws, lead)
    reviewers = {party: make_user(party, "reviewer", language=lang) for party, lang in (("IDF", "fr"), ("BXL", "nl"))}
    late = make_action(ws, owner, title="Mission tardive", start_on=date(2025, 1, 6), due_on=date(2026, 9, 1))
    make_milestone(late, date(2026, 9, 8), title="Rapport de mission")  # overdue, and the action late
    silent = make_action(ws, owner, title="Mission silencieuse", start_on=date(2026, 1, 5))  # no progress for months
    day = date(2026, 11, 25)  # a Wednesday, nine weeks after the end: a close-out day of the weekly cadence
    clock.freeze(at(day, 7))
    try:
        final = reports.generate_report(ended, "final")
        db.session.commit()
        sweep(day)
        db.session.commit()
        rows = db.session.execute(select(OutboxMessage.recipient, OutboxMessage.context)).all()
        items = {email: ctx["items"] for email, ctx in rows if ctx.get("on") == day.isoformat()}
        assert deliver_pending().sent == 4
    finally:
        clock.unfreeze()
    to_close = {"closeout": sorted([late.id, silent.id])}
    to_sign = {"reports": [final.id]}
    assert items == {
        owner.email: to_close,
        lead.email: to_close,
        reviewers["IDF"].email: to_sign,
        reviewers["BXL"].email: to_sign,
    }
    french = smtp_server.to(reviewers["IDF"].email)[0].part("plain")
    assert "Rapport final" in french and "Rapport de mission" not in french
    owners_mail = smtp_server.to(owner.email)[0].part("plain")
    assert "Mission tardive" in owners_mail and "Rapport de mission" not in owners_mail  # no milestone nagging


def test_an_outdated_final_report_is_not_announced_to_reviewers_its_admins_hear_it_must_be_regenerated(
    mail_app: Flask, smtp_server: SmtpSink
) -> None:
    from tracker.closeout import decisions
    from tracker.closeout.models import Decision
    from tracker.reports import services as reports

    ended = load_agreement(ended=True)
    ws = workstream(ended, "ECO-DEV")
    owner = make_user("IDF", name="Camille Martin", language="fr")
    first = make_action(ws, owner, title="Mission croisée", status=ActionStatus.ACTIVE)
    second = make_action(ws, owner, title="Salon commun", status=ActionStatus.ACTIVE)
    reviewer = make_user("BXL", "reviewer", language="nl")
    admins = {party: make_user(party, "admin", language=lang) for party, lang in (("IDF", "fr"), ("BXL", "nl"))}
    day = date(2026, 11, 25)
    clock.freeze(at(day, 7))
    try:
        final = reports.generate_report(ended, "final")
        db.session.commit()
        decisions.decide(owner, ended, first, Decision.COMPLETED, "Deux missions menées")
        decisions.decide(owner, ended, second, Decision.CANCELLED, "Salon annulé")
        db.session.commit()
        sweep(day)
        db.session.commit()
        rows = db.session.execute(select(OutboxMessage.recipient, OutboxMessage.context)).all()
        items = {email: ctx["items"] for email, ctx in rows if ctx.get("on") == day.isoformat()}
        deliver_pending()
    finally:
        clock.unfreeze()
    assert reviewer.email not in items  # the outdated report is not announced as waiting for a signature
    regenerate = {"final_to_regenerate": [final.id]}
    assert items[admins["IDF"].email] == regenerate and items[admins["BXL"].email] == regenerate
    french = smtp_server.to(admins["IDF"].email)[0].part("plain")
    assert "RAPPORTS FINAUX À RÉGÉNÉRER AVANT LEUR SIGNATURE" in french and "Rapport final" in french
    assert "Il doit être régénéré\u202f: 2 décisions de clôture prises depuis." in french
    dutch = smtp_server.to(admins["BXL"].email)[0].part("plain")
    assert "Het moet opnieuw gegenereerd worden: 2 afsluitingsbeslissingen genomen sindsdien." in dutch


def test_an_admins_digest_counts_the_decisions_since_the_final_report_once(app: Flask, count_queries) -> None:
    """The section that finds the final reports to regenerate counts the decisions taken since; the line that shows
    the count reuses it (the close-out decisions are read once per final report, not again for the note)."""
    from tracker.closeout import decisions
    from tracker.closeout.models import Decision
    from tracker.reminders.digest import preview_digest
    from tracker.reports import services as reports

    ended = load_agreement(ended=True)
    owner = make_user("IDF", language="fr")
    action = make_action(workstream(ended, "ECO-DEV"), owner, title="Mission croisée", status=ActionStatus.ACTIVE)
    admin = make_user("IDF", "admin", language="fr")
    day = date(2026, 11, 25)
    clock.freeze(at(day, 7))
    try:
        reports.generate_report(ended, "final")
        decisions.decide(owner, ended, action, Decision.COMPLETED, "Deux missions menées")
        db.session.commit()
        before = len(count_queries.statements)
        digest = preview_digest(admin, day)
    finally:
        clock.unfreeze()
    assert digest is not None and "1 décision de clôture prise depuis" in digest.text
    reads = [s for s in count_queries.statements[before:] if "closeout_decisions" in s and "JOIN actions" in s]
    assert len(reads) == 1, reads


def test_the_close_out_digest_reads_in_each_language(mail_app: Flask, smtp_server: SmtpSink) -> None:
    ended = load_agreement(ended=True)
    ws = workstream(ended, "CULTURE")
    lotte = make_user("BXL", name="Lotte Peeters", language="nl")
    camille = make_user("IDF", name="Camille Martin", language="fr")
    make_action(ws, lotte, title="Culturele uitwisseling")
    make_action(ws, camille, title="Échange culturel")
    clock.freeze(at(date(2026, 9, 23), 7))
    try:
        assert sweep(date(2026, 9, 23)).queued == 2
        assert deliver_pending().sent == 2
    finally:
        clock.unfreeze()
    dutch = smtp_server.to(lotte.email)[0].part("plain")
    assert "DE OVEREENKOMST IS AFGELOPEN" in dutch and "Culturele uitwisseling" in dutch and "Cultuur" in dutch
    french = smtp_server.to(camille.email)[0].part("plain")
    assert "L’ACCORD A PRIS FIN" in french and "Échange culturel" in french


def test_the_api_says_whether_the_agreement_has_ended(client: FlaskClient, ended: Agreement, frozen_clock) -> None:
    from tracker.accounts.services import create_api_token

    reader = make_user("BXL", "reviewer", language="nl")
    _, token = create_api_token(reader, name="lecture", scope="read")
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    body = client.get("/api/v1/agreements/idf-bxl-2021", headers=headers).get_json()
    assert (body["status"], body["ends_on"]) == ("ended", "2026-09-22")


def test_the_agreements_list_says_each_ones_status_and_pages_name_their_icon(
    client: FlaskClient, ended: Agreement, frozen_clock
) -> None:
    login(client, make_user("IDF", language="fr").email)
    page = client.get("/agreements/").get_data(as_text=True)
    assert "au 22 sept. 2026 · terminé</p>" in page
    icon = page.split('<link rel="icon" href="', 1)[1].split('"', 1)[0]
    response = client.get(icon)
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"


def test_an_admin_regenerates_an_outdated_final_report_from_its_page(
    client: FlaskClient, ended: Agreement, frozen_clock
) -> None:
    """The page of a final report outdated by a later close-out decision offers its admins the button it speaks of;
    pressed, it makes a new version (the old one superseded); a reviewer sees the note without the button."""
    from tracker.closeout import decisions
    from tracker.closeout.models import Decision
    from tracker.reports import services as reports
    from tracker.reports.models import Report

    ws = workstream(ended, "ECO-DEV")
    owner = make_user("IDF", name="Camille Martin", language="fr")
    action = make_action(ws, owner, title="Mission croisée", status=ActionStatus.ACTIVE)
    admin = make_user("IDF", "admin", language="fr")
    reviewer = make_user("BXL", "reviewer", language="fr")
    final = reports.generate_report(ended, "final")
    db.session.commit()
    decisions.decide(owner, ended, action, Decision.COMPLETED, "Mission menée")
    db.session.commit()
    final_id = final.id

    login(client, reviewer.email)
    seen = text(client.get(f"/reports/{final_id}"))
    assert "un administrateur le régénère" in seen and "Régénérer le rapport final" not in seen
    logout(client)

    login(client, admin.email)
    page = client.get(f"/reports/{final_id}")
    assert "Régénérer le rapport final" in text(page)
    response = submit_form(client, page, action=f"/reports/{final_id}/regenerate", fields={}, follow_redirects=True)
    assert response.status_code == 200
    shown = text(response)
    assert "Le rapport est généré (version 2)." in shown
    assert "Régénérer le rapport final" not in shown and "un administrateur le régénère" not in shown
    versions = db.session.execute(select(Report.version, Report.status).where(Report.agreement_id == ended.id)).all()
    assert sorted((v, str(s)) for v, s in versions) == [(1, "superseded"), (2, "draft")]
