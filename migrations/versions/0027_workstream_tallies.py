"""per-workstream tallies of actions, milestones and progress logs, kept by triggers; indexes of the late counts

Revision ID: 0027_workstream_tallies
Revises: 0026_signed_after_start
Create Date: 2026-11-30 02:15:00

The dashboard's figures per workstream were counted by scanning every action, milestone and progress log of the
agreement on each view (0.4 s of database time at 30,000 actions). `workstream_tallies` holds them instead, one
row per (workstream, subject, status, health), written only by triggers in the same transaction as the rows they
count, whoever writes them (services, bulk loads, SQL by hand), as the change counter of 0013 is:

- subject "action": the workstream's actions by status and health, with the sum of their percent;
- subject "milestone": the milestones of its actions that are not cancelled, by milestone status (health "");
- subject "update": its progress logs (status and health "").

PostgreSQL uses statement-level triggers (one upsert per statement, also for bulk loads), SQLite row-level
triggers. An action's update moves its milestones and logs when its workstream or its being cancelled changes;
an action's deletion counts its workstreams' milestones and logs again (a database cascade may delete them
before or after it). Figures that depend on the date (late actions, overdue milestones) cannot be kept: they are
counted from indexes that read only the open or planned rows due before today (ix_milestones_status_due_on, and
ix_actions_workstream_status_due_on below).

Note for later migrations: as for 0013, on SQLite `batch_alter_table` on actions, milestones or progress_updates
rebuilds the table and drops these triggers; such a migration must create them again (`create_triggers(table)`);
tests/workspace/test_dashboard_tallies.py fails on a table left without them.
"""

from alembic import op
import sqlalchemy as sa


revision = "0027_workstream_tallies"
down_revision = "0026_signed_after_start"
branch_labels = None
depends_on = None

TABLES = ("actions", "milestones", "progress_updates")
_KEY = "workstream_id, subject, status, health"
_UPSERT = f"""INSERT INTO workstream_tallies ({_KEY}, count, percent_sum)
    SELECT d.workstream_id, d.subject, d.status, d.health, sum(d.n), sum(d.p)
    FROM ({{deltas}}) d JOIN workstreams w ON w.id = d.workstream_id WHERE true
    GROUP BY d.workstream_id, d.subject, d.status, d.health HAVING sum(d.n) <> 0 OR sum(d.p) <> 0
    ON CONFLICT ({_KEY}) DO UPDATE SET count = workstream_tallies.count + excluded.count,
        percent_sum = workstream_tallies.percent_sum + excluded.percent_sum"""


def _action_rows(rows: str, sign: str) -> str:
    return f"SELECT r.workstream_id, 'action' AS subject, r.status, r.health, {sign}1 AS n, {sign}coalesce(r.percent, 0) AS p FROM {rows} r"


def _children(rows: str, sign: str) -> str:
    """The milestones and logs of the actions `rows` (a table or a one-row select), counted with `sign`."""
    return f"""SELECT r.workstream_id, 'milestone' AS subject, m.status, '' AS health, {sign}1 AS n, 0 AS p FROM {rows} r
        JOIN milestones m ON m.action_id = r.id WHERE r.status <> 'cancelled'
        UNION ALL SELECT r.workstream_id, 'update', '', '', {sign}1, 0 FROM {rows} r
        JOIN progress_updates u ON u.action_id = r.id"""


def _child_rows(table: str, rows: str, sign: str) -> str:
    """A milestone's or log's own count (`rows`: a table or a one-row select), under its action's workstream."""
    if table == "milestones":
        return f"""SELECT a.workstream_id, 'milestone' AS subject, r.status, '' AS health, {sign}1 AS n, 0 AS p FROM {rows} r
            JOIN actions a ON a.id = r.action_id WHERE a.status <> 'cancelled'"""
    return f"SELECT a.workstream_id, 'update' AS subject, '' AS status, '' AS health, {sign}1 AS n, 0 AS p FROM {rows} r JOIN actions a ON a.id = r.action_id"


def _recount(workstreams: str) -> list[str]:
    """Count the milestones and logs of `workstreams` (a select of ids) again, from their rows."""
    return [
        f"DELETE FROM workstream_tallies WHERE subject IN ('milestone', 'update') AND workstream_id IN ({workstreams})",
        _UPSERT.format(
            deltas=f"""SELECT a.workstream_id, 'milestone' AS subject, m.status, '' AS health, 1 AS n, 0 AS p
            FROM milestones m JOIN actions a ON a.id = m.action_id
            WHERE a.status <> 'cancelled' AND a.workstream_id IN ({workstreams})
            UNION ALL SELECT a.workstream_id, 'update', '', '', 1, 0 FROM progress_updates u
            JOIN actions a ON a.id = u.action_id WHERE a.workstream_id IN ({workstreams})"""
        ),
    ]


# The updated actions whose milestones and logs move: to another workstream, or into or out of "cancelled".
_MOVED = """(SELECT {rows}.* FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE n.workstream_id <> o.workstream_id OR (n.status = 'cancelled') <> (o.status = 'cancelled'))"""


