"""The tamper-evident event log: every event is a link in one SHA-256 hash chain.

Each event stores ``seq`` (its position), ``prev_hash`` (the hash of the event before it)
and ``hash`` = SHA-256 over the canonical JSON of its fields and ``prev_hash``. Each unit has a
chain of its own (its events only, ``seq`` from 1): its head (length and last hash) is the
unit's row of :class:`AuditChain`, so a unit's log is verified, exported and moved alone. Links are made when a
transaction commits (:func:`seal`, called from a ``before_commit`` hook in
:mod:`gongkai.core.records.storage`): the head row is locked (``SELECT ... FOR UPDATE`` on
PostgreSQL; SQLite has a single writer, which the transaction already is), so concurrent
staff append one after another. Locking the head last, just before commit, means a
transaction never waits for another row while holding the head, so it cannot deadlock.

:func:`verify` walks the chain and reports the first broken link: an edited event (its hash
no longer matches), a deleted one (a gap in ``seq``, or a head longer than the chain), a
reordered one (a changed ``seq`` breaks its hash) or one inserted behind the application's
back (no ``seq``). Record ``head`` somewhere outside the database (a signed report, a
printed ledger) to also detect a rewrite of the whole chain.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import operator
from collections.abc import Iterator, Sequence
from itertools import repeat
from json.encoder import encode_basestring  # type: ignore[attr-defined]  # what json.dumps uses
from collections.abc import Iterable
from typing import Any, Protocol

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, Session, select

from gongkai.core.records.storage import Event, insert_columns, utc
from gongkai.core.records.units import UnitOwned

GENESIS = "0" * 64  # prev_hash of the first event


class EventSource(Protocol):
    """Events read from elsewhere than the session's database, in chain order (a database
    being moved in: :class:`gongkai.core.audit.replay.SourceRows`)."""

    def events(self) -> Iterable[Any]: ...


class AuditChain(UnitOwned, table=True):
    """The head of one unit's event hash chain: one row per unit, locked while a transaction appends."""

    __tablename__ = "audit_chain"
    __table_args__ = (UniqueConstraint("unit_id", name="uq_audit_chain_unit"),)

    id: int | None = Field(default=None, primary_key=True)
    length: int = 0
    last_hash: str = Field(default=GENESIS, max_length=64)


# The canonical JSON of an event, as json.dumps(fields, ensure_ascii=False, sort_keys=True,
# separators=(",", ":")) writes it (keys in sorted order), but formatted directly: hashing is
# the hot loop of a bulk import. tests/test_audit_chain.py checks it against json.dumps.
_CANONICAL = ('{"action":%s,"actor":%s,"after":%s,"at":%s,"before":%s,"prev_hash":%s,"seq":%s,'
              '"subject_id":%s,"subject_kind":%s}')

_HASHED = ("action", "actor", "after", "at", "before", "seq", "subject_id", "subject_kind")
_ITEMS, _ATTRIBUTES = operator.itemgetter(*_HASHED), operator.attrgetter(*_HASHED)


def _js(value: Any) -> str:
    """One JSON value (str, int or None) as json.dumps writes it (a str through the same C encoder)."""
    if value is None:
        return "null"
    if isinstance(value, str):
        return encode_basestring(value)
    return str(int(value))


@functools.lru_cache(maxsize=256)
def _moment(at: dt.datetime) -> str:
    return encode_basestring(utc(at).isoformat(timespec="microseconds"))


def event_hash(event: Any, prev_hash: str) -> str:
    """SHA-256 (hex) of the event's fields and the previous hash, as canonical JSON.

    ``event`` is an :class:`Event`, any row with the same attributes (the migrations use
    rows) or a dict of the columns.
    """
    action, actor, after, at, before, seq, subject_id, subject_kind = (
        _ITEMS(event) if isinstance(event, dict) else _ATTRIBUTES(event))
    canonical = _CANONICAL % (_js(action), _js(actor), _js(after), _moment(at), _js(before), _js(prev_hash),
                              _js(seq), _js(subject_id), _js(subject_kind))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _lock_head(session: Session, unit_id: int | None = None) -> AuditChain:
    """The chain head of ``unit_id`` (default: the unit the session is bound to), locked."""
    from gongkai.core.records.scoping import unit_of

    unit_id = unit_id if unit_id is not None else unit_of(session)
    if unit_id is None:
        raise RuntimeError("events are chained in a session bound to their unit")
    head = session.exec(select(AuditChain).where(AuditChain.unit_id == unit_id).with_for_update()).first()
    if head is None:  # the unit's first event
        head = AuditChain(unit_id=unit_id)
        session.add(head)
    return head


