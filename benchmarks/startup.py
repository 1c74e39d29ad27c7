"""Cold start: ``gongkai --help`` and one ``gongkai deadline …`` against ``python -c pass``.

Each run is a fresh process (subprocess, best of ``repeat``), so the interpreter, the
imports and the calendar load are all counted. "Cache warm" means the compiled calendar
is already on disk (the state after a unit's first command); the cold-cache figure
compiles it from ``holidays``, as the very first command after installing does.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time

from benchmarks.common import Figure, fmt_seconds

REPEAT = 10
DEADLINE = ["--jurisdiction", "changning", "deadline", "request.reply", "--start", "2026-09-24"]
TARGETS = {"--help": 5, "deadline": 8}  # at most this many times `python -c pass`


def gongkai_command() -> list[str]:
    """The ``gongkai`` script installed beside this interpreter (the venv's)."""
    script = shutil.which("gongkai", path=os.path.dirname(sys.executable))
    if script is None:
        raise SystemExit(f"no gongkai script beside {sys.executable}: pip install -e . first")
    return [script]


def fresh_process(argv: list[str], env: dict[str, str], cwd: str) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env=env, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def best(argv: list[str], env: dict[str, str], cwd: str, repeat: int) -> float:
    return min(fresh_process(argv, env, cwd) for _ in range(repeat))


def run(repeat: int = REPEAT) -> list[Figure]:
    gongkai = gongkai_command()
    with tempfile.TemporaryDirectory(prefix="gongkai-bench-") as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith("GONGKAI_")}
        env["GONGKAI_CACHE_DIR"] = os.path.join(tmp, "cache")
        env["GONGKAI_PRELOAD"] = "0"  # each command in its own process, no resident preloader
        fresh_process([*gongkai, *DEADLINE], env, tmp)  # warms the calendar cache
        python = best([sys.executable, "-c", "pass"], env, tmp, repeat)
        help_ = best([*gongkai, "--help"], env, tmp, repeat)
        deadline = best([*gongkai, *DEADLINE], env, tmp, repeat)
        cold = []
        for n in range(max(1, repeat // 3)):
            env["GONGKAI_CACHE_DIR"] = os.path.join(tmp, f"cold{n}")  # an empty cache each time
            cold.append(fresh_process([*gongkai, *DEADLINE], env, tmp))
    baseline = f"python -c pass {fmt_seconds(python)}"
    return [
        Figure("cold start: gongkai --help", fmt_seconds(help_), baseline, f"{help_ / python:.1f}×",
               f"target at most {TARGETS['--help']}× ({'met' if help_ / python <= TARGETS['--help'] else 'MISSED'}); "
               f"fresh process, best of {repeat}"),
        Figure("cold start: gongkai deadline (calendar cache warm)", fmt_seconds(deadline), baseline,
               f"{deadline / python:.1f}×",
               f"target at most {TARGETS['deadline']}× ({'met' if deadline / python <= TARGETS['deadline'] else 'MISSED'}); "
               f"`gongkai {' '.join(DEADLINE)}`, best of {repeat}"),
        Figure("cold start: gongkai deadline (calendar cache cold)", fmt_seconds(min(cold)), baseline,
               f"{min(cold) / python:.1f}×", "no target: compiles the calendar from `holidays` once, then caches it"),
    ]
