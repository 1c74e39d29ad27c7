"""Letter numbers per mark: a corrected reply (更) and a new reply (重) number their own 文号.

Each 机关代字 numbers its own documents (GB/T 9704-2012 7.2.4), so 长房公开〔2026〕N号,
长房公开更〔2026〕N号 and 长房公开重〔2026〕N号 are three sequences: ``letter_sequence`` gains
``series`` (the mark) and is unique per unit, year and series. The 更 and 重 letters issued before
this revision were numbered in the replies' sequence (or by the request's id), so their
sequences start after the replies' last number of each year: no new number repeats an old one.

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

MARKS = ("更", "重")


def _create(unique: list[str], name: str, series: bool) -> None:
    op.create_table(
        "letter_sequence",
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        *([sa.Column("series", sa.String(length=10), nullable=False, server_default="")] if series else []),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(*unique, name=name),
    )


def upgrade() -> None:
    # made again rather than altered: a small table, and its unique constraint may have been
    # created without a name that reflection gives back on SQLite
    rows = op.get_bind().execute(sa.text("SELECT unit_id, year, last FROM letter_sequence")).all()
    op.drop_table("letter_sequence")
    _create(["unit_id", "year", "series"], "uq_letter_sequence_unit_year_series", series=True)
    sequence = sa.table("letter_sequence", sa.column("unit_id"), sa.column("year"), sa.column("series"),
                        sa.column("last"))
    if rows:
        op.bulk_insert(sequence, [{"unit_id": u, "year": y, "series": mark, "last": last}
                                  for u, y, last in rows for mark in ("", *MARKS)])


def downgrade() -> None:
    rows = op.get_bind().execute(sa.text("SELECT unit_id, year, last FROM letter_sequence WHERE series = ''")).all()
    op.drop_table("letter_sequence")
    _create(["unit_id", "year"], "uq_letter_sequence_unit_year", series=False)
    sequence = sa.table("letter_sequence", sa.column("unit_id"), sa.column("year"), sa.column("last"))
    if rows:
        op.bulk_insert(sequence, [{"unit_id": u, "year": y, "last": last} for u, y, last in rows])
