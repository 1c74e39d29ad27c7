"""Spreadsheets people can use, read back with openpyxl: a title row, Chinese labels only, typed
date and number cells, fitted widths, a frozen header, a filter, A4 landscape printing one page
wide; formula-looking text stays text; the report's sheets drawn with the format's merged headers."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from report_ledger import built_ledger, ledger  # noqa: F401 (fixtures)

from gongkai.core.reports.annual import APPEAL_KINDS
from requests_helpers import new_request

CODES = ("natural_person", "post_signed", "in_person", "online", "partial", "disclosed", "processing", "received",
         "replied", "commercial")


def all_values(ws):
    return [c.value for row in ws.iter_rows() for c in row if c.value is not None]


def assert_usable(ws, header_row=2):
    assert ws.freeze_panes is not None and int(ws.freeze_panes[1:]) == header_row + 1
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    for column in range(1, ws.max_column + 1):
        letter = openpyxl.utils.get_column_letter(column)
        assert ws.column_dimensions[letter].width and ws.column_dimensions[letter].width >= 6, letter


def assert_readable_across_pages(ws):
    """The ledger: too wide for one page, so printed at full size across pages (issue 32 item 20),
    the header rows and the columns naming the request repeated on each."""
    assert ws.freeze_panes == "A3" and ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
    assert not ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.scale == 100
    assert ws.print_title_rows == "$1:$2" and ws.print_title_cols == "$A:$C"


def test_ledger_xlsx(gk, unit, tmp_path):
    unit("changning")
    new_request(gk, channel="in_person", submitted="2026-03-02", subject="某路段拓宽工程的立项批复")
    new_request(gk, channel="post_signed", submitted="2026-03-03", applicant="=HYPERLINK(\"http://x\",\"点我\")",
                subject="@SUM(A1:A9)")
    new_request(gk, channel="in_person", submitted="2026-03-04", applicant="+86 张三", subject="-1+1")
    gk.ok("ledger", "--xlsx", "台账.xlsx", "--as-of", "2026-03-10")
    ws = openpyxl.load_workbook(tmp_path / "台账.xlsx").active
    assert "台账" in ws["A1"].value and "A1:" in str(ws.merged_cells.ranges)  # the title row
    headers = [c.value for c in ws[2]]
    assert headers[:3] == ["编号", "收到日期", "申请人"]
    assert ws.auto_filter.ref.startswith("A2:")
    assert_readable_across_pages(ws)
    values = all_values(ws)
    assert not [v for v in values if isinstance(v, str) and v in CODES], "codes leaked into the sheet"
    assert "当面提交" in values and "自然人" in values
    received = ws.cell(3, 2)
    assert isinstance(received.value, dt.datetime) and received.value.date() == dt.date(2026, 3, 2)
    assert isinstance(ws.cell(3, 1).value, int)
    # formula injection: the text is kept, as text
    cells = {c.value: c for row in ws.iter_rows(min_row=3) for c in row if isinstance(c.value, str)}
    for text in ("=HYPERLINK(\"http://x\",\"点我\")", "@SUM(A1:A9)", "+86 张三", "-1+1"):
        assert text in cells and cells[text].data_type == "s", text


def test_report_xlsx_is_drawn_as_the_format(ledger, gk, tmp_path):
    gk.ok("report", "annual", "--year", "2026", "--format", "xlsx", "--out", "年报.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "年报.xlsx")
    assert wb.sheetnames == ["二、主动公开", "三、依申请公开", "四、复议诉讼"]
    three = wb["三、依申请公开"]
    assert "年度报告" in three["A1"].value
    merged = {str(r) for r in three.merged_cells.ranges}
    assert "A2:C4" in merged and "D2:J2" in merged  # 勾稽 note; 申请人情况 over the seven columns
    assert "E3:I3" in merged  # 法人或其他组织 over its five kinds
    labels = all_values(three)
    assert "商业企业" in labels and "法人或其他组织" in labels and "法人或其他组织·商业企业" not in labels
    assert all(isinstance(v, int) for v in [c.value for c in three[5]][3:])  # numbers are numbers
    assert three.freeze_panes == "D5"
    assert three.page_setup.orientation == "landscape" and three.page_setup.fitToWidth == 1
    assert three.column_dimensions["C"].width > 3 * three.column_dimensions["D"].width  # the wide label column
    four = wb["四、复议诉讼"]
    header = [c.value for c in four[2]]
    assert header[0] == "行政复议" and "行政诉讼" in header
    assert [c.value for c in four[3]][5] == "未经复议直接起诉"
    row = [c.value for c in four[5]]
    assert len(row) == 15 and all(isinstance(v, int) for v in row)  # one row of 15 cells
    assert len(APPEAL_KINDS) * 5 == 15
    two = wb["二、主动公开"]
    assert "B11:D11" in {str(r) for r in two.merged_cells.ranges} or any(
        r.max_col - r.min_col == 2 for r in two.merged_cells.ranges)  # 本年处理决定数量 over three columns



def _printed_sizes(pdf_path):
    """Per page: the text and the smallest effective font size (points) of its digits and words."""
    import pypdf

    pages = []
    for page in pypdf.PdfReader(str(pdf_path)).pages:
        sizes = []

        def visit(text, cm, tm, font, size):
            if text.strip():
                sizes.append(abs(size * tm[0] * cm[0]) or abs(size * tm[3] * cm[3]))

        text = page.extract_text(visitor_text=visit)
        pages.append((text, min(sizes) if sizes else 0))
    return pages


@pytest.mark.skipif(__import__("shutil").which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_report_xlsx_prints_readably(ledger, gk, tmp_path):
    """Issue 32 item 17: 四's headers do not wrap over the numbers; 三 is not shrunk to a squint."""
    from gongkai.core.paperwork import pdf

    gk.ok("report", "annual", "--year", "2026", "--format", "xlsx", "--out", "年报.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "年报.xlsx")
    four = wb["四、复议诉讼"]
    for column, cell in enumerate(four[4], start=1):  # 结果维持 … 总计: each fits its column on one line
        letter = openpyxl.utils.get_column_letter(column)
        assert four.column_dimensions[letter].width >= 2 * len(str(cell.value or "")) + 1, cell.value
    assert all(four.row_dimensions[r].height for r in (2, 3, 4, 5))
    (printed,) = pdf.convert([tmp_path / "年报.xlsx"], tmp_path / "pdf")
    pages = _printed_sizes(printed)
    three = [p for p in pages if "申请人情况" in p[0]]
    appeals = [p for p in pages if "行政复议" in p[0] and "未经复议直接起诉" in p[0]]
    assert three and appeals
    assert min(size for _, size in three) >= 7.5  # of 11-point cells: not scaled below ~70%
    assert "尚未审结" in appeals[0][0].replace(" ", "")  # not broken over two lines


def test_ledger_xlsx_marks_late_replies_types_periods_and_names_appealed_requests(gk, unit, tmp_path):
    """Issue 32 item 20: 逾期 for a late reply, 补正期限 a number, appeals named beyond 本单位编号."""
    from requests_helpers import approve_chain, before_steps

    unit("changning")
    late = str(new_request(gk, submitted="2026-03-02", subject="某事项")["id"])
    approve_chain(gk, late, before_steps(gk, late), on="2026-04-20")
    gk.ok("request", "reply", late, "--on", "2026-04-21")  # due 2026-03-30
    gk.ok("request", "appeal", late, "--kind", "行政复议", "--filed", "2026-05-06")
    corrected = str(new_request(gk, submitted="2026-03-02", subject="另一事项", applicant="李四")["id"])
    gk.ok("request", "correct", corrected, "--notice-on", "2026-03-04", "--period-days", "15", "--what", "文号")
    gk.ok("ledger", "--xlsx", "台账.xlsx", "--as-of", "2026-05-10")
    wb = openpyxl.load_workbook(tmp_path / "台账.xlsx")
    ws = wb["依申请公开台账"]
    headers = [c.value for c in ws[2]]
    rows = {r[0]: dict(zip(headers, r)) for r in ws.iter_rows(min_row=3, values_only=True)}
    assert "答复逾期" in rows[int(late)]["是否逾期"]
    assert rows[int(corrected)]["补正期限（工作日）"] == 15
    appeals = wb["复议诉讼"]
    head = [c.value for c in appeals[2]]
    first = dict(zip(head, next(appeals.iter_rows(min_row=3, values_only=True))))
    assert first["编号"] == int(late) and first["申请人"] == "张三" and first["救济类型"] == "行政复议"
