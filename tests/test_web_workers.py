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
