"""SIGKILL in the middle of an import: what was committed is whole, nothing is half-written, the next run works."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from sqlalchemy import text

from gongkai.core.requests.importer import BATCH
from gongkai.core.records.storage import make_engine

ROWS = 12 * BATCH  # the bulk import is fast: enough batches to kill it in the middle
MAPPING = "申请人=applicant,类型=applicant_type,渠道=channel,日期=submitted,内容=subject,结果=outcome,答复=replied_on"


def write_ledger(path, rows: int) -> None:
    lines = ["申请人,类型,渠道,日期,内容,结果,答复"]
    for i in range(rows):
        outcome = ",disclosed,2026-03-20" if i % 2 else ",,"
        lines.append(f"申请人{i},natural_person,in_person,2026-03-02,第{i}项信息{outcome}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def count(engine, sql: str) -> int:
    with engine.connect() as c:
        return c.execute(text(sql)).scalar()


def importing(folder, engine) -> subprocess.Popen:
    """``gongkai request import`` of a ROWS-row ledger in a new process, once its first
    transaction is committed (the import is under way)."""
    ledger = folder / "old.csv"
    write_ledger(ledger, ROWS)
    proc = subprocess.Popen(
        [sys.executable, "-c", "from gongkai.core.cli import main; main()", "request", "import", str(ledger),
         "--map", MAPPING],
        cwd=folder, env=os.environ.copy(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    deadline = time.monotonic() + 120
    while count(engine, "SELECT count(*) FROM disclosure_request") < BATCH:
        assert proc.poll() is None, "the import ended before it could be stopped: " + proc.stderr.read()
        assert time.monotonic() < deadline
        time.sleep(0.02)
    return proc


def test_sigkill_during_an_import(backend, unit, gk, tmp_path):
    unit("changning")
    gk.ok("db", "upgrade")
    engine = make_engine(backend.url)
    proc = None
    try:
        proc = importing(tmp_path, engine)
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)
        assert proc.returncode == -signal.SIGKILL

        requests = count(engine, "SELECT count(*) FROM disclosure_request")
        assert BATCH <= requests < ROWS and requests % BATCH == 0  # whole batches only
        # every committed request is whole: its import event, its reply clock, its reply if it had one
        assert count(engine, "SELECT count(DISTINCT subject_id) FROM event "
                             "WHERE subject_kind = 'request' AND action = 'import'") == requests
        assert count(engine, "SELECT count(*) FROM deadline WHERE owner_kind = 'request' AND name = 'reply'") == requests
        assert count(engine, "SELECT count(*) FROM disclosure_request WHERE outcome IS NOT NULL") == requests // 2
        assert count(engine, "SELECT count(*) FROM event WHERE action = 'import' AND after LIKE '%\"outcome\"%'") == requests // 2
        # nothing points at a request that does not exist
        assert count(engine, "SELECT count(*) FROM event WHERE subject_kind = 'request' AND subject_id NOT IN "
                             "(SELECT id FROM disclosure_request)") == 0
        assert count(engine, "SELECT count(*) FROM deadline WHERE owner_kind = 'request' AND owner_id NOT IN "
                             "(SELECT id FROM disclosure_request)") == 0
    finally:
        if proc is not None and proc.poll() is None:
            proc.kill()
        engine.dispose()

    assert gk.json("audit", "verify")["ok"]
    # the next run works: a new request, the ledger, and importing the rest
    gk.ok("request", "new", "--applicant", "新申请人", "--applicant-type", "natural_person", "--channel", "in_person",
          "--submitted", "2026-03-03", "--subject", "预算")
    rest = tmp_path / "rest.csv"
    write_ledger(rest, 10)
    assert gk.json("request", "import", str(rest), "--map", MAPPING)["imported"] == 10
    assert len(gk.json("ledger")) == requests + 11
    assert gk.json("audit", "verify")["ok"]


def test_ctrl_c_during_an_import_says_what_was_kept(unit, gk, tmp_path):
    unit("changning")
    gk.ok("db", "upgrade")
    # the unit's database: its SQLite file, or the PostgreSQL schema with --backend=postgresql
    engine = make_engine(os.environ.get("GONGKAI_DATABASE_URL") or f"sqlite:///{tmp_path / 'gongkai.db'}")
    proc = None
    try:
        proc = importing(tmp_path, engine)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
        requests = count(engine, "SELECT count(*) FROM disclosure_request")
    finally:
        if proc is not None and proc.poll() is None:
            proc.kill()
        engine.dispose()
    assert proc.returncode == 1 and out == "" and "Traceback" not in err
    assert BATCH <= requests < ROWS and requests % BATCH == 0
    assert f"导入已中断。已保存 {requests:,} 件：文件第 2 至 {requests + 1} 行已处理完毕" in err
    assert f"--from-line {requests + 2}" in err
    assert gk.json("audit", "verify")["ok"]
