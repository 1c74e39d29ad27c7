"""Records and their evidence: the database, its schema, and the hash-chained event log.

- :mod:`.storage`: engines, sessions and events (SQLite by default, PostgreSQL by URL);
- :mod:`.schema` and ``migrations/``: Alembic revisions, applied on first use;
- :mod:`.chain`: the tamper-evident event log, one SHA-256 hash chain per unit;
- :mod:`.digest`: a record's whole content as one digest, carried by its last event;
- :mod:`.units` and :mod:`.scoping`: the ``unit`` table, the ``unit_id`` every unit-owned
  table carries, and the one place that keeps a connection to its unit's rows;
- :mod:`.head_cache`: values reused while a unit's chain head is unchanged;
- :mod:`.limits`: size limits on what is stored;
- :mod:`.privacy`: applicants' personal data, validated and masked.
"""
