"""What was done about the recurring and triggered duties, kept as events.

A duty fact is an :class:`~gongkai.core.records.storage.Event` and nothing else: the log is the
record. Its ``subject_kind`` says what it is (:data:`DUTY`, :data:`ACCOUNT`,
:data:`OFFICIAL_GRADE`) and its ``subject_id`` is the year of the fact, so a year's facts
are read through the event table's subject index. From the facts and the rule records:
- each dated occurrence of a :class:`RecurringDuty` (or fixed-date rule) is done, overdue
  or still open: the k-th fact inside the occurrence's period meets its k-th occurrence;
- each trigger of a :class:`TriggeredDuty` (a staff change) waits for its own fact;
- new-media accounts are opened within an :class:`AccountLimit` and filed before opening;
- a :class:`GradeRestriction` keeps a grade from an official without the training.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

import attrs

from gongkai.core.errors import GongkaiError, StepRefused
from gongkai.core.matters.duties import DutyDate, bearer, borne, duties, window_of
from gongkai.core.accounts.names import clean_name, person_key
from gongkai.core.records.storage import record_event
from gongkai.hookspecs.records import (
    AccountLimit,
    DeadlineRule,
    GradeRestriction,
    RecurringDuty,
    Rule,
    TriggeredDuty,
    Unit,
)

if TYPE_CHECKING:
    from sqlmodel import Session

    from gongkai.core.law.plugins import Registry

DUTY = "duty"  # Event.subject_kind of duty facts (done, triggered)
ACCOUNT = "newmedia_account"
OFFICIAL_GRADE = "official_grade"
DONE, TRIGGERED = "duty.done", "duty.triggered"
STATE_NAMES = {"done": "已办", "overdue": "逾期未办", "late": "逾期办理", "open": "未到期", "pending": "待办"}
GAPS = {"two_weeks": "两周", "month": "一个月", "quarter": "一个季度", "half_year": "半年", "year": "一年"}
FIRST_YEAR = 2000  # facts are filed under their year; accounts are read from here on


# --------------------------------------------------------------------------- rules


def _title(rule: Rule) -> str:
    from gongkai.core.matters.checks import title

    if isinstance(rule, TriggeredDuty):
        return f"{rule.trigger}后{rule.when}{rule.action}"
    return title(rule)


def duty_rules(registry: Registry, unit: Any = None) -> list[Rule]:
    """The rules a fact can be recorded for: recurring, fixed-date and triggered duties (with
    ``unit``, those it bears: :func:`gongkai.core.matters.duties.borne`)."""
    rules: list[Rule] = [r for r in registry.rules_of(DeadlineRule) if r.unit is Unit.ANNUAL_DATE]
    rules += list(registry.rules_of(RecurringDuty)) + list(registry.rules_of(TriggeredDuty))
    return [r for r in rules if borne(r, unit)]


def resolve_duty(registry: Registry, text: str, kind: type[Rule] | None = None, unit: Any = None) -> Rule:
    """The duty named ``text``: its rule ID or its Chinese name (as `duties` shows it); with
    ``unit``, refused where the duty is another body's."""
    value = clean_name(text or "")
    for rule in duty_rules(registry):
        if value in (rule.id, _title(rule)) and (kind is None or isinstance(rule, kind)) and not borne(rule, unit):
            raise StepRefused(f"“{_title(rule)}”是{bearer(rule)}的工作（依据：{rule.citation}），不是本单位（{unit.name}）的，"
                              "无需登记。单位层级或标记有误的，用 `gongkai unit edit` 更正。")
    rules = [r for r in duty_rules(registry, unit) if kind is None or isinstance(r, kind)]
    for rule in rules:
        if value in (rule.id, _title(rule)):
            return rule
    names = "；".join(_title(r) for r in rules) or "（无）"
    raise GongkaiError(f"{registry.jurisdiction.display_name}没有例行工作“{text}”。可写名称：{names}（或 `gongkai rules` 中的规则编号）。")


# --------------------------------------------------------------------------- facts


def facts(session: Session, kind: str, years: list[int] | range) -> list[dict[str, Any]]:
    """Every fact of ``kind`` filed under ``years``, oldest first."""
    from sqlmodel import select

    from gongkai.core.records.storage import Event

    rows = session.exec(
        select(Event).where(Event.subject_kind == kind, Event.subject_id.in_(list(years)))  # type: ignore[union-attr]
        .order_by(Event.id)
    ).all()
    return [{"event": e.id, "action": e.action, "actor": e.actor, **json.loads(e.after or "{}")} for e in rows]


