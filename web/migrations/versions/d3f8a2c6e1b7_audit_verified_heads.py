"""audit verify at scale: the head each chain was last verified at, on its checkpoint

Revision ID: d3f8a2c6e1b7
Revises: c5a1d0e7f3b2
Create Date: 2026-12-02 06:10:00

``siklus audit verify`` records, beside the writer's signed head of each stream, the head it last
proved (seq, hash, a keyed signature, when) and the run whose launch started the chain, so a nightly
run re-walks only the chains that moved since and an interrupted run resumes. Existing rows start
unverified (NULL): the first run after the upgrade checks everything.
"""
from alembic import op
import sqlalchemy as sa


revision = 'd3f8a2c6e1b7'
down_revision = 'c5a1d0e7f3b2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_checkpoint') as batch:
        batch.add_column(sa.Column('verified_seq', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('verified_hash', sa.String(length=64), nullable=True))
        batch.add_column(sa.Column('verified_key_id', sa.String(length=16), nullable=True))
        batch.add_column(sa.Column('verified_signature', sa.String(length=64), nullable=True))
        batch.add_column(sa.Column('verified_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('launch_run_id', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('audit_checkpoint') as batch:
        for name in ('launch_run_id', 'verified_at', 'verified_signature', 'verified_key_id', 'verified_hash',
                     'verified_seq'):
            batch.drop_column(name)
