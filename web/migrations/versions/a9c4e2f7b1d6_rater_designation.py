"""rater designation: who rates (and reviews) an employee with no superior in the system

Revision ID: a9c4e2f7b1d6
Revises: b4e8d2a6c1f9
Create Date: 2026-12-02 13:40:00

Adds ``rater_designation``: for an employee at the top of the organisation (a Sekretaris Daerah, an
agency head whose superior is the regional head, who is no employee), the user account HR named as
their pejabat penilai kinerja and, optionally, as their atasan pejabat penilai. Nothing existing is
converted: employees without a supervisor had no one in the rater role before, and keep none until HR
names someone.
"""
import sqlalchemy as sa
from alembic import op

revision = 'a9c4e2f7b1d6'
down_revision = 'b4e8d2a6c1f9'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'rater_designation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('employee_id', sa.Integer(), nullable=False),
        sa.Column('rater_user_id', sa.Integer(), nullable=False),
        sa.Column('reviewer_user_id', sa.Integer(), nullable=True),
        sa.Column('basis', sa.String(length=255), nullable=False),
        sa.Column('designated_by_id', sa.Integer(), nullable=True),
        sa.Column('designated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['employee_id'], ['employee.id'],
                                name=op.f('fk_rater_designation_employee_id_employee'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['rater_user_id'], ['user_account.id'],
                                name=op.f('fk_rater_designation_rater_user_id_user_account')),
        sa.ForeignKeyConstraint(['reviewer_user_id'], ['user_account.id'],
                                name=op.f('fk_rater_designation_reviewer_user_id_user_account')),
        sa.ForeignKeyConstraint(['designated_by_id'], ['user_account.id'],
                                name=op.f('fk_rater_designation_designated_by_id_user_account'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_rater_designation')),
        sa.UniqueConstraint('employee_id', name=op.f('uq_rater_designation_employee_id')),
    )
    with op.batch_alter_table('rater_designation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rater_designation_rater_user_id'), ['rater_user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rater_designation_reviewer_user_id'), ['reviewer_user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('rater_designation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rater_designation_reviewer_user_id'))
        batch_op.drop_index(batch_op.f('ix_rater_designation_rater_user_id'))
    op.drop_table('rater_designation')