def _names(values: tuple[str, ...] | list[str]) -> list[str]:
    out: list[str] = []
    for value in values:
        name = clean_name(value)
        if not person_key(name):
            raise GongkaiError("人员姓名不能为空：请写明参加人员姓名。")
        if person_key(name) not in {person_key(n) for n in out}:
            out.append(name)
    return out


def record_done(
    session: Session, registry: Registry, text: str, *, on: dt.date, by: str, note: str = "",
    attendees: tuple[str, ...] = (), hours: float | None = None, failed: tuple[str, ...] = (), trigger: int | None = None,
    unit: Any = None,
) -> dict[str, Any]:
    """Record that a duty was done on ``on`` (a training with who attended, its hours and who
    failed its exam; for a triggered duty, which trigger it answers)."""
    rule = resolve_duty(registry, text, unit=unit)
    people, failures = _names(attendees), _names(failed)
    missing = [n for n in failures if person_key(n) not in {person_key(p) for p in people}]
    if missing:
        raise GongkaiError(f"考试不合格人员须同时列为参加人员（--attendee）：{'、'.join(missing)}。")
    if hours is not None and not 0 < hours <= 24 * 31:
        raise GongkaiError(f"--hours {hours:g} 不是合理的学时数：应大于0。")
    after: dict[str, Any] = {"rule": rule.id, "title": _title(rule), "on": on.isoformat(), "note": note.strip(),
                             "citation": str(rule.citation)}
    if people:
        after["attendees"] = people
    if hours is not None:
        after["hours"] = hours
    if failures:
        after["failed"] = failures
    if trigger is not None and not isinstance(rule, TriggeredDuty):
        raise GongkaiError(f"“{_title(rule)}”不对应待办事项，不用 --for（只有须备案、报告的事项对应一件待办）。")
    if isinstance(rule, TriggeredDuty):
        waiting = [t for t in pending_triggers(session, rule, on.year) if t["on"] <= on.isoformat()]
        chosen = next((t for t in waiting if t["event"] == trigger), None) if trigger else (waiting[0] if waiting else None)
        if chosen is None:
            listing = "、".join(f"{t['event']}（{t['on']} {t['note']}）" for t in waiting) or "（无）"
            raise StepRefused(f"没有待办的“{rule.trigger}”可对应（--for 可选：{listing}）。请先用 `gongkai duty occurred` 登记{rule.trigger}。")
        after["for"] = chosen["event"]
        after["trigger_on"] = chosen["on"]
    record_event(session, subject_kind=DUTY, subject_id=on.year, action=DONE, actor=by, after=after)
    return after


def record_trigger(session: Session, registry: Registry, text: str, *, on: dt.date, by: str, note: str,
                   unit: Any = None) -> dict[str, Any]:
    """Record that what triggers a duty happened (e.g. a staff change); the duty then waits."""
    rule = resolve_duty(registry, text, TriggeredDuty, unit)
    if not note.strip():
        raise GongkaiError(f"--note 不能为空：请写明{rule.trigger}的内容（如 某某调离，由某某接任）。")
    after = {"rule": rule.id, "on": on.isoformat(), "note": note.strip(), "citation": str(rule.citation)}
    event = record_event(session, subject_kind=DUTY, subject_id=on.year, action=TRIGGERED, actor=by, after=after)
    session.flush()
    return {**after, "event": event.id}


def pending_triggers(session: Session, rule: TriggeredDuty, year: int) -> list[dict[str, Any]]:
    """The triggers of ``rule`` (this year and the last) that no fact answers yet."""
    found = [f for f in facts(session, DUTY, [year - 1, year, year + 1]) if f.get("rule") == rule.id]
    answered = {f.get("for") for f in found if f["action"] == DONE}
    return [f for f in found if f["action"] == TRIGGERED and f["event"] not in answered]


# --------------------------------------------------------------------------- status


