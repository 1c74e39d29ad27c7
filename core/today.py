"""The one "today" of the application: the date in Beijing (Asia/Shanghai), whatever the
server's timezone. Every default date, every "as of" and every check against the future
asks here, so the reviews, the ledger and the digest never disagree about the day.
"""

from __future__ import annotations

import datetime as dt
import os
from zoneinfo import ZoneInfo

from gongkai.core.errors import GongkaiError

BEIJING = ZoneInfo("Asia/Shanghai")


def now() -> dt.datetime:
    """The current moment as an aware Beijing time; on the day ``GONGKAI_TODAY`` names, if set
    (the digest, the web pages and matters then agree with every other "today")."""
    moment = dt.datetime.now(BEIJING)
    if os.environ.get(ENV_TODAY, "").strip():
        return dt.datetime.combine(today(), moment.timetz())
    return moment


ENV_TODAY = "GONGKAI_TODAY"  # a fixed "today" (ISO date): rehearsing a given day, replaying a past year


def today() -> dt.date:
    """Today's date in Beijing, or the date ``GONGKAI_TODAY`` names."""
    fixed = os.environ.get(ENV_TODAY, "").strip()
    if fixed:
        try:
            return dt.date.fromisoformat(fixed)
        except ValueError:
            raise GongkaiError(f"环境变量 {ENV_TODAY}=“{fixed}”不是有效日期，请写成 2026-09-24 的形式，或删除该变量。") from None
    return dt.datetime.now(BEIJING).date()


def not_future(on: dt.date | None, what: str) -> dt.date | None:
    """``on`` unchanged, refused when it is after today: a step is recorded once it has happened."""
    if on is not None and on > today():
        raise GongkaiError(f"{what}日期 {on} 晚于今天（{today()}，北京时间），请核对日期：已发生的事项不能登记在将来。")
    return on


def not_before(on: dt.date, earlier: dt.date | None, what: str, earlier_what: str) -> dt.date:
    """``on`` unchanged, refused when it is before ``earlier`` (the step it depends on), both dates named."""
    if earlier is not None and on < earlier:
        raise GongkaiError(f"{what}日期 {on} 早于{earlier_what}（{earlier}），请核对日期：{what}须在其后。")
    return on


def beijing_text(moment: dt.datetime, *, seconds: bool = True) -> str:
    """``moment`` as people read it here: Beijing time, "2026-09-24 18:05:33" (a stored time
    without a zone is UTC, as the database keeps it)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")