def _postgres(table: str) -> list[str]:
    if table == "actions":
        on_insert = [_UPSERT.format(deltas=_action_rows("new_rows", ""))]
        on_update = [
            _UPSERT.format(
                deltas=" UNION ALL ".join(
                    (_action_rows("new_rows", ""), _action_rows("old_rows", "-"),
                     _children(_MOVED.format(rows="n"), ""), _children(_MOVED.format(rows="o"), "-"))
                )
            )
        ]
        on_delete = [_UPSERT.format(deltas=_action_rows("old_rows", "-")), *_recount("SELECT workstream_id FROM old_rows")]
    else:
        on_insert = [_UPSERT.format(deltas=_child_rows(table, "new_rows", ""))]
        on_update = [
            _UPSERT.format(deltas=f"{_child_rows(table, 'new_rows', '')} UNION ALL {_child_rows(table, 'old_rows', '-')}")
        ]
        on_delete = [_UPSERT.format(deltas=_child_rows(table, "old_rows", "-"))]
    body = "\n".join(
        f"{'IF' if op_ == 'INSERT' else 'ELSIF'} TG_OP = '{op_}' THEN {' '.join(s + ';' for s in statements)}"
        for op_, statements in (("INSERT", on_insert), ("UPDATE", on_update), ("DELETE", on_delete))
    )
    return [
        f"""CREATE FUNCTION tally_{table}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            {body}
            END IF;
            RETURN NULL;
        END;
        $$""",
        f"""CREATE TRIGGER tally_{table}_insert AFTER INSERT ON {table} REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION tally_{table}()""",
        f"""CREATE TRIGGER tally_{table}_update AFTER UPDATE ON {table}
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tally_{table}()""",
        f"""CREATE TRIGGER tally_{table}_delete AFTER DELETE ON {table} REFERENCING OLD TABLE AS old_rows
        FOR EACH STATEMENT EXECUTE FUNCTION tally_{table}()""",
    ]


def _one(row: str, columns: tuple[str, ...]) -> str:
    """A one-row select of the trigger's NEW or OLD row (SQLite), under the names of the table's columns."""
    return "(SELECT " + ", ".join(f"{row}.{c} AS {c}" for c in columns) + ")"


def _sqlite(table: str) -> list[str]:
    if table == "actions":
        columns = ("id", "workstream_id", "status", "health", "percent")
        new, old = _one("NEW", columns), _one("OLD", columns)
        on_insert = [_UPSERT.format(deltas=_action_rows(new, ""))]
        moved = "NEW.workstream_id <> OLD.workstream_id OR (NEW.status = 'cancelled') <> (OLD.status = 'cancelled')"
        on_update = [_UPSERT.format(deltas=f"{_action_rows(new, '')} UNION ALL {_action_rows(old, '-')}")]
        on_move = [_UPSERT.format(deltas=f"{_children(new, '')} UNION ALL {_children(old, '-')}")]
        on_delete = [_UPSERT.format(deltas=_action_rows(old, "-")), *_recount("SELECT OLD.workstream_id")]
        statements = [
            f"CREATE TRIGGER tally_actions_insert AFTER INSERT ON actions BEGIN {'; '.join(on_insert)}; END",
            f"""CREATE TRIGGER tally_actions_update AFTER UPDATE OF workstream_id, status, health, percent ON actions
            BEGIN {'; '.join(on_update)}; END""",
            f"""CREATE TRIGGER tally_actions_move AFTER UPDATE OF workstream_id, status ON actions WHEN {moved}
            BEGIN {'; '.join(on_move)}; END""",
            f"CREATE TRIGGER tally_actions_delete AFTER DELETE ON actions BEGIN {'; '.join(on_delete)}; END",
        ]
        return statements
    columns = ("action_id", "status") if table == "milestones" else ("action_id",)
    new, old = _one("NEW", columns), _one("OLD", columns)
    update_of = "UPDATE OF action_id, status" if table == "milestones" else "UPDATE OF action_id"
    return [
        f"CREATE TRIGGER tally_{table}_insert AFTER INSERT ON {table} BEGIN {_UPSERT.format(deltas=_child_rows(table, new, ''))}; END",
        f"""CREATE TRIGGER tally_{table}_update AFTER {update_of} ON {table} BEGIN
        {_UPSERT.format(deltas=f"{_child_rows(table, new, '')} UNION ALL {_child_rows(table, old, '-')}")}; END""",
        f"CREATE TRIGGER tally_{table}_delete AFTER DELETE ON {table} BEGIN {_UPSERT.format(deltas=_child_rows(table, old, '-'))}; END",
    ]


def create_triggers(table: str) -> None:
    for statement in _postgres(table) if op.get_bind().dialect.name == "postgresql" else _sqlite(table):
        op.execute(statement)


def drop_triggers(table: str) -> None:
    events = ("insert", "update", "move", "delete")
    for event in events:
        if op.get_bind().dialect.name == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS tally_{table}_{event} ON {table}")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS tally_{table}_{event}")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP FUNCTION IF EXISTS tally_{table}()")


def upgrade():
    op.create_table(
        "workstream_tallies",
        sa.Column("workstream_id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("health", sa.String(length=16), nullable=False),
        sa.Column("count", sa.BigInteger(), nullable=False),
        sa.Column("percent_sum", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workstream_id"], ["workstreams.id"], name=op.f("fk_workstream_tallies_workstream_id_workstreams"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workstream_id", "subject", "status", "health", name=op.f("pk_workstream_tallies")),
    )
    op.execute(_UPSERT.format(deltas=f"{_action_rows('actions', '')} UNION ALL {_children('actions', '')}"))
    for table in TABLES:
        create_triggers(table)
    # Late actions, counted on each view, are read from this index alone (only the open ones due before today);
    # the figures the covering index of 0014 served are kept above.
    op.create_index(
        "ix_actions_workstream_status_due_on", "actions", ["workstream_id", "status", "due_on", "continues_action_id"]
    )
    op.drop_index("ix_actions_workstream_figures", table_name="actions")


def downgrade():
    op.create_index("ix_actions_workstream_figures", "actions", ["workstream_id", "status", "health", "percent"])
    op.drop_index("ix_actions_workstream_status_due_on", table_name="actions")
    for table in TABLES:
        drop_triggers(table)
    op.drop_table("workstream_tallies")
