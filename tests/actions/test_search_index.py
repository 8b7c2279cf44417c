"""On PostgreSQL, searching actions by a word is served by the trigram indexes of migration 0007."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select, text

from tracker.actions.models import Action
from tracker.actions.queries import text_matches
from tracker.core.db import db

pytestmark = pytest.mark.parametrize("backend", ["postgresql"], indirect=True)


def test_the_search_condition_is_served_by_the_trigram_indexes(app: Flask) -> None:
    indexes = set(db.session.scalars(text("SELECT indexname FROM pg_indexes WHERE tablename = 'actions'")))
    assert {"ix_actions_title_trgm", "ix_actions_description_trgm"} <= indexes
    statement = select(Action.id).where(*text_matches("Mission 100%_sûr"))
    sql = str(statement.compile(db.engine, compile_kwargs={"literal_binds": True}))
    db.session.execute(text("SET LOCAL enable_seqscan = off"))  # the test data is too small to need an index
    plan = "\n".join(db.session.scalars(text(f"EXPLAIN {sql}")))
    assert "ix_actions_title_trgm" in plan and "ix_actions_description_trgm" in plan, plan
