"""Import of a 100,000-row ledger file (core.requests.importer.import_ledger), the whole file."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from benchmarks import synthetic
from benchmarks.common import Figure, verdict

N = 100_000
TARGET = 20_000  # rows per second
RUNS = 3  # the best is reported, as for the other figures: the least disturbed by other load
TABLES = ["disclosure_request", "deadline", "event"]  # what the import writes per row (terms are shared)


def run(n: int = N, runs: int = RUNS) -> list[Figure]:
    """Imports all ``n`` rows of a synthetic ledger file into a fresh SQLite unit, with a
    progress callback (what ``gongkai request import`` draws its bar from on a terminal),
    ``runs`` times. Baseline: SQLite alone storing the very rows the import stored, by raw
    executemany of the import's own statements, with its transactions and settings, the
    search index's rows included."""
    from gongkai.core.units.background import available
    from gongkai.core.requests.importer import BATCH

    with synthetic.workdir() as tmp:
        mapping = synthetic.ledger_csv(tmp / "ledger.csv", n)
        results = [import_once(tmp / f"run{i}", tmp / "ledger.csv", mapping, n) for i in range(runs)]
        took, cpu, batches, events = min(results)
        raw, raw_cpu = min(raw_insert(tmp / "run0" / "gongkai.db", tmp / f"raw{i}.db", BATCH) for i in range(runs))
    rate, raw_rate = n / took, n / raw
    where = "in a second process" if available() else "in the same process (no fork here)"
    return [Figure(
        f"import a {n:,}-row ledger file", f"{rate:,.0f} rows/s", f"SQLite alone, raw executemany {raw_rate:,.0f} rows/s",
        f"{rate / raw_rate:.0%} of it",
        f"target at least {TARGET:,} rows/s ({verdict(rate >= TARGET, n == N)}); all {n:,} rows in {took:.2f} s, best "
        f"of {runs} ({', '.join(f'{n / r[0]:,.0f}' for r in results)} rows/s), each into a fresh database; the storing "
        f"process's CPU {cpu:.1f} s (SQLite alone's {raw_cpu:.1f} s); rows checked {where}; {batches} transactions of "
        f"up to {BATCH:,} rows, one progress callback each; `gongkai audit verify` passes on the {events:,} events; baseline: the same {n:,} requests, "
        f"clocks, events and search-index rows (the bigram words) as ready tuples into the same schema with the import's "
        f"statements (constant columns as literals; the insert trigger dropped around the requests' insert, the index "
        f"rows inserted by executemany), transactions and SQLite settings, best of {runs}: no checking, computing or "
        f"hashing",
    )]


def import_once(folder: Path, ledger: Path, mapping: dict[str, str], n: int) -> tuple[float, float, int, int]:
    """(seconds, CPU seconds of this process, progress callbacks, events on the verified chain)."""
    from gongkai.core.app import App
    from gongkai.core.records.chain import verify
    from gongkai.core.requests.importer import import_ledger

    folder.mkdir()
    (folder / "gongkai.toml").write_text(
        'jurisdiction = "changning"\nunit = "基准测试单位"\nreconsideration_body = "基准测试区人民政府"\n',
        encoding="utf-8")
    # a SQLite file, whatever GONGKAI_DATABASE_URL says (the database URL given here beats it)
    app = App(config_path=str(folder / "gongkai.toml"), database_url=f"sqlite:///{folder / 'gongkai.db'}")
    app.engine  # the schema, the calendar and the plugin are loaded before timing
    app.calendar
    calls: list[tuple[int, int]] = []
    start, cpu = time.perf_counter(), time.process_time()
    report = import_ledger(app, ledger, mapping, progress=lambda done, total: calls.append((done, total)))
    took, cpu = time.perf_counter() - start, time.process_time() - cpu
    with app.session() as session:
        chain = verify(session)
    app.engine.dispose()
    assert len(report.imported) == n and not report.errors, report.errors[:3]
    assert chain["ok"], chain
    assert calls and calls[-1] == (n, n)
    return took, cpu, len(calls), chain["events"]


def raw_insert(source: Path, target: Path, batch: int) -> tuple[float, float]:
    """(Seconds, CPU seconds) for sqlite3 alone to store the rows the import stored in ``source`` again,
    into a fresh database with gongkai's schema: executemany of ready tuples, one
    transaction per ``batch`` rows, with the statements and settings of the import (WAL,
    synchronous=NORMAL, storage.BULK_PRAGMAS; a column with one value is a literal), the
    search index's rows too, as the import writes them (search.stored_in_bulk)."""
    from sqlalchemy.dialects import sqlite

    from gongkai.core.time.deadline_store import StoredDeadline
    from gongkai.core.requests.models import Request
    from gongkai.core.requests.search import INSERT_TRIGGER, TABLE
    from gongkai.core.records.storage import BULK_PRAGMAS, Event, bigram_words, insert_statement

    engine = synthetic.engine_at(target)
    engine.dispose()
    src = sqlite3.connect(source)
    db = sqlite3.connect(target, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    for name, (value, _) in BULK_PRAGMAS.items():
        db.execute(f"PRAGMA {name}={value}")
    work = []
    for table in (Request.__table__, StoredDeadline.__table__, Event.__table__):
        names = [c.name for c in table.c if c.name != "id"]
        rows = src.execute(f"SELECT {', '.join(f'{chr(34)}{c}{chr(34)}' for c in names)} FROM {table.name} ORDER BY id")
        columns = dict(zip(names, map(list, zip(*rows.fetchall()))))
        constants = tuple((c, v[0]) for c, v in columns.items()  # what insert_columns makes literals
                          if len(set(v)) == 1 and table.c[c].type.python_type in (str, int, bool))
        sql, bound = insert_statement(table, tuple(c for c in names if c not in dict(constants)), constants,
                                      sqlite.dialect())
        work.append((sql, list(zip(*(columns[c] for c in bound)))))
    words = [(i, bigram_words(name), bigram_words(subject)) for i, name, subject in
             src.execute("SELECT id, applicant_name, subject FROM disclosure_request ORDER BY id")]
    src.close()
    trigger = db.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
                         (INSERT_TRIGGER,)).fetchone()[0]
    db.execute(f"ATTACH '{source}' AS src")
    db.execute("INSERT INTO deadline_term SELECT * FROM src.deadline_term")  # shared, a few hundred: not timed
    db.execute("DETACH src")
    count = len(work[0][1])
    start, cpu = time.perf_counter(), time.process_time()
    for i in range(0, count, batch):
        db.execute("BEGIN")
        db.execute(f"DROP TRIGGER {INSERT_TRIGGER}")
        for n, (sql, values) in enumerate(work):
            db.executemany(sql, values[i:i + batch])
            if n == 0:  # the requests: their index rows, as the import writes them
                db.execute(trigger)
                db.executemany(f"INSERT INTO {TABLE} (rowid, applicant, subject) VALUES (?, ?, ?)", words[i:i + batch])
        db.execute("COMMIT")
    took, cpu = time.perf_counter() - start, time.process_time() - cpu
    db.close()
    return took, cpu
