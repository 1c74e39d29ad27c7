"""A unit with staff accounts for the web tests, and a running ``gongkai serve``."""

from __future__ import annotations

import os
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
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {k: v for k, v in os.environ.items() if not k.startswith("GONGKAI_")}
        env.update(GONGKAI_CONFIG=str(config), GONGKAI_CACHE_DIR=str(cache_dir))
        self.log = log.open("w")
        self.process = subprocess.Popen(
            [str(Path(sys.executable).parent / "gongkai"), "serve", "--port", str(self.port), *args],
            cwd=config.parent, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"gongkai serve did not start:\n{log.read_text()}")
            time.sleep(0.2)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()
