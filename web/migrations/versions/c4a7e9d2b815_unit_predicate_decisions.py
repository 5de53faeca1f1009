"""unit predicate decisions: the organisation's predicate per unit and period, with its penetapan

Revision ID: c4a7e9d2b815
Revises: b7d3e5a1c902
Create Date: 2026-12-02 03:00:00

A unit has at most one standing decision per period (a partial unique index, as for open
appraisals); a superseded decision stays as history.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c4a7e9d2b815'
down_revision = 'b7d3e5a1c902'
branch_labels = None
depends_on = None

STANDING = sa.text("superseded_at IS NULL")


def upgrade():
    op.create_table('unit_predicate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=16), nullable=False),
    sa.Column('period_start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('period_end', sa.DateTime(timezone=True), nullable=False),
    sa.Column('predicate', sa.String(length=32), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=False),
    sa.Column('decided_by', sa.String(length=255), nullable=False),
    sa.Column('document_name', sa.String(length=255), nullable=False),
    sa.Column('document_path', sa.String(length=512), nullable=False),
    sa.Column('document_sha256', sa.String(length=64), nullable=False),
    sa.Column('document_size', sa.BigInteger(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('superseded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('superseded_by_id', sa.Integer(), nullable=True),
    sa.Column('audit_event_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id'], name=op.f('fk_unit_predicate_unit_id_org_unit')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'],
                            name=op.f('fk_unit_predicate_recorded_by_id_user_account')),
    sa.ForeignKeyConstraint(['superseded_by_id'], ['unit_predicate.id'],
                            name=op.f('fk_unit_predicate_superseded_by_id_unit_predicate')),
    sa.ForeignKeyConstraint(['audit_event_id'], ['audit_event.id'],
                            name=op.f('fk_unit_predicate_audit_event_id_audit_event')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unit_predicate'))
    )
    with op.batch_alter_table('unit_predicate', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_unit_predicate_unit_id'), ['unit_id'], unique=False)
        batch_op.create_index('uq_unit_predicate_unit_period', ['unit_id', 'period'], unique=True,
                              sqlite_where=STANDING, postgresql_where=STANDING)


def downgrade():
    with op.batch_alter_table('unit_predicate', schema=None) as batch_op:
        batch_op.drop_index('uq_unit_predicate_unit_period')
        batch_op.drop_index(batch_op.f('ix_unit_predicate_unit_id'))
    op.drop_table('unit_predicate')
