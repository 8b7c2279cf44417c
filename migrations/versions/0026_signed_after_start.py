"""an agreement may be signed after its start (retroactive effect): ck_agreements_signed_before_start is dropped

Revision ID: 0026_signed_after_start
Revises: 0025_successor_signed_on
Create Date: 2026-11-30 02:30:00

On SQLite the constraint is removed from the stored CREATE TABLE (the writable_schema procedure of
0021_renew_successor), never by batch-copying the table: the copy would drop the page-cache triggers of
`agreements` (0013_shape_agreement_stamps).
"""
import re

from alembic import op


revision = '0026_signed_after_start'
down_revision = '0025_successor_signed_on'
branch_labels = None
depends_on = None

NAME = 'ck_agreements_signed_before_start'
CHECK = 'signed_on <= starts_on'


def upgrade():
    if op.get_bind().dialect.name == 'sqlite':
        _sqlite_table_sql('agreements', lambda sql: re.sub(rf',\s*{re.escape(_check_sql())}', '', sql))
    else:
        op.drop_constraint(op.f(NAME), 'agreements', type_='check')


def downgrade():
    if op.get_bind().dialect.name == 'sqlite':
        _sqlite_table_sql('agreements', lambda sql: sql.rstrip()[:-1].rstrip() + f', {_check_sql()})')
    else:
        op.create_check_constraint(op.f(NAME), 'agreements', CHECK)


def _check_sql():
    return f'CONSTRAINT {NAME} CHECK ({CHECK})'


def _sqlite_table_sql(table, rewrite):
    """Rewrite the stored CREATE TABLE of an SQLite table with `rewrite(sql)` (rows and triggers untouched)."""
    bind = op.get_bind()
    sql = bind.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).scalar()
    new_sql = rewrite(sql)
    if new_sql == sql:
        raise RuntimeError(f'{NAME} is not where expected in the stored definition of {table}')
    version = bind.exec_driver_sql('PRAGMA schema_version').scalar()
    bind.exec_driver_sql('PRAGMA writable_schema = ON')
    bind.exec_driver_sql("UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?", (new_sql, table))
    bind.exec_driver_sql(f'PRAGMA schema_version = {int(version) + 1}')
    bind.exec_driver_sql('PRAGMA writable_schema = OFF')
