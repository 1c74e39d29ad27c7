"""Import of a 100,000-row ledger file (core.requests.importer.import_ledger), the whole file."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from benchmarks import synthetic
from benchmarks.common import Figure, verdict

N = 100_000
TARGET = 20_000  # rows per second
TABLES = ["disclosure_request", "deadline", "event"]  # what the import writes per row (terms are shared)


def run(n: int = N) -> list[Figure]:
    """Imports all ``n`` rows of a synthetic ledger file into a fresh SQLite unit, with a
    progress callback (what ``gongkai request import`` draws its bar from on a terminal).
    Baseline: SQLite alone storing the very rows the import stored, by raw executemany."""
    from gongkai.core.app import App
    from gongkai.core.audit import verify
    from gongkai.core.requests.importer import BATCH, import_ledger

    with synthetic.workdir() as tmp:
        (tmp / "gongkai.toml").write_text(
            'jurisdiction = "changning"\nunit = "基准测试单位"\nreconsideration_body = "基准测试区人民政府"\n'
            'database_url = "sqlite:///gongkai.db"\n', encoding="utf-8")
        mapping = synthetic.ledger_csv(tmp / "ledger.csv", n)
        app = App(config_path=str(tmp / "gongkai.toml"))
        app.engine  # the schema, the calendar and the plugin are loaded before timing
        app.calendar
        calls: list[tuple[int, int]] = []
        start, cpu = time.perf_counter(), time.process_time()
        report = import_ledger(app, tmp / "ledger.csv", mapping, progress=lambda done, total: calls.append((done, total)))
        took, cpu = time.perf_counter() - start, time.process_time() - cpu
        with app.session() as session:
            chain = verify(session)
        app.engine.dispose()
        raw = raw_insert(tmp / "gongkai.db", tmp / "raw.db", BATCH)
    assert len(report.imported) == n and not report.errors, report.errors[:3]
    assert chain["ok"], chain
    assert calls and calls[-1] == (n, n)
    rate, raw_rate = n / took, n / raw
    return [Figure(
        f"import a {n:,}-row ledger file", f"{rate:,.0f} rows/s", f"SQLite alone, raw executemany {raw_rate:,.0f} rows/s",
        f"{rate / raw_rate:.0%} of it",
        f"target at least {TARGET:,} rows/s ({verdict(rate >= TARGET, n == N)}); all {n:,} rows in {took:.1f} s "
        f"(CPU {cpu:.1f} s, {n / cpu:,.0f} rows per CPU second; bulk path: {len(calls)} batches, one transaction and "
        f"one progress callback each); `gongkai audit verify` passes on the {chain['events']:,} events; baseline: "
        f"the same {n:,} requests, clocks and events as ready tuples into the same schema, {BATCH:,} rows per "
        f"transaction, no checking, computing or hashing",
    )]


def raw_insert(source: Path, target: Path, batch: int) -> float:
    """Seconds for sqlite3 alone to store the rows the import stored in ``source`` again,
    into a fresh database with gongkai's schema: executemany of ready tuples, one
    transaction per ``batch`` rows, as the import commits (WAL, synchronous=NORMAL)."""
    engine = synthetic.engine_at(target)
    engine.dispose()
    src = sqlite3.connect(source)
    rows = {table: src.execute(f"SELECT * FROM {table} ORDER BY id").fetchall() for table in TABLES}
    src.close()
    db = sqlite3.connect(target, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute(f"ATTACH '{source}' AS src")
    db.execute("INSERT INTO deadline_term SELECT * FROM src.deadline_term")  # shared, a few hundred: not timed
    db.execute("DETACH src")
    sql = {table: f"INSERT INTO {table} VALUES ({', '.join('?' * len(r[0]))})" for table, r in rows.items()}
    count = len(rows[TABLES[0]])
    start = time.perf_counter()
    for i in range(0, count, batch):
        db.execute("BEGIN")
        for table, values in rows.items():
            db.executemany(sql[table], values[i:i + batch])
        db.execute("COMMIT")
    took = time.perf_counter() - start
    db.close()
    return took
