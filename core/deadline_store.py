"""Stored deadlines, one row per named clock of a request, document or matter.

Each row names what it times (``name``, e.g. ``reply`` or ``correction_notice``) instead
of one ``due_date`` that means different things in different states. A row keeps its
``start`` and ``offset`` so that when a newer holiday schedule arrives every provisional
deadline is recomputed from the index, without asking the workflow again.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta
from sqlalchemy import Index, update
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
        Index("ix_deadline_provisional", "provisional"),
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
    timed = deadline.rule.unit.is_timed
    row.rule_id = deadline.rule.id
    row.unit = deadline.rule.unit.value
    row.start = deadline.start.date() if isinstance(deadline.start, dt.datetime) else deadline.start
    row.start_at = deadline.start if timed else None
    row.offset = deadline.offset
    row.limit_offset = deadline.limit_offset
    row.months_after = deadline.months_after
    row.due = None if timed or deadline.due is None else deadline.due  # type: ignore[assignment]
    row.due_at = deadline.due if timed else None  # type: ignore[assignment]
    if timed and deadline.due is not None:
        row.due = deadline.due.date()  # type: ignore[union-attr]
    row.limit = deadline.limit if not timed else None  # type: ignore[assignment]
    row.provisional = deadline.provisional
    row.paused = deadline.paused
    session.add(row)
    return row


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


def recompute_provisional(session: Session, calendar: WorkCalendar, batch: int = 50_000) -> int:
    """Recompute every stored provisional working-day deadline on ``calendar``; returns the count."""
    count = 0
    last_id = 0
    while True:
        rows = session.exec(
            select(
                StoredDeadline.id,
                StoredDeadline.start,
                StoredDeadline.offset,
                StoredDeadline.limit_offset,
                StoredDeadline.months_after,
            )
            .where(
                StoredDeadline.provisional == True,  # noqa: E712
                StoredDeadline.unit == Unit.WORKING_DAYS.value,
                StoredDeadline.paused == False,  # noqa: E712
                StoredDeadline.id > last_id,
            )
            .order_by(StoredDeadline.id)
            .limit(batch)
        ).all()
        if not rows:
            break
        changes = []
        add = calendar.add_working_days
        for row_id, start, offset, limit_offset, months in rows:
            due = add(start, offset)
            limit = add(start, limit_offset) if limit_offset is not None else None
            if months:
                due += relativedelta(months=months)
                limit = limit + relativedelta(months=months) if limit else None
            changes.append(
                {"id": row_id, "due": due, "limit": limit, "provisional": calendar.is_provisional(limit or due)}
            )
        session.execute(update(StoredDeadline), changes)
        count += len(changes)
        last_id = rows[-1][0]
    return count


def ensure_calendar_current(session: Session, calendar: WorkCalendar) -> int:
    """Recompute provisional deadlines if the calendar changed since they were computed
    (a schedule file dropped in, a ``holidays`` update, a new local adjustment)."""
    from gongkai.core.storage import get_setting, set_setting

    if get_setting(session, CALENDAR_SETTING) == calendar.fingerprint:
        return 0
    count = recompute_provisional(session, calendar)
    set_setting(session, CALENDAR_SETTING, calendar.fingerprint)
    return count
