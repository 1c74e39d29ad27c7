"""The deadline engine: from a rule, a start and the clock's history to a due date.

Counting follows the 条例 as applied in practice: the day of the triggering event is
day 0 and the deadline is the N-th working day after it, even when the event falls on a
rest day. Pauses (third-party or other-agency consultation, force majeure) are stored as
intervals and do not count; a restart (a corrected request, 条例 第三十条) starts the
period again; an extension is bounded by its rule.

Hour and minute rules run on the clock in Beijing time; a time given without an offset
is taken as Beijing time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import attrs
from dateutil.relativedelta import relativedelta

from gongkai.core.time.calendar import WorkCalendar
from gongkai.core.errors import GongkaiError, StepRefused
from gongkai.core.today import BEIJING
from gongkai.hookspecs.records import DeadlineRule, Unit


Moment = dt.date | dt.datetime


@attrs.frozen
class Pause:
    """The clock stopped on ``start`` and restarted on ``end`` (None: still stopped)."""

    start: dt.date
    end: dt.date | None = None
    reason: str = ""

    def __attrs_post_init__(self) -> None:
        if self.end is not None and self.end < self.start:
            raise GongkaiError(f"恢复计时日期 {self.end} 早于暂停日期 {self.start}，请核对。")


@attrs.frozen
class Extension:
    """An extension of ``amount`` in ``unit`` (the extension rule's unit)."""

    amount: int
    unit: Unit = Unit.WORKING_DAYS


@attrs.frozen
class Deadline:
    """A computed deadline. ``due`` is None while the clock is stopped."""

    rule: DeadlineRule
    start: Moment
    due: Moment | None
    limit: Moment | None
    provisional: bool
    paused: bool = False
    paused_working_days: int = 0
    extension: Extension | None = None
    # How to recompute from ``start`` alone after a calendar change: ``offset`` units of
    # the rule (target and limit), then ``months_after`` months (a month-long extension).
    offset: int = 0
    limit_offset: int | None = None
    months_after: int = 0

    def to_json(self, jurisdiction: str = "") -> dict[str, Any]:
        return {
            "rule": self.rule.id,
            "jurisdiction": jurisdiction,
            "start": iso(self.start),
            "due": iso(self.due),
            "limit": iso(self.limit),
            "unit": self.rule.unit.value,
            "amount": self.rule.amount,
            "limit_amount": self.rule.limit,
            "provisional": self.provisional,
            "paused": self.paused,
            "paused_working_days": self.paused_working_days,
            "extension": self.extension.amount if self.extension else 0,
            "citation": str(self.rule.citation),
            "summary": self.rule.summary,
        }


def iso(value: Moment | None) -> str | None:
    return value.isoformat() if value is not None else None


def parse_moment(text: str, unit: Unit) -> Moment:
    """Parse ``--start``: a date, or for hour/minute rules a date-time (Beijing time if no offset)."""
    text = text.strip()
    if unit.is_timed:
        try:
            value = dt.datetime.fromisoformat(text)
        except ValueError:
            raise GongkaiError(
                f"“{text}”不是有效的日期时间。小时、分钟类期限请写成 2026-09-24T22:30 或 2026-09-24T22:30+08:00。"
            ) from None
        return value if value.tzinfo else value.replace(tzinfo=BEIJING)
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        try:
            return dt.datetime.fromisoformat(text).date()
        except ValueError:
            raise GongkaiError(f"“{text}”不是有效日期，请写成 2026-09-24 的形式。") from None


def _add(calendar: WorkCalendar, start: dt.date, amount: int, unit: Unit) -> dt.date:
    if unit is Unit.WORKING_DAYS:
        return calendar.add_working_days(start, amount)
    if unit is Unit.CALENDAR_DAYS:
        return start + dt.timedelta(days=amount)
    if unit is Unit.CALENDAR_DAYS_ROLLING:
        day = start + dt.timedelta(days=amount)
        while not calendar.is_workday(day):
            day += dt.timedelta(days=1)
        return day
    if unit is Unit.MONTHS:
        return start + relativedelta(months=amount)
    raise ValueError(f"unit {unit} is not a day unit")


def paused_days(calendar: WorkCalendar, pauses: Iterable[Pause], since: dt.date, unit: Unit, until: dt.date | None = None) -> int:
    """Days (working days for working-day rules) the clock stood still after ``since``."""
    total = 0
    for p in pauses:
        end = p.end if p.end is not None else until
        if end is None:
            continue
        start = max(p.start, since)
        if end <= start:
            continue
        if unit is Unit.WORKING_DAYS:
            total += calendar.working_days_between(start, end)
        else:
            total += (end - start).days
    return total


def compute(
    rule: DeadlineRule,
    start: Moment,
    calendar: WorkCalendar,
    *,
    pauses: Iterable[Pause] = (),
    extension: Extension | None = None,
) -> Deadline:
    """The deadline of ``rule`` for an event at ``start``.

    ``start`` is the receipt of the request, or of the corrected request after a restart.
    """
    pauses = tuple(pauses)
    unit = rule.unit
    if unit.is_timed:
        if not isinstance(start, dt.datetime):
            start = dt.datetime.combine(start, dt.time(0, 0), BEIJING)
        step = dt.timedelta(hours=1) if unit is Unit.HOURS else dt.timedelta(minutes=1)
        due = start + rule.amount * step
        limit = start + rule.limit * step if rule.limit is not None else None
        # the offsets too: a stored term is recomputed from its own inputs (audit verify)
        return Deadline(rule, start, due, limit, provisional=False, offset=rule.amount, limit_offset=rule.limit)

    day = start.date() if isinstance(start, dt.datetime) else start
    if unit is Unit.ANNUAL_DATE:
        due = dt.date(day.year + rule.year_offset, rule.month, rule.day)  # type: ignore[arg-type]
        if due < day:  # this year's date has passed: the next one is due
            due = due.replace(year=due.year + 1)
        return Deadline(rule, day, due, None, provisional=calendar.is_provisional(due))

    open_pause = any(p.end is None for p in pauses)
    stood = paused_days(calendar, pauses, day, unit)
    offset = rule.amount + stood
    limit_offset = rule.limit + stood if rule.limit is not None else None
    months_after = 0
    if extension is not None and extension.amount:
        if extension.unit is unit:
            offset += extension.amount
            limit_offset = limit_offset + extension.amount if limit_offset is not None else None
        elif extension.unit is Unit.MONTHS:
            months_after = extension.amount
        else:
            raise GongkaiError(f"延长期限的单位（{extension.unit.label}）与期限规则 {rule.id} 的单位不一致。")
    due = _add(calendar, day, offset, unit) + relativedelta(months=months_after)
    limit = (
        _add(calendar, day, limit_offset, unit) + relativedelta(months=months_after)
        if limit_offset is not None
        else None
    )
    latest = limit or due
    return Deadline(
        rule,
        day,
        None if open_pause else due,
        None if open_pause else limit,
        provisional=calendar.is_provisional(latest) or calendar.is_provisional(day),
        paused=open_pause,
        paused_working_days=stood,
        extension=extension,
        offset=offset,
        limit_offset=limit_offset,
        months_after=months_after,
    )


def working_days_used(calendar: WorkCalendar, start: dt.date, as_of: dt.date, pauses: Iterable[Pause] = ()) -> int:
    """Working days of the period used by ``as_of``, net of pauses (an open pause counts to ``as_of``)."""
    gross = calendar.working_days_between(start, as_of)
    return gross - paused_days(calendar, pauses, start, Unit.WORKING_DAYS, until=as_of)


def check_extension(rule: DeadlineRule, amount: int, granted_before: int) -> Extension:
    """Refuse an extension the rule does not allow; return it as an :class:`Extension`."""
    if amount <= 0:
        raise GongkaiError("延长期限必须为正数，请填写延长的天数。")
    if rule.max_count is not None and granted_before >= rule.max_count:
        raise StepRefused(
            f"已延长过{granted_before}次，依据{rule.citation}最多延长{rule.max_count}次，不能再次延长。"
        )
    if amount > rule.amount:
        raise StepRefused(
            f"延长{amount}{rule.unit.label}超过上限：依据{rule.citation}，延长期限最长不得超过{rule.amount}{rule.unit.label}。"
        )
    return Extension(amount, rule.unit)
