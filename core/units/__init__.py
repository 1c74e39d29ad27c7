"""Units (单位) as records: one database can hold a whole district's units, each seeing only its own.

- :mod:`.models`: the ``unit`` table and :class:`UnitOwned`, the mixin every unit-owned table uses;
- :mod:`.scoping`: the one place where a database connection bound to a unit is kept to it;
- :mod:`.store`: adding, listing, showing and editing units (each change an event);
- :mod:`.numbering`: each unit's letters numbered per year, gap-free;
- :mod:`.moving`: a unit's SQLite database moved into a district database (``unit import-db``).
"""
