"""Units (单位) as records: one database can hold a whole district's units, each seeing only its own.

- :mod:`.setup`: a new unit's ``gongkai.toml`` and database (``gongkai init``);
- :mod:`.store`: adding, listing, showing and editing units (each change an event);
- :mod:`.numbering`: each unit's letters numbered per year, gap-free;
- :mod:`.moving`: a unit's SQLite database moved into a district database (``unit import-db``),
  its check run beside the move by :mod:`.background`.

The ``unit`` table itself and the scoping of connections to a unit are records
(:mod:`gongkai.core.records.units`, :mod:`gongkai.core.records.scoping`).
"""
