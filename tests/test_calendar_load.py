"""The calendar cannot be changed by accident (issue 20 item 9): a schedule file's dates belong
to its year, an official year is replaced only with --replace, and every load is an event in the
log with the days it changed."""

from __future__ import annotations

import json

import pytest
from db_snapshot import content_hash
from sqlalchemy import create_engine, text
from test_calendar import SCHEDULE_2027

from gongkai.core.records.storage import normalise_url

# 2026 as the State Council published it, but with 国庆节 cut to three days (a "correction")
SCHEDULE_2026_CHANGED = """\
year = 2026
notice = "国务院办公厅关于2026年部分节假日安排的通知（调整，测试用）"

[[holidays]]
name = "国庆节"
off = [2026-10-01, 2026-10-03]
"""


@pytest.fixture
def changning(unit, gk, backend):
    unit("changning")
    gk.ok("db", "upgrade")
    return backend


def load_events(url):
    engine = create_engine(normalise_url(url))
    with engine.connect() as c:
        rows = c.execute(text("SELECT subject_id, actor, before, after FROM event WHERE action = 'calendar.load' "
                              "ORDER BY id")).all()
    engine.dispose()
    return [(r[0], r[1], json.loads(r[2]) if r[2] else None, json.loads(r[3])) for r in rows]


def folder_files(isolated):
    folder = isolated / "calendar"
    return {p.name: p.read_bytes() for p in folder.iterdir()} if folder.is_dir() else {}


def refused_load(gk, backend, isolated, *args):
    before, files = content_hash(backend.url), folder_files(isolated)
    stderr = gk.fails("calendar", "--load", *args).stderr
    assert content_hash(backend.url) == before and folder_files(isolated) == files
    return stderr


def test_a_load_is_an_event_naming_the_days_it_changed(changning, gk, isolated, monkeypatch):
    monkeypatch.setenv("GONGKAI_TODAY", "2027-01-25")
    rid = gk.json("request", "new", "--applicant", "张三", "--applicant-type", "natural_person",
                  "--channel", "in_person", "--submitted", "2027-01-25", "--subject", "某信息")["id"]
    (isolated / "notice.toml").write_text(SCHEDULE_2027, encoding="utf-8")
    result = gk.json("calendar", "--load", "notice.toml", "--by", "办公室甲")
    assert result["year"] == 2027 and result["final"] and result["recomputed"] >= 1 and not result["replaced"]
    [(year, actor, before, after)] = load_events(changning.url)
    assert (year, actor) == (2027, "办公室甲")
    assert before["file_sha256"] is None and after["notice"].startswith("国务院办公厅关于2027年")
    assert {"date": "2027-02-20", "before": "weekend", "after": "makeup_workday", "name": "春节调休上班"} in after["changed_days"]
    assert after["recomputed"] == result["recomputed"]
    assert gk.json("request", "show", str(rid))["provisional"] is False
    assert gk.json("audit", "verify")["ok"] is True


def test_an_official_year_is_replaced_only_with_replace(changning, gk, isolated):
    (isolated / "2026-changed.toml").write_text(SCHEDULE_2026_CHANGED, encoding="utf-8")
    stderr = refused_load(gk, changning, isolated, "2026-changed.toml")
    assert "2026 年已有正式的节假日安排" in stderr and "--replace" in stderr
    assert gk.json("calendar", "2026-10-05")["kind"] == "holiday"  # unchanged
    result = gk.json("calendar", "--load", "2026-changed.toml", "--replace")
    assert result["replaced"] is True
    assert gk.json("calendar", "2026-10-05")["kind"] == "workday"
    [(_, _, before, after)] = load_events(changning.url)
    assert before["official"] is True and after["replaced"] is True
    assert {(d["date"], d["before"], d["after"]) for d in after["changed_days"]} >= {
        ("2026-10-05", "holiday", "workday"), ("2026-02-17", "holiday", "workday")}
    # a year loaded from a file is official too: another file for it needs --replace again
    (isolated / "again.toml").write_text(SCHEDULE_2026_CHANGED.replace("2026-10-03", "2026-10-04"), encoding="utf-8")
    assert "本单位已载入的" in refused_load(gk, changning, isolated, "again.toml")
    # the same file loaded again changes nothing and needs no --replace, but is still logged
    assert gk.json("calendar", "--load", "2026-changed.toml")["changed_days"] == []
    assert len(load_events(changning.url)) == 2


@pytest.mark.parametrize(("name", "content", "message"), [
    ("stray.toml", SCHEDULE_2027.replace("2027-01-01, 2027-01-03", "2026-12-31, 2027-01-03"),
     "2026-12-31 不属于 2027 年"),
    ("stray-makeup.toml", SCHEDULE_2027.replace("[2027-02-20]", "[2028-02-19]"), "2028-02-19 不属于 2027 年"),
    ("2028.toml", SCHEDULE_2027, "文件名是 2028 年，内容却是 year = 2027"),
])
def test_a_file_changes_only_its_own_year(changning, gk, isolated, name, content, message):
    (isolated / name).write_text(content, encoding="utf-8")
    assert message in refused_load(gk, changning, isolated, name)
    assert gk.json("calendar", "--year", "2027")["provisional"] is True


def test_a_schedule_dropped_in_by_hand_is_logged_when_it_changes_deadlines(changning, gk, isolated, monkeypatch):
    monkeypatch.setenv("GONGKAI_TODAY", "2027-01-25")
    rid = gk.json("request", "new", "--applicant", "张三", "--applicant-type", "natural_person",
                  "--channel", "in_person", "--submitted", "2027-01-25", "--subject", "某信息")["id"]
    gk.ok("ledger")
    (isolated / "calendar").mkdir()
    (isolated / "calendar" / "2027.toml").write_text(SCHEDULE_2027, encoding="utf-8")
    gk.ok("ledger")  # the next command notices, recomputes and logs it
    gk.ok("ledger")  # once
    engine = create_engine(normalise_url(changning.url))
    with engine.connect() as c:
        rows = c.execute(text("SELECT before, after FROM event WHERE action = 'calendar.changed'")).all()
    engine.dispose()
    [(before, after)] = [(json.loads(b), json.loads(a)) for b, a in rows]
    assert before["fingerprint"] != after["fingerprint"] and after["recomputed"] >= 1
    assert before["final_until"] < after["final_until"] == "2027-12-31"
    assert gk.json("request", "show", str(rid))["provisional"] is False
    assert gk.json("audit", "verify")["ok"] is True
