"""The figures of the annual report's second part (主动公开政府信息情况), from stored facts:
规章 and 行政规范性文件 made, repealed and in force, and the yearly decision counts."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from gongkai.core.documents.attributes import resolve_decision_kind
from gongkai.core.documents.models import DECISION_KINDS, DecisionCount, Document
from gongkai.core.errors import GongkaiError
from gongkai.core.storage import record_event

if TYPE_CHECKING:
    from sqlmodel import Session

FEES = "行政事业性收费"  # counted as an amount (万元), not a number of decisions


def set_decision_count(session: Session, year: int, kind: str, value: float, actor: str = "") -> DecisionCount:
    """Enter (or correct) one year's figure for one kind of decision."""
    from sqlmodel import select

    kind = resolve_decision_kind(kind, DECISION_KINDS)
    if value < 0:
        raise GongkaiError(f"{kind}的数值不能为负数。")
    if kind != FEES and value != int(value):
        raise GongkaiError(f"{kind}是决定件数，应为整数。")
    row = session.exec(select(DecisionCount).where(DecisionCount.year == year, DecisionCount.kind == kind)).first()
    before = None
    if row is None:
        row = DecisionCount(year=year, kind=kind)
    else:
        before = {"count": row.count, "amount": row.amount}
    if kind == FEES:
        row.amount = float(value)
    else:
        row.count = int(value)
    session.add(row)
    session.flush()
    record_event(session, subject_kind="decision_count", subject_id=row.id, action="set", actor=actor,
                 before=before, after={"year": year, "kind": kind, "count": row.count, "amount": row.amount})
    return row


def annual_figures(session: Session, year: int) -> dict[str, Any]:
    """规章/行政规范性文件: 本年制发, 本年废止, 现行有效 (at 31 December); decision figures."""
    from sqlmodel import select

    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    docs = session.exec(select(Document).where(Document.kind.in_(("规章", "行政规范性文件")))).all()  # type: ignore[attr-defined]
    figures: dict[str, Any] = {"year": year, "documents": {}, "decisions": {}}
    for kind in ("规章", "行政规范性文件"):
        mine = [d for d in docs if d.kind == kind]
        made = [d for d in mine if (d.finalised or d.formed) and start <= (d.finalised or d.formed) <= end]
        repealed = [d for d in mine if d.repealed and start <= d.repealed <= end]
        in_force = [d for d in mine if (d.finalised or d.formed) and (d.finalised or d.formed) <= end
                    and (d.repealed is None or d.repealed > end)]
        figures["documents"][kind] = {"issued": len(made), "repealed": len(repealed), "in_force": len(in_force)}
    rows = {r.kind: r for r in session.exec(select(DecisionCount).where(DecisionCount.year == year)).all()}
    for kind in DECISION_KINDS:
        row = rows.get(kind)
        figures["decisions"][kind] = (row.amount if kind == FEES else row.count) if row else None
    return figures
