"""``gongkai db backup`` and ``gongkai db restore`` (issue 33 item 8): a copy taken while the
office works, kept only when it passes the full verify, its chain head printed and logged;
restored into an empty database only, and verified again. On SQLite and on a real PostgreSQL
(pg_dump / pg_restore from Debian's postgresql package)."""

from __future__ import annotations

import json
import os
import stat
import subprocess

import psycopg
import pytest
from requests_helpers import new_request
from sqlalchemy import create_engine, text


def _run_sql(url: str, statement: str) -> None:
    from gongkai.core.records.storage import normalise_url

    engine = create_engine(normalise_url(url))
    with engine.begin() as c:
        c.execute(text(statement))
    engine.dispose()


def _count(url: str, table: str) -> int:
    from gongkai.core.records.storage import normalise_url

    engine = create_engine(normalise_url(url))
    with engine.connect() as c:
        found = c.execute(text(f"SELECT count(*) FROM {table}")).scalar()
    engine.dispose()
    return found


@pytest.fixture
def office(backend, unit, gk):
    unit("changning")
    for _ in range(3):
        new_request(gk)
    return backend


@pytest.fixture
def empty_target(office, request, tmp_path):
    """Where a restore goes: a database with nothing in it, on the same backend."""
    if office.name == "sqlite":
        return f"sqlite:///{tmp_path / 'restored' / 'gongkai.db'}"
    # the dump's schema (the test's own) in a fresh database of the same server
    server = request.getfixturevalue("pg_server")
    schema = office.url.rsplit("%3D", 1)[1]
    name = f"restored_{schema}"
    admin = f"host=127.0.0.1 port={server.port} user=gongkai dbname=gongkai_test"
    with psycopg.connect(admin, autocommit=True) as c:
        c.execute(f'CREATE DATABASE "{name}"')
    with psycopg.connect(f"host=127.0.0.1 port={server.port} user=gongkai dbname={name}", autocommit=True) as c:
        c.execute(f'CREATE SCHEMA "{schema}"')
    return office.url.replace("/gongkai_test?", f"/{name}?")


def test_a_backup_is_verified_its_head_printed_and_logged_and_it_restores(office, empty_target, gk, tmp_path):
    head = gk.ok("audit", "head").stdout.strip()
    out = gk.ok("db", "backup", tmp_path / "备份" / "gongkai-2026-12-07.db").stdout
    copy = tmp_path / "备份" / "gongkai-2026-12-07.db"
    assert "备份已通过校验" in out and f"单位 main 的链头：{head}" in out
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600  # applicants' personal data
    assert os.listdir(copy.parent) == [copy.name]  # no temporary file, no -wal beside it
    # the backup is an event in the unit's chain, naming the head it holds; the chain verifies
    assert gk.json("audit", "verify")["ok"]
    logged = [e for e in _events(office.url) if e[0] == "backup"]
    assert len(logged) == 1 and json.loads(logged[0][1]) == {"bytes": copy.stat().st_size, "file": copy.name,
                                                             "head": head}
    new_request(gk)  # the office goes on working: the copy does not change

    restored = gk.ok("--db", empty_target, "db", "restore", copy).stdout
    assert f"单位 main 的链头：{head}" in restored and "已通过校验" in restored
    assert _count(empty_target, "disclosure_request") == 3
    verified = gk.json("--db", empty_target, "audit", "verify")
    assert verified["ok"] and verified["records"]["checked"]["request"] == 3
    assert [e[0] for e in _events(empty_target)][-1] == "restore"
    assert gk.ok("--db", empty_target, "ledger").stdout.count("张三") == 3  # a working database


def _events(url: str) -> list[tuple[str, str]]:
    from gongkai.core.records.storage import normalise_url

    engine = create_engine(normalise_url(url))
    with engine.connect() as c:
        rows = c.execute(text("SELECT action, after FROM event ORDER BY seq")).all()
    engine.dispose()
    return [tuple(r) for r in rows]


def test_restore_goes_into_an_empty_database_only(office, empty_target, gk, tmp_path):
    copy = tmp_path / "b.db"
    gk.ok("db", "backup", copy)
    before = _count(office.url, "disclosure_request")
    refused = gk.fails("db", "restore", copy)  # the unit's own database, which has records
    assert "不是空库" in refused.stderr and "不覆盖任何记录" in refused.stderr
    assert _count(office.url, "disclosure_request") == before
    gk.ok("--db", empty_target, "db", "restore", copy)
    again = gk.fails("--db", empty_target, "db", "restore", copy)  # now it is not empty either
    assert "不是空库" in again.stderr
    assert _count(empty_target, "disclosure_request") == 3


