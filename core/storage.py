"""The database: SQLModel on SQLite by default (a file, WAL mode), PostgreSQL by URL.

Every workflow module defines its tables with SQLModel and writes through
:func:`session_scope`, which commits everything or nothing. Every state change also
appends an :class:`Event` (who, when, what, before/after) through :func:`record_event`;
the ledger and the annual report are built from stored facts, never from hand counts.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event as sa_event
from sqlalchemy.engine import Engine
from sqlmodel import Field, Session, SQLModel, create_engine

from gongkai.core.errors import GongkaiError


class Setting(SQLModel, table=True):
    """Key/value facts about the database itself (e.g. the calendar it was computed with)."""

    __tablename__ = "setting"

    key: str = Field(primary_key=True, max_length=100)
    value: str = Field(default="")


class Event(SQLModel, table=True):
    """An append-only record of one state change."""

    __tablename__ = "event"

    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = Field(index=True)
    actor: str = Field(default="", max_length=200)
    subject_kind: str = Field(index=True, max_length=40)  # "request", "document", "matter", ...
    subject_id: int | None = Field(default=None, index=True)
    action: str = Field(max_length=80)
    before: str | None = None  # JSON
    after: str | None = None  # JSON


def _json(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


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
    """Append an event in the caller's transaction (it commits or rolls back with it)."""
    ev = Event(
        at=at or dt.datetime.now(dt.timezone.utc),
        actor=actor,
        subject_kind=subject_kind,
        subject_id=subject_id,
        action=action,
        before=_json(before),
        after=_json(after),
    )
    session.add(ev)
    return ev


def events_for(session: Session, subject_kind: str, subject_id: int) -> list[dict[str, Any]]:
    from sqlmodel import select

    rows = session.exec(
        select(Event)
        .where(Event.subject_kind == subject_kind, Event.subject_id == subject_id)
        .order_by(Event.id)
    ).all()
    return [
        {
            "id": e.id,
            "at": e.at.isoformat(),
            "actor": e.actor,
            "action": e.action,
            "before": json.loads(e.before) if e.before else None,
            "after": json.loads(e.after) if e.after else None,
        }
        for e in rows
    ]


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets WAL mode, foreign keys and a busy timeout."""
    try:
        engine = create_engine(url)
    except Exception as exc:  # sqlalchemy.exc.ArgumentError, missing driver, ...
        raise GongkaiError(f"数据库地址“{url}”无效：{exc}。示例：sqlite:///gongkai.db 或 postgresql+psycopg://用户@主机/库名") from None
    if engine.dialect.name == "sqlite":
        sa_event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def create_schema(engine: Engine) -> None:
    """Create every table the workflow modules define (they must be imported first)."""
    import_models()
    SQLModel.metadata.create_all(engine)


def import_models() -> None:
    """Import every module that defines tables, so the metadata is complete."""
    import importlib

    for module in MODEL_MODULES:
        importlib.import_module(module)


# Modules that define tables. A workflow module adds itself here.
MODEL_MODULES: list[str] = [
    "gongkai.core.storage",
    "gongkai.core.deadline_store",
    "gongkai.core.requests.models",
    "gongkai.core.reports.indexes",
    "gongkai.core.documents.models",
    "gongkai.core.assessment.evaluation",
    "gongkai.core.matters.models",
]


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A transaction: committed when the block ends, rolled back on any error."""
    session = Session(engine, expire_on_commit=False)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def get_setting(session: Session, key: str, default: str = "") -> str:
    row = session.get(Setting, key)
    return row.value if row else default


def set_setting(session: Session, key: str, value: str) -> None:
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value
        session.add(row)
