"""a unit code is one code whatever its case: a unique index on lower(code)

Revision ID: c6e1a9d4f2b7
Revises: 9e17a4df9816
Create Date: 2026-12-03 10:00:00

The organisation import already refuses a unit code that differs only in case from another (``KEU`` beside
``keu``): the export, the screens and the import's references name a unit by its exact code, so two such codes are
two units no one can tell apart. The database held only ``code`` unique as written, so a script or the SQL console
could still write the second one. Units nest in one table with one code space (codes are unique across every
agency), so the index is over the whole table, as the existing unique constraint on ``code`` is.

``lower()`` folds ASCII letters on both databases (SQLite's only folds ASCII; the import folds any letter and
refuses codes in other scripts), the letters unit codes are written in.

A database that already holds two codes differing only in case is not changed: the migration stops, naming every
such group of units by code, id and name, and runs once all but one of each group have another code. The units
cannot be merged here: which is right, and where their employees, appraisals and sub-units belong, is HR's call.
"""
from alembic import op
import sqlalchemy as sa

revision = 'c6e1a9d4f2b7'
down_revision = '9e17a4df9816'
branch_labels = None
depends_on = None

INDEX = "uq_org_unit_code_lower"


def upgrade():
    conn = op.get_bind()
    clashes = conn.execute(sa.text(
        "SELECT u.id, u.code, u.name, lower(u.code) FROM org_unit u WHERE lower(u.code) IN ("
        " SELECT lower(code) FROM org_unit GROUP BY lower(code) HAVING COUNT(*) > 1)"
        " ORDER BY lower(u.code), u.code, u.id")).all()
    if clashes:
        groups = {}
        for unit_id, code, name, folded in clashes:
            groups.setdefault(folded, []).append(f"'{code}' (unit #{unit_id}, {name})")
        listed = "\n".join("  " + ", ".join(units) for units in groups.values())
        raise RuntimeError(
            "unit codes must differ in more than case, and these do:\n" + listed + "\n"
            "Give all but one unit of each line another code, e.g. UPDATE org_unit SET code = 'KEU-2' WHERE id = 7; "
            "(or move that unit's employees and sub-units to the other one), then run `siklus db upgrade` again; "
            "nothing was changed.")
    op.create_index(INDEX, "org_unit", [sa.text("lower(code)")], unique=True)


def downgrade():
    op.drop_index(INDEX, table_name="org_unit")
