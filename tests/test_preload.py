"""The resident preloader (gongkai.core.preload): real `gongkai` processes and a real server.

A command handed to the server's forked child must behave exactly as the same command run in
its own process: same output, errors, exit status and stored rows. Every test here starts its
server in its own socket folder and stops it (the `server` fixture); the rest of the suite
runs with GONGKAI_PRELOAD=0 (conftest.py).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from gongkai.core.preload.admin import alive
from requests_helpers import new_request

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the preloader runs on Linux only")

GONGKAI = shutil.which("gongkai", path=os.path.dirname(sys.executable))
PASSWORD = "correct-horse-9"


def _wait(condition, what: str, limit: float = 60.0):
    """Poll until ``condition()`` is truthy (a generous limit: the server imports for a second
    or more on a busy machine); its value."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


class Preloader:
    """The environment of commands that may use a preloader in their own socket folder."""

    def __init__(self, folder: str, **extra: str) -> None:
        self.folder = folder
        self.env = {k: v for k, v in os.environ.items() if k != "GONGKAI_PRELOAD"}  # conftest's "0"
        self.env.update(GONGKAI_PRELOAD_DIR=folder, **extra)

    def run(self, *args: str, cwd: Path, input: str | None = None, env: dict | None = None):
        return subprocess.run([GONGKAI, *map(str, args)], cwd=cwd, env=env or self.env, input=input,
                              capture_output=True, text=True, timeout=300)

    def status(self) -> dict:
        out = self.run("preload", "status", "--json", cwd=Path(self.folder))
        assert out.returncode == 0, out.stderr
        return json.loads(out.stdout)

    def start(self) -> dict:
        out = self.run("preload", "start", "--json", cwd=Path(self.folder))
        assert out.returncode == 0, out.stderr
        return json.loads(out.stdout)

    def stop(self) -> None:
        self.run("preload", "stop", cwd=Path(self.folder))


@pytest.fixture
def server():
    """A preloader environment; whatever server it started is stopped at the end."""
    folder = tempfile.mkdtemp(prefix="gk-preload-", dir="/tmp")  # a socket path has at most 107 bytes
    made: list[Preloader] = []

    def make(**extra: str) -> Preloader:
        made.append(Preloader(folder, **extra))
        return made[-1]

    try:
        yield make
    finally:
        for preloader in made:
            preloader.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def twin_units(tmp_path, unit, gk):
    """Two identical units (one database copied): one for in-process commands, one for the
    preloader's. Request 1 is open with its review chain unsigned; request 2 is answered."""
    unit("changning")
    first = new_request(gk, submitted="2026-03-02")
    new_request(gk, submitted="2026-03-03", applicant="李四")
    steps = [s["id"] for s in gk.json("request", "show", "2")["review_steps"] if s["stage"] == "before"]
    for i, step in enumerate(steps):
        gk.ok("request", "review", "2", "--step", step, "--by", f"审核人{i}", "--decision", "approve",
              "--on", "2026-03-10", *(("--outcome", "disclosed") if i == 0 else ()))
    gk.ok("request", "reply", "2", "--outcome", "disclosed", "--on", "2026-03-12")
    units = []
    for name in ("here", "preloaded"):
        folder = tmp_path / name
        folder.mkdir()
        for file in ("gongkai.toml", *(p.name for p in tmp_path.glob("gongkai.db*"))):  # with its WAL
            shutil.copy(tmp_path / file, folder / file)
        units.append(folder)
    return units, first["id"], steps


def _locked(folder: str) -> bool:
    """Whether a server holds a lock in ``folder`` (it does from its first moment)."""
    import fcntl

    for lock in Path(folder).glob("*.lock"):
        with open(lock, "w") as file:
            try:
                fcntl.flock(file, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
    return False


def _timeless(text: str) -> str:
    """Output without the moments events were written (they differ by the runs' order)."""
    return re.sub(r'"at(_beijing)?": "[^"]*"', '"at": ""', text)


def _rows(folder: Path) -> dict[str, list[tuple]]:
    """Every table's rows, without the moments of writing (and the hashes that cover them)."""
    db = sqlite3.connect(folder / "gongkai.db")
    try:
        out = {}
        for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'"
                                   " AND name NOT LIKE '%search%'"):
            cursor = db.execute(f'SELECT * FROM "{table}"')
            keep = [i for i, d in enumerate(cursor.description)
                    if not (d[0] == "at" or d[0].endswith("_at") or "hash" in d[0])]
            out[table] = sorted((tuple(row[i] for i in keep) for row in cursor), key=repr)
        return out
    finally:
        db.close()


