"""``gongkai db backup`` and ``gongkai db restore``: a copy of the database that is known to be
whole, and its return into an empty database.

A backup is taken while the office works (SQLite's online backup API; PostgreSQL's
``pg_dump -Fc``, one consistent snapshot), then verified as ``db check`` verifies the
database itself: the storage engine's checks, the schema revision, and every unit's hash
chain with every record replayed against it. Only a copy that passes is kept, never over an
existing file (:mod:`gongkai.core.paperwork.safe_write`); each unit's chain head in the copy is
printed and logged in that unit's own chain, so the log says which backups exist and what
they hold. A restore writes into an empty database only, and is verified again.

A PostgreSQL copy is verified by restoring it into a scratch database on the same server,
dropped afterwards (the database user needs the CREATEDB privilege).
"""

from __future__ import annotations

import os
import secrets
import shutil
import sqlite3
import subprocess
import urllib.parse
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

from gongkai.core.errors import GongkaiError

SUBJECT = "database"  # Event.subject_kind of a backup or restore; subject_id is None
DUMP_MAGIC = b"PGDMP"  # the first bytes of a pg_dump custom-format archive
SQLITE_MAGIC = b"SQLite format 3\x00"
RESTORE_STOPPED = ("恢复已中止（Ctrl-C 或 SIGTERM）：恢复要么整个写入、要么不写（SQLite 先写临时文件，PostgreSQL 在一个事务中"
                   "恢复），临时文件和临时数据库已清除。请用 `gongkai db check` 查看目标库，再决定是否重新恢复。")


@contextmanager
def _stoppable(message: str) -> Iterator[None]:
    """SIGTERM (systemd stopping the timer's service, say) ends the work as Ctrl-C does: the
    temporary file and the scratch database are removed on the way out, and it is said so."""
    import signal
    import threading

    def stop(_signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt

    main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, stop) if main else None
    try:
        yield
    except KeyboardInterrupt:
        raise GongkaiError(message) from None
    finally:
        if main:
            signal.signal(signal.SIGTERM, previous)


# ------------------------------------------------------------------------------------- verifying

def heads(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Each unit's chain head from a :func:`~gongkai.core.audit.database_check.check_engine` report."""
    audit = report["audit"] or {}
    units = audit.get("units", [audit] if "unit" in audit else [])
    return [{"unit": u["unit"], "unit_id": u["unit_id"], "events": u["events"], "head": f"{u['events']}:{u['head']}"}
            for u in units]


def problems(report: dict[str, Any], limit: int = 5) -> list[str]:
    """What a failed verification found, in words, the first few."""
    found = list(report["storage"]["problems"])
    if report["schema"]["status"] == "empty":
        found.append("空库，没有任何表")
    elif report["schema"]["status"] != "current":
        found.append(f"结构版本 {report['schema'].get('current')} 不是最新版本 {report['schema'].get('head')}")
    audit = report["audit"] or {}
    for one in audit.get("units", [audit] if "unit" in audit else []):
        if not one["chain_ok"]:
            found.append(f"单位 {one['unit']} 的事件日志在第 {one['broken']['seq']} 条处断链：{one['broken']['problem']}")
        found += [f"单位 {one['unit']}：{p['message']}" for p in one["records"]["problems"]]
    if report["audit"] is not None and not heads(report):
        found.append("库中没有任何单位")
    return found[:limit] or ["校验未通过"]


def _refuse_unverified(report: dict[str, Any], what: str) -> None:
    if not report["ok"]:
        raise GongkaiError(f"{what}未通过校验：" + "；".join(problems(report))
                           + "。请先运行 `gongkai db check` 查明原因（必要时从更早的备份恢复）。")


def _sqlite_reader(path: Path) -> Any:
    """A read-only engine on a SQLite file: verifying a copy never changes it (no WAL, no -shm)."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    uri = f"file:{urllib.parse.quote(str(path.resolve()))}?mode=ro"
    return create_engine("sqlite://", creator=lambda: sqlite3.connect(uri, uri=True), poolclass=NullPool)


def _check_copy(engine: Any, app: Any) -> dict[str, Any]:
    from gongkai.core.audit.database_check import check_engine

    try:
        return check_engine(engine, app.registry, app.calendar)
    finally:
        engine.dispose()


# --------------------------------------------------------------------------------------- backup

def backup(app: Any, dest: str, actor: str) -> dict[str, Any]:
    """Copy the unit's (or district's) database to ``dest``, verify the copy, keep it only if it
    passes, and log each unit's head in its chain. Returns ``{"path", "bytes", "backend", "units"}``."""
    from gongkai.core.paperwork.safe_write import write_by
    from gongkai.core.records.storage import unreachable

    target = app.output(dest)
    if not target.to_stdout and os.path.lexists(target.path):
        raise GongkaiError(f"{dest} 已存在：备份从不覆盖已有文件。请换一个文件名（如按日期命名：gongkai-2026-12-07.db）。")
    url = app.config.database_url
    engine = app.raw_engine
    found: dict[str, Any] = {}
    with _stoppable(f"备份已中止（Ctrl-C 或 SIGTERM）：没有写入 {dest}，临时文件和用于校验的临时数据库已清除。"), unreachable(url):
        if engine.dialect.name == "sqlite":
            from gongkai.core.audit.database_check import check_file, sqlite_file

            check_file(url)
            source = sqlite_file(url)

            def produce(tmp: Path) -> None:
                _sqlite_copy(source, tmp)
                found.update(_check_copy(_sqlite_reader(tmp), app))
                _refuse_unverified(found, "备份")
        elif engine.dialect.name == "postgresql":
            def produce(tmp: Path) -> None:
                schema = _pg_schema(engine)
                _run([_tool("pg_dump"), "--format=custom", f"--schema={schema}", "--no-owner", "--no-privileges",
                      f"--file={tmp}"], url, "备份（pg_dump）")
                with _scratch_database(engine) as scratch:
                    _pg_restore(tmp, scratch, schema, create_schema=True)
                    found.update(_check_copy(_pg_engine(scratch), app))
                _refuse_unverified(found, "备份")
        else:
            raise GongkaiError(f"不支持备份 {engine.dialect.name} 数据库：只支持 SQLite 和 PostgreSQL。")
        path = write_by(target, produce, private=True)
    units = heads(found)
    size = path.stat().st_size
    _log(engine, units, "backup", actor, {"file": path.name, "bytes": size})
    return {"path": str(path), "bytes": size, "backend": engine.dialect.name, "units": units}