def test_a_tampered_database_is_not_backed_up(office, gk, tmp_path):
    _run_sql(office.url, "UPDATE disclosure_request SET outcome = 'withheld.state_secret', replied_on = '2026-03-05'")
    folder = tmp_path / "backups"
    refused = gk.fails("db", "backup", folder / "b.db")
    assert "备份未通过校验" in refused.stderr and "答复结果" in refused.stderr and "gongkai db check" in refused.stderr
    assert not folder.exists()  # nothing left: no copy, no temporary file, no folder


def test_a_backup_altered_afterwards_is_not_restored(office, empty_target, gk, tmp_path):
    copy = tmp_path / "b.db"
    gk.ok("db", "backup", copy)
    if office.name == "sqlite":  # an edit of the copy behind the log
        _run_sql(f"sqlite:///{copy}", "UPDATE disclosure_request SET outcome = 'withheld.state_secret', "
                                      "replied_on = '2026-03-05'")
        refused = gk.fails("--db", empty_target, "db", "restore", copy)
        assert "恢复后的数据库未通过校验" in refused.stderr and "答复结果" in refused.stderr
        assert not (tmp_path / "restored" / "gongkai.db").exists()
    else:
        cut = tmp_path / "cut.dump"  # a dump cut short
        cut.write_bytes(copy.read_bytes()[: copy.stat().st_size // 2])
        assert "不是可读的 PostgreSQL 备份" in gk.fails("--db", empty_target, "db", "restore", cut).stderr
        # a dump made outside gongkai of records edited behind the log
        _run_sql(office.url, "UPDATE disclosure_request SET outcome = 'withheld.state_secret', replied_on = '2026-03-05'")
        altered = tmp_path / "altered.dump"
        schema = office.url.rsplit("%3D", 1)[1]
        subprocess.run(["pg_dump", "-Fc", f"--schema={schema}", f"--file={altered}",
                        f"--dbname={office.url}"], check=True)
        refused = gk.fails("--db", empty_target, "db", "restore", altered)
        assert "未通过校验" in refused.stderr and "答复结果" in refused.stderr
        assert _tables(empty_target) == 0  # verified before anything was written


def _tables(url: str) -> int:
    from sqlalchemy import inspect

    from gongkai.core.records.storage import normalise_url

    engine = create_engine(normalise_url(url))
    with engine.connect() as c:
        found = len(inspect(c).get_table_names())
    engine.dispose()
    return found


def test_backups_follow_the_safe_write_rules(office, gk, tmp_path):
    copy = tmp_path / "b.db"
    gk.ok("db", "backup", copy)
    first = copy.read_bytes()
    new_request(gk)
    assert "已存在" in gk.fails("db", "backup", copy).stderr  # never over an earlier backup
    assert copy.read_bytes() == first
    assert "gongkai.toml" in gk.fails("db", "backup", tmp_path / "gongkai.toml").stderr
    assert "标准输出" in gk.fails("db", "backup", "-").stderr
    if office.name == "sqlite":
        assert "已存在" in gk.fails("db", "backup", tmp_path / "gongkai.db").stderr
    other = tmp_path / "notes.txt"
    other.write_text("别的文件", encoding="utf-8")
    assert "已存在" in gk.fails("db", "backup", other).stderr and other.read_text(encoding="utf-8") == "别的文件"


def test_a_backup_of_the_other_backend_or_no_backup_is_refused_in_words(office, empty_target, gk, tmp_path):
    letter = tmp_path / "letter.txt"
    letter.write_text("不是备份", encoding="utf-8")
    assert "不是" in gk.fails("--db", empty_target, "db", "restore", letter).stderr
    assert "不存在" in gk.fails("--db", empty_target, "db", "restore", tmp_path / "none.db").stderr


def test_commits_still_in_the_wal_are_in_the_backup(unit, gk, tmp_path):
    """A reader holding an old snapshot keeps the newest commits in gongkai.db-wal only: a copy of
    the file alone would lose them; the online backup does not."""
    import shutil
    import sqlite3

    unit("changning")
    new_request(gk)
    reader = sqlite3.connect(tmp_path / "gongkai.db")
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM disclosure_request").fetchone()  # holds its snapshot
    try:
        new_request(gk)
        new_request(gk)
        shutil.copyfile(tmp_path / "gongkai.db", tmp_path / "file-copy.db")
        with sqlite3.connect(tmp_path / "file-copy.db") as copied:  # what a copy of the file alone holds
            table = copied.execute("SELECT count(*) FROM sqlite_master WHERE name = 'disclosure_request'").fetchone()[0]
            held = copied.execute("SELECT count(*) FROM disclosure_request").fetchone()[0] if table else 0
        assert held < 3
        gk.ok("db", "backup", tmp_path / "b.db")
    finally:
        reader.close()
    assert _count(f"sqlite:///{tmp_path / 'b.db'}", "disclosure_request") == 3


def test_a_backup_taken_while_staff_work_is_consistent(unit, gk, tmp_path):
    """Another process registers requests while the backup runs: the copy is one moment's state,
    and it verifies."""
    import subprocess
    import sys
    from pathlib import Path

    unit("changning")
    new_request(gk)
    gongkai = str(Path(sys.executable).parent / "gongkai")
    writer = subprocess.Popen(
        ["sh", "-c", "for i in 1 2 3 4 5 6; do \"$0\" request new --applicant 李四 --applicant-type natural_person "
                     "--channel in_person --submitted 2026-03-03 --subject 预算 >/dev/null || exit 1; done", gongkai],
        cwd=tmp_path, env={**os.environ, "GONGKAI_PRELOAD": "0"})
    try:
        for n in range(3):
            gk.ok("db", "backup", tmp_path / f"b{n}.db")
    finally:
        assert writer.wait(120) == 0
    counts = [_count(f"sqlite:///{tmp_path / f'b{n}.db'}", "disclosure_request") for n in range(3)]
    assert counts == sorted(counts) and 1 <= counts[0] and counts[-1] <= 7
    for n in range(3):  # each copy verifies on its own (the backup checked it; a restore checks again)
        gk.ok("--db", f"sqlite:///{tmp_path / 'r' / f'{n}.db'}", "db", "restore", tmp_path / f"b{n}.db")


def test_a_districts_backup_logs_each_units_head_in_its_own_chain(backend, gk, tmp_path, monkeypatch):
    gk.ok("init", "--jurisdiction", "changning", "--district")
    gk.ok("unit", "add", "fgj", "--name", "上海市长宁区发展和改革委员会")
    gk.ok("unit", "add", "fj", "--name", "上海市长宁区房屋管理局", "--letter-prefix", "长房公开")
    heads = {}
    for code, many in (("fgj", 2), ("fj", 1)):
        monkeypatch.setenv("GONGKAI_UNIT", code)
        for _ in range(many):
            new_request(gk)
        heads[code] = gk.ok("audit", "head").stdout.strip()
    monkeypatch.delenv("GONGKAI_UNIT")
    out = gk.ok("db", "backup", tmp_path / "district.db").stdout
    for code, head in heads.items():
        assert f"单位 {code} 的链头：{head}" in out
        backups = [json.loads(after) for action, after in _unit_events(backend.url, code) if action == "backup"]
        assert [b["head"] for b in backups] == [head]
    assert gk.json("audit", "verify")["ok"]



def _unit_events(url: str, code: str) -> list[tuple[str, str]]:
    from gongkai.core.records.storage import normalise_url

    engine = create_engine(normalise_url(url))
    with engine.connect() as c:
        rows = c.execute(text("SELECT e.action, e.after FROM event e JOIN unit u ON u.id = e.unit_id "
                              "WHERE u.code = :code ORDER BY e.seq"), {"code": code}).all()
    engine.dispose()
    return [tuple(r) for r in rows]


def test_postgresql_in_the_public_schema_round_trips(pg_server, unit, gk, tmp_path, monkeypatch):
    """A unit with its own database (the usual server setup: the public schema), restored into another."""
    admin = f"host=127.0.0.1 port={pg_server.port} user=gongkai dbname=gongkai_test"
    with psycopg.connect(admin, autocommit=True) as c:
        for name in ("office_pub", "drill_pub"):
            c.execute(f'DROP DATABASE IF EXISTS "{name}"')
            c.execute(f'CREATE DATABASE "{name}"')
    source = f"postgresql://gongkai@127.0.0.1:{pg_server.port}/office_pub"
    target = f"postgresql://gongkai@127.0.0.1:{pg_server.port}/drill_pub"
    monkeypatch.setenv("GONGKAI_DATABASE_URL", source)
    unit("changning")
    new_request(gk)
    head = gk.ok("audit", "head").stdout.strip()
    gk.ok("db", "backup", tmp_path / "pub.dump")
    assert (tmp_path / "pub.dump").read_bytes().startswith(b"PGDMP")
    assert f"单位 main 的链头：{head}" in gk.ok("--db", target, "db", "restore", tmp_path / "pub.dump").stdout
    assert gk.json("--db", target, "audit", "verify")["ok"] and _count(target, "disclosure_request") == 1


def test_a_sqlite_target_that_exists_is_never_replaced(unit, gk, tmp_path):
    import sqlite3

    unit("changning")
    new_request(gk)
    gk.ok("db", "backup", tmp_path / "b.db")
    target = tmp_path / "restore" / "gongkai.db"
    target.parent.mkdir()
    target.write_text("某份文件", encoding="utf-8")
    assert "不覆盖" in gk.fails("--db", f"sqlite:///{target}", "db", "restore", tmp_path / "b.db").stderr
    assert target.read_text(encoding="utf-8") == "某份文件"
    target.unlink()
    sqlite3.connect(target).execute("CREATE TABLE notes (x)").connection.commit()
    assert "不是空库（已有 1 张表）" in gk.fails("--db", f"sqlite:///{target}", "db", "restore", tmp_path / "b.db").stderr
    target.unlink()
    target.write_bytes(b"")  # an empty file (a database opened and never written): taken as empty
    gk.ok("--db", f"sqlite:///{target}", "db", "restore", tmp_path / "b.db")
    assert _count(f"sqlite:///{target}", "disclosure_request") == 1


def test_the_readme_backup_and_drill_commands_work_as_shown(unit, gk, tmp_path):
    import re
    import shlex
    from pathlib import Path

    text = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```bash\n(.*?)```", text[text.index("### Backups and the restore drill"):], re.S).group(1)
    lines = [line.split("#", 1)[0] for line in block.splitlines() if line.startswith("gongkai ")]
    assert [shlex.split(line)[1:3] for line in lines] == [["db", "backup"], ["--db", "sqlite:////tmp/drill/gongkai.db"]]
    unit("changning")
    new_request(gk)
    head = gk.ok("audit", "head").stdout.strip()
    for line in lines:
        line = line.replace("/var/backups/gongkai", str(tmp_path / "backups")).replace("/tmp/drill", str(tmp_path / "drill"))
        out = gk.ok(*shlex.split(line)[1:]).stdout
        assert f"单位 main 的链头：{head}" in out
    drill = f"sqlite:///{tmp_path / 'drill' / 'gongkai.db'}"
    assert gk.json("--db", drill, "audit", "verify", "--expect-head", head)["ok"]


def test_a_backup_stopped_by_sigterm_leaves_nothing_behind(office, gk, tmp_path):
    """systemd stopping the backup service mid-way: no file, no temporary file, no scratch database."""
    import signal
    import sys
    import time
    from pathlib import Path

    for _ in range(20):
        new_request(gk)
    folder = tmp_path / "backups"
    folder.mkdir()
    process = subprocess.Popen([str(Path(sys.executable).parent / "gongkai"), "db", "backup", str(folder / "b.db")],
                               cwd=tmp_path, env={**os.environ, "GONGKAI_PRELOAD": "0"},
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not any(name.endswith(".tmp") for name in os.listdir(folder)):  # the copy is being made or checked
        assert process.poll() is None and time.monotonic() < deadline, process.communicate()
        time.sleep(0.002)
    time.sleep(0.05)
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    assert process.returncode != 0 and "备份已中止" in err and "Traceback" not in err
    assert os.listdir(folder) == []
    if office.name == "postgresql":
        host = office.url.split("@", 1)[1].split("/", 1)[0]
        with psycopg.connect(f"postgresql://gongkai@{host}/gongkai_test") as c:
            left = c.execute("SELECT datname FROM pg_database WHERE datname LIKE 'gongkai_verify_%'").fetchall()
        assert left == []
