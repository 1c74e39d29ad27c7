"""Units as records: the ``unit`` table, ``unit_id`` on every unit-owned table, a chain per unit,
letter serials per unit and year.

An existing database holds one unit's records: the revision makes that unit (code ``main``, its
name and letter prefix from the folder's ``gongkai.toml`` when the application runs the upgrade)
and gives it every row. A district database (``gongkai init --district``) starts with no unit.
The event hashes do not change (``unit_id`` is not hashed): the old chain becomes the unit's.
Letters already issued keep their number: their serial was the request's id.

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-27
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import context, op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

# every table whose rows belong to a unit (written out: a revision never changes with the code)
OWNED = ("event", "audit_chain", "disclosure_request", "request_prior_reply", "request_correction", "request_pause",
         "request_extension", "request_review", "request_appeal", "ledger_import", "document", "document_review",
         "document_reevaluation", "decision_count", "matter", "account", "evaluation_tally", "deadline")
FIRST = 1  # the id of the folder's one unit


def _settings() -> dict:
    return dict(context.config.attributes.get("unit") or {})


def upgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    settings = _settings()
    district = bool(settings.get("district"))
    op.create_table(
        "unit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("letter_prefix", sa.String(length=40), nullable=False),
        sa.Column("reconsideration_body", sa.String(length=200), nullable=False),
        sa.Column("contact", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["parent_id"], ["unit.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    unit = sa.table("unit", *(sa.column(c) for c in ("id", "code", "name", "level", "letter_prefix",
                                                        "reconsideration_body", "contact", "created_at")))
    if not district:
        op.bulk_insert(unit, [{"id": FIRST, "code": "main", "name": settings.get("name", ""),
                               "level": "department", "letter_prefix": settings.get("letter_prefix", ""),
                               "reconsideration_body": settings.get("reconsideration_body", ""), "contact": "",
                               "created_at": dt.datetime.now(dt.timezone.utc)}])
        if not sqlite:  # the id was given, not drawn: move the sequence past it
            op.execute("SELECT setval(pg_get_serial_sequence('unit', 'id'), 1)")
    else:
        op.execute("DELETE FROM audit_chain")  # a new database: the empty chain head of revision 0002
    # unit_id on every owned table, filled in place: SQLite adds a column with a default without
    # copying the table (the default stays; the application always writes unit_id)
    default = sa.text(str(0 if district else FIRST))
    for table in OWNED:
        op.add_column(table, sa.Column("unit_id", sa.Integer(), nullable=False, server_default=default))
        if not sqlite:
            op.alter_column(table, "unit_id", server_default=None)
    # uniqueness and the hot indexes, per unit
    with op.batch_alter_table("event") as batch:  # SQLite: a table constraint changes by copying the table
        batch.drop_constraint("uq_event_seq", type_="unique")
        batch.create_unique_constraint("uq_event_unit_seq", ["unit_id", "seq"])
    with op.batch_alter_table("audit_chain") as batch:
        batch.create_unique_constraint("uq_audit_chain_unit", ["unit_id"])
    with op.batch_alter_table("decision_count") as batch:
        batch.drop_constraint("uq_decision_count_year_kind", type_="unique")
        batch.create_unique_constraint("uq_decision_count_year_kind", ["unit_id", "year", "kind"])
    with op.batch_alter_table("account", naming_convention={"uq": "uq_%(table_name)s_%(column_0_name)s"}) as batch:
        batch.drop_constraint(_account_name_constraint(bind), type_="unique")
        batch.create_unique_constraint("uq_account_unit_name", ["unit_id", "name"])
    _reindex("disclosure_request", "ix_request_state", ["unit_id", "state"])
    op.drop_index("ix_disclosure_request_received", table_name="disclosure_request")
    op.create_index("ix_request_received", "disclosure_request", ["unit_id", "received"])
    _reindex("disclosure_request", "ix_request_applicant_month",
             ["unit_id", "applicant_name", "applicant_id_number", "received"])
    _reindex("disclosure_request", "ix_request_ref", ["unit_id", "ref"], unique=True)
    _reindex("disclosure_request", "ix_request_report",
             ["unit_id", "applicant_type", "outcome", "received", "replied_on", "track"])
    _reindex("document", "ix_document_state", ["unit_id", "state"])
    _reindex("evaluation_tally", "ix_evaluation_unit_year_grade", ["unit_id", "unit", "year", "grade"], unique=True)
    # letter serials: the letters already issued were numbered by the request's id
    op.add_column("disclosure_request", sa.Column("letter_serial", sa.Integer(), nullable=True))
    op.add_column("request_prior_reply", sa.Column("letter_serial", sa.Integer(), nullable=True))
    op.execute("UPDATE disclosure_request SET letter_serial = id WHERE replied_on IS NOT NULL AND outcome IS NOT NULL")
    op.execute("UPDATE request_prior_reply SET letter_serial = request_id")
    op.create_table(
        "letter_sequence",
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("unit_id", "year", name="uq_letter_sequence_unit_year"),
    )
    if not district:  # each year's sequence goes on after the highest number issued in it
        issued: dict[int, int] = {}
        for replied, amended, serial in bind.execute(sa.text(
                "SELECT replied_on, amended_on, letter_serial FROM disclosure_request WHERE letter_serial IS NOT NULL")):
            year = int(str(amended or replied)[:4])
            issued[year] = max(issued.get(year, 0), serial)
        sequence = sa.table("letter_sequence", sa.column("unit_id"), sa.column("year"), sa.column("last"))
        if issued:
            op.bulk_insert(sequence, [{"unit_id": FIRST, "year": y, "last": n} for y, n in sorted(issued.items())])


def _account_name_constraint(bind) -> str:
    found = [c["name"] for c in sa.inspect(bind).get_unique_constraints("account") if c["column_names"] == ["name"]]
    return found[0] if found and found[0] else "uq_account_name"


def _reindex(table: str, name: str, columns: list[str], unique: bool = False) -> None:
    op.drop_index(name, table_name=table)
    op.create_index(name, table, columns, unique=unique)


def downgrade() -> None:
    """Back to one unit per database (only a database holding one unit's records goes back whole)."""
    op.drop_table("letter_sequence")
    for table in ("disclosure_request", "request_prior_reply"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("letter_serial")
    _reindex("evaluation_tally", "ix_evaluation_unit_year_grade", ["unit", "year", "grade"], unique=True)
    _reindex("document", "ix_document_state", ["state"])
    _reindex("disclosure_request", "ix_request_report", ["applicant_type", "outcome", "received", "replied_on", "track"])
    _reindex("disclosure_request", "ix_request_ref", ["ref"], unique=True)
    _reindex("disclosure_request", "ix_request_applicant_month", ["applicant_name", "applicant_id_number", "received"])
    op.drop_index("ix_request_received", table_name="disclosure_request")
    op.create_index("ix_disclosure_request_received", "disclosure_request", ["received"])
    _reindex("disclosure_request", "ix_request_state", ["state"])
    with op.batch_alter_table("account") as batch:
        batch.drop_constraint("uq_account_unit_name", type_="unique")
        batch.create_unique_constraint("uq_account_name", ["name"])
    with op.batch_alter_table("decision_count") as batch:
        batch.drop_constraint("uq_decision_count_year_kind", type_="unique")
        batch.create_unique_constraint("uq_decision_count_year_kind", ["year", "kind"])
    with op.batch_alter_table("audit_chain") as batch:
        batch.drop_constraint("uq_audit_chain_unit", type_="unique")
    with op.batch_alter_table("event") as batch:
        batch.drop_constraint("uq_event_unit_seq", type_="unique")
        batch.create_unique_constraint("uq_event_seq", ["seq"])
    for table in OWNED:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("unit_id")
    op.drop_table("unit")
