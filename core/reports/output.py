"""The annual report as a page for the portal (.html), a Word file (.docx) and a workbook (.xlsx).

The .html and .docx come from one template, ``report/annual.md.j2`` (a plugin may ship its
own); the tables carry the exact row labels of 国办公开办函〔2021〕30号.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from gongkai.core.errors import GongkaiError
from gongkai.core.outcomes import RESULT_ROWS
from gongkai.core.reports.annual import (
    APPEAL_KINDS,
    APPEAL_LABELS,
    COLUMNS,
    DECISION_KINDS,
    DOCUMENT_KINDS,
    FEES_KIND,
    RESULTS_HEADING,
    ROW_CODES,
    ROW_LABELS,
)
from gongkai.core.reports.check import COLUMN_LABELS

FORMATS = ("html", "docx", "xlsx")
TEMPLATE = "report/annual.md.j2"


def request_rows(report: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """Section 三 as (label, cells) in the format's order, with its group heading rows."""
    groups = {r.code: r.group for r in RESULT_ROWS}
    rows: list[tuple[str, list[str]]] = []
    seen: set[str] = set()
    blank = [""] * len(COLUMNS)
    for code in ROW_CODES:
        if code == RESULT_ROWS[0].code:
            rows.append((RESULTS_HEADING, blank))
        group = groups.get(code)
        if group and group not in seen:
            seen.add(group)
            rows.append((group, blank))
        rows.append((ROW_LABELS[code], [str(report["requests"][code][c]) for c in COLUMNS]))
    return rows


def appeal_rows(report: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """Section 四, one row per result (结果维持 … 总计), one column per kind."""
    return [(label, [str(report["appeals"][kind][key]) for kind in APPEAL_KINDS]) for key, label in APPEAL_LABELS.items()]


def fees_sentence(report: dict[str, Any]) -> str:
    fees = report["fees_collected"]
    if not fees["requests"]:
        return "本年度未收取政府信息公开信息处理费。"
    return (f"本年度依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）收取信息处理费"
            f" {fees['amount_yuan']} 元，涉及 {fees['requests']} 件申请。")


def markdown(template_dirs: Any, report: dict[str, Any]) -> str:
    from gongkai.core.render import render

    placeholder = "（未提供本部分文字材料：请在 --narrative 目录中撰写 {}.md。）"
    narrative = {k: v or placeholder.format(k) for k, v in report["narrative"].items()}
    context = {
        **report,
        "due_date": dt.date.fromisoformat(report["due"]["date"]),
        "narrative": narrative,
        "documents": [(kind, report["proactive"][key]) for key, kind in DOCUMENT_KINDS.items()],
        "fees_10k": f"{report['proactive']['fees']['amount_10k_yuan']:g}",
        "column_labels": [COLUMN_LABELS[c] for c in COLUMNS],
        "request_rows": request_rows(report),
        "appeal_columns": list(APPEAL_KINDS.values()),
        "appeal_rows": appeal_rows(report),
        "fees_sentence": fees_sentence(report),
    }
    return render(template_dirs, TEMPLATE, context)


def write_xlsx(report: dict[str, Any], path: Path) -> Path:
    """The report's tables, one sheet per section, with the format's row labels in column A."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    bold = Font(bold=True)
    two = wb.active
    two.title = "二、主动公开"
    two.append(["第二十条第（一）项"])
    two.append(["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"])
    for key, kind in DOCUMENT_KINDS.items():
        f = report["proactive"][key]
        two.append([kind, f["issued"], f["repealed"], f["in_force"]])
    for item, keys in (("第二十条第（五）项", ("licensing",)), ("第二十条第（六）项", ("penalty", "coercion"))):
        two.append([item])
        two.append(["信息内容", "本年处理决定数量"])
        for key in keys:
            two.append([DECISION_KINDS[key], report["proactive"][key]["decisions"]])
    two.append(["第二十条第（八）项"])
    two.append(["信息内容", "本年收费金额（单位：万元）"])
    two.append([FEES_KIND, report["proactive"]["fees"]["amount_10k_yuan"]])

    three = wb.create_sheet("三、依申请公开")
    three.append(["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
                  *(COLUMN_LABELS[c] for c in COLUMNS)])
    for label, cells in request_rows(report):
        three.append([label, *(int(c) if c else None for c in cells)])
    three.column_dimensions["A"].width = 60
    for row in three.iter_rows(min_row=1, max_row=1):
        for cell in row:
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True)

    four = wb.create_sheet("四、复议诉讼")
    four.append(["", *APPEAL_KINDS.values()])
    for label, cells in appeal_rows(report):
        four.append([label, *(int(c) for c in cells)])
    for sheet in (two, four):
        sheet.column_dimensions["A"].width = 24
    from gongkai.core.safe_write import write_file

    return write_file(path, wb.save)


def write(template_dirs: Any, report: dict[str, Any], fmt: str, path: str | Path) -> Path:
    from gongkai.core.render import write_output

    if fmt not in FORMATS:
        raise GongkaiError(f"不支持的格式“{fmt}”（--format），可选：{'、'.join(FORMATS)}。")
    if fmt == "xlsx":
        return write_xlsx(report, path)
    return write_output(markdown(template_dirs, report), fmt, path, report["title"])

