"""one open appraisal per employee, cycle and period; closing an appraisal

Revision ID: 5b7e2c41d9a3
Revises: b7e1c2d3a4f5
Create Date: 2026-12-01 23:50:00.000000

The appraisal gets its run's cycle and period (backfilled from cycle_run) and a partial unique
index on (employee_id, cycle_id, period) over the appraisals that are not closed. Before the index
is built, an employee who already has two open appraisals of one cycle and period (a sub-unit
launched after its parent) keeps the one with the most recorded work (the longest audit chain,
then the oldest) and the others are closed as ``duplicate``, naming the one that continues.
"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5b7e2c41d9a3'
down_revision = 'b7e1c2d3a4f5'
branch_labels = None
depends_on = None

OPEN = sa.text("closed_at IS NULL")


def upgrade():
    with op.batch_alter_table('appraisal', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cycle_id', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('period', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('closed_kind', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('closed_reason', sa.Text(), nullable=True))

    conn = op.get_bind()
    conn.execute(sa.text(
        "UPDATE appraisal SET "
        "cycle_id = (SELECT cycle_run.cycle_id FROM cycle_run WHERE cycle_run.id = appraisal.run_id), "
        "period = (SELECT cycle_run.period FROM cycle_run WHERE cycle_run.id = appraisal.run_id)"))
    _close_duplicates(conn)

    with op.batch_alter_table('appraisal', schema=None) as batch_op:
        batch_op.alter_column('cycle_id', existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column('period', existing_type=sa.String(length=16), nullable=False)
    op.create_index('uq_appraisal_employee_cycle_period', 'appraisal', ['employee_id', 'cycle_id', 'period'],
                    unique=True, sqlite_where=OPEN, postgresql_where=OPEN)


def _close_duplicates(conn):
    """Close all but one open appraisal of each employee, cycle and period (see the module docstring)."""
    rows = conn.execute(sa.text(
        "SELECT a.id, a.employee_id, a.cycle_id, a.period FROM appraisal a JOIN ("
        " SELECT employee_id, cycle_id, period FROM appraisal GROUP BY employee_id, cycle_id, period"
        " HAVING COUNT(*) > 1) d ON d.employee_id = a.employee_id AND d.cycle_id = a.cycle_id"
        " AND d.period = a.period ORDER BY a.employee_id, a.cycle_id, a.period, a.audit_seq DESC, a.id")).all()
    kept = {}
    now = datetime.now(timezone.utc)
    if conn.dialect.name == "sqlite":
        now = now.replace(tzinfo=None)
    for appraisal_id, employee_id, cycle_id, period in rows:
        key = (employee_id, cycle_id, period)
        if key not in kept:
            kept[key] = appraisal_id
            continue
        conn.execute(sa.text(
            "UPDATE appraisal SET closed_at = :now, closed_kind = 'duplicate', closed_reason = :reason, due_at = NULL"
            " WHERE id = :id"),
            {"now": now, "id": appraisal_id,
             "reason": f"second appraisal of {cycle_id} {period}; appraisal #{kept[key]} continues"})


def downgrade():
    op.drop_index('uq_appraisal_employee_cycle_period', table_name='appraisal')
    with op.batch_alter_table('appraisal', schema=None) as batch_op:
        batch_op.drop_column('closed_reason')
        batch_op.drop_column('closed_kind')
        batch_op.drop_column('closed_at')
        batch_op.drop_column('period')
        batch_op.drop_column('cycle_id')
