"""The dashboard's figures per workstream (and the ended agreement's count of actions to close out) are read from
tallies that triggers keep (workstream_tallies): they stay exactly those of the rows after every kind of change — services, bulk SQL, moves between workstreams,
cancellations, deletions by the database's cascade."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

from flask.testing import FlaskClient
from sqlalchemy import delete, func, insert, select, update

from tests import factories
from tests.helpers import login
from tests.helpers import text as page_text
from tests.workspace.conftest import World
from tests.workspace.test_change_counter import trigger_names
from tracker.actions import milestones, progress, services
from tracker.actions.models import Action, ActionStatus, Health, Milestone, MilestoneStatus, ProgressUpdate
from tracker.agreements.models import Agreement, Workstream
from tracker.closeout.models import CloseoutDecision, Decision
from tracker.closeout.queries import awaiting_decision, count_awaiting_decision
from tracker.core.db import db
from tracker.workspace.queries.common import COUNTED_STATUSES
from tracker.workspace.queries.dashboard import ONGOING, load_dashboard

DASHBOARD = "/agreements/idf-bxl-2021/dashboard"
TALLIED = ("actions", "milestones", "progress_updates")


def from_rows(agreement: Agreement) -> dict[str, tuple]:
    """Each workstream's figures counted here from its rows, as a reader would count them one by one."""
    db.session.expire_all()
    result = {}
    for ws in db.session.scalars(select(Workstream).where(Workstream.agreement_id == agreement.id)):
        actions = list(db.session.scalars(select(Action).where(Action.workstream_id == ws.id)))
        live = [m for a in actions if a.status != ActionStatus.CANCELLED for m in a.milestones]
        counted = [a for a in actions if a.status in COUNTED_STATUSES]
        percent = sum(100 if a.status == ActionStatus.COMPLETED else a.percent for a in counted)
        updates = db.session.scalar(
            select(func.count())
            .select_from(ProgressUpdate)
            .where(ProgressUpdate.action_id.in_([a.id for a in actions]))
        )
        result[ws.code] = (
            dict(Counter(a.status for a in actions)),
            dict(Counter(a.health for a in actions if a.status in ONGOING)),
            sum(m.status == MilestoneStatus.DONE for m in live),
            sum(m.status != MilestoneStatus.CANCELLED for m in live),
            len(counted),
            percent,
            updates,
        )
    return result


def on_dashboard(agreement: Agreement) -> dict[str, tuple]:
    board = load_dashboard(agreement)
    updates = board.updates_count
    result = {}
    for w in board.workstreams:
        result[w.workstream.code] = (
            {s: n for s, n in w.by_status.items() if n},
            {h: n for h, n in w.by_health.items() if n},
            w.milestones_done,
            w.milestones_total,
            w.counted,
            w.percent_sum,
        )
    return result, updates


def assert_exact(agreement: Agreement) -> None:
    rows = from_rows(agreement)
    shown, updates = on_dashboard(agreement)
    assert shown == {code: figures[:6] for code, figures in rows.items()}
    assert updates == sum(figures[6] for figures in rows.values())
    # The ended agreement's notice: actions left to close out (open, without a decision).
    awaiting = select(func.count()).select_from(Action).join(Workstream).where(Workstream.agreement_id == agreement.id)
    assert count_awaiting_decision(agreement.id) == db.session.scalar(awaiting.where(awaiting_decision()))


def test_the_dashboard_figures_stay_exact_through_every_kind_of_change(world: World, frozen_clock) -> None:
    agreement, owner, admin = world.agreement, world.owner, world.admin
    urban = factories.workstream(agreement, "URBAN")
    first = world.action
    second = factories.make_action(world.ws, owner, title="Deuxième action")
    third = factories.make_action(urban, owner, title="Troisième action", status=ActionStatus.PROPOSED)
    for action in (first, second, third):
        factories.make_milestone(action, date(2026, 12, 10), title="Comité")
        factories.make_milestone(action, date(2027, 2, 10), title="Bilan")
    assert_exact(agreement)

    # Through the services: a progress log, a milestone done, an action completed, another cancelled.
    progress.log_progress(admin, first, text="Premier bilan", percent="40", health=Health.AT_RISK.value)
    done = first.milestones[0]
    milestones.complete_milestone(admin, done, completed_on=date(2026, 11, 20), version=done.version)
    db.session.flush()
    assert_exact(agreement)
    services.transition_action(admin, second, ActionStatus.CANCELLED.value, comment="Abandonnée")
    db.session.flush()
    assert_exact(agreement)  # the cancelled action's milestones no longer count

    # A close-out decision taken on an open action.
    db.session.add(CloseoutDecision(action_id=third.id, agreement_id=agreement.id, decision=Decision.CARRIED_OVER))
    db.session.flush()
    assert_exact(agreement)

    # In bulk, by SQL: many rows per statement.
    db.session.execute(
        insert(Milestone),
        [
            {"action_id": third.id, "title": f"Étape {k}", "due_on": date(2027, 1, k), "status": "planned"}
            for k in range(1, 6)
        ],
    )
    db.session.execute(
        update(Action).where(Action.id.in_([first.id, third.id])).values(health=Health.OFF_TRACK, percent=70)
    )
    db.session.execute(update(Action).where(Action.id == second.id).values(status=ActionStatus.ACTIVE))  # back again
    assert_exact(agreement)

    # An action moved to another workstream takes its milestones and logs along.
    db.session.execute(update(Action).where(Action.id == first.id).values(workstream_id=urban.id))
    assert_exact(agreement)

    # Deleted: a milestone by the ORM, an action by SQL (the database's cascade deletes its milestones and logs).
    db.session.delete(db.session.get(Milestone, third.milestones[0].id))
    db.session.flush()
    db.session.execute(delete(Action).where(Action.id == first.id))
    assert_exact(agreement)


def test_the_page_shows_the_kept_figures(client: FlaskClient, world: World, frozen_clock) -> None:
    factories.make_milestone(
        world.action, date(2026, 10, 1), status=MilestoneStatus.DONE, completed_on=date(2026, 10, 1)
    )
    factories.make_milestone(world.action, date(2026, 12, 1))
    gone = factories.make_action(world.ws, world.owner, title="Action abandonnée", status=ActionStatus.CANCELLED)
    factories.make_milestone(gone, date(2026, 12, 1))
    login(client, world.reviewer.email)
    assert re.search(r'class="figure-milestones">1 sur 2<', page_text(client.get(DASHBOARD)))
    db.session.execute(update(Milestone).where(Milestone.action_id == world.action.id).values(status="done",
                                                                                              completed_on=date(2026, 11, 2)))  # fmt: skip
    db.session.execute(update(Action).where(Action.id == gone.id).values(status=ActionStatus.ACTIVE))
    assert re.search(r'class="figure-milestones">2 sur 3<', page_text(client.get(DASHBOARD)))


def test_every_tallied_table_keeps_its_triggers(app) -> None:
    """A later migration that rebuilds one of these tables on SQLite (batch mode) must create them again."""
    expected = {f"tally_{table}_{event}" for table in TALLIED for event in ("insert", "update", "delete")}
    assert expected <= trigger_names()
