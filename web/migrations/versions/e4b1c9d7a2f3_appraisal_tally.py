"""appraisal tally: open appraisals counted per unit (with the units below), run, state and predicate

Revision ID: e4b1c9d7a2f3
Revises: e1a4c7d2b9f3
Create Date: 2026-12-02 09:45:00

Reports, run progress and calibration read ``appraisal_tally`` instead of counting every appraisal of a
scope, and ``org_unit_ancestor`` (every unit with each unit above it) says which units a tally row sums.
Triggers on ``org_unit``, ``appraisal``, ``result`` and ``employee`` keep both in step in the transaction of
every change (engine.tally_sql explains how). The units and appraisals already written are counted here, each
table in one INSERT ... SELECT (a recursive walk up the tree, then a grouped count of the open appraisals), so
both agree with the rows from the start.
"""
import sqlalchemy as sa
from alembic import op

from engine.tally_sql import TRIGGERS, ancestors_in, count_in, create_triggers, drop_triggers

revision = 'e4b1c9d7a2f3'
down_revision = 'e1a4c7d2b9f3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'org_unit_ancestor',
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('ancestor_id', sa.Integer(), nullable=False),
        sa.Column('depth', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('unit_id', 'ancestor_id', name=op.f('pk_org_unit_ancestor')),
    )
    op.create_index('ix_org_unit_ancestor_ancestor', 'org_unit_ancestor', ['ancestor_id', 'depth'], unique=False)
    op.create_table(
        'appraisal_tally',
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('own', sa.Integer(), nullable=False),
        sa.Column('run_id', sa.Integer(), nullable=False),
        sa.Column('definition_id', sa.Integer(), nullable=False),
        sa.Column('state', sa.String(length=64), nullable=False),
        sa.Column('predicate', sa.Text(), nullable=False),
        sa.Column('rating', sa.Text(), nullable=False),
        sa.Column('appraisals', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('unit_id', 'own', 'run_id', 'definition_id', 'state', 'predicate', 'rating',
                                name=op.f('pk_appraisal_tally')),
    )
    op.create_index('ix_appraisal_tally_run_state', 'appraisal_tally', ['run_id', 'state'], unique=False)
    bind = op.get_bind()
    for statement in create_triggers(bind.dialect.name, TRIGGERS):
        bind.exec_driver_sql(statement)
    bind.exec_driver_sql(ancestors_in("TRUE"))
    bind.exec_driver_sql(count_in("TRUE"))


def downgrade():
    bind = op.get_bind()
    for statement in drop_triggers(bind.dialect.name, TRIGGERS):
        bind.exec_driver_sql(statement)
    op.drop_index('ix_appraisal_tally_run_state', table_name='appraisal_tally')
    op.drop_table('appraisal_tally')
    op.drop_index('ix_org_unit_ancestor_ancestor', table_name='org_unit_ancestor')
    op.drop_table('org_unit_ancestor')
