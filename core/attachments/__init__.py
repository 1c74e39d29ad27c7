"""Files attached to a record (an application's ID scan, a proof of delivery, an original notice),
kept in the database itself, in chunks, under the SHA-256 the event log states.

- :mod:`.models`: the ``attachment`` rows (what a file is, whose, which kind) and the content in
  ``attachment_chunk`` rows keyed by the content's SHA-256;
- :mod:`.store`: storing a stream (type checked by content, size limited, never whole in memory),
  reading one back chunk by chunk, listing a record's files, and the check ``audit verify`` runs.
"""
