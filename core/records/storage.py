"""The database: SQLModel on SQLite by default (a file, WAL mode), PostgreSQL by URL.

Every workflow module defines its tables with SQLModel and writes through
:func:`session_scope`, which commits everything or nothing. Every state change also
appends an :class:`Event` (who, when, what, before/after) through :func:`record_event`;
the ledger and the annual report are built from stored facts, never from hand counts.
"""

from __future__ import annotations

import atexit
import datetime as dt
import fcntl
import functools
import json
import os
import threading
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from itertools import repeat
from operator import itemgetter
from typing import Any

from sqlalchemy import UniqueConstraint, insert
from sqlalchemy import event as sa_event
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Field, Session, SQLModel, create_engine

from gongkai.core.errors import GongkaiError
from gongkai.core.records.units import UnitOwned


class Setting(SQLModel, table=True):
    """Key/value facts about the database itself (e.g. the calendar it was computed with)."""

    __tablename__ = "setting"

    key: str = Field(primary_key=True, max_length=100)
    value: str = Field(default="")


class Event(UnitOwned, table=True):
    """An append-only record of one state change.

    Events form a hash chain (:mod:`gongkai.core.records.chain`): ``seq`` is the position in the
    chain and ``hash`` covers the event's fields and ``prev_hash``. Both are filled in when
    the transaction commits, so an edit, deletion or reordering behind the application's
    back is found by ``gongkai audit verify``. ``at`` is stored in UTC.
    """

    __tablename__ = "event"
    __table_args__ = (UniqueConstraint("unit_id", "seq", name="uq_event_unit_seq"),)  # a chain per unit

    id: int | None = Field(default=None, primary_key=True)
    seq: int | None = None
    at: dt.datetime
    actor: str = Field(default="", max_length=200)
    subject_kind: str = Field(max_length=40)  # "request", "document", "matter", ...
    subject_id: int | None = Field(default=None, index=True)
    action: str = Field(max_length=80)
    before: str | None = None  # JSON
    after: str | None = None  # JSON
    prev_hash: str | None = Field(default=None, max_length=64)
    hash: str | None = Field(default=None, max_length=64)


PENDING_EVENTS = "gongkai.pending_events"  # session.info key: events to chain at commit
# session.info key: what the interface proved about who acts (the CLI's OS user), added to
# every event the transaction records
ACTING = "gongkai.acting"


def event_json(value: Any) -> str | None:
    """Canonical JSON, with ID and phone numbers masked: the log is read by many staff."""
    from gongkai.core.records.privacy import mask_text

    if value is None:
        return None
    return mask_text(json.dumps(value, ensure_ascii=False, sort_keys=True, default=str))


