"""The ``gongkai`` entry point: hand the command to the preloader, or run it here.

Imports only what a bare interpreter has (and ``_socket``, ``json``): the command line's own
modules load only when the command runs in this process.
"""

from __future__ import annotations

import os
import signal
import sys

from gongkai.core.preload import protocol

# Run here, never in the server's child: `serve` runs for hours with its own worker
# processes and threads, and `preload` manages the server itself.
LOCAL = frozenset({"serve", "preload"})
_GLOBAL_OPTIONS_WITH_VALUE = frozenset({"--config", "--jurisdiction", "-j", "--db", "--unit"})
_FORWARDED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT)


def main() -> None:
    args = sys.argv[1:]
    name = command_name(args)
    if protocol.enabled() and name not in LOCAL:
        # `gongkai --help` or `--version` alone uses a running server but starts none (a command will)
        code = through_server(args, start=name is not None)
        if code is not None:
            sys.exit(code)
    from gongkai.core.cli import main as run_here

    run_here()


def command_name(args: list[str]) -> str | None:
    """The subcommand in ``args`` (after the global options), or None."""
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg in _GLOBAL_OPTIONS_WITH_VALUE:
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None


def through_server(args: list[str], start: bool = True) -> int | None:
    """The command's exit status from the preloader's child; None when it should run here
    (no server, a stale one, or one that did not start the command). Starts a server for the
    next command when none answered (and ``start``)."""
    try:
        ident = protocol.identity()
        sock_path, lock_path = protocol.paths(ident)
        message = _context(args, ident)
    except (OSError, ValueError):
        return None  # no private socket folder, a closed standard stream, a deleted cwd
    try:
        sock = protocol.connect(sock_path)
    except protocol.Impostor as exc:
        # Nothing was sent: run here, as with GONGKAI_PRELOAD=0 (as safe), and start no server
        # in a folder another user can reach; refusing would let that user stop every command.
        sys.stderr.write(f"警告：预载进程的套接字 {sock_path} 由其他用户（uid {exc.uid}）的进程监听，可能有人冒充预载进程；"
                         "本命令未交给它，改在本进程中运行。请检查该文件夹及其上级文件夹的权限"
                         "（GONGKAI_PRELOAD_DIR、XDG_RUNTIME_DIR），或设置 GONGKAI_PRELOAD=0。\n")
        return None
    if sock is None:
        if start:
            start_server(lock_path)
        return None
    forwarder = _Forwarder()
    try:
        protocol.send(sock, message, (0, 1, 2))
        reply, _ = protocol.receive(sock)
        if reply is not None and "pid" in reply:
            forwarder.child(reply["pid"])
            reply, _ = protocol.receive(sock)
        elif reply and reply.get("stale") and start:
            start_server(lock_path)
    except (OSError, ValueError):  # the server gone, or a message it cannot take (e.g. undecodable bytes)
        reply = None
    finally:
        forwarder.restore()
        sock.close()
    if forwarder.pid is None:  # the command never started: run it here (unless interrupted meanwhile)
        for signum in forwarder.pending:
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
        return None
    if reply is not None and "exit" in reply:
        return int(reply["exit"])
    if forwarder.sent:  # the child ended by the signal we passed on: so do we
        signal.signal(forwarder.sent[-1], signal.SIG_DFL)
        os.kill(os.getpid(), forwarder.sent[-1])
    sys.stderr.write("错误：gongkai 预载进程中的命令意外中止，未返回结果；命令可能只执行了一部分，"
                     "请先查看记录再决定是否重做。可设置环境变量 GONGKAI_PRELOAD=0 不经预载进程运行。\n")
    return 1


def _context(args: list[str], ident: str) -> dict:
    """What the child needs to be this process."""
    streams = []
    for fd, name in enumerate(("stdin", "stdout", "stderr")):
        os.fstat(fd)  # OSError if closed: then the command runs here
        stream = getattr(sys, name)
        streams.append((name, getattr(stream, "encoding", None) or "utf-8",
                        getattr(stream, "errors", None) or "strict"))
    umask = os.umask(0o022)
    os.umask(umask)
    return {"op": "run", "identity": ident, "argv": ["gongkai", *args], "cwd": os.getcwd(),
            "env": dict(os.environ), "umask": umask, "nice": os.getpriority(os.PRIO_PROCESS, 0),
            "streams": streams, "path0": sys.path[0] if sys.path else ""}


class _Forwarder:
    """Pass the signals this process gets (Ctrl-C, a kill, a hang-up) on to the child."""

    def __init__(self) -> None:
        self.pid: int | None = None
        self.pending: list[int] = []
        self.sent: list[int] = []
        self.previous = {signum: signal.signal(signum, self._caught) for signum in _FORWARDED}

    def _caught(self, signum: int, _frame: object) -> None:
        if self.pid is None:
            self.pending.append(signum)
        else:
            self._send(signum)

    def _send(self, signum: int) -> None:
        try:
            os.kill(self.pid, signum)
            self.sent.append(signum)
        except ProcessLookupError:
            pass

    def child(self, pid: int) -> None:
        self.pid = pid
        for signum in self.pending:
            self._send(signum)

    def restore(self) -> None:
        for signum, handler in self.previous.items():
            signal.signal(signum, handler)


def start_server(lock_path: str) -> None:
    """Start a server in the background for the next command, unless one is starting (it
    holds the lock while it imports)."""
    import fcntl

    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        fcntl.flock(fd, fcntl.LOCK_UN)
    except OSError:
        return
    finally:
        os.close(fd)
    try:
        # its own session, no terminal, nothing from the folder it starts in on sys.path (-P);
        # posix_spawn rather than subprocess, whose import alone costs this command 5 ms
        os.posix_spawn(sys.executable, [sys.executable, "-P", "-m", "gongkai.core.preload.server"], os.environ,
                       file_actions=[(os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                                     (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
                                     (os.POSIX_SPAWN_DUP2, 1, 2)], setsid=True)
    except OSError:
        pass
