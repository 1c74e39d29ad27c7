"""The preloader's server: import once, then fork a child per command.

Started by a client that found none (``python -P -m gongkai.core.preload.server``, in its
own session, with no terminal); one per user, interpreter and copy of gongkai (the lock
file decides between two starting at once). It imports what the everyday commands import,
and nothing else: it opens no database, reads no gongkai.toml and starts no thread, so a
forked child begins as a fresh process would, only with its imports done. Before each fork
it checks that no file it loaded changed (an edit, an upgrade, a new plugin); if one did,
it steps aside: it tells the client to run the command itself, and exits.
"""

from __future__ import annotations

import fcntl
import gc
import importlib
import os
import select
import signal
import socket
import struct
import sys
import time

from gongkai.core.preload import child, protocol

_PEERCRED = struct.Struct("3i")  # pid, uid, gid
# Never preloaded: the web app (`serve` runs in its own process, with its own workers).
_NOT_PRELOADED = frozenset({"serve"})
# What the everyday commands load beyond their command modules (the modules new in a
# preloaded process after `request show/appeal/review`, `ledger --overdue`, `digest`,
# `documents` and `matters`).
_PRELOAD = (
    "sqlite3", "sqlalchemy", "sqlalchemy.orm", "sqlmodel", "sqlalchemy.dialects.sqlite.pysqlite",
    "sqlalchemy.dialects.postgresql.psycopg", "array",
    "gongkai.core.app", "gongkai.core.law.plugins", "gongkai.core.records.schema", "gongkai.core.time.calendar_load",
    "gongkai.core.time.deadline_store", "gongkai.core.records.storage", "gongkai.core.records.chain", "gongkai.core.law.outcomes",
    "gongkai.core.requests.ledger", "gongkai.core.requests.workflow", "gongkai.core.requests.appeals",
    "gongkai.core.requests.review", "gongkai.core.requests.search", "gongkai.core.units.store",
    "gongkai.core.law.national.rules", "gongkai.core.accounts.store", "gongkai.core.accounts.binding",
    "gongkai.core.accounts.permissions", "gongkai.core.documents.workflow", "gongkai.core.matters.digest",
    "gongkai.core.matters.workflow", "pwd", "encodings.ascii",
)


def main() -> None:
    os.chdir("/")  # hold no folder of the client's (each child changes to its client's)
    os.closerange(3, os.sysconf("SC_OPEN_MAX"))  # nor a pipe it inherited: a reader would wait 15 minutes
    ident = protocol.identity()
    sock_path, lock_path = protocol.paths(ident)
    lock = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return  # another server is starting or running
    gc.disable()  # the collector would touch every preloaded object in each child: copies of all their pages
    if not preload():
        return
    server = Server(ident, sock_path, lock)
    job = server.serve()
    if job is not None:  # only in a forked child
        child.run(*job)


def preload() -> bool:
    """Import the command modules, the ORM, the workflow modules and the plugins' modules,
    and configure the ORM's mappers (the relationships between the model classes: work each
    command's first query would do). A module that fails to import is skipped: the command
    that needs it reports the error as it would without the preloader. False if the mappers
    cannot be configured (the models are broken or half edited): then there is no server."""
    from gongkai.core.cli import COMMANDS

    names = [target.partition(":")[0] for name, (target, _) in COMMANDS.items() if name not in _NOT_PRELOADED]
    try:
        import importlib.metadata

        names += [ep.module for ep in importlib.metadata.entry_points(group="gongkai")]
        from gongkai.core.law.plugins import installed_plugins

        installed_plugins()  # read once here, for every command the server forks
    except Exception:  # noqa: BLE001  # a broken distribution: the command will say so
        pass
    for name in (*_PRELOAD, *names):
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001
            pass
    try:
        from sqlalchemy.orm import configure_mappers

        configure_mappers()
    except Exception:  # noqa: BLE001  # a failed configuration would stay with every child
        return False
    return True


