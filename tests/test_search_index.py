"""The ledger search's index is kept as requests are stored (issue 15 item 6): no search ever
builds it. On SQLite, triggers fill the FTS5 table on every write path (intake, the bulk import,
edits) and the revision that added them indexed what an older database held; on PostgreSQL a
trigger fills the column of bigrams under the GIN index (revision 0020)."""

from __future__ import annotations

import csv
import json

import pytest
from sqlalchemy import text

from gongkai.core.records import schema
from gongkai.core.app import App
from gongkai.core.requests.search import bigrams
from gongkai.core.records.storage import make_engine

MAP = "申请人=applicant,类型=applicant_type,渠道=channel,提交日期=submitted,内容=subject"


def raw(app):
    """An engine that sees every row (unscoped once units exist)."""
    return getattr(app, "district_engine", app.engine)


def indexed(app) -> dict[int, str]:
    with raw(app).connect() as c:
        return dict(c.execute(text("SELECT rowid, applicant FROM request_search ORDER BY rowid")).all())


def stored(app) -> list[int]:
    with raw(app).connect() as c:
        return list(c.execute(text("SELECT id FROM disclosure_request ORDER BY id")).scalars())


@pytest.fixture
def app(backend, unit):
    unit("xixian")
    a = App()
    yield a
    a.engine.dispose()


def test_every_write_path_indexes_the_request_as_it_is_stored(app, backend, gk, tmp_path):
    gk.ok("request", "new", "--applicant", "张三", "--applicant-type", "自然人", "--channel", "当面提交",
          "--submitted", "2026-03-02", "--subject", "老旧小区改造资金安排")
    path = tmp_path / "old.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([["申请人", "类型", "渠道", "提交日期", "内容"],
                                  *[[f"王{i}", "natural_person", "in_person", "2026-03-03", f"第{i}号道路维修预算"]
                                    for i in range(120)]])
    assert gk.json("request", "import", str(path), "--map", MAP)["imported"] == 120
    gk.ok("request", "edit", "1", "--applicant", "李思", "--reason", "申请人姓名录入错误")
    if backend.name == "sqlite":  # before any search: the index already holds every request, as it is now
        words = indexed(app)
        assert sorted(words) == stored(app)
        assert words[1] == "李思" and words[2] == "王0"
    assert [r["applicant"] for r in gk.json("ledger", "--search", "李思")] == ["李思"]
    assert gk.json("ledger", "--search", "张三") == []  # the old name left the index with the edit
    assert [r["id"] for r in gk.json("ledger", "--search", "第7号道路")] == [9]


def test_a_search_lists_the_newest_matches_and_says_when_there_are_more(app, gk, tmp_path):
    path = tmp_path / "old.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([["申请人", "类型", "渠道", "提交日期", "内容"],
                                  *[[f"王{i}", "natural_person", "in_person", "2026-03-03", f"第{i}号道路维修预算"]
                                    for i in range(120)]])
    gk.ok("request", "import", str(path), "--map", MAP)
    listed = gk("ledger", "--search", "道路维修", "--json")
    assert [r["id"] for r in json.loads(listed.stdout)] == list(range(21, 121))  # the newest 100
    assert "仅列出最近收到的 100 件" in listed.stderr and "--limit 0" in listed.stderr
    assert len(gk.json("ledger", "--search", "道路维修", "--limit", "0")) == 120
    assert [r["id"] for r in gk.json("ledger", "--search", "道路", "--limit", "3")] == [118, 119, 120]
    few = gk("ledger", "--search", "第7号道路", "--json")
    assert "仅列出" not in few.stderr
    assert [r["id"] for r in gk.json("ledger", "--search", "120")] == [120]  # the 编号, as before


