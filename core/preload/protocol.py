"""Where the preloader listens, and the messages on its socket.

Kept to the standard modules a bare interpreter has already loaded or loads cheaply (no
``hashlib``, 11 ms to import; ``_socket`` rather than ``socket``, whose enums cost 4 ms),
because the client pays for every import on every command. A message is a 4-byte length and
a JSON object; file descriptors travel with the first bytes of a message (``SCM_RIGHTS``).
"""

from __future__ import annotations

import _socket
import json
import os
import struct
import sys
import zlib

from gongkai.core.cache_dir import cache_dir

ENV_SWITCH = "GONGKAI_PRELOAD"  # "0": every command in its own process, no server started
ENV_DIR = "GONGKAI_PRELOAD_DIR"  # where the socket lives (tests use a temporary one)
ENV_IDLE = "GONGKAI_PRELOAD_IDLE"  # seconds without a command before the server exits
IDLE_SECONDS = 15 * 60
_LENGTH = struct.Struct(">I")
_PEERCRED = struct.Struct("3i")  # pid, uid, gid
_MAX_MESSAGE = 64 << 20


def enabled() -> bool:
    """Whether commands go through a preloader: on Linux (the peer check and forking a loaded
    interpreter are safe there), unless ``GONGKAI_PRELOAD=0``."""
    return os.environ.get(ENV_SWITCH, "").strip() != "0" and sys.platform == "linux"


def identity() -> str:
    """What a server must share with a client to run its commands: the user, the interpreter
    and its ``PYTHON*`` settings, and this copy and version of gongkai."""
    import gongkai

    settings = sorted((k, v) for k, v in os.environ.items() if k.startswith("PYTHON"))
    return json.dumps([os.getuid(), sys.executable, os.path.dirname(gongkai.__file__), gongkai.__version__,
                       settings], ensure_ascii=False)


def directory() -> str:
    """The private folder of the sockets (mode 0700, ours), made if missing."""
    root = os.environ.get(ENV_DIR)
    if not root:
        runtime = os.environ.get("XDG_RUNTIME_DIR")
        root = os.path.join(runtime, "gongkai") if runtime else os.path.join(cache_dir(), "preload")
    os.makedirs(root, mode=0o700, exist_ok=True)
    info = os.stat(root)
    if info.st_uid != os.getuid() or info.st_mode & 0o077:
        raise PermissionError(f"{root}: not a private folder of this user")
    return root


def paths(ident: str | None = None) -> tuple[str, str]:
    """The socket and the lock file of the server for ``ident`` (this process's, by default).
    The name is a digest (a socket path has at most 107 bytes); the server compares the whole
    identity on every request."""
    data = (ident or identity()).encode()
    stem = os.path.join(directory(), f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}")
    return stem + ".sock", stem + ".lock"


class Impostor(OSError):
    """The process listening at the socket is another user's (``uid``)."""

    def __init__(self, path: str, uid: int) -> None:
        super().__init__(f"{path}: answered by uid {uid}")
        self.uid = uid


def connect(path: str) -> _socket.socket | None:
    """A connection to the server at ``path``, or None when none answers there; :class:`Impostor`
    when the process that answers runs as another user.

    The folder is checked before (:func:`directory`), but whoever can write its parent can swap
    it between that check and the connection; the kernel's record of who listens on the
    connected socket (SO_PEERCRED) cannot be swapped. Nothing is sent before it is checked."""
    sock = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        sock.connect(path)
        _, uid, _ = _PEERCRED.unpack(sock.getsockopt(_socket.SOL_SOCKET, _socket.SO_PEERCRED, _PEERCRED.size))
    except OSError:
        sock.close()
        return None
    if uid != os.getuid():
        sock.close()
        raise Impostor(path, uid)
    return sock


def send(sock: _socket.socket, message: dict, fds: list[int] | tuple[int, ...] = ()) -> None:
    data = json.dumps(message, ensure_ascii=False).encode()
    data = _LENGTH.pack(len(data)) + data
    sent = 0
    if fds:
        rights = struct.pack(f"{len(fds)}i", *fds)
        sent = sock.sendmsg([data], [(_socket.SOL_SOCKET, _socket.SCM_RIGHTS, rights)])
    if sent < len(data):
        sock.sendall(data[sent:])


def receive(sock: _socket.socket, max_fds: int = 0) -> tuple[dict | None, list[int]]:
    """The next message and the descriptors sent with it; ``(None, [])`` at end of stream."""
    head, fds = _read(sock, _LENGTH.size, max_fds)
    if len(head) < _LENGTH.size:
        _close(fds)
        return None, []
    (length,) = _LENGTH.unpack(head)
    if length > _MAX_MESSAGE:
        _close(fds)
        raise ValueError("preload message too long")
    body, _ = _read(sock, length, 0)
    if len(body) < length:
        _close(fds)
        return None, []
    return json.loads(body), fds


def _read(sock: _socket.socket, size: int, max_fds: int) -> tuple[bytes, list[int]]:
    chunks, fds, got = [], [], 0
    while got < size:
        if max_fds and not fds:
            data, ancillary, _, _ = sock.recvmsg(size - got, _socket.CMSG_SPACE(max_fds * 4))
            for level, kind, payload in ancillary:
                if (level, kind) == (_socket.SOL_SOCKET, _socket.SCM_RIGHTS):
                    fds += struct.unpack(f"{len(payload) // 4}i", payload[: len(payload) // 4 * 4])
        else:
            data = sock.recv(size - got)
        if not data:
            break
        chunks.append(data)
        got += len(data)
    return b"".join(chunks), list(fds)


def _close(fds: list[int]) -> None:
    for fd in fds:
        os.close(fd)


def request(message: dict, timeout: float = 5.0) -> dict | None:
    """Ask the running server one thing (``status``, ``stop``); None when none answers."""
    if not enabled():
        return None
    try:
        sock = connect(paths()[0])
    except Impostor:
        return None
    if sock is None:
        return None
    try:
        sock.settimeout(timeout)
        send(sock, message)
        return receive(sock)[0]
    except OSError:
        return None
    finally:
        sock.close()