@attrs.frozen
class DutyStatus:
    """One dated occurrence of a duty and how it stands."""

    rule: Rule
    date: dt.date
    title: str
    state: str  # done, overdue, open, pending
    done_on: dt.date | None = None
    note: str = ""

    def to_json(self, jurisdiction: str) -> dict[str, Any]:
        uid = DutyDate(self.rule, self.date, self.title).uid(jurisdiction)
        return {"date": self.date.isoformat(), "rule": self.rule.id, "title": self.title, "uid": uid, "state": self.state,
                "state_name": STATE_NAMES[self.state], "done_on": self.done_on.isoformat() if self.done_on else None,
                "note": self.note, "summary": self.rule.summary, "citation": str(self.rule.citation)}


def duty_status(session: Session, registry: Registry, year: int, today: dt.date, unit: Any = None) -> list[DutyStatus]:
    """Every occurrence of the year's duties with its state, and the triggers still waiting
    (with ``unit``, only the duties that unit bears)."""
    done = [f for f in facts(session, DUTY, [year]) if f["action"] == DONE]
    by_window: dict[tuple[str, dt.date], list[DutyDate]] = {}
    out: list[DutyStatus] = []
    for item in duties(registry, year, unit):
        if isinstance(item.rule, RecurringDuty) and item.rule.rolling:
            continue
        by_window.setdefault((item.rule.id, window_of(item.rule, year, item.date)[0]), []).append(item)
    for rule in registry.rules_of(RecurringDuty):
        if rule.rolling and borne(rule, unit):
            out += rolling_status(session, rule, year, today)
    for (rule_id, _), items in by_window.items():
        start, end = window_of(items[0].rule, year, items[0].date)
        met = sorted(dt.date.fromisoformat(f["on"]) for f in done
                     if f["rule"] == rule_id and start <= dt.date.fromisoformat(f["on"]) <= end)
        for k, item in enumerate(sorted(items, key=lambda i: i.date)):
            if k < len(met):
                out.append(DutyStatus(item.rule, item.date, item.title, "done", met[k]))
            else:
                out.append(DutyStatus(item.rule, item.date, item.title, "overdue" if item.date < today else "open"))
    for rule in registry.rules_of(TriggeredDuty):
        if not borne(rule, unit):
            continue
        for t in pending_triggers(session, rule, year):
            day = dt.date.fromisoformat(t["on"])
            if day.year <= year:  # a change late last year may still wait
                out.append(DutyStatus(rule, day, f"{rule.trigger}：{rule.when}{rule.action}（第{t['event']}号）", "pending", note=t["note"]))
    return sorted(out, key=lambda s: (s.date, s.rule.id))


def rolling_status(session: Session, rule: RecurringDuty, year: int, today: dt.date) -> list[DutyStatus]:
    """The occurrences in ``year`` of a duty counted as a gap (``rolling``): each due one period
    after the last one done (the first from the last one done before the year, else 1 January).
    One done after its due day is late (五原县 政务新媒体 第十三条: a gap of more than a month asks
    for an explanation), and the next is counted from it."""
    from dateutil.relativedelta import relativedelta

    step = {"two_weeks": relativedelta(weeks=2), "month": relativedelta(months=1), "quarter": relativedelta(months=3),
            "half_year": relativedelta(months=6), "year": relativedelta(years=1)}[rule.period.value]
    days = sorted({dt.date.fromisoformat(f["on"]) for f in facts(session, DUTY, [year - 1, year])
                   if f["action"] == DONE and f["rule"] == rule.id})
    first = dt.date(year, 1, 1)
    anchor = max((d for d in days if d < first), default=first)
    what = rule.what or rule.summary
    out: list[DutyStatus] = []
    while (due := anchor + step) <= dt.date(year, 12, 31):
        after = next((d for d in days if d > anchor), None)
        since = f"上次{anchor}" if anchor in days else f"自{anchor}起算"
        if after is not None and after <= due:
            out.append(DutyStatus(rule, due, what, "done", after))
        elif after is not None:
            out.append(DutyStatus(rule, due, what, "late", after,
                                  note=f"{since}，间隔超过{GAPS[rule.period.value]}，应说明原因"))
        else:
            out.append(DutyStatus(rule, due, what, "overdue" if due < today else "open",
                                  note=f"{since}，超过{GAPS[rule.period.value]}未办的应说明原因" if due < today else since))
            break
        anchor = after
    return out


