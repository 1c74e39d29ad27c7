"""The yearly duty calendar: recurring obligations with concrete dates.

Dates are generated from the rule records alone, never per jurisdiction:
- a fixed-date :class:`DeadlineRule` (``annual_date``) falls on its month/day of the year
  (an annual report due in year Y reports on year Y - ``year_offset``);
- a :class:`RecurringDuty` with ``dates`` falls on those dates;
- any other :class:`RecurringDuty` splits the year into its periods (two weeks, months,
  quarters, half years, the year) and each period into ``times`` equal parts; each part's
  last day is the date by which one occurrence is due.
"""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from gongkai.hookspecs.records import DeadlineRule, Period, RecurringDuty, Rule, TriggeredDuty, Unit

if TYPE_CHECKING:
    from gongkai.core.law.plugins import Registry

# Short calendar titles for fixed-date rules of the national catalogue (others use their summary).
TITLES: dict[str, str] = {
    "report.annual.agency": "部门政府信息公开工作年度报告",
    "report.annual.government": "本级政府信息公开工作年度报告",
    "decision.catalogue": "重大行政决策事项目录公开",
}

_MONTHS = {Period.MONTH: 1, Period.QUARTER: 3, Period.HALF_YEAR: 6, Period.YEAR: 12}
_QUARTERS = ("第一季度", "第二季度", "第三季度", "第四季度")


@attrs.frozen
class DutyDate:
    """One dated occurrence of a recurring obligation."""

    rule: Rule
    date: dt.date
    title: str

    def uid(self, jurisdiction: str) -> str:
        """Stable across exports, so a re-import updates events instead of duplicating them."""
        return f"{jurisdiction}.{self.rule.id}.{self.date.isoformat()}@gongkai"

    def to_json(self, jurisdiction: str) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "rule": self.rule.id,
            "title": self.title,
            "summary": self.rule.summary,
            "citation": str(self.rule.citation),
            "borne_by": bearer(self.rule),
            "uid": self.uid(jurisdiction),
        }


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, pycalendar.monthrange(year, month)[1])


def _windows(year: int, period: Period) -> list[tuple[dt.date, dt.date, str]]:
    """The periods of ``year``: (first day, last day, Chinese label)."""
    if period is Period.TWO_WEEKS:
        out = []
        start, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
        while start <= last:
            end = start + dt.timedelta(days=13)
            if (last - end).days < 14:  # the year's last odd days join the last fortnight
                end = last
            out.append((start, end, f"{start.month}月{start.day}日至{end.month}月{end.day}日"))
            start = end + dt.timedelta(days=1)
        return out
    months = _MONTHS[period]
    out = []
    for i, first_month in enumerate(range(1, 13, months)):
        out.append((dt.date(year, first_month, 1), _month_end(year, first_month + months - 1), _label(period, i, first_month)))
    return out


def _label(period: Period, index: int, first_month: int) -> str:
    if period is Period.MONTH:
        return f"{first_month}月"
    if period is Period.QUARTER:
        return _QUARTERS[index]
    if period is Period.HALF_YEAR:
        return ("上半年", "下半年")[index]
    return ""


