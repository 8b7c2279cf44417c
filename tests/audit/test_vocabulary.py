"""Every verb, entity, field and value the code can write to the audit trail reads in French and Dutch.

The vocabulary is read from the code (tests/audit/vocabulary.py), not listed here: a new verb or field written without
a name for people fails here, and any entry a test writes is checked as well (the guard in tests/conftest.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po
from flask_babel import LazyString

from tests.audit.vocabulary import audit_vocabulary, enum_choices
from tracker.actions.labels import HEALTH
from tracker.audit.display import ENTITIES, HIDDEN_FIELDS, LABELS, STATUS, VERBS, unreadable
from tracker.audit.fields import FIELD_NAMES, MACHINE_FIELDS, VALUE_NAMES, has_label

ROOT = Path(__file__).resolve().parents[2]


def test_every_verb_entity_and_field_the_code_writes_has_a_name() -> None:
    vocabulary = audit_vocabulary()
    assert {"create", "approve", "sign_and_publish", "supersede", "demo_load"} <= vocabulary.verbs  # the reader works
    assert {"party_id", "co_lead", "handed_to", "signatures_withdrawn", "completed_on"} <= vocabulary.fields
    assert sorted(vocabulary.verbs - set(VERBS)) == []
    assert sorted(vocabulary.entities - set(ENTITIES)) == []
    shown = vocabulary.fields - HIDDEN_FIELDS - MACHINE_FIELDS
    assert sorted(f for f in shown if not has_label(f, LABELS)) == []


def _labels() -> list[Any]:
    maps = [VERBS, ENTITIES, LABELS, FIELD_NAMES, HEALTH, *VALUE_NAMES.values(), *STATUS.values()]
    return [label for labels in maps for label in labels.values() if isinstance(label, LazyString)]


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_every_name_of_the_history_is_translated(lang: str) -> None:
    with (ROOT / "tracker" / "translations" / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    missing = []
    for label in _labels():
        context, msgid = label._args if len(label._args) == 2 else (None, label._args[0])
        message = catalog.get(msgid, context=context)
        if message is None or not message.string:
            missing.append(msgid)
    assert missing == []


def test_the_guard_names_what_would_show_raw() -> None:
    values = enum_choices()
    assert unreadable("user", "create", {"party_id": 1, "role": "admin", "digest": "daily"}, values) == []
    assert unreadable("report", "sign", {"signed_for": "IDF", "status": ["draft", "signed"]}, values) == []
    assert unreadable("gadget", "frobnicate", {"colour_code": "x", "owner_id": 3}, values) == [
        "verb 'frobnicate'",
        "entity 'gadget'",
        "gadget.frobnicate: field 'colour_code'",
    ]
    assert unreadable("user", "update", {"widget_id": 4, "name": "draft_one"}, values) == [
        "user.update: field 'widget_id'",
        "user.update: 'widget_id' holds ids shown as numbers",
    ]
    assert unreadable("user", "update", {"digest": ["daily", "daily"]}, {"digest": {"daily", "hourly"}}) == []
    assert unreadable("user", "update", {"digest": "hourly"}, {"digest": {"daily", "hourly"}}) == [
        "user.update: digest = 'hourly' shown as stored"
    ]
    assert unreadable("action", "update", {"health": ["on_track", "at_risk"]}, values) == []
    assert unreadable("outbox_message", "resend", {"state": ["dead", "pending"]}, values) == []
