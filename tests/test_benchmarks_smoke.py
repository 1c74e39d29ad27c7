"""Every benchmark runs end to end at a tiny size, so none rots between measurements.

The numbers are not checked here (speed targets belong in benchmarks/, see docs/performance.md).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/ sits beside the package

from benchmarks import __main__ as bench  # noqa: E402
from benchmarks.common import Figure  # noqa: E402

TINY = {
    "deadline": {"n": 20},
    "recompute": {"n": 300},
    "queries": {"n": 600},
    "report": {"n": 300},
    "startup": {"repeat": 1},
    "importer": {"n": 30},
    "search": {"n": 600, "repeat": 1},
    "appeals": {"n": 40, "sample": 2, "runs": 1},
    "documents": {"n": 40, "sample": 2, "runs": 1},
    "commands": {"n": 3000, "repeat": 1},
    "web": {"n": 300, "clients": 2, "per_client": 2, "seconds": 0},
    "unit_import": {"n": 30},
    "district": {"units": 4, "per_unit": 300},
    "public": {"n": 200, "clients": 2, "per_client": 2},
    "evidence": {},  # one request's bundle: its size is the request's
    "applicants": {"n": 300, "applicants": 3, "rounds": 1, "scan_bytes": 4096, "clients": 2, "per_client": 2},
}


def test_every_figure_is_smoke_tested():
    assert set(TINY) == set(bench.FIGURES)


@pytest.mark.parametrize("name", list(TINY))
def test_benchmark_runs_at_a_tiny_size(name):
    import importlib

    figures = importlib.import_module(f"benchmarks.{name}").run(**TINY[name])
    assert figures and all(isinstance(f, Figure) and f.gongkai for f in figures)