def utc(moment: dt.datetime) -> dt.datetime:
    """``moment`` in UTC (a naive value is taken to be UTC already)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc)


def record_event(
    session: Session,
    *,
    subject_kind: str,
    subject_id: int | None,
    action: str,
    actor: str = "",
    before: Any = None,
    after: Any = None,
    at: dt.datetime | None = None,
) -> Event:
    """Append an event in the caller's transaction (it commits or rolls back with it).

    The event joins the hash chain when the transaction commits (see :mod:`gongkai.core.records.chain`).
    """
    acting = session.info.get(ACTING)
    if acting and (after is None or isinstance(after, dict)):
        after = {**(after or {}), **acting}
    ev = Event(at=utc(at or dt.datetime.now(dt.timezone.utc)), actor=actor, subject_kind=subject_kind,
               subject_id=subject_id, action=action, before=event_json(before), after=event_json(after))
    session.add(ev)
    session.info.setdefault(PENDING_EVENTS, []).append(ev)
    return ev


def insert_rows(session: Session, table: Any, rows: list[dict[str, Any]], return_ids: bool = False) -> list[int]:
    """Insert ``rows`` (dicts with the same keys) into ``table``: :func:`insert_columns`
    for rows given one by one. With ``return_ids``, the new ids in the order of ``rows``."""
    if not rows:
        return []
    names = list(rows[0])
    values = zip(*map(itemgetter(*names), rows)) if len(names) > 1 else [[r[names[0]] for r in rows]]
    return insert_columns(session, table, dict(zip(names, map(list, values))), len(rows), return_ids)


def insert_columns(session: Session, table: Any, columns: dict[str, Any], count: int,
                   return_ids: bool = False) -> list[int]:
    """Insert ``count`` rows into ``table``, given column by column: a list holds each row's
    value, anything else is every row's value. One DB-API executemany in the caller's
    transaction: the bulk path of imports, without SQLAlchemy's per-row parameter
    processing (which costs more than SQLite's own insert). Values pass through the column
    types' bind processors, as SQLAlchemy would store them.

    On SQLite a column with one value for every row is written into the statement as a
    literal (rendered by SQLAlchemy), so only the columns that vary are bound, row by row.
    With ``return_ids``, the new primary keys ``id`` in the order of the rows.
    """
    if not count:
        return []
    given = columns.get("unit_id")
    if "unit_id" in table.c and (given is None or isinstance(given, list) and given.count(None) == count):
        # the bulk path's rows belong to the session's unit
        from gongkai.core.records.scoping import unit_of

        if unit_of(session) is None:
            raise RuntimeError(f"rows of {table.name} inserted without a unit on a district-wide session")
        columns = {**columns, "unit_id": unit_of(session)}
    conn = session.connection()
    dialect = conn.dialect
    if dialect.name != "sqlite":
        rows = [dict(zip(columns, values)) for values in zip(*(
            v if isinstance(v, list) else repeat(v, count) for v in columns.values()))]
        if return_ids:  # PostgreSQL: batched INSERT ... RETURNING, sorted into the order of rows
            return list(session.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), rows).scalars())
        session.execute(insert(table), rows)
        return []
    constants = {}
    varying = {}
    for name, values in columns.items():
        if isinstance(values, list) and len(set(values)) == 1:
            values = values[0]
        if isinstance(values, list) or not _literal(values):
            varying[name] = values if isinstance(values, list) else [values] * count
        else:
            constants[name] = values
    sql, names = insert_statement(table, tuple(varying), tuple(constants.items()), dialect)
    bound = []
    for name in names:
        process = _bind_processor(table.c[name], dialect)
        bound.append(varying[name] if process is None else list(map(process, varying[name])))
    conn.exec_driver_sql(sql, list(zip(*bound)) if bound else [()] * count)
    if not return_ids:
        return []
    # SQLite: one writer, and this transaction holds the write lock since its first write, so
    # the rows just inserted got consecutive rowids (each the largest so far plus one)
    last = conn.exec_driver_sql(f"SELECT max(id) FROM {table.name}").scalar()
    return list(range(last - count + 1, last + 1))


@functools.lru_cache(maxsize=None)
def _bind_processor(column: Any, dialect: Any) -> Callable[[Any], Any] | None:
    """The column type's bind processor, remembering its results: dates and times repeat."""
    process = column.type.dialect_impl(dialect).bind_processor(dialect)
    return None if process is None else functools.lru_cache(maxsize=4096)(process)


def _literal(value: Any) -> bool:
    """Whether ``value`` is written into SQL as is (dates and times are bound: their stored
    text is the bind processor's)."""
    return value is None or type(value) in (bool, int) or (type(value) is str and "\x00" not in value)


@functools.lru_cache(maxsize=64)
def insert_statement(table: Any, varying: tuple[str, ...], constants: tuple[tuple[str, Any], ...],
                     dialect: Any) -> tuple[str, list[str]]:
    """The INSERT of :func:`insert_columns` (``?`` per varying column, a literal per
    constant one) and the varying columns in the order of its ``?``."""
    from sqlalchemy import literal, literal_column

    literals = {
        name: literal_column(literal(value, table.c[name].type).compile(
            dialect=dialect, compile_kwargs={"literal_binds": True}).string)
        for name, value in constants
    }
    compiled = insert(table).values(literals).compile(dialect=dialect, column_keys=list(varying))
    return str(compiled), list(compiled.positiontup or [])


def events_for(session: Session, subject_kind: str, subject_id: int) -> list[dict[str, Any]]:
    from sqlmodel import select

    from gongkai.core.today import beijing_text

    rows = session.exec(
        select(Event)
        .where(Event.subject_kind == subject_kind, Event.subject_id == subject_id)
        .order_by(Event.id)
    ).all()
    return [
        {
            "id": e.id,
            "at": e.at.isoformat(),
            "at_beijing": beijing_text(e.at),  # what people read: 北京时间
            "actor": e.actor,
            "action": e.action,
            "before": json.loads(e.before) if e.before else None,
            "after": json.loads(e.after) if e.after else None,
        }
        for e in rows
    ]


def bigram_words(value: str | None) -> str:
    """Every two adjacent characters of ``value``, lower-cased, as space-separated words: what
    the ledger search's FTS5 table holds for a name or subject (:mod:`gongkai.core.requests.search`;
    SQL ``gongkai_bigram_words``, called by the triggers that keep that table, revision 0018)."""
    value = (value or "").lower()
    return " ".join(value[i:i + 2] for i in range(len(value) - 1))


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.create_function("gongkai_bigram_words", 1, bigram_words, deterministic=True)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


# SQLite settings for a bulk write, and the defaults they replace (sqlite.org/pragma.html)
BULK_PRAGMAS = {
    "cache_size": (-65536, -2000),  # KiB: a batch's index pages stay in memory until commit (2 MiB by default)
    "wal_autocheckpoint": (10000, 1000),  # pages: copy the WAL into the database every ~40 MB, not every 4 MB
}


@contextmanager
def bulk_connection(engine: Engine) -> Iterator[Connection]:
    """One connection for the many transactions of a bulk import (``session_scope(conn)``).
    On SQLite it holds a larger page cache and checkpoints less often while the block runs,
    then has the defaults again (the pool reuses it). Durability is unchanged: each commit
    is as durable as any other (WAL, synchronous=NORMAL)."""
    with engine.connect() as conn:
        sqlite = engine.dialect.name == "sqlite"
        if sqlite:
            for name, (bulk, _) in BULK_PRAGMAS.items():
                conn.exec_driver_sql(f"PRAGMA {name}={bulk}")
            conn.commit()  # the pragmas opened no transaction in SQLite; end SQLAlchemy's too
        try:
            yield conn
        finally:
            if sqlite:
                try:
                    for name, (_, default) in BULK_PRAGMAS.items():
                        conn.exec_driver_sql(f"PRAGMA {name}={default}")
                    conn.commit()
                except Exception:
                    conn.invalidate()  # never back into the pool with the bulk settings


def normalise_url(url: str) -> str:
    """``postgresql://`` (and ``postgres://``) mean the psycopg 3 driver."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets WAL mode, foreign keys and a busy timeout."""
    url = normalise_url(url)
    try:
        engine = create_engine(url, pool_pre_ping=not url.startswith("sqlite"))
    except Exception as exc:  # sqlalchemy.exc.ArgumentError, missing driver, ...
        raise GongkaiError(f"数据库地址“{url}”无效：{exc}。示例：sqlite:///gongkai.db 或 postgresql+psycopg://用户@主机/库名") from None
    if engine.dialect.name == "sqlite":
        sa_event.listen(engine, "connect", _sqlite_pragmas)
    _ENGINES.add(engine)
    return engine


_ENGINES: weakref.WeakSet[Engine] = weakref.WeakSet()


@contextmanager
def one_writer(engine: Engine) -> Iterator[None]:
    """Writers on a SQLite file take turns by a lock that wakes the next one at once, across
    threads and worker processes; elsewhere nothing. SQLite's own busy handler sleeps 1, 2, 5,
    10, 15, 20, 25 … ms between tries, so that many writers at once (the public pages' posts)
    spend most of their wait asleep after the lock is free. For short writes many clients
    make at once; a writer that does not take it still waits by the busy handler. Take it before
    a connection: a connection held while waiting could starve the pool."""
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:":
        yield
        return
    with _WRITER, _flocked(_lock_descriptor(database)):
        yield


_WRITER = threading.Lock()  # this process's threads
_DESCRIPTORS: dict[tuple[int, str], int] = {}


def _lock_descriptor(database: str) -> int:
    """A descriptor of the database file for flock (between worker processes), opened once per
    process and never closed: closing a descriptor of a SQLite file would drop SQLite's own
    POSIX locks on it; flock locks are apart from those, and this process's own (a forked
    parent's descriptor would share its lock)."""
    key = (os.getpid(), database)
    if key not in _DESCRIPTORS:
        _DESCRIPTORS[key] = os.open(database, os.O_RDONLY | os.O_CLOEXEC)
    return _DESCRIPTORS[key]


@contextmanager
def _flocked(fd: int) -> Iterator[None]:
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)


