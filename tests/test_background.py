"""core.units.background: a generator run in a forked process, its items and its errors back in order."""

from __future__ import annotations

import os
import threading
import time

import pytest

from gongkai.core.units.background import available, background
from gongkai.core.errors import GongkaiError

pytestmark = pytest.mark.skipif(not available(), reason="runs in a child process only where fork is safe (Linux)")


def numbered(count: int, fail_at: int | None = None):
    for i in range(count):
        if i == fail_at:
            raise GongkaiError(f"第 {i} 项无法读取")
        yield i, os.getpid(), "数据" * 1000  # a few KiB each: many items fill the pipe


def test_items_arrive_in_order_from_another_process():
    with background(numbered, 2000) as items:
        got = list(items)
    assert [i for i, _, _ in got] == list(range(2000))
    assert {pid for _, pid, _ in got} != {os.getpid()} and len({pid for _, pid, _ in got}) == 1


def test_in_this_process_when_asked():
    with background(numbered, 3, process=False) as items:
        assert [(i, pid) for i, pid, _ in items] == [(0, os.getpid()), (1, os.getpid()), (2, os.getpid())]


def test_the_generators_error_comes_after_the_items_before_it():
    got = []
    with pytest.raises(GongkaiError, match="第 5 项无法读取"), background(numbered, 10, 5) as items:
        for i, _, _ in items:
            got.append(i)
    assert got == [0, 1, 2, 3, 4]


def not_picklable():
    yield 1
    raise ValueError(lambda: None)  # its argument cannot cross the pipe


def test_an_error_that_cannot_be_sent_arrives_as_its_traceback():
    with pytest.raises(RuntimeError, match="ValueError"), background(not_picklable) as items:
        assert next(items) == 1
        next(items)


def dies():
    yield 1
    os._exit(3)


def test_a_child_that_dies_is_a_clear_error():
    with pytest.raises(GongkaiError, match="退出码 3"), background(dies) as items:
        assert list(items) == [1]


def endless():
    i = 0
    while True:
        yield i, os.getpid()
        i += 1


def test_leaving_early_stops_the_child():
    with background(endless) as items:
        _, pid = next(items)
    time.sleep(0.1)
    with pytest.raises(ProcessLookupError):  # reaped: not running, not a zombie
        os.kill(pid, 0)


def test_a_process_with_threads_does_not_fork():
    stop = threading.Event()
    worker = threading.Thread(target=stop.wait)
    worker.start()
    try:
        assert not available()
        with background(numbered, 2) as items:
            assert {pid for _, pid, _ in items} == {os.getpid()}
    finally:
        stop.set()
        worker.join()
    assert available()


def test_a_child_whose_caller_is_killed_ends(tmp_path):
    """The caller dies with SIGKILL (no cleanup runs): the child must not wait forever on the pipe."""
    import signal
    import subprocess
    import sys

    script = (
        "import os, sys\n"
        "from gongkai.core.units.background import background\n"
        "def endless():\n"
        "    while True:\n"
        "        yield os.getpid(), b'x' * 100_000\n"
        "with background(endless) as items:\n"
        "    print(next(items)[0], flush=True)\n"
        "    os.kill(os.getpid(), 9)\n"
    )
    caller = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=30)
    assert caller.returncode == -signal.SIGKILL
    child = int(caller.stdout)  # it printed its pid, and the pipe of stdout is closed: it has ended
    deadline = time.monotonic() + 10
    while running(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not running(child), "the orphaned child is still running"


def running(pid: int) -> bool:
    """Alive and not a zombie (an orphan's zombie waits for whoever reaps orphans here)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