def _sqlite_copy(source: Path, dest: Path) -> None:
    """SQLite's online backup API: a consistent copy while others read and write, the WAL's
    commits included; the copy is one self-contained file (rollback journal, not WAL)."""
    try:
        with closing(sqlite3.connect(source, timeout=30)) as src, closing(sqlite3.connect(dest)) as dst:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.Error as exc:
        raise GongkaiError(f"无法复制数据库 {source}：{exc}。请确认文件可读、磁盘有空间后重试。") from None


# -------------------------------------------------------------------------------------- restore

def restore(app: Any, source: str, actor: str) -> dict[str, Any]:
    """Restore the backup ``source`` into the configured database, which must be empty; verify
    it and log the restore in each unit's chain. Returns ``{"path", "backend", "units"}``."""
    from gongkai.core.records.storage import unreachable

    backup_file = Path(source)
    if not backup_file.is_file():
        raise GongkaiError(f"备份文件 {source} 不存在或不是普通文件，请核对路径。")
    with backup_file.open("rb") as fh:
        start = fh.read(len(SQLITE_MAGIC))
    url = app.config.database_url
    engine = app.raw_engine
    with _stoppable(RESTORE_STOPPED), unreachable(url):
        if engine.dialect.name == "sqlite":
            if not start.startswith(SQLITE_MAGIC):
                raise GongkaiError(f"{source} 不是 SQLite 数据库的备份（{'是 PostgreSQL 的备份，' if start.startswith(DUMP_MAGIC) else ''}"
                                   "本单位使用 SQLite）：请核对文件，或把 database_url 指向 PostgreSQL 的空库。")
            report = _restore_sqlite(app, backup_file)
        elif engine.dialect.name == "postgresql":
            if not start.startswith(DUMP_MAGIC):
                raise GongkaiError(f"{source} 不是 PostgreSQL 的备份（pg_dump -Fc 格式；"
                                   f"{'是 SQLite 数据库，' if start.startswith(SQLITE_MAGIC) else ''}本单位使用 PostgreSQL）：请核对文件。")
            report = _restore_postgresql(app, backup_file)
        else:
            raise GongkaiError(f"不支持恢复到 {engine.dialect.name} 数据库：只支持 SQLite 和 PostgreSQL。")
    units = heads(report)
    _log(engine, units, "restore", actor, {"file": backup_file.name})
    return {"path": str(backup_file), "backend": engine.dialect.name, "units": units}


