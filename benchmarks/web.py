"""The web app under load: ``gongkai serve`` on a 1,000,000-request SQLite unit, 20 clients at once,
while the office keeps working.

Three pages a 承办人 opens all day (the ledger filtered to overdue, a request's page among 200,
我的待办) and, as the baseline in the same run, a static file from the same server. Each page gets
a bounded run (every client makes the same number of requests, then stops). Meanwhile a writer
process registers or advances ``WRITES`` requests a second through the core functions the web
app calls (a new request; the 分办 of one of the 200 requests read, or a comment on it), so the
pages' caches, keyed on the records they show, keep emptying and pages are built fresh under
load (issue 34). The server's own time per request is read from its ``Server-Timing`` header;
the clients' wall time is shown beside it.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import datetime as dt
import http.client
import os
import statistics
import time
from pathlib import Path
from typing import Any

from benchmarks import synthetic
from benchmarks.common import Figure

N = 1_000_000
CLIENTS = 20
PER_CLIENT = 15  # requests per client per page: a bounded run
SECONDS = 10.0  # and at least this long, so that each page is read across some 20 writes
TARGET_MS = 150.0
WRITES = 2.0  # requests registered or advanced per second while the pages are read
PASSWORD = "Benchmark-Pass-2026"


def unit(folder: Path, n: int) -> tuple[Path, list[int]]:
    """A 西咸新区 unit of ``n`` synthetic requests (received up to today, Beijing), with one
    承办人 account; returns its gongkai.toml and the ids of some open requests."""
    from sqlalchemy import text

    from gongkai.core.accounts.roles import catalogue
    from gongkai.core.accounts.store import add_account
    from gongkai.core.app import App
    from gongkai.core.matters.urgency import now_beijing

    config = folder / "gongkai.toml"
    config.write_text('jurisdiction = "xixian"\nunit = "基准测试单位"\ndatabase_url = "sqlite:///gongkai.db"\n',
                      encoding="utf-8")
    office = App(str(config))
    engine = synthetic.engine_at(folder / "gongkai.db")
    synthetic.requests_database(engine, n, office.calendar, now_beijing().date())
    with engine.begin() as connection:
        connection.execute(text("ANALYZE"))
        open_ids = [r[0] for r in connection.execute(
            text("SELECT id FROM disclosure_request WHERE state = 'processing' ORDER BY id DESC LIMIT 200"))]
    engine.dispose()
    with office.session() as session:
        add_account(session, catalogue(office.registry), "clerk", PASSWORD, ["承办人"])
    return config, open_ids


def writer(config: str, ids: list[int], rate: float, stop: Any, done: Any) -> None:
    """Until ``stop`` is set, ``rate`` writes a second, each its own transaction, by the 承办人
    ``clerk``: a new request (as the web's 登记申请), then one of ``ids`` advanced (assigned to
    the clerk, as 分办, or once assigned a comment on it), in turn. Counts them in ``done``."""
    from gongkai.core.app import App
    from gongkai.core.requests import assignment, intake, notes, workflow
    from gongkai.core.today import today

    office = App(config)
    k, began = 0, time.monotonic()
    while not stop.is_set():
        with office.session() as session:
            if k % 2 == 0:
                intake.receive(session, office, applicant=f"新申请人{k}", applicant_type="natural_person",
                               channel="in_person", submitted=today(), subject=f"基准测试期间登记的第{k}号申请",
                               actor="clerk")
            else:
                req = workflow.load(session, ids[(k // 2) % len(ids)])
                if req.assignee != "clerk":
                    assignment.assign(session, office, req, "clerk", "基准测试分办", actor="clerk")
                else:
                    notes.comment(session, office, req, f"基准测试意见{k}", actor="clerk")
        k += 1
        with done.get_lock():
            done.value = k
        stop.wait(max(0.0, began + k / rate - time.monotonic()))


class Load:
    """``CLIENTS`` keep-alive connections, each making ``PER_CLIENT`` requests, all at once.

    The clients are one asyncio loop in this process (not a thread each): they share the two
    cores with the server, and a thread per client with ``http.client`` spent about as much
    CPU per request as the server does on a cached page."""

    def __init__(self, port: int, cookie: str, clients: int = CLIENTS, per_client: int = PER_CLIENT,
                 seconds: float = 0.0) -> None:
        self.port, self.cookie, self.clients, self.per_client = port, cookie, clients, per_client
        self.seconds = seconds

    def once(self, path: str) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        conn.request("GET", path, headers={"Cookie": self.cookie})
        assert conn.getresponse().status == 200, path
        conn.close()

    def run(self, paths: list[str]) -> tuple[list[float], list[float]]:
        return asyncio.run(self._run(paths))

    async def _run(self, paths: list[str]) -> tuple[list[float], list[float]]:
        server_ms: list[float] = []
        wall_ms: list[float] = []
        failures: list[str] = []
        connections = [await asyncio.open_connection("127.0.0.1", self.port) for _ in range(self.clients)]

        ends = time.perf_counter() + self.seconds

        async def client(k: int, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            i = 0
            while i < self.per_client or time.perf_counter() < ends:
                path = paths[(k * self.per_client + i) % len(paths)]
                began = time.perf_counter()
                writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {self.cookie}\r\n\r\n".encode())
                status, headers = _head(await reader.readuntil(b"\r\n\r\n"))
                await reader.readexactly(int(headers["content-length"]))
                wall_ms.append((time.perf_counter() - began) * 1000)
                if status != 200:
                    failures.append(f"{path}: {status}")
                server_ms.append(float(headers.get("server-timing", "").partition("dur=")[2] or "nan"))
                i += 1
            writer.close()

        # every connection is open before the first request: all clients start together
        await asyncio.gather(*(client(k, *c) for k, c in enumerate(connections)))
        assert not failures, failures[:3]
        return server_ms, wall_ms


def _head(raw: bytes) -> tuple[int, dict[str, str]]:
    """A response's status and headers (lower-case names) from its head."""
    lines = raw.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, sep, value = line.partition(":")
        if sep:
            headers[name.strip().lower()] = value.strip()
    return int(lines[0].split()[1]), headers


