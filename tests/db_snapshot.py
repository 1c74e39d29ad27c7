"""A database's content as one hash: every table, every row, in key order (both backends).

Tests take it before and after a refused command: a refusal must leave it unchanged.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import MetaData, create_engine, select

from gongkai.core.records.storage import normalise_url


def content_hash(url: str) -> str:
    engine = create_engine(normalise_url(url))
    try:
        meta = MetaData()
        meta.reflect(engine)
        digest = hashlib.sha256()
        with engine.connect() as conn:
            for name in sorted(meta.tables):
                table = meta.tables[name]
                order = list(table.primary_key.columns) or list(table.columns)
                digest.update(name.encode())
                for row in conn.execute(select(table).order_by(*order)):
                    digest.update(repr(tuple(row)).encode())
        return digest.hexdigest()
    finally:
        engine.dispose()
