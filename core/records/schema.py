"""Schema migrations (Alembic): the database is brought to the newest revision on first use.

The revisions live in ``gongkai/core/records/migrations/versions`` and ship in the wheel. ``gongkai db
upgrade`` runs them explicitly; :func:`upgrade` also runs whenever the application opens the
database, under a lock, so two processes opening a new database do not both migrate it
(PostgreSQL: an advisory lock; SQLite: ``BEGIN IMMEDIATE``, its single writer).

A table that a module defines but no revision creates yet is still created (``create_all``
with ``checkfirst``), so a branch adding a table works before its revision is written;
``tests/test_migrations.py`` fails until the revision exists (``gongkai db revision``).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Connection, Engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_PG_LOCK = 0x676F6E676B6169  # "gongkai": the advisory lock key for migrations


def alembic_config(connection: Connection | None = None, unit: dict[str, Any] | None = None) -> Any:
    """``unit``: the folder's one unit (name, letter prefix...) or ``{"district": True}``, for revision 0016."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("path_separator", "os")
    cfg.attributes["connection"] = connection
    cfg.attributes["unit"] = unit or {}
    return cfg


# Database objects the models do not describe, made by revisions with raw SQL: the ledger
# search index (SQLite FTS5 table and its shadow tables; PostgreSQL's column of bigrams and
# its GIN index, revision 0020).
UNMODELLED = ("request_search", "ix_request_search", "search_bigrams")


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    """For schema comparisons (autogenerate, tests): leave out :data:`UNMODELLED` objects."""
    return not (name and name.startswith(UNMODELLED))


_REVISION = re.compile(r'^(down_revision|revision)\s*=\s*["\']([^"\']+)["\']', re.MULTILINE)


@functools.lru_cache(maxsize=1)
def head() -> str:
    """The newest revision id: the revision no other names as its ``down_revision``. Read from
    the revision files' assignments, not through Alembic, whose import alone costs several
    times a bare interpreter's start and which a database already at head never needs
    (tests/test_migrations.py checks this agrees with Alembic's own answer)."""
    revisions, parents = set(), set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        found = dict(_REVISION.findall(path.read_text(encoding="utf-8")))
        if "revision" in found:
            revisions.add(found["revision"])
            parents.add(found.get("down_revision"))
    heads = revisions - parents
    if len(heads) != 1:  # a fork in the chain: let Alembic say what is wrong
        from alembic.script import ScriptDirectory

        return ScriptDirectory.from_config(alembic_config()).get_current_head()
    return heads.pop()


def current(engine: Engine) -> str | None:
    """The revision the database is at, or None for an empty database (Alembic's
    ``alembic_version`` table, read with one query)."""
    from sqlalchemy import inspect, text

    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {script.revision for script in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def state(engine: Engine) -> dict[str, Any]:
    """The database's revision against this gongkai's: ``{"current", "head", "status"}``;
    status ``current``, ``behind`` (``gongkai db upgrade``), ``empty`` (no tables yet),
    ``newer`` (written by a newer gongkai) or ``foreign`` (tables, none of them gongkai's)."""
    from sqlalchemy import inspect
    from sqlmodel import SQLModel

    from gongkai.core.records.storage import import_models

    revision, top = current(engine), head()
    if revision is None:
        import_models()
        tables = set(inspect(engine).get_table_names())
        status = "empty" if not tables else "behind" if tables & set(SQLModel.metadata.tables) else "foreign"
        return {"current": None, "head": top, "status": status, "tables": sorted(tables)[:10]}
    status = "current" if revision == top else "behind" if revision in known_revisions() else "newer"
    return {"current": revision, "head": top, "status": status}


def refuse_incompatible(engine: Engine, found: dict[str, Any] | None = None) -> dict[str, Any]:
    """A database gongkai must not touch, refused in words: one from a newer gongkai (its
    revision unknown here) or another system's (tables, none of them gongkai's)."""
    from gongkai.core.errors import GongkaiError

    found = found or state(engine)
    if found["status"] == "newer":
        raise GongkaiError(
            f"数据库的结构版本 {found['current']} 比本程序支持的最新版本 {found['head']} 新：它已被更新版本的 gongkai "
            "使用过。请升级 gongkai（pip install -U gongkai）后再使用；旧版本不会改写它。")
    if found["status"] == "foreign":
        raise GongkaiError(
            f"数据库中已有其他表（{'、'.join(found['tables'])}……），但没有 gongkai 的结构版本记录：它不是 gongkai 的数据库。"
            "请核对 database_url（gongkai.toml、GONGKAI_DATABASE_URL 或 --db）；gongkai 不会在其他系统的数据库里建表。")
    return found


def _lock(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_LOCK})")
    elif connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def upgrade(engine: Engine, revision: str = "head", unit: dict[str, Any] | None = None) -> str | None:
    """Migrate the database to ``revision`` (all-or-nothing); returns the revision reached.
    ``unit``: see :func:`alembic_config`."""
    from sqlmodel import SQLModel

    from gongkai.core.records.storage import import_models

    target = head() if revision == "head" else revision
    # the usual case: at head with the tables of the models loaded so far (the command's
    # own): nothing to do, and neither Alembic nor the other workflows' models imported
    if revision == "head" and _at_head(engine, target):
        return target
    from alembic import command

    import_models()
    refuse_incompatible(engine)
    with engine.begin() as connection:
        _lock(connection)
        command.upgrade(alembic_config(connection, unit), revision)
        if revision == "head":
            SQLModel.metadata.create_all(connection, checkfirst=True)
    return current(engine)


def _at_head(engine: Engine, target: str) -> bool:
    """Whether the database is at ``target`` with every table of the loaded models (one connection)."""
    from sqlalchemy import inspect, text
    from sqlmodel import SQLModel

    with engine.connect() as connection:
        found = inspect(connection)
        if not found.has_table("alembic_version"):
            return False
        if connection.execute(text("SELECT version_num FROM alembic_version")).scalar() != target:
            return False
        return set(SQLModel.metadata.tables) <= set(found.get_table_names())


def revision(message: str) -> Path:
    """Write a new revision file from the difference between the models and the migrations."""
    import tempfile

    from alembic import command

    from gongkai.core.records.storage import make_engine

    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/head.db")
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "head")
            latest = head()
            number = f"{int(latest) + 1:04d}" if latest and latest.isdigit() else None
            script = command.revision(alembic_config(connection), message=message, autogenerate=True, rev_id=number)
        engine.dispose()
    return Path(script.path)  # type: ignore[union-attr]
