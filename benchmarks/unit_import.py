"""``gongkai unit import-db`` of a 100,000-request unit into PostgreSQL: COPY against a plain
``executemany`` of the same rows, each into a fresh district database, in the same run."""

from __future__ import annotations

import os
import resource
import time
from pathlib import Path

from benchmarks import synthetic
from benchmarks.common import Figure, postgres_server, server_cpu, verdict

N = 100_000
TARGET = 50_000  # rows per second


def run(n: int = N) -> list[Figure]:
    server = postgres_server()
    if server is None:
        return [Figure(f"unit import-db of a {n:,}-request unit (PostgreSQL)", "-", "-", "-",
                       "not measured: no PostgreSQL server binaries (apt-get install postgresql)")]
    try:
        with synthetic.workdir() as tmp:
            source, stored = _unit_database(tmp / "unit", n)
            results = {method: _move(tmp / method, server, source, method) for method in ("copy", "executemany")}
    finally:
        server.stop()
    copy, plain = results["copy"], results["executemany"]
    rows = copy["rows"]
    rate, plain_rate = rows / copy["took"], rows / plain["took"]
    move = copy["move"] - copy["waited_for_check"]
    return [Figure(
        f"unit import-db of a {n:,}-request unit (PostgreSQL)", f"{rate:,.0f} rows/s (whole command, COPY)",
        f"executemany {plain_rate:,.0f} rows/s", f"{rate / plain_rate:.1f}x",
        f"target at least {TARGET:,} rows/s ({verdict(rate >= TARGET, n == N)}); the whole command, {rows:,} rows "
        f"({stored}) and their {copy['events']:,} events re-linked into the unit's chain in one transaction, in "
        f"{copy['took']:.2f} s: the source snapshotted in {copy['source']:.2f} s, its rows read and written in {move:.2f} s "
        f"({rows / move:,.0f} rows/s for the move alone), then {copy['waited_for_check']:.2f} s waiting for the check of "
        f"the source's chain and records, which runs in a second process meanwhile; CPU: {copy['cpu']:.2f} s in gongkai's "
        f"process, {copy['check_cpu']:.2f} s in the check's, {copy['server_cpu']:.2f} s in PostgreSQL's (executemany "
        f"{plain['cpu']:.2f} s, {plain['check_cpu']:.2f} s and {plain['server_cpu']:.2f} s); load average "
        f"{copy['load']:.1f}; baseline: the same command with psycopg's executemany of INSERTs instead of COPY, "
        f"{plain['took']:.2f} s; each into a fresh PostgreSQL schema; `audit verify --unit` passes after both")]


def _unit_database(folder: Path, n: int) -> tuple[Path, str]:
    """A unit's own SQLite database holding ``n`` imported requests (with their clocks and events)."""
    from gongkai.core.app import App
    from gongkai.core.requests.importer import import_ledger

    folder.mkdir()
    mapping = synthetic.ledger_csv(folder / "ledger.csv", n)
    (folder / "gongkai.toml").write_text('jurisdiction = "changning"\nunit = "基准测试单位"\n'
                                         'reconsideration_body = "基准测试区人民政府"\n', encoding="utf-8")
    app = App(config_path=str(folder / "gongkai.toml"), database_url=f"sqlite:///{folder / 'gongkai.db'}")
    report = import_ledger(app, folder / "ledger.csv", mapping, in_background=False)
    assert len(report.imported) == n and not report.errors, report.errors[:3]
    app.raw_engine.dispose()
    return folder / "gongkai.db", "requests, clocks and events"


def _children_cpu() -> float:
    """CPU seconds of this process's ended children: the check's process, joined before the command returns."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _move(folder: Path, server, source: Path, method: str) -> dict:
    from gongkai.core.app import App
    from gongkai.core.audit.replay import verify_all
    from gongkai.core.units.moving import import_database
    from gongkai.core.units.store import add_unit

    url = server.new_database()
    folder.mkdir()
    (folder / "gongkai.toml").write_text(f'jurisdiction = "changning"\ndistrict = true\ndatabase_url = "{url}"\n',
                                         encoding="utf-8")
    app = App(config_path=str(folder / "gongkai.toml"), database_url=url)
    with app.district_session() as session:
        unit_id = add_unit(session, "bench", name="基准测试单位").id
    load = os.getloadavg()[0]
    cpu, check_cpu, server_before = time.process_time(), _children_cpu(), server_cpu(server)
    start = time.perf_counter()
    result = import_database(app, source, "bench", method=method)
    took = time.perf_counter() - start
    cpu = {"cpu": time.process_time() - cpu, "check_cpu": _children_cpu() - check_cpu,
           "server_cpu": server_cpu(server) - server_before, "load": load}
    with app.unit_session(unit_id) as session:
        assert verify_all(session)["ok"]
    app.raw_engine.dispose()
    moved = result["moved"]
    return {"rows": sum(moved.values()) + 1, "events": moved["event"], "took": took, **result["seconds"], **cpu}

