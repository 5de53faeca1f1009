"""cascade: an IKI links the leader's IKI it supports by id

Revision ID: c5a1d0e7f3b2
Revises: c1a7e5d2b3f4
Create Date: 2026-12-02 03:00:00

The subordinate's RHK names the leader's RHK it supports (intervensi) by the leader's indicator id;
``parent_rhk`` keeps the free text of earlier versions, which is still shown. A leader's row that goes
away leaves the link empty (SET NULL), which ``siklus audit verify`` then names.
"""
import sqlalchemy as sa
from alembic import op

revision = 'c5a1d0e7f3b2'
down_revision = 'c1a7e5d2b3f4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.add_column(sa.Column('parent_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_indicator_parent_id'), ['parent_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_indicator_parent_id_indicator'), 'indicator',
                                    ['parent_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_indicator_parent_id_indicator'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_indicator_parent_id'))
        batch_op.drop_column('parent_id')
