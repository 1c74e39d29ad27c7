"""A whole district on one server: 200 units × 5,000 requests (1,000,000), on SQLite and on
PostgreSQL. Two figures per backend:

- the district report's numbers (every unit's sections 三 and 四 in one grouped pass, summed,
  the 勾稽 check on each unit and on the sum): ``core.reports.district.unit_figures`` +
  ``combine``, against the same numbers asked unit by unit (200 unit-scoped ``request_table`` +
  ``appeal_table``), the way a district without it would loop;
- one unit's ``ledger --overdue`` on the district server (a session bound to that unit),
  against the same unit alone in its own 5,000-request database.

PostgreSQL is a throwaway server (tests/pg_support.py), the tables copied in with COPY.
"""

from __future__ import annotations

import datetime as dt
import time
from types import SimpleNamespace

from benchmarks import synthetic
from benchmarks.common import Figure, best_of, fmt_seconds, postgres_server, verdict

UNITS = 200
PER_UNIT = 5_000
REPORT_TARGET = 2.0  # seconds
LEDGER_TARGET = 0.1
TODAY = dt.date(2026, 9, 24)
YEAR = 2025
COPIED = ("unit", "deadline_term", "disclosure_request", "deadline")


def run(units: int = UNITS, per_unit: int = PER_UNIT) -> list[Figure]:
    from gongkai.core.time.calendar import load_calendar

    calendar = load_calendar()
    n = units * per_unit
    figures = []
    with synthetic.workdir() as tmp:
        district = synthetic.engine_at(tmp / "district.db")
        synthetic.requests_database(district, n, calendar, TODAY, units=units)
        alone = synthetic.engine_at(tmp / "unit.db")  # a unit's own database, of the same shape
        synthetic.requests_database(alone, per_unit, calendar, TODAY)
        _analyze(district)
        _analyze(alone)
        figures += measure("SQLite", district, alone, calendar, units, per_unit)
        server = postgres_server()
        if server is None:
            figures.append(Figure(f"district report / unit ledger, PostgreSQL, {n:,} requests", "—", "—", "—",
                                  "not measured: no PostgreSQL server binaries (apt-get install postgresql)"))
        else:
            try:
                pg_district, pg_alone = _copy(server, district), _copy(server, alone)
                figures += measure("PostgreSQL", pg_district, pg_alone, calendar, units, per_unit)
                pg_district.dispose()
                pg_alone.dispose()
            finally:
                server.stop()
        district.dispose()
        alone.dispose()
    return figures


def measure(backend: str, district, alone, calendar, units: int, per_unit: int) -> list[Figure]:
    from gongkai.core.law.plugins import load_registry
    from gongkai.core.reports.annual import appeal_table, request_table
    from gongkai.core.reports.check import ensure_balanced
    from gongkai.core.reports.district import combine, unit_figures
    from gongkai.core.requests.ledger import ledger
    from gongkai.core.records.storage import session_scope
    from gongkai.core.records.scoping import bound

    registry = load_registry("changning")
    n = units * per_unit
    full = units == UNITS and per_unit == PER_UNIT
    base = {"check": {"ok": True}}

    def grouped() -> dict:
        with session_scope(district) as session:
            return combine(base, unit_figures(session, registry, YEAR))

    def unit_by_unit() -> list:
        tables = []
        for unit_id in range(1, units + 1):
            with session_scope(bound(district, unit_id)) as session:
                table = request_table(session, registry, YEAR)
                ensure_balanced(table)
                tables.append((table, appeal_table(session, YEAR)))
        return tables

    start = time.perf_counter()
    report = grouped()
    first = time.perf_counter() - start
    took = min(first, best_of(grouped, repeat=2))
    looped = unit_by_unit()
    loop = best_of(unit_by_unit, repeat=1)
    assert [u["new"] for u in report["units"]] == [t["new"]["total"] for t, _ in looped]
    assert report["units_total"]["new"] == sum(u["new"] for u in report["units"]) > 0

    office = SimpleNamespace(calendar=calendar)
    unit_id = units // 2  # a department in the middle of the district

    def overdue(engine) -> int:
        with session_scope(engine) as session:  # a fresh session each time: nothing cached
            return len(ledger(session, office, as_of=TODAY, overdue=True))

    on_server = bound(district, unit_id)
    listed = overdue(on_server)
    ours = best_of(lambda: overdue(on_server))
    own = best_of(lambda: overdue(bound(alone, 1)))
    assert listed > 0 or not full  # one request in a thousand is overdue
    return [
        Figure(f"district report numbers, {units} units × {per_unit:,} ({n:,}), {backend}", fmt_seconds(took),
               f"unit by unit {fmt_seconds(loop)}", _ratio(loop, took),
               f"target under 2 s ({verdict(took < REPORT_TARGET, full)}); core.reports.district.unit_figures "
               f"(sections 三 and 四 of {YEAR} grouped by unit_id) + combine (sum, 勾稽 check on each unit and the sum, "
               f"appendix); first run {fmt_seconds(first)}; baseline: request_table + appeal_table + ensure_balanced "
               "on a session bound to each unit in turn"),
        Figure(f"one unit's ledger --overdue on the district server, {n:,} requests, {backend}", fmt_seconds(ours),
               f"own {per_unit:,}-request db {fmt_seconds(own)}", _ratio(own, ours),
               f"target under 100 ms ({verdict(ours < LEDGER_TARGET, full)}); {listed} overdue rows of unit "
               f"u{unit_id:03d} as of {TODAY}; core.requests.ledger.ledger(overdue=True) on a session bound to the "
               "unit, against the same call on a database holding that unit alone"),
    ]


def _ratio(baseline: float, ours: float) -> str:
    return f"{baseline / ours:.1f}× faster" if ours <= baseline else f"{ours / baseline:.1f}× slower"


def _analyze(engine) -> None:
    with engine.begin() as connection:
        connection.exec_driver_sql("ANALYZE")


def _copy(server, source):
    """A PostgreSQL schema with ``source``'s tables the benchmark reads, copied in with COPY."""
    from sqlmodel import SQLModel

    from gongkai.core.records.storage import create_schema, make_engine

    target = make_engine(server.new_database())
    create_schema(target)
    raw = target.raw_connection()
    try:
        with raw.cursor() as cursor:
            cursor.execute("DELETE FROM unit")  # a fresh database's own unit, if the schema made one
            for name in COPIED:
                columns = [c.name for c in SQLModel.metadata.tables[name].columns]
                quoted = ", ".join(f'"{c}"' for c in columns)
                with source.connect() as reading:
                    rows = reading.exec_driver_sql(f"SELECT {quoted} FROM {name}")
                    with cursor.copy(f"COPY {name} ({quoted}) FROM STDIN") as copy:
                        for row in rows:
                            copy.write_row(row)
        raw.commit()
    finally:
        raw.close()
    _analyze(target)
    return target