def test_commands_through_the_preloader_match_commands_in_their_own_process(twin_units, server):
    (here, preloaded), open_id, steps = twin_units
    alone = server(GONGKAI_PRELOAD="0")
    through = server()
    through.start()
    commands = [
        ("request", "show", "2"),
        ("ledger", "--overdue", "--as-of", "2026-04-30"),
        ("request", "review", open_id, "--step", steps[0], "--by", "审核人甲", "--decision", "approve",
         "--on", "2026-03-05", "--outcome", "disclosed"),
        ("request", "appeal", "2", "--kind", "reconsideration", "--filed", "2026-04-20"),
        ("request", "review", "999", "--step", steps[0], "--by", "审核人甲", "--decision", "approve"),  # no such request
        ("request", "appeal", "2", "--kind", "复议", "--filed", "2026-02-30"),  # no such date
        ("request", "show", open_id, "--json"),
        ("--unknown-option",),
        ("ledger", "--as-of", "\udcff"),  # a byte that is no UTF-8: not sent, run in the client instead
    ]
    codes = []
    for args in commands:
        a = alone.run(*args, cwd=here)
        b = through.run(*args, cwd=preloaded)
        assert (b.returncode, _timeless(b.stdout), b.stderr) == (a.returncode, _timeless(a.stdout), a.stderr), args
        assert "Traceback" not in b.stderr
        codes.append(b.returncode)
    assert codes[:4] == [0, 0, 0, 0] and 0 not in codes[4:6] + codes[7:]
    assert _rows(preloaded) == _rows(here)
    assert through.status()["served"] == len(commands) - 1  # all but the last ran in the server's child


def test_the_database_file_alone_holds_a_preloaded_commands_records(unit, tmp_path, server):
    """The child closes the database as a process of its own does at exit: SQLite writes its WAL
    back, so gongkai.db alone (the file a clerk copies to move a unit) holds every record."""
    unit("changning")  # its gongkai.toml: this process opens no database, so each command's is the last to close
    alone, through = server(GONGKAI_PRELOAD="0"), server()
    through.start()
    for who, name in ((alone, "张三"), (through, "赵六")):
        made = who.run("request", "new", "--applicant", name, "--applicant-type", "natural_person", "--channel",
                       "in_person", "--submitted", "2026-03-02", "--subject", "预算", cwd=tmp_path)
        assert made.returncode == 0, made.stderr
    assert through.status()["served"] == 1
    assert not (tmp_path / "gongkai.db-wal").exists()
    copy = tmp_path / "copy.db"
    shutil.copy(tmp_path / "gongkai.db", copy)  # the file alone
    db = sqlite3.connect(copy)
    assert db.execute("SELECT applicant_name FROM disclosure_request ORDER BY id").fetchall() == [("张三",), ("赵六",)]
    db.close()


def test_standard_input_and_the_environment_reach_the_command(unit, gk, tmp_path, server):
    unit("xixian")
    gk.ok("user", "list")  # the database made
    through = server()
    through.start()
    made = through.run("user", "add", "zhang", "--role", "单位管理员", "--password-stdin", "--json", cwd=tmp_path,
                       input=PASSWORD + "\n")
    assert made.returncode == 0, made.stderr
    assert json.loads(made.stdout)["name"] == "zhang"
    empty = through.run("user", "add", "li", "--role", "律师", "--password-stdin", "--by", "zhang", cwd=tmp_path,
                        input="")
    assert empty.returncode != 0 and "标准输入中没有密码" in empty.stderr
    # the client's environment, not the server's: GONGKAI_USER names who acts (here, no account)
    env = {**through.env, "GONGKAI_USER": "王五"}
    new = through.run("request", "new", "--applicant", "赵六", "--applicant-type", "natural_person", "--channel",
                      "in_person", "--submitted", "2026-03-02", "--subject", "预算", cwd=tmp_path, env=env)
    assert new.returncode == 1 and "“王五”不是本单位的账户" in new.stderr
    assert through.status()["served"] == 3


