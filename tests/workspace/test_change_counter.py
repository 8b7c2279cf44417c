"""Each agreement's change counter (the page cache's stamp) moves with every change of what its pages show.

The counter is bumped by database triggers, so the changes below are written every way the code or a person
can: services, ORM rows, bulk inserts, SQL by hand. Tables the pages do not show are listed, so that a new
table must be sorted into one list or the other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import insert, select, text

from tests.helpers import login
from tests.helpers import text as page_text
from tests.workspace.conftest import World
from tracker.actions import services
from tracker.actions.models import Indicator, Measurement, Milestone
from tracker.agreements import cache
from tracker.agreements.models import Agreement
from tracker.core.db import db

COUNTED = {
    "agreements",
    "agreement_parties",
    "workstreams",
    "workstream_leads",
    "commitments",
    "indicators",
    "measurements",
    "actions",
    "action_commitments",
    "action_approvals",
    "milestones",
    "progress_updates",
    "attachments",
    "reports",
    "report_signatures",
    "audit_entries",
    "users",
    "parties",
    "amendments",
    "amendment_confirmations",
    "closeout_decisions",
    "closure_confirmations",
    "agreement_archives",
    "renewal_proposals",
    "renewal_confirmations",
}
NOT_SHOWN = {
    "agreement_stamps",
    "api_tokens",
    "login_failures",
    "narratives",  # report texts: shown on their own pages and in reports, not on the cached pages
    "narrative_versions",
    "outbox_messages",
    "party_days_off",  # days off change when digests go out, not what an agreement's pages show
    "party_reminder_settings",
    "scheduler_heartbeats",
    "scheduler_leases",
    "scheduler_runs",
    "workstream_tallies",  # kept by triggers from actions, milestones and logs, whose changes are counted
}


def trigger_names() -> set[str]:
    if db.engine.dialect.name == "postgresql":
        query = "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
    else:
        query = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
    return set(db.session.scalars(text(query)))


def test_every_table_is_counted_or_listed_as_not_shown(app) -> None:
    assert set(db.metadata.tables) == COUNTED | NOT_SHOWN
    expected = {f"stamp_{table}_{event}" for table in COUNTED for event in ("insert", "update", "delete")}
    assert expected <= trigger_names()


def other_agreement() -> Agreement:
    other = Agreement(slug="other", title_fr="Autre", title_en="Other", title_nl="Ander", signed_on=date(2022, 1, 1),
                      starts_on=date(2022, 1, 1), ends_on=date(2026, 12, 31))  # fmt: skip
    db.session.add(other)
    db.session.commit()
    return other


def _indicator(world: World) -> Indicator:
    return db.session.scalars(select(Indicator).where(Indicator.agreement_id == world.agreement.id)).first()


def _sql(statement: str) -> Callable[[World], None]:
    return lambda world: db.session.execute(text(statement), {"action": world.action.id, "user": world.owner.id})


def _bulk_milestones(world: World) -> None:
    rows = [{"action_id": world.action.id, "title": f"Chargé {n}", "due_on": date(2024, 5, n)} for n in (1, 2)]
    db.session.execute(insert(Milestone), rows)


def _measurement(world: World) -> None:
    db.session.add(Measurement(indicator_id=_indicator(world).id, measured_on=date(2024, 3, 1), value=12.0))


CHANGES: dict[str, Callable[[World], None]] = {
    "a progress log (service)": lambda w: services.log_progress(
        w.owner, w.action, text="Réunion", percent=5, health="on_track"
    ),
    "a milestone (ORM row)": lambda w: db.session.add(
        Milestone(action_id=w.action.id, title="M", due_on=date(2024, 5, 1))
    ),
    "milestones (bulk insert)": _bulk_milestones,
    "a measurement": _measurement,
    "an action's title (SQL)": _sql("UPDATE actions SET title = 'Renommée' WHERE id = :action"),
    "an action's deletion (SQL)": _sql("DELETE FROM actions WHERE id = :action"),
    "a workstream's title (SQL)": _sql(
        "UPDATE workstreams SET title_fr = 'Titre' WHERE id IN (SELECT workstream_id FROM actions WHERE id = :action)"
    ),
    "a commitment's text (SQL)": _sql(
        "UPDATE commitments SET text_fr = 'Texte' WHERE workstream_id IN (SELECT workstream_id FROM actions WHERE id = :action)"
    ),
    "an indicator's name (SQL)": _sql(
        "UPDATE indicators SET name_fr = 'Nom' WHERE agreement_id IN (SELECT w.agreement_id FROM workstreams w JOIN actions a ON a.workstream_id = w.id WHERE a.id = :action)"
    ),
    "a person's name (SQL)": _sql("UPDATE users SET name = 'Camille Martin-Renard' WHERE id = :user"),
    "a party's name (SQL)": _sql(
        "UPDATE parties SET name_fr = 'Région' WHERE id IN (SELECT party_id FROM users WHERE id = :user)"
    ),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_each_change_moves_its_agreement_counter_and_no_other(world: World, change: str) -> None:
    other = other_agreement()
    before, other_before = cache.data_stamp(world.agreement.id), cache.data_stamp(other.id)
    assert before is not None and other_before is not None
    CHANGES[change](world)
    db.session.flush()
    assert cache.data_stamp(world.agreement.id) != before
    assert cache.data_stamp(other.id) == other_before


def test_a_login_or_a_language_change_does_not_move_the_counter(world: World) -> None:
    before = cache.data_stamp(world.agreement.id)
    db.session.execute(text("UPDATE users SET last_login_at = CURRENT_TIMESTAMP, language = 'nl' WHERE id = :u"),
                       {"u": world.owner.id})  # fmt: skip
    assert cache.data_stamp(world.agreement.id) == before


@pytest.fixture
def cached(app: Flask) -> Iterator[None]:
    kept = (cache.dashboards, cache.workstreams, cache.action_records)
    for store in kept:
        store.clear()
    app.config["PAGE_CACHE_SIZE"] = 16
    yield
    app.config["PAGE_CACHE_SIZE"] = 0
    for store in kept:
        store.clear()


def test_a_kept_page_follows_a_change_written_by_hand(client: FlaskClient, world: World, cached) -> None:
    """No service, no audit entry, no new row: only the triggers can tell."""
    workstream = "/agreements/idf-bxl-2021/workstreams/ECO-DEV"
    login(client, world.reviewer.email)
    assert "Mission économique croisée" in page_text(client.get(workstream))
    assert "Mission économique croisée" in page_text(client.get(workstream))  # kept
    db.session.execute(text("UPDATE actions SET title = 'Mission renommée' WHERE id = :a"), {"a": world.action.id})
    db.session.commit()
    assert "Mission renommée" in page_text(client.get(workstream))
