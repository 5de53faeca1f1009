"""The migrated schema has the indexes the person-following queries walk, the same as the models declare."""

from __future__ import annotations

import warnings

from sqlalchemy import Engine, inspect

from engine.models import Base

# (table, columns) each branch of a candidate union, the team page, the org tree and the notices page follow.
FOLLOWED = [
    ("employee", ["supervisor_id"]),          # a supervisor's team; the reviewer's through the team's supervisors
    ("employee", ["unit_id"]),                # HR's units
    ("appraisal", ["employee_id"]),           # from the people to their appraisals
    ("org_unit", ["parent_id"]),              # the tree, walked down by the recursive queries
    ("notification", ["user_id", "created_at", "id"]),  # a person's newest notices
    ("rater_designation", ["rater_user_id"]),     # a designated rater's top officials (and those they review)
    ("rater_designation", ["reviewer_user_id"]),  # a designated reviewer's top officials
]


def _indexed(engine: Engine, table: str) -> list[list[str]]:
    found = inspect(engine)
    with warnings.catch_warnings():  # SQLite's index on lower(code) is not reflected: tests/engine/test_unit_code_case*
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index")
        indexes, uniques = found.get_indexes(table), found.get_unique_constraints(table)
    columns = [list(ix["column_names"]) for ix in indexes]
    columns += [list(uq["column_names"]) for uq in uniques]
    return columns


def test_every_followed_path_has_its_index_after_migration(db_engine: Engine) -> None:
    for table, columns in FOLLOWED:
        assert columns in _indexed(db_engine, table), f"{table}({', '.join(columns)}) is not indexed"


def test_the_models_declare_the_same_indexes() -> None:
    for table, columns in FOLLOWED:
        declared = [[c.name for c in ix.columns] for ix in Base.metadata.tables[table].indexes]
        assert columns in declared, f"engine/models.py does not declare {table}({', '.join(columns)})"
