"""The annual report as a page for the portal (.html), a Word file (.docx) and a workbook (.xlsx).

The .html and .docx come from one template, ``report/annual.md.j2`` (a plugin may ship its
own); the tables carry the exact row labels of 国办公开办函〔2021〕30号.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from gongkai.core.errors import GongkaiError
from gongkai.core.law.outcomes import RESULT_ROWS
from gongkai.core.reports.annual import (
    TOTAL,
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
from gongkai.core.paperwork.tables import Cell, Table, cells
from gongkai.core.today import today

FORMATS = ("html", "docx", "pdf", "xlsx")
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


# --------------------------------------------------------------------------- the format's tables


def _n(value: Any) -> Any:
    return value if isinstance(value, (int, float)) else (int(value) if str(value).lstrip("-").isdigit() else value)


def section_two(report: dict[str, Any]) -> Table:
    """Section 二 as the format draws it: one table, four columns, a heading row per item of 第二十条."""
    p = report["proactive"]
    h = lambda text, span=1: Cell(text, colspan=span, header=True)  # noqa: E731
    rows: list[list[Cell]] = [[h("第二十条第（一）项", 4)],
                              [h("信息内容"), h("本年制发件数"), h("本年废止件数"), h("现行有效件数")]]
    for key, kind in DOCUMENT_KINDS.items():
        f = p[key]
        rows.append(cells(kind, f["issued"], f["repealed"], f["in_force"]))
    for item, keys in (("第二十条第（五）项", ("licensing",)), ("第二十条第（六）项", ("penalty", "coercion"))):
        rows += [[h(item, 4)], [h("信息内容"), h("本年处理决定数量", 3)]]
        rows += [[Cell(DECISION_KINDS[key]), Cell(p[key]["decisions"], colspan=3)] for key in keys]
    rows += [[h("第二十条第（八）项", 4)], [h("信息内容"), h("本年收费金额（单位：万元）", 3)],
             [Cell(FEES_KIND), Cell(p["fees"]["amount_10k_yuan"], colspan=3)]]
    return Table(rows=rows, widths=(26, 14, 14, 14), font_size=12)


def section_three(report: dict[str, Any]) -> Table:
    """Section 三: the two-level header over the applicant columns, the three-column label area
    (三、本年度办理结果 → （三）不予公开 → 1.属于国家秘密 …) as the format draws it; landscape."""
    from gongkai.core.law.outcomes import APPLICANT_TYPES

    h = lambda text, span=1, down=1: Cell(text, colspan=span, rowspan=down, header=True)  # noqa: E731
    organisations = [t for t in APPLICANT_TYPES if t.group]
    people = [t for t in APPLICANT_TYPES if not t.group]
    rows: list[list[Cell]] = [
        [h("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3), h("申请人情况", len(COLUMNS))],
        [*(h(t.label, 1, 2) for t in people), h(organisations[0].group, len(organisations)), h("总计", 1, 2)],
        [h(t.label) for t in organisations],
    ]
    numbers = lambda code: [Cell(report["requests"][code][c]) for c in COLUMNS]  # noqa: E731
    rows.append([Cell(ROW_LABELS["new"], colspan=3), *numbers("new")])
    rows.append([Cell(ROW_LABELS["carried_over"], colspan=3), *numbers("carried_over")])
    group_sizes: dict[str, int] = {}
    for r in RESULT_ROWS:
        if r.group:
            group_sizes[r.group] = group_sizes.get(r.group, 0) + 1
    seen: set[str] = set()
    for i, r in enumerate(RESULT_ROWS):
        row: list[Cell] = []
        if i == 0:
            row.append(Cell(RESULTS_HEADING, rowspan=len(RESULT_ROWS) + 1))
        if r.group and r.group not in seen:
            seen.add(r.group)
            row.append(Cell(r.group, rowspan=group_sizes[r.group]))
        row.append(Cell(r.label, colspan=1 if r.group else 2))
        rows.append(row + numbers(r.code))
    rows.append([Cell(ROW_LABELS[TOTAL], colspan=2), *numbers(TOTAL)])
    rows.append([Cell(ROW_LABELS["carried_forward"], colspan=3), *numbers("carried_forward")])
    return Table(rows=rows, widths=(3.2, 7.6, 38, *([5.2] * len(COLUMNS))), header_rows=3, font_size=8.5,
                 landscape=True)


def section_four(report: dict[str, Any]) -> Table:
    """Section 四: one row of 15 cells under the three-level header (行政复议 / 行政诉讼:
    未经复议直接起诉, 复议后起诉 / 结果维持 … 总计)."""
    h = lambda text, span=1, down=1: Cell(text, colspan=span, rowspan=down, header=True)  # noqa: E731
    results = list(APPEAL_LABELS.values())
    kinds = list(APPEAL_KINDS)
    rows = [
        [h("行政复议", len(results), 2), h("行政诉讼", 2 * len(results))],
        [h("未经复议直接起诉", len(results)), h("复议后起诉", len(results))],
        [h(label) for _ in kinds for label in results],
        [Cell(report["appeals"][kind][key]) for kind in kinds for key in APPEAL_LABELS],
    ]
    return Table(rows=rows, widths=[1] * (len(kinds) * len(results)), header_rows=3, font_size=9)


def appendix(report: dict[str, Any]) -> Table:
    """The district report's appendix: one row per unit (new, answered, carried forward, 复议,
    诉讼, 纠正) and the sum."""
    from gongkai.core.reports.district import APPENDIX_COLUMNS, SUM_LABEL

    rows = [cells("单位", *APPENDIX_COLUMNS.values(), header=True)]
    rows += [cells(u["name"], *(u[k] for k in APPENDIX_COLUMNS)) for u in report["units"]]
    rows.append(cells(Cell(SUM_LABEL, header=True), *(report["units_total"][k] for k in APPENDIX_COLUMNS)))
    return Table(rows=rows, widths=(30, *([10] * len(APPENDIX_COLUMNS))), header_rows=1, font_size=9)


def tables(report: dict[str, Any]) -> dict[str, Table]:
    drawn = {"two": section_two(report), "three": section_three(report), "four": section_four(report)}
    if report.get("units") is not None:
        drawn["appendix"] = appendix(report)
    return drawn


def fees_sentence(report: dict[str, Any]) -> str:
    fees = report["fees_collected"]
    if not fees["requests"]:
        return "本年度未收取政府信息公开信息处理费。"
    return (f"本年度依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）收取信息处理费"
            f" {fees['amount_yuan']} 元，涉及 {fees['requests']} 件申请。")


def markdown(template_dirs: Any, report: dict[str, Any]) -> str:
    from gongkai.core.paperwork.render import render
    from gongkai.core.reports.district import APPENDIX_TITLE

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
        "report_date": dt.date.fromisoformat(report["date"]) if report.get("date") else today(),
        "units": report.get("units"),
        "appendix_title": APPENDIX_TITLE,
    }
    return render(template_dirs, TEMPLATE, context)


def write_xlsx(report: dict[str, Any], path: Path) -> Path:
    """The report's tables, one sheet per section, drawn as in the format (merged headers), each
    with a title row, a frozen header and A4 landscape printing one page wide."""
    from openpyxl import Workbook

    from gongkai.core.paperwork import xlsx
    wb = Workbook()
    from gongkai.core.reports.district import APPENDIX_TITLE

    sheets = [("二、主动公开", "二、主动公开政府信息情况", "two", 0),
              ("三、依申请公开", "三、收到和处理政府信息公开申请情况", "three", 3),
              ("四、复议诉讼", "四、政府信息公开行政复议、行政诉讼情况", "four", 3)]
    drawn = tables(report)
    if "appendix" in drawn:
        sheets.append(("附表、各单位情况", APPENDIX_TITLE, "appendix", 1))
    for i, (name, heading, key, header_rows) in enumerate(sheets):
        ws = wb.active if i == 0 else wb.create_sheet()
        ws.title = name
        table = drawn[key]
        xlsx.title_row(ws, f"{report['title']}　{heading}", table.columns)
        table.to_sheet(ws, first_row=2)
        for column, width in zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", _sheet_widths(table, key)):
            ws.column_dimensions[column].width = width
        table.fit_row_heights(ws, first_row=2)
        if header_rows:
            ws.freeze_panes = ws.cell(2 + header_rows, 4 if key == "three" else 1)
        xlsx.print_a4_landscape(ws, 1 + header_rows if header_rows else None)
    from gongkai.core.paperwork.safe_write import write_file

    return write_file(path, wb.save)


# Excel widths (characters) where the relative widths would print badly: 四's 15 counts under
# four-character headers (尚未审结) need 10 each, not 6; 三's long row labels wrap in a column
# of 40 so the sheet is not scaled down to fit one page wide
SHEET_WIDTHS = {"three": (5.0, 14.0, 40.0, *([10.0] * 7)), "four": (10.0,) * 15}


def _sheet_widths(table: Table, key: str = "") -> list[float]:
    """Excel column widths (characters) from the table's relative widths."""
    fixed = SHEET_WIDTHS.get(key)
    if fixed and len(fixed) == len(table.widths):
        return list(fixed)
    scale = 2.2 if table.landscape else 1.2
    return [max(6.0, round(w * scale, 1)) for w in table.widths]


def layout_for(config: Any) -> Any:
    """The report's page layout with the unit's fonts (``gongkai.toml``)."""
    import attrs

    from gongkai.core.paperwork import word
    return attrs.evolve(word.DOCUMENT, fonts=word.fonts(config))


def write(template_dirs: Any, report: dict[str, Any], fmt: str, path: str | Path, layout: Any = None) -> Path:
    """Write the report as ``fmt``; ``layout`` is a ``core.paperwork.word.Layout`` (the unit's fonts)."""
    from gongkai.core.paperwork.render import write_output

    if fmt not in FORMATS:
        raise GongkaiError(f"不支持的格式“{fmt}”（--format），可选：{'、'.join(FORMATS)}。")
    if fmt == "xlsx":
        return write_xlsx(report, path)
    return write_output(markdown(template_dirs, report), fmt, path, report["title"], layout, tables(report))

