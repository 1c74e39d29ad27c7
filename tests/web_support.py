"""A unit with staff accounts for the web tests, and a running ``gongkai serve``."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from conftest import Cli, write_config

PASSWORD = "Gongkai-Test-2026"
# login name -> roles (Chinese labels, as `gongkai user add --role` takes them); the 西咸新区 chain
STAFF = {
    "clerk": ["承办人"],
    "clerk2": ["承办人"],
    "lawyer": ["律师"],
    "head": ["单位主要负责同志"],
    "officehead": ["政府信息公开工作机构负责人"],
    "filing": ["新区政务公开工作机构"],
    "admin": ["单位管理员"],
}


def make_unit(folder: Path, staff: dict[str, list[str]] = STAFF, database_url: str | None = None) -> Path:
    """A 西咸新区 unit in ``folder`` (its database: SQLite beside it, or ``database_url``) with one
    account per entry of ``staff``; returns gongkai.toml."""
    config = write_config(folder, "xixian")
    gk = Cli()
    for name, roles in staff.items():
        args = ["--config", str(config), *(["--db", database_url] if database_url else []),
                "user", "add", name, "--password-stdin"]
        for role in roles:
            args += ["--role", role]
        result = gk(*args, input=PASSWORD + "\n")
        assert result.exit_code == 0, result.output + result.stderr
    return config


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``gongkai serve`` on a free loopback port, in its own process, stopped by :meth:`stop`."""

    def __init__(self, config: Path, cache_dir: Path, log: Path, *args: str) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("GONGKAI_")}
        env.update(GONGKAI_CONFIG=str(config), GONGKAI_CACHE_DIR=str(cache_dir))
        # A free port can be taken by another process (a parallel test worker) before the
        # server binds it: then the server refuses at once, and we try another port.
        for _ in range(5):
            if self._start(config, env, log, args):
                return
        raise RuntimeError(f"gongkai serve found no free port:\n{log.read_text()}")

    def _start(self, config: Path, env: dict[str, str], log: Path, args: tuple[str, ...]) -> bool:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log.open("w")
        self.process = subprocess.Popen(
            [str(Path(sys.executable).parent / "gongkai"), "serve", "--port", str(self.port), *args],
            cwd=config.parent, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        return True
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                output = log.read_text()
                if self.process.returncode not in (None, 0) and f"127.0.0.1:{self.port}" in output and "无法" in output:
                    return False  # the port was taken meanwhile
                raise RuntimeError(f"gongkai serve did not start:\n{output}")
            time.sleep(0.2)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()


def unit_environment(request, calendar_cache: Path, today: str | None = None):
    """A module's environment for its unit: the calendar cache, no leaked database URL, ``today``
    if given; a fresh PostgreSQL database when the module runs on that backend. Returns the
    MonkeyPatch (undo it at the end) and the database URL (None: SQLite beside gongkai.toml)."""
    import pytest

    mp = pytest.MonkeyPatch()
    mp.setenv("GONGKAI_CACHE_DIR", str(calendar_cache))
    if today:
        mp.setenv("GONGKAI_TODAY", today)
    mp.delenv("GONGKAI_DATABASE_URL", raising=False)
    url = request.getfixturevalue("pg_server").new_database() if request.param == "postgresql" else None
    return mp, url


def signed_in(web, name: str | None = None):
    """Starlette's test client on ``web``, signed in as ``name`` (None: not signed in); its
    ``token`` is the CSRF token of its session."""
    from starlette.testclient import TestClient

    c = TestClient(web, follow_redirects=False)
    c.token = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/login").text).group(1)
    if name:
        r = c.post("/login", data={"name": name, "password": PASSWORD, "csrf_token": c.token, "next": "/todo"})
        assert r.status_code == 303 and r.headers["location"] == "/todo", r.text
        c.token = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/todo").text).group(1)
    return c
