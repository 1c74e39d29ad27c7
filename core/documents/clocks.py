"""The statutory clocks of a document, stored as :class:`StoredDeadline` rows.

- ``publish`` (``proactive.publish``): from the day the information is formed or changed
  (条例 第二十六条); a finalised (成文) document counts from finalisation (雁塔区 第6项).
- ``archive_delivery`` (``proactive.archive_delivery``, 长宁区 第四十四条).
- ``double_publicity`` (长宁区 第十八条): from a licensing or penalty decision.
- ``nondisclosure_report`` (``request.nondisclosure_report``, 五原县 主动公开工作制度 七):
  from a decision not to disclose.
- ``review.<point>``: a confidentiality review point that the plugin times
  (五原县 保密审查制度 第十条: 15个工作日).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from gongkai.core.today import today
from gongkai.core.time.deadline_store import StoredDeadline, close_deadline, store_deadline
from gongkai.core.time.deadlines import compute
from gongkai.core.documents.attributes import is_published, resolve_attribute
from gongkai.core.documents.models import OWNER, Document
from gongkai.core.documents.review import FORMATION_POINT, PUBLICATION_POINT, confidentiality_points
from gongkai.hookspecs.records import DeadlineRule

if TYPE_CHECKING:
    from sqlmodel import Session

    from gongkai.core.time.calendar import WorkCalendar
    from gongkai.core.law.plugins import Registry

WITHHELD = "withheld"  # the 不予公开 attribute code
DOUBLE_PUBLICITY_KINDS = ("行政许可", "行政处罚")  # “双公示”

CLOCK_NAMES = {
    "publish": "主动公开发布",
    "archive_delivery": "送交档案馆、图书馆",
    "double_publicity": "双公示",
    "nondisclosure_report": "不予公开书面报告",
}


def publication_start(doc: Document) -> dt.date | None:
    """Day 0 of the publication clock: the last change, else finalisation, else formation."""
    return doc.changed or doc.finalised or doc.formed


def clock_name(name: str, registry: Registry) -> str:
    if name.startswith("review."):
        step = confidentiality_points(registry).get(name[len("review."):])
        return step.name if step else name
    return CLOCK_NAMES.get(name, name)


def wanted(registry: Registry, doc: Document, exists: Callable[[str], bool],
           requested: dt.date | None = None) -> list[tuple[str, DeadlineRule, dt.date]]:
    """The clocks that apply to ``doc`` now, (name, rule, start): the rules in force that time it.
    ``exists(name)``: whether the clock is stored already (a confidentiality review point's is
    set once). ``requested`` is the day the document is put to review: its registration, or the
    reevaluation that makes it public (then the publication point is first asked for). A review
    point's clock counts from it, not from formation or 成文 (五原县 保密审查制度 第十条:
    接到信息审查申请后15个工作日内); without it, today."""
    attribute = resolve_attribute(registry, doc.attribute)
    start = publication_start(doc)
    found: list[tuple[str, DeadlineRule | None, dt.date | None]] = []
    if is_published(attribute) and doc.published_on is None:
        found.append(("publish", registry.deadline("proactive.publish"), start))
    if is_published(attribute):
        found.append(("archive_delivery", registry.find("proactive.archive_delivery", DeadlineRule), start))
    if doc.decision_kind in DOUBLE_PUBLICITY_KINDS and doc.published_on is None:
        found.append(("double_publicity", registry.find("double_publicity", DeadlineRule), doc.decided_on or start))
    if attribute.code == WITHHELD:
        found.append(("nondisclosure_report", registry.find("request.nondisclosure_report", DeadlineRule),
                      doc.finalised or doc.formed))
    points = confidentiality_points(registry)
    for point in [FORMATION_POINT] + ([PUBLICATION_POINT] if is_published(attribute) else []):
        step = points.get(point)
        if step is not None and step.deadline and not exists(f"review.{point}"):
            found.append((f"review.{point}", registry.find(step.deadline, DeadlineRule), requested or today()))
    return [(name, rule, start) for name, rule, start in found if rule is not None and start is not None]


def schedule(session: Session, registry: Registry, calendar: WorkCalendar, doc: Document,
             requested: dt.date | None = None) -> None:
    """(Re)compute every clock that applies to ``doc`` now; open clocks only move forward.
    ``requested``: the day the document is put to review (see :func:`wanted`)."""
    for name, rule, start in wanted(registry, doc, lambda name: _exists(session, doc, name), requested):
        store_deadline(session, OWNER, doc.id, name, compute(rule, start, calendar))


def _exists(session: Session, doc: Document, name: str) -> bool:
    from sqlmodel import select

    return session.exec(select(StoredDeadline.id).where(
        StoredDeadline.owner_kind == OWNER, StoredDeadline.owner_id == doc.id, StoredDeadline.name == name
    )).first() is not None


def clocks_of(session: Session, document_id: int) -> list[StoredDeadline]:
    from sqlmodel import select

    return list(session.exec(
        select(StoredDeadline)
        .where(StoredDeadline.owner_kind == OWNER, StoredDeadline.owner_id == document_id)
        .order_by(StoredDeadline.id)
    ).all())


def meet(session: Session, doc: Document, name: str, on: dt.date) -> None:
    close_deadline(session, OWNER, doc.id, name, on)


def cancel_open(session: Session, doc: Document, names: tuple[str, ...], on: dt.date) -> None:
    for row in clocks_of(session, doc.id):
        if row.status == "open" and row.name in names:
            close_deadline(session, OWNER, doc.id, row.name, on, status="cancelled")


def timeliness(row: StoredDeadline | None, on: dt.date) -> str:
    """on_time, after_target (past a target but within the hard limit) or late."""
    if row is None or row.due is None:
        return "on_time"
    if on <= row.due:
        return "on_time"
    if row.limit is not None and on <= row.limit:
        return "after_target"
    return "late"
