"""The format's own consistency checks (勾稽关系) of sections 三 and 四.

国办公开办函〔2021〕30号: 第一项加第二项之和，等于第三项加第四项之和 — in every column,
``new + carried_over == total + carried_forward``; （七）总计 is the sum of the outcome rows;
each row's 总计 is the sum of its applicant columns; and in section 四 each 总计 is the sum of
结果维持、结果纠正、其他结果、尚未审结. The national format has no group totals under
（三）（四）（五）（六）, so none is checked.

:func:`broken` states each broken relation as data (for ``report check``, which reads another
system's report where a cell may be missing: a relation with a missing cell is not judged);
:func:`failures` says the two the report's own records can break, before a report is produced.
"""

from __future__ import annotations

from typing import Any

from gongkai.core.errors import GongkaiError
from gongkai.core.law.outcomes import APPLICANT_TYPES, RESULT_ROWS
from gongkai.core.reports.annual import APPEAL_KINDS, APPEAL_LABELS, ROW_LABELS, TOTAL

COLUMN_LABELS: dict[str, str] = {
    **{t.code: (f"{t.group}·{t.label}" if t.group else t.label) for t in APPLICANT_TYPES},
    TOTAL: "总计",
}
APPEAL_TERMS = ("upheld", "corrected", "other", "pending")  # 总计 is their sum (core.reports.annual.APPEAL_LABELS)


def _finding(section: str, relation: str, row: str, column: str, value: int, terms: list[tuple[str, int]],
             message: str) -> dict[str, Any]:
    return {"section": section, "relation": relation, "row": row, "column": column, "value": value,
            "expected": sum(v for _, v in terms), "terms": [[label, v] for label, v in terms], "message": message}


def broken(requests: dict[str, dict[str, Any]] | None, appeals: dict[str, dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Each broken relation: its section, row and column labels, the cell's value, the terms it
    should be the sum of and the expected sum, and a Chinese sentence. ``None`` cells are unknown."""
    rows, kinds, results = ROW_LABELS, APPEAL_KINDS, APPEAL_LABELS
    out: list[dict[str, Any]] = []
    table = requests or {}
    cell = lambda row, column: (table.get(row) or {}).get(column)  # noqa: E731
    for column, label in COLUMN_LABELS.items():
        if not requests:
            break
        four = [cell(r, column) for r in ("new", "carried_over", TOTAL, "carried_forward")]
        if None not in four and four[0] + four[1] != four[2] + four[3]:
            new, carried_over, total, carried_forward = four
            out.append(_finding(  # the format's own words: 第一项加第二项之和，等于第三项加第四项之和
                "三", "balance", "第一项加第二项之和（应等于第三项加第四项之和）", label, new + carried_over,
                [(rows[TOTAL], total), (rows["carried_forward"], carried_forward)],
                f"“{label}”列：本年新收 {new} + 上年结转 {carried_over} = {new + carried_over}，"
                f"不等于 办理结果总计 {total} + 结转下年度继续办理 {carried_forward} = {total + carried_forward}"))
        terms = [(r.group + r.label, cell(r.code, column)) for r in RESULT_ROWS]
        total = cell(TOTAL, column)
        if total is not None and all(v is not None for _, v in terms) and sum(v for _, v in terms) != total:
            out.append(_finding("三", "column_total", rows[TOTAL], label, total, terms,
                                f"“{label}”列：各项办理结果之和为 {sum(v for _, v in terms)}，不等于（七）总计 {total}"))
    for row, label in rows.items():
        terms = [(COLUMN_LABELS[c], cell(row, c)) for c in COLUMN_LABELS if c != TOTAL]
        total = cell(row, TOTAL)
        if requests and total is not None and all(v is not None for _, v in terms) and sum(v for _, v in terms) != total:
            out.append(_finding("三", "row_total", label, "总计", total, terms,
                                f"“{label}”行：各类申请人之和为 {sum(v for _, v in terms)}，不等于“总计”列 {total}"))
    for kind, kind_label in kinds.items():
        counts = (appeals or {}).get(kind) or {}
        terms = [(results[k], counts.get(k)) for k in APPEAL_TERMS]
        total = counts.get(TOTAL)
        if total is not None and all(v is not None for _, v in terms) and sum(v for _, v in terms) != total:
            out.append(_finding("四", "appeal_total", kind_label, results[TOTAL], total, terms,
                                f"“{kind_label}”：结果维持、结果纠正、其他结果、尚未审结之和为 "
                                f"{sum(v for _, v in terms)}，不等于“总计” {total}"))
    return out


def failures(table: dict[str, dict[str, int]]) -> list[str]:
    """One Chinese sentence per column that breaks the check (empty when it holds)."""
    return [f["message"] for f in broken(table) if f["relation"] in ("balance", "column_total")]


def ensure_balanced(table: dict[str, dict[str, int]]) -> None:
    """Raise with every failing column named; no report is produced then."""
    problems = failures(table)
    if problems:
        raise GongkaiError(
            "年度报告第三部分勾稽关系校验未通过，未生成报告（第一项加第二项之和应等于第三项加第四项之和）："
            + "；".join(problems)
            + "。请核对申请记录的收到日期、答复日期和答复结果后重试。"
        )
