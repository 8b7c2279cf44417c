"""The unit of work that commands, jobs and requests share: one commit at its end, nothing kept when it fails
or when a refusal discarded its changes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from tests import factories
from tracker.accounts.models import User
from tracker.core.db import db, discard, refresh, unit_of_work


@pytest.fixture
def person(app: Flask) -> Iterator[User]:
    factories.load_agreement()
    yield factories.make_user("IDF", name="Ancien nom")


@pytest.fixture
def commits() -> Iterator[list[Session]]:
    seen: list[Session] = []

    def note(session: Session) -> None:
        seen.append(session)

    event.listen(Session, "after_commit", note)
    yield seen
    event.remove(Session, "after_commit", note)


def stored_name(user_id: int) -> str:
    db.session.rollback()  # forget what was not committed: read what the database keeps
    return str(db.session.scalar(select(User.name).where(User.id == user_id)))


def test_a_unit_commits_once_at_its_end(person: User, commits: list[Session]) -> None:
    with unit_of_work():
        person.name = "Nouveau nom"
        db.session.flush()
        assert commits == []
    assert len(commits) == 1
    assert stored_name(person.id) == "Nouveau nom"


def test_a_unit_that_raises_keeps_nothing(person: User, commits: list[Session]) -> None:
    with pytest.raises(RuntimeError), unit_of_work():
        person.name = "Nouveau nom"
        db.session.flush()
        raise RuntimeError("the work failed after its change")
    assert commits == []
    assert stored_name(person.id) == "Ancien nom"


def test_a_discarded_unit_keeps_nothing_even_what_follows(person: User, commits: list[Session]) -> None:
    with unit_of_work():
        person.name = "Refusé"
        discard()
        assert person.name == "Ancien nom"  # reloaded from what the database keeps
        person.name = "Après le refus"
    assert commits == []
    assert stored_name(person.id) == "Ancien nom"


def test_a_read_unit_commits_nothing(person: User, commits: list[Session]) -> None:
    with unit_of_work(commit=False):
        person.name = "Nouveau nom"
    assert commits == []
    assert stored_name(person.id) == "Ancien nom"


def test_refresh_shows_the_stored_state_without_committing(person: User, commits: list[Session]) -> None:
    version = person.version
    with unit_of_work():
        person.name = "Nouveau nom"
        refresh()
        assert person.version == version + 1
        assert commits == []
    assert len(commits) == 1
