"""A small world for the reminder tests: people of both regions, an action each, milestones placed on purpose."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from flask import Flask

from tests.factories import load_agreement, make_action, make_co_lead, make_milestone, make_user, workstream
from tracker.accounts.models import User
from tracker.actions.models import Action
from tracker.agreements.models import Agreement
from tracker.core import clock
from tracker.core.db import db

PARIS = ZoneInfo("Europe/Paris")


def at(day: date, hour: int = 8) -> datetime:
    """The instant of `hour` o'clock in Paris on `day`."""
    return datetime.combine(day, time(hour), PARIS).astimezone(UTC)


@dataclass
class World:
    agreement: Agreement
    camille: User  # IDF, French
    lotte: User  # BXL, Dutch
    grace: User  # BXL, English
    lead_idf: User
    lead_bxl: User
    actions: dict[str, Action]

    def people(self) -> list[User]:
        return [self.camille, self.lotte, self.grace]


@pytest.fixture
def world(app: Flask, frozen_clock) -> World:
    agreement = load_agreement()
    ws = workstream(agreement, "ECO-DEV")
    camille = make_user("IDF", name="Camille Martin", language="fr")
    lotte = make_user("BXL", name="Lotte Peeters", language="nl")
    grace = make_user("BXL", name="Grace Hopper", language="en")
    lead_idf = make_user("IDF", name="Lea Lead", language="fr")
    lead_bxl = make_user("BXL", name="Bram Lead", language="nl")
    make_co_lead(ws, lead_idf)
    make_co_lead(ws, lead_bxl)
    actions = {
        user.name: make_action(ws, user, title=f"Mission de {user.name}", start_on=date(2026, 1, 5))
        for user in (camille, lotte, grace)
    }
    for action in actions.values():
        action.last_progress_at = clock.now()  # recent progress: no "stale" reminder unless a test wants one
    db.session.commit()
    return World(agreement, camille, lotte, grace, lead_idf, lead_bxl, actions)


def milestone_for(world: World, user: User, due_on: date, title: str = "Comité de pilotage"):
    return make_milestone(world.actions[user.name], due_on, title=title)
