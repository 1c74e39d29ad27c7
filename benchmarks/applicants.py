"""The applicant's side (issue 29) under load, on a real ``gongkai serve``:

- 50 applicants at once, each POSTing the /apply form (multipart, its CSRF field) with a 1 MB
  scan; rounds of 50 all started together. Afterwards every application is counted in the
  database: none lost, none twice (each applicant's subject is its own).
- /track at 20 clients on a unit of many requests (the fast bulk path of the other benchmarks),
  half the look-ups a real 查询码 of a confirmed application with its check digits, half a wrong
  code (the same work either way).

The baseline is a static file from the same server, in the same run, at the same concurrency.
Every client is one address: the per-address limits are lifted in the unit's settings (they
are still counted, in the database, on every post).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import http.client
import os
import re
import statistics
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from benchmarks import synthetic
from benchmarks.common import Figure
from benchmarks.web import Load, _head, p95

N = 1_000_000
APPLICANTS = 50
ROUNDS = 3
SCAN_BYTES = 1024 * 1024
TRACK_CLIENTS = 20
TRACK_PER_CLIENT = 20
APPLY_TARGET_MS, TRACK_TARGET_MS = 300.0, 50.0
FORM = {"applicant": "基准申请人", "applicant_type": "natural_person", "id_type": "居民身份证",
        "id_number": "110101199003074514", "contact": "13812345678", "form_wanted": "电子邮件"}
CODE = re.compile(r'id="tracking-code">([^<]+)<')
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def unit(folder: Path, n: int) -> Path:
    """A 西咸新区 unit of ``n`` synthetic requests; the per-address limits lifted."""
    from sqlalchemy import text

    from gongkai.core.app import App
    from gongkai.core.matters.urgency import now_beijing

    config = folder / "gongkai.toml"
    config.write_text('jurisdiction = "xixian"\nunit = "基准测试单位"\ndatabase_url = "sqlite:///gongkai.db"\n'
                      '[web]\napply_per_hour = 100000\ntrack_per_hour = 100000\n', encoding="utf-8")
    office = App(str(config))
    engine = synthetic.engine_at(folder / "gongkai.db")
    synthetic.requests_database(engine, n, office.calendar, now_beijing().date())
    with engine.begin() as connection:
        connection.execute(text("ANALYZE"))
    engine.dispose()
    return config


def multipart(fields: dict[str, str], scan: bytes) -> tuple[bytes, str]:
    boundary = "----gongkai-benchmark-boundary"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="attachment"; filename="scan.pdf"\r\n'
                 f"Content-Type: application/pdf\r\n\r\n".encode() + scan + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def session_of(port: int, path: str) -> tuple[str, str]:
    """A fresh visitor: the form's cookie and CSRF token."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", path)
    page = conn.getresponse()
    body = page.read().decode()
    cookie = page.getheader("set-cookie").split(";")[0]
    conn.close()
    return cookie, TOKEN.search(body).group(1)


def apply_round(port: int, first: int, scan: bytes, applicants: int) -> tuple[list[float], list[float], list[str], list[str]]:
    """``applicants`` posts started together; (server ms, wall ms, 查询码, failures)."""
    prepared = []
    for k in range(first, first + applicants):
        cookie, token = session_of(port, "/apply")
        body, kind = multipart({**FORM, "subject": f"基准测试第{k}号申请所需的政府信息", "csrf_token": token},
                               scan[:-8] + f"{k:08d}".encode())  # each scan its own content
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        conn.connect()
        prepared.append((conn, body, {"Cookie": cookie, "Content-Type": kind}))
    start = threading.Barrier(len(prepared))
    server_ms, wall_ms, codes, failures = [], [], [], []
    lock = threading.Lock()

    def post(conn: http.client.HTTPConnection, body: bytes, headers: dict[str, str]) -> None:
        start.wait()
        began = time.perf_counter()
        conn.request("POST", "/apply", body=body, headers=headers)
        answer = conn.getresponse()
        text = answer.read().decode()
        took = (time.perf_counter() - began) * 1000
        with lock:
            wall_ms.append(took)
            server_ms.append(float((answer.getheader("server-timing") or "").partition("dur=")[2] or "nan"))
            found = CODE.search(text)
            if answer.status != 200 or found is None:
                failures.append(f"{answer.status}: {text[:200]}")
            else:
                codes.append(found.group(1))
        conn.close()

    threads = [threading.Thread(target=post, args=p) for p in prepared]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return server_ms, wall_ms, codes, failures