def test_the_revision_indexes_what_an_older_database_holds(backend, unit, gk):
    """A database from before the index was kept at store time: its requests were indexed only
    by a search (here none ran). Upgrading indexes them and installs the triggers."""
    if backend.name != "sqlite":
        pytest.skip("PostgreSQL's GIN index was always kept by PostgreSQL")
    unit("changning")
    for name in ("张三", "李四"):
        gk.ok("request", "new", "--applicant", name, "--applicant-type", "natural_person", "--channel", "in_person",
              "--submitted", "2026-03-02", "--subject", "2026年老旧小区改造资金安排")
    from alembic.script import ScriptDirectory

    ours = next(r for r in ScriptDirectory.from_config(schema.alembic_config()).walk_revisions()
                if (r.doc or "").startswith("Ledger search indexed when requests are stored"))
    engine = make_engine(backend.url)
    from alembic import command

    with engine.begin() as c:  # the revisions after this one undone: their columns are not there yet
        command.downgrade(schema.alembic_config(c), ours.revision)
    with engine.begin() as c:  # as that older database was: no triggers, nothing indexed yet
        for trigger in ("request_search_insert", "request_search_update", "request_search_delete"):
            c.execute(text(f"DROP TRIGGER {trigger}"))
        c.execute(text("DELETE FROM request_search"))
    with engine.begin() as c:
        c.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": ours.down_revision})
    engine.dispose()
    assert gk.json("db", "upgrade")["up_to_date"]
    app = App()
    assert sorted(indexed(app)) == stored(app) == [1, 2]
    app.engine.dispose()
    gk.ok("request", "new", "--applicant", "王五", "--applicant-type", "natural_person", "--channel", "in_person",
          "--submitted", "2026-03-03", "--subject", "道路维修")
    app = App()
    assert indexed(app)[3] == "王五"
    app.engine.dispose()
    assert [r["applicant"] for r in gk.json("ledger", "--search", "李四")] == ["李四"]


def test_postgresql_stores_the_bigrams_of_what_an_older_database_holds(backend, unit, gk):
    """The revision that moved PostgreSQL's bigrams into a column fills it for the requests
    already stored, indexes the column, and goes back to the expression index on downgrade."""
    if backend.name != "postgresql":
        pytest.skip("SQLite's index is the FTS5 table (revision 0018)")
    from alembic import command
    from alembic.script import ScriptDirectory

    from requests_helpers import new_request

    unit("changning")
    for name in ("张三", "李四"):
        new_request(gk, applicant=name)  # subject: 2026年老旧小区改造资金安排
    ours = next(r for r in ScriptDirectory.from_config(schema.alembic_config()).walk_revisions()
                if (r.doc or "").startswith("Ledger search on PostgreSQL: the bigrams stored"))
    index = "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_request_search' AND schemaname = current_schema()"
    engine = make_engine(backend.url)
    with engine.begin() as c:
        command.downgrade(schema.alembic_config(c), ours.down_revision)
    with engine.connect() as c:
        assert "gongkai_bigrams((applicant_name)" in c.execute(text(index)).scalar()
        assert c.execute(text("SELECT count(*) FROM information_schema.columns WHERE column_name = 'search_bigrams' "
                              "AND table_schema = current_schema()")).scalar() == 0
    engine.dispose()
    assert gk.json("db", "upgrade")["up_to_date"]
    engine = make_engine(backend.url)
    with engine.connect() as c:
        assert c.execute(text(index)).scalar().endswith("USING gin (search_bigrams)")
        rows = c.execute(text("SELECT applicant_name, subject, search_bigrams FROM disclosure_request "
                              "ORDER BY id")).all()
    engine.dispose()
    assert [name for name, _, _ in rows] == ["张三", "李四"]
    assert all(set(grams) == set(bigrams(name)) | set(bigrams(subject)) for name, subject, grams in rows)
    assert [r["applicant"] for r in gk.json("ledger", "--search", "李四")] == ["李四"]
    assert len(gk.json("ledger", "--search", "小区改造")) == 2


