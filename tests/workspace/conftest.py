"""A small world for the workspace pages: the real agreement, people of both parties and of an outside party."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from flask import Flask

from tests import factories
from tracker.accounts.models import User
from tracker.actions.models import Action, Health, ProgressUpdate
from tracker.agreements.models import Agreement, Workstream
from tracker.core.db import db


@dataclass
class World:
    agreement: Agreement
    ws: Workstream
    owner: User  # IDF coordinator, owns `action`
    other: User  # IDF coordinator, owns nothing
    co_lead: User  # BXL coordinator, co-lead of ECO-DEV
    reviewer: User  # BXL reviewer
    admin: User
    outsider: User  # coordinator of a party that did not sign
    action: Action


@pytest.fixture
def world(app: Flask) -> World:
    agreement = factories.load_agreement()
    ws = factories.workstream(agreement, "ECO-DEV")
    owner = factories.make_user("IDF", "coordinator", name="Camille Martin")
    co_lead = factories.make_user("BXL", "coordinator", name="Lotte Peeters")
    factories.make_co_lead(ws, co_lead)
    factories.make_party("OTH")
    action = factories.make_action(ws, owner, title="Mission économique croisée")
    return World(
        agreement=agreement,
        ws=ws,
        owner=owner,
        other=factories.make_user("IDF", "coordinator", name="Julien Bernard"),
        co_lead=co_lead,
        reviewer=factories.make_user("BXL", "reviewer", name="An Janssens"),
        admin=factories.make_user("IDF", "admin", name="Admin IDF"),
        outsider=factories.make_user("OTH", "coordinator", name="Outsider"),
        action=action,
    )


def add_update(action: Action, author: User, text: str, percent: int, health: Health, at: datetime) -> ProgressUpdate:
    update = ProgressUpdate(action_id=action.id, author_id=author.id, text=text, percent=percent, health=health,
                            created_at=at)  # fmt: skip
    action.percent, action.health, action.last_progress_at = percent, health, at
    db.session.add(update)
    db.session.commit()
    return update


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, 0, tzinfo=UTC)
