"""Ledger search (``gongkai ledger --search``): bigrams of the applicant's name and the subject.

SQLite: the FTS5 table ``request_search``, filled on the first search (see
:mod:`gongkai.core.requests.search`). PostgreSQL: the immutable function ``gongkai_bigrams``
and a GIN index on it over ``disclosure_request``.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-27
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

# as in gongkai.core.requests.search, written out: a revision never changes with the code
SQLITE_TABLE = "CREATE VIRTUAL TABLE request_search USING fts5(applicant, subject, tokenize='unicode61')"
PG_FUNCTION = """CREATE OR REPLACE FUNCTION gongkai_bigrams(t text) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT coalesce(array_agg(DISTINCT substr(lower(t), i, 2)), '{}') FROM generate_series(1, char_length(t) - 1) AS i $$"""
PG_INDEX = ("CREATE INDEX ix_request_search ON disclosure_request USING gin "
            "((gongkai_bigrams(applicant_name) || gongkai_bigrams(subject)))")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(SQLITE_TABLE)
    else:
        op.execute(PG_FUNCTION)
        op.execute(PG_INDEX)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE request_search")
    else:
        op.execute("DROP INDEX ix_request_search")
        op.execute("DROP FUNCTION gongkai_bigrams(text)")