def seal(session: Session, events: Sequence[Event]) -> None:
    """Link ``events`` (in the order they were recorded) onto their unit's chain; call before
    commit: lock the head, give each event its seq, prev_hash and hash, move the head past them."""
    from gongkai.core.records.scoping import unit_of

    from gongkai.core.records.digest import seal_digests, with_unit_digest

    session.flush()  # the transaction's own writes first (events get their unit), so the head is locked last
    seal_digests(session, events)  # each record's content as this transaction leaves it, under the log
    bound = unit_of(session)
    for unit_id in sorted({bound if e.unit_id is None else e.unit_id for e in events}, key=str):
        head = _lock_head(session, unit_id)
        prev, length = head.last_hash, head.length
        if not length:  # the chain's first event: the unit's own row under the log
            mine = [e for e in events if (bound if e.unit_id is None else e.unit_id) == unit_id]
            mine[0].after = with_unit_digest(session, unit_id, mine[0].after, (e.subject_kind for e in mine))
        for event in events:
            if (bound if event.unit_id is None else event.unit_id) == unit_id:
                length += 1
                event.seq, event.prev_hash = length, prev
                prev = event.hash = event_hash(event, prev)
        head.length, head.last_hash = length, prev
        session.add(head)
    session.flush()


def append_columns(session: Session, columns: dict[str, Any], count: int, digests: list[str] | None = None) -> None:
    """Chain and insert ``count`` events given column by column, as
    :func:`gongkai.core.records.storage.insert_columns` takes them (``at`` in UTC, ``before`` and
    ``after`` already JSON): the bulk path of imports. Call it last in the transaction, as
    :func:`seal` runs, so that the head is locked only just before commit. ``digests``: each
    event's record's digest, computed by the caller from the values it stored
    (:func:`gongkai.core.records.digest.for_new`; one event per record); None: read back."""
    from gongkai.core.records.digest import digests_for_columns, with_digest

    session.flush()
    fields = {"actor": "", "before": None, "after": None, **columns}
    if digests is not None:
        afters = fields["after"] if isinstance(fields["after"], list) else repeat(fields["after"], count)
        fields["after"] = list(map(with_digest, afters, digests))
    else:
        fields["after"] = digests_for_columns(session, fields["subject_kind"], fields["subject_id"], fields["after"],
                                              count)
    head = _lock_head(session)
    if not head.length:  # the chain's first event: the unit's own row under the log (as seal does)
        from gongkai.core.records.digest import with_unit_digest
        from gongkai.core.records.scoping import unit_of

        afters = fields["after"] if isinstance(fields["after"], list) else [fields["after"]] * count
        kinds = fields["subject_kind"] if isinstance(fields["subject_kind"], list) else [fields["subject_kind"]]
        fields["after"] = [with_unit_digest(session, unit_of(session), afters[0], kinds), *afters[1:]]
    # each field's JSON once per column (or once, for a column with one value), then one
    # _CANONICAL per event: the same text as event_hash makes, without its per-field work
    encoded = {name: list(map(_js, value)) if isinstance(value, list) else repeat(_js(value), count)
               for name, value in fields.items() if name != "at"}
    at = fields["at"]
    encoded["at"] = list(map(_moment, at)) if isinstance(at, list) else repeat(_moment(at), count)
    seqs = range(head.length + 1, head.length + count + 1)
    prev, hashes = head.last_hash, []
    for action, actor, after, moment, before, seq, subject_id, subject_kind in zip(
            encoded["action"], encoded["actor"], encoded["after"], encoded["at"], encoded["before"], seqs,
            encoded["subject_id"], encoded["subject_kind"]):
        canonical = _CANONICAL % (action, actor, after, moment, before, f'"{prev}"', seq, subject_id, subject_kind)
        prev = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
        hashes.append(prev)
    prevs = [head.last_hash, *hashes[:-1]]  # each event's prev_hash is the hash before it
    head.length, head.last_hash = head.length + count, prev
    session.add(head)
    insert_columns(session, Event.__table__, {**fields, "seq": list(seqs), "prev_hash": prevs, "hash": hashes}, count)
    session.flush()


