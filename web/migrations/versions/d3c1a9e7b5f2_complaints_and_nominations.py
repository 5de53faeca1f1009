"""complaints and nominations: public complaints as cases for HR, 360 respondents an employee nominates,
and the public survey's anonymous respondent profile

Revision ID: d3c1a9e7b5f2
Revises: d3f8a2c6e1b7
Create Date: 2026-12-02 06:00:00
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'd3c1a9e7b5f2'
down_revision = 'd3f8a2c6e1b7'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('feedback_response', schema=None) as batch_op:
        batch_op.add_column(sa.Column('profile', sa.JSON(), nullable=True))
    op.create_table('complaint',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('duplicate_of_id', sa.Integer(), nullable=True),
    sa.Column('employee_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('triaged_by_id', sa.Integer(), nullable=True),
    sa.Column('triaged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reply', sa.Text(), nullable=False),
    sa.Column('replied_by_id', sa.Integer(), nullable=True),
    sa.Column('replied_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id'], name=op.f('fk_complaint_unit_id_org_unit')),
    sa.ForeignKeyConstraint(['response_id'], ['feedback_response.id'], ondelete='CASCADE',
                            name=op.f('fk_complaint_response_id_feedback_response')),
    sa.ForeignKeyConstraint(['duplicate_of_id'], ['complaint.id'], name=op.f('fk_complaint_duplicate_of_id_complaint')),
    sa.ForeignKeyConstraint(['employee_id'], ['employee.id'], name=op.f('fk_complaint_employee_id_employee')),
    sa.ForeignKeyConstraint(['triaged_by_id'], ['user_account.id'],
                            name=op.f('fk_complaint_triaged_by_id_user_account')),
    sa.ForeignKeyConstraint(['replied_by_id'], ['user_account.id'],
                            name=op.f('fk_complaint_replied_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint')),
    sa.UniqueConstraint('response_id', name=op.f('uq_complaint_response_id'))
    )
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.create_index('ix_complaint_unit_received', ['unit_id', 'received_at'], unique=False)
        batch_op.create_index('ix_complaint_employee_status', ['employee_id', 'status', 'received_at'], unique=False)
    op.create_table('feedback_nomination',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('appraisal_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=64), nullable=False),
    sa.Column('nominee_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('proposed_by_id', sa.Integer(), nullable=True),
    sa.Column('proposed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['appraisal_id'], ['appraisal.id'], ondelete='CASCADE',
                            name=op.f('fk_feedback_nomination_appraisal_id_appraisal')),
    sa.ForeignKeyConstraint(['nominee_id'], ['employee.id'], name=op.f('fk_feedback_nomination_nominee_id_employee')),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['user_account.id'],
                            name=op.f('fk_feedback_nomination_proposed_by_id_user_account')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'],
                            name=op.f('fk_feedback_nomination_decided_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback_nomination')),
    sa.UniqueConstraint('appraisal_id', 'role', 'nominee_id', name='uq_feedback_nomination')
    )
    with op.batch_alter_table('feedback_nomination', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feedback_nomination_nominee_id'), ['nominee_id'], unique=False)


def downgrade():
    with op.batch_alter_table('feedback_nomination', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feedback_nomination_nominee_id'))
    op.drop_table('feedback_nomination')
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.drop_index('ix_complaint_employee_status')
        batch_op.drop_index('ix_complaint_unit_received')
    op.drop_table('complaint')
    with op.batch_alter_table('feedback_response', schema=None) as batch_op:
        batch_op.drop_column('profile')
