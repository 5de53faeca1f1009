"""a person's notices read newest first through an index

Revision ID: d3a9f1c7b2e5
Revises: d2f6a8c41e07
Create Date: 2026-12-02 06:30:00

The notices page lists a person's newest notices first; with only (user_id, read_at) indexed the
database sorts every notice the person ever had on each view. (user_id, created_at, id) reads the
first page in order. The queues, home, team and API lists need no new index: each branch of their
candidate unions follows an index that exists (employee.supervisor_id, employee.unit_id,
appraisal.employee_id, org_unit.parent_id).
"""
from alembic import op

revision = 'd3a9f1c7b2e5'
down_revision = 'd2f6a8c41e07'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_notification_user_created', 'notification', ['user_id', 'created_at', 'id'], unique=False)


def downgrade():
    op.drop_index('ix_notification_user_created', table_name='notification')