@atexit.register
def _close_engines() -> None:
    """At exit, every engine's idle connections closed, as the interpreter's own finalisation
    closes them: SQLite then writes its WAL back into the database file, so that the file
    alone holds every record (a clerk may copy gongkai.db without its -wal). A preloaded
    command's child (:mod:`gongkai.core.preload.child`) runs the exit functions but ends
    without that finalisation."""
    for engine in list(_ENGINES):
        engine.dispose()


def display_url(url: str) -> str:
    """``url`` without its password, for messages."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return url


@contextmanager
def unreachable(url: str) -> Iterator[None]:
    """Turn a failed connection, or a file that is not a readable database, into a Chinese
    error naming the database and the fix."""
    from sqlalchemy.exc import DatabaseError, OperationalError

    try:
        yield
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        if "not a database" in reason or "malformed" in reason:
            raise GongkaiError(_damaged(url, reason)) from None
        raise GongkaiError(
            f"无法连接数据库 {display_url(url)}：{reason}。请检查 database_url（gongkai.toml、"
            "GONGKAI_DATABASE_URL 或 --db）、数据库服务器是否运行、用户名和密码是否正确。"
        ) from None
    except DatabaseError as exc:  # SQLite: a file that is not a database, or a damaged one
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise GongkaiError(_damaged(url, reason)) from None


def _damaged(url: str, reason: str) -> str:
    return (f"数据库 {display_url(url)} 无法读取（{reason}）：文件已损坏，或不是数据库文件。请核对 database_url；"
            "是本单位的数据库的，请从备份恢复，恢复前不要在此库上办理业务（`gongkai db check` 可检查）。")


def refused_value(exc: BaseException) -> GongkaiError | None:
    """A value the database cannot hold (too long, too large), as a Chinese error; None otherwise."""
    from sqlalchemy.exc import StatementError

    cause = exc.orig if isinstance(exc, StatementError) else exc
    if isinstance(cause, OverflowError) or getattr(cause, "sqlstate", None) == "22003":
        return GongkaiError("输入的数值超出可保存的范围，请核对编号、天数、页数等数字。本次操作未保存任何内容。")
    if getattr(cause, "sqlstate", None) == "22001":
        detail = str(cause).strip().splitlines()[0]
        return GongkaiError(f"输入的文字超过数据库字段的长度上限（{detail}），请精简后重试。本次操作未保存任何内容。")
    return None


def create_schema(engine: Engine, unit: dict[str, Any] | None = None) -> None:
    """Bring the database to the current schema (migrations to head, see :mod:`gongkai.core.records.schema`);
    ``unit``: the folder's unit for revision 0016 (:meth:`gongkai.core.app.App.unit_settings`)."""
    from gongkai.core.records.schema import upgrade

    upgrade(engine, unit=unit)


