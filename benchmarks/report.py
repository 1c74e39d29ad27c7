"""The annual-report numbers (section 三's table, section 四, the 勾稽 check) for 1,000,000 requests."""

from __future__ import annotations

import datetime as dt
import time

from benchmarks import synthetic
from benchmarks.common import Figure, best_of, fmt_seconds, verdict

N = 1_000_000
TARGET = 2.0  # seconds
YEAR = 2025


def run(n: int = N) -> list[Figure]:
    from gongkai.core.time.calendar import load_calendar
    from gongkai.core.law.plugins import load_registry
    from gongkai.core.reports.annual import appeal_table, request_table
    from gongkai.core.reports.check import ensure_balanced
    from gongkai.core.records.storage import session_scope

    registry = load_registry("changning")
    with synthetic.workdir() as tmp:
        engine = synthetic.engine_at(tmp / "report.db")
        # every request received in the report's year; those of its last weeks carried forward
        synthetic.requests_database(engine, n, load_calendar(), dt.date(YEAR, 12, 31), days=365)

        def numbers() -> dict:
            with session_scope(engine) as session:
                table = request_table(session, registry, YEAR)
                ensure_balanced(table)
                appeal_table(session, YEAR)
            return table

        start = time.perf_counter()
        table = numbers()
        first = time.perf_counter() - start
        took = min(first, best_of(numbers, repeat=2))
        engine.dispose()
    assert table["new"]["total"] == n, table["new"]
    return [Figure(
        f"annual-report numbers, {n:,} requests", fmt_seconds(took), "—", "—",
        f"target under 2 s ({verdict(took < TARGET, n == N)}); core.reports.annual.request_table + appeal_table "
        f"+ check.ensure_balanced for {YEAR}, all {n:,} received that year; first run {fmt_seconds(first)}",
    )]
