"""Managing the preloader from outside: is it running, start it, stop it."""

from __future__ import annotations

import os
import time

from gongkai.core.preload import protocol
from gongkai.core.preload.client import start_server


def status() -> dict | None:
    """The running server's account of itself (pid, commands served, memory…), or None."""
    return protocol.request({"op": "status"})


def start(timeout: float = 60.0) -> dict | None:
    """Start a server unless one runs, and wait until it answers; its status, or None if it
    did not answer within ``timeout`` seconds (it imports for about a second)."""
    found = status()
    if found is not None or not protocol.enabled():
        return found
    start_server(protocol.paths()[1])
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        time.sleep(0.05)
        found = status()
        if found is not None:
            return found
    return None


def stop(timeout: float = 10.0) -> int | None:
    """Stop the running server; its pid once it has exited, or None if none was running."""
    answer = protocol.request({"op": "stop"})
    if answer is None:
        return None
    pid = answer["stopped"]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and alive(pid):
        time.sleep(0.02)
    return pid


def alive(pid: int) -> bool:
    """Whether process ``pid`` is still running (not gone, not a zombie)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie (its parent, a client that started it, has not reaped it) has exited
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
