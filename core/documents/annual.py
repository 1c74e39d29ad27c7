"""The figures of the annual report's second part (主动公开政府信息情况), from stored facts:
规章 and 行政规范性文件 made, repealed and in force, and the yearly decision counts."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from gongkai.core.documents.attributes import resolve_decision_kind
from gongkai.core.documents.models import DECISION_KINDS, DecisionCount, Document
from gongkai.core.errors import GongkaiError
from gongkai.core.records.storage import record_event

if TYPE_CHECKING:
    from sqlmodel import Session

FEES = "行政事业性收费"  # counted as an amount (万元), not a number of decisions
DOCUMENT_KINDS = ("规章", "行政规范性文件")  # 条例 第二十条第（一）项


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
    """规章/行政规范性文件: 本年制发, 本年废止, 现行有效 (at 31 December); decision figures
    (None where not entered). Counted in SQL; the annual report's section 二 reads this too."""
    from sqlalchemy import and_, case, func, or_, select

    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    d = Document.__table__.c
    made = func.coalesce(d.finalised, d.formed)

    def number(condition: Any) -> Any:
        return func.sum(case((condition, 1), else_=0))

    rows = session.execute(
        select(
            d.kind,
            number(and_(made >= start, made <= end)),
            number(and_(d.repealed >= start, d.repealed <= end)),
            number(and_(made <= end, or_(d.repealed.is_(None), d.repealed > end))),
        )
        .where(d.kind.in_(DOCUMENT_KINDS))
        .group_by(d.kind)
    ).all()
    counted = {kind: figures for kind, *figures in rows}
    documents = {}
    for kind in DOCUMENT_KINDS:
        issued, repealed, in_force = (int(n or 0) for n in counted.get(kind, (0, 0, 0)))
        documents[kind] = {"issued": issued, "repealed": repealed, "in_force": in_force}
    c = DecisionCount.__table__.c
    entered = {kind: (amount if kind == FEES else count)
               for kind, count, amount in session.execute(select(c.kind, c.count, c.amount).where(c.year == year))}
    return {"year": year, "documents": documents, "decisions": {kind: entered.get(kind) for kind in DECISION_KINDS}}
