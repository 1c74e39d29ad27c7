"""Recompute 1,000,000 stored provisional deadlines after a new year's schedule loads."""

from __future__ import annotations

import time

from benchmarks import synthetic
from benchmarks.common import Figure, PeakMemory, fmt_seconds, verdict

N = 1_000_000
TARGET = 2.0  # seconds, the target for 1,000,000 rows
BASELINE_SAMPLE = 20_000


def run(n: int = N, baseline_sample: int = BASELINE_SAMPLE) -> list[Figure]:
    from gongkai.core.calendar import load_calendar
    from gongkai.core.deadline_store import recompute_provisional
    from gongkai.core.storage import session_scope

    old = load_calendar()
    with synthetic.workdir() as tmp:
        new = synthetic.new_year_calendar(tmp / "calendar")
        engine = synthetic.engine_at(tmp / "recompute.db")
        synthetic.provisional_deadlines(engine, n, old)
        with PeakMemory() as memory:
            start, cpu = time.perf_counter(), time.process_time()
            with session_scope(engine) as session:
                count = recompute_provisional(session, new, old.final_until)
            ours, ours_cpu = time.perf_counter() - start, time.process_time() - cpu
        with session_scope(engine) as session:  # checked after the measurement, so as not to warm its memory
            provisional, stale = _expected(session, new, old.final_until)
            moved = _expected(session, old, old.final_until)[1]  # the rows were generated on the old calendar
        assert (count, stale) == (provisional, 0), (count, provisional, stale)  # every moved clock was rewritten
        engine.dispose()

        # the naive way: load each row through the ORM, compute, write back (on a sample)
        sample = min(baseline_sample, n)
        engine = synthetic.engine_at(tmp / "naive.db")
        synthetic.provisional_deadlines(engine, sample, old)
        start = time.perf_counter()
        with session_scope(engine) as session:
            naive_recompute(session, new, old.final_until)
        naive = (time.perf_counter() - start) * n / sample
        engine.dispose()
    return [Figure(
        f"recompute {n:,} provisional deadlines", f"{fmt_seconds(ours)} (CPU {fmt_seconds(ours_cpu)})",
        f"ORM row by row {fmt_seconds(naive)} (from {sample:,} rows)", f"{naive / ours:.0f}× faster",
        f"target under {TARGET:.0f} s for 1,000,000 ({verdict(ours < TARGET, n == N)}); "
        f"memory: peak resident memory grew {memory.mib:.0f} MiB; {provisional:,} clocks provisional, "
        f"{moved:,} moved by the new schedule and rewritten",
    )]


def _provisional(columns, computed_until):
    from sqlalchemy import func
    from sqlmodel import select

    from gongkai.core.deadline_store import StoredDeadline as D

    return select(*columns).where(func.coalesce(D.limit, D.due) > computed_until)


def _new_dates(row, calendar):
    from dateutil.relativedelta import relativedelta

    months = relativedelta(months=row.months_after)
    due = calendar.add_working_days(row.start, row.offset) + months
    limit = calendar.add_working_days(row.start, row.limit_offset) + months if row.limit_offset is not None else None
    return due, limit


def _expected(session, calendar, computed_until) -> tuple[int, int]:
    """(clocks provisional when computed, those whose dates ``calendar`` moves), row by row."""
    from gongkai.core.deadline_store import StoredDeadline as D

    count = moved = 0
    new: dict = {}
    for row in session.execute(_provisional([D.start, D.offset, D.limit_offset, D.months_after, D.due, D.limit],
                                            computed_until)):
        key = row[:4]
        if key not in new:
            new[key] = _new_dates(row, calendar)
        count += 1
        moved += new[key] != tuple(row[4:])
    return count, moved


def naive_recompute(session, calendar, computed_until) -> int:
    """Every provisional row as an ORM object, recomputed and flushed one by one."""
    from gongkai.core.deadline_store import StoredDeadline

    rows = session.exec(_provisional([StoredDeadline], computed_until)).all()
    for row in rows:
        row.due, row.limit = _new_dates(row, calendar)
        session.add(row)
    session.flush()
    return len(rows)
