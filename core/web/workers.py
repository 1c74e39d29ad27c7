"""``gongkai serve --workers N``: N uvicorn processes, each listening on its own socket.

Each worker binds the address with ``SO_REUSEPORT``, so the kernel spreads the connections
over the workers evenly. With one shared socket (uvicorn's own ``--workers``) whichever
process wakes first accepts, and a browser's keep-alive connection stays with it: under a
burst one worker took nearly every connection while the other idled. Where the platform has
no ``SO_REUSEPORT`` uvicorn's own workers are used.
"""

from __future__ import annotations

import json
import multiprocessing
import multiprocessing.connection
import os
import signal
import socket
from typing import Any

FACTORY = "gongkai.core.web.app:from_environment"


def run(arguments: dict[str, Any], workers: int, host: str, port: int, options: dict[str, Any]) -> None:
    """Serve the unit that ``App(**arguments)`` opens with ``workers`` processes until stopped."""
    import uvicorn

    from gongkai.core.web.app import APP_ENV

    os.environ[APP_ENV] = json.dumps(arguments)
    if not hasattr(socket, "SO_REUSEPORT"):
        uvicorn.run(FACTORY, factory=True, workers=workers, host=host, port=port, **options)
        return
    check_free(host, port)
    context = multiprocessing.get_context("spawn")
    processes = [context.Process(target=_serve, args=(host, port, options), daemon=True) for _ in range(workers)]
    for process in processes:
        process.start()
    stopping = []

    def stop(*_: Any) -> None:
        stopping.append(True)
        for process in processes:
            if process.is_alive():
                process.terminate()  # SIGTERM: uvicorn finishes the requests under way, then exits

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        multiprocessing.connection.wait([p.sentinel for p in processes])  # until one stops, for any reason
    except KeyboardInterrupt:  # Ctrl-C reached the workers too
        stopping.append(True)
    finally:
        died = [p for p in processes if not p.is_alive() and p.exitcode not in (0, None)] if not stopping else []
        stop()
        for process in processes:
            process.join(30)
        signal.signal(signal.SIGTERM, previous)
    if died:
        from gongkai.core.errors import GongkaiError

        raise GongkaiError(f"网页版的一个工作进程意外退出（退出码 {died[0].exitcode}），已停止全部工作进程。请查看上方的错误信息。")


def check_free(host: str, port: int) -> None:
    """The address must be free: a plain bind (no SO_REUSEPORT) fails if anyone listens there."""
    from gongkai.core.errors import GongkaiError

    probe = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    try:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host, port))
    except OSError:
        raise GongkaiError(f"无法在 {host}:{port} 上启动网页版：该地址不可用或端口已被占用，请检查 --host，或用 --port 换一个端口。") from None
    finally:
        probe.close()


def _listener(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    return sock


def _serve(host: str, port: int, options: dict[str, Any]) -> None:
    """One worker process: its own socket on the shared address, the app built here."""
    import uvicorn

    sock = _listener(host, port)
    config = uvicorn.Config(FACTORY, factory=True, host=host, port=port, **options)
    uvicorn.Server(config).run(sockets=[sock])
