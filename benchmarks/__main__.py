"""Run every benchmark figure: ``python -m benchmarks [NAME ...]``."""

from __future__ import annotations

import importlib
import os
import platform
import sqlite3
import sys
import time

from benchmarks.common import print_table

FIGURES = ["deadline", "recompute", "queries", "report", "startup", "importer", "search", "appeals", "documents", "evidence",
           "commands", "web", "unit_import", "district", "public", "applicants"]


def main(argv: list[str]) -> None:
    chosen = argv or FIGURES
    unknown = sorted(set(chosen) - set(FIGURES))
    if unknown:
        sys.exit(f"unknown benchmark(s): {', '.join(unknown)}; choose from {', '.join(FIGURES)}")
    print(f"gongkai benchmarks — {time.strftime('%Y-%m-%d %H:%M')}, Python {platform.python_version()}, "
          f"SQLite {sqlite3.sqlite_version}, {platform.machine()}, {os.cpu_count()} CPUs")
    figures = []
    for name in chosen:
        figures += importlib.import_module(f"benchmarks.{name}").run()
    print_table(figures)


if __name__ == "__main__":
    main(sys.argv[1:])
