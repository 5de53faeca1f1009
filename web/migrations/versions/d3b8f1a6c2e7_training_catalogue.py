"""development: the training catalogue HR keeps, enrolments named by course, certificates as evidence

Revision ID: d3b8f1a6c2e7
Revises: d3f5a7c9e1b2
Create Date: 2026-12-02 06:00:00

A course (``training_course``) has its JP, kind and whether a certificate proves it done. A development
activity keeps its certificate like a realisation keeps its evidence, can be withdrawn while planned,
and one appraisal holds at most one live enrolment per course (a partial unique index, both dialects).
"""
import sqlalchemy as sa
from alembic import op

revision = 'd3b8f1a6c2e7'
down_revision = 'd3f5a7c9e1b2'
branch_labels = None
depends_on = None

LIVE_ENROLMENT = sa.text("course_id IS NOT NULL AND status != 'withdrawn'")


def upgrade():
    op.create_table(
        'training_course',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=64), nullable=False),
        sa.Column('title', sa.String(length=255), nullable=False),
        sa.Column('jp', sa.Float(), nullable=False),
        sa.Column('kind', sa.String(length=24), nullable=False),
        sa.Column('certificate_required', sa.Boolean(), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_training_course')),
        sa.UniqueConstraint('code', name=op.f('uq_training_course_code')),
    )
    with op.batch_alter_table('development_activity', schema=None) as batch_op:
        batch_op.add_column(sa.Column('evidence_name', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('evidence_path', sa.String(length=512), nullable=True))
        batch_op.add_column(sa.Column('evidence_sha256', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('evidence_size', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('evidence_type', sa.String(length=127), nullable=True))
    op.create_index('uq_development_activity_course', 'development_activity', ['appraisal_id', 'course_id'],
                    unique=True, sqlite_where=LIVE_ENROLMENT, postgresql_where=LIVE_ENROLMENT)


def downgrade():
    op.drop_index('uq_development_activity_course', table_name='development_activity')
    with op.batch_alter_table('development_activity', schema=None) as batch_op:
        for column in ('evidence_type', 'evidence_size', 'evidence_sha256', 'evidence_path', 'evidence_name'):
            batch_op.drop_column(column)
    op.drop_table('training_course')
