"""The SQL that keeps ``appraisal_tally``, ``indicator_tally``, ``overdue_tally`` and ``org_unit_ancestor``
(:mod:`engine.tally_models`) in step with the rows they summarise: triggers for SQLite and PostgreSQL, and the
recounts they must always agree with.

``org_unit_ancestor`` holds every unit with each unit above it and itself (a closure of ``org_unit.parent_id``),
kept by triggers on ``org_unit``: a new unit takes its parent's ancestors, a unit moved to another parent
takes its whole subtree away from the old ancestors and under the new ones.

An open appraisal is counted once at its employee's unit (``own`` 1) and once at every unit above it
(``own`` 0), under the key (unit, own, run, definition, state, predicate, rating); the predicate and the
rating are read from its results ``predikat_akhir`` and ``predikat`` (:data:`PREDICATE_RESULTS`). So what a
unit holds with everything below it is the sum of its own rows, read by the unit's id alone. Whatever writes
one of those inputs (a transition, a recomputed result, an appeal's outcome, a launch, a closure or transfer,
an employee moved to another unit, a unit moved in the tree, a deletion, a bulk load, a hand-written UPDATE)
fires a trigger in the same transaction that moves the appraisal from its old keys to its new ones: one
statement that sums the -1 of the old keys and the +1 of the new ones per key and adds what is not zero with
an upsert. So the tally can only differ from a recount if rows are written with triggers switched off
(PostgreSQL's ``session_replication_role = replica``, as the benchmark's loader does; it counts what it
wrote with :func:`count_in`), and ``siklus reports check`` names any difference.

``overdue_tally`` counts the open appraisals with a deadline the same way (:mod:`engine.overdue_sql`).

The statements are written once for both databases: SQLite runs them as trigger bodies, PostgreSQL inside
a PL/pgSQL function per trigger. A result row is never moved to another appraisal or renamed, so the
result triggers read the name and appraisal of the row as written. A parent cycle in imported data has no
ancestry; the closure then keeps what it had and a check names it.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Where an appraisal's predicate is read, first found wins: the final one after an appeal, then the first.
PREDICATE_RESULTS = ("predikat_akhir", "predikat")
TABLE = "appraisal_tally"
ANCESTORS = "org_unit_ancestor"
KEY = ("unit_id", "own", "run_id", "definition_id", "state", "predicate", "rating")
#: The columns watched on ``appraisal``: an UPDATE that changes none of them leaves the tally alone.
APPRAISAL_COLUMNS = ("run_id", "definition_id", "employee_id", "state", "closed_at")
#: The appraisal's columns an ``indicator_tally`` key depends on (its state is not one).
INDICATOR_APPRAISAL_COLUMNS = tuple(c for c in APPRAISAL_COLUMNS if c != "state")
#: Deepest organisation tree the closure is recounted through (as engine.org.MAX_DEPTH).
MAX_DEPTH = 64

_FINAL, _FIRST = PREDICATE_RESULTS


def _predicate(final: str, first: str) -> str:
    """SQL: the first JSON text that is a non-empty string, else ''."""
    def text(v: str) -> str:  # starts with a double quote, as LIKE '"%' (no % sign: drivers read it as a placeholder)
        return f"substr({v}, 1, 1) = '\"' AND {v} <> '\"\"'"
    return f"CASE WHEN {text(final)} THEN {final} WHEN {text(first)} THEN {first} ELSE '' END"


def _rating(final: str, first: str) -> str:
    """SQL: the first JSON text that holds a value (not SQL NULL, not JSON null), else ''."""
    def held(v: str) -> str:
        return f"{v} IS NOT NULL AND {v} <> 'null'"
    return f"CASE WHEN {held(final)} THEN {final} WHEN {held(first)} THEN {first} ELSE '' END"


def _value(alias: str) -> str:
    return f"CAST({alias}.value AS TEXT)"


@dataclass(frozen=True)
class _Side:
    """One side of a move: where an appraisal's keys are read (``row``: an alias or OLD/NEW) and with what sign.
    The appraisal is counted at ``unit`` (its employee's unit) and at every unit above it."""

    row: str
    delta: int
    source: str  # FROM clause giving the employee as ``e`` (and the appraisal as ``a`` when read from the table)
    where: str
    unit: str = "e.unit_id"
    final: str = _value("f")
    first: str = _value("p")
    ancestors: str = ANCESTORS

    def select(self) -> str:
        r = self.row
        return (f"SELECT anc.ancestor_id AS unit_id, CASE WHEN anc.depth = 0 THEN 1 ELSE 0 END AS own, "
                f"{r}.run_id AS run_id, {r}.definition_id AS definition_id, "
                f"{r}.state AS state, {_predicate(self.final, self.first)} AS predicate, "
                f"{_rating(self.final, self.first)} AS rating, {self.delta} AS delta "
                f"FROM {self.source} "
                f"JOIN {self.ancestors} anc ON anc.unit_id = {self.unit} "
                f"LEFT JOIN result f ON f.appraisal_id = {r}.id AND f.name = '{_FINAL}' "
                f"LEFT JOIN result p ON p.appraisal_id = {r}.id AND p.name = '{_FIRST}' "
                f"WHERE {self.where} AND {r}.closed_at IS NULL")


def _grouped(*sides: _Side) -> str:
    """SQL: the summed deltas per key of ``sides``, keys whose sum is not zero."""
    keys = ", ".join(KEY)
    union = " UNION ALL ".join(side.select() for side in sides)
    return (f"SELECT {keys}, sum(delta) AS appraisals FROM ({union}) moved "
            f"GROUP BY {keys} HAVING sum(delta) <> 0")


def _add(select: str) -> str:
    """SQL: add each key's count of ``select`` to the tally (an upsert)."""
    keys = ", ".join(KEY)
    return (f"INSERT INTO {TABLE} ({keys}, appraisals) {select} "
            f"ON CONFLICT ({keys}) DO UPDATE SET appraisals = {TABLE}.appraisals + excluded.appraisals")


def _own(row: str, delta: int) -> _Side:
    """An appraisal as the row ``row`` (OLD or NEW) holds it, its employee read from the table."""
    return _Side(row, delta, "employee e", f"e.id = {row}.employee_id")


def _result_sides(row: str, old_value: str) -> tuple[_Side, _Side]:
    """The appraisal of a changed result row: as it is now (+1) and as it was before (-1), when the changed
    result (named ``row``.name) still held ``old_value``."""
    now = _Side("a", 1, "appraisal a JOIN employee e ON e.id = a.employee_id", f"a.id = {row}.appraisal_id")

    def before(name: str, current: str) -> str:
        return f"CASE WHEN {row}.name = '{name}' THEN {old_value} ELSE {current} END"

    was = _Side("a", -1, now.source, now.where, final=before(_FINAL, now.final), first=before(_FIRST, now.first))
    return now, was


def _results_statement_sides(changed: str, old_rows: str | None) -> tuple[_Side, _Side]:
    """PostgreSQL: the appraisals of the result rows one statement changed (``changed``, a transition table),
    as they are now (+1) and as they were before it (-1): a changed result held what ``old_rows`` has for it
    (nothing when None: it was inserted). A row trigger would see the other rows of the same statement already
    changed, so these triggers run once per statement over all of them.

    The transition tables have no index: each is read once, grouped by appraisal and joined (a lookup into
    them per appraisal would make a statement changing the results of n appraisals cost n squared)."""
    source = "appraisal a JOIN employee e ON e.id = a.employee_id"
    where = f"a.id IN (SELECT c.appraisal_id FROM {changed} c WHERE c.name IN {_NAMES})"
    now = _Side("a", 1, source, where)
    # Per appraisal: which predicate results the statement changed, and what they held before it.
    touched = (f"SELECT c.appraisal_id, "
               f"max(CASE WHEN c.name = '{_FINAL}' THEN 1 ELSE 0 END) AS final_changed, "
               f"max(CASE WHEN c.name = '{_FIRST}' THEN 1 ELSE 0 END) AS first_changed "
               f"FROM {changed} c WHERE c.name IN {_NAMES} GROUP BY c.appraisal_id")
    was_source = f"{source} JOIN ({touched}) ch ON ch.appraisal_id = a.id"
    if old_rows:
        held = (f"SELECT o.appraisal_id, "
                f"max(CASE WHEN o.name = '{_FINAL}' THEN CAST(o.value AS TEXT) END) AS final_held, "
                f"max(CASE WHEN o.name = '{_FIRST}' THEN CAST(o.value AS TEXT) END) AS first_held "
                f"FROM {old_rows} o WHERE o.name IN {_NAMES} GROUP BY o.appraisal_id")
        was_source += f" LEFT JOIN ({held}) ho ON ho.appraisal_id = a.id"

    def before(which: str, current: str) -> str:
        return (f"CASE WHEN ch.{which}_changed = 1 THEN {f'ho.{which}_held' if old_rows else 'NULL'} "
                f"ELSE {current} END")

    return now, _Side("a", -1, was_source, "TRUE", final=before("final", now.final),
                      first=before("first", now.first))


def _employee_sides() -> tuple[_Side, _Side]:
    """The open appraisals of an employee moved to another unit: out of the old unit, into the new one."""
    source = "appraisal a JOIN employee e ON e.id = a.employee_id"
    return (_Side("a", -1, source, "a.employee_id = NEW.id", unit="OLD.unit_id"),
            _Side("a", 1, source, "a.employee_id = NEW.id", unit="NEW.unit_id"))


def _subtree_to(parent: str, sign: str) -> str:
    """SQL: what unit NEW.id holds with everything below it, added (``sign`` '') or taken (``sign`` '-') at
    ``parent`` and every unit above it (as below them: ``own`` 0)."""
    keys = "run_id, definition_id, state, predicate, rating"
    return _add(f"SELECT anc.ancestor_id AS unit_id, 0 AS own, {', '.join('t.' + k for k in keys.split(', '))}, "
                f"{sign}sum(t.appraisals) AS appraisals FROM {TABLE} t JOIN {ANCESTORS} anc ON anc.unit_id = {parent} "
                f"WHERE t.unit_id = NEW.id GROUP BY anc.ancestor_id, {', '.join('t.' + k for k in keys.split(', '))} "
                f"HAVING sum(t.appraisals) <> 0")


INDICATORS = "indicator_tally"
INDICATOR_KEY = ("unit_id", "own", "run_id", "definition_id", "indicator", "label")
#: Results holding an IKI's achievement (percent of target) are named ``iki.<indicator id>``.
ACHIEVEMENT_PREFIX = "iki."
#: Achievement below this (percent) counts as a missed target.
TARGET_MET = 100


def subtree_to(table: str, key: tuple[str, ...], counts: tuple[str, ...], parent: str, sign: str) -> str:
    """SQL, in a trigger on ``org_unit`` whose unit NEW moved: add (``sign`` '') or take away ('-') the
    counts ``counts`` the moved unit holds with everything below it (the rows of ``table`` at NEW.id) at the
    unit ``parent`` and every unit above it, under ``key``."""
    rest = [k for k in key if k not in ("unit_id", "own")]
    cols = ", ".join("t." + k for k in rest)
    sums = ", ".join(f"{sign}sum(t.{c})" for c in counts)
    having = " OR ".join(f"sum(t.{c}) <> 0" for c in counts)
    update = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in counts)
    return (f"INSERT INTO {table} ({', '.join(key)}, {', '.join(counts)}) "
            f"SELECT anc.ancestor_id, 0, {cols}, {sums} FROM {table} t "
            f"JOIN {ANCESTORS} anc ON anc.unit_id = {parent} WHERE t.unit_id = NEW.id GROUP BY anc.ancestor_id, {cols} "
            f"HAVING {having} "
            f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {update}")


def subtree_triggers(name: str, table: str, key: tuple[str, ...], counts: tuple[str, ...]) -> list[Trigger]:
    """The two triggers on ``org_unit`` that keep a tally ``table`` right when a unit moves (its counts leave the
    old parent's line and join the new one's) or goes (its rows go). The closure rows of the old and new parent
    lie outside the moved subtree, so the move runs before or after ``org_unit_ancestor_move`` alike."""
    return [Trigger(f"org_unit_{name}_move", "AFTER UPDATE OF parent_id", "org_unit",
                    (subtree_to(table, key, counts, "OLD.parent_id", "-"),
                     subtree_to(table, key, counts, "NEW.parent_id", "")),
                    changed(("parent_id",), True), changed(("parent_id",), False)),
            Trigger(f"org_unit_{name}_delete", "AFTER DELETE", "org_unit",
                    (f"DELETE FROM {table} WHERE unit_id = OLD.id",))]


_CLOSURE = f"INSERT INTO {ANCESTORS} (unit_id, ancestor_id, depth)"
_UNIT_STATEMENTS = (
    f"{_CLOSURE} SELECT NEW.id, NEW.id, 0 WHERE TRUE ON CONFLICT DO NOTHING",
    f"{_CLOSURE} SELECT NEW.id, anc.ancestor_id, anc.depth + 1 FROM {ANCESTORS} anc WHERE anc.unit_id = NEW.parent_id "
    f"ON CONFLICT DO NOTHING",
)
_MOVE_STATEMENTS = (
    _subtree_to("OLD.parent_id", "-"),
    _subtree_to("NEW.parent_id", ""),
    f"DELETE FROM {ANCESTORS} WHERE unit_id IN (SELECT unit_id FROM {ANCESTORS} WHERE ancestor_id = NEW.id) "
    f"AND ancestor_id IN (SELECT ancestor_id FROM {ANCESTORS} WHERE unit_id = NEW.id AND depth > 0)",
    f"{_CLOSURE} SELECT sub.unit_id, sup.ancestor_id, sup.depth + sub.depth + 1 FROM {ANCESTORS} sup "
    f"JOIN {ANCESTORS} sub ON sub.ancestor_id = NEW.id WHERE sup.unit_id = NEW.parent_id ON CONFLICT DO NOTHING",
)
_GONE_STATEMENTS = (
    f"DELETE FROM {ANCESTORS} WHERE unit_id = OLD.id OR ancestor_id = OLD.id",
    f"DELETE FROM {TABLE} WHERE unit_id = OLD.id",
)


@dataclass(frozen=True)
class Trigger:
    """One trigger: its name, when it fires (``timing``: BEFORE/AFTER and the event), on which table, under
    which condition (``when``, per dialect) and the statements it runs."""

    name: str
    timing: str
    table: str
    statements: tuple[str, ...]
    when_pg: str = ""
    when_sqlite: str = ""
    #: Only on this database ('' both).
    only: str = ""
    #: PostgreSQL: once per statement, over its transition tables (``REFERENCING ...``), instead of per row.
    referencing: str = ""
    #: PostgreSQL, a statement trigger: the condition under which its statements can count anything; the
    #: trigger returns at once when it does not hold (a statement trigger has no ``WHEN``, and most
    #: statements on ``result`` write no predicate).
    unless_pg: str = ""

    def create(self, dialect: str) -> list[str]:
        """The DDL creating the trigger on ``dialect`` ('postgresql' or 'sqlite'), again if it exists."""
        if self.only and self.only != dialect:
            return []
        body = "".join(f"{statement}; " for statement in self.statements)
        if dialect == "postgresql":
            if self.unless_pg:
                body = f"IF NOT ({self.unless_pg}) THEN RETURN NULL; END IF; {body}"
            returns = "OLD" if self.timing.startswith("BEFORE") else "NULL"
            when = f" WHEN ({self.when_pg})" if self.when_pg else ""
            each = f"REFERENCING {self.referencing} FOR EACH STATEMENT" if self.referencing else f"FOR EACH ROW{when}"
            return [f"DROP TRIGGER IF EXISTS {self.name} ON {self.table}",
                    f"CREATE OR REPLACE FUNCTION {self.name}() RETURNS trigger LANGUAGE plpgsql AS $body$ "
                    f"BEGIN {body}RETURN {returns}; END $body$",
                    f"CREATE TRIGGER {self.name} {self.timing} ON {self.table} {each} "
                    f"EXECUTE PROCEDURE {self.name}()"]
        when = f" WHEN {self.when_sqlite}" if self.when_sqlite else ""
        return [f"DROP TRIGGER IF EXISTS {self.name}",
                f"CREATE TRIGGER {self.name} {self.timing} ON {self.table} FOR EACH ROW{when} BEGIN {body}END"]

    def drop(self, dialect: str) -> list[str]:
        if self.only and self.only != dialect:
            return []
        if dialect == "postgresql":
            return [f"DROP TRIGGER IF EXISTS {self.name} ON {self.table}", f"DROP FUNCTION IF EXISTS {self.name}()"]
        return [f"DROP TRIGGER IF EXISTS {self.name}"]


def changed(columns: tuple[str, ...], pg: bool) -> str:
    op = "IS DISTINCT FROM" if pg else "IS NOT"
    return " OR ".join(f"OLD.{c} {op} NEW.{c}" for c in columns)


_NAMES = f"('{_FINAL}', '{_FIRST}')"


def _predicate_among(changed: str) -> str:
    """SQL: whether the statement's ``changed`` rows (a transition table) hold a predicate result, the only
    results :func:`_results_statement_sides` counts (so the check changes no count, only skips the work)."""
    return f"EXISTS (SELECT 1 FROM {changed} c WHERE c.name IN {_NAMES})"
_OLD_VALUE = "CAST(OLD.value AS TEXT)"

TRIGGERS = (
    Trigger("org_unit_ancestor_insert", "AFTER INSERT", "org_unit", _UNIT_STATEMENTS),
    Trigger("org_unit_ancestor_move", "AFTER UPDATE OF parent_id", "org_unit", _MOVE_STATEMENTS,
            changed(("parent_id",), True), changed(("parent_id",), False)),
    Trigger("org_unit_ancestor_delete", "AFTER DELETE", "org_unit", _GONE_STATEMENTS),
    Trigger("appraisal_tally_insert", "AFTER INSERT", "appraisal", (_add(_grouped(_own("NEW", 1))),),
            "NEW.closed_at IS NULL", "NEW.closed_at IS NULL"),
    Trigger("appraisal_tally_update", f"AFTER UPDATE OF {', '.join(APPRAISAL_COLUMNS)}", "appraisal",
            (_add(_grouped(_own("OLD", -1), _own("NEW", 1))),),
            changed(APPRAISAL_COLUMNS, True), changed(APPRAISAL_COLUMNS, False)),
    # Before the row goes, while its results are still there to say what it was counted as.
    Trigger("appraisal_tally_delete", "BEFORE DELETE", "appraisal", (_add(_grouped(_own("OLD", -1))),),
            "OLD.closed_at IS NULL", "OLD.closed_at IS NULL"),
    # SQLite runs a row trigger as each row changes, so the other rows of the statement are not changed yet.
    Trigger("result_tally_insert", "AFTER INSERT", "result", (_add(_grouped(*_result_sides("NEW", "NULL"))),),
            "", f"NEW.name IN {_NAMES}", only="sqlite"),
    Trigger("result_tally_update", "AFTER UPDATE OF value", "result",
            (_add(_grouped(*_result_sides("NEW", _OLD_VALUE))),), "",
            f"NEW.name IN {_NAMES} AND OLD.value IS NOT NEW.value", only="sqlite"),
    Trigger("result_tally_delete", "AFTER DELETE", "result", (_add(_grouped(*_result_sides("OLD", _OLD_VALUE))),),
            "", f"OLD.name IN {_NAMES}", only="sqlite"),
    Trigger("result_tally_insert", "AFTER INSERT", "result",
            (_add(_grouped(*_results_statement_sides("new_rows", None))),),
            only="postgresql", referencing="NEW TABLE AS new_rows", unless_pg=_predicate_among("new_rows")),
    Trigger("result_tally_update", "AFTER UPDATE", "result",
            (_add(_grouped(*_results_statement_sides("new_rows", "old_rows"))),),
            only="postgresql", referencing="OLD TABLE AS old_rows NEW TABLE AS new_rows",
            unless_pg=_predicate_among("new_rows")),
    Trigger("result_tally_delete", "AFTER DELETE", "result",
            (_add(_grouped(*_results_statement_sides("old_rows", "old_rows"))),),
            only="postgresql", referencing="OLD TABLE AS old_rows", unless_pg=_predicate_among("old_rows")),
    Trigger("employee_tally_unit", "AFTER UPDATE OF unit_id", "employee", (_add(_grouped(*_employee_sides())),),
            changed(("unit_id",), True), changed(("unit_id",), False)),
)


# -- indicators: how often an IKI's target was missed -----------------------------------------------

def json_number_sql(value: str, dialect: str) -> str:
    """SQL: the JSON value as a number when it is one (not a boolean, not text), else NULL (as
    engine.result_values.json_number)."""
    if dialect == "postgresql":
        return f"CASE WHEN json_typeof({value}) = 'number' THEN CAST(CAST({value} AS TEXT) AS DOUBLE PRECISION) END"
    return f"CASE WHEN json_type({value}) IN ('integer', 'real') THEN json_extract({value}, '$') END"


@dataclass(frozen=True)
class _Achieved:
    """Achievement results counted at a unit and every unit above it: from ``source`` (giving the appraisal
    ``a`` or OLD/NEW as ``row``, the employee ``e`` and the result ``r``, or OLD/NEW as ``result``), each result
    once with ``delta``, missed when below target, under the indicator's label (``label``: SQL, or the indicator
    row joined by key when None)."""

    row: str
    result: str
    delta: int
    source: str
    where: str
    unit: str = "e.unit_id"
    label: str | None = None
    ancestors: str = ANCESTORS

    def select(self, dialect: str) -> str:
        r, a = self.result, self.row
        number = json_number_sql(f"{r}.value", dialect)
        start = len(ACHIEVEMENT_PREFIX) + 1
        joined = "" if self.label is not None else \
            f"LEFT JOIN indicator i ON i.appraisal_id = {a}.id AND i.key = substr({r}.name, {start}) "
        label = self.label if self.label is not None else "COALESCE(i.label, '')"
        return (f"SELECT anc.ancestor_id AS unit_id, CASE WHEN anc.depth = 0 THEN 1 ELSE 0 END AS own, "
                f"{a}.run_id AS run_id, {a}.definition_id AS definition_id, substr({r}.name, {start}) AS indicator, "
                f"{label} AS label, {self.delta} AS assessed, "
                f"CASE WHEN {number} < {TARGET_MET} THEN {self.delta} ELSE 0 END AS missed "
                f"FROM {self.source} JOIN {self.ancestors} anc ON anc.unit_id = {self.unit} {joined}"
                f"WHERE {self.where} AND {a}.closed_at IS NULL "
                f"AND substr({r}.name, 1, {len(ACHIEVEMENT_PREFIX)}) = '{ACHIEVEMENT_PREFIX}' AND {number} IS NOT NULL")


def _indicators_add(dialect: str, *sides: _Achieved) -> str:
    keys = ", ".join(INDICATOR_KEY)
    union = " UNION ALL ".join(side.select(dialect) for side in sides)
    return (f"INSERT INTO {INDICATORS} ({keys}, assessed, missed) "
            f"SELECT {keys}, sum(assessed), sum(missed) FROM ({union}) moved GROUP BY {keys} "
            f"HAVING sum(assessed) <> 0 OR sum(missed) <> 0 "
            f"ON CONFLICT ({keys}) DO UPDATE SET assessed = {INDICATORS}.assessed + excluded.assessed, "
            f"missed = {INDICATORS}.missed + excluded.missed")


_OF_ROW = "appraisal a JOIN employee e ON e.id = a.employee_id"


def _result_row(row: str, delta: int) -> _Achieved:
    """A result row (OLD/NEW) of an open appraisal, as the appraisal stands now."""
    return _Achieved("a", row, delta, _OF_ROW, f"a.id = {row}.appraisal_id")


def _indicator_row(row: str, delta: int, label: str) -> _Achieved:
    """The achievement result of an indicator row (OLD/NEW), under ``label``."""
    return _Achieved("a", "r", delta, f"{_OF_ROW} JOIN result r ON r.appraisal_id = a.id",
                     f"a.id = {row}.appraisal_id AND r.name = '{ACHIEVEMENT_PREFIX}' || {row}.key", label=label)


def _appraisal_row(row: str, delta: int) -> _Achieved:
    """Every achievement result of an appraisal as the row (OLD/NEW) holds it."""
    return _Achieved(row, "r", delta, f"employee e JOIN result r ON r.appraisal_id = {row}.id",
                     f"e.id = {row}.employee_id")


def _employee_results(unit: str, delta: int) -> _Achieved:
    return _Achieved("a", "r", delta, f"{_OF_ROW} JOIN result r ON r.appraisal_id = a.id", "a.employee_id = NEW.id",
                     unit=unit)


def _indicator_triggers() -> tuple[Trigger, ...]:
    """The triggers keeping ``indicator_tally``, per dialect (the JSON number is read differently)."""
    out: list[Trigger] = []
    for dialect in ("sqlite", "postgresql"):
        def add(*sides: _Achieved, d: str = dialect) -> tuple[str, ...]:
            return (_indicators_add(d, *sides),)
        named = f"substr(NEW.name, 1, {len(ACHIEVEMENT_PREFIX)}) = '{ACHIEVEMENT_PREFIX}'"
        was_named = named.replace("NEW.", "OLD.")
        value_changed = ("CAST(OLD.value AS TEXT) IS DISTINCT FROM CAST(NEW.value AS TEXT)" if dialect == "postgresql"
                         else "OLD.value IS NOT NEW.value")
        out += [
            Trigger("result_indicator_insert", "AFTER INSERT", "result", add(_result_row("NEW", 1)),
                    named, named, only=dialect),
            Trigger("result_indicator_update", "AFTER UPDATE OF value", "result",
                    add(_result_row("OLD", -1), _result_row("NEW", 1)),
                    f"{named} AND {value_changed}", f"{named} AND {value_changed}", only=dialect),
            Trigger("result_indicator_delete", "AFTER DELETE", "result", add(_result_row("OLD", -1)),
                    was_named, was_named, only=dialect),
            Trigger("indicator_label_insert", "AFTER INSERT", "indicator",
                    add(_indicator_row("NEW", -1, "''"), _indicator_row("NEW", 1, "COALESCE(NEW.label, '')")),
                    only=dialect),
            Trigger("indicator_label_update", "AFTER UPDATE OF label, key", "indicator",
                    add(_indicator_row("OLD", -1, "COALESCE(OLD.label, '')"), _indicator_row("OLD", 1, "''"),
                        _indicator_row("NEW", -1, "''"), _indicator_row("NEW", 1, "COALESCE(NEW.label, '')")),
                    changed(("label", "key"), True), changed(("label", "key"), False), only=dialect),
            Trigger("indicator_label_delete", "AFTER DELETE", "indicator",
                    add(_indicator_row("OLD", -1, "COALESCE(OLD.label, '')"), _indicator_row("OLD", 1, "''")),
                    only=dialect),
            # Not on a change of state alone (most transitions): no indicator count is kept by state.
            Trigger("appraisal_indicator_update", f"AFTER UPDATE OF {', '.join(INDICATOR_APPRAISAL_COLUMNS)}",
                    "appraisal", add(_appraisal_row("OLD", -1), _appraisal_row("NEW", 1)),
                    changed(INDICATOR_APPRAISAL_COLUMNS, True), changed(INDICATOR_APPRAISAL_COLUMNS, False),
                    only=dialect),
            Trigger("appraisal_indicator_delete", "BEFORE DELETE", "appraisal", add(_appraisal_row("OLD", -1)),
                    "OLD.closed_at IS NULL", "OLD.closed_at IS NULL", only=dialect),
            Trigger("employee_indicator_unit", "AFTER UPDATE OF unit_id", "employee",
                    add(_employee_results("OLD.unit_id", -1), _employee_results("NEW.unit_id", 1)),
                    changed(("unit_id",), True), changed(("unit_id",), False), only=dialect),
        ]
    out += subtree_triggers("indicator", INDICATORS, INDICATOR_KEY, ("assessed", "missed"))
    return tuple(out)


INDICATOR_TRIGGERS = _indicator_triggers()


def create_triggers(dialect: str, triggers: tuple[Trigger, ...] | None = None) -> list[str]:
    """Every statement creating the triggers on ``dialect`` (``triggers``, default the tally's and the indicators';
    overdue work's are :data:`engine.overdue_sql.OVERDUE_TRIGGERS`)."""
    chosen = TRIGGERS + INDICATOR_TRIGGERS if triggers is None else triggers
    return [sql for trigger in chosen for sql in trigger.create(dialect)]


def drop_triggers(dialect: str, triggers: tuple[Trigger, ...] | None = None) -> list[str]:
    chosen = TRIGGERS + INDICATOR_TRIGGERS if triggers is None else triggers
    return [sql for trigger in chosen for sql in trigger.drop(dialect)]


def walk(where: str) -> str:
    """SQL: the CTE ``walked`` (unit, ancestor, depth) of the units ``o`` matching ``where``, up the tree."""
    return (f"up(unit_id, ancestor_id, depth) AS ("
            f"SELECT o.id, o.id, 0 FROM org_unit o WHERE {where} "
            f"UNION ALL SELECT up.unit_id, o.parent_id, up.depth + 1 FROM up JOIN org_unit o ON o.id = up.ancestor_id "
            f"WHERE o.parent_id IS NOT NULL AND up.depth < {MAX_DEPTH}), "
            f"walked AS (SELECT unit_id, ancestor_id, min(depth) AS depth FROM up GROUP BY unit_id, ancestor_id)")


def ancestors_recount(where: str = "TRUE") -> str:
    """SQL: ``(unit_id, ancestor_id, depth)`` of every unit ``o`` matching ``where`` with itself and each unit
    above it, walked up ``org_unit.parent_id`` (at most :data:`MAX_DEPTH` levels)."""
    return f"WITH RECURSIVE {walk(where)} SELECT unit_id, ancestor_id, depth FROM walked"


def ancestors_in(where: str) -> str:
    """SQL: add the closure rows of the units ``o`` matching ``where``, written while the triggers were off."""
    return (f"WITH RECURSIVE {walk(where)} {_CLOSURE} SELECT unit_id, ancestor_id, depth FROM walked WHERE TRUE "
            f"ON CONFLICT DO NOTHING")


def indicators_recount(dialect: str, where: str = "TRUE") -> str:
    """SQL: ``indicator_tally`` as the rows say it should be (key columns, ``assessed``, ``missed``), of the open
    appraisals ``a`` matching ``where``, counted at the units a walk up the tree finds."""
    return f"WITH RECURSIVE {walk('TRUE')} {_indicators_select(dialect, where)}"


def indicators_in(dialect: str, where: str) -> str:
    """SQL: add to ``indicator_tally`` the achievements of the open appraisals ``a`` matching ``where``, written
    while the triggers were off."""
    keys = ", ".join(INDICATOR_KEY)
    return (f"WITH RECURSIVE {walk('TRUE')} INSERT INTO {INDICATORS} ({keys}, assessed, missed) "
            f"{_indicators_select(dialect, where)} ON CONFLICT ({keys}) DO UPDATE SET "
            f"assessed = {INDICATORS}.assessed + excluded.assessed, missed = {INDICATORS}.missed + excluded.missed")


def _indicators_select(dialect: str, where: str) -> str:
    keys = ", ".join(INDICATOR_KEY)
    side = _Achieved("a", "r", 1, f"{_OF_ROW} JOIN result r ON r.appraisal_id = a.id", where, ancestors="walked")
    return f"SELECT {keys}, sum(assessed) AS assessed, sum(missed) AS missed FROM ({side.select(dialect)}) achieved " \
           f"GROUP BY {keys}"


def _recount_select(where: str) -> str:
    side = _Side("a", 1, "appraisal a JOIN employee e ON e.id = a.employee_id", where, ancestors="walked")
    return _grouped(side)


def recount(where: str = "TRUE") -> str:
    """SQL: the tally as the rows say it should be (key columns and ``appraisals``), of the open appraisals
    ``a`` matching ``where``, each counted at the units a walk up the tree finds (not the kept closure, so a
    check holds the two apart)."""
    return f"WITH RECURSIVE {walk('TRUE')} {_recount_select(where)}"


def count_in(where: str) -> str:
    """SQL: add to the tally the open appraisals ``a`` matching ``where``, written while the triggers were off."""
    return f"WITH RECURSIVE {walk('TRUE')} {_add(_recount_select(where))}"


__all__ = ["ACHIEVEMENT_PREFIX", "ANCESTORS", "APPRAISAL_COLUMNS", "INDICATORS", "INDICATOR_KEY", "INDICATOR_TRIGGERS",
           "KEY", "PREDICATE_RESULTS", "TABLE", "TARGET_MET", "TRIGGERS", "Trigger", "ancestors_in",
           "ancestors_recount", "count_in", "create_triggers", "drop_triggers", "indicators_in", "indicators_recount",
           "json_number_sql", "recount", "walk"]
