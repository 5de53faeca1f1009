"""tally triggers skip what counts nothing: result statements without a predicate, state-only changes for IKI

Revision ID: a7c3e9f1b5d2
Revises: f2c8a1d5e7b9
Create Date: 2026-12-02 13:50:00

On PostgreSQL the predicate counts of ``appraisal_tally`` are kept by statement triggers on ``result``,
which have no ``WHEN``: each result written (a transition writes several, one statement each) ran the
whole counting query, about 0.9 ms, though most results are not predicates. The functions now check
their transition table first (engine.tally_sql ``unless_pg``). And ``indicator_tally`` keeps no count by
state, so its trigger on ``appraisal`` no longer fires on a change of state alone (every transition ran
its query over the appraisal's achievements to add nothing). No count changes.
"""
from alembic import op

from engine.tally_sql import INDICATOR_TRIGGERS, TRIGGERS, create_triggers

revision = 'a7c3e9f1b5d2'
down_revision = 'f2c8a1d5e7b9'
branch_labels = None
depends_on = None


def _changed_triggers():
    return (tuple(t for t in TRIGGERS if t.table == "result" and t.only == "postgresql")
            + tuple(t for t in INDICATOR_TRIGGERS if t.name == "appraisal_indicator_update"))


def upgrade():
    bind = op.get_bind()
    # create() drops each trigger first, and makes nothing of a trigger for the other database.
    for statement in create_triggers(bind.dialect.name, _changed_triggers()):
        bind.exec_driver_sql(statement)


def downgrade():
    # Neither change alters a count: the triggers as upgraded count exactly what they counted before.
    pass
