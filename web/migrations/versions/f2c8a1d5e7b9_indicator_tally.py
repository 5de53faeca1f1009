"""indicator tally: missed IKI targets counted per unit (with the units below), run, definition and indicator

Revision ID: f2c8a1d5e7b9
Revises: e4b1c9d7a2f3
Create Date: 2026-12-02 10:30:00

The report of indicators most often missed reads ``indicator_tally`` instead of every achievement result of
its scope. Triggers on ``result``, ``indicator``, ``appraisal``, ``employee`` and ``org_unit`` keep it in step
(engine.tally_sql). The achievements already stored are counted in with one grouped INSERT ... SELECT.
"""
import sqlalchemy as sa
from alembic import op

from engine.tally_sql import INDICATOR_TRIGGERS, create_triggers, drop_triggers, indicators_in

revision = 'f2c8a1d5e7b9'
down_revision = 'e4b1c9d7a2f3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'indicator_tally',
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('own', sa.Integer(), nullable=False),
        sa.Column('run_id', sa.Integer(), nullable=False),
        sa.Column('definition_id', sa.Integer(), nullable=False),
        sa.Column('indicator', sa.Text(), nullable=False),
        sa.Column('label', sa.Text(), nullable=False),
        sa.Column('assessed', sa.Integer(), nullable=False),
        sa.Column('missed', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('unit_id', 'own', 'run_id', 'definition_id', 'indicator', 'label',
                                name=op.f('pk_indicator_tally')),
    )
    bind = op.get_bind()
    for statement in create_triggers(bind.dialect.name, INDICATOR_TRIGGERS):
        bind.exec_driver_sql(statement)
    bind.exec_driver_sql(indicators_in(bind.dialect.name, "TRUE"))


def downgrade():
    bind = op.get_bind()
    for statement in drop_triggers(bind.dialect.name, INDICATOR_TRIGGERS):
        bind.exec_driver_sql(statement)
    op.drop_table('indicator_tally')
