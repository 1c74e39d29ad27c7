"""``gongkai db check`` (issue 20 item 3): the storage engine's own checks, the schema
revision and the record check of ``audit verify`` in one command; a database from a newer
gongkai, a damaged file or a foreign one gets a Chinese error, never a traceback."""

from __future__ import annotations

import json
import sqlite3

import pytest
from sqlalchemy import text

from gongkai.core.records.storage import make_engine


@pytest.fixture
def office(backend, unit, gk):
    unit("changning")
    gk.ok("request", "new", "--applicant", "张三", "--applicant-type", "natural_person", "--channel", "in_person",
          "--submitted", "2026-03-02", "--subject", "预算")
    engine = make_engine(backend.url)
    yield engine
    engine.dispose()


def test_a_sound_database_passes_every_check(office, gk):
    out = gk.ok("db", "check").stdout
    assert "存储完整性检查：通过" in out and "（已是最新）" in out and "记录与事件日志一致：申请 1 件" in out
    report = gk.json("db", "check")
    assert report["ok"] and report["storage"]["ok"] and report["schema"]["status"] == "current"
    assert report["audit"]["records"]["checked"]["request"] == 1


def test_a_record_changed_behind_the_applications_back_fails_the_check(office, gk):
    with office.begin() as c:
        c.execute(text("UPDATE disclosure_request SET outcome = 'withheld.state_secret', replied_on = '2026-03-05'"))
    refused = gk.fails("db", "check", code=2)
    assert "申请 1 的答复结果为“属于国家秘密”" in refused.stderr and "存储完整性检查：通过" in refused.stdout
    assert not json.loads(gk("db", "check", "--json").stdout)["ok"]


def test_a_database_from_a_newer_gongkai_is_refused_in_words(office, gk):
    with office.begin() as c:
        c.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    for command in (("db", "check"), ("ledger",), ("request", "new", "--applicant", "李四", "--applicant-type",
                                                   "natural_person", "--channel", "in_person", "--submitted",
                                                   "2026-03-02", "--subject", "预算")):
        refused = gk.fails(*command)
        assert "结构版本 9999 比本程序支持的最新版本" in refused.stderr and "升级 gongkai" in refused.stderr
    with office.connect() as c:
        assert c.execute(text("SELECT count(*) FROM disclosure_request")).scalar() == 1  # untouched


def test_a_file_that_is_not_a_database_is_refused_in_words(unit, gk, tmp_path):
    unit("changning")
    (tmp_path / "gongkai.db").write_text("# 一封信，不是数据库\n" * 200, encoding="utf-8")
    assert "不是 SQLite 数据库文件" in gk.fails("db", "check").stderr
    assert "无法读取" in gk.fails("ledger").stderr  # every command: words, not a traceback
    assert (tmp_path / "gongkai.db").read_text(encoding="utf-8").startswith("# 一封信")


def test_a_damaged_database_file_is_reported(unit, gk, tmp_path):
    unit("changning")
    gk.ok("request", "new", "--applicant", "张三", "--applicant-type", "natural_person", "--channel", "in_person",
          "--submitted", "2026-03-02", "--subject", "预算")
    db = tmp_path / "gongkai.db"
    sqlite3.connect(db).execute("PRAGMA wal_checkpoint(TRUNCATE)").close()
    data = bytearray(db.read_bytes())
    page = 4096
    for offset in range(2 * page, len(data), page):  # every page after the first two: garbage
        data[offset + 8:offset + 200] = b"\xa5" * 192
    db.write_bytes(bytes(data))
    refused = gk.fails("db", "check")
    assert "Traceback" not in refused.stderr
    assert "损坏" in refused.stderr or "存储完整性检查发现" in refused.stderr


def test_another_systems_sqlite_database_is_not_taken_over(unit, gk, tmp_path):
    unit("changning")
    other = sqlite3.connect(tmp_path / "gongkai.db")
    other.execute("CREATE TABLE payroll (name TEXT, salary INTEGER)")
    other.commit()
    other.close()
    for command in (("db", "check"), ("ledger",)):
        assert "不是 gongkai 的数据库" in gk.fails(*command).stderr
    tables = sqlite3.connect(tmp_path / "gongkai.db").execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    assert [t[0] for t in tables] == ["payroll"]  # no gongkai table created in it
