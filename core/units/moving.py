"""A unit's own SQLite database moved into the district's (``gongkai unit import-db``).

What is moved: every record of the source's one unit, events included, into a unit of the
district that has no records yet, in ONE transaction: interrupted anywhere, nothing is moved.

Ids collide (every unit's database counts from 1), so each moved row gets a new id, drawn the
way the district database draws ids (PostgreSQL: its sequences; SQLite: above the largest),
given in the order of the old ones; every reference follows (foreign keys, a clock's owner, an
event's subject, the appeal and prior-reply ids inside request events).

The evidence is kept this way (docs/guarantees.md):
1. the source's chain is verified and its records checked against its log (what ``audit verify``
   checks), on a snapshot of it and on every row that moves, whatever unit it names, in a
   second process while the rows move: the move commits only once the check has passed, and a
   source that fails it is refused and nothing is moved;
2. the moved events are linked, in their old order, onto the end of the unit's chain (new seq,
   prev_hash and hash; what each event says is unchanged but for the renumbered ids), then one
   ``database_moved_in`` event records the source file's SHA-256, its chain's length and head,
   and how many rows of each table were moved: anyone holding the old file can check it against
   that event;
3. the same file (same SHA-256) is refused a second time, into any unit.

On PostgreSQL the rows go in by COPY (psycopg's ``cursor.copy``), PostgreSQL's fast path for
bulk loads, each table's rows read from the snapshot and renumbered as COPY takes them (the
server works on the first rows while the next are read and made), the requests with their
ledger-search bigrams (revision 0020) so that no trigger computes them row by row; SQLite
takes one executemany per table.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

from sqlalchemy import select, text

from gongkai.core.errors import GongkaiError
from gongkai.core.requests.search import PG_COLUMN, pg_bigrams

ACTION = "database_moved_in"
# where each kind of event's subject lives (subject_kind -> table); other kinds keep their subject_id
SUBJECT_TABLES = {"request": "disclosure_request", "document": "document", "matter": "matter",
                  "decision_count": "decision_count", "account": "account", "application": "online_application",
                  "unit_contact": "unit_contact", "report_publication": "report_publication"}
# deadline.owner_kind and attachment.owner_kind -> the table their owner_id names
OWNER_TABLES = {"request": "disclosure_request", "document": "document", "matter": "matter",
                "application": "online_application"}
OWNED = ("deadline", "attachment")
# ids inside request and online application events' JSON: key -> table
EVENT_IDS = {"appeal": "request_appeal", "prior_reply": "request_prior_reply", "request_id": "disclosure_request",
             "application": "online_application"}
RENUMBERED_EVENTS = ("request", "application")
_EVENT_ID_KEYS = tuple(f'"{key}"' for key in EVENT_IDS)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    for part in (path, Path(f"{path}-wal")):  # what a reader of the database sees: the file and its WAL
        if part.is_file():
            with open(part, "rb") as f:
                for block in iter(lambda: f.read(1 << 20), b""):
                    digest.update(block)
    return digest.hexdigest()


WAL_INDEX_BYTES = 136  # the -shm's header: two copies of the WAL index header (48 bytes each), then the checkpoint info


def refuse_hidden_commits(path: Path) -> None:
    """Refuse a source whose last commits may be out of reach: SQLite keeps a unit's newest
    commits in gongkai.db-wal until it copies them back into gongkai.db (a checkpoint; a reader
    holding an old snapshot delays it). A -wal or -shm this process cannot read, or a -shm
    (SQLite's index of the -wal, sqlite.org/walformat.html) saying that frames not yet copied
    back exist while the -wal is missing or shorter than they are, means the file alone is
    not the unit's whole record: a copy of it would move in without them."""
    wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
    fix = (f"请在单位文件夹中（以其所有者的身份）运行一次 `gongkai audit verify`：命令结束时 SQLite 会把 {wal.name} "
           f"中的提交写回 {path.name}；或把 {path.name} 连同同名的 {wal.name}、{shm.name} 一起复制后再迁入。")
    for part in (wal, shm):
        if part.exists():
            try:
                with open(part, "rb") as f:
                    f.read(1)
            except OSError as exc:
                raise GongkaiError(f"无法读取 {part}（{exc.strerror}）：其中可能有尚未写回 {path.name} 的最近提交，"
                                   f"迁入会漏掉它们。{fix}") from None
    if not shm.is_file():
        return
    header = shm.read_bytes()[:WAL_INDEX_BYTES]
    if len(header) < WAL_INDEX_BYTES or header[12] != 1:  # isInit: an index never built describes nothing
        return
    order = "big" if header[13] else sys.byteorder  # the index is in the writer's native byte order
    frames = int.from_bytes(header[16:20], order)  # mxFrame: frames of committed transactions in the -wal
    backfilled = int.from_bytes(header[96:100], order)  # nBackfill: those already copied back
    page = int.from_bytes(header[14:16], order)
    page = 65536 if page == 1 else page
    needed = 32 + frames * (24 + page)  # the -wal header, then each frame's header and page
    have = wal.stat().st_size if wal.is_file() else 0
    if frames > backfilled and have < needed:
        raise GongkaiError(f"{path.name} 旁的 {wal.name} {'缺失' if not wal.is_file() else '不完整'}，而 {shm.name} 表明其中还有 "
                           f"{frames - backfilled} 个页面的最近提交尚未写回 {path.name}：只凭 {path.name} 迁入会漏掉它们。{fix}")


def _snapshot(path: Path, folder: Path) -> Path:
    """A consistent copy of the source (SQLite's backup API: its WAL included), never writing the source."""
    if not path.is_file():
        raise GongkaiError(f"找不到要迁入的数据库文件 {path}，请核对路径（单位文件夹中的 gongkai.db）。")
    copy = folder / "source.db"
    try:
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        target = sqlite3.connect(copy)
        with target:
            source.backup(target)
        source.close()
        target.close()
    except sqlite3.DatabaseError as exc:
        raise GongkaiError(f"{path} 无法作为 SQLite 数据库读取（{exc}）：请给出单位文件夹中的 gongkai.db。") from None
    return copy


def _open_source(copy: Path) -> int:
    """The source's copy brought to this gongkai's schema; its one unit's id. An empty source (no
    tables, or no records: nothing was ever recorded), or one that holds several units, is refused."""
    from sqlmodel import SQLModel

    from gongkai.core.records import schema
    from gongkai.core.records.storage import import_models, make_engine, session_scope, unreachable
    from gongkai.core.records.units import Unit
    from gongkai.core.records.scoping import owned_tables

    url = f"sqlite:///{copy}"
    engine = make_engine(url)
    try:
        with unreachable(url):
            found = schema.state(engine)
            if found["status"] == "empty":
                raise GongkaiError("要迁入的文件是空数据库，没有可迁入的记录。")
            schema.refuse_incompatible(engine, found)
            schema.upgrade(engine, unit={})
        import_models()
        tables = SQLModel.metadata.tables
        with session_scope(engine) as session:
            units = session.scalars(select(Unit.id)).all()
            recorded = any(session.execute(select(tables[name].c.id).limit(1)).first()
                           for name in owned_tables() - {"audit_chain"})
    finally:
        engine.dispose()
    if not recorded:  # most likely a copy of gongkai.db without the gongkai.db-wal beside it
        raise GongkaiError("要迁入的数据库里没有任何记录（申请、文件、事项和事件日志都是空的），没有可迁入的内容。若这是复制来的文件，"
                           "请连同同名的 gongkai.db-wal 文件（如有）一起复制后再迁入。")
    if len(units) != 1:
        raise GongkaiError(f"要迁入的数据库有 {len(units)} 个单位的记录：只能迁入一个单位自己的数据库。")
    return units[0]


class _Source:
    """The source's copy, read a table at a time while its rows are written: the district
    database works on each table's first rows while the next are read, and no table is held
    whole in memory. Rows come as stored (ISO text dates, 0/1: what both backends take back
    as they are)."""

    def __init__(self, copy: Path) -> None:
        from sqlmodel import SQLModel

        self.db = sqlite3.connect(copy)
        # every table that holds the unit's records (its chain's head is the district's), parents first
        self.tables = [t for t in SQLModel.metadata.sorted_tables
                       if ("unit_id" in t.c and t.name != "audit_chain") or t.name == "deadline_term"]

    def ids(self, table: Any) -> list[int]:
        return [row[0] for row in self.db.execute(f"SELECT id FROM {table.name} ORDER BY id")]

    def rows(self, table: Any) -> tuple[list[str], Iterator[tuple[Any, ...]]]:
        """``table``'s column names and its rows (events in chain order), read as they are taken."""
        names = [c.name for c in table.c]
        quoted = ", ".join(f'"{n}"' for n in names)
        return names, iter(self.db.execute(f"SELECT {quoted} FROM {table.name} ORDER BY "
                                           + ("seq" if table.name == "event" else "id")))

    def close(self) -> None:
        self.db.close()


def _checked(copy: Path, unit_id: int, names: dict[str, str], calendar: Any = None,
             expect: tuple[int, str] | None = None, hours: dict[str, int] | None = None) -> Iterator[dict[str, Any]]:
    """The source's chain verified and its records checked against its log (what `audit verify`
    checks) on the copy, every row that moves (whatever unit it names); yields the chain's head.
    Run in a second process while the rows move (:mod:`gongkai.core.units.background`): the move
    commits only once this has passed."""
    from gongkai.core.records.chain import verify
    from gongkai.core.audit.replay import SourceRows, check_records
    from gongkai.core.records.storage import make_engine, session_scope
    from gongkai.core.records.scoping import bound

    engine = make_engine(f"sqlite:///{copy}")
    source = SourceRows(copy, engine.dialect)  # every row that moves, whatever unit it names
    try:
        with session_scope(bound(engine, unit_id)) as session:
            chain = verify(session, source=source, expect=expect)
            if not chain["ok"]:
                raise GongkaiError(f"要迁入的数据库的事件日志未通过校验（第 {chain['broken']['seq']} 条："
                                   f"{chain['broken']['problem']}），不能作为证据迁入。"
                                   "请在原单位文件夹运行 `gongkai audit verify` 查明。")
            records = check_records(session, names=names, source=source, calendar=calendar, hours=hours)
    finally:
        source.close()
        engine.dispose()
    if not records["ok"]:
        raise GongkaiError(f"要迁入的数据库有 {records['count']} 处记录与其事件日志不符（{records['problems'][0]['message']}），"
                           "未通过校验，不能作为证据迁入。请在原单位文件夹运行 `gongkai audit verify` 查明。")
    yield {"length": chain["events"], "head": chain["head"]}


def _new_ids(conn: Any, table: str, old: list[int]) -> dict[int, int]:
    """New ids for ``old`` (same order), drawn as the district database draws them."""
    if not old:
        return {}
    if conn.dialect.name == "postgresql":  # the sequence named once: per row, its look-up costs ten nextvals
        sequence = conn.execute(text(f"SELECT pg_get_serial_sequence('{table}', 'id')")).scalar()
        cursor = conn.connection.driver_connection.cursor()
        try:
            cursor.execute("SELECT nextval(%s::regclass) FROM generate_series(1, %s)", (sequence, len(old)))
            new = [r[0] for r in cursor.fetchall()]
        finally:
            cursor.close()
    else:  # one writer, which this transaction already is (it has written): ids above the largest
        top = conn.execute(text(f"SELECT coalesce(max(id), 0) FROM {table}")).scalar()
        new = range(top + 1, top + 1 + len(old))
    return dict(zip(sorted(old), sorted(new)))


def write_rows(conn: Any, table: Any, names: list[str], rows: Iterable[list[Any]], method: str = "copy") -> int:
    """Insert ``rows`` (values in the order of ``names``, as SQLite stores them; any iterable,
    consumed as it is written, so the database works on the first rows while the next are
    made) in the connection's transaction: PostgreSQL by COPY (or ``executemany``, the baseline
    the benchmark compares); SQLite by executemany. Returns how many rows were written.

    On PostgreSQL a request's ``search_bigrams`` (the ledger search's column, revision 0020)
    is written with it, computed here: the trigger that would compute it otherwise calls SQL
    functions for every row."""
    columns = ", ".join(f'"{n}"' for n in names)
    if conn.dialect.name != "postgresql":
        rows = list(map(tuple, rows))
        if rows:
            conn.exec_driver_sql(f"INSERT INTO {table.name} ({columns}) VALUES ({', '.join(['?'] * len(names))})", rows)
        return len(rows)
    flags = [i for i, n in enumerate(names) if table.c[n].type.python_type is bool]  # SQLite's 0/1
    search = (names.index("applicant_name"), names.index("subject")) if table.name == "disclosure_request" else None
    if search:
        columns += f", {PG_COLUMN}"

    def made(row: list[Any]) -> list[Any]:
        for i in flags:
            if row[i] is not None:
                row[i] = bool(row[i])
        if search:
            row.append(pg_bigrams(row[search[0]], row[search[1]]))
        return row

    count = 0
    cursor = conn.connection.driver_connection.cursor()
    try:
        if method == "copy":
            with cursor.copy(f"COPY {table.name} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(made(row))
                    count += 1
        else:
            made_rows = list(map(made, rows))
            count = len(made_rows)
            if made_rows:
                cursor.executemany(f"INSERT INTO {table.name} ({columns}) "
                                   f"VALUES ({', '.join(['%s'] * len(made_rows[0]))})", made_rows)
    finally:
        cursor.close()
    return count


def _moved_before(conn: Any, sha256: str) -> dict[str, Any] | None:
    from gongkai.core.records.storage import Event
    from gongkai.core.records.units import Unit

    e = Event.__table__.c
    moves = select(e.unit_id, e.after).where(e.subject_kind == "unit", e.action == ACTION)  # by ix_event_subject_kind
    for unit_id, after in conn.execute(moves):
        data = json.loads(after or "{}")
        if data.get("sha256") == sha256:
            code = conn.execute(select(Unit.__table__.c.code).where(Unit.__table__.c.id == unit_id)).scalar()
            return {"unit": code, **data}
    return None


def import_database(app: Any, path: str | Path, code: str, actor: str = "", method: str = "copy",
                    progress: Callable[[str], None] | None = None, in_background: bool = True,
                    expect: tuple[int, str] | None = None) -> dict[str, Any]:
    """Move the unit database at ``path`` into the district's unit ``code``; returns what was moved.

    The source's chain and records are checked in a second process while the rows move
    (``in_background``; where a second process is not available, or with ``in_background``
    false, here, before the commit): the move commits only if the check passed, and is rolled
    back with the check's error otherwise. ``expect`` (length, hash): the source's head written
    down before it was copied (``audit head``); a source whose chain does not reach it is refused."""
    from gongkai.core.units.background import collector_paused

    with tempfile.TemporaryDirectory() as tmp, collector_paused():
        return _import(app, path, code, actor, method, progress or (lambda _label: None), in_background, Path(tmp),
                       expect)


def _import(app: Any, path: str | Path, code: str, actor: str, method: str, step: Callable[[str], None],
            in_background: bool, tmp: Path, expect: tuple[int, str] | None = None) -> dict[str, Any]:
    from gongkai.core.units.background import background
    from gongkai.core.audit.replay import code_names, timed_amounts

    path = Path(path).expanduser().resolve()
    engine = app.district_engine
    if engine.url.database and Path(engine.url.database).resolve() == path:
        raise GongkaiError("要迁入的文件就是本区级数据库本身，请给出单位原有的 gongkai.db。")
    sha256 = file_sha256(path) if path.is_file() else ""
    step("校验源数据库")
    started = time.perf_counter()
    refuse_hidden_commits(path)
    copy = _snapshot(path, tmp)
    source_unit = _open_source(copy)
    calendar = app.calendar  # the clocks' dates recomputed, as `audit verify` does
    # forked before this process reads or connects: the check shares no connection with the move
    with background(_checked, copy, source_unit, code_names(app.registry), calendar, expect,
                    timed_amounts(app.registry), process=in_background) as check:
        opened = time.perf_counter()
        with closing(_Source(copy)) as source:
            summary, waited = _moved(app, path, code, actor, method, step, source, sha256, check)
    return {"unit": code, **summary, "seconds": {"source": round(opened - started, 3),
                                               "move": round(time.perf_counter() - opened, 3),
                                               "waited_for_check": round(waited, 3)}}


def _moved(app: Any, path: Path, code: str, actor: str, method: str, step: Callable[[str], None],
           source: _Source, sha256: str, check: Iterator[dict[str, Any]]) -> tuple[dict[str, Any], float]:
    """The move itself, in one transaction that commits only once ``check`` has yielded the
    source's verified chain head; what was moved, and how long the move waited for the check."""
    from sqlmodel import SQLModel

    from gongkai.core.records.chain import event_hash
    from gongkai.core.records.digest import KEY, for_ids, query_fetch
    from gongkai.core.records.storage import utc
    from gongkai.core.records.units import Unit
    from gongkai.core.records.scoping import owned_tables

    engine = app.district_engine
    step("分配新编号")
    tables = SQLModel.metadata.tables
    unit_table = Unit.__table__
    with engine.begin() as conn:
        # the unit's row, locked (SQLite: this write takes the one writer's lock): one move at a time
        found = conn.execute(unit_table.update().where(unit_table.c.code == code.strip())
                             .values(code=unit_table.c.code).returning(unit_table.c.id)).scalar()
        if found is None:
            from gongkai.core.units.store import get_unit
            from gongkai.core.records.storage import session_scope

            with session_scope(engine) as session:
                get_unit(session, code)  # the Chinese error listing the units
        unit_id = found
        earlier = _moved_before(conn, sha256)
        if earlier:
            raise GongkaiError(f"该数据库文件（SHA-256 {sha256[:12]}…）已于 {earlier.get('moved_at', '')[:10]} 迁入单位 "
                               f"{earlier['unit']}，不再重复迁入。")
        for name in sorted(owned_tables() - {"event", "audit_chain"}):
            if conn.execute(select(tables[name].c.id).where(tables[name].c.unit_id == unit_id).limit(1)).first():
                raise GongkaiError(f"单位 {code} 已有记录（{name}）：数据库只能迁入尚无记录的单位。"
                                   "请用 `gongkai unit add` 新增一个单位代码后迁入。")
        if conn.dialect.name == "postgresql":  # the stored text of date-times is UTC
            conn.exec_driver_sql("SET LOCAL TimeZone = 'UTC'")
        try:
            moved, head, chain = _write_moved(conn, source, unit_id, method, step)
        except Exception:
            # a row that could not be written (one naming a record that is not there cannot be
            # renumbered): the check says why, for a source that fails it
            next(check)
            raise
        step("等待源数据库校验")
        waiting = time.perf_counter()
        source_chain = next(check)  # the check's refusal, raised here, rolls the move back
        waited = time.perf_counter() - waiting
        length, prev, events = chain["length"], chain["prev"], moved["event"]
        now = dt.datetime.now(dt.timezone.utc)
        summary = {"file": str(path), "sha256": sha256, "source_chain": source_chain, "moved": moved,
                   "moved_at": now.isoformat(),
                   "first_seq": length - events + 1 if events else None, "last_seq": length if events else None}
        length += 1
        # the unit's row under the log after the move (the moved events state the source's unit)
        unit_digest = for_ids(query_fetch(conn, SQLModel.metadata), "unit", SQLModel.metadata, {unit_id})[unit_id]
        mark = {"id": None, "unit_id": unit_id, "at": utc(now), "actor": actor, "subject_kind": "unit",
                # plain JSON: the log's masking of ID and phone numbers would mangle the hashes' digits
                "subject_id": unit_id, "action": ACTION, "before": None,
                "after": json.dumps({**summary, KEY: unit_digest}, ensure_ascii=False, sort_keys=True),
                "seq": length, "prev_hash": prev}
        prev = mark["hash"] = event_hash(mark, prev)
        conn.execute(tables["event"].insert(), {k: v for k, v in mark.items() if k != "id"})
        if head is None:
            conn.execute(tables["audit_chain"].insert(), {"unit_id": unit_id, "length": length, "last_hash": prev})
        else:
            conn.execute(text("UPDATE audit_chain SET length = :n, last_hash = :h WHERE unit_id = :u"),
                         {"n": length, "h": prev, "u": unit_id})
        step("提交")
    return summary, waited


def _write_moved(conn: Any, source: _Source, unit_id: int, method: str,
                 step: Callable[[str], None]) -> tuple[dict[str, int], Any, dict[str, Any]]:
    """Every row renumbered and written, the events linked onto the unit's chain; how many rows
    of each table, the chain's head row as it was (None: the unit's first events) and as it now is."""
    ids = {table.name: _new_ids(conn, table.name, source.ids(table)) for table in source.tables}
    moved, events = {}, None
    for table in source.tables:
        if table.name == "event":  # last: linked onto the chain once every id it names is known
            events = table
            continue
        step(table.name)
        names, rows = source.rows(table)
        moved[table.name] = write_rows(conn, table, names, _renumbered(table, names, rows, ids, unit_id), method)
    step("事件日志")
    head = conn.execute(text("SELECT length, last_hash FROM audit_chain WHERE unit_id = :u" +
                             (" FOR UPDATE" if conn.dialect.name == "postgresql" else "")), {"u": unit_id}).first()
    chain = {"length": head.length, "prev": head.last_hash} if head else {"length": 0, "prev": "0" * 64}
    names, rows = source.rows(events)
    moved["event"] = write_rows(conn, events, names, _relinked(names, rows, ids, unit_id, chain), method)
    return moved, head, chain


def _renumbered(table: Any, names: list[str], rows: Iterable[tuple[Any, ...]], ids: dict[str, dict[int, int]],
                unit_id: int) -> Iterator[list[Any]]:
    """``rows`` of ``table`` with their new ids, their unit and their references renumbered."""
    at = {n: i for i, n in enumerate(names)}
    id_at, own, unit_at = at["id"], ids[table.name], at.get("unit_id")
    refs = [(at[c.name], ids[fk.column.table.name]) for c in table.c for fk in c.foreign_keys
            if fk.column.table.name in ids]
    owner = (at["owner_kind"], at["owner_id"]) if table.name in OWNED else None
    for row in map(list, rows):
        old = row[id_at]
        row[id_at] = own[old]
        if unit_at is not None:
            row[unit_at] = unit_id
        for i, mapping in refs:
            if row[i] is not None:
                row[i] = mapping.get(row[i]) or _nowhere(table, old, names[i], row[i])
        if owner:
            kind_at, owner_at = owner
            mapping = ids.get(OWNER_TABLES.get(row[kind_at], ""), {})
            row[owner_at] = mapping.get(row[owner_at]) or _nowhere(table, old, "owner_id", row[owner_at])
        yield row


def _nowhere(table: Any, old: int, column: str, value: Any) -> int:
    """A row naming a record the source does not hold: there is no new id to give it, and kept
    as it is it would name another unit's record. The check passes over some of these (a
    request's intake clock, a pause), so the move refuses them itself."""
    raise GongkaiError(f"要迁入的数据库中，{table.name} 表 id={old} 的记录所指的记录（{column}={value}）不存在："
                       "数据库在应用之外被改动过，未迁入任何记录。请在原单位文件夹运行 `gongkai audit verify` 查明，"
                       "或用改动前的备份迁入。")


def _relinked(names: list[str], events: Iterable[tuple[Any, ...]], ids: dict[str, dict[int, int]], unit_id: int,
              chain: dict[str, Any]) -> Iterator[list[Any]]:
    """The source's ``events`` (in their order) renumbered and linked onto the unit's chain,
    whose ``length`` and ``prev`` (hash) in ``chain`` are advanced past each one."""
    from gongkai.core.records.chain import event_hash

    own = ids["event"]
    at = {n: i for i, n in enumerate(names)}
    hashed = [(n, at[n]) for n in ("action", "actor", "after", "before", "subject_id", "subject_kind")]
    id_at, unit_at, kind_at, subject_at, seq_at, prev_at, hash_at, at_at = (
        at[n] for n in ("id", "unit_id", "subject_kind", "subject_id", "seq", "prev_hash", "hash", "at"))
    for row in map(list, events):
        row[id_at], row[unit_at] = own[row[id_at]], unit_id
        kind, subject = row[kind_at], row[subject_at]
        if subject is not None:
            if kind in SUBJECT_TABLES:
                row[subject_at] = ids[SUBJECT_TABLES[kind]].get(subject, subject)
            elif kind == "unit":
                row[subject_at] = unit_id
        if kind in RENUMBERED_EVENTS:
            for side in (at["before"], at["after"]):
                row[side] = _renumber(row[side], ids)
        chain["length"] += 1
        row[seq_at], row[prev_at] = chain["length"], chain["prev"]
        fields = {n: row[i] for n, i in hashed}
        fields.update(seq=chain["length"], at=dt.datetime.fromisoformat(row[at_at]))
        chain["prev"] = row[hash_at] = event_hash(fields, chain["prev"])
        yield row


def _renumber(value: str | None, ids: dict[str, dict[int, int]]) -> str | None:
    """A request event's JSON with the appeal and prior-reply ids it names renumbered."""
    if not value or not any(key in value for key in _EVENT_ID_KEYS):
        return value
    data = json.loads(value)
    changed = False
    for key, table in EVENT_IDS.items():
        if isinstance(data.get(key), int) and data[key] in ids.get(table, {}):
            data[key] = ids[table][data[key]]
            changed = True
    return json.dumps(data, ensure_ascii=False, sort_keys=True, default=str) if changed else value
