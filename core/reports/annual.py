"""The annual report (政府信息公开工作年度报告) in the national format, from stored facts.

Format: 《中华人民共和国政府信息公开工作年度报告格式》(国办公开办函〔2021〕30号).
Every number is aggregated in SQL (GROUP BY with CASE over the applicant type and the
outcome's report row); Python only reshapes the few dozen aggregated cells.

A request counts in year Y as:
- ``new``: received in Y;
- ``carried_over``: received before Y and not answered before Y;
- an outcome row: answered in Y (its outcome's ``report_row`` from the registry);
- ``carried_forward``: received by 31 December Y and not answered in or before Y.
So for a consistent ledger ``new + carried_over == total + carried_forward`` (勾稽关系).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import and_, case, func, literal, or_, select

from gongkai.core.deadlines import compute
from gongkai.core.errors import GongkaiError
from gongkai.core.outcomes import APPLICANT_TYPE_CODES, REPORT_ROWS, RESULT_ROWS

TOTAL = "total"
COLUMNS: tuple[str, ...] = (*APPLICANT_TYPE_CODES, TOTAL)
# Section 三's rows in the format's order (codes of the JSON contract).
ROW_CODES: tuple[str, ...] = ("new", "carried_over", *(r.code for r in RESULT_ROWS), TOTAL, "carried_forward")
ROW_LABELS: dict[str, str] = {
    "new": "一、本年新收政府信息公开申请数量",
    "carried_over": "二、上年结转政府信息公开申请数量",
    TOTAL: "（七）总计",
    "carried_forward": "四、结转下年度继续办理",
    **{r.code: r.label for r in RESULT_ROWS},
}
RESULTS_HEADING = "三、本年度办理结果"

# Section 四: appeal kinds (core.requests.appeals.KINDS) and results, with JSON keys.
APPEAL_KINDS: dict[str, str] = {
    "reconsideration": "行政复议",
    "lawsuit": "行政诉讼（未经复议直接起诉）",
    "lawsuit_after_reconsideration": "行政诉讼（复议后起诉）",
}
APPEAL_RESULTS: dict[str, str] = {
    "upheld": "维持",
    "corrected": "纠正",
    "other": "其他",
    "pending": "尚未审结",
}
APPEAL_LABELS: dict[str, str] = {
    "upheld": "结果维持",
    "corrected": "结果纠正",
    "other": "其他结果",
    "pending": "尚未审结",
    TOTAL: "总计",
}

# Section 二 (条例 第二十条): document kinds and decision kinds as the registry stores them.
DOCUMENT_KINDS: dict[str, str] = {"rules": "规章", "normative_documents": "行政规范性文件"}
DECISION_KINDS: dict[str, str] = {
    "licensing": "行政许可",  # 第二十条第（五）项
    "penalty": "行政处罚",  # 第二十条第（六）项
    "coercion": "行政强制",  # 第二十条第（六）项
}
FEES_KIND = "行政事业性收费"  # 第二十条第（八）项, 万元

NARRATIVE_SECTIONS: dict[str, str] = {
    "一": "一、总体情况",
    "五": "五、存在的主要问题及改进情况",
    "六": "六、其他需要报告的事项",
}
UNPAID_FEE = "other.unpaid_fee"


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    if not 1900 < year < 3000:
        raise GongkaiError(f"年度“{year}”无效（--year），应为四位年份，如 2026。")
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _count(condition: Any) -> Any:
    return func.sum(case((condition, 1), else_=0))


def _check_columns(found: set[str]) -> None:
    unknown = sorted(found - set(APPLICANT_TYPE_CODES))
    if unknown:
        raise GongkaiError(
            f"申请记录中有未知的申请人类型：{'、'.join(map(str, unknown))}。"
            f"请改为 {'、'.join(APPLICANT_TYPE_CODES)} 之一后再生成年度报告。"
        )


def request_table(session: Any, registry: Any, year: int) -> dict[str, dict[str, int]]:
    """Section 三: ``{row code: {column code: count}}`` with every row and column present."""
    from gongkai.core.requests.models import Request

    start, end = year_bounds(year)
    table = {row: dict.fromkeys(COLUMNS, 0) for row in ROW_CODES}
    r = Request.__table__.c
    unanswered_at_start = or_(r.replied_on.is_(None), r.replied_on >= start)
    # new / carried over / carried forward: one pass over the requests open during the year
    flows = session.execute(
        select(
            r.applicant_type,
            _count(r.received >= start),
            _count(r.received < start),
            _count(or_(r.replied_on.is_(None), r.replied_on > end)),
        )
        .where(r.received <= end, or_(r.received >= start, unanswered_at_start))
        .group_by(r.applicant_type)
    ).all()
    # outcomes answered in the year, folded onto the format's rows by the registry
    row_of = case({code: o.report_row for code, o in registry.outcomes.items()}, value=r.outcome, else_=r.outcome)
    results = session.execute(
        select(r.applicant_type, row_of.label("row"), func.count())
        .where(r.replied_on >= start, r.replied_on <= end)
        .group_by(r.applicant_type, row_of)
    ).all()
    _check_columns({f[0] for f in flows} | {x[0] for x in results})
    for column, new, carried_over, carried_forward in flows:
        table["new"][column] = int(new or 0)
        table["carried_over"][column] = int(carried_over or 0)
        table["carried_forward"][column] = int(carried_forward or 0)
    for column, row, n in results:
        if row is None:
            raise GongkaiError(
                f"有 {n} 件申请记有答复日期但没有答复结果（申请人类型 {column}）。请补录答复结果后再生成年度报告。"
            )
        if row not in REPORT_ROWS:
            raise GongkaiError(
                f"答复结果“{row}”不在年度报告格式的办理结果中（{n} 件）。请用 `gongkai rules` 核对结果代码并更正申请记录。"
            )
        table[row][column] += int(n)
    for column in APPLICANT_TYPE_CODES:
        table[TOTAL][column] = sum(table[row.code][column] for row in RESULT_ROWS)
    for row in ROW_CODES:
        table[row][TOTAL] = sum(table[row][c] for c in APPLICANT_TYPE_CODES)
    return table


def appeal_table(session: Any, year: int) -> dict[str, dict[str, int]]:
    """Section 四: the appeals handled in the year, by kind and result.

    An appeal counts in Y if filed by 31 December Y and not decided before Y; its result
    is the recorded one if decided by 31 December Y, otherwise 尚未审结.
    """
    from gongkai.core.requests.models import Appeal

    start, end = year_bounds(year)
    a = Appeal.__table__.c
    decided = and_(a.decided_on.is_not(None), a.decided_on <= end)
    result = case((decided, a.result), else_=literal(APPEAL_RESULTS["pending"]))
    rows = session.execute(
        select(a.kind, result, func.count())
        .where(a.filed_on <= end, or_(a.decided_on.is_(None), a.decided_on >= start))
        .group_by(a.kind, result)
    ).all()
    key_of = {v: k for k, v in APPEAL_RESULTS.items()}
    table = {kind: dict.fromkeys(APPEAL_LABELS, 0) for kind in APPEAL_KINDS}
    for kind, res, n in rows:
        if kind not in table or res not in key_of:
            raise GongkaiError(f"复议诉讼记录的类型或结果无效（{kind}，{res}），请更正后再生成年度报告。")
        table[kind][key_of[res]] += int(n)
    for counts in table.values():
        counts[TOTAL] = sum(counts[k] for k in APPEAL_RESULTS)
    return table


def proactive_table(session: Any, year: int) -> dict[str, Any]:
    """Section 二 (条例 第二十条第（一）（五）（六）（八）项) from the document registry."""
    from gongkai.core.documents.models import DecisionCount, Document

    start, end = year_bounds(year)
    d = Document.__table__.c
    made = func.coalesce(d.finalised, d.formed)
    docs = {
        kind: (issued, repealed, in_force)
        for kind, issued, repealed, in_force in session.execute(
            select(
                d.kind,
                _count(and_(made >= start, made <= end)),
                _count(and_(d.repealed >= start, d.repealed <= end)),
                _count(and_(made <= end, or_(d.repealed.is_(None), d.repealed > end))),
            )
            .where(d.kind.in_(DOCUMENT_KINDS.values()))
            .group_by(d.kind)
        ).all()
    }
    out: dict[str, Any] = {}
    for key, kind in DOCUMENT_KINDS.items():
        issued, repealed, in_force = docs.get(kind, (0, 0, 0))
        out[key] = {"issued": int(issued or 0), "repealed": int(repealed or 0), "in_force": int(in_force or 0)}
    c = DecisionCount.__table__.c
    figures = {kind: (count, amount) for kind, count, amount in
               session.execute(select(c.kind, c.count, c.amount).where(c.year == year)).all()}
    for key, kind in DECISION_KINDS.items():
        out[key] = {"decisions": int(figures.get(kind, (0, None))[0] or 0)}
    amount = figures.get(FEES_KIND, (None, 0))[1]
    out["fees"] = {"amount_10k_yuan": round(float(amount or 0), 4)}
    return out


def fees_collected(session: Any, year: int) -> dict[str, int]:
    """Information-processing fees (条例 第四十二条) collected in the year, reported under 六.

    A charged fee counts as collected when its request was answered in the year with any
    outcome but ``other.unpaid_fee`` (the information is provided only after payment).
    """
    from gongkai.core.requests.models import Request

    start, end = year_bounds(year)
    r = Request.__table__.c
    n, total = session.execute(
        select(func.count(), func.coalesce(func.sum(r.fee_amount), 0)).where(
            r.replied_on >= start, r.replied_on <= end, r.fee_amount > 0,
            or_(r.outcome.is_(None), r.outcome != UNPAID_FEE),
        )
    ).one()
    return {"requests": int(n), "amount_yuan": int(total)}


def due_date(registry: Any, calendar: Any, year: int, government: bool) -> dict[str, Any]:
    """The report's due date (条例 第四十九、五十条; a plugin may set its own date)."""
    rule_id = "report.annual.government" if government else "report.annual.agency"
    rule = registry.deadline(rule_id)
    due = compute(rule, dt.date(year, 12, 31), calendar).due
    return {"date": due.isoformat(), "rule": rule_id, "level": "government" if government else "agency",
            "citation": str(rule.citation), "summary": rule.summary}


