"""feedback respondent keys: mark the unkeyed legacy keys, index the key

The respondent key of a 360 answer was an unsalted SHA-256 of window, appraisal and user id, which
anyone holding the database could recompute by trying user ids. New keys are an HMAC with the
server's respondent secret (engine.keys), which a migration does not have (and must not create), so
existing keys are only marked legacy here; `siklus feedback rekey` replaces them with their keyed
form, and a respondent who answers again has their row upgraded then. The index serves the
"has this respondent answered already" lookups (and the public survey's rate limit).

Revision ID: b7f3c9a1d2e4
Revises: b7d5e2a41c90
Create Date: 2026-12-01 23:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7f3c9a1d2e4'
down_revision = 'b7d5e2a41c90'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('feedback_response', schema=None) as batch_op:
        batch_op.add_column(sa.Column('legacy_key', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_index('ix_feedback_response_respondent_key', ['respondent_key'], unique=False)
    feedback = sa.table('feedback_response', sa.column('appraisal_id', sa.Integer()),
                        sa.column('respondent_key', sa.String()), sa.column('legacy_key', sa.Boolean()))
    op.execute(feedback.update()
               .where(feedback.c.appraisal_id.is_not(None), feedback.c.respondent_key.is_not(None))
               .values(legacy_key=sa.true()))


def downgrade():
    with op.batch_alter_table('feedback_response', schema=None) as batch_op:
        batch_op.drop_index('ix_feedback_response_respondent_key')
        batch_op.drop_column('legacy_key')
