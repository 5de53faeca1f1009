"""unhandled deadline index: the sweep walks only deadlines not handled yet

``siklus tick`` reads the passed deadlines that are neither handled (``overdue_handled_at``) nor of a
closed appraisal, in (due_at, id) order. The index on (due_at, overdue_handled_at) held every deadline
ever handled too, so each tick walked all of them (on a national deployment, millions). The new index
is partial (both PostgreSQL and SQLite support it) on exactly the rows the sweep reads, in its order.

Revision ID: d2f6a8c41e07
Revises: d3b8f1a6c2e7
Create Date: 2026-12-02 06:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = 'd2f6a8c41e07'
down_revision = 'd3b8f1a6c2e7'
branch_labels = None
depends_on = None

UNHANDLED = sa.text("overdue_handled_at IS NULL AND closed_at IS NULL")


def upgrade():
    with op.batch_alter_table('appraisal', schema=None) as batch_op:
        batch_op.drop_index('ix_appraisal_due')
        batch_op.create_index('ix_appraisal_due_unhandled', ['due_at', 'id'], unique=False,
                              postgresql_where=UNHANDLED, sqlite_where=UNHANDLED)


def downgrade():
    with op.batch_alter_table('appraisal', schema=None) as batch_op:
        batch_op.drop_index('ix_appraisal_due_unhandled')
        batch_op.create_index('ix_appraisal_due', ['due_at', 'overdue_handled_at'], unique=False)