def import_models() -> None:
    """Import every module that defines tables, so the metadata is complete."""
    import importlib

    for module in MODEL_MODULES:
        importlib.import_module(module)


# Modules that define tables. A workflow module adds itself here.
MODEL_MODULES: list[str] = [
    "gongkai.core.records.units",
    "gongkai.core.records.storage",
    "gongkai.core.time.deadline_store",
    "gongkai.core.records.chain",
    "gongkai.core.requests.models",
    "gongkai.core.reports.indexes",
    "gongkai.core.documents.models",
    "gongkai.core.assessment.evaluation",
    "gongkai.core.matters.models",
    "gongkai.core.accounts.models",
    "gongkai.core.units.contact",
    "gongkai.core.reports.publication",
    "gongkai.core.attachments.models",
]


@contextmanager
def session_scope(engine: Engine | Connection) -> Iterator[Session]:
    """A transaction: committed when the block ends, rolled back on any error. ``engine``
    may be a connection (:func:`bulk_connection`) that is in no transaction."""
    from sqlalchemy.exc import OperationalError
    from sqlalchemy.orm.exc import StaleDataError

    session = Session(engine, expire_on_commit=False)
    try:
        yield session
        session.commit()
    except StaleDataError:
        # optimistic locking: another user changed the row since we read it
        session.rollback()
        raise GongkaiError(CONFLICT_MESSAGE) from None
    except OperationalError as exc:
        session.rollback()
        # PostgreSQL serialization failure / deadlock: the other transaction won
        if getattr(exc.orig, "sqlstate", None) in ("40001", "40P01"):
            raise GongkaiError(CONFLICT_MESSAGE) from None
        if "database is locked" in str(exc.orig):
            raise GongkaiError("数据库正被其他操作占用（超过 10 秒），本次操作未保存，请稍后重试。") from None
        raise
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


