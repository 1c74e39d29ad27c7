"""Overdue plus due-within-3-working-days on a 1,000,000-request SQLite database."""

from __future__ import annotations

import datetime as dt
import time
from types import SimpleNamespace

from benchmarks import synthetic
from benchmarks.common import Figure, best_of, fmt_seconds, verdict

N = 1_000_000
TARGET = 0.2  # seconds
TODAY = dt.date(2026, 9, 24)

# the same query with every index of the table switched off: what an unindexed ledger costs
FULL_SCAN = ('SELECT id, owner_kind, owner_id, name, rule_id, due, due_at, "limit" FROM deadline NOT INDEXED '
             "WHERE status = 'open' AND due <= :due_by ORDER BY due, id")


def run(n: int = N, ledger_size: int = 20_000) -> list[Figure]:
    from sqlalchemy import text

    from gongkai.core.calendar import load_calendar
    from gongkai.core.deadline_store import open_deadlines
    from gongkai.core.storage import session_scope

    calendar = load_calendar()
    due_by = calendar.add_working_days(TODAY, 3)
    figures = []
    with synthetic.workdir() as tmp:
        engine = synthetic.engine_at(tmp / "requests.db")
        synthetic.requests_database(engine, n, calendar, TODAY)
        with session_scope(engine) as session:
            session.execute(text("ANALYZE"))
            rows = open_deadlines(session, due_by)
            ours = best_of(lambda: open_deadlines(session, due_by))
            scanned = session.execute(text(FULL_SCAN), {"due_by": due_by.isoformat()}).all()
            assert [r.id for r in rows] == [r.id for r in scanned] and rows
            scan = best_of(lambda: session.execute(text(FULL_SCAN), {"due_by": due_by.isoformat()}).all(), repeat=3)
        overdue = sum(r.due < TODAY for r in rows)
        figures.append(Figure(
            f"overdue + due within 3 working days, {n:,} requests", fmt_seconds(ours),
            f"full scan {fmt_seconds(scan)}", f"{scan / ours:.0f}× faster",
            f"target under 200 ms ({verdict(ours < TARGET, n == N)}); {len(rows):,} clocks listed "
            f"({overdue:,} overdue) as of {TODAY}; core.deadline_store.open_deadlines on ix_deadline_open_due",
        ))
        engine.dispose()

        # the requests ledger (core.requests.ledger.ledger), which builds full rows in Python
        engine = synthetic.engine_at(tmp / "ledger.db")
        synthetic.requests_database(engine, ledger_size, calendar, TODAY)
        office = SimpleNamespace(calendar=calendar)
        figures.append(ledger_figure(engine, office, ledger_size))
    return figures


def ledger_figure(engine, office, size: int) -> Figure:
    from gongkai.core.requests.ledger import ledger
    from gongkai.core.storage import session_scope

    def both() -> int:
        with session_scope(engine) as session:
            return len(ledger(session, office, as_of=TODAY, overdue=True)) + len(
                ledger(session, office, as_of=TODAY, due_within=3))

    start = time.perf_counter()
    listed = both()
    took = time.perf_counter() - start
    return Figure(
        f"the same through requests ledger(), {size:,} requests", fmt_seconds(took), "—", "—",
        f"{listed:,} rows; ledger() loads every open request and filters in Python, so it grows with the "
        "open requests, not the answer: it should select through open_deadlines first",
    )
