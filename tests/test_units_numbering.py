"""Reply letters numbered per unit and year under concurrent replies from several processes:
every serial once, none skipped (issue 17 item 3)."""

from __future__ import annotations

import subprocess
import sys

from requests_helpers import approve_chain, before_steps, new_request
from sqlalchemy import create_engine, text

from gongkai.core.records.storage import normalise_url

N = 8
REPLY = "from gongkai.core.cli import main; main()"


def test_concurrent_replies_from_several_processes_take_each_serial_once(backend, gk, monkeypatch):
    gk.ok("init", "--jurisdiction", "changning", "--district")
    for code in ("fgj", "fj"):
        gk.ok("unit", "add", code, "--name", f"单位{code}", "--letter-prefix", f"长{code}公开")
    ids = {}
    for code in ("fgj", "fj"):
        monkeypatch.setenv("GONGKAI_UNIT", code)
        ids[code] = [new_request(gk)["id"] for _ in range(N)]
        for request_id in ids[code]:
            approve_chain(gk, request_id, before_steps(gk, request_id))
    monkeypatch.delenv("GONGKAI_UNIT")
    # every reply at once: two units, N processes each
    runs = [subprocess.Popen([sys.executable, "-c", REPLY, "--unit", code, "request", "reply", str(request_id),
                              "--outcome", "予以公开", "--on", "2026-03-12", "--by", "经办人"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for code in ids for request_id in ids[code]]
    results = [(run.wait(timeout=300), run.stderr.read()) for run in runs]
    for run in runs:
        run.stdout.close()
        run.stderr.close()
    failed = [err for code, err in results if code != 0]
    assert all("请稍后重试" in err or "请刷新后重试" in err for err in failed), failed  # a clean refusal, if any
    for (code, request_id), (status, _err) in zip([(c, i) for c in ids for i in ids[c]], results):
        if status != 0:  # refused under load: replied again, alone
            gk.ok("--unit", code, "request", "reply", str(request_id), "--outcome", "予以公开", "--on", "2026-03-12",
                  "--by", "经办人")
    engine = create_engine(normalise_url(backend.url))
    with engine.connect() as c:
        for code in ids:
            serials = c.execute(text(
                "SELECT letter_serial FROM disclosure_request JOIN unit ON unit.id = disclosure_request.unit_id "
                "WHERE unit.code = :code ORDER BY letter_serial"), {"code": code}).scalars().all()
            assert serials == list(range(1, N + 1)), (code, serials)  # each unit's own sequence, gap-free
            last = c.execute(text("SELECT last FROM letter_sequence JOIN unit ON unit.id = letter_sequence.unit_id "
                                  "WHERE unit.code = :code AND year = 2026"), {"code": code}).scalar()
            assert last == N
    engine.dispose()
    gk.ok("--unit", "fj", "request", "letter", str(ids["fj"][0]), "--format", "md", "--out", "x.md")
    assert "长fj公开〔2026〕" in open("x.md", encoding="utf-8").read()