async def track_load(port: int, bodies: list[list[bytes]], cookies: list[str]) -> tuple[list[float], list[float]]:
    """``len(bodies)`` keep-alive clients posting /track at once, each its own list of bodies."""
    server_ms: list[float] = []
    wall_ms: list[float] = []
    failures: list[str] = []
    connections = [await asyncio.open_connection("127.0.0.1", port) for _ in bodies]

    async def client(own: list[bytes], cookie: str, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        for body in own:
            began = time.perf_counter()
            writer.write(f"POST /track HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {cookie}\r\n"
                         f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n\r\n".encode()
                         + body)
            status, headers = _head(await reader.readuntil(b"\r\n\r\n"))
            await reader.readexactly(int(headers["content-length"]))
            wall_ms.append((time.perf_counter() - began) * 1000)
            if status not in (200, 404):
                failures.append(str(status))
            server_ms.append(float(headers.get("server-timing", "").partition("dur=")[2] or "nan"))
        writer.close()

    await asyncio.gather(*(client(b, c, *conn) for b, c, conn in zip(bodies, cookies, connections)))
    assert not failures, failures[:3]
    return server_ms, wall_ms


def run(n: int = N, applicants: int = APPLICANTS, rounds: int = ROUNDS, scan_bytes: int = SCAN_BYTES,
        clients: int = TRACK_CLIENTS, per_client: int = TRACK_PER_CLIENT, workers: int | None = None) -> list[Figure]:
    """``clients`` must not exceed ``applicants × rounds`` (each tracks an application of its own)."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from web_support import Server

    from gongkai.core.app import App
    from gongkai.core.requests import online
    from gongkai.core.requests.models import OnlineApplication
    from gongkai.core.today import today

    scan = b"%PDF-1.4\n" + os.urandom(scan_bytes - 9)
    with synthetic.workdir() as tmp:
        os.environ.setdefault("GONGKAI_CACHE_DIR", str(tmp / "cache"))
        built = time.perf_counter()
        config = unit(tmp, n)
        built = time.perf_counter() - built
        workers = workers or os.cpu_count() or 1
        server = Server(config, Path(os.environ["GONGKAI_CACHE_DIR"]), tmp / "serve.log", "--workers", str(workers))
        try:
            static = Load(server.port, "", applicants, rounds)
            for _ in range(20):  # warm-up: every worker
                static.once("/static/style.css")
                session_of(server.port, "/apply")
            base_apply, _ = static.run(["/static/style.css"])
            apply_server, apply_wall, codes, failures = [], [], [], []
            loads = []
            for r in range(rounds):
                s, w, c, f = apply_round(server.port, r * applicants, scan, applicants)
                apply_server += s
                apply_wall += w
                codes += c
                failures += f
                loads.append(os.getloadavg()[0])
            office = App(str(config))
            with office.session() as session:
                rows = session.query(OnlineApplication).all()
                subjects = [row.subject for row in rows]
                for row in rows[:clients]:  # confirmed: /track reads the request among the n
                    online.confirm(session, office, row, today(), "基准测试")
            sent = rounds * applicants
            lost = sent - len(set(subjects))
            doubled = len(subjects) - len(set(subjects))
            cookies, bodies = [], []
            for k in range(clients):
                cookie, token = session_of(server.port, "/track")
                cookies.append(cookie)
                real = urlencode({"code": codes[k], "check": "5678", "csrf_token": token}).encode()
                wrong = urlencode({"code": f"ZZZZ-ZZZZ-ZZZZ-ZZZZ-{k:04d}", "check": "5678", "csrf_token": token}).encode()
                bodies.append([real if i % 2 == 0 else wrong for i in range(per_client)])
            asyncio.run(track_load(server.port, [b[:4] for b in bodies], cookies))  # warm-up
            base_track, _ = Load(server.port, "", clients, per_client).run(["/static/style.css"])
            track_server, track_wall = asyncio.run(track_load(server.port, bodies, cookies))
            loads.append(os.getloadavg()[0])
        finally:
            server.stop()
    when = f"{dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC"
    load_text = f"load average {min(loads):.1f}–{max(loads):.1f} on {os.cpu_count()} CPUs"
    size = "" if n == N else f", reduced size ({n:,} requests)"
    return [
        Figure(f"applicants: {applicants} at once POST /apply with a {scan_bytes / 2**20:g} MB scan, {rounds} rounds",
               f"p95 {p95(apply_server):.0f} ms server", f"static file p95 {p95(base_apply):.1f} ms",
               f"{p95(apply_server) / max(p95(base_apply), 0.1):.0f}×",
               f"target p95 under {APPLY_TARGET_MS:.0f} ms ({'met' if p95(apply_server) < APPLY_TARGET_MS else 'MISSED'}); "
               f"median {statistics.median(apply_server):.0f} ms; client wall p95 {p95(apply_wall):.0f} ms; "
               f"{sent} sent, {len(subjects)} stored, {lost} lost, {doubled} twice, {len(failures)} refused"
               f"{' (' + failures[0] + ')' if failures else ''}; gongkai serve --workers {workers}; {load_text}; {when}"),
        Figure(f"applicants: /track, {n:,} requests, {clients} clients",
               f"p95 {p95(track_server):.1f} ms server", f"static file p95 {p95(base_track):.1f} ms",
               f"{p95(track_server) / max(p95(base_track), 0.1):.0f}×",
               f"target p95 under {TRACK_TARGET_MS:.0f} ms ({'met' if p95(track_server) < TRACK_TARGET_MS else 'MISSED'}"
               f"{size}); median {statistics.median(track_server):.1f} ms; client wall p95 {p95(track_wall):.1f} ms; "
               f"half real codes of confirmed requests, half wrong codes; {clients}×{per_client} look-ups; "
               f"unit built in {built:.0f} s; gongkai serve --workers {workers}; {load_text}; {when}"),
    ]
