"""Findings the system can count itself, from the database, for one year.

A rubric finding unit names the facts it counts in ``FindingUnit.records`` (the plugin's
rubric or the TOML rubric file); ``gongkai assess score --from-records`` then adds them to
the findings files. The facts:

- ``request.late_reply``: a request's ``reply`` clock (StoredDeadline owner_kind="request",
  name="reply") met after its due date, or still open past it;
- ``mailbox.late_reply``: a leader-mailbox letter's clock (StoredDeadline owner_kind="matter",
  rule_id="mailbox.reply") met late or still open past due;
- ``request.overturned``: a reply overturned on appeal. ASSUMPTION, until the request
  workflow lands: an appeal result is recorded as an Event with subject_kind="request",
  action="appeal" and after={"result": "纠正"|"维持"|"其他"|"尚未审结", "decided_on":
  "2026-05-06" (optional)}. "纠正" is the annual report's 结果纠正 (撤销、变更、确认违法、责令履行,
  or a lost lawsuit); the other words listed in OVERTURNED count the same.

Late means after the hard limit where a rule has one (长宁区: 10 WD, at most 20), else after
the due date; a paused clock that is still open is not late. A deadline counts in the year
its due date falls in; an appeal in the year it was decided. One owner counts once per
finding unit (a request both late and overturned is one 依申请公开 case, 扣2分 once).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy.orm import contains_eager
from sqlmodel import Session, select

from gongkai.core.assessment.findings import Finding, Findings
from gongkai.core.time.deadline_store import DeadlineTerm, StoredDeadline
from gongkai.core.today import BEIJING, today
from gongkai.core.records.storage import Event
from gongkai.hookspecs.records import Rubric

SOURCE = "records"
OVERTURNED = frozenset({"纠正", "撤销", "变更", "确认违法", "责令履行", "败诉"})


def _late(row: StoredDeadline, as_of: dt.date) -> str | None:
    """Why ``row`` is late (Chinese), or None."""
    due = row.limit or row.due
    if due is None:
        return None
    if row.status in ("met", "late") and row.met_on is not None and row.met_on > due:  # `request reply` stores "late"
        return f"应于{due.isoformat()}前办结，实际{row.met_on.isoformat()}办结"
    if row.status == "open" and not row.paused and due < as_of:
        return f"应于{due.isoformat()}前办结，截至{as_of.isoformat()}仍未办结"
    return None


def _late_deadlines(session: Session, year: int, as_of: dt.date, **where: Any) -> list[tuple[int, str]]:
    query = select(StoredDeadline).join(DeadlineTerm).options(contains_eager(StoredDeadline.term)).where(
        DeadlineTerm.due >= dt.date(year, 1, 1),  # type: ignore[operator]
        DeadlineTerm.due <= dt.date(year, 12, 31),  # type: ignore[operator]
        StoredDeadline.status != "cancelled",
    )
    for column, value in where.items():
        query = query.where(getattr(StoredDeadline, column) == value)
    out = []
    for row in session.exec(query.order_by(StoredDeadline.owner_id)).all():
        reason = _late(row, as_of)
        if reason:
            out.append((row.owner_id, reason))
    return out


def _overturned(session: Session, year: int) -> list[tuple[int, str]]:
    query = select(Event).where(Event.subject_kind == "request", Event.action == "appeal").order_by(Event.id)
    out = []
    for event in session.exec(query).all():
        after = json.loads(event.after) if event.after else {}
        if not isinstance(after, dict) or after.get("result") not in OVERTURNED:
            continue
        decided = after.get("decided_on")
        try:
            day = dt.date.fromisoformat(decided) if decided else None
        except (TypeError, ValueError):
            day = None
        if day is None:
            at = event.at if event.at.tzinfo else event.at.replace(tzinfo=dt.timezone.utc)
            day = at.astimezone(BEIJING).date()
        if day.year == year and event.subject_id is not None:
            out.append((event.subject_id, f"{day.isoformat()}复议或诉讼结果：{after['result']}"))
    return out


def count_facts(session: Session, year: int, as_of: dt.date) -> dict[str, list[tuple[str, int, str]]]:
    """Every countable fact of ``year``: fact -> [(owner kind, owner id, detail)]."""
    return {
        "request.late_reply": [
            ("request", i, d) for i, d in _late_deadlines(session, year, as_of, owner_kind="request", name="reply")
        ],
        "request.overturned": [("request", i, d) for i, d in _overturned(session, year)],
        "mailbox.late_reply": [
            ("matter", i, d) for i, d in _late_deadlines(session, year, as_of, owner_kind="matter", rule_id="mailbox.reply")
        ],
    }


_OWNER = {"request": "申请", "matter": "事项"}


def findings_from_records(
    session: Session, rubric: Rubric, unit: str, year: int, kind: str, as_of: dt.date | None = None
) -> Findings:
    """The findings of ``rubric``'s record-counted units for ``unit`` in ``year``."""
    as_of = as_of or today()
    facts = count_facts(session, year, as_of)
    findings = Findings(unit, year, kind, sources=[SOURCE])
    for category in rubric.categories:
        for finding_unit in (*category.units, *category.bonus_units):
            seen: dict[tuple[str, int], list[str]] = {}
            for fact in finding_unit.records:
                for owner_kind, owner_id, detail in facts.get(fact, []):
                    seen.setdefault((owner_kind, owner_id), []).append(detail)
            for (owner_kind, owner_id), details in sorted(seen.items()):
                label = f"{_OWNER.get(owner_kind, owner_kind)} #{owner_id}：{'；'.join(details)}"
                findings.items.append(Finding(category.id, finding_unit.id, 1, SOURCE, label))
    return findings


