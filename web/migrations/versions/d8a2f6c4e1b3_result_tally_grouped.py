"""result tally triggers read their transition tables once: a statement over many appraisals' results is linear

Revision ID: d8a2f6c4e1b3
Revises: c6e1a9d4f2b7
Create Date: 2026-12-04 16:30:00

On PostgreSQL the predicate counts of ``appraisal_tally`` follow ``result`` through statement triggers over
their transition tables. For each appraisal the statement touched, the "before" side looked up the changed and
the old rows in those tables, which have no index: a statement deleting or rewriting the results of n
appraisals cost n squared (deleting the results of 100,000 appraisals ran for many minutes). The tables are
now grouped by appraisal once and joined (engine.tally_sql ``_results_statement_sides``). No count changes.
"""
from alembic import op

from engine.tally_sql import TRIGGERS, create_triggers

revision = 'd8a2f6c4e1b3'
down_revision = 'c6e1a9d4f2b7'
branch_labels = None
depends_on = None


def _changed_triggers():
    return tuple(t for t in TRIGGERS if t.table == "result" and t.only == "postgresql")


def upgrade():
    bind = op.get_bind()
    # create() drops each trigger first, and makes nothing of a trigger for the other database.
    for statement in create_triggers(bind.dialect.name, _changed_triggers()):
        bind.exec_driver_sql(statement)


def downgrade():
    # The triggers as upgraded count exactly what they counted before.
    pass