@pytest.mark.parametrize("in_background", [True, False])
def test_an_imported_ledger_is_searchable_at_once_and_stays_right_after_edits(
        app, backend, gk, tmp_path, monkeypatch, in_background):
    """The bulk import writes the index itself (words computed while checking, one insert per
    chunk, the row trigger off meanwhile), across chunks and batches and around a row replayed
    through the single commands (a withdrawal, stored by the ORM with the trigger on)."""
    from gongkai.core.requests import importer
    from gongkai.core.records.storage import bigram_words

    monkeypatch.setattr(importer, "CHUNK", 100)
    monkeypatch.setattr(importer, "BATCH", 200)
    path = tmp_path / "old.csv"
    rows = [[f"王{i}", "natural_person", "in_person", "2026-03-03", f"第{i}号道路维修预算", "", "", ""]
            for i in range(450)]
    rows[150][4:] = ["撤回第150号申请", "other.withdrawn", "2026-03-05", "电话"]
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([["申请人", "类型", "渠道", "提交日期", "内容", "结果", "日期", "撤回方式"], *rows])
    mapping = importer.parse_mapping([MAP + ",结果=outcome,日期=replied_on,撤回方式=withdrawal_how"])
    report = importer.import_ledger(app, path, mapping, in_background=in_background)
    assert len(report.imported) == 450 and not report.errors
    if backend.name == "sqlite":  # exactly each stored row's words, and the triggers are back
        with raw(app).connect() as c:
            words = {i: (a, s) for i, a, s in c.execute(text("SELECT rowid, applicant, subject FROM request_search"))}
            expected = {i: (bigram_words(a), bigram_words(s)) for i, a, s in
                        c.execute(text("SELECT id, applicant_name, subject FROM disclosure_request"))}
            triggers = set(c.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")).scalars())
        assert words == expected and len(words) == 450
        assert {"request_search_insert", "request_search_update", "request_search_delete"} <= triggers
    assert [r["applicant"] for r in gk.json("ledger", "--search", "王342")] == ["王342"]  # by name
    assert [r["id"] for r in gk.json("ledger", "--search", "第449号道路")] == [450]  # by subject words
    assert [r["applicant"] for r in gk.json("ledger", "--search", "撤回第150号")] == ["王150"]  # the replayed row
    gk.ok("request", "edit", "343", "--subject", "桥梁检测报告", "--reason", "申请内容录入错误")
    assert [r["id"] for r in gk.json("ledger", "--search", "桥梁检测")] == [343]
    assert gk.json("ledger", "--search", "第342号道路") == []  # the old subject left the index
    gk.ok("request", "new", "--applicant", "赵六", "--applicant-type", "自然人", "--channel", "当面提交",
          "--submitted", "2026-03-04", "--subject", "河道整治")
    assert [r["applicant"] for r in gk.json("ledger", "--search", "赵六")] == ["赵六"]  # stored one by one: the trigger


def test_a_batch_that_fails_midway_leaves_no_index_rows_and_the_rest_imports_searchable(
        app, backend, gk, tmp_path, monkeypatch):
    """The second batch fails after its requests and their index rows were written (its events
    cannot be stored): the whole batch is rolled back, index rows included, the trigger stays,
    and going on from the line the message names indexes the rest."""
    from gongkai.core.errors import GongkaiError
    from gongkai.core.requests import importer

    monkeypatch.setattr(importer, "CHUNK", 100)
    monkeypatch.setattr(importer, "BATCH", 200)
    path = tmp_path / "old.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([["申请人", "类型", "渠道", "提交日期", "内容"],
                                  *[[f"王{i}", "natural_person", "in_person", "2026-03-03", f"第{i}号道路维修预算"]
                                    for i in range(450)]])
    real, calls = importer.append_columns, []

    def events_refused(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:  # the second batch's first chunk: its requests and index rows are written
            raise GongkaiError("事件未能保存")
        return real(*args, **kwargs)

    monkeypatch.setattr(importer, "append_columns", events_refused)
    mapping = importer.parse_mapping([MAP])
    with pytest.raises(GongkaiError, match="已保存 200 件") as stopped:
        importer.import_ledger(app, path, mapping)
    assert "--from-line 202" in str(stopped.value)
    if backend.name == "sqlite":
        assert sorted(indexed(app)) == stored(app) == list(range(1, 201))
        with raw(app).connect() as c:
            assert c.execute(text("SELECT count(*) FROM sqlite_master WHERE name = 'request_search_insert'")).scalar()
    assert gk.json("ledger", "--search", "王250") == []
    monkeypatch.setattr(importer, "append_columns", real)
    assert len(importer.import_ledger(app, path, mapping, from_line=202).imported) == 250
    if backend.name == "sqlite":
        assert sorted(indexed(app)) == stored(app)
    assert [r["applicant"] for r in gk.json("ledger", "--search", "王250")] == ["王250"]
    assert [r["applicant"] for r in gk.json("ledger", "--search", "王199")] == ["王199"]
