"""An action carried over into the successor lives on there: in the ended agreement it no longer changes (edits,
milestones, progress, moves), and each refusal points to its continuation."""

from __future__ import annotations

from datetime import date

import lxml.html
import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.factories import load_agreement, make_action, make_milestone, make_user, workstream
from tests.forms import form_path, page_forms, submit_form
from tests.helpers import login, text
from tests.smtp import SmtpSink
from tracker.actions import services
from tracker.actions.models import ActionStatus, MilestoneStatus, ProgressUpdate
from tracker.agreements.models import Agreement
from tracker.closeout import decisions, renewal
from tracker.closeout.models import Decision
from tracker.core.db import db
from tracker.core.errors import InvalidTransition
from tracker.mail.delivery import deliver_pending


@pytest.fixture
def ended(app: Flask, frozen_clock) -> Agreement:
    return load_agreement(ended=True)


def test_an_action_carried_over_refuses_changes_in_the_ended_agreement_and_points_to_its_continuation(
    client: FlaskClient, ended: Agreement
) -> None:
    owner = make_user("IDF", language="fr")
    carried = make_action(workstream(ended, "ECO-DEV"), owner, title="Mission croisée")
    step = make_milestone(carried, date(2026, 12, 1), title="Deuxième mission")
    make_milestone(carried, date(2026, 9, 1), title="Première mission")  # overdue in the ended agreement
    carried.due_on = date(2026, 9, 15)  # late there too
    decisions.decide(owner, ended, carried, Decision.CARRIED_OVER, "À poursuivre")
    db.session.commit()
    login(client, owner.email)
    before = client.get(f"/actions/{carried.id}")  # the page as rendered before the successor starts
    assert before.status_code == 200
    edits = {
        f"/actions/{carried.id}/progress": {"text": "Encore une étape", "percent": "60", "health": "on_track"},
        f"/actions/{carried.id}/edit": {"title": "Mission croisée renommée"},
        f"/milestones/{step.id}/edit": {"due_on": "2027-01-15"},
    }
    forms = {url: client.get(url) for url in edits}  # its forms, left open in a tab before the successor starts

    renewal.renew(
        ended,
        by=make_user("IDF", "admin"),
        slug="idf-bxl-2026",
        starts_on=date(2026, 9, 23),
        ends_on=date(2031, 9, 22),
        signed_on=date(2026, 9, 15),
    )
    db.session.commit()
    continuation = carried.continued_by
    refusal = (
        f"Cette action a été reportée dans l’accord idf-bxl-2026\u202f: elle s’y poursuit (action {continuation.id})"
    )

    # Its page in the ended agreement says where it went, offers no edit, and no list calls it late.
    page = text(client.get(f"/actions/{carried.id}"))
    assert "Reprise dans l’accord suivant" in page and "En cours" not in page
    assert "Modifier l’action" not in page and "Ajouter un jalon" not in page and "Consigner l’avancement" not in page
    for flag in ("overdue", "late"):
        listed = text(client.get(f"/agreements/idf-bxl-2021/workstreams/ECO-DEV?{flag}=1"))
        assert "Mission croisée" not in listed, flag

    for url, fields in edits.items():
        response = submit_form(client, forms[url], fields=fields)
        assert response.status_code == 422 and refusal in text(response), url
    # No new milestone in the ended agreement: its page says where the action went instead of offering a form.
    new_milestone = client.get(f"/actions/{carried.id}/milestones/new")
    assert 'name="title"' not in text(new_milestone) and refusal in text(new_milestone)
    with pytest.raises(InvalidTransition, match="carried over"):
        services.add_milestone(owner, carried, title="Troisième mission", due_on="2026-09-20")
    db.session.rollback()
    held = submit_form(
        client, before, action=f"/actions/{carried.id}/transition", match={"to": "on_hold"}, follow_redirects=True
    )
    assert refusal in text(held)
    done = submit_form(
        client, before, action=f"/milestones/{step.id}/transition", match={"to": "done"}, follow_redirects=True
    )
    assert refusal in text(done)

    db.session.expire_all()
    assert (carried.title, carried.status) == ("Mission croisée", ActionStatus.ACTIVE)
    assert (step.status, step.due_on, len(carried.milestones)) == (MilestoneStatus.PLANNED, date(2026, 12, 1), 2)
    assert db.session.query(ProgressUpdate).filter_by(action_id=carried.id).count() == 0
    # Its continuation, in the successor, is where the owner works now.
    logged = submit_form(
        client,
        f"/actions/{continuation.id}/progress",
        fields={"text": "Encore une étape", "percent": "60", "health": "on_track"},
    )
    assert logged.status_code == 303


