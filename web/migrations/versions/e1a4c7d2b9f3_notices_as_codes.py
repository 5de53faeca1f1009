"""notices as message codes: what a notice says is kept as a code and its parameters and rendered in
the reader's language when read

Revision ID: e1a4c7d2b9f3
Revises: d3a9f1c7b2e5
Create Date: 2026-12-02 09:45:00

Adds ``notification.code`` (the kind of notice, e.g. ``notice.action_needed``) and
``notification.params`` (its parameters as JSON). Notices written before this revision keep no code:
they are shown, and e-mailed, with the subject and body they were written with (in the recipient's
language of that day); nothing is converted.
"""
import sqlalchemy as sa
from alembic import op

revision = 'e1a4c7d2b9f3'
down_revision = 'd3a9f1c7b2e5'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.add_column(sa.Column('code', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('params', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_column('params')
        batch_op.drop_column('code')
