"""``gongkai db check``: is the database sound and whole? The storage engine's own checks,
the schema revision, and the event log with every record checked against it, in one report.

A database from a newer gongkai, a damaged file or a file that is not a gongkai database is
reported in words, never with a traceback; nothing is written to the database.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gongkai.core.errors import GongkaiError

SQLITE_MAGIC = b"SQLite format 3\x00"  # the first 16 bytes of every SQLite database (sqlite.org/fileformat.html)


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL (None for another backend or an in-memory database)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def check_file(url: str) -> None:
    """A SQLite database file that is missing, or is not a SQLite file at all, refused in words."""
    path = sqlite_file(url)
    if path is None:
        return
    if not path.is_file():
        raise GongkaiError(f"数据库文件 {path} 不存在。请核对 database_url，或在单位目录中运行 `gongkai init`。")
    with path.open("rb") as fh:
        start = fh.read(len(SQLITE_MAGIC))
    if start != SQLITE_MAGIC:
        raise GongkaiError(f"{path} 不是 SQLite 数据库文件（开头没有 SQLite 的文件标志），可能是其他文件、或已被覆盖。"
                           "请核对 database_url；是本单位的数据库的，请从备份恢复。")


def storage_problems(engine: Any) -> list[str]:
    """The backend's own consistency checks; the problems found (none: sound)."""
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            found = [row[0] for row in connection.exec_driver_sql("PRAGMA integrity_check")]
            problems = [] if found == ["ok"] else found
            problems += [f"表 {table} 的第 {rowid} 行引用的 {parent} 记录不存在（外键）"
                         for table, rowid, parent, _ in connection.exec_driver_sql("PRAGMA foreign_key_check")]
            return problems
        return _postgresql_problems(connection)


def _postgresql_problems(connection: Any) -> list[str]:
    """PostgreSQL has no one integrity check: every table is read through (a damaged page
    fails the read) and, where the amcheck extension is installed, every B-tree index is
    verified (bt_index_check)."""
    from sqlalchemy import inspect, text

    problems = []
    for table in inspect(connection).get_table_names():
        try:
            with connection.begin_nested():
                connection.execute(text(f'SELECT count(*) FROM "{table}"'))
        except Exception as exc:  # the server's own message says which page or file
            problems.append(f"表 {table} 无法完整读取：{first_line(exc)}")
    if connection.execute(text("SELECT 1 FROM pg_extension WHERE extname = 'amcheck'")).first():
        indexes = connection.execute(text(
            "SELECT c.oid, c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "JOIN pg_am a ON a.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE a.amname = 'btree' AND n.nspname = current_schema()")).all()
        for oid, name in indexes:
            try:
                with connection.begin_nested():
                    connection.execute(text("SELECT bt_index_check(:oid)"), {"oid": oid})
            except Exception as exc:
                problems.append(f"索引 {name} 损坏：{first_line(exc)}")
    connection.rollback()
    return problems


def first_line(exc: BaseException) -> str:
    cause = getattr(exc, "orig", None) or exc
    text = str(cause).strip()
    return text.splitlines()[0] if text else type(cause).__name__


def check(app: Any) -> dict[str, Any]:
    """Everything ``gongkai db check`` reports: ``{"ok", "storage", "schema", "audit", ...}``."""
    from gongkai.core.records.storage import display_url

    url = app.config.database_url
    check_file(url)
    return {"url": display_url(url), **check_engine(app.raw_engine, app.registry, app.calendar, url)}


def check_engine(engine: Any, registry: Any, calendar: Any, url: str = "") -> dict[str, Any]:
    """The storage engine's checks, the schema revision and every unit's chain and records
    replayed (``audit verify``, clocks recomputed on ``calendar``), on any engine: the unit's
    database, or a backup's copy."""
    from gongkai.core.records import schema
    from gongkai.core.audit.replay import verify_all
    from gongkai.core.records.storage import session_scope, unreachable

    with unreachable(url or str(engine.url)):
        problems = storage_problems(engine)
        revision = schema.refuse_incompatible(engine, schema.state(engine))
    result: dict[str, Any] = {"backend": engine.dialect.name,
                              "storage": {"ok": not problems, "problems": problems}, "schema": revision, "audit": None}
    if revision["status"] == "current" and not problems:
        from sqlalchemy import select

        from gongkai.core.records.units import Unit
        from gongkai.core.records.scoping import bound

        with session_scope(engine) as session:
            units = session.execute(select(Unit.id, Unit.code).order_by(Unit.code)).all()
        reports = []
        for unit_id, code in units:  # each unit's chain on its own
            with session_scope(bound(engine, unit_id)) as session:
                reports.append({"unit": code, "unit_id": unit_id,
                                **verify_all(session, registry=registry, calendar=calendar)})
        if len(reports) == 1:
            result["audit"] = reports[0]
        else:  # a district: every unit (none yet: nothing to check)
            result["audit"] = {"ok": all(r["ok"] for r in reports), "units": reports}
    result["ok"] = bool(result["audit"] and result["audit"]["ok"])
    return result
