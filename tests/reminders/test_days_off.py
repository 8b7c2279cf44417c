"""Days off of each party's administration: the defaults the `holidays` package lacks (Brussels' Iris Day),
the agreement file's, and those its admins keep in the browser; no digest goes out on them."""

from __future__ import annotations

from datetime import date

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests import factories
from tests.forms import submit_form
from tests.helpers import login, text
from tests.reminders.conftest import World, milestone_for
from tests.reminders.test_rules import items_on
from tracker.agreements.loader import load_agreement_file
from tracker.agreements.models import PartyDayOff
from tracker.core.audit import AuditEntry
from tracker.core.db import db
from tracker.mail.models import OutboxMessage
from tracker.reminders.sweep import sweep

IRIS_DAY = date(2026, 5, 8)  # a Friday: Victory Day in France, Iris Day for the Brussels-Capital Region


def test_on_iris_day_neither_brussels_nor_ile_de_france_get_a_digest(app: Flask, world: World) -> None:
    due = {p.email: milestone_for(world, p, date(2026, 5, 11)).id for p in (world.camille, world.lotte)}
    assert items_on(IRIS_DAY) == {}
    monday = items_on(date(2026, 5, 11))  # carried to the next working day of each
    assert {email: items["milestones"] for email, items in monday.items()} == {e: [i] for e, i in due.items()}


def test_the_agreement_file_brings_brussels_days_off_once(app: Flask, world: World) -> None:
    days = db.session.scalars(select(PartyDayOff.off_on).where(PartyDayOff.party_id == world.lotte.party_id)).all()
    assert date(2026, 11, 2) in days
    assert not load_agreement_file(factories.AGREEMENT_FILE).created["days off"]  # loaded again: no day twice
    assert sweep(date(2026, 11, 2)).non_working == ["BXL"]  # a Monday off in Brussels only


def test_an_admin_keeps_their_partys_days_off_in_the_browser(app: Flask, client: FlaskClient, world: World) -> None:
    admin = factories.make_user("BXL", "admin", language="en")
    milestone_for(world, world.lotte, date(2026, 12, 4))
    milestone_for(world, world.camille, date(2026, 12, 4))
    login(client, admin.email)
    page = client.get("/admin/days-off")
    assert page.status_code == 200 and "Iris Day" in text(page) and "Monday, November 2, 2026" in text(page)
    bad = submit_form(client, page, action="/admin/days-off", fields={"on": "someday", "label": "x"})
    assert bad.status_code == 422 and 'aria-invalid="true"' in text(bad)
    for language, name in (("fr", "Fête de l’Iris"), ("nl", "Irisfeest")):
        admin.language = language
        db.session.commit()
        named = text(client.get("/admin/days-off"))
        assert name in named and "Iris Day" not in named
    admin.language = "en"
    db.session.commit()
    fields = {"on": "2026-12-01", "label": "Journée de l’administration"}
    done = submit_form(client, page, action="/admin/days-off", fields=fields, follow_redirects=True)
    assert "Tuesday, December 1, 2026" in text(done) and "Journée de l’administration" in text(done)
    twice = submit_form(client, done, action="/admin/days-off", fields=fields)
    assert twice.status_code == 422 and "already a day off" in text(twice)

    found = items_on(date(2026, 12, 1))
    assert world.camille.email in found and world.lotte.email not in found
    assert (
        db.session.scalar(
            select(AuditEntry.verb).where(AuditEntry.entity == "day_off", AuditEntry.actor_id == admin.id)
        )
        == "create"
    )

    idf_admin = app.test_client()
    login(idf_admin, factories.make_user("IDF", "admin", language="en").email)
    assert "Journée de l’administration" not in text(idf_admin.get("/admin/days-off"))

    removed = submit_form(client, "/admin/days-off", action="/admin/days-off/2026-12-01/delete", follow_redirects=True)
    assert "Journée de l’administration" not in text(removed)
    db.session.execute(OutboxMessage.__table__.delete())
    db.session.commit()  # the sweep reads in a transaction of its own: what it reads is committed
    assert world.lotte.email in items_on(date(2026, 12, 1))


def test_only_admins_keep_days_off(app: Flask, client: FlaskClient, world: World) -> None:
    login(client, world.lotte.email)
    assert client.get("/admin/days-off").status_code == 403
