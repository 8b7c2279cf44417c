"""The API shows a renewal: an agreement's `succeeds` / `succeeded_by` slugs, an action's `continues` / `continued_by`
ids, in lists and single reads alike."""

from __future__ import annotations

from datetime import date

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.api.helpers import Api, token_for
from tests.factories import load_agreement, make_action, make_user, workstream
from tracker.actions.models import Action
from tracker.closeout import decisions, renewal
from tracker.closeout.models import Decision
from tracker.core.db import db


def test_agreements_and_actions_name_what_they_succeed_and_continue(
    client: FlaskClient, app: Flask, frozen_clock
) -> None:
    ended = load_agreement(ended=True)
    owner = make_user("IDF")
    carried = make_action(workstream(ended, "ECO-DEV"), owner, title="Mission croisée")
    finished = make_action(workstream(ended, "ECO-DEV"), owner, title="Étude terminée")
    decisions.decide(owner, ended, carried, Decision.CARRIED_OVER, "")
    decisions.decide(owner, ended, finished, Decision.CANCELLED, "Sans suite")
    renewal.renew(
        ended,
        by=make_user("IDF", "admin"),
        slug="idf-bxl-2026",
        starts_on=date(2026, 9, 23),
        ends_on=date(2031, 9, 22),
        signed_on=date(2026, 9, 15),
    )
    db.session.commit()
    moved = db.session.scalars(select(Action).where(Action.continues_action_id == carried.id)).one()
    api = Api(client, token_for(make_user("BXL", "reviewer")))

    listed = {a["slug"]: a for a in api.get("/agreements").get_json()["items"]}
    assert (listed["idf-bxl-2021"]["succeeds"], listed["idf-bxl-2021"]["succeeded_by"]) == (None, "idf-bxl-2026")
    assert (listed["idf-bxl-2026"]["succeeds"], listed["idf-bxl-2026"]["succeeded_by"]) == ("idf-bxl-2021", None)
    assert api.get("/agreements/idf-bxl-2026").get_json()["succeeds"] == "idf-bxl-2021"

    old = api.get(f"/actions/{carried.id}").get_json()
    assert (old["continues"], old["continued_by"]) == (None, moved.id)
    new = api.get(f"/actions/{moved.id}").get_json()
    assert (new["continues"], new["continued_by"], new["agreement"]) == (carried.id, None, "idf-bxl-2026")
    page = {a["id"]: a for a in api.get("/actions?agreement=idf-bxl-2021").get_json()["items"]}
    assert page[carried.id]["continued_by"] == moved.id and page[finished.id]["continued_by"] is None
