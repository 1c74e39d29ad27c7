"""The layers of core (docs/architecture.md), checked with import-linter.

The contracts live in pyproject.toml; import-linter reads every import, those inside functions
included, so a lower layer reaching for a higher one fails here."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT = Path(sys.executable).with_name("lint-imports")


def lint(root: Path, **env: str) -> subprocess.CompletedProcess[str]:
    # --no-cache: nothing is written into the checkout
    return subprocess.run([str(LINT), "--no-cache", "--config", str(root / "pyproject.toml")],
                          capture_output=True, text=True, cwd=root, env={**os.environ, **env})


def test_the_layers_hold():
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


def test_an_import_up_a_layer_is_caught(tmp_path):
    # A copy of the package whose storage imports a request model inside a function.
    copy = tmp_path / "gongkai"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(".*", "__pycache__", "tests", "docs", "benchmarks"))
    storage = copy / "core" / "records" / "storage.py"
    storage.write_text(storage.read_text(encoding="utf-8")
                       + "\n\ndef _upwards():\n    from gongkai.core.requests.models import Request\n",
                       encoding="utf-8")
    result = lint(copy, PYTHONPATH=str(tmp_path))  # found before the installed package
    assert result.returncode != 0
    assert "gongkai.core.records is not allowed to import gongkai.core.requests" in result.stdout
