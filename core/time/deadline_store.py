"""Stored deadlines, one row per named clock of a request, document or matter.

Each row names what it times (``name``, e.g. ``reply`` or ``correction_notice``) instead
of one ``due_date`` that means different things in different states. Its dates live in a
:class:`DeadlineTerm`: the date arithmetic (unit, start, offset, limit offset, months) and
its result (due, limit). Clocks with the same arithmetic share one term, so when a newer
holiday schedule arrives every provisional deadline is recomputed by rewriting the few
distinct terms (a few thousand for a million clocks), never the clocks themselves.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from dateutil.relativedelta import relativedelta
from sqlalchemy import Index, and_, func, update
from sqlmodel import Field, Relationship, Session, SQLModel, select

from gongkai.core.time.deadlines import Deadline, _add
from gongkai.hookspecs.records import Unit
from gongkai.core.records.units import UnitOwned

if TYPE_CHECKING:
    from gongkai.core.time.calendar import WorkCalendar

CALENDAR_SETTING = "calendar.fingerprint"
FINAL_SETTING = "calendar.final_until"  # the last day with an official schedule in that calendar


class DeadlineTerm(SQLModel, table=True):
    """The dates of one or more clocks and what they are computed from: ``offset`` units of
    the rule after ``start`` (target; ``limit_offset`` for the hard limit), then
    ``months_after`` months (a month-long extension). Rows are shared and only ever rewritten
    by a calendar change (:func:`recompute_provisional`); a clock whose arithmetic changes
    moves to another term."""

    __tablename__ = "deadline_term"
    __table_args__ = (Index("ix_deadline_term_key", "start", "offset"), Index("ix_deadline_term_due", "due"))

    id: int | None = Field(default=None, primary_key=True)
    unit: str = Field(max_length=20)
    start: dt.date
    start_at: dt.datetime | None = None  # hour and minute rules
    offset: int = 0
    limit_offset: int | None = None
    months_after: int = 0
    paused: bool = False  # a stopped clock has no due date until it restarts
    due: dt.date | None = None
    due_at: dt.datetime | None = None
    limit: dt.date | None = None


class StoredDeadline(UnitOwned, table=True):
    """One clock: whose (owner), which (name, rule), whether still running (status); its
    dates are its term's (read through the properties below)."""

    __tablename__ = "deadline"
    __table_args__ = (
        Index("ix_deadline_owner", "owner_kind", "owner_id", "name", unique=True),
        Index("ix_deadline_term_status", "term_id", "status"),
        Index("ix_deadline_unit_status", "unit_id", "status"),  # one unit's open clocks on a district server
    )

    id: int | None = Field(default=None, primary_key=True)
    owner_kind: str = Field(max_length=40)  # "request", "document", "matter"
    owner_id: int
    name: str = Field(max_length=60)  # which clock: "reply", "correction_notice", "publish", ...
    rule_id: str = Field(max_length=100)
    term_id: int = Field(foreign_key="deadline_term.id")
    status: str = Field(default="open", max_length=20)  # open, met, cancelled
    met_on: dt.date | None = None
    term: DeadlineTerm = Relationship(sa_relationship_kwargs={"lazy": "joined", "innerjoin": True})

    unit = property(lambda self: self.term.unit)
    start = property(lambda self: self.term.start)
    start_at = property(lambda self: self.term.start_at)
    offset = property(lambda self: self.term.offset)
    limit_offset = property(lambda self: self.term.limit_offset)
    months_after = property(lambda self: self.term.months_after)
    paused = property(lambda self: self.term.paused)
    due = property(lambda self: self.term.due)
    due_at = property(lambda self: self.term.due_at)
    limit = property(lambda self: self.term.limit)


def term_columns(deadline: Deadline) -> dict[str, Any]:
    """The :class:`DeadlineTerm` columns of a computed :class:`Deadline`."""
    timed = deadline.rule.unit.is_timed
    due = deadline.due
    return {
        "unit": deadline.rule.unit.value,
        "start": deadline.start.date() if isinstance(deadline.start, dt.datetime) else deadline.start,
        "start_at": deadline.start if timed else None,
        "offset": deadline.offset,
        "limit_offset": deadline.limit_offset,
        "months_after": deadline.months_after,
        "paused": deadline.paused,
        "due": due.date() if timed and due is not None else due,  # type: ignore[union-attr]
        "due_at": due if timed else None,
        "limit": deadline.limit if not timed else None,
    }


def term_for(session: Session, columns: dict[str, Any]) -> DeadlineTerm:
    """The stored term with exactly these columns (inputs and dates), else a new one."""
    found = session.exec(select(DeadlineTerm).where(  # "=" where it can, so that ix_deadline_term_key serves
        *(getattr(DeadlineTerm, name) == value if value is not None else getattr(DeadlineTerm, name).is_(None)
          for name, value in columns.items())
    )).first()
    if found is None:
        found = DeadlineTerm(**columns)
        session.add(found)
    return found


