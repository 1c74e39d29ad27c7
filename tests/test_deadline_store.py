"""Recomputing stored provisional deadlines when a new year's schedule loads."""

from __future__ import annotations

import datetime as dt
import os
import random

import pytest
from dateutil.relativedelta import relativedelta
from sqlmodel import func, select

from gongkai.core.time.calendar import load_calendar
from gongkai.core.time.deadline_store import (
    DeadlineTerm, StoredDeadline, ensure_calendar_current, is_provisional, open_deadlines, recompute_provisional,
)
from gongkai.core.errors import GongkaiError
from gongkai.core.records.storage import create_schema, make_engine, session_scope
from gongkai.core.records.scoping import bound

# Spring Festival 2027 as a schedule file would give it (a made-up notice for the test)
SCHEDULE_2027 = """\
year = 2027
notice = "test"

[[holidays]]
name = "春节"
off = [2027-02-06, 2027-02-14]
makeup_workdays = [2027-02-20]
"""


@pytest.fixture
def engine(tmp_path):
    # the throwaway PostgreSQL schema with --backend=postgresql, else a SQLite file
    engine = make_engine(os.environ.get("GONGKAI_DATABASE_URL") or f"sqlite:///{tmp_path / 'store.db'}")
    create_schema(engine)
    return bound(engine, 1)  # the database's one unit (revision 0016)


@pytest.fixture
def calendars(tmp_path):
    folder = tmp_path / "calendar"
    folder.mkdir()
    old = load_calendar()
    (folder / "2027.toml").write_text(SCHEDULE_2027, encoding="utf-8")
    return old, load_calendar([folder])


def clock(i: int, start: dt.date, offset: int, cal, limit_offset=None, months=0, **values) -> StoredDeadline:
    due = cal.add_working_days(start, offset) + relativedelta(months=months)
    limit = cal.add_working_days(start, limit_offset) + relativedelta(months=months) if limit_offset else None
    term = dict(unit="working_days", start=start, offset=offset, limit_offset=limit_offset, months_after=months,
                due=due, limit=limit)
    term.update((k, v) for k, v in values.items() if k in DeadlineTerm.__table__.c)
    row = dict(owner_kind="request", owner_id=i, name="reply", rule_id="request.reply", term=DeadlineTerm(**term))
    row.update((k, v) for k, v in values.items() if k not in term)
    return StoredDeadline(**row)


def expected(row: StoredDeadline, cal) -> tuple[dt.date, dt.date | None]:
    """What ``compute`` gives: the calendar's own arithmetic, month extension after it."""
    months = relativedelta(months=row.months_after)
    due = cal.add_working_days(row.start, row.offset) + months
    limit = cal.add_working_days(row.start, row.limit_offset) + months if row.limit_offset is not None else None
    return due, limit


def test_spring_festival_schedule_moves_a_provisional_deadline(engine, calendars):
    old, new = calendars
    start = dt.date(2027, 1, 29)  # a Friday; 2027-02-06..14 off, so day 10 is Friday 19 February
    with session_scope(engine) as s:
        s.add(clock(1, start, 10, old))
    with session_scope(engine) as s:
        assert is_provisional(s.exec(select(StoredDeadline)).one(), old)
        assert recompute_provisional(s, new, old.final_until) == 1
    with session_scope(engine) as s:
        row = s.exec(select(StoredDeadline)).one()
    assert row.due == dt.date(2027, 2, 19) and not is_provisional(row, new)


def test_a_calendar_change_recomputes_the_clocks_provisional_when_computed(engine, calendars):
    old, new = calendars
    with session_scope(engine) as s:
        s.add(clock(1, dt.date(2027, 1, 29), 10, old))
    with session_scope(engine) as s:
        assert ensure_calendar_current(s, old) == 1  # first sync: the calendar they were computed with is unknown
        assert ensure_calendar_current(s, old) == 0  # same fingerprint: nothing to do
        s.add(clock(2, dt.date(2026, 11, 2), 20, old, due=dt.date(2026, 11, 20)))  # final (a wrong date: left alone)
    with session_scope(engine) as s:
        assert ensure_calendar_current(s, new) == 1  # only the clock dated after 2026, the last official year
    with session_scope(engine) as s:
        assert [(r.owner_id, r.due) for r in s.exec(select(StoredDeadline).order_by(StoredDeadline.id))] == [
            (1, dt.date(2027, 2, 19)), (2, dt.date(2026, 11, 20))]


