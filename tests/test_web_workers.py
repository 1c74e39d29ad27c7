"""``gongkai serve --workers N``: several worker processes serve one unit, and a session signed in
on one is valid on every other (they share the unit's session secret, made before they start)."""

from __future__ import annotations

import http.client
import re
from pathlib import Path
from urllib.parse import urlencode

import pytest
from web_support import PASSWORD, Server, make_unit

pytest.importorskip("uvicorn")


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def get(port: int, path: str, cookie: str = "") -> http.client.HTTPResponse:
    """One request on its own connection, so the kernel may hand it to any worker."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    response = conn.getresponse()
    response.body = response.read().decode()
    conn.close()
    return response


def test_two_workers_share_one_unit_and_its_sessions(tmp_path, calendar_cache):
    server = Server(make_unit(tmp_path), calendar_cache, tmp_path / "serve.log", "--workers", "2")
    try:
        assert len(children(server.process.pid)) >= 2  # uvicorn's two worker processes
        login_page = get(server.port, "/login")
        cookie = login_page.getheader("set-cookie").split(";")[0]
        token = re.search(r'name="csrf_token" value="([^"]+)"', login_page.body).group(1)
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        conn.request("POST", "/login", body=urlencode({"name": "clerk", "password": PASSWORD, "csrf_token": token}),
                     headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})
        answer = conn.getresponse()
        answer.read()
        assert answer.status == 303
        cookie = answer.getheader("set-cookie").split(";")[0]
        for _ in range(12):  # new connections: spread over the workers
            page = get(server.port, "/todo", cookie)
            assert page.status == 200 and "我的待办" in page.body
    finally:
        server.stop()
    assert "Traceback" not in (tmp_path / "serve.log").read_text()


def test_a_busy_port_is_refused_in_chinese(tmp_path, calendar_cache):
    import os
    import socket
    import subprocess
    import sys

    config = make_unit(tmp_path)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        env = {k: v for k, v in os.environ.items() if not k.startswith("GONGKAI_")}
        env.update(GONGKAI_CONFIG=str(config), GONGKAI_CACHE_DIR=str(calendar_cache))
        done = subprocess.run([str(Path(sys.executable).parent / "gongkai"), "serve", "--port", str(port), "--workers", "2"],
                              env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert f"无法在 127.0.0.1:{port} 上启动网页版" in done.stderr and "已启动" not in done.stderr
