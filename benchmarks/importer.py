"""Import of a 100,000-row ledger file (core.requests.importer.import_ledger), the whole file."""

from __future__ import annotations

import time

from benchmarks import synthetic
from benchmarks.common import Figure, verdict

N = 100_000
TARGET = 20_000  # rows per second


def run(n: int = N) -> list[Figure]:
    """Imports all ``n`` rows of a synthetic ledger file into a fresh SQLite unit, with a
    progress callback (what ``gongkai request import`` draws its bar from on a terminal)."""
    from gongkai.core.app import App
    from gongkai.core.audit import verify
    from gongkai.core.requests.importer import import_ledger

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
    assert len(report.imported) == n and not report.errors, report.errors[:3]
    assert chain["ok"], chain
    assert calls and calls[-1] == (n, n)
    rate = n / took
    return [Figure(
        f"import a {n:,}-row ledger file", f"{rate:,.0f} rows/s", "—", "—",
        f"target at least {TARGET:,} rows/s ({verdict(rate >= TARGET, n == N)}); all {n:,} rows in {took:.1f} s "
        f"(CPU {cpu:.1f} s, {n / cpu:,.0f} rows per CPU second; bulk path: {len(calls)} batches, one transaction and one progress callback each); "
        f"`gongkai audit verify` passes on the {chain['events']:,} events",
    )]
