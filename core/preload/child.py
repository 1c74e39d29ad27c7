"""A forked child of the preloader: become the client's process, run its command, report.

The child takes on everything of the client that a command can see: its standard streams
(the same open files, with the same encodings, so a terminal stays a terminal for colours,
prompts and progress bars), working directory, environment and time zone, umask, niceness,
``sys.argv`` and the first entry of ``sys.path``. It then ends as an interpreter ends (other
threads joined, exit functions run, streams flushed) and sends the exit code.
"""

from __future__ import annotations

import atexit
import gc
import io
import os
import signal
import socket
import sys
import threading
import time

from gongkai.core.preload import protocol


def run(conn: socket.socket, message: dict, fds: list[int]) -> None:
    code = 1
    try:
        for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGCHLD):
            signal.signal(signum, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGCHLD})  # blocked by the server around the fork
        gc.enable()  # the server's objects stay frozen (outside collection), the command's are collected
        protocol.send(conn, {"pid": os.getpid()})  # the client forwards its signals here
        threading.Thread(target=_end_without_client, args=(conn,), daemon=True).start()
        _become(message, fds)
        code = _finish(_command(message["argv"][1:]))
        protocol.send(conn, {"exit": code})
    finally:
        os._exit(code)


GRACE_SECONDS = 60  # after SIGTERM, for an import to finish its batch and say what it stored


def _end_without_client(conn: socket.socket) -> None:
    """The command ends when its client goes away (killed, even by SIGKILL, which it cannot
    pass on): the client sends nothing after the command, so the end of the stream means it
    is gone. SIGTERM first (an import stops between batches), SIGKILL if that did not end it."""
    try:
        while conn.recv(1 << 12):
            pass
    except OSError:
        pass
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(GRACE_SECONDS)
    os.kill(os.getpid(), signal.SIGKILL)


def _become(message: dict, fds: list[int]) -> None:
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    for target, (name, encoding, errors) in enumerate(message["streams"]):
        stream = _text_stream(target, encoding, errors)
        setattr(sys, name, stream)
        setattr(sys, f"__{name}__", stream)
    os.chdir(message["cwd"])
    os.environ.clear()
    os.environ.update(message["env"])
    time.tzset()
    os.umask(message["umask"])
    if message["nice"] > os.getpriority(os.PRIO_PROCESS, 0):
        os.setpriority(os.PRIO_PROCESS, 0, message["nice"])  # only ever lower our priority, as a user can
    sys.argv = message["argv"]
    if message.get("path0") and sys.path[:1] != [message["path0"]]:
        sys.path.insert(0, message["path0"])


def _text_stream(fd: int, encoding: str, errors: str) -> io.TextIOWrapper:
    """A standard stream as the interpreter makes one: line-buffered on a terminal (stderr
    always), newline "\\n", the descriptor left open when the object goes."""
    if fd == 0:
        raw = io.BufferedReader(io.FileIO(fd, "rb", closefd=False))
    else:
        raw = io.BufferedWriter(io.FileIO(fd, "wb", closefd=False))
    return io.TextIOWrapper(raw, encoding=encoding, errors=errors, newline="\n",
                            line_buffering=fd == 2 or os.isatty(fd))


def _command(args: list[str]) -> int:
    """Run the command-line program as the entry point would; its exit status."""
    from gongkai.core.cli import main

    try:
        main(args)
    except SystemExit as exc:
        return _status(exc.code)
    except BaseException:  # noqa: BLE001  # as the interpreter reports an uncaught error
        sys.excepthook(*sys.exc_info())
        return 1
    return 0


def _status(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    print(code, file=sys.stderr)
    return 1


def _finish(code: int) -> int:
    """What the interpreter does on the way out: wait for other non-daemon threads, run the
    exit functions, flush the streams (120 if stdout cannot take the rest, as Python exits)."""
    for thread in threading.enumerate():
        if thread is not threading.current_thread() and not thread.daemon:
            thread.join()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            if stream is sys.stdout and code == 0:
                code = 120
    return code
