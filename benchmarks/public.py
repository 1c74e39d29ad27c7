"""The public catalogue (政府信息公开目录, issue 30) of a 100,000-document unit: ``gongkai serve``'s
``/gk/`` at 20 clients at once (the first page, a category page and searches), against a static
file from the same server as the baseline; and ``gongkai site build`` of the whole unit.

Searches use 20 different words, each asked once per client round, so most searches are not
the previous one's page (the served pages are reused while the records are unchanged, as every
page is); the first request of each word is the uncached query, the figure says both."""

from __future__ import annotations

import datetime as dt
import os
import statistics
import time
from pathlib import Path
from urllib.parse import quote

from benchmarks import synthetic
from benchmarks.common import Figure
from benchmarks.web import Load, p95

N = 100_000
CLIENTS = 20
PER_CLIENT = 15
TARGET_MS = 100.0
BUILD_TARGET_S = 60.0
TOPICS = ("道路", "教育", "医疗", "住房", "就业", "环境", "交通", "养老", "财政", "采购", "规划", "统计", "扶贫", "安全",
          "食品", "药品", "招考", "应急", "水务", "文化")


def unit(folder: Path, n: int) -> Path:
    """A 西咸新区 unit with ``n`` documents (a tenth not public: 依申请公开 or 不予公开)."""
    from sqlalchemy import text

    from gongkai.core.app import App
    from gongkai.core.documents.models import Document

    config = folder / "gongkai.toml"
    # every client is this one address: the search limit of one address is lifted
    config.write_text('jurisdiction = "xixian"\nunit = "基准测试单位"\ndatabase_url = "sqlite:///gongkai.db"\n'
                      '[public]\nsearches_per_minute = 1000000\n', encoding="utf-8")
    office = App(str(config))
    unit_id = office.unit.id
    engine = synthetic.engine_at(folder / "gongkai.db")
    first = dt.date(2022, 1, 3)
    now = dt.datetime.now(dt.timezone.utc)
    kinds = ("行政规范性文件", "其他", "其他", "其他")
    decisions = ("", "", "行政许可", "行政处罚", "", "行政事业性收费", "")
    rows = []
    for i in range(n):
        topic = TOPICS[i % len(TOPICS)]
        public = i % 10 != 0
        published = first + dt.timedelta(days=(i * 1460) // n)
        rows.append({
            "unit_id": unit_id, "version": 1, "title": f"关于{topic}工作的第{i}号通知", "number": f"西咸某发〔{published.year}〕{i}号",
            "producer": "基准测试单位", "handler": "经办人", "summary": "", "kind": kinds[i % len(kinds)],
            "major_policy": False, "government_issued": False, "decision_kind": decisions[i % len(decisions)],
            "decided_on": None, "formed": published, "changed": None, "finalised": published, "repealed": None,
            "attribute": "proactive" if public else ("on_request" if i % 20 == 0 else "withheld"),
            "attribute_name": "主动公开" if public else "不予公开", "reason": "", "interpretation": "解读" if i % 7 == 0 else "",
            "internal_version": "", "public_version": "", "declassify_method": "", "secrecy_confirmed_by": "",
            "state": "published" if public else "in_review", "channel": "政府网站" if public else "",
            "published_on": published if public else None, "published_by": "发布员" if public else "",
            "last_reevaluated": None, "created_at": now,
        })
    with engine.begin() as connection:
        for k in range(0, n, 10_000):
            connection.execute(Document.__table__.insert(), rows[k:k + 10_000])
        connection.execute(text("ANALYZE"))
    engine.dispose()
    return config


def run(n: int = N, clients: int = CLIENTS, per_client: int = PER_CLIENT, workers: int | None = None) -> list[Figure]:
    import subprocess
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from web_support import Server

    with synthetic.workdir() as tmp:
        os.environ.setdefault("GONGKAI_CACHE_DIR", str(tmp / "cache"))
        built = time.perf_counter()
        config = unit(tmp, n)
        built = time.perf_counter() - built
        workers = workers or os.cpu_count() or 1
        server = Server(config, Path(os.environ["GONGKAI_CACHE_DIR"]), tmp / "serve.log", "--workers", str(workers))
        try:
            load = Load(server.port, "gk=public", clients, per_client)
            pages = {
                "static file (baseline)": ["/gk/static/public.css"],
                "目录 first page": ["/gk/catalogue/"],
                "目录 category page": ["/gk/catalogue/c5/"],
                "目录 search": [f"/gk/catalogue/search/?q={quote(t)}" for t in TOPICS],
            }
            cold = []
            for path in pages["目录 search"][:5]:  # uncached: the first asking of a word
                began = time.perf_counter()
                load.once(path)
                cold.append((time.perf_counter() - began) * 1000)
            # warm-up: each page in every worker (a new connection may go to any of them)
            for paths in pages.values():
                for path in paths:
                    for _ in range(10):
                        load.once(path)
            results = {name: load.run(paths) for name, paths in pages.items()}
        finally:
            server.stop()
        began = time.perf_counter()
        env = {k: v for k, v in os.environ.items() if not k.startswith("GONGKAI_") or k == "GONGKAI_CACHE_DIR"}
        subprocess.run([str(Path(sys.executable).parent / "gongkai"), "--config", str(config), "site", "build",
                        "--out", str(tmp / "site")], check=True, env=env, capture_output=True)
        build_s = time.perf_counter() - began
        files = sum(1 for _ in (tmp / "site").rglob("*") if _.is_file())
    base_server, base_wall = results.pop("static file (baseline)")
    figures = []
    for name, (server_ms, wall_ms) in results.items():
        met = p95(server_ms) < TARGET_MS
        extra = f"; uncached search (first asking of a word) {statistics.median(cold):.0f} ms median" if "search" in name else ""
        figures.append(Figure(
            f"public: {name}, {n:,} documents, {clients} clients", f"p95 {p95(server_ms):.1f} ms server",
            f"static file p95 {p95(base_server):.1f} ms", f"{p95(server_ms) / max(p95(base_server), 0.1):.0f}×",
            f"target p95 under {TARGET_MS:.0f} ms ({'met' if met else 'MISSED'}{'' if n == N else ', reduced size'}); "
            f"client wall p95 {p95(wall_ms):.1f} ms{extra}; gongkai serve --workers {workers}; "
            f"unit built in {built:.0f} s; {dt.date.today()}"))
    figures.append(Figure(
        f"public: site build, {n:,} documents", f"{build_s:.1f} s", "—", "—",
        f"target under {BUILD_TARGET_S:.0f} s ({'met' if build_s < BUILD_TARGET_S else 'MISSED'}"
        f"{'' if n == N else ', reduced size'}); {files:,} files; {dt.date.today()}"))
    return figures
