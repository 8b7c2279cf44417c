"""The layout, the language switch and the health check."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from tests import factories
from tests.forms import submit_form
from tests.helpers import login, switch_language, text
from tracker.accounts.models import User
from tracker.core.db import db
from tracker.scheduling.models import SchedulerHeartbeat


def test_agreement_home_lists_the_nine_workstreams_in_french(client: FlaskClient, app: Flask) -> None:
    factories.load_agreement()
    user = factories.make_user("BXL", language="fr")
    login(client, user.email)
    page = text(client.get("/agreements/idf-bxl-2021/"))
    assert '<html lang="fr">' in page
    assert len(re.findall(r'<li class="card workstream">', page)) == 9
    assert "Le développement économique" in page and "Chantiers" in page


def test_language_switch_changes_the_page_and_is_remembered(client: FlaskClient, app: Flask) -> None:
    factories.load_agreement()
    user = factories.make_user("BXL", language="fr")
    user_id = user.id
    login(client, user.email)
    response = switch_language(client, "nl", "/agreements/idf-bxl-2021/")
    assert response.headers["Location"] == "/agreements/idf-bxl-2021/"
    page = text(client.get("/agreements/idf-bxl-2021/"))
    assert '<html lang="nl">' in page
    assert "Werksporen" in page and "Economische ontwikkeling" in page
    assert db.session.get(User, user_id).language == "nl"


def test_language_switch_refuses_an_outside_redirect(client: FlaskClient, app: Flask) -> None:
    response = submit_form(
        client, "/login", action="/language", fields={"next": "//evil.example"}, button=("lang", "en")
    )
    assert response.headers["Location"] == "/"
    assert '<html lang="en">' in text(client.get("/login"))


def test_anonymous_visitors_get_french_by_default(client: FlaskClient) -> None:
    page = text(client.get("/login"))
    assert '<html lang="fr">' in page and "Se connecter" in page


def test_pages_send_security_headers(client: FlaskClient) -> None:
    response = client.get("/login")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"


def test_unknown_page_is_a_friendly_404(client: FlaskClient) -> None:
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Cette page n’existe pas" in text(response)


def test_the_site_icon_answers_where_browsers_ask_and_pages_name_it(client: FlaskClient) -> None:
    icon = client.get("/favicon.ico")  # asked for by browsers without being named: no 404 in the logs
    assert icon.status_code == 200 and icon.mimetype == "image/x-icon"
    assert icon.get_data()[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert icon.cache_control.max_age and icon.cache_control.max_age >= 24 * 3600
    page = text(client.get("/login"))  # before signing in too; browsers without SVG icons fall back to /favicon.ico
    svg = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page)
    assert svg is not None and client.get(svg.group(1)).status_code == 200


def test_healthz_reports_database_and_scheduler(client: FlaskClient, app: Flask, frozen_clock) -> None:
    body = client.get("/healthz").get_json()
    assert body["database"] == "ok"
    assert body["scheduler"]["status"] == "unknown"
    db.session.add(
        SchedulerHeartbeat(
            name="host:1", host="host", pid=1, started_at=frozen_clock.now(), beat_at=frozen_clock.now(), is_leader=True
        )
    )
    db.session.commit()
    body = client.get("/healthz").get_json()
    assert body["scheduler"]["status"] == "ok"
    assert body["scheduler"]["leader"] == "host:1"
    assert body["scheduler"]["last_heartbeat_at"].startswith("2026-11-27T08:00:00")


def test_healthz_names_hosts_and_processes_only_to_admins_and_local_callers(
    client: FlaskClient, app: Flask, frozen_clock
) -> None:
    factories.load_agreement()
    beat = frozen_clock.now()
    db.session.add(SchedulerHeartbeat(name="sched-7:4242", host="sched-7", pid=4242, started_at=beat, beat_at=beat))
    db.session.commit()
    remote = {"REMOTE_ADDR": "203.0.113.9"}
    anonymous = client.get("/healthz", environ_base=remote)
    assert anonymous.status_code == 200
    body = anonymous.get_json()
    assert body["database"] == "ok" and body["scheduler"]["status"] == "ok"
    assert "sched-7" not in anonymous.get_data(as_text=True) and "4242" not in anonymous.get_data(as_text=True)

    assert client.get("/healthz").get_json()["scheduler"]["processes"][0]["pid"] == 4242  # from this machine
    coordinator, admin = app.test_client(), app.test_client()
    login(coordinator, factories.make_user("BXL", "coordinator").email)
    assert "sched-7" not in coordinator.get("/healthz", environ_base=remote).get_data(as_text=True)
    login(admin, factories.make_user("BXL", "admin").email)
    processes = admin.get("/healthz", environ_base=remote).get_json()["scheduler"]["processes"]
    assert processes[0]["host"] == "sched-7" and processes[0]["pid"] == 4242
