"""value provenance: who supplied each realisation and set each target

Revision ID: b7e2c41d9a10
Revises: 5b7e2c41d9a3
Create Date: 2026-12-01 23:50:00

A realisation keeps the cycle role it was supplied as (or the system source that fed it); an IKI
target keeps who set it, as which role, and when. Rows written before this revision keep NULL: their
author is still recorded_by_id and the audit chain.
"""
from alembic import op
import sqlalchemy as sa


revision = 'b7e2c41d9a10'
down_revision = '5b7e2c41d9a3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('realisation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('supplied_role', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('source', sa.String(length=64), nullable=True))
    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.add_column(sa.Column('set_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('set_role', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('set_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_indicator_set_by_id_user_account'), 'user_account',
                                    ['set_by_id'], ['id'])


def downgrade():
    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_indicator_set_by_id_user_account'), type_='foreignkey')
        batch_op.drop_column('set_at')
        batch_op.drop_column('set_role')
        batch_op.drop_column('set_by_id')
    with op.batch_alter_table('realisation', schema=None) as batch_op:
        batch_op.drop_column('source')
        batch_op.drop_column('supplied_role')