def test_a_changed_module_makes_the_server_step_aside(unit, gk, tmp_path, server):
    unit("changning")
    new_request(gk)
    through = server()
    first = through.start()
    labels = Path(sys.modules["gongkai.core.labels"].__file__)
    stamp = labels.stat()
    try:
        os.utime(labels, ns=(stamp.st_atime_ns, stamp.st_mtime_ns + 1_000_000_000))  # as an edit would
        shown = through.run("request", "show", "1", cwd=tmp_path)
        assert shown.returncode == 0 and "张三" in shown.stdout  # run in the client instead
        # the stale server has gone; the client started a fresh one, which serves the next command
        fresh = _wait(lambda: (s := through.status()).get("running") and s["pid"] != first["pid"] and s,
                      "a fresh server")
        assert through.run("request", "show", "1", cwd=tmp_path).stdout == shown.stdout
        assert through.status()["served"] == fresh["served"] + 1
        _wait(lambda: not alive(first["pid"]), "the stale server to exit")
    finally:
        os.utime(labels, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))


def test_a_command_starts_a_server(unit, gk, tmp_path, server):
    unit("changning")
    new_request(gk)
    through = server()
    assert through.run("--help", cwd=tmp_path).returncode == 0  # asking for help starts none
    time.sleep(1)  # what a started server would need to take its lock
    assert not through.status()["running"] and not _locked(through.folder)
    assert through.run("request", "show", "1", cwd=tmp_path).returncode == 0  # in its own process
    _wait(lambda: through.status()["running"], "the server started by the command")
    assert through.run("request", "show", "1", cwd=tmp_path).returncode == 0
    assert through.status()["served"] == 1


def test_the_server_exits_after_its_idle_time(unit, gk, tmp_path, server):
    unit("changning")
    new_request(gk)
    through = server(GONGKAI_PRELOAD_IDLE="5")
    through.start()
    assert through.run("request", "show", "1", cwd=tmp_path).returncode == 0
    _wait(lambda: not through.status()["running"], "the server to exit after its idle time")
    assert not list(Path(through.folder).glob("*.sock"))


def test_a_server_whose_socket_is_removed_exits(tmp_path, server):
    through = server()
    pid = through.start()["pid"]
    for path in Path(through.folder).glob("*.sock"):
        path.unlink()  # as when a temporary folder is deleted
    _wait(lambda: not alive(pid), "the unreachable server to exit")


def test_preload_0_starts_nothing(unit, gk, tmp_path, server):
    unit("changning")
    new_request(gk)
    alone = server(GONGKAI_PRELOAD="0")
    assert alone.run("request", "show", "1", cwd=tmp_path).returncode == 0
    assert "预载已关闭" in alone.run("preload", "status", cwd=tmp_path).stdout
    refused = alone.run("preload", "start", cwd=tmp_path)
    assert refused.returncode != 0 and "GONGKAI_PRELOAD=0" in refused.stderr
    time.sleep(1)  # what a started server would need to bind its socket (none may appear)
    assert not list(Path(alone.folder).glob("*.sock"))


def _reading_a_pipe(pid: int) -> bool:
    try:
        return "pipe" in Path(f"/proc/{pid}/wchan").read_text()
    except OSError:
        return False


def _interrupted(preloader: Preloader, cwd: Path, command_pid) -> tuple[int, str]:
    """Ctrl-C (SIGINT to the `gongkai` process) while `user add` waits for the password."""
    client = subprocess.Popen([GONGKAI, "user", "add", "zhang", "--role", "单位管理员", "--password-stdin"], cwd=cwd,
                              env=preloader.env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)
    try:
        _wait(lambda: any(_reading_a_pipe(pid) for pid in command_pid(client)), "the command to read its input")
        client.send_signal(signal.SIGINT)
        client.wait(timeout=60)  # standard input still open: only the signal can end the command
        return client.returncode, client.stderr.read()
    finally:
        if client.poll() is None:
            client.kill()


def test_ctrl_c_reaches_the_command_in_the_servers_child(unit, gk, tmp_path, server):
    unit("xixian")
    gk.ok("user", "list")
    through = server()
    through.start()
    passed_on = _interrupted(through, tmp_path, lambda client: through.status()["children"])
    here = _interrupted(server(GONGKAI_PRELOAD="0"), tmp_path, lambda client: [client.pid])
    assert passed_on == here and here[0] != 0 and "已中止" in here[1]  # click's answer to Ctrl-C at a prompt
    assert "尚无账户" in gk.ok("user", "list").stdout


def test_a_command_killed_in_the_servers_child_is_reported(unit, gk, tmp_path, server):
    unit("xixian")
    gk.ok("user", "list")
    through = server()
    through.start()
    client = subprocess.Popen([GONGKAI, "user", "add", "zhang", "--role", "单位管理员", "--password-stdin"], cwd=tmp_path,
                              env=through.env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)
    try:
        child = _wait(lambda: through.status()["children"], "the command to run in the server's child")[0]
        os.kill(child, signal.SIGKILL)  # as the out-of-memory killer would
        client.wait(timeout=60)
        err = client.stderr.read()
    finally:
        if client.poll() is None:
            client.kill()
    assert client.returncode == 1 and "预载进程中的命令意外中止" in err and "GONGKAI_PRELOAD=0" in err


