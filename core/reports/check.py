"""The format's own consistency check (勾稽关系) of section 三.

国办公开办函〔2021〕30号: 第一项加第二项之和，等于第三项加第四项之和 — in every column,
``new + carried_over == total + carried_forward``; and （七）总计 is the sum of the outcome rows.
A report that fails it is not produced.
"""

from __future__ import annotations

from gongkai.core.errors import GongkaiError
from gongkai.core.law.outcomes import APPLICANT_TYPES, RESULT_ROWS

COLUMN_LABELS: dict[str, str] = {
    **{t.code: (f"{t.group}·{t.label}" if t.group else t.label) for t in APPLICANT_TYPES},
    "total": "总计",
}


def failures(table: dict[str, dict[str, int]]) -> list[str]:
    """One Chinese sentence per column that breaks the check (empty when it holds)."""
    out = []
    for column, label in COLUMN_LABELS.items():
        new, carried_over = table["new"][column], table["carried_over"][column]
        total, carried_forward = table["total"][column], table["carried_forward"][column]
        if new + carried_over != total + carried_forward:
            out.append(
                f"“{label}”列：本年新收 {new} + 上年结转 {carried_over} = {new + carried_over}，"
                f"不等于 办理结果总计 {total} + 结转下年度继续办理 {carried_forward} = {total + carried_forward}"
            )
        summed = sum(table[row.code][column] for row in RESULT_ROWS)
        if summed != total:
            out.append(f"“{label}”列：各项办理结果之和为 {summed}，不等于（七）总计 {total}")
    return out


def ensure_balanced(table: dict[str, dict[str, int]]) -> None:
    """Raise with every failing column named; no report is produced then."""
    problems = failures(table)
    if problems:
        raise GongkaiError(
            "年度报告第三部分勾稽关系校验未通过，未生成报告（第一项加第二项之和应等于第三项加第四项之和）："
            + "；".join(problems)
            + "。请核对申请记录的收到日期、答复日期和答复结果后重试。"
        )
