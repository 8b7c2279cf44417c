"""Rules the database holds itself, identical on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from tests import factories
from tracker.accounts.models import User
from tracker.actions.models import Action, ProgressUpdate
from tracker.agreements.models import Agreement
from tracker.core.db import db


def test_progress_percent_must_be_between_0_and_100(app: Flask) -> None:
    agreement = factories.load_agreement()
    owner = factories.make_user("IDF")
    action = factories.make_action(factories.workstream(agreement), owner)
    for percent in (-1, 101):
        db.session.add(
            ProgressUpdate(action_id=action.id, author_id=owner.id, text="x", percent=percent, health="on_track")
        )
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()


def test_agreement_must_end_after_it_starts(app: Flask) -> None:
    agreement = factories.load_agreement()
    with pytest.raises(IntegrityError):
        db.session.execute(update(Agreement).where(Agreement.id == agreement.id).values(ends_on=date(2020, 1, 1)))
    db.session.rollback()


def test_action_due_date_cannot_precede_its_start(app: Flask) -> None:
    agreement = factories.load_agreement()
    owner = factories.make_user("IDF")
    action = factories.make_action(factories.workstream(agreement), owner)
    with pytest.raises(IntegrityError):
        db.session.execute(update(Action).where(Action.id == action.id).values(due_on=date(2020, 1, 1)))
    db.session.rollback()


def test_status_outside_the_lifecycle_is_refused(app: Flask) -> None:
    agreement = factories.load_agreement()
    owner = factories.make_user("IDF")
    action = factories.make_action(factories.workstream(agreement), owner)
    from sqlalchemy import text

    with pytest.raises(IntegrityError):
        db.session.execute(text("UPDATE actions SET status = 'lost' WHERE id = :id"), {"id": action.id})
    db.session.rollback()


def test_two_accounts_cannot_share_an_email_in_any_case(app: Flask) -> None:
    factories.load_agreement()
    user = factories.make_user("IDF", email="camille@example.org")
    db.session.add(User(email="CAMILLE@example.org", name="Twin", party_id=user.party_id, role="coordinator"))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_stale_update_is_refused_by_the_version_counter(app: Flask) -> None:
    from sqlalchemy.orm.exc import StaleDataError

    agreement = factories.load_agreement()
    owner = factories.make_user("IDF")
    action = factories.make_action(factories.workstream(agreement), owner)
    db.session.execute(
        update(Action).where(Action.id == action.id).values(version=Action.version + 1),
        execution_options={"synchronize_session": False},
    )
    action.title = "Changed meanwhile"
    with pytest.raises(StaleDataError):
        db.session.flush()
    db.session.rollback()