def test_status_and_stop(tmp_path, server):
    through = server()
    assert "未运行" in through.run("preload", "status", cwd=tmp_path).stdout
    started = through.start()
    assert started["running"] and started["served"] == 0 and started["rss_kib"] > 0
    text = through.run("preload", "status", cwd=tmp_path).stdout
    assert f"进程号 {started['pid']}" in text and "15 分钟" in text
    stopped = through.run("preload", "stop", cwd=tmp_path)
    assert f"已停止预载进程（进程号 {started['pid']}）" in stopped.stdout
    assert not through.status()["running"]
    assert "未在运行" in through.run("preload", "stop", cwd=tmp_path).stdout


# Issue 33 item 3: a preloader that cannot be hijacked, whose commands end with their client,
# and that notices an edit which keeps a file's modification time.

_FAKE_SERVER = r"""
import json, os, socket, struct, sys
sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
sock.bind(sys.argv[1])
os.chmod(sys.argv[1], 0o777)
os.setgid(65534)
os.setuid(65534)  # listening as another user: what SO_PEERCRED reports to the client
sock.listen(8)
print("ready", flush=True)
conn, _ = sock.accept()
conn.settimeout(20)
got = 0
try:
    while chunk := conn.recv(1 << 16):
        got += len(chunk)
        for m in ({"pid": os.getpid()}, {"exit": 0}):  # a forged success, as the probe's server sent
            data = json.dumps(m).encode()
            conn.sendall(struct.pack(">I", len(data)) + data)
except OSError:
    pass
print(got, flush=True)
"""


@pytest.mark.skipif(os.getuid() != 0, reason="listening as another user needs root")
def test_a_server_of_another_user_is_never_sent_a_command(unit, gk, tmp_path, server):
    unit("changning")
    new_request(gk)
    through = server()
    through.start()
    [sock_path] = [str(p) for p in Path(through.folder).glob("*.sock")]  # where the client will connect
    through.stop()
    _wait(lambda: not Path(sock_path).exists(), "our server to leave")
    fake = subprocess.Popen([sys.executable, "-c", _FAKE_SERVER, sock_path], stdout=subprocess.PIPE, text=True)
    try:
        assert fake.stdout.readline().strip() == "ready"
        shown = through.run("request", "show", "1", cwd=tmp_path)
        assert shown.returncode == 0 and "张三" in shown.stdout  # run in the client itself
        assert "其他用户（uid 65534）" in shown.stderr and "冒充" in shown.stderr
        assert fake.stdout.readline().strip() == "0"  # it received nothing: no environment, no terminal
        assert fake.wait(timeout=30) == 0
    finally:
        if fake.poll() is None:
            fake.kill()
    assert Path(sock_path).exists()  # and no server of ours was started over it


def test_a_command_ends_when_its_client_is_killed(unit, gk, tmp_path, server):
    unit("xixian")
    gk.ok("user", "list")
    through = server()
    through.start()
    client = subprocess.Popen([GONGKAI, "user", "add", "zhang", "--role", "单位管理员", "--password-stdin"], cwd=tmp_path,
                              env=through.env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        child = _wait(lambda: through.status()["children"], "the command to run in the server's child")[0]
        _wait(lambda: _reading_a_pipe(child), "the command to read its input")
        client.kill()  # SIGKILL: the client cannot pass anything on
        client.wait(timeout=30)
        _wait(lambda: not alive(child), "the command to end with its client", limit=20)
    finally:
        client.stdin.close()
        if client.poll() is None:
            client.kill()
    assert "尚无账户" in gk.ok("user", "list").stdout


def test_an_edit_that_keeps_the_modification_time_makes_the_server_step_aside(unit, gk, tmp_path, server):
    unit("changning")
    new_request(gk)
    through = server()
    first = through.start()
    labels = Path(sys.modules["gongkai.core.labels"].__file__)
    stamp = labels.stat()
    os.utime(labels, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))  # written, its mtime set back: only ctime moves
    assert labels.stat().st_mtime_ns == stamp.st_mtime_ns
    shown = through.run("request", "show", "1", cwd=tmp_path)
    assert shown.returncode == 0 and "张三" in shown.stdout
    _wait(lambda: not alive(first["pid"]), "the stale server to exit")
