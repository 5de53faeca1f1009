"""periodic checkpoints: entries per checkpoint and the checkpoint of a realisation

Revision ID: c1a7e5d2b3f4
Revises: c4a7e9d2b815
Create Date: 2026-12-02 03:10:00

A checkpoint entry is the employee's report or self-assessment, the rater's feedback or periodic
rating, or a checkpoint's closure; there is at most one of each per checkpoint except feedback. A
realisation recorded for a checkpoint names it; older rows keep NULL (recorded for the run as a whole).
"""
from alembic import op
import sqlalchemy as sa


revision = 'c1a7e5d2b3f4'
down_revision = 'c4a7e9d2b815'
branch_labels = None
depends_on = None

SINGLE = sa.text("kind <> 'feedback'")


def upgrade():
    op.create_table(
        'checkpoint_entry',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('appraisal_id', sa.Integer(), nullable=False),
        sa.Column('checkpoint', sa.String(length=64), nullable=False),
        sa.Column('kind', sa.String(length=24), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('answers', sa.JSON(), nullable=False),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        sa.Column('role', sa.String(length=64), nullable=True),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('evidence_name', sa.String(length=255), nullable=True),
        sa.Column('evidence_path', sa.String(length=512), nullable=True),
        sa.Column('evidence_sha256', sa.String(length=64), nullable=True),
        sa.Column('evidence_size', sa.BigInteger(), nullable=True),
        sa.Column('evidence_type', sa.String(length=127), nullable=True),
        sa.ForeignKeyConstraint(['appraisal_id'], ['appraisal.id'],
                                name=op.f('fk_checkpoint_entry_appraisal_id_appraisal'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'],
                                name=op.f('fk_checkpoint_entry_recorded_by_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_checkpoint_entry')),
    )
    op.create_index('ix_checkpoint_entry_appraisal', 'checkpoint_entry', ['appraisal_id', 'checkpoint'])
    op.create_index('uq_checkpoint_entry_single', 'checkpoint_entry', ['appraisal_id', 'checkpoint', 'kind'],
                    unique=True, sqlite_where=SINGLE, postgresql_where=SINGLE)
    with op.batch_alter_table('realisation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('checkpoint', sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table('realisation', schema=None) as batch_op:
        batch_op.drop_column('checkpoint')
    op.drop_index('uq_checkpoint_entry_single', table_name='checkpoint_entry')
    op.drop_index('ix_checkpoint_entry_appraisal', table_name='checkpoint_entry')
    op.drop_table('checkpoint_entry')
