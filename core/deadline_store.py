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
from sqlalchemy import Column, Date, Index, Integer, MetaData, Table, and_, case, func, or_, text, update
from sqlmodel import Field, Session, SQLModel, select

from gongkai.core.deadlines import Deadline
from gongkai.hookspecs.records import Unit

if TYPE_CHECKING:
    from gongkai.core.calendar import WorkCalendar

CALENDAR_SETTING = "calendar.fingerprint"


class StoredDeadline(SQLModel, table=True):
    __tablename__ = "deadline"
    __table_args__ = (
        Index("ix_deadline_owner", "owner_kind", "owner_id", "name", unique=True),
        Index("ix_deadline_open_due", "status", "due"),
        # partial: only the rows a new schedule may change, which leave it once final
        Index("ix_deadline_provisional", "id", sqlite_where=text("provisional = 1"), postgresql_where=text("provisional")),
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
    provisional: bool = False
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
        "provisional": deadline.provisional,
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
    query = select(c.id, c.owner_kind, c.owner_id, c.name, c.rule_id, c.due, c.limit, c.provisional).where(
        c.status == "open", c.due <= due_by
    )
    if due_from is not None:
        query = query.where(c.due >= due_from)
    if owner_kind is not None:
        query = query.where(c.owner_kind == owner_kind)
    if name is not None:
        query = query.where(c.name == name)
    return list(session.execute(query.order_by(c.due, c.id)).all())


def _recomputable() -> Any:
    """Stored clocks that follow the calendar: open to recomputation while provisional."""
    d = StoredDeadline.__table__.c
    # ``provisional = 1`` as written matches the partial index ix_deadline_provisional
    return and_(d.provisional == True, d.unit == Unit.WORKING_DAYS.value, d.paused == False)  # noqa: E712


def recompute_provisional(session: Session, calendar: WorkCalendar) -> int:
    """Recompute every stored provisional working-day deadline on ``calendar``; returns the count.

    The arithmetic runs in the database: the calendar index goes into two temporary tables
    (day -> working days up to it, k -> k-th working day) and one UPDATE joins them, writing
    only the rows whose dates change; a second one clears ``provisional`` where the dates now
    lie in years with an official schedule. Month-long extensions (rare, and month arithmetic
    differs between databases) are recomputed in Python with the same rules as ``compute``.
    """
    d = StoredDeadline.__table__
    c = d.c
    todo = _recomputable()
    count, first, last, offset, limit_offset = session.execute(
        select(func.count(), func.min(c.start), func.max(c.start), func.max(c.offset), func.max(c.limit_offset))
        .where(todo)
    ).one()
    if not count:
        return 0
    # the furthest date asked for: raises a clear error, before anything is written, when out of range
    calendar.add_working_days(first, 0)
    calendar.add_working_days(last, max(offset, limit_offset or 0))

    _recompute_months(session, calendar, and_(todo, c.months_after != 0))
    prefix, workday = _calendar_tables(session, calendar, first, last, max(offset, limit_offset or 0))

    p = prefix.alias("p")
    w = workday.alias("w")
    wl = workday.alias("wl")
    src = d.alias("src")
    due = case((src.c.offset == 0, src.c.start), else_=w.c.day)  # day 0 is the start itself
    new = (
        select(src.c.id, due.label("due"), wl.c.day.label("limit"))
        .select_from(
            src.join(p, p.c.day == src.c.start)
            .join(w, w.c.k == p.c.prefix + src.c.offset - 1)
            .outerjoin(wl, wl.c.k == p.c.prefix + src.c.limit_offset - 1)
        )
        .where(src.c.provisional == True, src.c.unit == Unit.WORKING_DAYS.value,  # noqa: E712
               src.c.paused == False, src.c.months_after == 0)  # noqa: E712
        .subquery("new")
    )
    session.execute(
        update(d)
        .where(d.c.id == new.c.id, or_(c.due.is_distinct_from(new.c.due), c.limit.is_distinct_from(new.c.limit)))
        .values(due=new.c.due, limit=new.c.limit)
    )
    final_until = dt.date(calendar.last_final_year, 12, 31)
    session.execute(update(d).where(todo, func.coalesce(c.limit, c.due) <= final_until).values(provisional=False))
    prefix.drop(session.connection())
    workday.drop(session.connection())
    return int(count)


def _recompute_months(session: Session, calendar: WorkCalendar, where: Any) -> None:
    c = StoredDeadline.__table__.c
    changes = []
    add = calendar.add_working_days
    for row_id, start, offset, limit_offset, months in session.execute(
        select(c.id, c.start, c.offset, c.limit_offset, c.months_after).where(where)
    ):
        due = add(start, offset) + relativedelta(months=months)
        limit = add(start, limit_offset) + relativedelta(months=months) if limit_offset is not None else None
        changes.append({"id": row_id, "due": due, "limit": limit, "provisional": calendar.is_provisional(limit or due)})
    if changes:
        session.execute(update(StoredDeadline), changes)


def _calendar_tables(session: Session, calendar: WorkCalendar, first: dt.date, last: dt.date, ahead: int) -> tuple[Table, Table]:
    """The calendar index for starts in [first, last] as two temporary tables on the session's connection."""
    meta = MetaData()
    prefix = Table("gk_calendar_prefix", meta, Column("day", Date, primary_key=True), Column("prefix", Integer),
                   prefixes=["TEMPORARY"], sqlite_with_rowid=False)
    workday = Table("gk_calendar_workday", meta, Column("k", Integer, primary_key=True), Column("day", Date),
                    prefixes=["TEMPORARY"])
    conn = session.connection()
    meta.create_all(conn)
    days, workdays = calendar.index_tables(first, last, ahead)
    conn.execute(prefix.insert(), [{"day": day, "prefix": n} for day, n in days])
    conn.execute(workday.insert(), [{"k": k, "day": day} for k, day in workdays])
    return prefix, workday


def ensure_calendar_current(session: Session, calendar: WorkCalendar) -> int:
    """Recompute provisional deadlines if the calendar changed since they were computed
    (a schedule file dropped in, a ``holidays`` update, a new local adjustment)."""
    from gongkai.core.storage import get_setting, set_setting

    if get_setting(session, CALENDAR_SETTING) == calendar.fingerprint:
        return 0
    count = recompute_provisional(session, calendar)
    set_setting(session, CALENDAR_SETTING, calendar.fingerprint)
    return count
