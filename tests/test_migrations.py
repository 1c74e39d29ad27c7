"""Schema migrations: an old database keeps every row through the upgrade; migrations match the models."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import inspect as sa_inspect, text

from gongkai.core.records import schema
from gongkai.core.records.storage import make_engine

OLD_EVENTS = [
    ("2026-03-02 01:00:00", "张三", "request", 1, "receive", None, '{"state": "received"}'),
    ("2026-03-03 02:30:00.250000", "李四", "request", 1, "pause", '{"state": "received"}', '{"state": "paused"}'),
    ("2026-03-04 03:00:00", "王五", "document", 7, "publish", None, '{"channel": "门户网站"}'),
]


def test_a_database_at_the_first_revision_upgrades_with_its_data(backend, unit, gk):
    unit("changning")
    engine = make_engine(backend.url)
    assert schema.upgrade(engine, "0001") == "0001"
    with engine.begin() as c:
        c.execute(text("INSERT INTO setting (key, value) VALUES ('calendar.fingerprint', 'abc')"))
        for row in OLD_EVENTS:
            c.execute(text("INSERT INTO event (at, actor, subject_kind, subject_id, action, before, after) "
                           "VALUES (:at, :actor, :kind, :sid, :action, :before, :after)"),
                      dict(zip(("at", "actor", "kind", "sid", "action", "before", "after"), row)))
        c.execute(text(
            'INSERT INTO deadline (owner_kind, owner_id, name, rule_id, unit, start, "offset", months_after, due, '
            '"limit", provisional, paused, status) VALUES (\'request\', 1, \'reply\', \'request.reply\', '
            "'working_days', '2026-03-02', 20, 0, '2026-03-30', NULL, false, false, 'open')"))
    engine.dispose()

    assert gk.json("db", "current") | {"url": None} == {
        "backend": backend.name, "url": None, "current": "0001", "head": schema.head(), "up_to_date": False}
    upgraded = gk.json("db", "upgrade")
    assert upgraded["from"] == "0001" and upgraded["to"] == schema.head() and upgraded["up_to_date"]
    assert "已是最新版本" in gk.ok("db", "upgrade").stdout

    engine = make_engine(backend.url)
    with engine.connect() as c:
        assert c.execute(text("SELECT value FROM setting WHERE key = 'calendar.fingerprint'")).scalar() == "abc"
        events = c.execute(text("SELECT actor, subject_kind, subject_id, action, before, after, seq FROM event "
                                "ORDER BY id")).all()
        assert [tuple(e[:6]) for e in events] == [row[1:] for row in OLD_EVENTS]
        assert [e.seq for e in events] == [1, 2, 3]  # the old events were linked into the chain
        deadline = c.execute(text("SELECT owner_id, name, start, due FROM deadline "
                                  "JOIN deadline_term ON deadline_term.id = deadline.term_id")).one()
        assert tuple(map(str, deadline)) == ("1", "reply", "2026-03-02", "2026-03-30")  # str: SQLite gives text
        assert c.execute(text("SELECT count(*) FROM disclosure_request")).scalar() == 0  # newer tables exist
    engine.dispose()
    # the chain built by the migration verifies, and new events continue it (the records these
    # old events describe were never stored here: the record check names them as missing)
    report = json.loads(gk("audit", "verify", "--json").stdout)
    assert (report["chain_ok"], report["events"], report["broken"]) == (True, 3, None)
    assert {(p["kind"], p["id"], p["problem"]) for p in report["records"]["problems"]} == {
        ("request", 1, "deleted"), ("document", 7, "deleted")}
    gk.ok("request", "new", "--applicant", "赵六", "--applicant-type", "natural_person", "--channel", "in_person",
          "--submitted", "2026-03-02", "--subject", "预算")
    assert json.loads(gk("audit", "verify", "--json").stdout)["events"] == 4


def test_the_migrations_create_exactly_the_tables_the_models_define(backend):
    """A module that adds or changes a table needs a revision: `gongkai db revision -m "..."`."""
    from alembic import command
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    from sqlmodel import SQLModel

    from gongkai.core.records.storage import import_models

    import_models()
    engine = make_engine(backend.url)
    with engine.begin() as connection:  # the revisions alone, without the create_all safety net
        command.upgrade(schema.alembic_config(connection), "head")
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": schema.include_name})
        diff = compare_metadata(context, SQLModel.metadata)
    engine.dispose()
    assert diff == [], "models and migrations differ; write a revision with `gongkai db revision -m ...`"


@pytest.mark.sqlite_only  # inspects the SQLite file itself
def test_the_app_migrates_a_new_database_and_keeps_sqlite_in_wal_mode(unit, gk):
    unit("changning")
    assert gk.json("db", "current")["current"] is None
    gk.ok("audit", "verify")  # any command opening the database migrates it
    status = gk.json("db", "current")
    assert status["current"] == status["head"] == schema.head() and status["backend"] == "sqlite"
    engine = make_engine("sqlite:///gongkai.db")
    with engine.connect() as c:
        assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    engine.dispose()


@pytest.mark.parametrize("url", ["postgresql://nobody@127.0.0.1:1/none", "postgres://nobody@127.0.0.1:1/none"])
def test_an_unreachable_server_is_a_clear_error(unit, gk, url):
    unit("changning")
    result = gk.fails("--db", url.replace("postgres://", "postgresql://"), "audit", "verify")
    assert "无法连接数据库 postgresql://nobody@127.0.0.1:1/none" in result.stderr and "Connection refused" in result.stderr
    assert "database_url" in result.stderr
    result = gk.fails("--db", url, "db", "current")
    assert "无法连接数据库" in result.stderr


def test_a_password_is_not_printed(unit, gk):
    unit("changning")
    result = gk.fails("--db", "postgresql://staff:s3cret@127.0.0.1:1/gongkai", "db", "current")
    assert "s3cret" not in result.stderr and "***" in result.stderr


def test_the_provisional_flag_becomes_the_last_final_day(backend):
    """Revision 0005 drops deadline.provisional and keeps what it meant: dates after 2026 were provisional."""
    engine = make_engine(backend.url)
    assert schema.upgrade(engine, "0004") == "0004"
    with engine.begin() as c:
        for owner, due, provisional in [(1, "2026-11-30", False), (2, "2027-01-29", True), (3, "2027-03-01", True)]:
            c.execute(text(
                'INSERT INTO deadline (owner_kind, owner_id, name, rule_id, unit, start, "offset", months_after, due, '
                "provisional, paused, status) VALUES ('request', :owner, 'reply', 'request.reply', 'working_days', "
                "'2026-11-02', 20, 0, :due, :provisional, false, 'open')"), {"owner": owner, "due": due, "provisional": provisional})
    assert schema.upgrade(engine) == schema.head()
    with engine.connect() as c:
        assert c.execute(text("SELECT value FROM setting WHERE key = 'calendar.final_until'")).scalar() == "2026-12-31"
        assert "provisional" not in {col["name"] for col in sa_inspect(c).get_columns("deadline")}
    engine.dispose()


def test_clocks_with_the_same_arithmetic_come_to_share_one_term_and_go_back(backend):
    """Revision 0006 moves each clock's dates into deadline_term, one term per distinct
    arithmetic and dates; its downgrade puts them back on every clock."""
    from alembic import command

    engine = make_engine(backend.url)
    assert schema.upgrade(engine, "0005") == "0005"
    clocks = [(1, "2026-11-30", None, "open"), (2, "2026-11-30", None, "met"), (3, "2027-03-01", 30, "open")]
    with engine.begin() as c:
        for owner, due, limit_offset, status in clocks:
            c.execute(text(
                'INSERT INTO deadline (owner_kind, owner_id, name, rule_id, unit, start, "offset", limit_offset, '
                "months_after, due, paused, status) VALUES ('request', :owner, 'reply', 'request.reply', "
                "'working_days', '2026-11-02', 20, :lo, 0, :due, false, :status)"),
                {"owner": owner, "due": due, "lo": limit_offset, "status": status})
    assert schema.upgrade(engine) == schema.head()
    query = ('SELECT owner_id, status, t."offset", t.limit_offset, t.due, t.term FROM deadline '
             "JOIN (SELECT *, id AS term FROM deadline_term) t ON t.id = deadline.term_id ORDER BY owner_id")
    with engine.connect() as c:
        rows = [tuple(map(str, r)) for r in c.execute(text(query))]
        assert c.execute(text("SELECT count(*) FROM deadline_term")).scalar() == 2
    assert [r[:5] for r in rows] == [(str(o), s, "20", str(lo), d) for o, d, lo, s in clocks]
    assert rows[0][5] == rows[1][5] != rows[2][5]  # the first two share a term
    with engine.begin() as connection:
        command.downgrade(schema.alembic_config(connection), "0005")
    with engine.connect() as c:
        back = c.execute(text('SELECT owner_id, due, limit_offset, status FROM deadline ORDER BY owner_id')).all()
    assert [tuple(map(str, r)) for r in back] == [(str(o), d, str(lo), s) for o, d, lo, s in clocks]
    engine.dispose()


def test_the_head_read_from_the_revision_files_is_alembics():
    from alembic.script import ScriptDirectory

    assert schema.head() == ScriptDirectory.from_config(schema.alembic_config()).get_current_head()


def test_a_command_on_a_database_at_head_does_no_migration_work(unit, gk):
    """At the newest schema a command neither imports Alembic nor the other workflows' tables;
    a database one revision behind is still brought up to date by the same command."""
    import subprocess
    import sys

    unit("changning")
    gk.ok("request", "new", "--applicant", "赵六", "--applicant-type", "natural_person", "--channel", "in_person",
          "--submitted", "2026-03-02", "--subject", "预算")
    probe = ("import sys\nfrom gongkai.core.cli import main\ntry:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
             "print(sorted(m for m in ('alembic', 'gongkai.core.documents.models', 'gongkai.core.matters.models') "
             "if m in sys.modules))")
    for command in (["request", "show", "1"], ["ledger", "--overdue"]):
        run = subprocess.run([sys.executable, "-c", probe, *command], capture_output=True, text=True, check=True)
        assert run.stdout.strip().splitlines()[-1] == "[]", run.stdout + run.stderr
    engine = make_engine("sqlite:///gongkai.db")
    with engine.begin() as c:  # a table of the command's own models missing: the full path puts it back
        c.execute(text("DROP TABLE request_appeal"))
    engine.dispose()
    run = subprocess.run([sys.executable, "-c", probe, "request", "show", "1"], capture_output=True, text=True,
                         check=True)
    assert "alembic" in run.stdout
    assert gk.json("request", "show", "1")["appeals"] == []
