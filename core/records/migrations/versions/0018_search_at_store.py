"""Ledger search indexed when requests are stored, not on the first search (SQLite).

Triggers on ``disclosure_request`` keep the FTS5 table ``request_search`` (revision 0010) in
step with every write path (intake, edits, the bulk import's executemany), through
``gongkai_bigram_words``, a function every gongkai connection registers
(:func:`gongkai.core.records.storage.bigram_words`). The requests stored before this revision are
indexed here, once. PostgreSQL's GIN index (0010) was always kept by PostgreSQL: nothing to do.

A later revision that rebuilds ``disclosure_request`` on SQLite (batch mode copies the table
and drops the old one, and its triggers with it) must create these triggers again.

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-27
"""

from __future__ import annotations

from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

# as in gongkai.core.requests.search, written out: a revision never changes with the code
ROW = "(new.id, gongkai_bigram_words(new.applicant_name), gongkai_bigram_words(new.subject))"
TRIGGERS = {
    "request_search_insert": f"""CREATE TRIGGER request_search_insert AFTER INSERT ON disclosure_request BEGIN
  INSERT INTO request_search (rowid, applicant, subject) VALUES {ROW};
END""",
    "request_search_update": f"""CREATE TRIGGER request_search_update AFTER UPDATE OF applicant_name, subject
ON disclosure_request BEGIN
  DELETE FROM request_search WHERE rowid = old.id;
  INSERT INTO request_search (rowid, applicant, subject) VALUES {ROW};
END""",
    "request_search_delete": """CREATE TRIGGER request_search_delete AFTER DELETE ON disclosure_request BEGIN
  DELETE FROM request_search WHERE rowid = old.id;
END""",
}


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    # what the first search used to index (every id above the highest indexed), indexed now
    op.execute("INSERT INTO request_search (rowid, applicant, subject) SELECT id, gongkai_bigram_words(applicant_name), "
               "gongkai_bigram_words(subject) FROM disclosure_request "
               "WHERE id > (SELECT coalesce(max(rowid), 0) FROM request_search)")
    for statement in TRIGGERS.values():
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER {name}")
