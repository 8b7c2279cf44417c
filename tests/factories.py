"""Builders that read like the domain: the real agreement, people of each party, actions and milestones."""

from __future__ import annotations

import functools
import itertools
from datetime import date
from pathlib import Path

from sqlalchemy import select
from werkzeug.security import generate_password_hash

from tracker.accounts import services as accounts
from tracker.accounts.models import Party, User
from tracker.actions.models import Action, ActionStatus, Health, Milestone, MilestoneStatus
from tracker.agreements.loader import apply_agreement, read_agreement_file
from tracker.agreements.models import Agreement, Workstream, WorkstreamLead
from tracker.core.db import db

ROOT = Path(__file__).resolve().parent.parent
AGREEMENT_FILE = ROOT / "config" / "agreements" / "idf-bxl-2021.yaml"
PASSWORD = "correct horse battery"
_seq = itertools.count(1)


# The tests' "today" (2026-11-27, see tests/conftest.py) falls after the agreement's real end (2026-09-22). Most tests
# are about work in an agreement in force, so by default its term runs one more year, as an amendment would make it.
EXTENDED_END = date(2027, 9, 22)


def load_agreement(path: Path = AGREEMENT_FILE, *, ended: bool = False) -> Agreement:
    """Load the Île-de-France ↔ Brussels agreement (committed) and return it: in force until EXTENDED_END, or
    with `ended=True`, with its real term (ended on 2026-09-22)."""
    data = read_agreement_file(path)
    if not ended:  # loaded as in force: a past end date would end it at once
        data = data.model_copy(update={"ends_on": max(data.ends_on, EXTENDED_END)})
    result = apply_agreement(data)
    agreement = db.session.scalars(select(Agreement).where(Agreement.slug == result.slug)).one()
    db.session.commit()
    return agreement


def make_party(code: str, country: str = "FR") -> Party:
    party = Party(code=code, name_fr=code, name_en=code, name_nl=code, country=country)
    db.session.add(party)
    db.session.commit()
    return party


def make_user(
    party: str = "IDF",
    role: str = "coordinator",
    *,
    email: str | None = None,
    name: str | None = None,
    language: str = "fr",
    password: str = PASSWORD,
) -> User:
    n = next(_seq)
    user = accounts.create_user(
        email=email or f"{role}{n}.{party.lower()}@example.org",
        name=name or f"{role.title()} {n} {party}",
        party_code=party,
        role=role,
        language=language,
    )
    user.password_hash = _password_hash(password)
    db.session.commit()
    return user


@functools.cache
def _password_hash(password: str) -> str:
    # Hashing is slow on purpose; tests create many people with the same password.
    accounts.check_password_strength(password)
    return generate_password_hash(password)


def workstream(agreement: Agreement, code: str = "ECO-DEV") -> Workstream:
    return db.session.scalars(
        select(Workstream).where(Workstream.agreement_id == agreement.id, Workstream.code == code)
    ).one()


def make_co_lead(ws: Workstream, user: User) -> WorkstreamLead:
    lead = WorkstreamLead(workstream_id=ws.id, party_id=user.party_id, user_id=user.id)
    db.session.add(lead)
    db.session.commit()
    return lead


def make_action(
    ws: Workstream,
    owner: User,
    *,
    title: str = "Mission économique croisée",
    status: ActionStatus = ActionStatus.ACTIVE,
    start_on: date | None = date(2026, 1, 5),
    due_on: date | None = date(2026, 12, 18),
    health: Health = Health.ON_TRACK,
) -> Action:
    action = Action(
        workstream_id=ws.id,
        title=title,
        description="",
        owner_id=owner.id,
        created_by_id=owner.id,
        lead_party_id=owner.party_id,
        status=status,
        health=health,
        start_on=start_on,
        due_on=due_on,
    )
    db.session.add(action)
    db.session.commit()
    return action


def make_milestone(
    action: Action,
    due_on: date,
    *,
    title: str = "Comité de pilotage",
    status: MilestoneStatus = MilestoneStatus.PLANNED,
    completed_on: date | None = None,
) -> Milestone:
    milestone = Milestone(action_id=action.id, title=title, due_on=due_on, status=status, completed_on=completed_on)
    db.session.add(milestone)
    db.session.commit()
    return milestone
