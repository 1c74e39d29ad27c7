"""The annual-report numbers are the same on PostgreSQL as on SQLite: the two-year ledger
(built on SQLite, see report_ledger.py) is copied row for row into a PostgreSQL schema."""

from __future__ import annotations

from report_ledger import built_ledger  # noqa: F401 (fixture)
from sqlmodel import SQLModel

from gongkai.core.law.plugins import load_registry
from gongkai.core.reports.annual import appeal_table, fees_collected, proactive_table, request_table
from gongkai.core.records.storage import create_schema, make_engine, session_scope

REPORTED = {"disclosure_request", "request_appeal", "document", "decision_count"}  # the tables the report reads


def numbers(engine, registry, year):
    with session_scope(engine) as session:
        return (request_table(session, registry, year), appeal_table(session, year),
                proactive_table(session, year), fees_collected(session, year))


def test_the_report_numbers_match_on_postgresql(built_ledger, pg_server):  # noqa: F811
    sqlite = make_engine(f"sqlite:///{built_ledger / 'gongkai.db'}")
    postgres = make_engine(pg_server.new_database())
    create_schema(postgres)
    with sqlite.connect() as source, postgres.begin() as target:
        for table in SQLModel.metadata.sorted_tables:
            if table.name not in REPORTED:
                continue
            rows = [dict(r._mapping) for r in source.execute(table.select())]
            if rows:
                target.execute(table.insert(), rows)
    registry = load_registry("changning")
    for year in (2025, 2026):
        expected = numbers(sqlite, registry, year)
        assert expected[0]["new"]["total"] > 0
        assert numbers(postgres, registry, year) == expected, year
    sqlite.dispose()
    postgres.dispose()
