"""Time: the PRC working-day calendar and every statutory clock counted on it.

- :mod:`.calendar`: the working-day calendar compiled into an index (``holidays`` plus the
  State Council's schedules and local adjustments);
- :mod:`.calendar_load`: a schedule file loaded into a unit's calendar (``calendar --load``),
  and the stored deadlines recomputed when the calendar changes;
- :mod:`.deadlines`: the deadline engine, from a rule, a start and a clock's pauses to a due date;
- :mod:`.deadline_store`: stored deadlines, one row per named clock of a record.
"""
