"""Opening, closing and listing matters.

Opening a matter stores one ``StoredDeadline`` row (owner_kind ``matter``) per clock of its
kind, named by the clock's rule ID; closing it marks every open clock as met. Times are
Beijing time: a time given without an offset is Beijing time, one with an offset is
converted; the database keeps aware times (UTC) and they are shown in Beijing time.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlmodel import Session, select

from gongkai.core.time.deadline_store import StoredDeadline, close_deadline, is_provisional, store_deadline
from gongkai.core.time.deadlines import BEIJING, compute, iso
from gongkai.core.errors import GongkaiError, StepRefused
from gongkai.core.matters.kinds import kind_name, matter_kind, matter_kinds
from gongkai.core.matters.models import Matter
from gongkai.core.matters.urgency import beijing, is_overdue, due_moment
from gongkai.core.records.privacy import mask_text
from gongkai.core.records.storage import record_event
from gongkai.core.today import not_future

if TYPE_CHECKING:
    from gongkai.core.time.calendar import WorkCalendar
    from gongkai.core.law.plugins import Registry

OWNER = "matter"


def parse_at(text: str, option: str = "--at") -> tuple[dt.datetime, bool]:
    """``2026-09-24`` or ``2026-09-24T22:30`` (Beijing time unless an offset is given).

    Returns the moment in Beijing time and whether a time of day was given.
    """
    from gongkai.core.records.limits import check_date

    text = (text or "").strip()
    try:
        day = dt.date.fromisoformat(text)
        return dt.datetime.combine(check_date(day, option), dt.time(0, 0), BEIJING), False
    except ValueError:
        pass
    try:
        moment = dt.datetime.fromisoformat(text.replace(" ", "T", 1))
    except ValueError:
        raise GongkaiError(
            f"{option}：“{text}”不是有效的日期或日期时间，请写成 2026-09-24 或 2026-09-24T22:30（北京时间）。"
        ) from None
    check_date(moment.date(), option)
    return beijing(moment), True


def _clock_json(row: StoredDeadline, registry: Registry, calendar: WorkCalendar) -> dict[str, Any]:
    rule = registry.find(row.rule_id)
    return {
        "name": row.name,
        "label": kind_name(row.name),
        "rule": row.rule_id,
        "unit": row.unit,
        "due": iso(due_moment(row)),
        "limit": iso(row.limit),
        "provisional": is_provisional(row, calendar),
        "status": row.status,
        "met_on": iso(row.met_on),
        "citation": str(rule.citation) if rule is not None else None,
        "summary": rule.summary if rule is not None else None,
    }


def _clocks(session: Session, matter_id: int) -> list[StoredDeadline]:
    return list(
        session.exec(
            select(StoredDeadline)
            .where(StoredDeadline.owner_kind == OWNER, StoredDeadline.owner_id == matter_id)
            .order_by(StoredDeadline.id)
        ).all()
    )


def matter_json(matter: Matter, clocks: list[StoredDeadline], registry: Registry, calendar: WorkCalendar) -> dict[str, Any]:
    """A matter with its main clock's ``due``/``limit``/``citation`` and every clock."""
    main = next((c for c in clocks if c.name == matter.kind), clocks[0] if clocks else None)
    data = {
        "id": matter.id,
        "kind": matter.kind,
        "kind_name": kind_name(matter.kind),
        "opened_at": beijing(matter.opened_at).isoformat(),
        "closed_at": beijing(matter.closed_at).isoformat() if matter.closed_at else None,
        "note": mask_text(matter.note),  # a 舆情 or mailbox note may quote a citizen's number
        "jurisdiction": registry.jurisdiction.name,
    }
    main_json = _clock_json(main, registry, calendar) if main else {}
    for key in ("due", "limit", "provisional", "citation", "summary"):
        data[key] = main_json.get(key)
    data["clocks"] = [_clock_json(c, registry, calendar) for c in clocks]
    return data


def open_matter(
    session: Session,
    registry: Registry,
    calendar: WorkCalendar,
    kind: str,
    at: str,
    note: str = "",
    actor: str = "",
    condition_met: bool = False,
) -> dict[str, Any]:
    """Open a matter of ``kind`` at ``at`` and store every clock of the kind; a clock whose rule
    has a ``condition`` only with ``condition_met``."""
    found = matter_kind(registry, kind)
    moment, has_time = parse_at(at)
    not_future(moment.date(), "事项发生或收到")
    if found.timed and not has_time:
        raise GongkaiError(
            f"事项“{kind_name(found.id)}”按小时或分钟计时，--at 须写明时刻，如 {moment.date()}T22:30（北京时间）。"
        )
    matter = Matter(kind=found.id, opened_at=moment, note=note.strip())
    session.add(matter)
    session.flush()
    clocks = []
    if condition_met and not any(r.condition for r in found.clocks):
        raise GongkaiError(f"事项“{kind_name(found.id)}”的时限没有适用条件，无需说明符合条件。")
    for rule in found.clocks:
        if rule.condition and not condition_met:
            continue
        start = moment if rule.unit.is_timed else moment.date()
        clocks.append(store_deadline(session, OWNER, matter.id, rule.id, compute(rule, start, calendar)))
    session.flush()
    data = matter_json(matter, clocks, registry, calendar)
    record_event(session, subject_kind=OWNER, subject_id=matter.id, action="open", actor=actor, after=data)
    skipped = [r for r in found.clocks if r.condition and not condition_met]
    if skipped:
        data = {**data, "not_opened": [{"rule": r.id, "condition": r.condition} for r in skipped]}
    return data