def training_hours(session: Session, rule: RecurringDuty, year: int) -> dict[str, float]:
    """Each attendee's training hours in ``year`` under ``rule``."""
    totals: dict[str, float] = {}
    for f in facts(session, DUTY, [year]):
        if f["action"] == DONE and f["rule"] == rule.id:
            for name in f.get("attendees", []):
                totals[name] = totals.get(name, 0) + float(f.get("hours") or 0)
    return totals


# --------------------------------------------------------------------------- officials' grades


def grade_refusal(session: Session, registry: Registry, name: str, year: int, grade: str) -> str | None:
    """Why ``name`` may not be graded ``grade`` for ``year`` (e.g. 五原县 培训制度 四), or None."""
    for rule in registry.rules_of(GradeRestriction):
        if grade != rule.grade:
            continue
        key = person_key(name)
        sessions = [f for f in facts(session, DUTY, [year])
                    if f["action"] == DONE and f["rule"] == rule.training and key in map(person_key, f.get("attendees", []))]
        if not sessions:
            return f"“{name}”{year}年未参加学习培训，当年考核不能评为{grade}等次（依据：{rule.citation}）。"
        if key in map(person_key, sessions[-1].get("failed", [])):
            return f"“{name}”{year}年培训考试不合格，当年考核不能评为{grade}等次（依据：{rule.citation}）。"
    return None


def record_official_grade(session: Session, registry: Registry, name: str, year: int, grade: str, by: str) -> dict[str, Any]:
    """Record an official's grade for ``year``; refused where a restriction forbids it."""
    name, grade = clean_name(name), clean_name(grade)
    if not person_key(name):
        raise GongkaiError("--name 不能为空：请写明人员姓名。")
    if not grade:
        raise GongkaiError("--grade 不能为空：请写明考核等次，如 优秀、称职。")
    refusal = grade_refusal(session, registry, name, year, grade)
    if refusal:
        raise StepRefused(refusal + "请先用 `gongkai duty done` 登记其参加的培训及考试结果。")
    after = {"name": name, "year": year, "grade": grade}
    record_event(session, subject_kind=OFFICIAL_GRADE, subject_id=year, action="grade.recorded", actor=by, after=after)
    return after


# --------------------------------------------------------------------------- new-media accounts


def account_rule(registry: Registry) -> AccountLimit:
    rules = registry.rules_of(AccountLimit)
    if not rules:
        raise GongkaiError(f"{registry.jurisdiction.display_name}没有政务新媒体账号开通的规定，无需在此登记。")
    return rules[0]


def open_accounts(session: Session, year: int) -> list[dict[str, Any]]:
    """The accounts opened up to ``year`` and not closed."""
    found = facts(session, ACCOUNT, range(FIRST_YEAR, year + 2))
    closed = {f["of"] for f in found if f["action"] == "account.closed"}
    return [f for f in found if f["action"] == "account.opened" and f["event"] not in closed]


def open_account(
    session: Session, registry: Registry, *, platform: str, name: str, on: dt.date, filed_on: dt.date | None, by: str,
) -> dict[str, Any]:
    """Register a new-media account: refused beyond the platform's limit or without filing first."""
    rule = account_rule(registry)
    platform, name = clean_name(platform), clean_name(name)
    limit = rule.limit_of(platform)
    if limit is None and not rule.other_platforms:
        options = "、".join(p for p, _ in rule.limits)
        raise GongkaiError(f"平台“{platform}”不在规定之列，--platform 可选：{options}（{rule.citation}）。")
    if not platform:
        raise GongkaiError("--platform 不能为空：请写明平台名称。")
    if not name:
        raise GongkaiError("--name 不能为空：请写明账号名称。")
    if filed_on is None:
        raise StepRefused(f"开通政务新媒体账号须提前向{rule.file_with}报备（依据：{rule.citation}）。请用 --filed-on 写明报备日期。")
    if filed_on > on:
        raise StepRefused(f"报备日期 {filed_on} 晚于开通日期 {on}：须先报备后开通（依据：{rule.citation}）。")
    same = [a for a in open_accounts(session, on.year) if a["platform"] == platform]
    if limit is not None and len(same) >= limit:
        names = "、".join(a["name"] for a in same)
        raise StepRefused(f"本单位已开通{platform}账号{len(same)}个（{names}），原则上只能开通{limit}个（依据：{rule.citation}）。")
    after = {"platform": platform, "name": name, "on": on.isoformat(), "filed_on": filed_on.isoformat(),
             "file_with": rule.file_with, "citation": str(rule.citation)}
    event = record_event(session, subject_kind=ACCOUNT, subject_id=on.year, action="account.opened", actor=by, after=after)
    session.flush()
    return {**after, "event": event.id}


