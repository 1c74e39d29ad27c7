"""Import of 10,000 appeals (``gongkai appeal import``) against the same rows through single
``gongkai request appeal`` calls (a sample of 50), in the same run."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import time
from pathlib import Path

from benchmarks import synthetic
from benchmarks.common import Figure, verdict
from benchmarks.startup import gongkai_command

N = 10_000
SAMPLE = 50
RUNS = 3
TARGET = 5_000  # rows per second
KINDS = [("复议", "维持", 40), ("复议", "纠正", 50), ("直接起诉", "尚未审结", 0), ("复议", "其他", 60)]


def write_files(folder: Path, n: int) -> tuple[Path, Path, list[list[str]]]:
    """A year's requests (each answered, with its reference) and one appeal per request."""
    import datetime as dt

    requests, appeals = folder / "requests.csv", folder / "appeals.csv"
    rows = []
    first = dt.date(2025, 1, 6)
    with requests.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["本单位编号", "申请人", "申请人类型", "渠道", "提交日期", "申请内容", "答复结果", "答复日期"])
        for i in range(n):
            received = first + dt.timedelta(days=i % 200)
            out.writerow([f"基准申〔2025〕{i + 1}号", f"申请人{i}", "自然人", "当面提交", received.isoformat(),
                          f"关于第{i % 997}号事项的信息", "disclosed", (received + dt.timedelta(days=15)).isoformat()])
            kind, result, after = KINDS[i % len(KINDS)]
            filed = received + dt.timedelta(days=30)
            decided = (filed + dt.timedelta(days=after)).isoformat() if after else ""
            rows.append([f"基准申〔2025〕{i + 1}号", kind, filed.isoformat(), result, decided])
    with appeals.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["本单位编号", "救济类型", "提起日期", "结果", "审结日期"])
        out.writerows(rows)
    return requests, appeals, rows


def app_at(folder: Path):
    from gongkai.core.app import App

    return App(config_path=str(folder / "gongkai.toml"), database_url=f"sqlite:///{folder / 'gongkai.db'}")


def unit(folder: Path, database: Path | None = None) -> Path:
    folder.mkdir()
    (folder / "gongkai.toml").write_text(
        'jurisdiction = "changning"\nunit = "基准测试单位"\nreconsideration_body = "基准测试区人民政府"\n'
        'database_url = "sqlite:///gongkai.db"\n', encoding="utf-8")
    if database is not None:
        shutil.copy(database, folder / "gongkai.db")
    return folder


def run(n: int = N, sample: int = SAMPLE, runs: int = RUNS) -> list[Figure]:
    from gongkai.core.records.chain import verify
    from gongkai.core.requests import importer
    from gongkai.core.requests.appeal_importer import BATCH, import_appeals
    from gongkai.core.records.storage import session_scope

    with synthetic.workdir() as tmp:
        requests, appeals, rows = write_files(tmp, n)
        base = unit(tmp / "base")
        app = app_at(base)
        mapping = importer.parse_mapping(["本单位编号=ref,申请人=applicant,申请人类型=applicant_type,渠道=channel,"
                                          "提交日期=submitted,申请内容=subject,答复结果=outcome,答复日期=replied_on"])
        assert not importer.import_ledger(app, requests, mapping).errors
        app.engine.dispose()
        took, cpu = [], []
        for i in range(runs):
            app = app_at(unit(tmp / f"run{i}", base / "gongkai.db"))
            app.engine, app.calendar, app.registry  # loaded before timing, as the requests import benchmark
            start, process = time.perf_counter(), time.process_time()
            report = import_appeals(app, appeals, None)
            took.append(time.perf_counter() - start)
            cpu.append(time.process_time() - process)
            assert len(report.imported) == n and not report.errors, report.errors[:3]
            with session_scope(app.engine) as session:
                chain = verify(session)
            assert chain["ok"]
            app.engine.dispose()
        # the baseline: the first rows of the same file, one `gongkai request appeal` each, as a unit would type them
        folder = unit(tmp / "single", base / "gongkai.db")
        env = {k: v for k, v in os.environ.items() if not k.startswith("GONGKAI_")}
        env["GONGKAI_CACHE_DIR"] = str(tmp / "cache")
        env["GONGKAI_PRELOAD"] = "0"  # each command in its own process, no resident preloader
        kinds = {"复议": "reconsideration", "直接起诉": "lawsuit"}
        commands = []
        for ref, kind, filed, result, decided in rows[:sample]:
            command = [*gongkai_command(), "request", "appeal", ref, "--kind", kinds[kind], "--filed", filed,
                       "--result", result]
            commands.append(command + (["--decided", decided] if decided else []))
        subprocess.run([*gongkai_command(), "ledger", "--ref", "x"], cwd=folder, env=env, check=True,
                       stdout=subprocess.DEVNULL)  # the calendar cache, as on a unit's machine
        start = time.perf_counter()
        for command in commands:
            subprocess.run(command, cwd=folder, env=env, check=True, stdout=subprocess.DEVNULL)
        single = (time.perf_counter() - start) / sample
    rate = n / min(took)
    return [Figure(
        f"import {n:,} appeals (appeal import)", f"{rate:,.0f} rows/s", f"request appeal, one call per row: "
        f"{1 / single:,.1f} rows/s", f"{rate * single:,.0f}× faster",
        f"target at least {TARGET:,} rows/s ({verdict(rate >= TARGET, n == N)}); best of {runs} "
        f"({', '.join(f'{n / t:,.0f}' for t in took)} rows/s; CPU {min(cpu):.2f} s, {n / min(cpu):,.0f} rows per CPU "
        f"second), each into a copy of a database holding the {n:,} "
        f"requests; {n // len(KINDS) * 3:,} decided, {n // len(KINDS):,} 纠正 (each starting Changning's registration "
        f"clock); batches of {BATCH:,}; the event chain verifies; baseline: the first {sample} rows as `gongkai "
        f"request appeal` commands, each a fresh process, {single * 1000:.0f} ms a call",
    )]
