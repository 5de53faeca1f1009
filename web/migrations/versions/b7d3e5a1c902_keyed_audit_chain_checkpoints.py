"""keyed audit chain: the signing key of each event, signed stream heads

Revision ID: b7d3e5a1c902
Revises: b7e2c41d9a10
Create Date: 2026-12-01 23:55:00

Events written before this revision keep ``key_id`` NULL (an unkeyed SHA-256); ``siklus audit
rekey`` re-signs them with the server key and writes the first checkpoints (docs/audit.md).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7d3e5a1c902'
down_revision = 'b7e2c41d9a10'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('key_id', sa.String(length=16), nullable=True))
    op.create_table('audit_checkpoint',
    sa.Column('stream', sa.String(length=64), nullable=False),
    sa.Column('appraisal_id', sa.Integer(), nullable=True),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.Column('key_id', sa.String(length=16), nullable=False),
    sa.Column('signature', sa.String(length=64), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('stream', name=op.f('pk_audit_checkpoint'))
    )
    with op.batch_alter_table('audit_checkpoint', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_checkpoint_appraisal_id'), ['appraisal_id'], unique=False)


def downgrade():
    with op.batch_alter_table('audit_checkpoint', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_checkpoint_appraisal_id'))
    op.drop_table('audit_checkpoint')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_column('key_id')
