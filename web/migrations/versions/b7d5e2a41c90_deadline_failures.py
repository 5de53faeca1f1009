"""deadline failures: a fire that could not happen is kept with its error and retried

Revision ID: b7d5e2a41c90
Revises: 68d182314dce
Create Date: 2026-12-01 23:50:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'b7d5e2a41c90'
down_revision = '68d182314dce'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('deadline_failure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('appraisal_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=64), nullable=False),
    sa.Column('trigger', sa.String(length=64), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('error_text', sa.JSON(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('first_failed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_tried_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('next_try_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['appraisal_id'], ['appraisal.id'], name=op.f('fk_deadline_failure_appraisal_id_appraisal'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deadline_failure')),
    sa.UniqueConstraint('appraisal_id', name=op.f('uq_deadline_failure_appraisal_id'))
    )
    with op.batch_alter_table('deadline_failure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deadline_failure_next_try_at'), ['next_try_at'], unique=False)


def downgrade():
    with op.batch_alter_table('deadline_failure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deadline_failure_next_try_at'))
    op.drop_table('deadline_failure')
