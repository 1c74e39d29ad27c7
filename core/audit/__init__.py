"""Audit: the stored records checked against the event log that is their evidence.

- :mod:`.replay`: every record replayed from its events and compared, column by column;
- :mod:`.database_check`: ``gongkai db check``, the storage engine's checks and the replay;
- :mod:`.seal`: ``gongkai audit seal``, an older database's records brought under digests;
- :mod:`.backup`: ``gongkai db backup`` and ``db restore``, each copy checked as ``db check`` does;
- :mod:`.bundle`: ``gongkai audit bundle``, an appeal's evidence bundle checked item by item
  against the records, the log and its signature.

The hash chain itself is in :mod:`gongkai.core.records.chain`; this package sits above the
domains' models because it knows what each domain's events mean.
"""
