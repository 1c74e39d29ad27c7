"""One 20-working-day deadline: an index lookup in gongkai, a day-by-day walk in the baselines."""

from __future__ import annotations

import datetime as dt
import random

from benchmarks.common import Figure, best_of, fmt_seconds

N = 2_000


def run(n: int = N) -> list[Figure]:
    import chinese_calendar
    import holidays

    from gongkai.core.time.calendar import load_calendar

    rng = random.Random(20)
    starts = [dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(700)) for _ in range(n)]
    cal = load_calendar()
    cn = holidays.China(years=range(2025, 2028))

    ours = best_of(lambda: [cal.add_working_days(s, 20) for s in starts]) / n
    theirs = best_of(lambda: [cn.get_nth_working_day(s, 20) for s in starts], repeat=3) / n
    cc = best_of(lambda: [chinese_calendar.find_workday(20, s) for s in starts if s.year < 2027], repeat=3) / n

    # the same answers, or the ratio means nothing (holidays counts make-up days as working days too)
    for s in starts[:200]:
        if s.year < 2027 and cal.is_workday(s):  # chinese_calendar counts a rest-day start differently
            assert cal.add_working_days(s, 20) == chinese_calendar.find_workday(20, s), s
    return [
        Figure("one 20-working-day deadline", fmt_seconds(ours), f"holidays get_nth_working_day {fmt_seconds(theirs)}",
               f"{theirs / ours:.0f}× faster", "target: at least 50× faster than holidays"),
        Figure("one 20-working-day deadline", fmt_seconds(ours), f"chinese_calendar.find_workday {fmt_seconds(cc)}",
               f"{cc / ours:.0f}× faster"),
    ]