def test_a_continued_action_s_forms_opened_by_address_show_why_and_link_to_its_continuation(
    client: FlaskClient, ended: Agreement
) -> None:
    owner = make_user("IDF", language="fr")
    carried = make_action(workstream(ended, "ECO-DEV"), owner, title="Mission croisée")
    step = make_milestone(carried, date(2026, 12, 1), title="Deuxième mission")
    decisions.decide(owner, ended, carried, Decision.CARRIED_OVER, "À poursuivre")
    renewal.renew(
        ended,
        by=make_user("IDF", "admin"),
        slug="idf-bxl-2026",
        starts_on=date(2026, 9, 23),
        ends_on=date(2031, 9, 22),
        signed_on=date(2026, 9, 15),
    )
    db.session.commit()
    continuation = carried.continued_by
    login(client, owner.email)

    for url in (
        f"/actions/{carried.id}/edit",
        f"/actions/{carried.id}/progress",
        f"/actions/{carried.id}/milestones/new",
        f"/milestones/{step.id}/edit",
    ):
        response = client.get(url)
        html = response.get_data(as_text=True)
        assert response.status_code == 200, url
        assert url not in {form_path(f) for f in page_forms(html, f"http://localhost{url}")}, url  # no form to fill
        notice = lxml.html.fromstring(html).xpath('//main//p[@role="status"]')
        assert notice, url
        said = notice[0].text_content()
        assert said.startswith("Cette action a été reportée dans l’accord idf-bxl-2026\u202f: elle s’y poursuit"), url
        link = notice[0].xpath(".//a")[0]
        assert link.get("href") == f"/actions/{continuation.id}", url
        assert (
            " ".join(link.text_content().split())
            == f"Poursuivie dans l’accord 2026–2031 comme action n° {continuation.id}"
        )
    # The continuation's own forms are there to fill in.
    url = f"/actions/{continuation.id}/progress"
    assert url in {form_path(f) for f in page_forms(client.get(url).get_data(as_text=True), f"http://localhost{url}")}


def test_carried_over_dates_before_the_successor_are_to_reschedule_not_late_until_the_owner_moves_them(
    client: FlaskClient, ended: Agreement, frozen_clock, mail_app: Flask, smtp_server: SmtpSink
) -> None:
    owner = make_user("IDF", language="fr")
    carried = make_action(
        workstream(ended, "ECO-DEV"), owner, title="Mission tardive", start_on=date(2025, 1, 8), due_on=date(2026, 9, 1)
    )
    old_step = make_milestone(carried, date(2026, 9, 6), title="Rapport de mission")  # late in the ended agreement
    make_milestone(carried, date(2027, 3, 1), title="Deuxième mission")
    decisions.decide(owner, ended, carried, Decision.CARRIED_OVER, "")
    renewal.renew(
        ended,
        by=make_user("IDF", "admin"),
        slug="idf-bxl-2026",
        starts_on=date(2026, 9, 23),
        ends_on=date(2031, 9, 22),
        signed_on=date(2026, 9, 15),
    )
    db.session.commit()
    continuation = carried.continued_by
    moved_step = next(m for m in continuation.milestones if m.title == "Rapport de mission")

    # The Monday digest after the carry-over (it covers the weekend): « à replanifier », and neither the lateness of
    # its milestone (85 days: a weekly overdue day) nor its silence (630 days since it started: a weekly stale day).
    assert _digest_items(owner, date(2026, 11, 30)) == {"to_reschedule": [continuation.id]}
    assert deliver_pending().sent == 1
    mail = smtp_server.to(owner.email)[0].part("plain")
    assert "ACTIONS REPORTÉES À REPLANIFIER" in mail and "Mission tardive" in mail and "Rapport de mission" not in mail
    login(client, owner.email)
    page = text(client.get(f"/actions/{continuation.id}"))
    assert "À replanifier\u202f: cette action a gardé des dates de l’accord terminé" in page
    assert "(1er sept. 2026, 6 sept. 2026)" in page
    html = client.get(f"/actions/{continuation.id}").get_data(as_text=True)
    assert 'badge--m-to_reschedule">À replanifier</span>' in html and "badge--m-overdue" not in html
    assert "badge--late" not in html  # its own due date, too, is from the ended agreement: not « En retard »
    listed = client.get("/agreements/idf-bxl-2026/workstreams/ECO-DEV").get_data(as_text=True)
    assert 'badge--m-to_reschedule">À replanifier</span>' in listed and "badge--late" not in listed
    board = client.get("/agreements/idf-bxl-2026/dashboard").get_data(as_text=True)  # counted neither late nor overdue
    assert (
        "<dt>Jalons en retard</dt><dd>0</dd>" in board
        and '<dt>Actions en retard</dt><dd class="figure-late">0</dd>' in board
    )

    # The owner sets new dates on the forms: the action is planned in the new agreement, and reminded as any other.
    submit_form(client, f"/actions/{continuation.id}/edit", fields={"due_on": "2027-06-30"})
    submit_form(client, f"/milestones/{moved_step.id}/edit", fields={"due_on": "2026-12-21"})
    page = text(client.get(f"/actions/{continuation.id}"))
    assert "À replanifier" not in page
    items = _digest_items(owner, date(2026, 12, 7))
    assert "to_reschedule" not in items and items["milestones"] == [moved_step.id]  # due in 14 days
    assert old_step.due_on == date(2026, 9, 6)  # the ended agreement's action keeps its own dates


def _digest_items(person, day: date) -> dict:
    """Run the reminder sweep on `day` and return the items of `person`'s digest of that day ({} when none)."""
    from datetime import UTC, datetime, time
    from zoneinfo import ZoneInfo

    from sqlalchemy import select

    from tracker.core import clock
    from tracker.mail.models import OutboxMessage
    from tracker.reminders.sweep import sweep

    clock.freeze(datetime.combine(day, time(7), ZoneInfo("Europe/Paris")).astimezone(UTC))
    db.session.commit()  # the sweep reads in a transaction of its own: what the pages saved is committed first
    sweep(day)
    db.session.commit()
    contexts = db.session.scalars(select(OutboxMessage.context).where(OutboxMessage.recipient == person.email)).all()
    return next((ctx["items"] for ctx in contexts if ctx.get("on") == day.isoformat()), {})
