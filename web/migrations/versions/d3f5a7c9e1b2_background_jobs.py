"""background jobs: job and job_item

Revision ID: d3f5a7c9e1b2
Revises: d3c1a9e7b5f2
Create Date: 2026-12-02 06:00:00

Long work (bulk actions above a threshold, large launches) queued for ``siklus worker``: one row per
job and one per item, each item finished in its own transaction so a job resumes where it stopped.
"""
import sqlalchemy as sa
from alembic import op

revision = 'd3f5a7c9e1b2'
down_revision = 'd3c1a9e7b5f2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'job',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=32), nullable=False),
        sa.Column('params', sa.JSON(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('total', sa.Integer(), nullable=False),
        sa.Column('done', sa.Integer(), nullable=False),
        sa.Column('result', sa.JSON(), nullable=False),
        sa.Column('requested_by_id', sa.Integer(), nullable=True),
        sa.Column('requested_by_name', sa.String(length=120), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('worker', sa.String(length=120), nullable=True),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('error', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['requested_by_id'], ['user_account.id'],
                                name=op.f('fk_job_requested_by_id_user_account'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_job')),
    )
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.create_index('ix_job_status_id', ['status', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_job_requested_by_id'), ['requested_by_id'], unique=False)

    op.create_table(
        'job_item',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('job_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('ref', sa.Integer(), nullable=True),
        sa.Column('params', sa.JSON(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('outcome', sa.JSON(), nullable=False),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['job_id'], ['job.id'], name=op.f('fk_job_item_job_id_job'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_job_item')),
        sa.UniqueConstraint('job_id', 'position', name='uq_job_item_job_position'),
    )
    with op.batch_alter_table('job_item', schema=None) as batch_op:
        batch_op.create_index('ix_job_item_job_status', ['job_id', 'status'], unique=False)


def downgrade():
    with op.batch_alter_table('job_item', schema=None) as batch_op:
        batch_op.drop_index('ix_job_item_job_status')
    op.drop_table('job_item')
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_job_requested_by_id'))
        batch_op.drop_index('ix_job_status_id')
    op.drop_table('job')
