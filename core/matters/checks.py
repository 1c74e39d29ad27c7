"""Public-participation checks (重大决策公众参与): periods, notice times and head counts.

Which checks exist, and which rule each applies, is data (:data:`CHECKS`); the numbers
come from the active plugin's :class:`LeadTime` and :class:`MinimumCount` records, so a
jurisdiction without such rules has no such check.

Counting follows the house rule (the event's day is day 0): a comment period opened on
1 September and closed on 11 September was open 10 days; a hearing announced on
1 September may be held on 11 September "10 days later"; materials delivered on a
Monday are 5 working days before the next Monday's forum.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import attrs

from gongkai.core.errors import GongkaiError
from gongkai.hookspecs.records import LeadTime, MinimumCount, Rule, Unit

if TYPE_CHECKING:
    from gongkai.core.time.calendar import WorkCalendar
    from gongkai.core.law.plugins import Registry

# check name -> (Chinese name, the rules it applies; a check exists where its first rule does)
CHECKS: dict[str, tuple[str, tuple[tuple[str, type[Rule]], ...]]] = {
    "comment-period": ("公开征求意见期限", (("participation.comment_period", LeadTime),)),
    "hearing": (
        "听证会公告时间与代表人数",
        (("participation.hearing_notice", LeadTime), ("participation.hearing_notice.representatives", MinimumCount)),
    ),
    "forum": ("座谈论证会材料送达时间", (("participation.forum_materials", LeadTime),)),
}


@attrs.frozen
class CheckResult:
    """One rule applied: ``actual`` against ``required``, with the rule's citation."""

    rule: Rule
    passed: bool
    required: str
    actual: str
    detail: str

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule.id,
            "title": title(self.rule),
            "passed": self.passed,
            "required": self.required,
            "actual": self.actual,
            "detail": self.detail,
            "summary": self.rule.summary,
            "citation": str(self.rule.citation),
        }


def title(rule: Rule) -> str:
    """A rule's short Chinese name for tables and messages (codes stay in --json)."""
    from gongkai.core.matters.duties import TITLES

    what = getattr(rule, "what", "") or TITLES.get(rule.id, "")
    return what or rule.summary.split("，")[0].split("；")[0][:30]


def available_checks(registry: Registry) -> list[str]:
    return [name for name, (_, rules) in CHECKS.items() if registry.find(*rules[0]) is not None]


def check_rules(registry: Registry, check: str) -> list[Rule]:
    """The rules ``check`` applies in this jurisdiction; refused with the list it has."""
    if check in available_checks(registry):
        return [r for r in (registry.find(*spec) for spec in CHECKS[check][1]) if r is not None]
    have = available_checks(registry)
    listing = "、".join(f"{n}（{CHECKS[n][0]}）" for n in have) or "（无）"
    raise GongkaiError(
        f"{registry.jurisdiction.display_name}没有“{check}”检查所依据的规则。本辖区可用的检查：{listing}"
    )


def _span(calendar: WorkCalendar, unit: Unit, first: dt.date, last: dt.date) -> int:
    if unit is Unit.WORKING_DAYS:
        return calendar.working_days_between(first, last)
    if unit is Unit.CALENDAR_DAYS:
        return (last - first).days
    raise GongkaiError(f"公众参与期限不支持单位“{unit.value}”，请在规则中使用日或工作日。")


def _add(calendar: WorkCalendar, rule: LeadTime, day: dt.date) -> dt.date:
    if rule.unit is Unit.WORKING_DAYS:
        return calendar.add_working_days(day, rule.amount)
    return day + dt.timedelta(days=rule.amount)


def _latest_start(calendar: WorkCalendar, rule: LeadTime, end: dt.date) -> dt.date:
    """The last day an earlier event may fall on to leave ``rule.amount`` before ``end``."""
    if rule.unit is Unit.CALENDAR_DAYS:
        return end - dt.timedelta(days=rule.amount)
    day = end - dt.timedelta(days=1)
    while calendar.working_days_between(day, end) < rule.amount:
        day -= dt.timedelta(days=1)
    return day


def lead_time(calendar: WorkCalendar, rule: LeadTime, first: dt.date, last: dt.date, first_name: str, last_name: str) -> CheckResult:
    """Whether ``first`` .. ``last`` spans at least the rule's amount."""
    if last < first:
        raise GongkaiError(f"{last_name}（{last}）早于{first_name}（{first}），请核对日期。")
    span = _span(calendar, rule.unit, first, last)
    required = f"不少于{rule.amount}{rule.unit.label}"
    passed = span >= rule.amount
    if rule.relation == "open":
        detail = f"{first_name}{first}至{last_name}{last}，共{span}{rule.unit.label}"
        if not passed:
            detail += f"；{last_name}应不早于{_add(calendar, rule, first)}"
    else:
        latest = _latest_start(calendar, rule, last)
        detail = f"{first_name}{first}距{last_name}{last}共{span}{rule.unit.label}；{first_name}最迟应为{latest}"
    return CheckResult(rule, passed, required, f"{span}{rule.unit.label}", detail)


def minimum(rule: MinimumCount, count: int) -> CheckResult:
    passed = count >= rule.minimum
    required = f"不少于{rule.minimum:g}"
    return CheckResult(rule, passed, required, str(count), f"{rule.of}{count}，要求{required}")


def check_comment_period(registry: Registry, calendar: WorkCalendar, opened: dt.date, closed: dt.date) -> list[CheckResult]:
    (rule,) = check_rules(registry, "comment-period")
    return [lead_time(calendar, rule, opened, closed, "征求意见开始", "截止")]  # type: ignore[arg-type]


def check_hearing(
    registry: Registry, calendar: WorkCalendar, announced: dt.date, held: dt.date, representatives: int | None
) -> list[CheckResult]:
    rules = check_rules(registry, "hearing")
    results = [lead_time(calendar, rules[0], announced, held, "公告", "听证会举行")]  # type: ignore[arg-type]
    if representatives is not None:
        for rule in rules[1:]:
            results.append(minimum(rule, representatives))  # type: ignore[arg-type]
    return results


def check_forum(registry: Registry, calendar: WorkCalendar, materials: dt.date, forum: dt.date) -> list[CheckResult]:
    (rule,) = check_rules(registry, "forum")
    return [lead_time(calendar, rule, materials, forum, "材料送达", "座谈论证会召开")]  # type: ignore[arg-type]


def report(check: str, results: list[CheckResult], name: str = "") -> dict[str, Any]:
    return {
        "check": check,
        "name": name or CHECKS[check][0],
        "passed": all(r.passed for r in results),
        "results": [r.to_json() for r in results],
    }