def uses_records(rubric: Rubric) -> bool:
    return any(u.records for c in rubric.categories for u in (*c.units, *c.bonus_units))


def merge_records(
    session: Session,
    rubric: Rubric,
    all_findings: list[Findings],
    unit: str,
    year: int | None,
    kind: str,
    as_of: dt.date | None = None,
) -> list[Findings]:
    """Add what the records count for ``unit`` to its findings files of ``year``.

    ``year`` defaults to the one year the files are about; without a file for the unit a
    findings set of ``kind`` is made. The database is one unit's (``gongkai.toml`` ``unit``).
    """
    from gongkai.core.errors import GongkaiError

    if not unit:
        raise GongkaiError("使用 --from-records 需要在 gongkai.toml 中填写 unit（本单位名称），台账统计计入该单位。")
    if not uses_records(rubric):
        raise GongkaiError("评分细则中没有可由台账统计的情形（FindingUnit.records），--from-records 无可统计。")
    if year is None:
        years = {f.year for f in all_findings}
        if len(years) != 1:
            raise GongkaiError("请用 --year 指定要从台账统计的考核年度。")
        year = years.pop()
    targets = [f for f in all_findings if f.unit == unit and f.year == year]
    if not targets:
        targets = [Findings(unit, year, kind)]
        all_findings = [*all_findings, *targets]
    for target in targets:
        if target.total is not None:
            raise GongkaiError(
                f"{target.sources[0]} 已直接填写 total，不能再合并台账统计的问题；请删去 total 改为逐项记录。"
            )
        target.merge(findings_from_records(session, rubric, unit, year, target.kind, as_of))
    return all_findings


def merge_all_units(
    app: Any, rubric: Rubric, all_findings: list[Findings], year: int | None, kind: str, as_of: dt.date | None = None
) -> list[Findings]:
    """``--all-units``: what each unit's records count, added to its findings files, for every
    unit of a district server (each counted on a session bound to that unit). A file may name
    its unit by full name or by code; files of units not on the server are kept as they are."""
    from gongkai.core.errors import GongkaiError
    from gongkai.core.units.store import all_units

    if year is None:
        years = {f.year for f in all_findings}
        if len(years) != 1:
            raise GongkaiError("请用 --year 指定要从台账统计的考核年度。")
        year = years.pop()
    with app.district_session() as session:
        units = [(u.id, u.code, u.name or u.code) for u in all_units(session)]
    if not units:
        raise GongkaiError("本服务器上还没有单位，--all-units 无可统计。请先用 `gongkai unit add` 添加单位。")
    by_code = {code: name for _, code, name in units}
    for findings in all_findings:
        findings.unit = by_code.get(findings.unit, findings.unit)
    for unit_id, _, name in units:
        with app.unit_session(unit_id) as session:
            all_findings = merge_records(session, rubric, all_findings, name, year, kind, as_of)
    return all_findings