def _chosen_clock(registry: Registry, clocks: list[Any], wanted: str) -> Any:
    """The open clock ``wanted`` names: its rule ID, the ID's last part, or words of its rule's summary."""
    def summary(clock: Any) -> str:
        rule = registry.find(clock.rule_id)
        return rule.summary if rule is not None else ""

    open_clocks = [c for c in clocks if c.status == "open"]
    for test in (lambda c: wanted in (c.name, c.rule_id, kind_name(c.name)), lambda c: c.name.endswith("." + wanted),
                 lambda c: wanted in summary(c)):
        found = [c for c in open_clocks if test(c)]
        if len(found) == 1:
            return found[0]
    choices = "；".join(f"{kind_name(c.name)}（{summary(c)}）" for c in open_clocks)
    raise GongkaiError(f"--clock “{wanted}”未能确定唯一一项未办结的时限。未办结的时限：{choices or '（无）'}")


def close_matter(
    session: Session, registry: Registry, calendar: WorkCalendar, matter_id: int, at: str, actor: str = "",
    clock: str | None = None,
) -> dict[str, Any]:
    """Close a matter: every open clock is met at ``at``; ``late`` says which were not in time.

    With ``clock``, only that clock is met (a major incident's 5-hour first release, while the
    24-hour press conference stays open); the matter closes with its last open clock."""
    matter = session.get(Matter, matter_id)
    if matter is None:
        raise GongkaiError(f"没有编号为 {matter_id} 的事项。可用 `gongkai matters` 查看。")
    if matter.closed_at is not None:
        raise StepRefused(f"事项 {matter_id} 已于 {beijing(matter.closed_at).isoformat()} 办结，不能重复办结。")
    moment, _ = parse_at(at)
    not_future(moment.date(), "办结")
    if moment < beijing(matter.opened_at):
        raise GongkaiError(
            f"--at：办结时间 {moment.isoformat()} 早于事项开立时间 {beijing(matter.opened_at).isoformat()}，请核对。"
        )
    clocks = _clocks(session, matter_id)
    before = matter_json(matter, clocks, registry, calendar)
    chosen = [_chosen_clock(registry, clocks, clock)] if clock else [c for c in clocks if c.status == "open"]
    if len(chosen) == sum(c.status == "open" for c in clocks):
        matter.closed_at = moment
        session.add(matter)
    late = []
    for row in chosen:
        if is_overdue(row, moment):
            late.append(row.name)
        close_deadline(session, OWNER, matter_id, row.name, moment.date())
    session.flush()
    session.expire_all()
    data = matter_json(matter, _clocks(session, matter_id), registry, calendar)
    data["late"] = late
    record_event(session, subject_kind=OWNER, subject_id=matter_id, action="close", actor=actor, before=before, after=data)
    return data


def list_matters(
    session: Session,
    registry: Registry,
    calendar: WorkCalendar,
    now: dt.datetime,
    *,
    overdue_only: bool = False,
    include_closed: bool = False,
) -> list[dict[str, Any]]:
    """Matters (open ones unless ``include_closed``), each with ``overdue`` as of ``now``."""
    query = select(Matter).order_by(Matter.id)
    if not include_closed:
        query = query.where(Matter.closed_at == None)  # noqa: E711
    matters = session.exec(query).all()
    clocks: dict[int, list[StoredDeadline]] = {}
    if matters:
        for row in session.exec(
            select(StoredDeadline)
            .where(StoredDeadline.owner_kind == OWNER, StoredDeadline.owner_id.in_([m.id for m in matters]))
            .order_by(StoredDeadline.id)
        ).all():
            clocks.setdefault(row.owner_id, []).append(row)
    out = []
    for matter in matters:
        own = clocks.get(matter.id, [])
        overdue = [c.name for c in own if c.status == "open" and is_overdue(c, now)]
        if overdue_only and not overdue:
            continue
        data = matter_json(matter, own, registry, calendar)
        data["overdue"] = overdue
        out.append(data)
    return out


def kinds_json(registry: Registry) -> list[dict[str, Any]]:
    """The matter kinds of the jurisdiction, for listings."""
    return [
        {
            "kind": k.id,
            "name": kind_name(k.id),
            "period": k.rule.describe(),
            "summary": k.rule.summary,
            "citation": str(k.rule.citation),
            "clocks": [{"rule": r.id, "period": r.describe(), "citation": str(r.citation)} for r in k.clocks],
        }
        for k in matter_kinds(registry).values()
    ]


def get_matter(session: Session, registry: Registry, calendar: WorkCalendar, matter_id: int) -> dict[str, Any]:
    matter = session.get(Matter, matter_id)
    if matter is None:
        raise GongkaiError(f"没有编号为 {matter_id} 的事项。可用 `gongkai matters` 查看。")
    return matter_json(matter, _clocks(session, matter_id), registry, calendar)
