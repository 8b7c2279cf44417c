"""Every admin page and export shows only what concerns the admin's party: with three agreements loaded
(Île-de-France ↔ Brussels, Île-de-France ↔ a third party "XXX", XXX ↔ "YYY"), nothing of an agreement the
admin's party did not sign appears: actions, progress texts, file names, mails, people in the filters.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from flask import Flask
from flask.testing import FlaskClient

from tests import factories
from tests.helpers import login, text
from tracker.accounts.models import User
from tracker.actions import services
from tracker.actions.progress import log_progress
from tracker.agreements.models import Agreement
from tracker.core.db import db
from tracker.mail.models import OutboxMessage
from tracker.mail.outbox import queue_mail
from tracker.reminders.settings import Cadence, save_cadence
from tracker.reports.services import generate_report, send_for_signoff

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _party(code: str) -> dict[str, Any]:
    return {"code": code, "name": {"fr": code, "en": code, "nl": code}, "country": "FR"}


def load_other_agreement(tmp_path: Path, slug: str, parties: list[dict[str, Any]]) -> Agreement:
    """Load a copy of the Île-de-France ↔ Brussels agreement under another slug, signed by `parties`."""
    data = yaml.safe_load(factories.AGREEMENT_FILE.read_text(encoding="utf-8"))
    data["slug"] = slug
    data["title"] = {"fr": f"Accord {slug}", "en": f"Agreement {slug}", "nl": f"Akkoord {slug}"}
    data["parties"] = parties
    path = tmp_path / f"{slug}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return factories.load_agreement(path)


def _activity(agreement: Agreement, owner: User, admin: User, tag: str) -> OutboxMessage:
    """Give an agreement an action, a progress text, a file and a sign-off mail, each marked with `tag`."""
    ws = factories.workstream(agreement, "ECO-DEV")
    action = services.create_action(admin, ws, title=f"{tag}-action", owner_id=owner.id, lead_party_id=owner.party_id)
    db.session.commit()
    action.status = "active"
    db.session.commit()
    services.store_evidence(owner, action, f"{tag}-file.pdf", io.BytesIO(PDF))
    log_progress(owner, action, text=f"{tag}-progress", percent=10, health="on_track")
    report = generate_report(agreement, "2026-Q1")
    send_for_signoff(report)
    db.session.commit()
    return db.session.query(OutboxMessage).filter(OutboxMessage.agreement_id == agreement.id).first()


@dataclass
class Scene:
    bxl_admin: User
    idf_admin: User
    foreign: dict[str, OutboxMessage]  # tag -> a sign-off mail of that agreement
    xxx_mail: OutboxMessage  # a mail about no agreement, to a person of XXX
    secrets: dict[str, list[str]]  # admin code -> texts that must never appear on their pages


@pytest.fixture
def scene(app: Flask, tmp_path: Path) -> Scene:
    factories.load_agreement()
    idf_xxx = load_other_agreement(tmp_path, "idf-xxx-2025", [_party("IDF"), _party("XXX")])
    xxx_yyy = load_other_agreement(tmp_path, "xxx-yyy-2025", [_party("XXX"), _party("YYY")])
    people = {
        "IDF": factories.make_user("IDF", name="Iris Secret-Idf"),
        "XXX": factories.make_user("XXX", name="Xavier Hidden-Xxx", email="xavier@xxx.example"),
        "YYY": factories.make_user("YYY", name="Yvonne Hidden-Yyy", email="yvonne@yyy.example"),
    }
    admins = {code: factories.make_user(code, "admin") for code in ("IDF", "BXL", "XXX")}
    for code in ("IDF", "BXL", "XXX", "YYY"):
        factories.make_user(code, "reviewer", email=f"reviewer.{code.lower()}@example.org")
    foreign = {
        "IDFXXX": _activity(idf_xxx, people["IDF"], admins["IDF"], "IDFXXX"),
        "XXXYYY": _activity(xxx_yyy, people["XXX"], admins["XXX"], "XXXYYY"),
    }
    xxx_mail = queue_mail(
        to=people["XXX"], template="test_message", context={"requested_by": "XXXMAIL"}, dedupe_key="scope:xxx"
    )
    save_cadence(admins["XXX"], Cadence(stale_after_days=77), version=0)
    db.session.commit()
    assert xxx_mail is not None
    # XXX signed with Île-de-France: its people may be named to Île-de-France, never to Brussels.
    xxx_yyy_only = ["XXXYYY", "yvonne@yyy.example", "Yvonne Hidden-Yyy", "xxx-yyy-2025"]
    xxx_people = ["xavier@xxx.example", "Xavier Hidden-Xxx", "XXXMAIL"]
    return Scene(
        bxl_admin=admins["BXL"],
        idf_admin=admins["IDF"],
        foreign=foreign,
        xxx_mail=xxx_mail,
        secrets={
            "BXL": ["IDFXXX", "idf-xxx-2025", "reviewer.xxx@example.org", *xxx_yyy_only, *xxx_people],
            "IDF": [*xxx_yyy_only, "XXXMAIL", "reviewer.yyy@example.org"],
        },
    )


def admin_get_paths(app: Flask) -> list[str]:
    """Every admin page and export answering GET without a path parameter."""
    return sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/admin") and "GET" in (rule.methods or ()) and not rule.arguments
    )


def _pages(client: FlaskClient, app: Flask, scene: Scene) -> dict[str, str]:
    pages = {}
    for path in admin_get_paths(app):
        response = client.get(path)
        assert response.status_code == 200, path
        pages[path] = text(response)
    for state in ("pending", "sent", "dead"):
        pages[f"outbox {state}"] = text(client.get(f"/admin/outbox?state={state}"))
    pages["audit, 100 a page"] = text(client.get("/admin/audit?per_page=100"))
    pages["audit CSV"] = text(client.get("/admin/audit/export.csv"))
    return pages


@pytest.mark.parametrize("code", ["BXL", "IDF"])
def test_no_admin_page_shows_what_the_admins_party_did_not_sign(
    app: Flask, client: FlaskClient, scene: Scene, code: str
) -> None:
    admin = scene.bxl_admin if code == "BXL" else scene.idf_admin
    login(client, admin.email)
    pages = _pages(client, app, scene)
    assert {"/admin/audit", "/admin/audit/export.csv", "/admin/outbox", "/admin/reminders"} <= set(pages)
    leaks = [
        f"{secret!r} on {name}" for name, page in pages.items() for secret in scene.secrets[code] if secret in page
    ]
    assert not leaks, leaks

    stale = re.search(r'<input[^>]*name="stale_after_days"[^>]*>', pages["/admin/reminders"])
    assert stale and 'value="60"' in stale.group(0)  # the XXX admin's 77 days are XXX's alone

    hidden = [scene.foreign["XXXYYY"], scene.xxx_mail] + ([scene.foreign["IDFXXX"]] if code == "BXL" else [])
    for message in hidden:
        for suffix in ("", "/body.html"):
            assert client.get(f"/admin/outbox/{message.id}{suffix}").status_code == 404
    # Naming a foreign agreement or person in the filters or the export finds nothing either.
    foreign_agreement = scene.foreign["XXXYYY"].agreement_id
    assert "IDFXXX" not in text(client.get(f"/admin/audit/export.csv?agreement={foreign_agreement}"))
    assert "XXXYYY" not in text(client.get(f"/admin/audit?agreement={foreign_agreement}"))


def test_the_admins_own_agreements_stay_readable(app: Flask, client: FlaskClient, scene: Scene) -> None:
    login(client, scene.idf_admin.email)
    pages = _pages(client, app, scene)
    assert "IDFXXX-action" in pages["audit CSV"] and "IDFXXX-progress" in pages["audit CSV"]
    assert "idf-xxx-2025" in pages["/admin/audit"] and "reviewer.xxx@example.org" in pages["/admin/outbox"]
    assert client.get(f"/admin/outbox/{scene.foreign['IDFXXX'].id}").status_code == 200
