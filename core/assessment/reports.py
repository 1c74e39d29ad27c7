"""Assessment output: a printable report per unit (HTML, .docx) and the ranking (.xlsx, HTML, .docx)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from gongkai.core.assessment import KINDS
from gongkai.core.assessment.rubric import CATEGORY_KINDS, Scoring
from gongkai.core.assessment.scoring import UnitResult, ranking
from gongkai.core.errors import GongkaiError
from gongkai.core.today import today

TEMPLATE = "assessment/report.md.j2"


def _title(result: UnitResult) -> str:
    return f"{result.unit}{result.year}年度政务公开工作考核结果"


def report_text(result: UnitResult, scoring: Scoring, registry: Any, office: str) -> str:
    """The rendered Markdown report of one unit's year."""
    from gongkai.core.paperwork.render import render

    scheme = scoring.composite
    context = {
        "r": result.to_json(scheme),
        "jurisdiction": registry.jurisdiction.display_name,
        "basis": str(scoring.rubric.citation) if scoring.rubric is not None else "考核评定总分",
        "composite_rule": str(scheme.citation) if scheme is not None else "",
        "missing": "、".join(KINDS[k] for k in result.missing_kinds),
        "grade_rule": str(scoring.grade.citation) if scoring.grade is not None else "",
        "kinds": CATEGORY_KINDS,
        "office": office or registry.jurisdiction.display_name,
        "today": today(),
    }
    return render(registry.template_dirs, TEMPLATE, context)


def _safe(name: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "_", name).strip("_") or "unit"


def write_reports(
    results: list[UnitResult], scoring: Scoring, registry: Any, fmt: str, path: Path, office: str = ""
) -> list[Path]:
    """One report per unit: to ``path`` for one unit, else one file per unit in the folder ``path``."""
    from gongkai.core.paperwork.render import write_output
    from gongkai.core.paperwork.safe_write import as_target

    if as_target(path).to_stdout and len(results) > 1:
        raise GongkaiError(f"有 {len(results)} 个单位的考核结果，每个单位一个文件，不能写到标准输出；请给出文件夹。")
    written = []
    for result in results:
        target = as_target(path) if len(results) == 1 else as_target(path).child(f"{_safe(result.unit)}_{result.year}.{fmt}")
        text = report_text(result, scoring, registry, office)
        written.append(write_output(text, fmt, target, _title(result)))
    return written


def ranking_rows(results: list[UnitResult]) -> tuple[list[str], list[list[Any]]]:
    """The ranking: headings and one row per unit, best first (ties share a rank)."""
    kinds = [k for k in KINDS if any(k in r.assessments for r in results)]
    headings = ["名次", "单位", "年度", "考核得分", "等次", *(KINDS[k] for k in kinds), "综合得分", "绩效考核计入分"]
    rows = []
    for rank, r in ranking(results):
        totals = [r.assessments[k].total if k in r.assessments else None for k in kinds]
        rows.append([rank, r.unit, r.year, r.score, r.grade, *totals, r.composite, r.contribution])
    return headings, rows


def category_rows(results: list[UnitResult], scoring: Scoring) -> tuple[list[str], list[list[Any]]]:
    """Every unit's points per category, one row per assessment."""
    categories = list(scoring.rubric.categories) if scoring.rubric is not None else []
    headings = ["单位", "年度", "考核类型", *(c.name for c in categories), "合计"]
    rows = []
    for r in results:
        for kind, a in r.assessments.items():
            points = [c.points for c in a.categories] if a.categories is not None else [None] * len(categories)
            rows.append([r.unit, r.year, KINDS[kind], *points, a.total])
    return headings, rows


def ranking_title(results: list[UnitResult]) -> str:
    years = sorted({r.year for r in results})
    return f"{'、'.join(map(str, years))}年度政务公开工作考核排名"


def write_ranking_page(results: list[UnitResult], scoring: Scoring, fmt: str, path: Path) -> Path:
    """The ranking and the points per category as a page (HTML) or a Word file."""
    from gongkai.core.paperwork.render import write_output
    from gongkai.core.paperwork.tables import Table, cells

    def table(headings: list[str], rows: list[list[Any]]) -> Table:
        shown = [["—" if v is None else int(v) if isinstance(v, float) and v.is_integer() else v for v in row]
                 for row in rows]
        return Table(rows=[cells(*headings, header=True), *(cells(*row) for row in shown)],
                     widths=[2 if h == "单位" else 1 for h in headings], header_rows=1, font_size=9,
                     landscape=len(headings) > 8)

    title = ranking_title(results)
    drawn = {"ranking": table(*ranking_rows(results))}
    text = f"# {title}\n\n::: table ranking\n"
    if scoring.rubric is not None:
        drawn["categories"] = table(*category_rows(results, scoring))
        text += "\n## 分项得分\n\n::: table categories\n"
    return write_output(text, fmt, path, title, tables=drawn)


def write_ranking(results: list[UnitResult], scoring: Scoring, path: Path) -> Path:
    """The ranking of all units (sheet 排名) and every category's points (sheet 分项得分)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from gongkai.core.paperwork.xlsx import put

    wb = Workbook()
    sheet = wb.active
    sheet.title = "排名"
    detail = wb.create_sheet("分项得分")
    for ws, (headings, rows) in ((sheet, ranking_rows(results)), (detail, category_rows(results, scoring))):
        for r, values in enumerate([headings, *rows], start=1):
            for c, value in enumerate(values, start=1):
                put(ws, r, c, value)  # a unit's name is text, never a formula

    for ws in (sheet, detail):
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
        for column in ws.columns:
            width = max(len(str(c.value or "")) for c in column)
            ws.column_dimensions[column[0].column_letter].width = min(max(8, width * 2 + 2), 40)
    from gongkai.core.paperwork.safe_write import write_file

    return write_file(path, wb.save)
