"""Shared fixtures: an isolated working directory, a unit's gongkai.toml, and the CLI."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest
from click.testing import CliRunner

from gongkai.core.cli import cli

# Commands in their own process, and no resident preloader started by the suite's subprocesses
# (tests/test_preload.py starts its own, each in a temporary socket folder).
os.environ["GONGKAI_PRELOAD"] = "0"

ENV_VARS = ("GONGKAI_CONFIG", "GONGKAI_JURISDICTION", "GONGKAI_DATABASE_URL", "GONGKAI_UNIT")

# The suite runs in parallel (pyproject addopts: pytest-xdist, -n auto --dist loadfile: each
# file in one worker). Files are handed out in collection order, so the slowest start first
# and no worker is left alone with a long file at the end. A new file that takes more than
# a minute belongs here (test_packaging is left out: it waits for test_plugin_e2e's wheel).
HEAVY = {  # seconds each took in a parallel run of the whole suite (2 workers, loaded VM)
    "test_appeal_answer.py": 580, "test_safe_write.py": 322, "test_benchmarks_smoke.py": 281,
    "test_fuzz_commands.py": 268, "test_every_column_under_log.py": 259, "test_plugin_e2e.py": 204,
    "test_backup.py": 193, "test_accounts_signers.py": 185, "test_preload.py": 178,
    "test_records_against_log.py": 170, "test_readme_runs.py": 162, "test_web_public.py": 161,
    "test_public_pages.py": 153, "test_district_server.py": 151, "test_web_browser.py": 149,
    "test_bounds.py": 134, "test_units_import_db.py": 126, "test_paperwork_pdf.py": 125,
    "test_date_order.py": 114, "test_future_dates.py": 109, "test_public_pages_browser.py": 108,
    "test_web_case_work_browser.py": 100, "test_case_work.py": 96, "test_audit_chain.py": 96,
    "test_requests_life.py": 95, "test_hostile_input.py": 89, "test_accounts.py": 84,
    "test_cli_login.py": 73, "test_requests_lifecycle.py": 71, "test_units_numbering.py": 70,
    "test_requests_ledger.py": 68,
}


def pytest_xdist_auto_num_workers(config):
    """``-n auto``: one worker per CPU for the suite or several files, none (serial, no worker
    processes to start) for one file; ``PYTEST_XDIST_AUTO_NUM_WORKERS`` sets it."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return int(os.environ["PYTEST_XDIST_AUTO_NUM_WORKERS"])
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    named = {arg.split("::")[0] for arg in config.args}
    if named and all(name.endswith(".py") for name in named):
        return 0 if len(named) == 1 else min(cpus, len(named))
    return cpus if cpus > 1 else 0


def pytest_collection_modifyitems(config, items):
    items.sort(key=lambda item: -HEAVY.get(item.path.name, 0))  # stable: a file's order is kept


@pytest.fixture(scope="session")
def calendar_cache(tmp_path_factory) -> Path:
    """One compiled-calendar cache for the whole run (compiling `holidays` is slow)."""
    return tmp_path_factory.mktemp("calendar-cache")


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch, calendar_cache):
    """Every test runs in its own empty directory with no gongkai environment leaking in."""
    for var in ENV_VARS:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("GONGKAI_CACHE_DIR", str(calendar_cache))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write_config(folder: Path, jurisdiction: str, **extra: str) -> Path:
    """A unit's gongkai.toml with a SQLite database beside it."""
    lines = [
        f'jurisdiction = "{jurisdiction}"',
        'unit = "测试单位政府办公室"',
        'reconsideration_body = "测试区人民政府"',
        'database_url = "sqlite:///gongkai.db"',
    ]
    lines += [f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in extra.items()]
    path = folder / "gongkai.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def unit(tmp_path):
    """Make the working directory a unit of the given jurisdiction: ``unit("changning")``."""

    def make(jurisdiction: str, **extra: str) -> Path:
        return write_config(tmp_path, jurisdiction, **extra)

    return make


class Cli:
    """Runs ``gongkai`` in-process; ``ok`` asserts success, ``fails`` asserts a clean refusal."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None):
        return self.runner.invoke(cli, [str(a) for a in args], input=input, catch_exceptions=False)

    def ok(self, *args: str, input: str | None = None):
        result = self(*args, input=input)
        assert result.exit_code == 0, f"gongkai {' '.join(map(str, args))} failed:\n{result.output}\n{result.stderr}"
        return result

    def json(self, *args: str):
        return json.loads(self.ok(*args, "--json").stdout)

    def fails(self, *args: str, code: int | None = None):
        """The command is refused with a Chinese message on stderr and no traceback."""
        result = self(*args)
        assert result.exit_code != 0, f"expected gongkai {' '.join(map(str, args))} to fail:\n{result.output}"
        if code is not None:
            assert result.exit_code == code, result.stderr
        assert "Traceback" not in result.output + result.stderr
        assert result.stderr.strip(), "a refusal must say why on stderr"
        return result


@pytest.fixture
def gk() -> Cli:
    return Cli()


REPO = Path(__file__).resolve().parents[1]


def once_per_run(tmp_path_factory, name: str, make) -> Path:
    """The folder ``name`` made by ``make(folder)`` once per run, however many workers run it
    (pytest-xdist): the first worker to ask makes it under a lock, the others wait and share it."""
    import fcntl

    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the run's folder, above each worker's own
    folder = base / name
    with open(base / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / ".made").exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            make(folder)
            (folder / ".made").touch()
    return folder


@pytest.fixture(scope="session")
def wheel_venv(tmp_path_factory):
    """A fresh virtual environment (no system site-packages) with gongkai installed from a
    freshly built wheel. Built once per run, shared by all workers: the packaging and plugin
    end-to-end tests share it (the latter installs its plugins into it)."""

    def make(base: Path) -> None:
        source = base / "gongkai-src"  # a clean copy: building in the checkout would leave build/ behind
        shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(".git", ".venv", "build", "*.egg-info", "__pycache__", ".pytest_cache"))
        subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(base / "dist"), str(source)],
            check=True,
        )
        wheel = next((base / "dist").glob("gongkai-*.whl"))
        venv.create(base / "venv", with_pip=True)
        subprocess.run([str(base / "venv" / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check", str(wheel)], check=True)

    base = once_per_run(tmp_path_factory, "wheel", make)
    return base / "venv", next((base / "dist").glob("gongkai-*.whl"))


# PostgreSQL: the throwaway server, the `backend` fixture and `pytest --backend=postgresql`.
from pg_support import backend, pg_server, pytest_addoption, whole_suite_backend  # noqa: E402,F401
