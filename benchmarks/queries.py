"""Overdue plus due-within-3-working-days on a 1,000,000-request SQLite database."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from benchmarks import synthetic
from benchmarks.common import Figure, best_of, fmt_seconds, verdict

N = 1_000_000
TARGET = 0.2  # seconds
TODAY = dt.date(2026, 9, 24)

# the same query with every index of the table switched off: what an unindexed ledger costs
FULL_SCAN = ('SELECT d.id, owner_kind, owner_id, name, rule_id, due, due_at, "limit" FROM deadline d NOT INDEXED '
             "JOIN deadline_term t NOT INDEXED ON t.id = d.term_id "
             "WHERE status = 'open' AND due <= :due_by ORDER BY due, d.id")


def run(n: int = N) -> list[Figure]:
    from sqlalchemy import text

    from gongkai.core.time.calendar import load_calendar
    from gongkai.core.time.deadline_store import open_deadlines
    from gongkai.core.records.storage import session_scope

    calendar = load_calendar()
    due_by = calendar.add_working_days(TODAY, 3)
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
        figures = [Figure(
            f"overdue + due within 3 working days, {n:,} requests", fmt_seconds(ours),
            f"full scan {fmt_seconds(scan)}", f"{scan / ours:.0f}× faster",
            f"target under 200 ms ({verdict(ours < TARGET, n == N)}); {len(rows):,} clocks listed "
            f"({overdue:,} overdue) as of {TODAY}; core.time.deadline_store.open_deadlines: terms by ix_deadline_term_due, their open clocks by ix_deadline_term_status",
        )]
        figures.append(ledger_figure(engine, calendar, n, len(rows), scan))
        engine.dispose()
    return figures


def ledger_figure(engine, calendar, n: int, clocks: int, scan: float) -> Figure:
    """The same question through the requests ledger (``gongkai ledger --overdue --due-within 3``),
    which builds full rows (working days used, days left, every clock) for what it lists."""
    from gongkai.core.requests.ledger import ledger
    from gongkai.core.records.storage import session_scope

    office = SimpleNamespace(calendar=calendar)

    def listed() -> int:
        with session_scope(engine) as session:  # a fresh session each time: nothing cached
            return len(ledger(session, office, as_of=TODAY, overdue=True, due_within=3))

    rows = listed()
    assert rows == clocks, (rows, clocks)  # every listed clock is a request's reply clock
    took = best_of(listed, repeat=3)
    return Figure(
        f"the same through requests ledger(), {n:,} requests", fmt_seconds(took),
        f"full scan {fmt_seconds(scan)}", f"{scan / took:.1f}× faster" if took < scan else f"{took / scan:.1f}× slower",
        f"{rows:,} ledger rows, built in Python (working days used, days left, clocks); ledger() takes its "
        "candidates from open_deadlines (the same index range), then loads those requests, their clocks and "
        "pauses by id",
    )
