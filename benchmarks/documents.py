"""Import of a register of 10,000 documents (``gongkai document import``) against the same rows
through single ``gongkai document new`` calls (a sample of 30), in the same run."""

from __future__ import annotations

import csv
import datetime as dt
import os
import subprocess
import time
from pathlib import Path

from benchmarks import synthetic
from benchmarks.appeals import app_at, unit
from benchmarks.common import Figure, verdict
from benchmarks.startup import gongkai_command

N = 10_000
SAMPLE = 30
RUNS = 3
TARGET = 1_000  # rows per second
HEADERS = ["信息名称", "文号", "公文种类", "公开属性", "依申请公开或不予公开的理由", "成文日期", "发布日期", "发布渠道", "废止日期",
           "解读材料"]


def write_register(folder: Path, n: int) -> tuple[Path, list[list[str]]]:
    """A unit's register: most published (a tenth 行政规范性文件 with their interpretation, some
    of those later repealed), a tenth on request."""
    path, rows = folder / "register.csv", []
    first = dt.date(2024, 1, 2)
    for i in range(n):
        finalised = first + dt.timedelta(days=i % 600)
        published = (finalised + dt.timedelta(days=5)).isoformat()
        if i % 10 == 3:
            rows.append([f"第{i}号工作方案", f"基准发〔2025〕{i}号", "其他", "依申请公开", "内部管理信息",
                         finalised.isoformat(), "", "", "", ""])
        elif i % 10 == 7:
            rows.append([f"关于第{i}项管理办法的通知", f"基准规〔2025〕{i}号", "行政规范性文件", "主动公开", "",
                         finalised.isoformat(), published, "政府网站", "2026-06-30" if i % 20 == 7 else "",
                         f"解读材料：第{i}项办法"])
        else:
            rows.append([f"第{i}项统计信息", f"基准发〔2025〕{i}号", "其他", "主动公开", "", finalised.isoformat(),
                         published, "政府网站", "", ""])
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([HEADERS, *rows])
    return path, rows


def run(n: int = N, sample: int = SAMPLE, runs: int = RUNS) -> list[Figure]:
    from gongkai.core.documents.importer import BATCH, import_documents
    from gongkai.core.records.chain import verify
    from gongkai.core.records.storage import session_scope

    with synthetic.workdir() as tmp:
        path, rows = write_register(tmp, n)
        took, cpu = [], []
        for i in range(runs):
            app = app_at(unit(tmp / f"run{i}"))
            app.engine, app.calendar, app.registry  # loaded before timing, as the other import benchmarks
            start, process = time.perf_counter(), time.process_time()
            report = import_documents(app, path, None)
            took.append(time.perf_counter() - start)
            cpu.append(time.process_time() - process)
            assert len(report.imported) == n and not report.errors, report.errors[:3]
            with session_scope(app.engine) as session:
                assert verify(session)["ok"]
            app.engine.dispose()
        # the baseline: the first rows, one `gongkai document new` each, as a unit would type them
        folder = unit(tmp / "single")
        env = {k: v for k, v in os.environ.items() if not k.startswith("GONGKAI_")}
        env["GONGKAI_CACHE_DIR"] = str(tmp / "cache")
        env["GONGKAI_PRELOAD"] = "0"  # each command in its own process, no resident preloader
        subprocess.run([*gongkai_command(), "documents"], cwd=folder, env=env, check=True,
                       stdout=subprocess.DEVNULL)  # the database and the calendar cache, as on a unit's machine
        commands = []
        for title, number, kind, attribute, reason, finalised, *_rest, interpretation in rows[:sample]:
            command = [*gongkai_command(), "document", "new", "--title", title, "--number", number, "--kind", kind,
                       "--attribute", attribute, "--finalised", finalised]
            commands.append(command + (["--reason", reason] if reason else [])
                            + (["--interpretation", interpretation] if interpretation else []))
        start = time.perf_counter()
        for command in commands:
            subprocess.run(command, cwd=folder, env=env, check=True, stdout=subprocess.DEVNULL)
        single = (time.perf_counter() - start) / sample
    rate = n / min(took)
    return [Figure(
        f"import {n:,} documents (document import)", f"{rate:,.0f} rows/s",
        f"document new, one call per row: {1 / single:,.1f} rows/s", f"{rate * single:,.0f}× faster",
        f"target at least {TARGET:,} rows/s ({verdict(rate >= TARGET, n == N)}); best of {runs} "
        f"({', '.join(f'{n / t:,.0f}' for t in took)} rows/s; CPU {min(cpu):.2f} s, {n / min(cpu):,.0f} rows per CPU "
        f"second), each into a new database; "
        f"a tenth on request, a tenth 行政规范性文件 (half of them repealed), the rest published, each with its "
        f"clocks and its import event; batches of {BATCH:,}; the event chain verifies; baseline: the first {sample} "
        f"rows as `gongkai document new` commands (registration only: no publication or repeal), each a fresh "
        f"process, {single * 1000:.0f} ms a call",
    )]
