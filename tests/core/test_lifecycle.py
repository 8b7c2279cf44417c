"""The generic lifecycle mechanism: a table of transitions, guards that explain, effects, audit entries."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from flask import Flask
from sqlalchemy import select

from tests import factories
from tracker.core.audit import AuditEntry
from tracker.core.db import db
from tracker.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from tracker.core.lifecycle import (
    CommentNeed,
    Lifecycle,
    Transition,
    available_transitions,
    register,
    transition,
)

# A made-up model: its audit entries test the engine, no history shows them.
pytestmark = pytest.mark.toy_audit


@dataclass
class Door:
    id: int
    status: str = "closed"
    keys: set[int] = field(default_factory=set)
    locked_by_weather: bool = False


def _only_keyholders(door: Door, user) -> str | None:
    return None if user.name.startswith("Key") else "Only key holders may do this."


def _not_stormy(door: Door, _user) -> str | None:
    return "Not during a storm." if door.locked_by_weather else None


def _turn_key(door: Door, user, _comment) -> dict:
    door.keys.add(user.id)
    return {"turned_by": user.name}


register(
    Door,
    Lifecycle(
        entity="door",
        states=("closed", "open", "sealed"),
        state_labels={"closed": "Closed", "open": "Open", "sealed": "Sealed"},
        transitions=(
            Transition("open", ("closed",), "open", "Open", _only_keyholders, when=(_not_stormy,)),
            Transition("close", ("open",), "closed", "Close", lambda d, u: None, comment=CommentNeed.OPTIONAL),
            Transition(
                "seal",
                ("closed",),
                "sealed",
                "Seal",
                _only_keyholders,
                effect=_turn_key,
                comment=CommentNeed.REQUIRED,
                completes=lambda door: len(door.keys) >= 2,
            ),
        ),
    ),
)


@pytest.fixture
def people(app: Flask):
    factories.make_party("ZZ")
    return (
        factories.make_user("ZZ", name="Key holder A"),
        factories.make_user("ZZ", name="Key holder B"),
        factories.make_user("ZZ", name="Visitor"),
    )


def _entries() -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.entity == "door").order_by(AuditEntry.id)))


def test_a_transition_moves_the_state_and_writes_who_from_to_and_comment(people) -> None:
    key_a, _, _ = people
    door = Door(id=7)
    outcome = transition(door, "open", by=key_a)
    assert door.status == "open" and outcome.moved and outcome.source == "closed"
    transition(door, "closed", by=key_a, comment="  wind  ")
    entries = _entries()
    assert [(e.verb, e.changes, e.comment, e.actor_id, e.entity_id) for e in entries] == [
        ("open", {"status": ["closed", "open"]}, None, key_a.id, 7),
        ("close", {"status": ["open", "closed"]}, "wind", key_a.id, 7),
    ]


def test_a_move_missing_from_the_table_is_refused_with_the_state_names(people) -> None:
    with pytest.raises(InvalidTransition, match="“Closed” to “Closed”"):
        transition(Door(id=1), "closed", by=people[0])
    assert _entries() == []


def test_who_guard_refuses_with_permission_denied_and_hides_the_option(people) -> None:
    _, _, visitor = people
    door = Door(id=1)
    with pytest.raises(PermissionDenied, match="Only key holders"):
        transition(door, "open", by=visitor)
    assert door.status == "closed"
    assert available_transitions(door, visitor) == []


def test_when_guard_refuses_with_its_reason_and_shows_it_when_asked(people) -> None:
    key_a = people[0]
    door = Door(id=1, locked_by_weather=True)
    with pytest.raises(InvalidTransition, match="Not during a storm"):
        transition(door, "open", by=key_a)
    assert [o.name for o in available_transitions(door, key_a)] == ["seal"]
    blocked = {o.name: o.blocked for o in available_transitions(door, key_a, include_blocked=True)}
    assert blocked == {"open": "Not during a storm.", "seal": None}


def test_a_required_comment_is_asked_for(people) -> None:
    door = Door(id=1)
    with pytest.raises(ValidationFailed) as refused:
        transition(door, "sealed", by=people[0], comment="   ")
    assert "comment" in refused.value.errors
    assert door.keys == set() and _entries() == []


def test_a_collective_transition_moves_only_when_complete(people) -> None:
    key_a, key_b, _ = people
    door = Door(id=3)
    first = transition(door, "sealed", by=key_a, comment="one")
    assert not first.moved and door.status == "closed"
    second = transition(door, "sealed", by=key_b, comment="two")
    assert second.moved and door.status == "sealed"
    assert [e.changes for e in _entries()] == [
        {"turned_by": "Key holder A"},
        {"turned_by": "Key holder B", "status": ["closed", "sealed"]},
    ]


def test_a_table_with_two_moves_between_the_same_states_is_refused() -> None:
    with pytest.raises(ValueError, match="two transitions"):
        Lifecycle(
            entity="x",
            states=("a", "b"),
            transitions=(
                Transition("one", ("a",), "b", "One", lambda o, u: None),
                Transition("two", ("a",), "b", "Two", lambda o, u: None),
            ),
        )
