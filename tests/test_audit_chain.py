"""The event log is a hash chain: tampering behind the application's back is found."""

from __future__ import annotations

import json
import threading

import pytest
from sqlalchemy import text
from sqlmodel import select

from gongkai.core.app import App
from gongkai.core.records.chain import GENESIS, event_hash, verify
from gongkai.core.records.storage import Event, record_event


def write_events(app: App, n: int, subject_id: int = 1) -> None:
    for i in range(n):
        with app.session() as s:
            record_event(s, subject_kind="test", subject_id=subject_id, action=f"step{i}", actor="张三",
                         before={"state": "a"}, after={"state": "b", "i": i})


def run_sql(app: App, sql: str, **params) -> None:
    with app.district_engine.begin() as c:
        c.execute(text(sql), params)


@pytest.fixture
def app(backend, unit):
    unit("changning")
    a = App()
    yield a
    a.engine.dispose()


def test_events_are_linked_in_order(app):
    write_events(app, 3)
    with app.session() as s:
        events = s.exec(select(Event).order_by(Event.seq)).all()
        assert [e.seq for e in events] == [1, 2, 3]
        assert events[0].prev_hash == GENESIS
        assert events[1].prev_hash == events[0].hash and events[2].prev_hash == events[1].hash
        # the stored hash is recomputable from the stored row (the same on both backends)
        assert all(event_hash(e, e.prev_hash) == e.hash for e in events)
        assert verify(s) == {"ok": True, "events": 3, "head": events[2].hash, "broken": None}


def test_several_events_in_one_transaction_and_rollback(app):
    with app.session() as s:
        for i in range(3):
            record_event(s, subject_kind="request", subject_id=7, action=f"a{i}")
    with pytest.raises(RuntimeError):
        with app.session() as s:
            record_event(s, subject_kind="request", subject_id=7, action="lost")
            raise RuntimeError("boom")
    write_events(app, 1)
    with app.session() as s:
        report = verify(s)
        assert report["ok"] and report["events"] == 4
        assert [e.action for e in s.exec(select(Event).order_by(Event.seq))] == ["a0", "a1", "a2", "step0"]


def test_verify_cli_ok(app, gk):
    write_events(app, 2)
    report = gk.json("audit", "verify")
    assert report["ok"] is True and report["events"] == 2 and report["broken"] is None
    assert "事件日志完整：共 2 条事件" in gk.ok("audit", "verify").stdout


@pytest.mark.parametrize(
    "tamper, seq, words",
    [
        # an edited event: its stored hash no longer matches its content
        ("UPDATE event SET after = '{\"state\": \"x\"}' WHERE seq = 3", 3, "被修改"),
        ("UPDATE event SET actor = '李四' WHERE seq = 2", 2, "被修改"),
        # a deleted event in the middle: a gap in the sequence
        ("DELETE FROM event WHERE seq = 2", 2, "缺失"),
        # the last event deleted: the chain head still counts it
        ("DELETE FROM event WHERE seq = 5", 5, "链尾"),
        # reordered: two events swap their positions
        (["UPDATE event SET seq = 1000 WHERE seq = 3", "UPDATE event SET seq = 3 WHERE seq = 4",
          "UPDATE event SET seq = 4 WHERE seq = 1000"], 3, "顺序"),
        # an event inserted behind the application's back
        ("INSERT INTO event (unit_id, at, actor, subject_kind, subject_id, action) "
         "VALUES (1, '2026-01-01 00:00:00', 'x', 'request', 1, 'forged')", 6, "不在链上"),
    ],
)
def test_tampering_is_found(app, gk, tamper, seq, words):
    write_events(app, 5)
    for sql in [tamper] if isinstance(tamper, str) else tamper:
        run_sql(app, sql)
    result = gk("audit", "verify", "--json")
    assert result.exit_code == 2
    report = json.loads(result.stdout)
    assert report["ok"] is False
    assert report["broken"]["seq"] == seq
    assert words in report["broken"]["problem"]
    assert f"第 {seq} 条处断链" in result.stderr
    human = gk("audit", "verify")
    assert human.exit_code == 2 and "断链" in human.stderr and "Traceback" not in human.output


def test_a_rewritten_hash_is_still_found(app):
    """Editing an event and recomputing its own hash breaks the next link."""
    write_events(app, 3)
    with app.session() as s:
        second = s.exec(select(Event).where(Event.seq == 2)).one()
        second.actor = "李四"
        forged = event_hash(second, second.prev_hash)
    run_sql(app, "UPDATE event SET actor = '李四', hash = :h WHERE seq = 2", h=forged)
    with app.session() as s:
        report = verify(s)
    assert report["broken"]["seq"] == 3 and "prev_hash" in report["broken"]["problem"]


def test_concurrent_appends_keep_one_chain(app):
    """Staff writing at the same moment: every event lands on the chain exactly once."""
    app.engine  # migrate once before the threads start
    errors: list[BaseException] = []

    def worker(k: int) -> None:
        try:
            write_events(app, 10, subject_id=k)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with app.session() as s:
        report = verify(s)
    assert report["ok"] and report["events"] == 40


@pytest.mark.parametrize("fields", [
    {"action": "receive", "actor": "张三", "subject_kind": "request", "subject_id": 7,
     "before": '{"state": "received"}', "after": '{"note": "引号\\" 反斜杠\\\\ 换行\\n \\u0001 😀"}'},
    {"action": "a\"b", "actor": "", "subject_kind": "privacy", "subject_id": None, "before": None, "after": None},
])
def test_event_hash_is_the_sha256_of_the_canonical_json(fields):
    """The hash is formatted directly for speed; it must stay byte-identical to json.dumps."""
    import datetime as dt
    import hashlib

    at = dt.datetime(2026, 3, 2, 8, 30, 0, 1234, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    row = {**fields, "seq": 12, "at": at}
    canonical = json.dumps({**row, "at": "2026-03-02T00:30:00.001234+00:00", "prev_hash": "ab" * 32},
                           ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    expected = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    assert event_hash(row, "ab" * 32) == expected
    assert event_hash(Event(**row), "ab" * 32) == expected
