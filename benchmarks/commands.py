"""Everyday commands, cold, on a unit with 100,000 requests, as a ratio to ``python -c pass``.

Each command is a fresh process (the interpreter, the imports, the schema and calendar checks
and the query all counted), best of ``repeat``. The database is already at the newest schema
and calendar, as on any day but the first after an upgrade. Compiled bytecode is allowed to be
written (an installed package has it; ``PYTHONDONTWRITEBYTECODE`` would time Python compiling
gongkai's sources on every call instead).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

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
    from gongkai.core.calendar import load_calendar

    gongkai = gongkai_command()
    with synthetic.workdir() as tmp:
        engine = synthetic.engine_at(tmp / "gongkai.db")
        synthetic.requests_database(engine, n, load_calendar(), TODAY)
        engine.dispose()
        (tmp / "gongkai.toml").write_text('jurisdiction = "changning"\nunit = "基准测试单位"\n'
                                          'database_url = "sqlite:///gongkai.db"\n', encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if not k.startswith("GONGKAI_") and k != "PYTHONDONTWRITEBYTECODE"}
        env["GONGKAI_CACHE_DIR"] = str(tmp / "cache")
        env["GONGKAI_PRELOAD"] = "0"  # each command in its own process, no resident preloader

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
                                         "--decision", "approve"],
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
        for name, args in commands.items():
            runs = [_timed(gongkai + args(i), env, str(tmp)) for i in range(repeat)]
            took, took_cpu = min(r[0] for r in runs), min(r[1] for r in runs)
            target = TARGETS["--help" if name == "gongkai --help" else "command"]
            ratio = took / python
            figures.append(Figure(
                f"cold: {name}", fmt_seconds(took), f"python -c pass {fmt_seconds(python)}", f"{ratio:.1f}×",
                f"target at most {target}× ({'met' if ratio <= target else 'MISSED'}); fresh process, best of {repeat}"
                + ("" if name == "gongkai --help" else f"; {n:,} requests in SQLite, at the newest schema and calendar")
                + f"; CPU {fmt_seconds(took_cpu)} ({took_cpu / python_cpu:.1f}× the {cpu})"))
    return figures


def _best(argv: list[str], env: dict[str, str], cwd: str, repeat: int) -> tuple[float, float]:
    """The best wall time and the best CPU time of ``repeat`` runs."""
    runs = [_timed(argv, env, cwd) for _ in range(repeat)]
    return min(r[0] for r in runs), min(r[1] for r in runs)


def _timed(argv: list[str], env: dict[str, str], cwd: str) -> tuple[float, float]:
    """Wall time and CPU time (user + system, from the kernel's account of the finished child) of
    one run. The CPU time is what the process itself needed: on a shared VM the wall time also
    counts the waits for a core, and those swell the ratios or compress them."""
    import resource
    import time

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, env=env, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
    took = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return took, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