def _not_empty(what: str, tables: int) -> GongkaiError:
    return GongkaiError(f"目标数据库 {what} 不是空库（已有 {tables} 张表）：恢复只写入空库，不覆盖任何记录。"
                        "请新建一个空库（SQLite：指向一个尚不存在的文件；PostgreSQL：用 createdb 新建），"
                        "用 gongkai.toml 的 database_url 或 --db 指向它后再恢复。")


def _restore_sqlite(app: Any, backup_file: Path) -> dict[str, Any]:
    from gongkai.core.audit.database_check import sqlite_file
    from gongkai.core.paperwork.safe_write import Target, write_by

    target = sqlite_file(app.config.database_url)
    if target is None:
        raise GongkaiError("目标是内存数据库，不能恢复到这里：请用 database_url 或 --db 指向一个文件。")
    companions = [Path(f"{target}{suffix}") for suffix in ("-wal", "-shm", "-journal")]
    if os.path.lexists(target) or any(os.path.lexists(c) for c in companions):
        sizes = [p.stat().st_size if p.is_file() else -1 for p in (target, *companions) if os.path.lexists(p)]
        if any(size != 0 for size in sizes):  # a database, or commits still in its -wal: never replaced
            tables = _sqlite_tables(target) if target.is_file() else 0
            if tables:
                raise _not_empty(str(target), tables)
            raise GongkaiError(f"目标 {target} 已存在（或留有其 -wal 等日志文件）：恢复只写入尚不存在的文件，不覆盖任何文件。"
                               "请用 database_url 或 --db 指向一个新文件名。")
        for empty in (target, *companions):  # empty files only (what opening a database leaves): nothing to lose
            if os.path.lexists(empty):
                empty.unlink()
    found: dict[str, Any] = {}

    def produce(tmp: Path) -> None:
        _sqlite_copy(backup_file, tmp)
        found.update(_check_copy(_sqlite_reader(tmp), app))
        _refuse_unverified(found, "恢复后的数据库")

    write_by(Target(str(target)), produce, private=True)
    return found


def _sqlite_tables(path: Path) -> int:
    try:
        with closing(sqlite3.connect(f"file:{urllib.parse.quote(str(path.resolve()))}?mode=ro", uri=True)) as c:
            return c.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
    except sqlite3.Error:
        raise GongkaiError(f"目标 {path} 已存在且不是可读的 SQLite 数据库：恢复不覆盖它，请指向一个尚不存在的文件。") from None


def _restore_postgresql(app: Any, backup_file: Path) -> dict[str, Any]:
    from sqlalchemy import inspect

    engine = app.raw_engine
    schema = _pg_schema(engine)
    with engine.connect() as connection:
        tables = len(inspect(connection).get_table_names())
    if tables:
        raise _not_empty(f"（模式 {schema}）", tables)
    dumped = _dump_schema(backup_file)
    if dumped != schema:
        raise GongkaiError(f"备份来自模式 {dumped}，目标库的当前模式是 {schema}：请让目标库使用模式 {dumped}"
                           f"（database_url 加 ?options=-csearch_path%3D{dumped}，并先建立该模式）后再恢复。")
    with _scratch_database(engine) as scratch:  # the backup verified before anything is written
        _pg_restore(backup_file, scratch, schema, create_schema=True)
        _refuse_unverified(_check_copy(_pg_engine(scratch), app), f"备份文件 {backup_file}")
    _pg_restore(backup_file, str(engine.url.render_as_string(hide_password=False)), schema, create_schema=False)
    report = check_engine_of(app)
    _refuse_unverified(report, "恢复后的数据库")
    return report


def check_engine_of(app: Any) -> dict[str, Any]:
    from gongkai.core.audit.database_check import check_engine

    return check_engine(app.raw_engine, app.registry, app.calendar, app.config.database_url)


# ----------------------------------------------------------------------------------- PostgreSQL

def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise GongkaiError(f"找不到 PostgreSQL 的 {name} 程序：请安装 PostgreSQL 客户端（Debian：apt-get install postgresql-client），"
                           "其版本不低于数据库服务器的版本。")
    return found


