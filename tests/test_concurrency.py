"""Two staff act on the same request at the same moment, in two real processes, on both backends.

Each process runs the real CLI; a barrier makes both read the request before either writes.
The loser's UPDATE names the version it read, matches no row, and its whole transaction is
rolled back: it gets the conflict message and leaves nothing behind.
"""

from __future__ import annotations

import multiprocessing
import os

from sqlalchemy import text

from gongkai.core.app import App
from gongkai.core.records.storage import CONFLICT_MESSAGE

STEPS = {
    "pause": ["request", "pause", "1", "--reason", "third_party", "--on", "2026-03-06", "--by", "承办人甲"],
    "extend": ["request", "extend", "1", "--days", "20", "--approved-by", "主任", "--on", "2026-03-05",
               "--by", "承办人乙"],
}


def act(workdir: str, url: str, step: str, barrier, results) -> None:
    """One staff member's process: load the request, wait for the other, then write."""
    os.chdir(workdir)
    os.environ["GONGKAI_DATABASE_URL"] = url
    from click.testing import CliRunner

    from gongkai.core.cli import cli
    from gongkai.core.requests import workflow

    real_load = workflow.load

    def load_then_wait(session, request_id):
        request = real_load(session, request_id)
        barrier.wait(timeout=60)
        return request

    workflow.load = load_then_wait
    result = CliRunner().invoke(cli, STEPS[step])
    results.put((step, result.exit_code, result.stderr, repr(result.exception)))


def test_the_second_writer_gets_a_conflict_and_writes_nothing(backend, unit, gk, tmp_path):
    unit("changning")
    gk.ok("request", "new", "--applicant", "张三", "--applicant-type", "natural_person", "--channel", "in_person",
          "--submitted", "2026-03-02", "--subject", "老旧小区改造资金")
    before = gk.json("request", "show", "1")

    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(2), ctx.Queue()
    procs = [ctx.Process(target=act, args=(str(tmp_path), backend.url, step, barrier, results)) for step in STEPS]
    for p in procs:
        p.start()
    outcomes = {}
    for _ in procs:
        step, code, stderr, exc = results.get(timeout=120)
        outcomes[step] = (code, stderr, exc)
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0

    winners = [s for s, (code, _, _) in outcomes.items() if code == 0]
    losers = [s for s, (code, _, _) in outcomes.items() if code != 0]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    code, stderr, _ = outcomes[losers[0]]
    assert code == 1 and CONFLICT_MESSAGE in stderr and "Traceback" not in stderr

    after = gk.json("request", "show", "1")
    assert after["version"] == before["version"] + 1
    actions = [e["action"] for e in after["events"]]
    assert winners[0] in actions and losers[0] not in actions
    app = App()
    with app.district_engine.connect() as c:
        pauses = c.execute(text("SELECT count(*) FROM request_pause")).scalar()
        extensions = c.execute(text("SELECT count(*) FROM request_extension")).scalar()
    app.engine.dispose()
    assert (pauses, extensions) == ((1, 0) if winners[0] == "pause" else (0, 1))
    assert gk.json("audit", "verify")["ok"]
    # the loser simply retries on the fresh state
    gk.ok(*STEPS[losers[0]])
