"""Interrupts (issue 33 item 5): every import stops between batches for Ctrl-C (SIGINT) and
SIGTERM alike, says in Chinese exactly what it stored, and leaves whole batches only."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from test_durability import MAPPING, count, write_ledger

from gongkai.core.records.storage import make_engine
from gongkai.core.requests import appeal_importer, importer

APPEALS = 8 * appeal_importer.BATCH


def started(folder, engine, table: str, batch: int, *args: str) -> subprocess.Popen:
    """``gongkai ARGS`` in a new process, returned once its first batch is committed."""
    proc = subprocess.Popen([sys.executable, "-c", "from gongkai.core.cli import main; main()", *args],
                            cwd=folder, env=os.environ.copy(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    deadline = time.monotonic() + 120
    while count(engine, f"SELECT count(*) FROM {table}") < batch:
        assert proc.poll() is None, "the import ended before it could be stopped"
        assert time.monotonic() < deadline
        time.sleep(0.01)
    return proc


def stopped(proc: subprocess.Popen, signum: int) -> tuple[str, str]:
    try:
        proc.send_signal(signum)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 1 and out == "" and "Traceback" not in err, (proc.returncode, err)
    return out, err


@pytest.fixture
def engine(unit, gk, tmp_path):
    unit("changning")
    gk.ok("db", "upgrade")
    made = make_engine(os.environ.get("GONGKAI_DATABASE_URL") or f"sqlite:///{tmp_path / 'gongkai.db'}")
    yield made
    made.dispose()


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_appeal_import_stops_between_batches(engine, gk, tmp_path, signum):
    requests = tmp_path / "requests.csv"
    lines = ["申请人,类型,渠道,日期,内容,编号"] + [f"申请人{i},natural_person,in_person,2026-03-02,第{i}项,R{i}"
                                              for i in range(APPEALS)]
    requests.write_text("\n".join(lines) + "\n", encoding="utf-8")
    gk.ok("request", "import", str(requests), "--map", "申请人=applicant,类型=applicant_type,渠道=channel,"
          "日期=submitted,内容=subject,编号=ref")
    appeals = tmp_path / "appeals.csv"
    appeals.write_text("本单位编号,救济类型,提起日期\n" + "".join(f"R{i},复议,2026-04-01\n" for i in range(APPEALS)),
                       encoding="utf-8")
    proc = started(tmp_path, engine, "request_appeal", appeal_importer.BATCH, "appeal", "import", str(appeals))
    _, err = stopped(proc, signum)
    stored = count(engine, "SELECT count(*) FROM request_appeal")
    assert appeal_importer.BATCH <= stored < APPEALS and stored % appeal_importer.BATCH == 0
    assert f"导入已中断：已保存复议、诉讼 {stored:,} 件，文件第 2 至 {stored + 1} 行已处理完毕" in err, err
    assert count(engine, "SELECT count(*) FROM event WHERE action = 'appeal'") == stored
    assert gk.json("audit", "verify")["ok"]


def test_request_import_stops_between_batches_on_sigterm(engine, gk, tmp_path):
    ledger = tmp_path / "old.csv"
    write_ledger(ledger, 12 * importer.BATCH)
    proc = started(tmp_path, engine, "disclosure_request", importer.BATCH,
                   "request", "import", str(ledger), "--map", MAPPING)
    _, err = stopped(proc, signal.SIGTERM)
    stored = count(engine, "SELECT count(*) FROM disclosure_request")
    assert stored % importer.BATCH == 0
    assert f"导入已中断。已保存 {stored:,} 件：文件第 2 至 {stored + 1} 行已处理完毕" in err, err
    assert gk.json("audit", "verify")["ok"]

