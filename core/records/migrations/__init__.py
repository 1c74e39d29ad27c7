"""Alembic migrations of the gongkai schema (run by :mod:`gongkai.core.records.schema`)."""
