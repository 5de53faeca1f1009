"""overdue tally: open appraisals counted per unit (with the units below), run, state and deadline hour; the audit log paged on (occurred_at, id)

Revision ID: a9c4e7d1f2b6
Revises: a9c4e2f7b1d6
Create Date: 2026-12-02 14:00:00

Overdue work (reports, a run's progress) sums ``overdue_tally`` for the hours before the current one and counts
only the current hour's deadlines from the appraisals, instead of reading every overdue appraisal of its scope. Triggers on
``appraisal``, ``employee`` and ``org_unit`` keep it in step (engine.tally_sql). Two partial indexes on open
appraisals serve what is still read from the rows: the current hour's deadlines, and a run's overdue appraisals oldest
first. The appraisals already stored are counted in with one grouped INSERT ... SELECT.

The audit log's page order and keyset are (occurred_at, id): its index on occurred_at alone becomes one on both, so a
page is an index walk that stops after one page even where many events share a moment.
"""
import sqlalchemy as sa
from alembic import op

from engine.overdue_sql import OVERDUE_TRIGGERS, overdue_in
from engine.tally_sql import create_triggers, drop_triggers

revision = 'a9c4e7d1f2b6'
down_revision = 'a9c4e2f7b1d6'
branch_labels = None
depends_on = None

OPEN = sa.text("closed_at IS NULL")


def upgrade():
    op.create_table(
        'overdue_tally',
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('own', sa.Integer(), nullable=False),
        sa.Column('run_id', sa.Integer(), nullable=False),
        sa.Column('definition_id', sa.Integer(), nullable=False),
        sa.Column('state', sa.String(length=64), nullable=False),
        sa.Column('due_hour', sa.String(length=13), nullable=False),
        sa.Column('appraisals', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('unit_id', 'own', 'run_id', 'definition_id', 'state', 'due_hour',
                                name=op.f('pk_overdue_tally')),
    )
    op.create_index('ix_overdue_tally_run', 'overdue_tally', ['run_id', 'own', 'due_hour'], unique=False)
    op.create_index('ix_appraisal_open_due', 'appraisal', ['due_at', 'state'], unique=False,
                    sqlite_where=OPEN, postgresql_where=OPEN)
    op.create_index('ix_appraisal_run_due', 'appraisal', ['run_id', 'due_at', 'id'], unique=False,
                    sqlite_where=OPEN, postgresql_where=OPEN)
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index('ix_audit_event_occurred_id', ['occurred_at', 'id'], unique=False)
        batch_op.drop_index('ix_audit_event_occurred')
    bind = op.get_bind()
    for statement in create_triggers(bind.dialect.name, OVERDUE_TRIGGERS):
        bind.exec_driver_sql(statement)
    bind.exec_driver_sql(overdue_in(bind.dialect.name, "TRUE"))


def downgrade():
    bind = op.get_bind()
    for statement in drop_triggers(bind.dialect.name, OVERDUE_TRIGGERS):
        bind.exec_driver_sql(statement)
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index('ix_audit_event_occurred', ['occurred_at'], unique=False)
        batch_op.drop_index('ix_audit_event_occurred_id')
    op.drop_index('ix_appraisal_run_due', table_name='appraisal')
    op.drop_index('ix_appraisal_open_due', table_name='appraisal')
    op.drop_index('ix_overdue_tally_run', table_name='overdue_tally')
    op.drop_table('overdue_tally')
