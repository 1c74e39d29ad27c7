"""Ledger search on PostgreSQL: the bigrams stored in a column, indexed as a plain column.

Revision 0010 indexed the expression ``gongkai_bigrams(applicant_name) || gongkai_bigrams(subject)``,
so every request stored evaluated that SQL function twice (about 30 µs a row: 3 s of a
100,000-request ``unit import-db``). Now ``disclosure_request.search_bigrams`` holds them and
``ix_request_search`` is a GIN index over that column. A trigger fills the column from the
name and the subject when a write does not supply it (intake, edits, row inserts), and again
whenever an update changes the name or the subject; bulk writes (COPY) supply the bigrams
they computed themselves (:func:`gongkai.core.requests.search.pg_bigrams`). The existing
requests are filled here. ``gongkai_bigrams`` itself becomes an inlinable SQL function (no
DISTINCT: the GIN index keeps each bigram once anyway). SQLite: nothing (its FTS5 table, 0018).

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-28
"""

from __future__ import annotations

from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

# as in gongkai.core.requests.search, written out: a revision never changes with the code
FUNCTION = """CREATE OR REPLACE FUNCTION gongkai_bigrams(t text) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT ARRAY(SELECT substr(lower(t), i, 2) FROM generate_series(1, char_length(t) - 1) AS i) $$"""
TRIGGER_FUNCTION = """CREATE FUNCTION gongkai_request_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_bigrams := gongkai_bigrams(NEW.applicant_name) || gongkai_bigrams(NEW.subject);
  RETURN NEW;
END $$"""
TRIGGERS = {  # WHEN: a write that supplies the bigrams (COPY) calls no function at all
    "request_search_insert": "BEFORE INSERT ON disclosure_request FOR EACH ROW WHEN (NEW.search_bigrams IS NULL)",
    "request_search_update": "BEFORE UPDATE OF applicant_name, subject ON disclosure_request FOR EACH ROW "
                             "WHEN (NEW.applicant_name IS DISTINCT FROM OLD.applicant_name "
                             "OR NEW.subject IS DISTINCT FROM OLD.subject)",
}
OLD_FUNCTION = """CREATE OR REPLACE FUNCTION gongkai_bigrams(t text) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT coalesce(array_agg(DISTINCT substr(lower(t), i, 2)), '{}') FROM generate_series(1, char_length(t) - 1) AS i $$"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    op.execute("DROP INDEX ix_request_search")  # first: the fill below would maintain it row by row
    op.execute(FUNCTION)
    op.execute("ALTER TABLE disclosure_request ADD COLUMN search_bigrams text[]")
    op.execute("UPDATE disclosure_request SET search_bigrams = gongkai_bigrams(applicant_name) || gongkai_bigrams(subject)")
    op.execute("CREATE INDEX ix_request_search ON disclosure_request USING gin (search_bigrams)")
    op.execute(TRIGGER_FUNCTION)
    for name, when in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {when} EXECUTE FUNCTION gongkai_request_search()")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER {name} ON disclosure_request")
    op.execute("DROP FUNCTION gongkai_request_search()")
    op.execute("DROP INDEX ix_request_search")
    op.execute("ALTER TABLE disclosure_request DROP COLUMN search_bigrams")
    op.execute(OLD_FUNCTION)
    op.execute("CREATE INDEX ix_request_search ON disclosure_request USING gin "
               "((gongkai_bigrams(applicant_name) || gongkai_bigrams(subject)))")
