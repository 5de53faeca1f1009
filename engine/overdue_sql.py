"""The SQL that keeps ``overdue_tally`` (:class:`engine.tally_models.OverdueTally`) in step with the appraisals:
triggers for SQLite and PostgreSQL, and the recount it must always agree with.

An open appraisal with a deadline is counted, as :mod:`engine.tally_sql` counts the appraisal tally, once at its
employee's unit (``own`` 1) and once at every unit above it, under (unit, own, run, definition, state, the UTC hour
of ``due_at``). Whether it is overdue depends on the clock, but an hour that has passed stays passed: overdue work
sums the rows of the hours before the current one and counts only the current hour's deadlines from the rows
(:func:`engine.tallies.run_overdue`, :func:`engine.reports.overdue_work`). The triggers fire on whatever moves an
appraisal between keys: an appraisal inserted, deleted, closed or moved to another state, run, definition,
employee or deadline; an employee moved to another unit; a unit moved in the tree.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.tally_sql import ANCESTORS, INDICATOR_TRIGGERS, TRIGGERS, Trigger, changed, subtree_triggers, walk

OVERDUE, OVERDUE_KEY = "overdue_tally", ("unit_id", "own", "run_id", "definition_id", "state", "due_hour")
#: The columns of ``appraisal`` the overdue tally reads: an UPDATE that changes none of them leaves it alone.
OVERDUE_COLUMNS = ("run_id", "definition_id", "employee_id", "state", "closed_at", "due_at")


def due_hour_sql(value: str, dialect: str) -> str:
    """SQL: the UTC hour (``YYYY-MM-DD HH``) a stored deadline falls in (timezone-aware on PostgreSQL, UTC text on
    SQLite)."""
    if dialect == "postgresql":
        return f"to_char({value} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24')"
    return f"strftime('%Y-%m-%d %H', {value})"


@dataclass(frozen=True)
class _Due:
    """An appraisal with a deadline, as ``row`` (an alias or OLD/NEW) holds it, counted with ``delta`` under its
    deadline's hour at ``unit`` (its employee's unit, ``e``) and every unit above it."""

    row: str
    delta: int
    source: str
    where: str
    unit: str = "e.unit_id"
    ancestors: str = ANCESTORS

    def select(self, dialect: str) -> str:
        r = self.row
        return (f"SELECT anc.ancestor_id AS unit_id, CASE WHEN anc.depth = 0 THEN 1 ELSE 0 END AS own, "
                f"{r}.run_id AS run_id, {r}.definition_id AS definition_id, {r}.state AS state, "
                f"{due_hour_sql(f'{r}.due_at', dialect)} AS due_hour, {self.delta} AS delta "
                f"FROM {self.source} JOIN {self.ancestors} anc ON anc.unit_id = {self.unit} "
                f"WHERE {self.where} AND {r}.closed_at IS NULL AND {r}.due_at IS NOT NULL")


def _overdue_add(dialect: str, *sides: _Due) -> str:  # the summed deltas of ``sides`` per key, upserted
    keys = ", ".join(OVERDUE_KEY)
    union = " UNION ALL ".join(side.select(dialect) for side in sides)
    return (f"INSERT INTO {OVERDUE} ({keys}, appraisals) SELECT {keys}, sum(delta) FROM ({union}) moved "
            f"GROUP BY {keys} HAVING sum(delta) <> 0 "
            f"ON CONFLICT ({keys}) DO UPDATE SET appraisals = {OVERDUE}.appraisals + excluded.appraisals")


def _overdue_triggers() -> tuple[Trigger, ...]:
    """The triggers keeping ``overdue_tally``, per dialect (the hour of a deadline is read differently)."""
    out: list[Trigger] = []
    for dialect in ("sqlite", "postgresql"):
        def add(*sides: _Due, d: str = dialect) -> tuple[str, ...]:
            return (_overdue_add(d, *sides),)

        def own(row: str, delta: int) -> _Due:
            return _Due(row, delta, "employee e", f"e.id = {row}.employee_id")

        moved = "appraisal a JOIN employee e ON e.id = a.employee_id"
        due = "NEW.closed_at IS NULL AND NEW.due_at IS NOT NULL"
        out += [
            Trigger("appraisal_overdue_insert", "AFTER INSERT", "appraisal", add(own("NEW", 1)), due, due,
                    only=dialect),
            Trigger("appraisal_overdue_update", f"AFTER UPDATE OF {', '.join(OVERDUE_COLUMNS)}", "appraisal",
                    add(own("OLD", -1), own("NEW", 1)),
                    changed(OVERDUE_COLUMNS, True), changed(OVERDUE_COLUMNS, False), only=dialect),
            Trigger("appraisal_overdue_delete", "BEFORE DELETE", "appraisal", add(own("OLD", -1)),
                    due.replace("NEW.", "OLD."), due.replace("NEW.", "OLD."), only=dialect),
            Trigger("employee_overdue_unit", "AFTER UPDATE OF unit_id", "employee",
                    add(_Due("a", -1, moved, "a.employee_id = NEW.id", unit="OLD.unit_id"),
                        _Due("a", 1, moved, "a.employee_id = NEW.id", unit="NEW.unit_id")),
                    changed(("unit_id",), True), changed(("unit_id",), False), only=dialect),
        ]
    out += subtree_triggers("overdue", OVERDUE, OVERDUE_KEY, ("appraisals",))
    return tuple(out)


OVERDUE_TRIGGERS = _overdue_triggers()
#: Every tally trigger: the appraisal tally's, the indicators' and overdue work's.
ALL_TRIGGERS = TRIGGERS + INDICATOR_TRIGGERS + OVERDUE_TRIGGERS


def _overdue_select(dialect: str, where: str) -> str:
    keys = ", ".join(OVERDUE_KEY)
    side = _Due("a", 1, "appraisal a JOIN employee e ON e.id = a.employee_id", where, ancestors="walked")
    return f"SELECT {keys}, sum(delta) AS appraisals FROM ({side.select(dialect)}) due GROUP BY {keys}"


def overdue_recount(dialect: str, where: str = "TRUE") -> str:
    """SQL: ``overdue_tally`` as the rows say it should be (key columns and ``appraisals``), of the open
    appraisals ``a`` with a deadline matching ``where``, counted at the units a walk up the tree finds."""
    return f"WITH RECURSIVE {walk('TRUE')} {_overdue_select(dialect, where)}"


def overdue_in(dialect: str, where: str) -> str:
    """SQL: add to ``overdue_tally`` the open appraisals ``a`` with a deadline matching ``where``, written while
    the triggers were off."""
    keys = ", ".join(OVERDUE_KEY)
    return (f"WITH RECURSIVE {walk('TRUE')} INSERT INTO {OVERDUE} ({keys}, appraisals) "
            f"{_overdue_select(dialect, where)} ON CONFLICT ({keys}) DO UPDATE SET "
            f"appraisals = {OVERDUE}.appraisals + excluded.appraisals")


__all__ = ["ALL_TRIGGERS", "OVERDUE", "OVERDUE_COLUMNS", "OVERDUE_KEY", "OVERDUE_TRIGGERS", "due_hour_sql",
           "overdue_in", "overdue_recount"]
