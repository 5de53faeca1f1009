"""overdue tally read by unit and deadline hour: a covering index on PostgreSQL

Revision ID: 9e17a4df9816
Revises: a9c4e7d1f2b6
Create Date: 2026-12-02 16:40:00

Overdue work on a report sums a level's ``overdue_tally`` rows of the hours already passed. The primary key leads
with (unit_id, own, run_id, definition_id, state), so it could not stop at the current hour and every row of the
level's units was fetched from the table: on a national page with deadlines spread over a year, 466,781 rows in
1.4 s. An index on (unit_id, due_hour) carrying the other columns lets PostgreSQL read only the passed hours, from
the index alone. SQLite (the embedded database, one agency) does without it.
"""
from alembic import op

revision = '9e17a4df9816'
down_revision = 'a9c4e7d1f2b6'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.create_index("ix_overdue_tally_unit_hour", "overdue_tally", ["unit_id", "due_hour"],
                        postgresql_include=["own", "run_id", "definition_id", "state", "appraisals"])


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_overdue_tally_unit_hour", table_name="overdue_tally")