def term_ids(session: Session, terms: list[dict[str, Any]]) -> list[int]:
    """The ids of terms with exactly these columns (:func:`term_columns`), the missing ones
    stored: :func:`term_for` for many clocks at once (imports), one query per 500 start days."""
    from gongkai.core.records.storage import insert_rows

    t = DeadlineTerm.__table__
    names = list(terms[0]) if terms else []
    wanted = {tuple(term.values()): term for term in terms}
    found: dict[tuple[Any, ...], int] = {}
    starts = sorted({term["start"] for term in terms})
    for i in range(0, len(starts), 500):
        for row in session.execute(select(t).where(t.c.start.in_(starts[i:i + 500]))):
            key = tuple(getattr(row, name) for name in names)
            if key in wanted:
                found.setdefault(key, row.id)
    missing = [key for key in wanted if key not in found]
    found.update(zip(missing, insert_rows(session, t, [wanted[key] for key in missing], return_ids=True)))
    return [found[tuple(term.values())] for term in terms]


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
        row = StoredDeadline(owner_kind=owner_kind, owner_id=owner_id, name=name, rule_id="")
    row.rule_id = deadline.rule.id
    row.term = term_for(session, term_columns(deadline))
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


def with_terms() -> Any:
    """``deadline JOIN deadline_term``, for queries that select or filter clocks by their dates."""
    return StoredDeadline.__table__.join(DeadlineTerm.__table__, StoredDeadline.__table__.c.term_id == DeadlineTerm.__table__.c.id)


def open_deadlines(session: Session, due_by: dt.date, owner_kind: str | None = None, name: str | None = None,
                   due_from: dt.date | None = None) -> list[Any]:
    """Open clocks due on or before ``due_by`` (and on or after ``due_from``, if given),
    earliest first: the overdue ones (due before today) and those due soon (``due_by`` =
    today plus N working days). The terms come from a range of ix_deadline_term_due, then
    each term's open clocks from ix_deadline_term_status (term_id, status): the cost follows
    the answer, not the number of clocks. Rows carry the columns a digest needs."""
    c, t = StoredDeadline.__table__.c, DeadlineTerm.__table__.c
    query = select(c.id, c.owner_kind, c.owner_id, c.name, c.rule_id, t.due, t.due_at, t.limit).select_from(
        with_terms()).where(c.status == "open", t.due <= due_by)
    if due_from is not None:
        query = query.where(t.due >= due_from)
    if owner_kind is not None:
        query = query.where(c.owner_kind == owner_kind)
    if name is not None:
        query = query.where(c.name == name)
    return list(session.execute(query.order_by(t.due, c.id)).all())


def is_provisional(row: Any, calendar: WorkCalendar) -> bool:
    """Whether a stored clock's dates lie beyond the last official schedule: derived on reading
    (never stored, so a new schedule rewrites only the terms whose dates move). Clocks timed in
    hours or minutes do not follow the calendar; a paused clock has no date yet."""
    latest = row.limit or row.due
    return row.due_at is None and latest is not None and calendar.is_provisional(latest)


def recompute_provisional(session: Session, calendar: WorkCalendar, computed_until: dt.date | None = None) -> int:
    """Recompute on ``calendar`` every stored working-day term whose dates were provisional when
    computed, i.e. lie after ``computed_until`` (the last day with an official schedule in the
    calendar they were computed with; ``None``: unknown, every working-day term). Returns the
    number of clocks whose dates were recomputed.

    The arithmetic is the calendar's own, as in ``compute`` (month extensions included). Every
    date is computed, and an out-of-range one refused, before anything is written; then only
    the terms whose dates change are rewritten, each once for all the clocks that share it.
    """
    t = DeadlineTerm.__table__.c
    # working days, and calendar days that roll over a rest day: both follow the calendar
    todo = and_(t.unit.in_([Unit.WORKING_DAYS.value, Unit.CALENDAR_DAYS_ROLLING.value]), t.paused == False)  # noqa: E712
    if computed_until is not None:
        todo = and_(todo, func.coalesce(t.limit, t.due) > computed_until)
    terms = session.execute(select(t.id, t.unit, t.start, t.offset, t.limit_offset, t.months_after, t.due, t.limit)
                            .where(todo)).all()
    if not terms:
        return 0
    c = StoredDeadline.__table__.c
    count = session.execute(select(func.count()).where(c.term_id.in_(select(t.id).where(todo)))).scalar_one()
    changes = []
    for term_id, unit, start, offset, limit_offset, months, due, limit in terms:
        shift = relativedelta(months=months)
        kind = Unit(unit)
        new_due = _add(calendar, start, offset, kind) + shift
        new_limit = _add(calendar, start, limit_offset, kind) + shift if limit_offset is not None else None
        if (new_due, new_limit) != (due, limit):
            changes.append({"id": term_id, "due": new_due, "limit": new_limit})
    if changes:
        session.execute(update(DeadlineTerm), changes)  # ORM bulk UPDATE by primary key
    return int(count)


def ensure_calendar_current(session: Session, calendar: WorkCalendar) -> int:
    """Recompute provisional deadlines if the calendar changed since they were computed
    (a schedule file dropped in, a ``holidays`` update, a new local adjustment). Beside the
    calendar's fingerprint the database keeps its last day with an official schedule: the
    clocks dated after it are the provisional ones the next calendar recomputes."""
    from gongkai.core.records.storage import get_setting, set_setting

    if get_setting(session, CALENDAR_SETTING) == calendar.fingerprint:
        return 0
    until = get_setting(session, FINAL_SETTING)
    count = recompute_provisional(session, calendar, dt.date.fromisoformat(until) if until else None)
    set_setting(session, CALENDAR_SETTING, calendar.fingerprint)
    set_setting(session, FINAL_SETTING, calendar.final_until.isoformat())
    return count
