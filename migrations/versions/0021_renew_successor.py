"""an agreement names the agreement it succeeds, an action the action it continues (renewal into a successor)

Revision ID: 0021_renew_successor
Revises: 0020_layout_person_function
Create Date: 2026-11-29 19:55:00

On SQLite the columns are added in place, never by batch-copying the table: the copy would drop the page-cache
triggers of `agreements` and `actions` (0013_shape_agreement_stamps), and dropping the old `actions` table with
foreign keys on would cascade to its milestones. SQLite's ALTER TABLE cannot add a named table constraint, so the
named foreign key is written into the table's definition (the documented writable_schema procedure: same
columns, one more table constraint, schema version bumped), where SQLAlchemy and Alembic read its name.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0021_renew_successor'
down_revision = '0020_layout_person_function'
branch_labels = None
depends_on = None

COLUMNS = (
    # table, column, referred table
    ('agreements', 'succeeds_id', 'agreements'),
    ('actions', 'continues_action_id', 'actions'),
)


def upgrade():
    sqlite = op.get_bind().dialect.name == 'sqlite'
    for table, column, referred in COLUMNS:
        fk = f'fk_{table}_{column}_{referred}'
        if sqlite:
            op.execute(f'ALTER TABLE {table} ADD COLUMN {column} INTEGER')
            _sqlite_table_sql(table, lambda sql: sql.rstrip()[:-1].rstrip() + f', {_fk_sql(table, column, referred)})')
        else:
            op.add_column(table, sa.Column(column, sa.Integer(), nullable=True))
            op.create_foreign_key(fk, table, referred, [column], ['id'], ondelete='SET NULL')
        op.create_index(f'ix_{table}_{column}', table, [column], unique=True)


def _fk_sql(table, column, referred):
    return f'CONSTRAINT fk_{table}_{column}_{referred} FOREIGN KEY({column}) REFERENCES {referred} (id) ON DELETE SET NULL'


def _sqlite_table_sql(table, rewrite):
    """Rewrite the stored CREATE TABLE of an SQLite table with `rewrite(sql)` (rows and triggers untouched)."""
    bind = op.get_bind()
    sql = bind.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).scalar()
    new_sql = rewrite(sql)
    version = bind.exec_driver_sql('PRAGMA schema_version').scalar()
    bind.exec_driver_sql('PRAGMA writable_schema = ON')
    bind.exec_driver_sql("UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?", (new_sql, table))
    bind.exec_driver_sql(f'PRAGMA schema_version = {int(version) + 1}')
    bind.exec_driver_sql('PRAGMA writable_schema = OFF')


def downgrade():
    sqlite = op.get_bind().dialect.name == 'sqlite'
    for table, column, referred in reversed(COLUMNS):
        op.drop_index(f'ix_{table}_{column}', table_name=table)
        if sqlite:
            _sqlite_table_sql(table, lambda sql: sql.replace(f', {_fk_sql(table, column, referred)}', ''))
            op.execute(f'ALTER TABLE {table} DROP COLUMN {column}')
        else:
            op.drop_constraint(f'fk_{table}_{column}_{referred}', table, type_='foreignkey')
            op.drop_column(table, column)
