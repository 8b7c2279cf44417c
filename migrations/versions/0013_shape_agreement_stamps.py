"""a change counter per agreement, bumped by triggers on every table whose rows its pages show

Revision ID: 0013_shape_agreement_stamps
Revises: 0012_ending_closure
Create Date: 2026-11-29 17:00:00

The page cache keys an agreement's pages by `agreement_stamps.changes` (one row read by its key). Every
insert, update or delete of a row under the agreement bumps it in the same transaction, whoever writes it:
PostgreSQL with statement-level triggers (one update of the counter per statement, also for bulk loads),
SQLite with row-level triggers. People and parties are shown in every agreement their party signed: a change
of a user's shown fields (not a login) or of a party bumps those agreements.

Note for later migrations: on SQLite, `batch_alter_table` on one of these tables rebuilds it and drops its
triggers; such a migration must create them again (`create_triggers(table)`), and
tests/workspace/test_page_cache.py fails on any table left without them.
"""

from alembic import op
import sqlalchemy as sa


revision = "0013_shape_agreement_stamps"
down_revision = "0012_ending_closure"
branch_labels = None
depends_on = None

_VIA_WORKSTREAM = "SELECT agreement_id FROM workstreams WHERE id IN ({keys})"
_VIA_ACTION = (
    "SELECT w.agreement_id FROM actions a JOIN workstreams w ON w.id = a.workstream_id WHERE a.id IN ({keys})"
)
_VIA_PARTY = "SELECT agreement_id FROM agreement_parties WHERE party_id IN ({keys})"

# table: (column that leads to the agreement, query of the agreement ids from those keys; None: the key is one)
STAMPED = {
    "agreements": ("id", None),
    "agreement_parties": ("agreement_id", None),
    "workstreams": ("agreement_id", None),
    "indicators": ("agreement_id", None),
    "reports": ("agreement_id", None),
    "audit_entries": ("agreement_id", None),
    "workstream_leads": ("workstream_id", _VIA_WORKSTREAM),
    "commitments": ("workstream_id", _VIA_WORKSTREAM),
    "actions": ("workstream_id", _VIA_WORKSTREAM),
    "action_commitments": ("action_id", _VIA_ACTION),
    "action_approvals": ("action_id", _VIA_ACTION),
    "milestones": ("action_id", _VIA_ACTION),
    "progress_updates": ("action_id", _VIA_ACTION),
    "attachments": ("action_id", _VIA_ACTION),
    "measurements": ("indicator_id", "SELECT agreement_id FROM indicators WHERE id IN ({keys})"),
    "report_signatures": ("report_id", "SELECT agreement_id FROM reports WHERE id IN ({keys})"),
    "amendments": ("agreement_id", None),
    "amendment_confirmations": ("amendment_id", "SELECT agreement_id FROM amendments WHERE id IN ({keys})"),
    "closeout_decisions": ("agreement_id", None),
    "closure_confirmations": ("agreement_id", None),
    "parties": ("id", _VIA_PARTY),
    "users": ("party_id", _VIA_PARTY),
}
# What pages show of a person: a login or a change of language or digest does not touch the pages.
USER_SHOWN = ("name", "email", "party_id", "role", "active")


def _bump(table: str, keys: str) -> str:
    column, via = STAMPED[table]
    ids = keys.format(column=column) if via is None else via.format(keys=keys.format(column=column))
    return f"UPDATE agreement_stamps SET changes = changes + 1 WHERE agreement_id IN ({ids})"


def _postgres(table: str) -> list[str]:
    new_rows, old_rows = "SELECT {column} FROM new_rows", "SELECT {column} FROM old_rows"
    if table == "users":  # only when a shown field changed
        changed = " OR ".join(f"n.{c} IS DISTINCT FROM o.{c}" for c in USER_SHOWN)
        new_rows = f"SELECT n.{{column}} FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE {changed}"
        old_rows = f"SELECT o.{{column}} FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE {changed}"
    on_insert = (
        "INSERT INTO agreement_stamps (agreement_id, changes) SELECT id, 0 FROM new_rows;"
        if table == "agreements"
        else _bump(table, "SELECT {column} FROM new_rows") + ";"
    )
    return [
        f"""
        CREATE FUNCTION stamp_{table}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'INSERT' THEN
                {on_insert}
            ELSIF TG_OP = 'UPDATE' THEN
                {_bump(table, new_rows)};
                {_bump(table, old_rows)};
            ELSE
                {_bump(table, "SELECT {column} FROM old_rows")};
            END IF;
            RETURN NULL;
        END;
        $$
        """,
        f"""CREATE TRIGGER stamp_{table}_insert AFTER INSERT ON {table} REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION stamp_{table}()""",
        f"""CREATE TRIGGER stamp_{table}_update AFTER UPDATE ON {table}
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stamp_{table}()""",
        f"""CREATE TRIGGER stamp_{table}_delete AFTER DELETE ON {table} REFERENCING OLD TABLE AS old_rows
        FOR EACH STATEMENT EXECUTE FUNCTION stamp_{table}()""",
    ]


def _sqlite(table: str) -> list[str]:
    on_insert = (
        "INSERT INTO agreement_stamps (agreement_id, changes) VALUES (NEW.id, 0)"
        if table == "agreements"
        else _bump(table, "NEW.{column}")
    )
    update_of = f"UPDATE OF {', '.join(USER_SHOWN)}" if table == "users" else "UPDATE"
    return [
        f"CREATE TRIGGER stamp_{table}_insert AFTER INSERT ON {table} BEGIN {on_insert}; END",
        f"""CREATE TRIGGER stamp_{table}_update AFTER {update_of} ON {table}
        BEGIN {_bump(table, "NEW.{column}")}; {_bump(table, "OLD.{column}")}; END""",
        f"CREATE TRIGGER stamp_{table}_delete AFTER DELETE ON {table} BEGIN {_bump(table, 'OLD.{column}')}; END",
    ]


def create_triggers(table: str) -> None:
    for statement in _postgres(table) if op.get_bind().dialect.name == "postgresql" else _sqlite(table):
        op.execute(statement)


def drop_triggers(table: str) -> None:
    for event in ("insert", "update", "delete"):
        if op.get_bind().dialect.name == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS stamp_{table}_{event} ON {table}")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS stamp_{table}_{event}")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP FUNCTION IF EXISTS stamp_{table}()")


def upgrade():
    op.create_table(
        "agreement_stamps",
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("changes", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"], ["agreements.id"], name=op.f("fk_agreement_stamps_agreement_id_agreements"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("agreement_id", name=op.f("pk_agreement_stamps")),
    )
    op.execute("INSERT INTO agreement_stamps (agreement_id, changes) SELECT id, 0 FROM agreements")
    for table in STAMPED:
        create_triggers(table)


def downgrade():
    for table in STAMPED:
        drop_triggers(table)
    op.drop_table("agreement_stamps")
