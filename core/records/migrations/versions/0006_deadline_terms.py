"""Clocks share their dates: the date arithmetic of a clock moves into ``deadline_term``.

Clocks with the same (unit, start, offset, limit offset, months, ...) get one term, so a new
holiday schedule rewrites the few distinct terms instead of every clock. The overdue lists
read terms by ``ix_deadline_term_due`` and their open clocks by ``ix_deadline_term_status``.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TERM_COLUMNS = [  # moved from deadline to deadline_term, in this order
    sa.Column("unit", sa.String(length=20), nullable=False),
    sa.Column("start", sa.Date(), nullable=False),
    sa.Column("start_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("offset", sa.Integer(), nullable=False),
    sa.Column("limit_offset", sa.Integer(), nullable=True),
    sa.Column("months_after", sa.Integer(), nullable=False),
    sa.Column("paused", sa.Boolean(), nullable=False),
    sa.Column("due", sa.Date(), nullable=True),
    sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("limit", sa.Date(), nullable=True),
]
NAMES = [c.name for c in TERM_COLUMNS]


def _tables() -> tuple[sa.TableClause, sa.TableClause]:
    clock = sa.table("deadline", sa.column("id"), sa.column("term_id"), *(sa.column(n) for n in NAMES))
    term = sa.table("deadline_term", sa.column("id"), *(sa.column(n) for n in NAMES))
    return clock, term


def _same(a: sa.TableClause, b: sa.TableClause) -> list[sa.ColumnElement[bool]]:
    # "=" where a column is never NULL, so both backends find the term by ix_deadline_term_key
    # (PostgreSQL uses no index for IS NOT DISTINCT FROM); NULL matches NULL in the others
    return [a.c[c.name] == b.c[c.name] if not c.nullable else a.c[c.name].is_not_distinct_from(b.c[c.name])
            for c in TERM_COLUMNS]


def upgrade() -> None:
    op.create_table("deadline_term", sa.Column("id", sa.Integer(), nullable=False),
                    *(sa.Column(c.name, c.type, nullable=c.nullable) for c in TERM_COLUMNS), sa.PrimaryKeyConstraint("id"))
    op.create_index("ix_deadline_term_key", "deadline_term", ["start", "offset"])
    op.create_index("ix_deadline_term_due", "deadline_term", ["due"])
    clock, term = _tables()
    op.execute(sa.insert(term).from_select(NAMES, sa.select(*(clock.c[n] for n in NAMES)).distinct()))
    with op.batch_alter_table("deadline", schema=None) as batch_op:
        batch_op.add_column(sa.Column("term_id", sa.Integer(), nullable=True))
    op.execute(sa.update(clock).values(term_id=sa.select(term.c.id).where(*_same(term, clock)).scalar_subquery()))
    with op.batch_alter_table("deadline", schema=None) as batch_op:
        batch_op.alter_column("term_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key("fk_deadline_term_id", "deadline_term", ["term_id"], ["id"])
        batch_op.drop_index("ix_deadline_open_due")
        batch_op.create_index("ix_deadline_term_status", ["term_id", "status"])
        for name in NAMES:
            batch_op.drop_column(name)


def downgrade() -> None:
    with op.batch_alter_table("deadline", schema=None) as batch_op:
        for column in TERM_COLUMNS:
            batch_op.add_column(sa.Column(column.name, column.type, nullable=True))
    clock, term = _tables()
    values = {n: sa.select(term.c[n]).where(term.c.id == clock.c.term_id).scalar_subquery() for n in NAMES}
    op.execute(sa.update(clock).values(**values))
    with op.batch_alter_table("deadline", schema=None) as batch_op:
        for column in TERM_COLUMNS:
            if not column.nullable:
                batch_op.alter_column(column.name, existing_type=column.type, nullable=False)
        batch_op.drop_index("ix_deadline_term_status")
        batch_op.drop_constraint("fk_deadline_term_id", type_="foreignkey")
        batch_op.drop_column("term_id")
        batch_op.create_index("ix_deadline_open_due", ["status", "due"])
    op.drop_table("deadline_term")
