"""Recompute 1,000,000 stored provisional deadlines after a new year's schedule loads."""

from __future__ import annotations

import datetime as dt
import time

from benchmarks import synthetic
from benchmarks.common import Figure, PeakMemory, fmt_seconds, verdict

N = 1_000_000
TARGET = 2.0  # seconds, the target for 1,000,000 rows


def run(n: int = N) -> list[Figure]:
    from gongkai.core.time.calendar import load_calendar
    from gongkai.core.time.deadline_store import recompute_provisional
    from gongkai.core.records.storage import session_scope

    old = load_calendar()
    with synthetic.workdir() as tmp:
        new = synthetic.new_year_calendar(tmp / "calendar")
        engine = synthetic.engine_at(tmp / "recompute.db")
        synthetic.provisional_deadlines(engine, n, old)
        with session_scope(engine) as session:
            moved = _check(session, new, old.final_until)[1]  # generated on the old calendar: those the new one moves
            terms = session.connection().exec_driver_sql("SELECT count(*) FROM deadline_term").scalar()
            flat_copy(session)  # the baseline's table, made before the measurement
        with PeakMemory() as memory:
            start, cpu = time.perf_counter(), time.process_time()
            with session_scope(engine) as session:
                count = recompute_provisional(session, new, old.final_until)
            ours, ours_cpu = time.perf_counter() - start, time.process_time() - cpu
        with session_scope(engine) as session:  # checked after the measurement, so as not to warm its memory
            provisional, stale = _check(session, new, old.final_until)
        assert (count, stale) == (provisional, 0), (count, provisional, stale)  # every clock has the new dates
        start = time.perf_counter()
        with session_scope(engine) as session:
            flat_recompute(session, new, old.final_until)
        flat = time.perf_counter() - start
        engine.dispose()
    return [Figure(
        f"recompute {n:,} provisional deadlines", f"{fmt_seconds(ours)} (CPU {fmt_seconds(ours_cpu)})",
        f"dates on every clock {fmt_seconds(flat)}", f"{flat / ours:.0f}× faster",
        f"target under {TARGET:.0f} s for 1,000,000 ({verdict(ours < TARGET, n == N)}); "
        f"memory: peak resident memory grew {memory.mib:.0f} MiB; {provisional:,} clocks provisional on "
        f"{terms:,} shared terms, {moved:,} clocks moved by the new schedule; checked clock by clock afterwards",
    )]


def _new_dates(start, offset, limit_offset, months, calendar):
    from dateutil.relativedelta import relativedelta

    shift = relativedelta(months=months)
    due = calendar.add_working_days(start, offset) + shift
    limit = calendar.add_working_days(start, limit_offset) + shift if limit_offset is not None else None
    return due, limit


def _check(session, calendar, computed_until) -> tuple[int, int]:
    """(clocks provisional when computed, those whose stored dates differ from ``calendar``'s),
    clock by clock through the join of clocks and terms."""
    from sqlalchemy import func, select

    from gongkai.core.time.deadline_store import DeadlineTerm as T, with_terms

    count = differ = 0
    new: dict = {}
    query = select(T.start, T.offset, T.limit_offset, T.months_after, T.due, T.limit).select_from(with_terms())
    for row in session.execute(query.where(func.coalesce(T.limit, T.due) > computed_until)):
        key = row[:4]
        if key not in new:
            new[key] = _new_dates(*key, calendar)
        count += 1
        differ += new[key] != tuple(row[4:])
    return count, differ


# The baseline: the design before revision 0006, each clock's dates in its own row (with the
# (status, due) index the overdue list needs), recomputed as that design did, by one
# UPDATE ... FROM a table of the distinct keys' new dates, writing only the rows that move.
FLAT = ('CREATE TABLE flat AS SELECT d.id, d.status, t.start, t."offset", coalesce(t.limit_offset, -1) AS lo, '
        't.months_after, t.due, t."limit" FROM deadline d JOIN deadline_term t ON t.id = d.term_id')


def flat_copy(session) -> None:
    conn = session.connection()
    conn.exec_driver_sql(FLAT)
    conn.exec_driver_sql("CREATE INDEX ix_flat_open_due ON flat (status, due)")


def flat_recompute(session, calendar, computed_until) -> None:
    conn = session.connection()
    where = f"""coalesce(flat."limit", flat.due) > '{computed_until.isoformat()}'"""
    keys = conn.exec_driver_sql(f'SELECT DISTINCT start, "offset", lo, months_after FROM flat WHERE {where}').all()
    rows = []
    for start, offset, lo, months in keys:
        due, limit = _new_dates(dt.date.fromisoformat(start), offset, lo if lo >= 0 else None, months, calendar)
        rows.append((start, offset, lo, months, due.isoformat(), limit.isoformat() if limit else None))
    conn.exec_driver_sql("CREATE TEMP TABLE new (start, off, lo, months, due, lim, PRIMARY KEY (start, off, lo, months)) "
                         "WITHOUT ROWID")
    conn.exec_driver_sql("INSERT INTO new VALUES (?, ?, ?, ?, ?, ?)", rows)
    conn.exec_driver_sql(f'UPDATE flat SET due = new.due, "limit" = new.lim FROM new WHERE {where} '
                         "AND new.start = flat.start AND new.off = flat.\"offset\" AND new.lo = flat.lo "
                         'AND new.months = flat.months_after AND (flat.due IS NOT new.due OR flat."limit" IS NOT new.lim)')