def head(session: Session) -> dict[str, Any]:
    """The chain's head as stored: ``{"length", "hash", "head"}`` (``head`` is ``length:hash``,
    what ``audit verify --expect-head`` takes)."""
    row = session.exec(select(AuditChain)).first()
    length, last_hash = (row.length, row.last_hash) if row else (0, GENESIS)
    return {"length": length, "hash": last_hash, "head": f"{length}:{last_hash}"}


def parse_head(text: str) -> tuple[int, str]:
    """``N:HASH`` as ``audit head`` prints it; a Chinese error otherwise."""
    from gongkai.core.errors import GongkaiError

    length, sep, value = text.strip().partition(":")
    value = value.strip().lower()
    if not sep or not length.strip().isdigit() or len(value) != 64 or any(c not in "0123456789abcdef" for c in value):
        raise GongkaiError(f"--expect-head “{text}”格式应为“事件条数:链头哈希”（64 位十六进制），即 `gongkai audit head` 的输出。")
    return int(length), value


def verify(session: Session, batch: int = 2000, expect: tuple[int, str] | None = None,
           source: EventSource | None = None) -> dict[str, Any]:
    """Walk the chain; ``{"ok", "events", "head", "broken"}`` with the first broken link or None.

    ``expect`` (length, hash): a head written down earlier; the chain must still pass
    through it (a log cut back below it, or rewritten up to it, is broken). ``source``: a
    database being moved in, whose events are read whole (:class:`gongkai.core.audit.replay.SourceRows`)
    rather than through ``session``."""

    def broken(event: Any, seq: int, problem: str) -> dict[str, Any]:
        return {
            "ok": False,
            "events": seq - 1,
            "head": prev,
            "broken": {"seq": seq, "event_id": event.id if event else None, "problem": problem},
        }

    prev, expected = GENESIS, 1
    for event in _chained(session, batch) if source is None else source.events():
        if event.seq != expected:
            return broken(event, expected, f"第 {expected} 条事件缺失（链的下一条是第 {event.seq} 条）：事件被删除或顺序被改动")
        if event.prev_hash != prev:
            return broken(event, expected, "前一哈希（prev_hash）与上一条事件不符：事件被删除、插入或顺序被改动")
        if event_hash(event, prev) != event.hash:
            return broken(event, expected, "事件内容与其哈希不符：事件在应用之外被修改")
        if expect is not None and event.seq == expect[0] and event.hash != expect[1]:
            return broken(event, expected, f"第 {expect[0]} 条事件的哈希与此前记下的链头不符：此后日志被改写"
                                           "（事件被修改、删除后重算了哈希）")
        prev, expected = event.hash, expected + 1
    unchained = (session.exec(select(Event).where(Event.seq == None).order_by(Event.id)).first()  # noqa: E711
                 if source is None else next(iter(source.events(chained=False)), None))
    if unchained is not None:
        return broken(unchained, expected, f"事件 id={unchained.id} 不在链上：在应用之外写入")
    head = session.exec(select(AuditChain)).first()
    length, last_hash = (head.length, head.last_hash) if head else (0, GENESIS)
    if length != expected - 1 or last_hash != prev:
        return broken(None, expected, f"链头记录共 {length} 条事件，实际链上只有 {expected - 1} 条：链尾事件被删除")
    if expect is not None and expect[0] > expected - 1:
        return broken(None, expected, f"此前记下的链头有 {expect[0]} 条事件，现在只有 {expected - 1} 条：日志被截短（链尾事件被删除、链头被回退）")
    return {"ok": True, "events": expected - 1, "head": prev, "broken": None}


def _chained(session: Session, batch: int) -> Iterator[Any]:
    """The chained events (``seq`` set) in chain order, read ``batch`` at a time, as rows: not
    objects, a quarter of the time."""
    columns = [getattr(Event, c.name) for c in Event.__table__.c]
    last_seq = 0
    while True:
        rows = session.execute(
            select(*columns).where(Event.seq != None, Event.seq > last_seq).order_by(Event.seq).limit(batch)  # noqa: E711
        ).all()
        if not rows:
            return
        yield from rows
        last_seq = rows[-1].seq
