"""Import of a 100,000-row ledger file (core.requests.importer.import_ledger)."""

from __future__ import annotations

import time

from benchmarks import synthetic
from benchmarks.common import Figure, verdict

N = 100_000
TARGET = 20_000  # rows per second


def run(n: int = N, sample: int = 1_000) -> list[Figure]:
    """Imports the first ``sample`` rows of an ``n``-row file (the whole file when it is
    fast enough to meet the target: at the target rate 100,000 rows take 5 s)."""
    from gongkai.core.app import App
    from gongkai.core.requests.importer import import_ledger

    with synthetic.workdir() as tmp:
        (tmp / "gongkai.toml").write_text(
            'jurisdiction = "changning"\nunit = "基准测试单位"\nreconsideration_body = "基准测试区人民政府"\n'
            'database_url = "sqlite:///gongkai.db"\n', encoding="utf-8")
        mapping = synthetic.ledger_csv(tmp / "ledger.csv", n)
        rows = min(sample, n)
        part = tmp / "part.csv"
        with (tmp / "ledger.csv").open(encoding="utf-8") as src, part.open("w", encoding="utf-8") as dst:
            for _ in range(rows + 1):
                dst.write(src.readline())
        app = App(config_path=str(tmp / "gongkai.toml"))
        app.engine  # the schema, the calendar and the plugin are loaded before timing
        app.calendar
        start = time.perf_counter()
        report = import_ledger(app, part, mapping)
        took = time.perf_counter() - start
        app.engine.dispose()
    assert len(report.imported) == rows and not report.errors, report.errors[:3]
    rate = rows / took
    return [Figure(
        f"import a {n:,}-row ledger file", f"{rate:,.0f} rows/s", "—", "—",
        f"target at least {TARGET:,} rows/s ({verdict(rate >= TARGET, True)}); first {rows:,} rows of the "
        f"{n:,}-row CSV in {took:.1f} s, so the whole file takes about {n / rate:.0f} s; import_ledger has no "
        "progress callback yet, so no progress bar is drawn",
    )]