CONFLICT_MESSAGE = "记录已被他人修改，请刷新后重试（本次操作未保存任何内容）。"


@sa_event.listens_for(Session, "before_commit")
def _chain_pending_events(session: Session) -> None:
    """Seal the events of this transaction into the hash chain, last thing before commit."""
    if session.info.get(PENDING_EVENTS):
        from gongkai.core.records.chain import seal

        seal(session, session.info.pop(PENDING_EVENTS))


@sa_event.listens_for(Session, "before_flush")
def _refuse_unstorable_text(session: Session, _context: Any, _instances: Any) -> None:
    """Text PostgreSQL cannot store (NUL) or that is not valid Unicode is refused, on every backend."""
    from gongkai.core.records.limits import storable

    for obj in (*session.new, *session.dirty):
        for column, value in vars(obj).items():
            if isinstance(value, str) and not storable(value):
                table = getattr(obj, "__tablename__", type(obj).__name__)
                raise GongkaiError(
                    f"输入的文字（{table}.{column}）含有无法保存的字符（NUL 控制字符或残缺的 Unicode），请删除后重试。"
                )


@sa_event.listens_for(Session, "after_rollback")
def _forget_pending_events(session: Session) -> None:
    session.info.pop(PENDING_EVENTS, None)


def get_setting(session: Session, key: str, default: str = "") -> str:
    row = session.get(Setting, key)
    return row.value if row else default


def set_setting(session: Session, key: str, value: str) -> None:
    """Store ``key`` in one statement (an upsert): processes that open a new database together
    may all write the same key, and a read-then-insert would meet ``UNIQUE setting.key``."""
    from sqlalchemy.orm.util import identity_key

    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = insert(Setting.__table__).values(key=key, value=value)
    session.execute(statement.on_conflict_do_update(index_elements=["key"], set_={"value": value}))
    loaded = session.identity_map.get(identity_key(Setting, key))
    if loaded is not None:
        session.expire(loaded)
