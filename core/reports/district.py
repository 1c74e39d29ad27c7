"""The government-level annual report (本级政府年度报告) of a district server.

The district's section 三 and 四 are the sums of its units' (every department's, street's and
the government's own), each unit's figures read in the same grouped pass (``request_tables`` /
``appeal_tables`` by ``unit_id``); section 二 is the government unit's own documents. The
勾稽关系 check (国办公开办函〔2021〕30号) runs on every unit and on the sum, and a failure names
the unit. The report carries a per-unit appendix (附表) in every output format.

These functions work on per-unit figures, so they are the same whatever the units' storage.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from gongkai.core.errors import GongkaiError
from gongkai.core.reports.annual import APPEAL_KINDS, TOTAL
from gongkai.core.reports.check import failures

# The appendix's columns (JSON keys and headings).
APPENDIX_COLUMNS: dict[str, str] = {
    "new": "本年新收申请",
    "answered": "本年办结",
    "carried_forward": "结转下年度继续办理",
    "reconsideration": "行政复议",
    "lawsuit": "行政诉讼",
    "corrected": "复议、诉讼结果纠正",
}
APPENDIX_TITLE = "附表：各单位政府信息公开申请办理及行政复议、行政诉讼情况"
SUM_LABEL = "合计"
LAWSUITS = ("lawsuit", "lawsuit_after_reconsideration")


def sum_tables(tables: Iterable[Mapping[str, Mapping[str, int]]]) -> dict[str, dict[str, int]]:
    """Cell-by-cell sum of tables of the same shape (section 三 or 四)."""
    total: dict[str, dict[str, int]] = {}
    for table in tables:
        for row, cells in table.items():
            target = total.setdefault(row, dict.fromkeys(cells, 0))
            for column, n in cells.items():
                target[column] += n
    return total


def unit_row(requests: Mapping[str, Mapping[str, int]], appeals: Mapping[str, Mapping[str, int]]) -> dict[str, int]:
    """One unit's line of the appendix, from its section 三 and 四."""
    return {
        "new": requests["new"][TOTAL],
        "answered": requests[TOTAL][TOTAL],
        "carried_forward": requests["carried_forward"][TOTAL],
        "reconsideration": appeals["reconsideration"][TOTAL],
        "lawsuit": sum(appeals[k][TOTAL] for k in LAWSUITS),
        "corrected": sum(appeals[k]["corrected"] for k in APPEAL_KINDS),
    }


def ensure_units_balanced(units: list[dict[str, Any]], summed: Mapping[str, Mapping[str, int]]) -> None:
    """The 勾稽关系 on each unit's section 三 and on the sum; the error names every failing unit."""
    problems = [f"{u['name']}：{'；'.join(found)}" for u in units if (found := failures(u["requests"]))]
    found = failures(summed)
    if found:
        problems.append(f"全区合计：{'；'.join(found)}")
    if problems:
        raise GongkaiError(
            "年度报告第三部分勾稽关系校验未通过，未生成本级政府年度报告（第一项加第二项之和应等于第三项加第四项之和）："
            + "；".join(problems)
            + "。请该单位核对申请记录的收到日期、答复日期和答复结果后重试。"
        )


def combine(report: dict[str, Any], units: list[dict[str, Any]]) -> dict[str, Any]:
    """The government-level report: ``report`` (the government unit's own: section 二, title,
    due date, narrative) with sections 三 and 四 and the fees summed over ``units`` (each a dict
    with ``code``, ``name``, ``requests``, ``appeals``, ``fees_collected``), the check run on
    each unit and on the sum, and the appendix rows (``units``, then ``units_total``)."""
    if not units:
        raise GongkaiError("本服务器上还没有单位，无法汇总本级政府年度报告。请先用 `gongkai unit add` 添加单位。")
    requests = sum_tables(u["requests"] for u in units)
    appeals = sum_tables(u["appeals"] for u in units)
    ensure_units_balanced(units, requests)
    rows = [{"code": u["code"], "name": u["name"], **unit_row(u["requests"], u["appeals"])} for u in units]
    fees = {k: sum(u["fees_collected"][k] for u in units) for k in ("requests", "amount_yuan")}
    return {
        **report,
        "requests": requests,
        "appeals": appeals,
        "fees_collected": fees,
        "units": rows,
        "units_total": {k: sum(r[k] for r in rows) for k in APPENDIX_COLUMNS},
        "check": {**report["check"], "units": len(units),
                  "scope": "每个单位及全区合计均已校验"},
    }
