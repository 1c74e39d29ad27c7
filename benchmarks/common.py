"""Timing helpers and the result table shared by the benchmark figures."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import NamedTuple


class Figure(NamedTuple):
    figure: str
    gongkai: str
    baseline: str
    ratio: str
    note: str = ""


def best_of(fn: Callable[[], object], repeat: int = 5) -> float:
    """The fastest of ``repeat`` runs, in seconds (the least disturbed by other load)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def fmt_seconds(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:.2f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"


def print_table(figures: list[Figure]) -> None:
    headers = ("figure", "gongkai", "baseline", "ratio")
    rows = [headers] + [f[:4] for f in figures]
    widths = [max(len(str(r[i])) for r in rows) for i in range(4)]
    for n, row in enumerate(rows):
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))
    for f in figures:
        if f.note:
            print(f"- {f.figure}: {f.note}")


def _status_kib(field: str) -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


class PeakMemory:
    """Resident memory the block added at its peak (Linux: VmHWM reset through clear_refs)."""

    def __enter__(self) -> PeakMemory:
        try:
            with open("/proc/self/clear_refs", "w") as fh:
                fh.write("5")  # resets the high-water mark to the current RSS
            self.before = _status_kib("VmRSS")
        except OSError:
            self.before = -1
        return self

    def __exit__(self, *exc: object) -> None:
        self.mib = (_status_kib("VmHWM") - self.before) / 1024 if self.before >= 0 else float("nan")


def server_cpu(server) -> float:
    """CPU seconds (user + system) a PostgreSQL server (``postgres_server()``) has used so far: its
    postmaster, its live processes and those already ended (Linux's /proc; NaN elsewhere)."""
    import os

    try:
        master = (server.data / "postmaster.pid").read_text().split()[0]
        total = 0
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    fields = fh.read().rsplit(")", 1)[1].split()
            except OSError:
                continue  # ended meanwhile
            if entry == master:  # its own time and its ended children's
                total += sum(int(f) for f in fields[11:15])
            elif fields[1] == master:
                total += int(fields[11]) + int(fields[12])
        return total / os.sysconf("SC_CLK_TCK")
    except OSError:
        return float("nan")


def verdict(met: bool, full_size: bool) -> str:
    if not full_size:
        return "not judged: smaller than the target's size"
    return "met" if met else "MISSED"


def postgres_server():
    """A throwaway PostgreSQL server (tests/pg_support.py), started; None without the binaries.
    The caller stops it (``server.stop()``); ``server.new_database()`` gives a fresh schema's URL."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    try:
        from pg_support import PostgresServer, find_bindir
    finally:
        sys.path.pop(0)
    bindir = find_bindir()
    if bindir is None:
        return None
    server = PostgresServer(bindir)
    server.start()
    return server