def read_narrative(folder: str | Path | None) -> dict[str, str | None]:
    """Sections 一/五/六 from ``一.md``, ``五.md``, ``六.md`` in ``folder`` (None if absent)."""
    texts: dict[str, str | None] = dict.fromkeys(NARRATIVE_SECTIONS)
    if folder is None:
        return texts
    path = Path(folder)
    if not path.is_dir():
        raise GongkaiError(f"找不到文字材料目录 {path}（--narrative），其中应有 一.md、五.md、六.md。")
    for key in NARRATIVE_SECTIONS:
        file = path / f"{key}.md"
        if file.is_file():
            try:
                texts[key] = file.read_text(encoding="utf-8").strip()
            except UnicodeDecodeError:
                raise GongkaiError(f"{file} 不是 UTF-8 编码，请另存为 UTF-8。") from None
    return texts


def build(app: Any, year: int, *, unit: str | None = None, government: bool | None = None,
          narrative: str | Path | None = None) -> dict[str, Any]:
    """All the numbers and texts of the report; the 勾稽关系 check has passed when it returns."""
    from gongkai.core.reports.check import ensure_balanced

    if government is None:
        government = str(app.config.raw.get("unit_level", "")) == "government"
    with app.session() as session:
        requests = request_table(session, app.registry, year)
        ensure_balanced(requests)
        appeals = appeal_table(session, year)
        proactive = proactive_table(session, year)
        fees = fees_collected(session, year)
    return {
        "year": year,
        "unit": unit or app.config.unit,
        "jurisdiction": app.registry.jurisdiction.name,
        "title": f"{unit or app.config.unit}{year}年政府信息公开工作年度报告",
        "due": due_date(app.registry, app.calendar, year, government),
        "proactive": proactive,
        "requests": requests,
        "appeals": appeals,
        "fees_collected": fees,
        "narrative": read_narrative(narrative),
        "check": {"ok": True, "rule": "本年新收 + 上年结转 = 办理结果总计 + 结转下年度继续办理（每一列）"},
    }
