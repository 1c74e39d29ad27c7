"""Stored deadlines, one row per named clock of a request, document or matter.

Each row names what it times (``name``, e.g. ``reply`` or ``correction_notice``) instead
of one ``due_date`` that means different things in different states. A row keeps its
``start`` and ``offset`` so that when a newer holiday schedule arrives every provisional
deadline is recomputed from the index, without asking the workflow again.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from dateutil.relativedelta import relativedelta
from sqlalchemy import Column, Date, Index, Integer, MetaData, Table, and_, func, or_, update
from sqlmodel import Field, Session, SQLModel, select

from gongkai.core.deadlines import Deadline
from gongkai.hookspecs.records import Unit

if TYPE_CHECKING:
    from gongkai.core.calendar import WorkCalendar

CALENDAR_SETTING = "calendar.fingerprint"
FINAL_SETTING = "calendar.final_until"  # the last day with an official schedule in that calendar


class StoredDeadline(SQLModel, table=True):
    __tablename__ = "deadline"
    __table_args__ = (
        Index("ix_deadline_owner", "owner_kind", "owner_id", "name", unique=True),
        Index("ix_deadline_open_due", "status", "due"),
    )

    id: int | None = Field(default=None, primary_key=True)
    owner_kind: str = Field(max_length=40)  # "request", "document", "matter"
    owner_id: int
    name: str = Field(max_length=60)  # which clock: "reply", "correction_notice", "publish", ...
    rule_id: str = Field(max_length=100)
    unit: str = Field(max_length=20)
    start: dt.date
    start_at: dt.datetime | None = None  # hour and minute rules
    offset: int = 0
    limit_offset: int | None = None
    months_after: int = 0
    due: dt.date | None = None
    due_at: dt.datetime | None = None
    limit: dt.date | None = None
    paused: bool = False
    status: str = Field(default="open", max_length=20)  # open, met, cancelled
    met_on: dt.date | None = None


def store_deadline(session: Session, owner_kind: str, owner_id: int, name: str, deadline: Deadline) -> StoredDeadline:
    """Insert or update the ``name`` clock of an owner from a computed :class:`Deadline`."""
    row = session.exec(
        select(StoredDeadline).where(
            StoredDeadline.owner_kind == owner_kind,
            StoredDeadline.owner_id == owner_id,
            StoredDeadline.name == name,
        )
    ).first()
    if row is None:
        row = StoredDeadline(owner_kind=owner_kind, owner_id=owner_id, name=name, rule_id="", unit="", start=dt.date.min)
    for column, value in deadline_columns(deadline).items():
        setattr(row, column, value)
    session.add(row)
    return row


def deadline_columns(deadline: Deadline) -> dict[str, Any]:
    """The stored columns of a computed :class:`Deadline` (all but owner, name and status)."""
    timed = deadline.rule.unit.is_timed
    due = deadline.due
    return {
        "rule_id": deadline.rule.id,
        "unit": deadline.rule.unit.value,
        "start": deadline.start.date() if isinstance(deadline.start, dt.datetime) else deadline.start,
        "start_at": deadline.start if timed else None,
        "offset": deadline.offset,
        "limit_offset": deadline.limit_offset,
        "months_after": deadline.months_after,
        "due": due.date() if timed and due is not None else due,  # type: ignore[union-attr]
        "due_at": due if timed else None,
        "limit": deadline.limit if not timed else None,
        "paused": deadline.paused,
    }


def close_deadline(session: Session, owner_kind: str, owner_id: int, name: str, on: dt.date, status: str = "met") -> None:
    """Mark a clock as met (or cancelled) so it leaves the overdue lists."""
    session.execute(
        update(StoredDeadline)
        .where(
            StoredDeadline.owner_kind == owner_kind,
            StoredDeadline.owner_id == owner_id,
            StoredDeadline.name == name,
        )
        .values(status=status, met_on=on)
    )


def open_deadlines(session: Session, due_by: dt.date, owner_kind: str | None = None, name: str | None = None,
                   due_from: dt.date | None = None) -> list[Any]:
    """Open clocks due on or before ``due_by`` (and on or after ``due_from``, if given),
    earliest first: the overdue ones (due before today) and those due soon (``due_by`` =
    today plus N working days) in one range of the index ix_deadline_open_due (status, due).
    Rows carry the columns a digest needs."""
    c = StoredDeadline.__table__.c
    query = select(c.id, c.owner_kind, c.owner_id, c.name, c.rule_id, c.due, c.due_at, c.limit).where(
        c.status == "open", c.due <= due_by
    )
    if due_from is not None:
        query = query.where(c.due >= due_from)
    if owner_kind is not None:
        query = query.where(c.owner_kind == owner_kind)
    if name is not None:
        query = query.where(c.name == name)
    return list(session.execute(query.order_by(c.due, c.id)).all())


def is_provisional(row: Any, calendar: WorkCalendar) -> bool:
    """Whether a stored clock's dates lie beyond the last official schedule: derived on reading
    (never stored, so a new schedule rewrites only the clocks whose dates move). Clocks timed in
    hours or minutes do not follow the calendar; a paused clock has no date yet."""
    latest = row.limit or row.due
    return row.due_at is None and latest is not None and calendar.is_provisional(latest)


def recompute_provisional(session: Session, calendar: WorkCalendar, computed_until: dt.date | None = None) -> int:
    """Recompute on ``calendar`` every stored working-day clock whose dates were provisional when
    computed, i.e. lie after ``computed_until`` (the last day with an official schedule in the
    calendar they were computed with; ``None``: unknown, every working-day clock). Returns the count.

    A clock's dates depend only on (start, offset, limit offset, months), and the stored clocks
    share few of those: the new dates are computed in Python once per distinct key (so with
    the calendar's own arithmetic, month extensions included) into a small temporary table,
    then one ``UPDATE … FROM`` joins it and writes only the rows whose dates change.
    """
    c = StoredDeadline.__table__.c
    todo = and_(c.unit == Unit.WORKING_DAYS.value, c.paused == False)  # noqa: E712
    if computed_until is not None:
        todo = and_(todo, func.coalesce(c.limit, c.due) > computed_until)
    lo = func.coalesce(c.limit_offset, -1)  # NULL never equals NULL in a join
    # DISTINCT, not GROUP BY: SQLite keeps the few distinct keys in a small b-tree instead of sorting every row
    keys = session.execute(select(c.start, c.offset, lo, c.months_after).where(todo).distinct()).all()
    if not keys:
        return 0
    # every date is computed (and an out-of-range one refused) before anything is written
    add = calendar.add_working_days
    rows = []
    for start, offset, limit_offset, months in keys:
        shift = relativedelta(months=months)
        limit = add(start, limit_offset) + shift if limit_offset >= 0 else None
        rows.append({"start": start, "offset": offset, "lo": limit_offset, "months": months,
                     "due": add(start, offset) + shift, "limit": limit})
    count = session.execute(select(func.count()).select_from(StoredDeadline.__table__).where(todo)).scalar_one()

    meta = MetaData()
    new = Table("gk_recompute", meta, Column("start", Date, primary_key=True), Column("offset", Integer, primary_key=True),
                Column("lo", Integer, primary_key=True), Column("months", Integer, primary_key=True),
                Column("due", Date), Column("limit", Date), prefixes=["TEMPORARY"], sqlite_with_rowid=False)
    conn = session.connection()
    meta.create_all(conn)
    try:
        conn.execute(new.insert(), rows)
        d = StoredDeadline.__table__
        conn.execute(
            update(d)
            .where(todo, new.c.start == c.start, new.c.offset == c.offset, new.c.lo == lo, new.c.months == c.months_after,
                   or_(c.due.is_distinct_from(new.c.due), c.limit.is_distinct_from(new.c.limit)))
            .values(due=new.c.due, limit=new.c.limit)
        )
    finally:
        new.drop(conn)
    return int(count)


def ensure_calendar_current(session: Session, calendar: WorkCalendar) -> int:
    """Recompute provisional deadlines if the calendar changed since they were computed
    (a schedule file dropped in, a ``holidays`` update, a new local adjustment). Beside the
    calendar's fingerprint the database keeps its last day with an official schedule: the
    clocks dated after it are the provisional ones the next calendar recomputes."""
    from gongkai.core.storage import get_setting, set_setting

    if get_setting(session, CALENDAR_SETTING) == calendar.fingerprint:
        return 0
    until = get_setting(session, FINAL_SETTING)
    count = recompute_provisional(session, calendar, dt.date.fromisoformat(until) if until else None)
    set_setting(session, CALENDAR_SETTING, calendar.fingerprint)
    set_setting(session, FINAL_SETTING, calendar.final_until.isoformat())
    return count
