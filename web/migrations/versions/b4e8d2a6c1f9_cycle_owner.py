"""cycle owner: each cycle (all its versions) belongs to a unit's HR, or to the whole organisation

Revision ID: b4e8d2a6c1f9
Revises: a7c3e9f1b5d2
Create Date: 2026-12-02 14:00:00

``cycle_definition.owner_unit_id``: the unit whose HR saved the cycle's first version; NULL, the whole
organisation. Cycles stored before belong to the whole organisation (engine.ownership): from now on only
HR over the whole organisation publishes a new version of them or retires one.
"""
import sqlalchemy as sa
from alembic import op

revision = 'b4e8d2a6c1f9'
down_revision = 'a7c3e9f1b5d2'
branch_labels = None
depends_on = None


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        # SQLite adds a column with its reference in place (no table rebuild under the runs that point here).
        bind.exec_driver_sql("ALTER TABLE cycle_definition ADD COLUMN owner_unit_id INTEGER "
                             "REFERENCES org_unit (id) ON DELETE SET NULL")
        return
    op.add_column('cycle_definition', sa.Column('owner_unit_id', sa.Integer(), nullable=True))
    op.create_foreign_key(op.f('fk_cycle_definition_owner_unit_id_org_unit'), 'cycle_definition', 'org_unit',
                          ['owner_unit_id'], ['id'], ondelete='SET NULL')


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        with op.batch_alter_table('cycle_definition') as batch_op:
            batch_op.drop_column('owner_unit_id')
        return
    op.drop_constraint(op.f('fk_cycle_definition_owner_unit_id_org_unit'), 'cycle_definition', type_='foreignkey')
    op.drop_column('cycle_definition', 'owner_unit_id')
