"""Finding requests by what people remember of them: the applicant's name, words of the
subject, the 编号 (``gongkai ledger --search``), fast on a million requests.

Chinese has no spaces between words, so both backends index **bigrams** (every two adjacent
characters) of the applicant's name and the subject, and a search for ``老旧小区`` asks for the
rows holding all of its bigrams, then checks the substring on those few rows:

- SQLite: an FTS5 table (``request_search``, tokenizer unicode61) of the bigrams as words; a
  query is the phrase of its bigrams. Triggers on ``disclosure_request`` (revision 0018) index
  each request as it is stored or its name or subject changes, whatever the write path (intake,
  edits, the bulk import), so no search ever builds the index. The bulk import writes its
  rows' index itself, in the same transaction (:func:`stored_in_bulk`), six times cheaper.
- PostgreSQL: the column ``search_bigrams`` (revision 0020) holds the bigrams of both, under a
  GIN index; a trigger fills it from the name and the subject when a write does not supply it
  and again when an edit changes them, and bulk writes (COPY) supply it (:func:`pg_bigrams`).
  A query asks ``@>`` its bigrams.

A one-character search cannot use bigrams and reads the table.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from operator import add
from typing import Any

from sqlalchemy import Text, and_, bindparam, column, func, literal_column, or_, select, table, text

from gongkai.core.requests.models import Request

TABLE = "request_search"
INSERT_TRIGGER = "request_search_insert"  # revision 0018
FTS = table(TABLE, column("rowid"))
_NUMBER = re.compile(r"^(?:〔\d{4}〕)?第?(\d+)号?$")

# PostgreSQL's column of bigrams, under the GIN index ix_request_search (revision 0020)
PG_COLUMN = "search_bigrams"


def bigrams(value: str) -> list[str]:
    """Every two adjacent characters of ``value``, lower-cased, in order."""
    value = value.lower()
    return [value[i:i + 2] for i in range(len(value) - 1)]


def pg_bigrams(applicant_name: str | None, subject: str | None) -> str | None:
    """``search_bigrams`` of a request, as PostgreSQL's text form of an array, for a bulk write
    (COPY) to supply instead of the trigger computing it row by row: what the trigger stores
    (its ``gongkai_bigrams``), every element quoted. None (the trigger computes it) when a
    text holds a letter that ``lower()`` changes: Python's lower case and the database's
    (its locale's) may differ there."""
    name, subject = applicant_name or "", subject or ""
    if name.lower() != name or subject.lower() != subject:
        return None
    grams = [*map(add, name, name[1:]), *map(add, subject, subject[1:])]
    if '"' in name or "\\" in name or '"' in subject or "\\" in subject:  # the array's quoting
        grams = [g.replace("\\", "\\\\").replace('"', '\\"') for g in grams]
    return '{"' + '","'.join(grams) + '"}' if grams else "{}"


def _words(value: str) -> str:
    from gongkai.core.records.storage import bigram_words

    return bigram_words(value)


def stored_in_bulk(session: Any, store: Callable[[], list[int]], applicants: list[str], subjects: list[str]) -> list[int]:
    """``store()``, an executemany of new requests returning their ids, with the search index
    written here, in the caller's transaction, from the rows' ``applicants`` and ``subjects``
    as ``storage.bigram_words`` gives them (the import computes them in its checking process).

    SQLite: the insert trigger is dropped around ``store()`` and created again, as it was,
    before this returns. Each row a trigger inserts comes with a statement savepoint, at which
    FTS5 writes its pending terms to disk (its xSavepoint) and then merges those tiny segments:
    22 µs a row, against 3.4 µs for the same rows by one executemany into the FTS5 table,
    which keeps them in memory until the commit. DDL is transactional in SQLite, and the
    transaction holds the write lock from its start here: no other connection ever sees the
    table without its trigger, nor writes while it is gone, and a rollback or a crash leaves it
    as it was. PostgreSQL: ``store()`` alone (its own trigger fills ``search_bigrams``)."""
    conn = session.connection()
    if conn.dialect.name != "sqlite":
        return store()
    if not conn.connection.driver_connection.in_transaction:
        # pysqlite begins its transaction at the first INSERT, not before DDL: the DROP alone
        # would be committed at once, and a rollback would then lose the trigger
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    trigger = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
                                   (INSERT_TRIGGER,)).scalar()
    if trigger is not None:
        conn.exec_driver_sql(f"DROP TRIGGER {INSERT_TRIGGER}")
    try:
        ids = store()
    finally:  # whatever happens, the table keeps its trigger: this transaction may still commit
        if trigger is not None:
            conn.exec_driver_sql(trigger)
    conn.exec_driver_sql(f"INSERT INTO {TABLE} (rowid, applicant, subject) VALUES (?, ?, ?)",
                         list(zip(ids, applicants, subjects, strict=True)))
    return ids


