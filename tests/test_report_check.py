"""`report check FILE` (issue 32 item 26): a published annual report read back from its file
(.html, .docx, .xlsx; ours or another system's), every cell that breaks the format's relations
listed, and with --against-records every cell that differs from the unit's records.

Inputs are real files: the reports `report annual` writes from the two-year ledger, the same files
with one cell changed (by the format's own library: html text, python-docx, openpyxl), and
reports in other systems' layouts (tests/data/published/, a GB2312 portal page with group
subtotals and blanks for zeros; a Word file with one label column and section 四 turned on its
side; a workbook with both tables on one sheet and dashes for zeros)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from report_ledger import built_ledger, ledger  # noqa: F401 (fixtures)

from gongkai.core.reports import published

DATA = Path(__file__).parent / "data" / "published"
OTHER_HTML = DATA / "某街道办事处2025年报-其他系统.html"


@pytest.fixture
def reports(ledger, gk, tmp_path):
    """The 2026 report in the three formats, as `report annual` writes them."""
    for fmt in ("html", "docx", "xlsx"):
        gk.ok("report", "annual", "--year", "2026", "--format", fmt, "--out", f"2026年报.{fmt}")
    return {fmt: tmp_path / f"2026年报.{fmt}" for fmt in ("html", "docx", "xlsx")}


@pytest.mark.parametrize("fmt", ["html", "docx", "xlsx"])
def test_our_own_report_is_clean_and_agrees_with_the_records(reports, gk, fmt):
    result = gk.ok("report", "check", str(reports[fmt]), "--against-records")
    assert result.stdout.startswith("测试单位政府办公室2026年政府信息公开工作年度报告：读出第三部分 175 格、第四部分 15 格。")
    assert "未发现问题：勾稽关系全部成立，与本单位记录一致。" in result.stdout
    data = json.loads(gk.ok("report", "check", str(reports[fmt]), "--json", "--against-records").stdout)
    assert data["ok"] and data["year"] == 2026 and data["broken"] == [] and data["differences"] == []
    assert data["requests"]["new"]["total"] == 24 and data["requests"]["withheld.state_secret"]["commercial"] == 1
    assert data["appeals"]["lawsuit"] == {"upheld": 2, "corrected": 1, "other": 1, "pending": 2, "total": 6}


def _break_html(path: Path) -> None:
    # （一）予以公开's 自然人 cell: 2 -> 7 (the first cell after the row's label)
    text = path.read_text(encoding="utf-8")
    label = "（一）予以公开</td>\n<td class=\"n\">2</td>"
    assert text.count(label) == 1
    path.write_text(text.replace(label, "（一）予以公开</td>\n<td class=\"n\">7</td>"), encoding="utf-8")


def _break_docx(path: Path) -> None:
    import docx

    document = docx.Document(str(path))
    three = next(t for t in document.tables if "自然人" in t.rows[1].cells[3].text)
    row = next(r for r in three.rows if r.cells[-8].text.startswith("（一）予以公开"))
    row.cells[3].paragraphs[0].runs[0].text = "7"
    document.save(str(path))


def _break_xlsx(path: Path) -> None:
    from openpyxl import load_workbook

    book = load_workbook(str(path))
    sheet = book["三、依申请公开"]
    row = next(r for r in sheet.iter_rows() if r[1].value == "（一）予以公开")
    row[3].value = 7
    book.save(str(path))


@pytest.mark.parametrize("fmt,breaker", [("html", _break_html), ("docx", _break_docx), ("xlsx", _break_xlsx)])
def test_one_changed_cell_is_named_in_every_relation_it_breaks(reports, gk, fmt, breaker):
    breaker(reports[fmt])
    result = gk("report", "check", str(reports[fmt]), "--against-records")
    assert result.exit_code == 3, result.output
    out = result.stdout
    # its row's 总计 and its column's （七）总计; 第一项加第二项 = 第三项加第四项 still holds (no total moved)
    assert "违反勾稽关系 2 处" in out
    assert "第三部分“（一）予以公开”行“总计”列：填报 2，应为 7（自然人 7，其余为 0）" in out
    assert "第三部分“（七）总计”行“自然人”列：填报 5，应为 10" in out
    assert "与本单位2026年记录不符 1 处" in out and "（一）予以公开" in out.split("与本单位")[1]
    data = json.loads(gk("report", "check", str(reports[fmt]), "--json", "--against-records").stdout)
    assert not data["ok"]
    assert [(f["relation"], f["row"], f["column"], f["value"], f["expected"]) for f in data["broken"]] == [
        ("column_total", "（七）总计", "自然人", 5, 10), ("row_total", "（一）予以公开", "总计", 2, 7)]
    assert data["differences"] == [{"section": "三", "row": "（一）予以公开", "column": "自然人", "value": 7, "records": 2,
                                    "message": "第三部分“（一）予以公开”行“自然人”列：报告为 7，记录为 2"}]


def test_another_systems_page_with_its_own_contradictions(gk):
    """A GB2312 portal page: two label columns, subtotal rows under （三）…（六）, blanks for zeros, and
    the errors published reports carry (a row's 总计, the 总计 row, a group subtotal, 四's 总计)."""
    result = gk("report", "check", str(OTHER_HTML))
    assert result.exit_code == 3
    out = result.stdout
    assert out.startswith("某街道办事处2025年政府信息公开工作年度报告：读出第三部分 203 格、第四部分 15 格。")
    assert "违反勾稽关系 8 处" in out
    for line in (
        "第三部分“自然人”列：本年新收 40 + 上年结转 2 = 42，不等于 办理结果总计 38 + 结转下年度继续办理 3 = 41",
        "第三部分“（一）予以公开”行“总计”列：填报 23，应为 22（自然人 20 + 法人或其他组织·商业企业 1 + 法人或其他组织·其他 1，其余为 0）",
        "第三部分“（七）总计”行“总计”列：填报 43，应为 42",
        "第三部分“（七）总计”行“自然人”列：填报 38，应为 39",
        "第三部分“（三）不予公开”行“自然人”列：填报 2，应为 1（（三）不予公开4.保护第三方合法权益 1，其余为 0）",
        "第四部分“行政复议”“总计”：填报 3，应为 2（结果维持 1 + 尚未审结 1，其余为 0）",
    ):
        assert line in out, line
    assert out.index("8. 第四部分") > out.rindex("第三部分“")  # 三 before 四
    data = json.loads(gk("report", "check", str(OTHER_HTML), "--json").stdout)
    assert data["year"] == 2025 and data["missing"] == [] and data["differences"] is None
    assert data["groups"]["（四）无法提供"]["total"] == 11  # a correct subtotal is read and not listed
    assert data["requests"]["withheld.state_secret"] == dict.fromkeys(data["requests"]["new"], 0)  # blanks are 0


def _other_docx(path: Path, reconsideration_total: int = 2) -> None:
    """A Word report as another system draws it: one label column, 三、本年度办理结果 and each
    group a heading row of their own, 四 with results down and kinds across."""
    import docx

    from gongkai.core.law.outcomes import RESULT_ROWS

    document = docx.Document()
    document.add_paragraph("某某区卫生健康委员会2026年度政府信息公开工作年度报告")
    columns = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    rows = [["本年新收政府信息公开申请数量", 10, 2, 0, 0, 1, 0, 13], ["上年结转政府信息公开申请数量", 1, 0, 0, 0, 0, 0, 1],
            ["三、本年度办理结果"]]
    values = {"disclosed": [6, 1, 0, 0, 1, 0, 8], "unavailable.not_held": [3, 1, 0, 0, 0, 0, 4]}
    seen = set()
    for r in RESULT_ROWS:
        if r.group and r.group not in seen:
            seen.add(r.group)
            rows.append([r.group])
        rows.append([r.label, *values.get(r.code, [0] * 7)])
    rows += [["（七）总计", 9, 2, 0, 0, 1, 0, 12], ["结转下年度继续办理", 2, 0, 0, 0, 0, 0, 2]]
    table = document.add_table(rows=2 + len(rows), cols=8)
    table.cell(0, 0).merge(table.cell(1, 0)).text = "项目"
    table.cell(0, 1).merge(table.cell(1, 1)).text = "自然人"
    table.cell(0, 2).merge(table.cell(0, 6)).text = "法人或其他组织"
    table.cell(0, 7).merge(table.cell(1, 7)).text = "总计"
    for i, name in enumerate(columns[1:6]):
        table.cell(1, 2 + i).text = name
    for i, row in enumerate(rows, start=2):
        if len(row) == 1:
            table.cell(i, 0).merge(table.cell(i, 7)).text = row[0]
        else:
            for j, value in enumerate(row):
                table.cell(i, j).text = str(value)
    document.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    four = document.add_table(rows=6, cols=4)
    for j, text in enumerate(["", "行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）"]):
        four.cell(0, j).text = text
    for i, (label, counts) in enumerate([("结果维持", (1, 0, 0)), ("结果纠正", (0, 1, 0)), ("其他结果", (0, 0, 0)),
                                         ("尚未审结", (1, 0, 1)), ("总计", (reconsideration_total, 1, 1))], start=1):
        four.cell(i, 0).text = label
        for j, n in enumerate(counts, start=1):
            four.cell(i, j).text = str(n)
    document.save(str(path))


def test_another_systems_word_file(gk, tmp_path):
    _other_docx(tmp_path / "卫健委.docx")
    result = gk.ok("report", "check", "卫健委.docx")
    assert "某某区卫生健康委员会2026年度政府信息公开工作年度报告：读出第三部分 175 格、第四部分 15 格。" in result.stdout
    _other_docx(tmp_path / "卫健委-错.docx", reconsideration_total=3)
    result = gk("report", "check", "卫健委-错.docx", "--json")
    assert result.exit_code == 3
    found = json.loads(result.stdout)
    assert [(f["section"], f["row"], f["value"], f["expected"]) for f in found["broken"]] == [("四", "行政复议", 3, 2)]


def test_another_systems_workbook_on_one_sheet(gk, tmp_path):
    """Both tables on one sheet, numbers typed as text, dashes for zeros, 2 label columns."""
    from openpyxl import Workbook

    from gongkai.core.reports.annual import ROW_CODES, ROW_LABELS

    book = Workbook()
    sheet = book.active
    sheet.append(["2025年某镇人民政府政府信息公开工作年度报告附表"])
    sheet.append(["项目", None, "自然人", "法人或其他组织", None, None, None, None, "总计"])
    sheet.append([None, None, None, "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", None])
    for ref in ("A2:B3", "C2:C3", "D2:H2", "I2:I3"):
        sheet.merge_cells(ref)
    counts = {"new": ["3", "－", "－", "－", "－", "1", "4"], "carried_over": ["－"] * 7,
              "disclosed": ["2", "－", "－", "－", "－", "1", "3"], "total": ["2", "－", "－", "－", "－", "1", "3"],
              "carried_forward": ["1", "－", "－", "－", "－", "－", "1"]}
    for code in ROW_CODES:
        sheet.append([ROW_LABELS[code], None, *counts.get(code, ["－"] * 7)])
        sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=2)
    sheet.append([])
    sheet.append(["行政复议", None, None, None, None, "行政诉讼"])
    sheet.append([None] * 5 + ["未经复议直接起诉", None, None, None, None, "复议后起诉"])
    sheet.append(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3)
    sheet.append([0] * 15)
    four = sheet.max_row - 3
    for ref in (f"A{four}:E{four + 1}", f"F{four}:O{four}", f"F{four + 1}:J{four + 1}", f"K{four + 1}:O{four + 1}"):
        sheet.merge_cells(ref)
    book.save(str(tmp_path / "某镇.xlsx"))
    data = json.loads(gk.ok("report", "check", "某镇.xlsx", "--json").stdout)
    assert data["year"] == 2025 and data["cells"] == {"三": 175, "四": 15} and data["requests"]["new"]["other"] == 1
    # a total written as a formula by a program that computes none: named, not read as 0
    sheet["I4"] = "=SUM(C4:H4)"
    book.save(str(tmp_path / "某镇-公式.xlsx"))
    result = gk("report", "check", "某镇-公式.xlsx")
    assert result.exit_code == 3
    assert ("第三部分“一、本年新收政府信息公开申请数量”行“总计”列：“=SUM(C4:H4)”（公式没有保存计算结果，"
            "请用 Excel 或 WPS 打开后保存）") in result.stdout
    assert "未能读出的单元格" not in result.stdout  # named once, with what is written there


def test_against_records_of_another_year_lists_each_difference(reports, gk):
    result = gk("report", "check", str(reports["xlsx"]), "--against-records", "--year", "2025")
    assert result.exit_code == 3
    assert "与本单位2025年记录不符" in result.stdout
    data = json.loads(gk("report", "check", str(reports["xlsx"]), "--against-records", "--year", "2025", "--json").stdout)
    assert data["broken"] == [] and data["year"] == 2025
    assert {"section": "三", "row": "一、本年新收政府信息公开申请数量", "column": "总计", "value": 24, "records": 6,
            "message": "第三部分“一、本年新收政府信息公开申请数量”行“总计”列：报告为 24，记录为 6"} in data["differences"]


def test_no_table_and_wrong_files_are_refused_in_chinese(gk, tmp_path):
    (tmp_path / "空白.html").write_text("<html><body><p>2026年政府信息公开工作年度报告</p><table><tr><td>甲</td></tr>"
                                      "</table></body></html>", encoding="utf-8")
    result = gk.fails("report", "check", "空白.html")
    assert "找不到年度报告的表格" in result.stderr and "第三部分" in result.stderr and "第四部分" in result.stderr
    (tmp_path / "假的.docx").write_bytes(b"not a zip")
    assert "不是有效的 Word 文件（.docx）" in gk.fails("report", "check", "假的.docx").stderr
    (tmp_path / "假的.xlsx").write_bytes(b"not a zip")
    assert "不是有效的 Excel 文件（.xlsx）" in gk.fails("report", "check", "假的.xlsx").stderr
    (tmp_path / "旧.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    assert "另存为 .docx" in gk.fails("report", "check", "旧.doc").stderr
    assert "找不到年度报告文件" in gk.fails("report", "check", "没有这个文件.html").stderr


def test_half_a_report_names_what_it_could_not_read(gk, tmp_path):
    """Section 四 alone, its 复议后起诉 columns cut off: the missing cells and section 三 are named."""
    head = "".join(f"<td>{t}</td>" for t in ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2)
    page = ("<p>2026年政府信息公开工作年度报告</p><table><tr><td colspan=5>行政复议</td><td colspan=5>行政诉讼</td></tr>"
            "<tr><td colspan=5>行政复议</td><td colspan=5>未经复议直接起诉</td></tr>"
            f"<tr>{head}</tr><tr>{'<td>0</td>' * 10}</tr></table>")
    (tmp_path / "半份.html").write_text(page, encoding="utf-8")
    result = gk("report", "check", "半份.html")
    assert result.exit_code == 3
    assert "第三部分“收到和处理政府信息公开申请情况”的表格" in result.stdout
    assert "第四部分“行政诉讼（复议后起诉）”“总计”" in result.stdout


def test_labels_compare_without_numbering_and_punctuation():
    assert published.key("（二）部分公开（区分处理的，只计这一情形，不计其他情形）") == "部分公开"
    assert published.key("3．危及“三安全一稳定”") == published.key("3.危及\"三安全一稳定\"") == "危及三安全一稳定"
    assert published._row_code(["三、本年度办理结果", "（六）其他处理", "3.其他"]) == "other.other"
    assert published._row_code(["（六）其他处理"]) == "group:（六）其他处理"
    assert published._row_code(["2.其他法律、行政法规禁止公开"]) == "withheld.law_prohibited"


def test_a_districts_report_with_its_appendix_reads_its_own_tables(built_ledger, tmp_path):  # noqa: F811
    """The 本级政府 report sums its units and adds a table per unit (本年新收 … as columns): the
    check reads sections 三 and 四, not the appendix, in every format."""
    import shutil

    from gongkai.core.law.plugins import load_registry
    from gongkai.core.reports import annual
    from gongkai.core.reports.district import combine
    from gongkai.core.reports.output import write
    from gongkai.core.records.storage import make_engine, session_scope

    shutil.copy(built_ledger / "gongkai.db", tmp_path / "a.db")
    registry = load_registry("changning")
    engine = make_engine(f"sqlite:///{tmp_path / 'a.db'}")
    with session_scope(engine) as session:
        unit = {"requests": annual.request_table(session, registry, 2026), "appeals": annual.appeal_table(session, 2026),
                "fees_collected": annual.fees_collected(session, 2026)}
        own = {"year": 2026, "unit": "某区人民政府", "title": "某区2026年政府信息公开工作年度报告", "check": {"ok": True},
               "proactive": annual.proactive_table(session, 2026), "narrative": annual.read_narrative(None),
               "due": {"date": "2027-02-28", "citation": "实施办法 第五十二条"}, "date": "2027-02-20"}
    engine.dispose()
    report = combine(own, [{"code": "fgj", "name": "区发改委", **unit}, {"code": "jdj", "name": "某街道", **unit}])
    for fmt in ("html", "docx", "xlsx"):
        found = published.check(write(registry.template_dirs, report, fmt, tmp_path / f"区年报.{fmt}"))
        assert found["ok"] and found["cells"] == {"三": 175, "四": 15}, (fmt, found["missing"], found["broken"])
        assert found["requests"] == report["requests"] and found["appeals"] == report["appeals"]
        assert found["title"] == "某区2026年政府信息公开工作年度报告"


def test_cells_that_are_no_count_are_named_with_what_is_written():
    assert [published._number(t) for t in ("12", "1,024", "3.0", "", "－", "—", "/")] == [12, 1024, 3, 0, 0, 0, 0]
    assert [published._number(t) for t in ("-1", "2.5", "约10", "9" * 5000, "１２")] == [None, None, None, None, 12]


def test_hostile_spans_and_nesting_are_bounded(gk, tmp_path):
    spans = "<table>" + "<tr><td colspan=100000 rowspan=100000>本年新收</td><td>1</td></tr>" * 50 + "</table>"
    nested = "<table><tr><td>" * 2000 + "甲" + "</td></tr></table>" * 2000
    (tmp_path / "跨格.html").write_text(spans, encoding="utf-8")
    (tmp_path / "嵌套.html").write_text(nested, encoding="utf-8")
    wide = "<table>" + "<tr>" + "<td colspan=200>1</td>" * 6000 + "</tr></table>"
    (tmp_path / "过宽.html").write_text(wide, encoding="utf-8")
    assert "找不到年度报告的表格" in gk.fails("report", "check", "跨格.html").stderr
    assert "找不到年度报告的表格" in gk.fails("report", "check", "嵌套.html").stderr
    assert "表格过大" in gk.fails("report", "check", "过宽.html").stderr
