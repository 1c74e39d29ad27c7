"""Each unit's reply letters numbered in its own sequence per year: the N of 长房公开〔2026〕N号.

A corrected reply (长房公开更〔2026〕N号) and a new reply after a 纠正 decision (…重…) carry a
mark after the 机关代字 and are numbered in that mark's own sequence (``series``).

The serial is taken in the transaction that issues the letter, by one statement that inserts the
year's row or moves it on (``INSERT ... ON CONFLICT DO UPDATE SET last = last + 1 RETURNING
last``). The row stays locked until that transaction ends (PostgreSQL's row lock; SQLite has one
writer), so two replies at once, from any number of processes, get different serials; a reply
that fails rolls its serial back with it, so the sequence has no gaps.
"""

from __future__ import annotations

from typing import Any

from gongkai.core.records.units import LetterSequence
from gongkai.core.records.scoping import unit_of


def next_serial(session: Any, year: int, series: str = "") -> int:
    """The next serial of the session's unit's letters of ``series`` in ``year`` (gap-free, from 1)."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    table = LetterSequence.__table__
    statement = insert(table).values(unit_id=unit_of(session), year=year, series=series, last=1)
    statement = statement.on_conflict_do_update(index_elements=["unit_id", "year", "series"], set_={"last": table.c.last + 1})
    return session.execute(statement.returning(table.c.last)).scalar_one()