def _libpq(url: str) -> tuple[str, dict[str, str]]:
    """A SQLAlchemy URL as a libpq connection URI for pg_dump/pg_restore; the password goes in
    the environment (PGPASSWORD), never on a command line others can read."""
    from sqlalchemy.engine import make_url

    from gongkai.core.records.storage import normalise_url

    parsed = make_url(normalise_url(url))
    env = {**os.environ}
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    plain = parsed.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _run(command: list[str], url: str, what: str) -> None:
    uri, env = _libpq(url)
    result = subprocess.run([*command, f"--dbname={uri}"], capture_output=True, text=True, env=env)
    if result.returncode != 0:
        detail = (result.stderr.strip().splitlines() or ["（无输出）"])[-1]
        raise GongkaiError(f"{what}失败：{detail}。请检查数据库连接与权限后重试。")


def _pg_schema(engine: Any) -> str:
    from sqlalchemy import text

    with engine.connect() as connection:
        schema = connection.execute(text("SELECT current_schema()")).scalar()
    if not schema:
        raise GongkaiError("数据库的 search_path 中没有已存在的模式：请先建立该模式（CREATE SCHEMA）。")
    return schema


def _pg_engine(url: str) -> Any:
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    from gongkai.core.records.storage import normalise_url

    return create_engine(normalise_url(url), poolclass=NullPool)


@contextmanager
def _scratch_database(engine: Any) -> Iterator[str]:
    """An empty database on the same server for verifying a dump; dropped afterwards."""
    from sqlalchemy import text

    name = f"gongkai_verify_{os.getpid()}_{secrets.token_hex(4)}"
    admin = engine.execution_options(isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        from gongkai.core.audit.database_check import first_line

        raise GongkaiError(f"校验备份需要在同一服务器上建立临时数据库，未能建立（{first_line(exc)}）："
                           "请给数据库用户 CREATEDB 权限（ALTER ROLE 用户 CREATEDB）后重试。") from None
    try:
        yield engine.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _listing(dump: Path) -> list[str]:
    result = subprocess.run([_tool("pg_restore"), "--list", str(dump)], capture_output=True, text=True)
    if result.returncode != 0:
        raise GongkaiError(f"{dump} 不是可读的 PostgreSQL 备份（pg_restore 无法列出其内容）：请核对文件是否完整。")
    return result.stdout.splitlines()


def _entry(line: str) -> list[str]:
    """A pg_restore --list line ``ID; OID OID TYPE SCHEMA NAME OWNER`` (type may be two words)."""
    return line.split(";", 1)[1].split() if ";" in line and not line.startswith(";") else []


def _dump_schema(dump: Path) -> str:
    for line in _listing(dump):
        parts = _entry(line)
        if len(parts) >= 5 and parts[2] == "TABLE":
            return parts[3]
    raise GongkaiError(f"{dump} 中没有任何表：不是 gongkai 数据库的备份。")


def _pg_restore(dump: Path, url: str, schema: str, create_schema: bool) -> None:
    """Restore ``dump`` into ``url``; the schema itself is made here (where needed), not by the
    dump, so a dump of ``public`` and of any other schema restore alike."""
    from sqlalchemy import text

    if create_schema and schema != "public":
        scratch = _pg_engine(url.split("?", 1)[0])
        try:
            with scratch.begin() as connection:
                connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
        finally:
            scratch.dispose()
    kept = [line for line in _listing(dump) if _entry(line)[2:3] != ["SCHEMA"] and _entry(line)[2:4] != ["COMMENT", "-"]
            or not _entry(line)]
    listing = dump.with_name(dump.name + ".list")
    listing.write_text("\n".join(kept) + "\n", encoding="utf-8")
    try:
        _run([_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
              f"--use-list={listing}", str(dump)], url, "恢复（pg_restore）")
    finally:
        listing.unlink(missing_ok=True)


# ------------------------------------------------------------------------------------------ log

def _log(engine: Any, units: list[dict[str, Any]], action: str, actor: str, after: dict[str, Any]) -> None:
    """One event in each unit's chain: which file, and the head it was verified at."""
    from gongkai.core.records.scoping import bound
    from gongkai.core.records.storage import record_event, session_scope

    for unit in units:
        with session_scope(bound(engine, unit["unit_id"])) as session:
            record_event(session, subject_kind=SUBJECT, subject_id=None, action=action, actor=actor,
                         after={**after, "head": unit["head"]})
