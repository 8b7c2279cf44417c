"""Issue 13, "Done when": an admin invites a coordinator, who sets a password from the mail's link and logs in;
the admin makes them co-lead of a workstream; later deactivates them and hands their actions to a colleague;
the person's API token and calendar feed stop working."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from sqlalchemy import select

from tests import factories
from tests.browser.conftest import log_in, log_out
from tracker.accounts.models import User
from tracker.accounts.services import create_api_token
from tracker.actions.models import Action
from tracker.agreements.models import Workstream, WorkstreamLead
from tracker.core.db import db
from tracker.mail.models import OutboxMessage

NEW_PASSWORD = "une phrase de passe assez longue"


def _invitation_path(email: str) -> str:
    db.session.expire_all()
    body = db.session.scalar(select(OutboxMessage.body_text).where(OutboxMessage.recipient == email))
    db.session.remove()  # no read transaction left open while the server writes
    match = re.search(r"https?://[^/\s]+(/welcome/\S+)", body or "")
    assert match, body
    return match.group(1)


def test_an_admin_invites_names_and_later_deactivates_a_coordinator(page: Page, live_app) -> None:
    agreement = factories.load_agreement()
    ws = factories.workstream(agreement, "ECO-DEV")
    admin = factories.make_user("IDF", "admin", email="admin@idf.example", name="Aline Admin")
    colleague = factories.make_user("IDF", "coordinator", email="hugo@idf.example", name="Hugo Relais")
    ws_id, party_id, colleague_id = ws.id, admin.party_id, colleague.id
    db.session.remove()

    log_in(page, "admin@idf.example")
    page.get_by_role("link", name="Personnes").click()
    page.get_by_label("Adresse e-mail").fill("nora@idf.example")
    page.get_by_label("Nom", exact=True).fill("Nora Nouvelle")
    page.get_by_label("Rôle").select_option("coordinator")
    page.get_by_role("button", name="Inviter").click()
    expect(page.get_by_role("status")).to_contain_text("Nora Nouvelle est invité·e")
    log_out(page)

    page.goto(_invitation_path("nora@idf.example"))
    page.get_by_label("Nouveau mot de passe", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Répétez le nouveau mot de passe").fill(NEW_PASSWORD)
    page.get_by_role("combobox", name="Langue").select_option("fr")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("status")).to_contain_text("Votre mot de passe est enregistré")
    log_in(page, "nora@idf.example", NEW_PASSWORD)
    log_out(page)

    nora = db.session.scalar(select(User).where(User.email == "nora@idf.example"))
    action = factories.make_action(db.session.get(Workstream, ws_id), nora, title="Forum de l’emploi")
    _token, plaintext = create_api_token(nora, name="tableur", scope="read")
    db.session.commit()
    feed, action_id, nora_id = f"/calendar/{nora.feed_token}.ics", action.id, nora.id
    bearer = {"Authorization": f"Bearer {plaintext}"}
    assert page.request.get(feed).status == 200 and page.request.get("/api/v1/me", headers=bearer).status == 200
    db.session.remove()

    log_in(page, "admin@idf.example")
    page.goto("/admin/co-leads")
    row = page.get_by_role("row").filter(has_text="Le développement économique")  # the workstream by its title
    row.get_by_label("Copilote").select_option(label="Nora Nouvelle")
    row.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("status")).to_contain_text("copilote est désigné")

    page.get_by_role("navigation", name="Principale").get_by_role("link", name="Personnes").click()
    page.get_by_role("link", name="Nora Nouvelle").click()
    expect(page.get_by_role("link", name="Forum de l’emploi")).to_be_visible()
    # The workstreams she co-leads, by title (not `ECO-DEV`).
    expect(page.get_by_role("listitem").filter(has_text=re.compile(r"^Le développement économique \("))).to_be_visible()
    page.get_by_label("Transmettre à").select_option(label="Hugo Relais")
    page.get_by_role("button", name="Désactiver et transmettre").click()
    expect(page.get_by_role("status")).to_contain_text("est désactivé")

    db.session.remove()
    assert db.session.get(Action, action_id).owner_id == colleague_id
    assert db.session.get(WorkstreamLead, (ws_id, party_id)).user_id == colleague_id
    assert not db.session.get(User, nora_id).active
    assert page.request.get(feed).status == 404
    assert page.request.get("/api/v1/me", headers=bearer).status == 401
