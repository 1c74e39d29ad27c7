"""The morning digest: every clock overdue or falling due soon, across all workflows.

It reads only ``StoredDeadline`` (requests, documents and matters all store their
clocks there) plus a title for each owner; an owner without one shows as "依申请公开 #12".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlalchemy.orm import contains_eager
from sqlmodel import Session, select

from gongkai.core.time.deadline_store import DeadlineTerm, StoredDeadline, is_provisional
from gongkai.core.time.deadlines import iso
from gongkai.core.errors import GongkaiError
from gongkai.core.records.head_cache import HeadCache, chain_head
from gongkai.core.matters.models import Matter
from gongkai.core.matters.urgency import beijing, due_moment, is_overdue
from gongkai.core.records.privacy import mask_text

if TYPE_CHECKING:
    from gongkai.core.time.calendar import WorkCalendar
    from gongkai.core.law.plugins import Registry


# owner_kind -> the Chinese label used when an owner has no title ("依申请公开 #12").
LABELS: dict[str, str] = {"request": "依申请公开", "document": "文件", "matter": "事项"}

GROUPS: tuple[tuple[str, str], ...] = (("overdue", "已超期"), ("today", "今日到期"), ("upcoming", "即将到期"))


def _request_titles(session: Session, registry: Registry | None, ids: list[int]) -> dict[int, str]:
    from gongkai.core.requests.models import Request

    return dict(session.execute(sa_select(Request.id, Request.subject).where(Request.id.in_(ids))).all())


def _document_titles(session: Session, registry: Registry | None, ids: list[int]) -> dict[int, str]:
    from gongkai.core.documents.models import Document

    return dict(session.execute(sa_select(Document.id, Document.title).where(Document.id.in_(ids))).all())


def _matter_titles(session: Session, registry: Registry | None, ids: Iterable[int]) -> dict[int, str]:
    out = {}
    for matter in session.exec(select(Matter).where(Matter.id.in_(list(ids)))).all():
        rule = registry.find(matter.kind) if registry is not None else None
        out[matter.id] = matter.note or (rule.summary if rule is not None else matter.kind)
    return out


_TITLES = {"request": _request_titles, "document": _document_titles, "matter": _matter_titles}


def titles(session: Session, registry: Registry | None, owner_kind: str, ids: Iterable[int]) -> dict[int, str]:
    """Titles of the given owners; owners without one get "依申请公开 #12"."""
    ids = sorted(set(ids))
    found = _TITLES[owner_kind](session, registry, ids)
    return {i: mask_text(found.get(i)) or f"{LABELS[owner_kind]} #{i}" for i in ids}  # a subject may hold a phone


def _late_by(row: StoredDeadline, now: dt.datetime, calendar: WorkCalendar) -> str:
    if row.due_at is not None:
        minutes = int((beijing(now) - beijing(row.due_at)).total_seconds() // 60)
        return f"{minutes // 60}小时{minutes % 60}分钟" if minutes >= 60 else f"{minutes}分钟"
    days = calendar.working_days_between(row.due, beijing(now).date())  # type: ignore[arg-type]
    return f"{days}个工作日" if days else f"{(beijing(now).date() - row.due).days}日（均为休息日）"  # type: ignore[operator]


def _clock_names(registry: Registry | None) -> dict[str, str]:
    """Chinese names of the clocks: the fixed ones, and the review steps timed after a reply."""
    from gongkai.core.labels import labels

    names = labels("clock")
    if registry is not None:
        try:
            names = labels("step", registry) | names
        except GongkaiError:  # a jurisdiction without a request review chain
            pass
    return names


# the numbers of open clocks due before today and due after it up to the horizon, reused while
# the unit's records are unchanged (at 1,000,000 requests a count reads every overdue clock's
# row: tens of milliseconds a page of 我的待办, whose counts rarely change)
_COUNTS = HeadCache(64)


def digest(
    session: Session, registry: Registry | None, calendar: WorkCalendar, now: dt.datetime, within: int = 3,
    limit: int | None = None,
) -> dict[str, Any]:
    """Open clocks overdue at ``now``, due today, or due within ``within`` working days.

    ``limit``: list at most that many of each group (the earliest due); the counts are of all."""
    today = beijing(now).date()
    horizon = calendar.add_working_days(today, within)
    d, t = StoredDeadline, DeadlineTerm
    open_clocks = (d.status == "open", t.paused == False, d.owner_kind.in_(list(LABELS)), t.due != None)  # noqa: E711,E712
    joined = sa_select(d.id, t.paused, t.due, t.due_at).join(t, d.term_id == t.id).where(*open_clocks)
    # date-only clocks first on every backend (PostgreSQL sorts NULL last by default)
    in_order = (t.due, t.due_at.asc().nulls_first(), d.id)

    def clock_ids(*where: Any) -> list[int]:
        query = joined.where(*where).order_by(*in_order)
        return [r.id for r in session.execute(query if limit is None else query.limit(limit))]

    def count(*where: Any) -> int:
        return session.execute(sa_select(func.count()).select_from(d).join(t, d.term_id == t.id)
                               .where(*open_clocks, *where)).scalar_one()

    # before today: overdue; after: upcoming; only today's clocks need the moment (hour and minute rules)
    todays = session.execute(joined.where(t.due == today).order_by(*in_order)).all()
    late_today = [r.id for r in todays if is_overdue(r, now)]
    chosen = {"overdue": clock_ids(t.due < today) + late_today,
              "today": [r.id for r in todays if r.id not in late_today],
              "upcoming": clock_ids(t.due > today, t.due <= horizon)}
    before, after = _COUNTS.get(chain_head(session), (today, horizon),
                                lambda: (count(t.due < today), count(t.due > today, t.due <= horizon)))
    counts = {"overdue": before + len(late_today), "today": len(chosen["today"]), "upcoming": after}
    if limit is not None:
        chosen = {key: found[:limit] for key, found in chosen.items()}
    wanted = [i for ids in chosen.values() for i in ids]
    loaded: dict[int, StoredDeadline] = {}
    for i in range(0, len(wanted), 500):
        loaded.update((r.id, r) for r in session.exec(
            select(d).join(t).options(contains_eager(d.term)).where(d.id.in_(wanted[i:i + 500]))).all())
    grouped = {key: [loaded[i] for i in ids] for key, ids in chosen.items()}
    owners: dict[str, set[int]] = {}
    for row in (r for items in grouped.values() for r in items):
        owners.setdefault(row.owner_kind, set()).add(row.owner_id)
    names = {kind: titles(session, registry, kind, ids) for kind, ids in owners.items()}
    clock_names = _clock_names(registry)

    groups: dict[str, list[dict[str, Any]]] = {key: [] for key, _ in GROUPS}
    for group, row in ((g, r) for g, items in grouped.items() for r in items):
        rule = registry.find(row.rule_id) if registry is not None else None
        groups[group].append(
            {
                "owner_kind": row.owner_kind,
                "owner_label": LABELS[row.owner_kind],
                "owner_id": row.owner_id,
                "title": names[row.owner_kind][row.owner_id],
                "clock": row.name,
                "clock_name": clock_names.get(row.name) or (rule.summary if rule is not None else row.name),
                "rule": row.rule_id,
                "due": iso(due_moment(row)),
                "limit": iso(row.limit),
                "provisional": is_provisional(row, calendar),
                "late_by": _late_by(row, now, calendar) if group == "overdue" else None,
                "summary": rule.summary if rule is not None else "",
                "citation": str(rule.citation) if rule is not None else "",
            }
        )
    return {
        "as_of": beijing(now).isoformat(),
        "today": today.isoformat(),
        "within": within,
        "horizon": horizon.isoformat(),
        "counts": counts,
        "groups": groups,
    }


def render_digest(data: dict[str, Any], template_dirs: Iterable[Any], unit: str, jurisdiction: str) -> str:
    """The digest as the Markdown dialect of :mod:`gongkai.core.paperwork.render` (template ``digest.md.j2``)."""
    from gongkai.core.paperwork.render import render

    groups = [
        {"key": key, "label": label, "items": [{k: _cell(v) for k, v in item.items()} for item in data["groups"][key]]}
        for key, label in GROUPS
    ]
    return render(
        template_dirs,
        "digest.md.j2",
        {"unit": unit, "jurisdiction": jurisdiction, "digest": data, "groups": groups, "today": dt.date.fromisoformat(data["today"])},
    )


def _cell(value: Any) -> Any:
    """Table cells may not contain the Markdown table separator or line breaks."""
    return value.replace("|", "｜").replace("\n", " ") if isinstance(value, str) else value