def server_cpu_ms(pid: int) -> float:
    """CPU time (user + system) used so far by the server process and its workers, in ms."""
    tick = os.sysconf("SC_CLK_TCK")
    pids, total = [pid], 0.0
    for task in Path(f"/proc/{pid}/task").iterdir():
        pids += [int(c) for c in (task / "children").read_text().split()]
    for p in pids:
        fields = Path(f"/proc/{p}/stat").read_text().rpartition(")")[2].split()
        total += (int(fields[11]) + int(fields[12])) * 1000 / tick  # utime, stime
    return total


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def login(port: int) -> str:
    import re
    from urllib.parse import urlencode

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", "/login")
    page = conn.getresponse()
    body = page.read().decode()
    cookie = page.getheader("set-cookie").split(";")[0]
    token = re.search(r'name="csrf_token" value="([^"]+)"', body).group(1)
    conn.request("POST", "/login", body=urlencode({"name": "clerk", "password": PASSWORD, "csrf_token": token}),
                 headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})
    answer = conn.getresponse()
    answer.read()
    assert answer.status == 303, answer.status
    return answer.getheader("set-cookie").split(";")[0]


def run(n: int = N, clients: int = CLIENTS, per_client: int = PER_CLIENT, workers: int | None = None,
        writes: float = WRITES, seconds: float = SECONDS) -> list[Figure]:
    """``workers``: ``gongkai serve --workers`` (default: one per CPU core); ``writes``: requests
    registered or advanced a second while the pages are read."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from web_support import Server

    with synthetic.workdir() as tmp:
        os.environ.setdefault("GONGKAI_CACHE_DIR", str(tmp / "cache"))
        built = time.perf_counter()
        config, open_ids = unit(tmp, n)
        built = time.perf_counter() - built
        workers = workers or os.cpu_count() or 1
        server = Server(config, Path(os.environ["GONGKAI_CACHE_DIR"]), tmp / "serve.log", "--workers", str(workers))
        try:
            load = Load(server.port, login(server.port), clients, per_client, seconds)
            pages = {
                "static file (baseline)": ["/static/style.css"],
                "ledger page, overdue": ["/ledger?overdue=1"],
                "a request's page": [f"/requests/{i}" for i in open_ids or [1]],
                "我的待办": ["/todo"],
            }
            # warm-up of every worker (each new connection may go to any of them): imports, the SQL
            # statement cache, the database's page cache
            for paths in pages.values():
                for k in range(clients * 2):
                    load.once(paths[k % len(paths)])
            results, cpu, wrote = {}, {}, {}
            spawn = multiprocessing.get_context("spawn")
            stop, done = spawn.Event(), spawn.Value("i", 0)
            office_writer = spawn.Process(target=writer, args=(str(config), open_ids or [1], writes, stop, done))
            office_writer.start()
            try:
                while done.value == 0 and office_writer.is_alive():  # the writer is writing: start reading
                    time.sleep(0.05)
                for name, paths in pages.items():
                    used, written, began = server_cpu_ms(server.process.pid), done.value, time.monotonic()
                    results[name] = load.run(paths)
                    cpu[name] = (server_cpu_ms(server.process.pid) - used) / len(results[name][0])
                    wrote[name] = (done.value - written, time.monotonic() - began)
            finally:
                stop.set()
                office_writer.join(60)
            assert office_writer.exitcode == 0, "the writer failed"
        finally:
            server.stop()
    base_server, base_wall = results.pop("static file (baseline)")
    figures = []
    for name, (server_ms, wall_ms) in results.items():
        met = p95(server_ms) < TARGET_MS
        figures.append(Figure(
            f"web: {name}, {n:,} requests, {clients} clients, {writes:g} writes/s", f"p95 {p95(server_ms):.1f} ms server",
            f"static file p95 {p95(base_server):.1f} ms", f"{p95(server_ms) / max(p95(base_server), 0.1):.0f}×",
            f"target p95 under {TARGET_MS:.0f} ms server time ({'met' if met else 'MISSED'}"
            f"{'' if n == N else ', reduced size'}); median {statistics.median(server_ms):.1f} ms; client wall p95 "
            f"{p95(wall_ms):.1f} ms (static {p95(base_wall):.1f} ms); server CPU {cpu[name]:.1f} ms a request "
            f"(static {cpu['static file (baseline)']:.1f} ms); load average {os.getloadavg()[0]:.1f}; "
            f"{len(server_ms)} requests by {clients} clients (at least {per_client} each and {seconds:g} s); "
            f"{wrote[name][0]} requests registered or advanced meanwhile, in "
            f"{wrote[name][1]:.1f} s (static file: {wrote['static file (baseline)'][0]}); "
            f"gongkai serve --workers {workers}; "
            f"unit built in {built:.0f} s; {dt.date.today()}",
        ))
    return figures
