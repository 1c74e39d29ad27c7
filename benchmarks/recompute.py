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
                count = recompute_provisional(session, new)
            ours, ours_cpu = time.perf_counter() - start, time.process_time() - cpu
        assert count == n, count
        engine.dispose()

        # the naive way: load each row through the ORM, compute, write back (on a sample)
        sample = min(baseline_sample, n)
        engine = synthetic.engine_at(tmp / "naive.db")
        synthetic.provisional_deadlines(engine, sample, old)
        start = time.perf_counter()
        with session_scope(engine) as session:
            naive_recompute(session, new)
        naive = (time.perf_counter() - start) * n / sample
        engine.dispose()
    return [Figure(
        f"recompute {n:,} provisional deadlines", f"{fmt_seconds(ours)} (CPU {fmt_seconds(ours_cpu)})",
        f"ORM row by row {fmt_seconds(naive)} (from {sample:,} rows)", f"{naive / ours:.0f}× faster",
        f"target under {TARGET:.0f} s for 1,000,000 ({verdict(ours < TARGET, n == N)}); "
        f"memory: peak resident memory grew {memory.mib:.0f} MiB",
    )]


def naive_recompute(session, calendar) -> int:
    """Every provisional row as an ORM object, recomputed and flushed one by one."""
    from dateutil.relativedelta import relativedelta
    from sqlmodel import select

    from gongkai.core.deadline_store import StoredDeadline

    rows = session.exec(select(StoredDeadline).where(StoredDeadline.provisional == True)).all()  # noqa: E712
    for row in rows:
        months = relativedelta(months=row.months_after)
        row.due = calendar.add_working_days(row.start, row.offset) + months
        if row.limit_offset is not None:
            row.limit = calendar.add_working_days(row.start, row.limit_offset) + months
        row.provisional = calendar.is_provisional(row.limit or row.due)
        session.add(row)
    session.flush()
    return len(rows)