def close_account(session: Session, registry: Registry, *, number: int, on: dt.date, filed_on: dt.date | None, by: str) -> dict[str, Any]:
    """Close (注销) an account; the text asks the filing to be updated (及时更新报备)."""
    rule = account_rule(registry)
    account = next((a for a in open_accounts(session, on.year) if a["event"] == number), None)
    if account is None:
        raise GongkaiError(f"没有开通中的第{number}号账号。可用 `gongkai newmedia accounts` 查看。")
    if filed_on is None:
        raise StepRefused(f"账号注销须及时向{rule.file_with}更新报备（依据：{rule.citation}）。请用 --filed-on 写明报备日期。")
    after = {"of": number, "platform": account["platform"], "name": account["name"], "on": on.isoformat(),
             "filed_on": filed_on.isoformat()}
    record_event(session, subject_kind=ACCOUNT, subject_id=on.year, action="account.closed", actor=by, after=after)
    return after


# --------------------------------------------------------------------------- the check


def check_duties(session: Session, registry: Registry, year: int, as_of: dt.date, unit: Any = None) -> list[Any]:
    """One result per duty of ``year`` as of ``as_of``: an occurrence past its date and not
    done, a trigger not answered by ``as_of``, or hours short after the year fails it. With
    ``unit``, only the duties that unit bears are checked."""
    from gongkai.core.matters.checks import CheckResult
    from gongkai.core.law.rule_text import WORDS

    results = []
    statuses = duty_status(session, registry, year, as_of, unit)
    for rule in duty_rules(registry, unit):
        mine = [s for s in statuses if s.rule.id == rule.id]
        if isinstance(rule, TriggeredDuty):
            late = [s for s in mine if s.date < as_of]
            results.append(CheckResult(
                rule, not late, f"{rule.trigger}后{rule.when}{rule.action}", f"待办{len(mine)}件",
                "；".join(f"{s.date} {s.note}" for s in late) or "无待办事项"))
            continue
        if not mine:
            continue
        overdue = [s for s in mine if s.state in ("overdue", "late")]
        done = [s for s in mine if s.state in ("done", "late")]
        if isinstance(rule, RecurringDuty) and rule.rolling:
            required = f"相邻两次间隔不超过{GAPS[rule.period.value]}"
        elif isinstance(rule, RecurringDuty) and not rule.dates:
            required = f"{WORDS[rule.period.value]}{rule.times}次"
        else:
            required = "、".join(s.date.isoformat() for s in mine) + "前"
        detail = "逾期：" + "、".join(f"{s.title}（{s.date}{'，' + s.note if s.note else ''}）" for s in overdue) if overdue else "无逾期"
        results.append(CheckResult(rule, not overdue, required, f"已办{len(done)}次，共{len(mine)}次", detail))
        if isinstance(rule, RecurringDuty) and rule.hours:
            hours = training_hours(session, rule, year)
            short = {n: h for n, h in hours.items() if h < rule.hours}
            ended = as_of > dt.date(year, 12, 31)
            listing = "、".join(f"{n}{h:g}学时" for n, h in hours.items()) or "尚无培训记录"
            results.append(CheckResult(
                rule, not (ended and short), f"每人每年不少于{rule.hours}学时", listing,
                ("不足：" + "、".join(short)) if short else "参加人员均已达到"))
    for rule in registry.rules_of(AccountLimit):
        accounts = open_accounts(session, year)
        counts = {p: sum(1 for a in accounts if a["platform"] == p) for p, _ in rule.limits}
        over = [p for p, n in rule.limits if counts[p] > n]
        results.append(CheckResult(
            rule, not over, "、".join(f"{p}不超过{n}个" for p, n in rule.limits),
            "、".join(f"{p}{counts[p]}个" for p, _ in rule.limits), "超出：" + "、".join(over) if over else "开通前均已报备"))
    return results
