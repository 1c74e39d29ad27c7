"""Everyday commands on a unit with 100,000 requests, as a ratio to ``python -c pass``.

Each command is a fresh ``gongkai`` process, best of ``repeat``, measured twice:

- **no preloader**: none running, as for the first command after boot or 15 idle minutes. The
  command runs in its own process (the interpreter, the imports, the schema and calendar
  checks and the query all counted) and starts the preloader in the background, which is
  stopped again before the next run;
- **preloaded**: the preloader running; the process hands the command to a forked child of
  it. The CPU time is the client's plus the child's (the server's account of its reaped
  children), so the work moved to the server is counted.

The database is already at the newest schema and calendar, as on any day but the first after
an upgrade. Compiled bytecode is allowed to be written (an installed package has it;
``PYTHONDONTWRITEBYTECODE`` would time Python compiling gongkai's sources on every call).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

from benchmarks import synthetic
from benchmarks.common import Figure, fmt_seconds
from benchmarks.startup import gongkai_command

N = 100_000
REPEAT = 5
TARGETS = {"--help": 3, "command": 10}  # at most this many times `python -c pass`
FLOORS = {  # what any command on the database imports before it does anything of its own
    "import sqlalchemy.orm": "import sqlalchemy.orm",
    "import sqlmodel + the models": "import sqlmodel, gongkai.core.requests.models",
}
TODAY = dt.date(2026, 9, 24)  # the synthetic ledger's day: overdue and open as of it
FILED = "2026-10-30"  # after every synthetic reply (received up to 2026-09-24, answered within 24 days)


def run(n: int = N, repeat: int = REPEAT) -> list[Figure]:
    from gongkai.core.time.calendar import load_calendar

    gongkai = gongkai_command()
    with synthetic.workdir() as tmp:
        engine = synthetic.engine_at(tmp / "gongkai.db")
        synthetic.requests_database(engine, n, load_calendar(), TODAY)
        engine.dispose()
        (tmp / "gongkai.toml").write_text('jurisdiction = "changning"\nunit = "基准测试单位"\n'
                                          'database_url = "sqlite:///gongkai.db"\n', encoding="utf-8")
        preloading = {k: v for k, v in os.environ.items()
                      if not k.startswith("GONGKAI_") and k != "PYTHONDONTWRITEBYTECODE"}
        preloading["GONGKAI_CACHE_DIR"] = str(tmp / "cache")
        preloading["GONGKAI_PRELOAD_DIR"] = sockets = tempfile.mkdtemp(prefix="gk-bench-")  # a short socket path
        env = {**preloading, "GONGKAI_PRELOAD": "0"}  # the set-up: each command in its own process

        def gk(*args: str) -> str:
            return subprocess.run([*gongkai, *args], env=env, cwd=tmp, check=True, capture_output=True,
                                  text=True).stdout

        as_of = ["--as-of", TODAY.isoformat()]
        gk("ledger", "--overdue")  # the calendar's fingerprint stored, bytecode written: a unit's second day
        overdue = json.loads(gk("ledger", "--overdue", *as_of, "--json"))
        open_ids = [r["id"] for r in overdue]
        closed_ids = [i for i in range(1, n + 1, 97) if i not in set(open_ids)]
        step = next(s["id"] for s in json.loads(gk("request", "show", str(open_ids[0]), "--json"))["review_steps"]
                    if s["stage"] == "before")
        python, python_cpu = _best([sys.executable, "-c", "pass"], env, str(tmp), repeat)
        commands = {
            "gongkai --help": lambda i: ["--help"],
            f"request show (of {n:,})": lambda i: ["request", "show", str(closed_ids[-1 - i])],
            "request appeal": lambda i: ["request", "appeal", str(closed_ids[i]), "--kind", "reconsideration",
                                         "--filed", FILED],
            "request review": lambda i: ["request", "review", str(open_ids[i]), "--step", step, "--by", "审核人",
                                         "--decision", "approve", "--outcome", "disclosed"],
            f"ledger --overdue ({len(overdue)} listed)": lambda i: ["ledger", "--overdue", *as_of],
        }
        figures = []
        # the floor under every command that reads the database: the interpreter importing the
        # ORM and defining gongkai's models, nothing else (no command, no database)
        cpu = f"CPU {fmt_seconds(python_cpu)} for python -c pass"
        for name, code in FLOORS.items():
            took, took_cpu = _best([sys.executable, "-c", code], env, str(tmp), repeat)
            figures.append(Figure(f"floor: {name}", fmt_seconds(took), f"python -c pass {fmt_seconds(python)}",
                                  f"{took / python:.1f}×", f"no target: `python -c \"{code}\"`, best of {repeat}; "
                                  f"CPU {fmt_seconds(took_cpu)} ({took_cpu / python_cpu:.1f}× the {cpu})"))
        try:
            for name, args in commands.items():
                cold, warm = _both(gongkai, args, preloading, str(tmp), repeat)
                target = TARGETS["--help" if name == "gongkai --help" else "command"]
                on_db = "" if name == "gongkai --help" else f"; {n:,} requests in SQLite, at the newest schema and calendar"
                for mode, (took, took_cpu) in (("no preloader", cold), ("preloaded", warm)):
                    ratio = took / python
                    judged = (f"target at most {target}× ({'met' if ratio <= target else 'MISSED'})"
                              if mode == "preloaded" or name == "gongkai --help" else
                              f"the {target}× target is judged with the preloader running")
                    how = ("handed to the running preloader's forked child; CPU = the client's + the child's"
                           if mode == "preloaded" else "its own process (--help alone starts no preloader)"
                           if name == "gongkai --help" else "its own process, which starts the preloader in the background")
                    figures.append(Figure(
                        f"{mode}: {name}", fmt_seconds(took), f"python -c pass {fmt_seconds(python)}", f"{ratio:.1f}×",
                        f"{judged}; {how}; fresh `gongkai` process, best of {repeat}{on_db}"
                        f"; CPU {fmt_seconds(took_cpu)} ({took_cpu / python_cpu:.1f}× the {cpu})"))
            server = _preload(gongkai, preloading, str(tmp), "start")
            figures.append(Figure("preloader: resident memory", f"{server['rss_kib'] / 1024:.0f} MiB", "—", "—",
                                  f"VmRSS of the server after serving {server['served']} commands ({server['modules']} "
                                  f"modules loaded); it exits after {server['idle_timeout'] / 60:g} minutes without one"))
        finally:
            _preload(gongkai, preloading, str(tmp), "stop")
            shutil.rmtree(sockets, ignore_errors=True)
    return figures


def _both(gongkai: list[str], args, env: dict[str, str], cwd: str,
          repeat: int) -> tuple[tuple[float, float], tuple[float, float]]:
    """(wall, CPU) best of ``repeat``: with no preloader running, then with one running."""
    cold, warm = [], []
    for i in range(repeat):
        _preload(gongkai, env, cwd, "stop")
        cold.append(_timed(gongkai + args(i), env, cwd))
        _preload(gongkai, env, cwd, "start")  # waits for the one the command started: no import overlaps a run
    for i in range(repeat, 2 * repeat):
        before = _children_cpu(gongkai, env, cwd)
        took, client_cpu = _timed(gongkai + args(i), env, cwd)
        warm.append((took, client_cpu + _children_cpu(gongkai, env, cwd) - before))
    return (min(r[0] for r in cold), min(r[1] for r in cold)), (min(r[0] for r in warm), min(r[1] for r in warm))


def _preload(gongkai: list[str], env: dict[str, str], cwd: str, action: str) -> dict:
    out = subprocess.run([*gongkai, "preload", action, "--json"], env=env, cwd=cwd, check=True, capture_output=True,
                         text=True).stdout
    return json.loads(out)


def _children_cpu(gongkai: list[str], env: dict[str, str], cwd: str) -> float:
    """The CPU time of the server's finished children, once none is running."""
    for _ in range(200):
        status = _preload(gongkai, env, cwd, "status")
        if not status["active"]:
            return status["children_cpu"]
        time.sleep(0.01)
    raise RuntimeError("a preloaded command did not finish")


def _best(argv: list[str], env: dict[str, str], cwd: str, repeat: int) -> tuple[float, float]:
    """The best wall time and the best CPU time of ``repeat`` runs."""
    runs = [_timed(argv, env, cwd) for _ in range(repeat)]
    return min(r[0] for r in runs), min(r[1] for r in runs)


def _timed(argv: list[str], env: dict[str, str], cwd: str, quiet: bool = False) -> tuple[float, float]:
    """Wall time and CPU time (user + system, from the kernel's account of the finished child) of
    one run. The CPU time is what the process itself needed: on a shared VM the wall time also
    counts the waits for a core, and those swell the ratios or compress them."""
    import resource
    import time

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, env=env, cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL if quiet else None)  # quiet: e.g. ledger's note of rows left out
    took = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return took, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
