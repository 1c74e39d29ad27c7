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
from benchmarks.startup import best, gongkai_command

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
        python = best([sys.executable, "-c", "pass"], env, str(tmp), repeat)
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
        for name, code in FLOORS.items():
            took = best([sys.executable, "-c", code], env, str(tmp), repeat)
            figures.append(Figure(f"floor: {name}", fmt_seconds(took), f"python -c pass {fmt_seconds(python)}",
                                  f"{took / python:.1f}×", f"no target: `python -c \"{code}\"`, best of {repeat}"))
        for name, args in commands.items():
            took = min(_timed(gongkai + args(i), env, str(tmp)) for i in range(repeat))
            target = TARGETS["--help" if name == "gongkai --help" else "command"]
            ratio = took / python
            figures.append(Figure(
                f"cold: {name}", fmt_seconds(took), f"python -c pass {fmt_seconds(python)}", f"{ratio:.1f}×",
                f"target at most {target}× ({'met' if ratio <= target else 'MISSED'}); fresh process, best of {repeat}"
                + ("" if name == "gongkai --help" else f"; {n:,} requests in SQLite, at the newest schema and calendar")))
    return figures


def _timed(argv: list[str], env: dict[str, str], cwd: str) -> float:
    import time

    start = time.perf_counter()
    subprocess.run(argv, env=env, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start
