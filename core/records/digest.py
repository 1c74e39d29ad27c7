"""Every field of a record under the log: a digest of the record's whole content.

When a transaction that changes a record commits, the last event it records about that record
carries ``digest``: SHA-256 over every column of the record's row and of every row that belongs
to it (its reviews, extensions, appeals, corrections, pauses, prior replies, clocks and the
inputs of the clocks' terms), as the database holds them at commit (:func:`gongkai.core.records.chain.seal`).
``audit verify`` computes the same digest from the stored rows and compares it with the one the
record's last event carries (:mod:`gongkai.core.audit.replay`): a column edited, a row deleted or
added behind the application's back changes it. Personal data is covered without being copied
into the log in clear.

What is not in a digest, and why:

- surrogate keys (``id``, the ``unit_id`` of the unit, the column naming the record): a moved
  database (``unit import-db``) renumbers them, keeping their order; rows are digested in that
  order, and a reference to a sibling row (a prior reply's appeal, a clock's term) by what it
  points to;
- :data:`DERIVED`: columns that are caches of other columns, each checked another way.

Events written before digests existed carry none; their records are checked field by field as
before, until their next event carries a digest.

After the digest, ``.`` and two letters per column of the record's own row and per part
(:func:`marked`): a CRC-32 of each, so that a mismatch names the columns that differ
(:func:`differing`). The bulk imports leave them off (they cost about as much as the digest):
their records' mismatches name the record only, until its next event.

The unit's own row is a record too (``unit``): ``unit add``, ``unit edit`` and a move carry its
digest; a unit's own folder's unit, made with its database, has it in the first event of its
chain (:data:`UNIT_KEY`).

A new column is in the digest without anything to do; a new table that belongs to a record is one
:class:`Part` in :data:`GROUPS`. ``tests/test_every_column_under_log.py`` edits every column of
every table and fails for one not covered.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import operator
import zlib
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from itertools import groupby, repeat
from typing import Any

import attrs

KEY = "digest"  # the key of an event's ``after`` that carries it
# A unit's own folder's unit is made with its database (revision 0016), not by ``unit add``: no
# event of its own states it. The first event of its chain carries its row's digest under this key.
UNIT_KEY = "unit_digest"


@attrs.frozen
class Part:
    """Rows of ``table`` that belong to a record: those whose ``parent`` names its id (and
    matching ``where``)."""

    table: str
    parent: str
    where: tuple[tuple[str, str], ...] = ()
    refs: tuple[tuple[str, str], ...] = ()  # column -> the part (table) whose row it names, by rank
    label: str = ""


@attrs.frozen
class Group:
    kind: str  # Event.subject_kind
    table: str  # the record's own row
    parts: tuple[Part, ...] = ()


def _clocks(owner: str) -> Part:
    return Part("deadline", "owner_id", where=(("owner_kind", owner),), label="期限")


GROUPS = {g.kind: g for g in (
    Group("request", "disclosure_request", (
        Part("request_review", "request_id", label="审核记录"),
        Part("request_extension", "request_id", label="延期记录"),
        Part("request_appeal", "request_id", label="复议诉讼记录"),
        Part("request_correction", "request_id", label="补正记录"),
        Part("request_pause", "request_id", label="中止计时记录"),
        Part("request_prior_reply", "request_id", refs=(("appeal_id", "request_appeal"),), label="原答复记录"),
        Part("request_delivery", "request_id", label="送达记录"),
        Part("attachment", "owner_id", where=(("owner_kind", "request"),), label="附件"),
        _clocks("request"),
    )),
    Group("application", "online_application", (
        Part("attachment", "owner_id", where=(("owner_kind", "application"),), label="附件"),
    )),
    Group("document", "document", (
        Part("document_review", "document_id", label="审核签批记录"),
        Part("document_reevaluation", "document_id", label="公开属性审查记录"),
        Part("attachment", "owner_id", where=(("owner_kind", "document"),), label="附件"),
        _clocks("document"),
    )),
    Group("matter", "matter", (_clocks("matter"),)),
    Group("decision_count", "decision_count"),
    Group("account", "account"),
    Group("unit_contact", "unit_contact"),
    Group("report_publication", "report_publication"),
    # a unit's own row (its chain is keyed by its id: core/records/chain.py AuditChain)
    Group("unit", "unit"),
)}

# Columns that are derived caches of other columns, each with how it is checked instead.
DERIVED = {
    # a term's dates are computed from its inputs (digested with each clock that uses it) and
    # the calendar, and rewritten when the calendar changes: replay.check_terms recomputes them
    ("deadline_term", "due"), ("deadline_term", "due_at"), ("deadline_term", "limit"),
    # login throttling: changed by every failed login, with no event; not evidence of anything
    # the account did (a lock-out itself is logged: user_locked)
    ("account", "failed_logins"), ("account", "locked_until"),
    # the time step of the last TOTP code accepted, moved by every login with a code (replay protection)
    ("account", "totp_step"),
    # the optimistic-locking counter, moved by the throttling updates above
    ("account", "version"),
    # the request an online application became: a surrogate key another record's (renumbered by
    # import-db), compared with the confirming event's instead (replay.APPLICATION)
    ("online_application", "request_id"),
}
_EMPTY = {part.table: f"|{part.table}:0" for group in GROUPS.values() for part in group.parts}  # a part with no rows
REFERRED = {table for group in GROUPS.values() for part in group.parts for _, table in part.refs}  # ranked
TERM_INPUTS = ("unit", "start", "start_at", "offset", "limit_offset", "months_after", "paused")
SKIPPED = ("id", "unit_id")  # surrogate keys (see the module's docstring)


def columns(table: Any, parent: str | None = None) -> list[str]:
    """The columns of ``table`` a digest covers, in table order."""
    skip = {*SKIPPED, parent}
    return [c.name for c in table.c if c.name not in skip and (table.name, c.name) not in DERIVED]


def _text(value: Any) -> str:
    """One value as text, alike on every backend (a datetime as UTC, numbers by value)."""
    if value is None:
        return "\x00"
    if value is True or value is False:
        return "T" if value else "F"
    if isinstance(value, dt.datetime):
        aware = value.replace(tzinfo=dt.timezone.utc) if value.tzinfo is None else value
        return aware.astimezone(dt.timezone.utc).replace(tzinfo=None).isoformat(timespec="microseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (float, Decimal)):
        number = float(value)
        return str(int(number)) if number.is_integer() else repr(number)
    return str(value)


def _needs_text(column: Any) -> bool:
    """Whether a column's values must be put in a common form before they are compared across
    backends: date-times (as UTC) and numbers that may come back as float or Decimal. The others
    (text, integers, booleans, dates) come back as the same Python values on every backend."""
    from sqlalchemy import types

    kind = getattr(column.type, "impl", column.type)  # through a TypeDecorator (UTCDateTime)
    return isinstance(kind, (types.DateTime, types.Float, types.Numeric))


def _is_text(column: Any) -> bool:
    from sqlalchemy import types

    return isinstance(getattr(column.type, "impl", column.type), types.String)


def _encoder(table: Any, names: Iterable[str]) -> Callable[[Any], str]:
    """A row of ``names`` of ``table`` as one text: its values' reprs (unambiguous: each string
    quoted and escaped), the date-times and numbers first in their common form (:func:`_text`)."""
    fix = [i for i, name in enumerate(names) if _needs_text(table.c[name])]
    if not fix:
        return lambda values: repr(tuple(values))

    def encode(values: Any) -> str:
        values = list(values)
        for i in fix:
            values[i] = _text(values[i])
        return repr(tuple(values))

    return encode


def _cells(table: Any, names: Iterable[str]) -> Any:
    """:func:`_encoder`, column by column: each value's text (joined, they make the row's);
    ``.row`` is :func:`_encoder` itself (one C call, where no marks are wanted)."""
    names = list(names)
    fix = [i for i, name in enumerate(names) if _needs_text(table.c[name])]
    if not fix:
        def encode(values: Any) -> list[str]:
            return list(map(repr, values))
    else:
        def encode(values: Any) -> list[str]:
            values = list(values)
            for i in fix:
                values[i] = _text(values[i])
            return list(map(repr, values))

    encode.row = _encoder(table, names)  # type: ignore[attr-defined]
    return encode


def _row(cells: list[str]) -> str:
    """The cells of a row as :func:`_encoder` writes the row (``repr`` of the tuple)."""
    return "(" + ", ".join(cells) + ("," if len(cells) == 1 else "") + ")"


# A mark: two letters from the CRC-32 of one column's text (or one part's rows), kept after the
# digest (``digest.marks``) so that a mismatch names the columns that differ. Letters only, as
# the digest: nothing in it reads as a phone or ID number to the log's masking.
_LETTERS32 = "abcdefghijklmnopqrstuvwxyzABCDEF"
_PAIRS = [a + b for a in _LETTERS32 for b in _LETTERS32]  # 1,024: ten bits of the CRC
_LOW_BITS = (len(_PAIRS) - 1).__and__
SEPARATOR = "."  # between the digest and the marks


def _marks(texts: Iterable[str]) -> str:
    # map() all the way: a mark costs C calls only (this is the hot loop of an import)
    encoded = map(str.encode, texts, repeat("utf-8"), repeat("surrogatepass"))
    return "".join(map(_PAIRS.__getitem__, map(_LOW_BITS, map(zlib.crc32, encoded))))


def marked(kind: str, metadata: Any) -> list[tuple[str, str | None]]:
    """What each mark of a ``kind`` record's digest stands for, in order: (column, None) for
    each column of its own row, then (part's table, its label) for each part."""
    group = GROUPS[kind]
    return ([(name, None) for name in columns(metadata.tables[group.table])]
            + [(part.table, part.label or part.table) for part in group.parts])


def differing(logged: str, stored: str, kind: str, metadata: Any) -> list[tuple[str, str | None]] | None:
    """The columns and parts (as :func:`marked` gives them) whose marks differ between the
    digest an event carries and the stored rows'; None when the marks cannot tell (an event
    written before the marks, or under another schema)."""
    _, _, want = logged.partition(SEPARATOR)
    _, _, have = stored.partition(SEPARATOR)
    meaning = marked(kind, metadata)
    if not want or len(want) != len(have) or len(want) != 2 * len(meaning):
        return None
    found = [meaning[i] for i in range(len(meaning)) if want[2 * i:2 * i + 2] != have[2 * i:2 * i + 2]]
    return found or None


def same(logged: str, stored: str) -> bool:
    """Whether two digests (with or without marks) are of the same content."""
    return logged.partition(SEPARATOR)[0] == stored.partition(SEPARATOR)[0]


def _encode(values: Iterable[Any]) -> str:
    return repr(tuple(map(_text, values)))


# fetch(table, columns, where, order) -> rows (tuples of ``columns``) in ``order``
Fetch = Callable[[str, tuple[str, ...], dict[str, Any], tuple[str, ...]], Iterable[tuple[Any, ...]]]


def stream(fetch: Fetch, kind: str, metadata: Any, lazy: bool = False) -> Iterator[tuple[int, Any]]:
    """``(record id, digest)`` of each record of ``kind`` that has a row or a part's row, in
    order of the id. ``lazy``: the digest as a :class:`Stored`, its marks computed only if asked
    (``audit verify`` needs them only for a record that differs)."""
    group = GROUPS[kind]
    tables = metadata.tables
    terms = {}
    parts: list[tuple[Any, ...]] = []  # (part, its columns, its rows, their encoder, the columns that point elsewhere)
    fetched = []
    for part in group.parts:
        names = columns(tables[part.table], part.parent)
        rows = fetch(part.table, (part.parent, "id", *names), dict(part.where), (part.parent, "id"))
        fetched.append(rows)
        parts.append((part, names, _grouped(rows), _encoder(tables[part.table], names), _special(part, tuple(names))))
        if "term_id" in names and not terms:
            term_columns = ("id", *TERM_INPUTS)
            terms = {row[0]: _encode(row[1:]) for row in fetch("deadline_term", term_columns, {}, ("id",))}
    own_names = columns(tables[group.table])
    own_rows = fetch(group.table, ("id", *own_names), {}, ("id",))
    encode = _cells(tables[group.table], own_names)
    if isinstance(own_rows, list) and all(isinstance(rows, list) for rows in fetched):
        # every row already read (a database being moved in): each part's text made for all
        # records at once, rather than record by record
        yield from _at_once(group, encode, own_rows, fetched, parts, terms, lazy)
        return
    own = _grouped(own_rows)
    streams = [own, *(p[2] for p in parts)]
    for record_id, groups in _side_by_side(streams):
        if lazy:
            yield record_id, Stored(_digest(group, encode, groups, parts, terms, marks=False),
                                    functools.partial(_digest, group, encode, groups, parts, terms))
        else:
            yield record_id, _digest(group, encode, groups, parts, terms)


def _at_once(group: Group, encode: Any, own_rows: list[Any], fetched: list[list[Any]], parts: list[Any],
             terms: dict[Any, str], lazy: bool) -> Iterator[tuple[int, Any]]:
    """:func:`stream` of rows all read: the same digests (the text :func:`_digest` makes), each
    part's text per record made part by part."""
    own = {row[0]: row for row in own_rows}
    owned = [{key: list(rows) for key, rows in groupby(found, key=_FIRST)} for found in fetched]
    texts = []
    for (part, _names, _, encode_part, special), by_record in zip(parts, owned):
        made = {}
        if not special:
            for key, rows in by_record.items():
                made[key] = f"|{part.table}:{len(rows)}" + "".join([encode_part(row[2:]) for row in rows])
        else:
            named = [(index, table) for index, table in _referred(parts) if any(t == table for _, t in special)]
            for key, rows in by_record.items():
                ranks = {table: {row[1]: i for i, row in enumerate(owned[index].get(key, ()))} for index, table in named}
                pieces = [f"|{part.table}:{len(rows)}"]
                for row in rows:
                    values = list(row[2:])
                    for i, target in special:
                        if target is None:
                            values[i] = terms.get(values[i], "?")
                        else:
                            values[i] = ranks.get(target, {}).get(values[i], None if values[i] is None else "?")
                    pieces.append(encode_part(values))
                made[key] = "".join(pieces)
        texts.append((made, _EMPTY[part.table]))
    prefix, row_text, empty = f"{group.table}=", encode.row, []
    sha, utf8 = hashlib.sha256, "utf-8"
    keys = set(own)
    for made, _ in texts:
        keys.update(made)
    for record_id in sorted(keys):
        row = own.get(record_id)
        text = "".join([prefix, "-" if row is None else row_text(row[1:]),
                        *[made.get(record_id, blank) for made, blank in texts]])
        whole = sha(text.encode(utf8, "surrogatepass")).hexdigest().translate(_LETTERS)
        groups = [empty if row is None else [row], *(o.get(record_id, empty) for o in owned)]
        if lazy:
            yield record_id, Stored(whole, functools.partial(_digest, group, encode, groups, parts, terms))
        else:
            yield record_id, _digest(group, encode, groups, parts, terms)


def _referred(parts: list[Any]) -> list[tuple[int, str]]:
    """(index, table) of the parts other parts name by rank."""
    return [(i, p[0].table) for i, p in enumerate(parts) if p[0].table in REFERRED]


_FIRST = operator.itemgetter(0)


@attrs.frozen
class Stored:
    """A record's digest as its stored rows give it, and (called) the same with its marks."""

    digest: str
    marked: Callable[[], str]


def for_ids(fetch: Fetch, kind: str, metadata: Any, ids: set[int], marks: bool = True) -> dict[int, str]:
    """The digests of the records ``ids`` of ``kind``: :func:`stream` for a few (a transaction's,
    an import batch's), their rows read for the range of the ids and grouped in memory.
    ``marks`` false: without the marks that name a column that differs (the bulk imports: the
    marks cost about as much as the digest; such a record's mismatch names the record only,
    until its next event)."""
    group = GROUPS[kind]
    tables = metadata.tables
    low, high = min(ids), max(ids)
    terms: dict[Any, str] = {}
    parts, owned = [], []
    for part in group.parts:
        names = columns(tables[part.table], part.parent)
        by_parent: dict[Any, list[Any]] = {}
        for row in _all(fetch(part.table, (part.parent, "id", *names),
                              {**dict(part.where), "__range__": (part.parent, low, high)}, (part.parent, "id"))):
            by_parent.setdefault(row[0], []).append(row)
        parts.append((part, names, None, _encoder(tables[part.table], names), _special(part, tuple(names))))
        owned.append(by_parent)
        if "term_id" in names and by_parent:  # only the terms these clocks use (a district has many)
            at = 2 + names.index("term_id")
            wanted = sorted({row[at] for rows in by_parent.values() for row in rows} - set(terms))
            for start in range(0, len(wanted), 500):
                terms.update((row[0], _encode(row[1:])) for row in fetch(
                    "deadline_term", ("id", *TERM_INPUTS), {"__in__": ("id", wanted[start:start + 500])}, ("id",)))
    own_names = columns(tables[group.table])
    own = {row[0]: row for row in _all(fetch(group.table, ("id", *own_names), {"__range__": ("id", low, high)}, ("id",)))
           if row[0] in ids}
    encode = _cells(tables[group.table], own_names)
    empty: list[Any] = []
    return {i: _digest(group, encode, [[own[i]] if i in own else empty, *(o.get(i, empty) for o in owned)], parts, terms,
                       marks)
            for i in ids}


def term_text(term: dict[str, Any]) -> str:
    """A clock's term as a digest writes it in the clock's row: its inputs (:data:`TERM_INPUTS`)
    as :func:`stream` and :func:`for_ids` read them. ``term``: its columns (``term_columns``)."""
    return _encode(term[name] for name in TERM_INPUTS)


def for_new(kind: str, metadata: Any, own: dict[str, Any], count: int,
            parts: dict[str, dict[str, Any]] | None = None, terms: dict[Any, str] | None = None) -> list[str]:
    """The digests (without marks) of ``count`` new records of ``kind``, computed from the values
    about to be stored rather than read back: the bulk import's, the same text and hash as
    :func:`for_ids` makes from the stored rows (``tests/test_digest_for_new.py`` compares them
    on both backends, and the import compares its first record's with them).

    ``own``: the record's row, every column a digest covers, as
    :func:`gongkai.core.records.storage.insert_columns` takes them (a list: each row's value;
    anything else: every row's), as Python values of the column's type (what a read gives back).
    ``parts``: the part tables of which each record has exactly one row, given the same way; every
    other part has none (a new record). ``terms``: a clock's ``term_id`` -> :func:`term_text`."""
    group = GROUPS[kind]
    tables = metadata.tables
    parts = parts or {}
    segments: list[Any] = [f"{group.table}=", _new_rows(tables[group.table], columns(tables[group.table]), own, count)]
    for part in group.parts:
        if part.table not in parts:
            segments.append(_EMPTY[part.table])
            continue
        if part.refs:
            raise ValueError(f"{part.table}: a new record's part that names a sibling row is read back, not given")
        names = columns(tables[part.table], part.parent)
        segments += [f"|{part.table}:1", _new_rows(tables[part.table], names, parts[part.table], count, terms or {})]
    # constant texts merged, so that each record's text is one join of a few pieces
    merged: list[Any] = []
    for segment in segments:
        if isinstance(segment, str) and merged and isinstance(merged[-1], str):
            merged[-1] += segment
        else:
            merged.append(segment)
    texts = map("".join, zip(*(repeat(s, count) if isinstance(s, str) else s for s in merged)))
    sha, encode = hashlib.sha256, str.encode
    return [sha(encode(text, "utf-8", "surrogatepass")).hexdigest().translate(_LETTERS) for text in texts]


_repr_of_value = functools.lru_cache(maxsize=4096, typed=True)(repr)  # typed: repr(True) is not repr(1)


def _new_rows(table: Any, names: list[str], values: dict[str, Any], count: int,
              terms: dict[Any, str] | None = None) -> list[str]:
    """Each row's text as :func:`_encoder` writes a stored row's (``repr`` of the tuple), from
    the values given column by column; a constant column's cell made once."""
    cells: list[Any] = []
    for name in names:
        value = values[name]  # every column: one left out would be digested as the database defaults it
        if name == "term_id" and terms is not None:  # a clock's term: by what it dates from (as _digest)
            cell: Callable[[Any], str] = lambda v: repr(terms.get(v, "?"))  # noqa: E731
        elif _needs_text(table.c[name]):
            cell = lambda v: repr(_text(v))  # noqa: E731
        elif _is_text(table.c[name]):
            cell = repr
        else:  # dates, numbers, flags: few values, many times
            cell = _repr_of_value
        cells.append(list(map(cell, value)) if isinstance(value, list) else repeat(cell(value), count))
    if len(cells) == 1:
        return [f"({c},)" for c in cells[0]]
    return list(map("({})".format, map(", ".join, zip(*cells))))


def _all(rows: Any) -> Any:
    """A query's rows fetched at once (the driver's fetchall: a third of the cost of row by row)."""
    return rows.all() if hasattr(rows, "all") else rows


def _digest(group: Group, encode: Any, groups: list[list[Any]], parts: list[Any],
            terms: dict[int, str], marks: bool = True) -> str:
    own, *owned = groups
    if not marks:  # the plain text (the same text, the row's reprs in one call)
        text = [group.table, "=", encode.row(own[0][1:]) if own else "-"]
        pieces = None
    else:
        cells = encode(own[0][1:]) if own else []
        text = [group.table, "=", _row(cells) if own else "-"]
        pieces = [*cells]  # what each mark is of: the own row's cells, then each part's text
    ranks: dict[str, dict[Any, int]] = {}
    for (part, _names, _, encode_part, special), rows in zip(parts, owned):
        start = len(text)
        if not rows:
            text.append(_EMPTY[part.table])
            if pieces is not None:
                pieces.append(text[-1])
            continue
        text.append(f"|{part.table}:{len(rows)}")
        if part.table in REFERRED:
            ranks[part.table] = {row[1]: i for i, row in enumerate(rows)}
        if not special:
            text.extend([encode_part(row[2:]) for row in rows])
        else:
            for row in rows:
                values = list(row[2:])
                for i, target in special:
                    if target is None:  # a clock's term: by what it dates from
                        values[i] = terms.get(values[i], "?")
                    else:  # a sibling row: by its rank
                        values[i] = ranks.get(target, {}).get(values[i], None if values[i] is None else "?")
                text.append(encode_part(values))
        if pieces is not None:
            pieces.append("".join(text[start:]))
    whole = hashlib.sha256("".join(text).encode("utf-8", "surrogatepass")).hexdigest().translate(_LETTERS)
    return whole + SEPARATOR + _marks(pieces) if own and pieces is not None else whole


# the digest's hex digits written as letters (0-9 as g-p): no run of digits in it reads as a phone or
# ID number to the masking that every reader of the log applies
_LETTERS = str.maketrans("0123456789", "ghijklmnop")


@functools.lru_cache(maxsize=None)
def _special(part: Part, names: tuple[str, ...]) -> list[tuple[int, str | None]]:
    """The columns of ``part`` digested by what they point to: (index, the part they name, or None: a term)."""
    refs = dict(part.refs)
    return [(i, None if name == "term_id" else refs[name]) for i, name in enumerate(names)
            if name == "term_id" or name in refs]


def _grouped(rows: Iterable[tuple[Any, ...]]) -> Iterator[tuple[Any, list[Any]]]:
    for key, group in groupby(rows, key=lambda row: row[0]):
        yield key, list(group)


def _side_by_side(streams: list[Iterator[tuple[Any, list[Any]]]]) -> Iterator[tuple[Any, list[Any]]]:
    heads = [next(s, None) for s in streams]
    while True:
        live = [h[0] for h in heads if h is not None]
        if not live:
            return
        key = min(live)
        groups: list[Any] = []
        for i, head in enumerate(heads):
            if head is not None and head[0] == key:
                groups.append(head[1])
                heads[i] = next(streams[i], None)
            else:
                groups.append([])
        yield key, groups


def query_fetch(connection: Any, metadata: Any) -> Fetch:
    """:data:`Fetch` through a SQLAlchemy connection (scoped to its unit, if bound to one)."""
    from sqlalchemy import select

    from gongkai.core.records.scoping import ALL_UNITS, unit_of

    # scoped here, by the one condition the scoping would add: its walk of a select of some forty
    # columns costs more than the rows of a small batch (an import's)
    unit = unit_of(connection)
    unscoped = {ALL_UNITS: True}

    def fetch(table: str, names: tuple[str, ...], where: dict[str, Any], order: tuple[str, ...]) -> Any:
        c = metadata.tables[table].c
        query = select(*(c[n] for n in names))
        if unit is not None:
            query = query.execution_options(**unscoped)
            if "unit_id" in c and table != "unit":
                query = query.where(c.unit_id == unit)
        for column, value in where.items():
            if column == "__range__":
                name, low, high = value
                query = query.where(c[name] >= low, c[name] <= high)
            elif column == "__in__":
                name, values = value
                query = query.where(c[name].in_(values))
            else:
                query = query.where(c[column] == value)
        return connection.execute(query.order_by(*(c[n] for n in order)))

    return fetch


def with_digest(after: str | None, digest: str, key: str = KEY) -> str:
    """An event's ``after`` (JSON of an object, or None) with ``digest`` added: spliced in,
    not re-encoded, so nothing else of it changes (and a hex digest is not masked)."""
    if after is None or after.strip() in ("{}", "null", ""):
        return f'{{"{key}":"{digest}"}}'
    return f'{after[:-1]},"{key}":"{digest}"}}'


def seal_digests(session: Any, events: Iterable[Any]) -> None:
    """Give the last of ``events`` about each record its record's digest (in its ``after``)."""
    last: dict[tuple[str, int], Any] = {}
    for event in events:
        if event.subject_kind in GROUPS and event.subject_id is not None and _is_object(event.after):
            last[(event.subject_kind, event.subject_id)] = event
    if not last:
        return
    for key, digest in _digests(session, last).items():
        last[key].after = with_digest(last[key].after, digest)


def digests_for_columns(session: Any, kinds: Any, ids: list[Any], afters: list[Any], count: int) -> list[Any]:
    """``afters`` (one per event, or one for all) of events given column by column
    (:func:`gongkai.core.records.chain.append_columns`), the last about each record with its digest."""
    kinds_list = kinds if isinstance(kinds, list) else [kinds] * count
    ids_list = ids if isinstance(ids, list) else [ids] * count
    after_list = list(afters) if isinstance(afters, list) else [afters] * count
    last: dict[tuple[str, int], int] = {}
    for i, (kind, subject_id) in enumerate(zip(kinds_list, ids_list)):
        if kind in GROUPS and subject_id is not None and _is_object(after_list[i]):
            last[(kind, subject_id)] = i
    if not last:
        return afters
    for key, digest in _digests(session, last, marks=False).items():
        after_list[last[key]] = with_digest(after_list[last[key]], digest)
    return after_list


def _digests(session: Any, keys: Iterable[tuple[str, int]], marks: bool = True) -> dict[tuple[str, int], str]:
    """The digest of each (kind, id) record, read kind by kind."""
    from sqlmodel import SQLModel

    from gongkai.core.records.storage import import_models

    import_models()  # a record's parts may live in tables this command never loaded (its files)
    fetch = query_fetch(session.connection(), SQLModel.metadata)
    by_kind: dict[str, set[int]] = {}
    for kind, subject_id in keys:
        by_kind.setdefault(kind, set()).add(subject_id)
    out: dict[tuple[str, int], str] = {}
    for kind, ids in by_kind.items():
        digests = for_ids(fetch, kind, SQLModel.metadata, ids, marks)
        out.update(((kind, i), digests[i]) for i in ids)
    return out


def with_unit_digest(session: Any, unit_id: Any, after: str | None, kinds: Iterable[str]) -> str | None:
    """The first event of ``unit_id``'s chain (its ``after``), with the unit row's digest
    (:data:`UNIT_KEY`) unless the events it begins with state the unit themselves (``unit add``)."""
    if unit_id is None or "unit" in set(kinds) or not _is_object(after):
        return after
    digest = _digests(session, [("unit", unit_id)]).get(("unit", unit_id))
    return after if digest is None else with_digest(after, digest, UNIT_KEY)


def _is_object(after: str | None) -> bool:
    return after is None or after.startswith("{")
