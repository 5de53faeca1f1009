"""user session version (a copied session cookie dies on logout and password change); rate-limit counters

Revision ID: b7e1c2d3a4f5
Revises: b7f3c9a1d2e4
Create Date: 2026-12-01 23:50:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'b7e1c2d3a4f5'
down_revision = 'b7f3c9a1d2e4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account') as batch:
        batch.add_column(sa.Column('session_version', sa.Integer(), nullable=False, server_default='0'))
    op.create_table(
        'rate_limit_counter',
        sa.Column('key', sa.String(length=255), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.Column('expires_at', sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_rate_limit_counter')),
    )
    op.create_index(op.f('ix_rate_limit_counter_expires_at'), 'rate_limit_counter', ['expires_at'])


def downgrade():
    op.drop_index(op.f('ix_rate_limit_counter_expires_at'), table_name='rate_limit_counter')
    op.drop_table('rate_limit_counter')
    with op.batch_alter_table('user_account') as batch:
        batch.drop_column('session_version')
