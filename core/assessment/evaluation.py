"""Public evaluation (社会评议) tallies: how many answered each grade, per unit and year.

The grades are the options of the jurisdiction's ``evaluation.social`` provision
(五原县 社会评议制度 第七条: 满意、基本满意、不满意). Recording a year's tallies again
replaces them, and the change is kept in the event log.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Index
from sqlmodel import Field, Session, SQLModel, select

from gongkai.core.errors import GongkaiError
from gongkai.core.records.storage import record_event
from gongkai.hookspecs.records import Provision
from gongkai.core.records.units import UnitOwned

EVALUATION_ID = "evaluation.social"


class EvaluationTally(UnitOwned, table=True):
    """How many evaluators gave ``grade`` to ``unit`` in ``year``."""

    __tablename__ = "evaluation_tally"
    __table_args__ = (Index("ix_evaluation_unit_year_grade", "unit_id", "unit", "year", "grade", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    unit: str = Field(max_length=200)
    year: int
    grade: str = Field(max_length=40)
    count: int = 0
    recorded_at: dt.datetime


def evaluation_rule(registry: Any) -> Provision:
    rule = registry.find(EVALUATION_ID, Provision)
    if rule is None or not rule.options:
        raise GongkaiError(
            f"{registry.jurisdiction.display_name}没有社会评议规则（{EVALUATION_ID}），无法记录评议结果。"
        )
    return rule


def parse_tallies(rule: Provision, pairs: list[str]) -> dict[str, int]:
    """``["满意=120", "基本满意=30", "不满意=5"]`` -> counts for every grade (missing ones are 0)."""
    counts = dict.fromkeys(rule.options, 0)
    for pair in pairs:
        grade, sep, number = pair.partition("=")
        grade = grade.strip()
        if not sep or grade not in counts:
            raise GongkaiError(
                f"评议结果“{pair}”无效：应写成 等次=人数，等次可选：{'、'.join(rule.options)}（{rule.citation}）。"
            )
        try:
            counts[grade] = int(number)
        except ValueError:
            raise GongkaiError(f"评议结果“{pair}”的人数应为整数。") from None
        if counts[grade] < 0:
            raise GongkaiError(f"评议结果“{pair}”的人数不能为负数。")
    if not any(counts.values()):
        raise GongkaiError("没有填写任何评议人数。请用 --tally 满意=人数 等逐项填写。")
    return counts


def tallies(session: Session, unit: str, year: int) -> dict[str, int]:
    rows = session.exec(select(EvaluationTally).where(EvaluationTally.unit == unit, EvaluationTally.year == year)).all()
    return {r.grade: r.count for r in rows}


def record_tallies(session: Session, unit: str, year: int, counts: dict[str, int], actor: str = "") -> None:
    """Store (or replace) one unit's tallies for a year, with an event."""
    unit = unit.strip()
    if not unit:
        raise GongkaiError("缺少被评议单位名称（--unit）。")
    before = tallies(session, unit, year)
    now = dt.datetime.now(dt.timezone.utc)
    existing = {
        r.grade: r
        for r in session.exec(
            select(EvaluationTally).where(EvaluationTally.unit == unit, EvaluationTally.year == year)
        ).all()
    }
    for grade, count in counts.items():
        row = existing.pop(grade, None) or EvaluationTally(unit=unit, year=year, grade=grade, recorded_at=now)
        row.count = count
        row.recorded_at = now
        session.add(row)
    for row in existing.values():  # a grade no longer in the rule
        session.delete(row)
    record_event(
        session,
        subject_kind="evaluation",
        subject_id=None,
        action="record_tallies",
        actor=actor,
        before={"unit": unit, "year": year, "tallies": before} if before else None,
        # recorded_at: the time its rows carry, so that audit verify compares it too
        after={"unit": unit, "year": year, "tallies": counts, "recorded_at": now.isoformat()},
        at=now,
    )


def all_tallies(session: Session, year: int | None = None, unit: str | None = None) -> list[dict[str, Any]]:
    """Every unit's tallies, with shares, for the ``show`` listing and the reports."""
    query = select(EvaluationTally)
    if year is not None:
        query = query.where(EvaluationTally.year == year)
    if unit:
        query = query.where(EvaluationTally.unit == unit)
    grouped: dict[tuple[str, int], dict[str, int]] = {}
    for row in session.exec(query.order_by(EvaluationTally.year, EvaluationTally.unit, EvaluationTally.id)).all():
        grouped.setdefault((row.unit, row.year), {})[row.grade] = row.count
    out = []
    for (u, y), counts in grouped.items():
        total = sum(counts.values())
        out.append(
            {
                "unit": u,
                "year": y,
                "tallies": counts,
                "total": total,
                "shares": {g: round(c / total, 4) if total else 0.0 for g, c in counts.items()},
            }
        )
    return out
