"""When a stored clock falls due, and whether it is overdue at a given moment.

Day rules are due at the end of their due date; hour and minute rules at their exact
moment (compared as aware times; a naive time is taken as Beijing time).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from gongkai.core.time.deadline_store import StoredDeadline
from gongkai.core import today
from gongkai.core.today import BEIJING

if TYPE_CHECKING:
    from gongkai.core.time.calendar import WorkCalendar


def beijing(moment: dt.datetime) -> dt.datetime:
    """``moment`` as an aware Beijing time (a naive time is taken as Beijing time)."""
    return moment.replace(tzinfo=BEIJING) if moment.tzinfo is None else moment.astimezone(BEIJING)


def now_beijing() -> dt.datetime:
    return today.now()


def due_moment(row: StoredDeadline) -> dt.date | dt.datetime | None:
    """The due date, or the due moment (Beijing time) for hour and minute rules."""
    if row.due_at is not None:
        return beijing(row.due_at)
    return row.due


def is_overdue(row: StoredDeadline, now: dt.datetime) -> bool:
    """True once the clock's due date (or moment) has passed at ``now``."""
    if row.paused:
        return False
    if row.due_at is not None:
        return beijing(now) > beijing(row.due_at)
    return row.due is not None and beijing(now).date() > row.due


def time_left(due: str | None, now: dt.datetime, calendar: WorkCalendar) -> str:
    """How long until a digest item's ``due`` (ISO date or date-time): hours and minutes for
    hour and minute rules, working days for day rules; "" once it is past."""
    if not due:
        return ""
    if "T" in due:
        minutes = int((beijing(dt.datetime.fromisoformat(due)) - beijing(now)).total_seconds() // 60)
        if minutes < 0:
            return ""
        return f"剩 {minutes // 60} 小时 {minutes % 60} 分钟" if minutes >= 60 else f"剩 {minutes} 分钟"
    today, day = beijing(now).date(), dt.date.fromisoformat(due)
    if day < today:
        return ""
    return "今日到期" if day == today else f"剩 {calendar.working_days_between(today, day)} 个工作日"
