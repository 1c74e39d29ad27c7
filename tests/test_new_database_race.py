"""No traceback under load (issue 20 item 10): thirty processes that open one new database at
the same moment all succeed; none meets the ``UNIQUE setting.key`` race (each process stores
the calendar's fingerprint in ``setting`` the first time it reads)."""

from __future__ import annotations

import multiprocessing
import os

PROCESSES = 30


def act(workdir: str, url: str, barrier, results) -> None:
    os.chdir(workdir)
    os.environ["GONGKAI_DATABASE_URL"] = url
    from click.testing import CliRunner

    from gongkai.core.cli import cli

    barrier.wait(timeout=120)
    result = CliRunner().invoke(cli, ["ledger", "--json"])
    results.put((result.exit_code, result.stderr + repr(result.exception)))


def test_thirty_processes_on_a_new_database(backend, unit, tmp_path):
    unit("changning")
    ctx = multiprocessing.get_context("fork")  # the parent has imported gongkai: cheap children
    barrier, results = ctx.Barrier(PROCESSES), ctx.Queue()
    procs = [ctx.Process(target=act, args=(str(tmp_path), backend.url, barrier, results)) for _ in range(PROCESSES)]
    for p in procs:
        p.start()
    outcomes = [results.get(timeout=300) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    failed = [text for code, text in outcomes if code != 0]
    assert failed == [], failed[0]