def test_sql_recompute_agrees_with_the_calendar_on_random_rows(engine, calendars):
    old, new = calendars
    rng = random.Random(3)
    rows = []
    for i in range(1, 1201):
        start = dt.date(2026, 10, 1) + dt.timedelta(days=rng.randrange(500))  # into 2028: some stay provisional
        offset = rng.choice([0, 1, 7, 10, 15, 20, 40])
        limit_offset = rng.choice([None, None, offset + 10])
        months = rng.choice([0] * 8 + [1, 2])
        if start.day > 28 and months:
            start = start.replace(day=31) if start.month in (1, 3, 5, 7, 8, 10, 12) else start  # end-of-month clipping
        rows.append(clock(i, start, offset, old, limit_offset, months))
    untouched = [  # paused, calendar days, already final (a date in 2026): a new schedule must not move them
        clock(5001, dt.date(2027, 2, 1), 20, old, paused=True),
        clock(5002, dt.date(2027, 2, 1), 20, old, unit="calendar_days", due=dt.date(2027, 2, 21)),
        clock(5003, dt.date(2026, 11, 2), 20, old, due=dt.date(2026, 11, 20), limit=dt.date(2026, 12, 31)),
    ]
    provisional = [is_provisional(r, old) for r in rows]
    with session_scope(engine) as s:
        s.add_all(rows + untouched)
    with session_scope(engine) as s:
        assert recompute_provisional(s, new, old.final_until) == sum(provisional) > 900
    with session_scope(engine) as s:
        stored = {r.owner_id: r for r in s.exec(select(StoredDeadline)).all()}
    changed = 0
    for row, was_provisional in zip(rows, provisional):
        got = stored[row.owner_id]
        want = expected(row, new) if was_provisional else (row.due, row.limit)
        assert (got.due, got.limit) == want, (row.start, row.offset, row.limit_offset, row.months_after)
        changed += got.due != row.due
    assert changed > 50  # the schedule really moved deadlines
    assert sum(is_provisional(r, new) for r in stored.values() if r.owner_id < 5000) > 10  # 2028 stays provisional
    for row in untouched:
        assert (stored[row.owner_id].due, stored[row.owner_id].limit) == (row.due, row.limit)


def test_out_of_range_recompute_writes_nothing(engine, calendars):
    old, new = calendars
    with session_scope(engine) as s:
        s.add(clock(1, dt.date(2027, 2, 1), 20, old))
        s.add(clock(2, dt.date(2027, 3, 1), 20, old))
    with session_scope(engine) as s:  # a start beyond the index: refused before anything is written
        s.add(clock(3, new.last - dt.timedelta(days=3), 1, new))
        s.flush()
        s.exec(select(StoredDeadline).where(StoredDeadline.owner_id == 3)).one().term.offset = 30
    with pytest.raises(GongkaiError, match="超出工作日历范围"):
        with session_scope(engine) as s:
            recompute_provisional(s, new, old.final_until)
    with session_scope(engine) as s:
        assert [r.due for r in s.exec(select(StoredDeadline).order_by(StoredDeadline.id))][:2] == [
            old.add_working_days(dt.date(2027, 2, 1), 20), old.add_working_days(dt.date(2027, 3, 1), 20)]


def test_open_deadlines_lists_overdue_and_due_soon(engine, calendars):
    old, _ = calendars
    today = dt.date(2026, 9, 24)  # Thursday; 25-27 off, so the third working day is Wednesday 30 September
    with session_scope(engine) as s:
        for i, (due, status) in enumerate([
            (dt.date(2026, 9, 1), "open"),  # overdue
            (dt.date(2026, 9, 23), "open"),  # overdue
            (dt.date(2026, 9, 1), "met"),  # done: not listed
            (dt.date(2026, 9, 24), "open"),  # due today
            (dt.date(2026, 9, 30), "open"),  # third working day
            (dt.date(2026, 10, 8), "open"),  # fourth (1-7 October off): not yet
        ], 1):
            s.add(clock(i, dt.date(2026, 8, 1), 20, old, due=due, status=status))
    with session_scope(engine) as s:
        rows = open_deadlines(s, old.add_working_days(today, 3))
    assert [(r.owner_id, r.due) for r in rows] == [
        (1, dt.date(2026, 9, 1)), (2, dt.date(2026, 9, 23)), (4, dt.date(2026, 9, 24)), (5, dt.date(2026, 9, 30)),
    ]


def test_clocks_with_the_same_arithmetic_share_a_term_and_part_when_one_changes(engine, calendars):
    """A shared term is never edited for one clock: an extended clock moves to its own term,
    and a new schedule rewrites the shared term once for every clock on it."""
    from gongkai.core.time.deadline_store import store_deadline
    from gongkai.core.time.deadlines import Extension, compute
    from gongkai.hookspecs.records import DeadlineRule, cite

    old, new = calendars
    reply = DeadlineRule(id="request.reply", summary="20个工作日内答复", citation=cite("条例", "第三十三条"),
                         unit="working_days", amount=20)
    start = dt.date(2027, 1, 29)
    with session_scope(engine) as s:
        for owner in (1, 2, 3):
            store_deadline(s, "request", owner, "reply", compute(reply, start, old))
    with session_scope(engine) as s:
        assert s.exec(select(func.count()).select_from(DeadlineTerm)).one() == 1
        store_deadline(s, "request", 3, "reply", compute(reply, start, old, extension=Extension(20)))
    with session_scope(engine) as s:
        clocks = s.exec(select(StoredDeadline).order_by(StoredDeadline.owner_id)).all()
        assert clocks[0].term_id == clocks[1].term_id != clocks[2].term_id
        assert [c.due for c in clocks] == [old.add_working_days(start, 20)] * 2 + [old.add_working_days(start, 40)]
        assert recompute_provisional(s, new, old.final_until) == 3  # clocks, not terms
    with session_scope(engine) as s:
        assert [c.due for c in s.exec(select(StoredDeadline).order_by(StoredDeadline.owner_id))] == [
            new.add_working_days(start, 20)] * 2 + [new.add_working_days(start, 40)]