def _like(value: str) -> str:
    return "%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _exact(needle: str) -> Any:
    """The 编号 or the whole 本单位编号 (``ref``): at most a row or two, by their indexes."""
    r = Request.__table__.c
    number = _NUMBER.match(needle)
    if number and int(number.group(1)) < 2**62:
        return or_(r.ref == needle, r.id == int(number.group(1)))
    return r.ref == needle


def _text_match(session: Any, needle: str) -> tuple[Any, Any]:
    """(the MATCH on the FTS5 table, None but on SQLite; the condition on the request's row)
    for the text in the applicant's name or the subject."""
    r = Request.__table__.c
    pattern = _like(needle.lower())
    substring = or_(func.lower(r.applicant_name).like(pattern, escape="\\"),
                    func.lower(r.subject).like(pattern, escape="\\"))
    grams = sorted(set(bigrams(needle)))
    if not grams:  # one character: read the table
        return None, substring
    if session.get_bind().dialect.name == "sqlite":
        phrase = '"' + _words(needle).replace('"', '""') + '"'
        return text(f"{TABLE} MATCH :phrase").bindparams(phrase=phrase), substring
    from sqlalchemy.dialects.postgresql import ARRAY

    wanted = bindparam("grams", grams, type_=ARRAY(Text))
    return None, and_(literal_column(PG_COLUMN).op("@>")(wanted), substring)


def condition(session: Any, query: str) -> Any:
    """The WHERE condition on ``disclosure_request`` for requests matching ``query``: the
    text in the applicant's name or the subject (case-insensitive), the 编号, or the whole
    本单位编号 (``ref``, by its index)."""
    needle = query.strip()
    fts_match, match = _text_match(session, needle)
    if fts_match is not None:
        match = and_(Request.__table__.c.id.in_(select(FTS.c.rowid).where(fts_match)), match)
    return or_(match, _exact(needle))


def newest(session: Any, query: Any, needle: str, limit: int | None) -> list[Any]:
    """The rows of ``query`` (a select of ``disclosure_request``, other filters applied) that
    match ``needle``, newest first, at most ``limit`` (None: all).

    On SQLite the FTS5 table leads, read in descending rowid order and joined by primary key,
    so a word most subjects share stops at the ``limit``-th match instead of collecting them
    all first; the 编号 and the whole 本单位编号 come from their own indexes."""
    r = Request.__table__.c
    needle, query = needle.strip(), query.order_by(None)
    fts_match, match = _text_match(session, needle)
    if fts_match is None:
        ordered = query.where(or_(match, _exact(needle))).order_by(r.id.desc())
        return list(session.execute(ordered.limit(limit) if limit else ordered))
    found = query.join(FTS, FTS.c.rowid == r.id).where(fts_match, match).order_by(FTS.c.rowid.desc())
    rows = {row.id: row for row in session.execute(found.limit(limit) if limit else found)}
    for row in session.execute(query.where(_exact(needle))):
        rows.setdefault(row.id, row)
    return sorted(rows.values(), key=lambda row: row.id, reverse=True)[:limit]