def fingerprint(files: object = None) -> dict[str, tuple[int, ...]]:
    """The inode, size and nanosecond modification and change times of every loaded module's
    file and of every folder on sys.path (installing, upgrading or removing a package changes
    its site-packages folder), or of ``files``. The change time moves with every write, even
    one that sets the modification time back (``touch -d``, ``cp -p``, ``git checkout``); a
    file replaced by another has another inode."""
    if files is None:
        files = {getattr(m, "__file__", None) for m in list(sys.modules.values())}
        files.update(p for p in sys.path if p)
    stamps = {}
    for path in files:
        if isinstance(path, str):
            try:
                info = os.stat(path)
                stamps[path] = (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
            except OSError:
                stamps[path] = (-1,)
    return stamps


class Server:
    def __init__(self, ident: str, path: str, lock: int) -> None:
        self.ident, self.path, self.lock = ident, path, lock
        self.pid = os.getpid()
        self.started = time.time()
        self.idle = float(os.environ.get(protocol.ENV_IDLE) or protocol.IDLE_SECONDS)
        self.stamps = fingerprint()
        self.served = 0
        self.children: set[int] = set()
        self.children_cpu = 0.0
        self.inode: int | None = None

    def serve(self) -> tuple | None:
        """Answer until idle, stopped or stale; in a forked child, return its job."""
        with _listening(self.path) as listener:
            signal.signal(signal.SIGCHLD, lambda *_: self.reap())
            signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
            self.last = time.monotonic()
            try:
                self.inode = _inode(self.path)
                while True:
                    left = self.idle - (time.monotonic() - self.last)
                    if left <= 0:
                        return None
                    if not select.select([listener], [], [], min(left, 10))[0]:
                        if _inode(self.path) != self.inode:
                            return None  # its socket removed (a temporary folder deleted): nobody can reach it
                        continue
                    conn, _ = listener.accept()
                    job, done = self.answer(conn, listener)
                    if job is not None or done:
                        return job
            finally:
                if os.getpid() == self.pid:
                    self.retire()

    def answer(self, conn: socket.socket, listener: socket.socket) -> tuple[tuple | None, bool]:
        """Serve one connection: in a forked child, (its job, False); in the server, (None,
        whether to stop serving)."""
        fds: list[int] = []
        try:
            _, uid, _ = _PEERCRED.unpack(conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, _PEERCRED.size))
            if uid != os.getuid():
                return None, False
            conn.settimeout(10)
            message, fds = protocol.receive(conn, max_fds=3)
            op = (message or {}).get("op")
            if op == "status":
                protocol.send(conn, self.status())
            elif op == "stop":
                self.retire()
                protocol.send(conn, {"stopped": self.pid})
                return None, True
            elif op == "run" and len(fds) == 3:
                self.last = time.monotonic()  # only a command counts: `preload status` keeps nothing alive
                if message.get("identity") != self.ident or fingerprint(self.stamps) != self.stamps:
                    self.retire()  # before answering: the client starts the next server at once
                    protocol.send(conn, {"stale": True})
                    return None, True
                conn.settimeout(None)
                gc.freeze()  # what exists now is never collected: a child copies only the pages it writes
                signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGCHLD})  # reaped only once counted
                pid = os.fork()
                if pid == 0:
                    listener.close()
                    os.close(self.lock)
                    return (conn, message, fds), False
                self.children.add(pid)
                self.served += 1
        except (OSError, ValueError, TypeError, AttributeError):
            pass  # a client gone or garbled: it runs the command itself
        finally:
            if os.getpid() == self.pid:
                signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGCHLD})
                conn.close()
                for fd in fds:
                    os.close(fd)
        return None, False

    def status(self) -> dict:
        self.reap()
        return {"pid": self.pid, "started": self.started, "idle_timeout": self.idle, "served": self.served,
                "active": len(self.children), "children": sorted(self.children),
                "children_cpu": self.children_cpu, "rss_kib": _rss_kib(),
                "modules": len(sys.modules)}

    def reap(self) -> None:
        while True:
            try:
                pid, _, usage = os.wait4(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            self.children.discard(pid)
            self.children_cpu += usage.ru_utime + usage.ru_stime

    def retire(self) -> None:
        """Stop answering: the socket goes, then the lock (a new server may start at once)."""
        if self.lock < 0:
            return
        if _inode(self.path) == self.inode:  # ours still (not a folder removed and made again)
            try:
                os.unlink(self.path)
            except OSError:
                pass
        os.close(self.lock)
        self.lock = -1


class _listening:
    def __init__(self, path: str) -> None:
        self.path = path

    def __enter__(self) -> socket.socket:
        try:
            os.unlink(self.path)  # left by a server that was killed; we hold the lock
        except FileNotFoundError:
            pass
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        old = os.umask(0o177)
        try:
            self.sock.bind(self.path)
        finally:
            os.umask(old)
        self.sock.listen(64)
        return self.sock

    def __exit__(self, *exc: object) -> None:
        if self.sock.fileno() >= 0:
            self.sock.close()


def _inode(path: str) -> int | None:
    try:
        return os.stat(path).st_ino
    except OSError:
        return None


def _rss_kib() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
    except (OSError, StopIteration, ValueError):
        return 0


if __name__ == "__main__":
    main()