def _part_ends(start: dt.date, end: dt.date, times: int) -> list[dt.date]:
    """Split ``start``..``end`` into ``times`` parts; their last days (month ends where they divide evenly)."""
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    if start.day == 1 and end == _month_end(end.year, end.month) and months % times == 0:
        step = months // times
        ends = []
        for k in range(1, times + 1):
            index = start.month - 1 + step * k - 1
            ends.append(_month_end(start.year + index // 12, index % 12 + 1))
        return ends
    days = (end - start).days + 1
    return [start + dt.timedelta(days=round(days * k / times) - 1) for k in range(1, times + 1)]


def _short(summary: str) -> str:
    for mark in "，；。：":
        summary = summary.split(mark)[0]
    return summary[:30]


def duty_dates(rule: RecurringDuty, year: int) -> list[DutyDate]:
    what = rule.what or _short(rule.summary)
    hours = f"累计不少于{rule.hours}学时" if rule.hours else ""
    if rule.dates:
        return [DutyDate(rule, dt.date(year, m, d), what + (f"（{hours}）" if hours else "")) for m, d in rule.dates]
    out = []
    for start, end, label in _windows(year, rule.period):
        ends = _part_ends(start, end, max(rule.times, 1))
        for k, day in enumerate(ends, 1):
            parts = [p for p in (label, f"第{k}次" if len(ends) > 1 else "", hours) if p]
            out.append(DutyDate(rule, day, what + (f"（{'，'.join(parts)}）" if parts else "")))
    return out


def window_of(rule: Rule, year: int, day: dt.date) -> tuple[dt.date, dt.date]:
    """The period of ``year`` that the occurrence dated ``day`` belongs to (the whole year for
    fixed-date rules and duties pinned to dates): what was done in it counts for it."""
    if isinstance(rule, RecurringDuty) and not rule.dates:
        for start, end, _ in _windows(year, rule.period):
            if start <= day <= end:
                return start, end
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def annual_date(rule: DeadlineRule, year: int) -> DutyDate:
    day = min(rule.day or 1, pycalendar.monthrange(year, rule.month or 1)[1])  # 2月29日 in a common year
    title = TITLES.get(rule.id) or _short(rule.summary)
    if rule.year_offset:
        title += f"（{year - rule.year_offset}年度）"
    return DutyDate(rule, dt.date(year, rule.month, day), title)  # type: ignore[arg-type]


def borne(rule: Rule, unit: Any = None) -> bool:
    """Whether ``unit`` (anything with ``level`` and ``flags``) bears the duty ``rule``: its
    level is among the rule's ``borne_by`` and it carries the rule's ``unit_flag``. With no
    unit (a jurisdiction's calendar, outside any unit's folder) every duty is listed."""
    if unit is None:
        return True
    levels, flag = getattr(rule, "borne_by", ()), getattr(rule, "unit_flag", "")
    return (not levels or unit.level in levels) and (not flag or flag in unit.flags)


def bearer(rule: Rule) -> str:
    """Whose duty ``rule`` is, in Chinese: "人民政府（含政府办公室）", "部门、街道（乡镇）" or "各单位"."""
    from gongkai.core.records.units import LEVELS

    levels = getattr(rule, "borne_by", ())
    text = "、".join(LEVELS[level] + ("（含政府办公室）" if level == "government" else "") for level in levels) or "各单位"
    flag = getattr(rule, "unit_flag", "")
    if not flag:
        return text
    return f"标明“{flag}”的单位" if not levels else f"{text}中标明“{flag}”的单位"


def unit_flags(registry: Registry) -> list[str]:
    """The flags a unit can carry: those the jurisdiction's duties name (``unit_flag``)."""
    rules = [*registry.rules_of(DeadlineRule), *registry.rules_of(RecurringDuty), *registry.rules_of(TriggeredDuty)]
    return sorted({r.unit_flag for r in rules if r.unit_flag})


def duties(registry: Registry, year: int, unit: Any = None) -> list[DutyDate]:
    """Every recurring obligation of the jurisdiction in ``year``, by date: with ``unit``, the
    ones that unit bears (:func:`borne`)."""
    out = [annual_date(r, year) for r in registry.rules_of(DeadlineRule) if r.unit is Unit.ANNUAL_DATE and borne(r, unit)]
    for duty in registry.rules_of(RecurringDuty):
        if borne(duty, unit):
            out.extend(duty_dates(duty, year))
    return sorted(out, key=lambda d: (d.date, d.rule.id))


# the clocks of single records that belong on the duty calendar: the answer to an appeal (复议答复、
# 应诉答辩) is due on a fixed day a clerk must not miss, like a recurring duty
CALENDAR_CLOCKS = {"appeal_answer": "复议答复、应诉答辩"}


def clock_dates(session: Any, registry: Registry, year: int) -> list[DutyDate]:
    """The open clocks of :data:`CALENDAR_CLOCKS` falling due in ``year``, as calendar dates."""
    from gongkai.core.time.deadline_store import open_deadlines

    out = []
    for name, title in CALENDAR_CLOCKS.items():
        for row in open_deadlines(session, dt.date(year, 12, 31), name=name, due_from=dt.date(year, 1, 1)):
            rule = registry.find(row.rule_id)
            if rule is not None:
                out.append(DutyDate(rule, row.due, f"{title}：依申请公开 #{row.owner_id}"))
    return out


def write_ics(items: list[DutyDate], path: Path, jurisdiction: str, calendar_name: str) -> Path:
    """An iCalendar file of all-day events (RFC 5545), one per duty date."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//gongkai//政务公开例行工作//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", calendar_name)
    stamp = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    for item in items:
        event = Event()
        event.add("uid", item.uid(jurisdiction))
        event.add("dtstamp", stamp)
        event.add("dtstart", item.date)
        event.add("dtend", item.date + dt.timedelta(days=1))
        event.add("summary", item.title)
        event.add("description", f"{item.rule.summary}\n依据：{item.rule.citation}\n规则：{item.rule.id}")
        event.add("categories", ["政务公开"])
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    from gongkai.core.paperwork.safe_write import write_file

    return write_file(path, cal.to_ical())
