"""The organisation tree read in SQL: each question is one statement whatever the depth, and reads
only the part of the tree it is about."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from engine.models import OrgUnit
from engine.org import (
    child_counts,
    child_units,
    unit_ancestries,
    unit_ancestry,
    unit_and_descendants,
    unit_path,
    units_and_descendants,
    units_under,
)


@contextmanager
def statements(session: Session) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        seen.append(statement)

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


@pytest.fixture
def tree(session: Session) -> dict[str, int]:
    """A country with two agencies; the first has a bureau with two sections, one with a sub-section."""
    def unit(code: str, parent: OrgUnit | None) -> OrgUnit:
        u = OrgUnit(code=code, name=f"Unit {code}", parent_id=parent.id if parent else None)
        session.add(u)
        session.flush()
        return u

    country = unit("RI", None)
    agency = unit("A", country)
    bureau = unit("A-1", agency)
    section_b = unit("A-1-b", bureau)
    section_a = unit("A-1-a", bureau)
    sub = unit("A-1-a-x", section_a)
    other = unit("B", country)
    elsewhere = unit("B-1", other)
    session.commit()
    return {u.code: u.id for u in (country, agency, bureau, section_a, section_b, sub, other, elsewhere)}


def test_a_unit_and_everything_below_it_in_one_statement(session: Session, tree: dict[str, int]) -> None:
    with statements(session) as seen:
        below = unit_and_descendants(session, tree["A"])
    assert len(seen) == 1
    assert below[0] == tree["A"]
    assert set(below) == {tree[c] for c in ("A", "A-1", "A-1-a", "A-1-b", "A-1-a-x")}
    assert len(below) == len(set(below))


def test_several_units_below_each_other_are_listed_once(session: Session, tree: dict[str, int]) -> None:
    both = units_and_descendants(session, [tree["A-1"], tree["A-1-a"], tree["B"]])
    assert sorted(both) == sorted(tree[c] for c in ("A-1", "A-1-a", "A-1-b", "A-1-a-x", "B", "B-1"))


def test_units_under_is_sql_for_another_query(session: Session, tree: dict[str, int]) -> None:
    ids = set(session.scalars(units_under([tree["B"]])))
    assert ids == {tree["B"], tree["B-1"]}


def test_a_unit_that_does_not_exist_has_nothing_below_or_above(session: Session, tree: dict[str, int]) -> None:
    assert unit_and_descendants(session, 999_999) == []
    assert unit_ancestry(session, 999_999) == ()
    assert unit_path(session, 999_999) == []


def test_ancestry_is_nearest_first_for_many_units_in_one_statement(session: Session, tree: dict[str, int]) -> None:
    with statements(session) as seen:
        chains = unit_ancestries(session, [tree["A-1-a-x"], tree["B-1"], tree["RI"]])
    assert len(seen) == 1
    assert chains[tree["A-1-a-x"]] == tuple(tree[c] for c in ("A-1-a-x", "A-1-a", "A-1", "A", "RI"))
    assert chains[tree["B-1"]] == (tree["B-1"], tree["B"], tree["RI"])
    assert chains[tree["RI"]] == (tree["RI"],)


def test_path_runs_from_the_country_down_to_the_unit(session: Session, tree: dict[str, int]) -> None:
    assert [u.code for u in unit_path(session, tree["A-1-a-x"])] == ["RI", "A", "A-1", "A-1-a", "A-1-a-x"]


def test_one_level_of_the_tree_by_name_with_its_child_counts(session: Session, tree: dict[str, int]) -> None:
    assert [u.code for u in child_units(session, None)] == ["RI"]
    assert [u.code for u in child_units(session, tree["A-1"])] == ["A-1-a", "A-1-b"]
    assert [u.code for u in child_units(session, tree["A-1"], limit=1, offset=1)] == ["A-1-b"]
    counts = child_counts(session, [tree["RI"], tree["A-1"], tree["A-1-b"]])
    assert counts == {tree["RI"]: 2, tree["A-1"]: 2, tree["A-1-b"]: 0}


def test_a_parent_cycle_in_imported_data_ends_the_walk(session: Session, tree: dict[str, int]) -> None:
    session.get(OrgUnit, tree["B"]).parent_id = tree["B-1"]  # B-1 under B under B-1
    session.commit()
    assert sorted(unit_and_descendants(session, tree["B"])) == sorted([tree["B"], tree["B-1"]])
    assert unit_ancestry(session, tree["B"]) == (tree["B"], tree["B-1"])
