"""Finding requests by what people remember of them: the applicant's name, words of the
subject, the 编号 (``gongkai ledger --search``), fast on a million requests.

Chinese has no spaces between words, so both backends index **bigrams** (every two adjacent
characters) of the applicant's name and the subject, and a search for ``老旧小区`` asks for the
rows holding all of its bigrams, then checks the substring on those few rows:

- SQLite: an FTS5 table (``request_search``, tokenizer unicode61) of the bigrams as words; a
  query is the phrase of its bigrams. Triggers on ``disclosure_request`` (revision 0017) index
  each request as it is stored or its name or subject changes, whatever the write path (intake,
  edits, the bulk import), so no search ever builds the index.
- PostgreSQL: a GIN index on ``gongkai_bigrams(...)``, an immutable SQL function over the same
  two columns, kept by PostgreSQL itself; a query asks ``@>`` its bigrams.

A one-character search cannot use bigrams and reads the table.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Text, and_, bindparam, func, literal_column, or_, select, text

from gongkai.core.requests.models import Request

TABLE = "request_search"
_NUMBER = re.compile(r"^(?:〔\d{4}〕)?第?(\d+)号?$")

# the indexed expression of ix_request_search (revision 0010 creates the index and the function)
PG_EXPRESSION = "(gongkai_bigrams(applicant_name) || gongkai_bigrams(subject))"


def bigrams(value: str) -> list[str]:
    """Every two adjacent characters of ``value``, lower-cased, in order."""
    value = value.lower()
    return [value[i:i + 2] for i in range(len(value) - 1)]


def _words(value: str) -> str:
    from gongkai.core.storage import bigram_words

    return bigram_words(value)


def _like(value: str) -> str:
    return "%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def condition(session: Any, query: str) -> Any:
    """The WHERE condition on ``disclosure_request`` for requests matching ``query``: the
    text in the applicant's name or the subject (case-insensitive), the 编号, or the whole
    本单位编号 (``ref``, by its index)."""
    r = Request.__table__.c
    needle = query.strip()
    pattern = _like(needle.lower())
    substring = or_(func.lower(r.applicant_name).like(pattern, escape="\\"),
                    func.lower(r.subject).like(pattern, escape="\\"))
    grams = sorted(set(bigrams(needle)))
    if grams:
        if session.get_bind().dialect.name == "sqlite":
            phrase = '"' + _words(needle).replace('"', '""') + '"'
            candidates = text(f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH :phrase").bindparams(phrase=phrase)
            substring = and_(r.id.in_(candidates), substring)
        else:
            from sqlalchemy.dialects.postgresql import ARRAY

            wanted = bindparam("grams", grams, type_=ARRAY(Text))
            substring = and_(literal_column(PG_EXPRESSION).op("@>")(wanted), substring)
    substring = or_(substring, r.ref == needle)
    number = _NUMBER.match(needle)
    return or_(substring, r.id == int(number.group(1))) if number and int(number.group(1)) < 2**62 else substring

