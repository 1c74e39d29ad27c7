"""The annual report's files: .docx and .xlsx with the format's exact labels, a standalone
HTML page rendered in headless Chromium, and the consistency check on tampered counts."""

from __future__ import annotations

import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from report_ledger import built_ledger, ledger  # noqa: F401 (fixtures)

from gongkai.core.errors import GongkaiError
from gongkai.core.law.outcomes import RESULT_ROWS
from gongkai.core.paperwork.render import docx_text
from gongkai.core.reports.annual import ROW_LABELS
from gongkai.core.reports.check import ensure_balanced, failures

CHROMIUM = Path("/usr/bin/chromium")

SECTION_LABELS = [
    "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项",
]
TABLE_LABELS = [
    *ROW_LABELS.values(), "三、本年度办理结果", *{r.group for r in RESULT_ROWS if r.group},
    "第二十条第（一）项", "本年制发件数", "本年废止件数", "现行有效件数", "规章", "行政规范性文件",
    "第二十条第（五）项", "行政许可", "本年处理决定数量", "第二十条第（六）项", "行政处罚", "行政强制",
    "第二十条第（八）项", "行政事业性收费", "本年收费金额（单位：万元）",
    "行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉",
    "结果维持", "结果纠正", "其他结果", "尚未审结", "总计",
    "申请人情况", "自然人", "法人或其他组织", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他",
]


@pytest.fixture
def narrative(tmp_path):
    folder = tmp_path / "文字材料"
    folder.mkdir()
    (folder / "一.md").write_text("本年度，本单位认真贯彻落实《条例》。", encoding="utf-8")
    (folder / "五.md").write_text("主要问题是答复文书不够规范，下一步加强培训。", encoding="utf-8")
    (folder / "六.md").write_text("无其他需要报告的事项。", encoding="utf-8")
    return folder


def test_docx_has_the_exact_labels(ledger, gk, tmp_path, narrative):
    out = tmp_path / "年报.docx"
    gk.ok("report", "annual", "--year", "2026", "--narrative", narrative, "--format", "docx", "--out", out)
    cells = set(docx_text(out).splitlines())
    missing = [label for label in [*SECTION_LABELS, *TABLE_LABELS] if label not in cells]
    assert not missing
    text = docx_text(out)
    assert "测试单位政府办公室\n2026年政府信息公开工作年度报告" in text  # the title breaks between words (issue 32 item 16)
    assert "认真贯彻落实" in text and "加强培训" in text
    assert "收取信息处理费 1200 元，涉及 2 件申请" in text
    assert "前公布" not in text  # the due date is the office's note, not the public's (issue 32 item 17)


def test_xlsx_has_the_exact_labels_and_numbers(ledger, gk, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "年报.xlsx"
    gk.ok("report", "annual", "--year", "2026", "--format", "xlsx", "--out", out)
    wb = load_workbook(out)
    assert wb.sheetnames == ["二、主动公开", "三、依申请公开", "四、复议诉讼"]
    values = {c for ws in wb for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str)}
    assert not [label for label in TABLE_LABELS if label not in values]
    # section 三: the label area is three columns (三、本年度办理结果 / （三）不予公开 / 1.…)
    three = {next(c for c in reversed(row[:3]) if c): row[3:]
             for row in wb["三、依申请公开"].iter_rows(min_row=5, values_only=True)}
    assert three["（七）总计"] == (5, 5, 4, 3, 4, 3, 24)
    assert three["1.本机关不掌握相关政府信息"] == (0, 1, 0, 1, 0, 0, 2)
    # section 四: one row of 15 cells, 行政复议 then the two kinds of 行政诉讼, each 维持/纠正/其他/未结/总计
    four = [c.value for c in wb["四、复议诉讼"][5]]
    assert four[1::5] == [2, 1, 1] and four[4::5] == [5, 6, 5]


class _Cells(HTMLParser):
    """Counts cells per table row and checks tags close in order (a well-formedness check)."""

    VOID = {"meta", "br", "hr", "img", "link", "input", "col"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.rows: list[int] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append(0)
        if tag in ("td", "th"):
            self.rows[-1] += 1
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(tag)


def test_html_is_standalone_and_well_formed(ledger, gk, tmp_path, narrative):
    out = tmp_path / "年报.html"
    gk.ok("report", "annual", "--year", "2026", "--narrative", narrative, "--format", "html", "--out", out)
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="zh-CN">' in page and '<meta charset="utf-8">' in page
    assert "<title>测试单位政府办公室2026年政府信息公开工作年度报告</title>" in page
    assert "http" not in page  # standalone: nothing fetched from elsewhere
    parser = _Cells()
    parser.feed(page)
    assert not parser.errors and not parser.stack
    # section 三 as the format draws it: 申请人情况 over seven columns, 三、本年度办理结果 down its rows;
    # section 四: one row of fifteen counts
    assert '<th colspan="7">申请人情况</th>' in page and f'rowspan="{len(RESULT_ROWS) + 1}">三、本年度办理结果' in page
    assert 15 in parser.rows
    for label in TABLE_LABELS:
        assert label in page, label


def test_html_renders_in_headless_chromium(ledger, gk, tmp_path, narrative):
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("/usr/bin/chromium is missing: CI must install Debian's chromium (apt-get install -y chromium)")
        pytest.skip("/usr/bin/chromium is not installed")
    out = tmp_path / "report.html"
    gk.ok("report", "annual", "--year", "2026", "--narrative", narrative, "--format", "html", "--out", out)
    png = tmp_path / "report.png"
    profile = tmp_path / "chromium-profile"
    subprocess.run(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={profile}", f"--screenshot={png}", "--window-size=1200,2000", out.as_uri()],
        check=True, capture_output=True, timeout=120,
    )
    data = png.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(data) > 20_000  # a blank 1200x2000 page compresses to a few KB; tables and text do not
    shutil.copy(png, Path(os.environ.get("GONGKAI_SCREENSHOT_DIR", tmp_path)) / "annual-report.png")


def test_check_names_the_tampered_column(ledger, gk):
    table = gk.json("report", "annual", "--year", "2026")["requests"]
    ensure_balanced(table)  # the real one holds
    table["new"]["commercial"] += 1
    table["new"]["total"] += 1
    with pytest.raises(GongkaiError) as err:
        ensure_balanced(table)
    message = str(err.value)
    assert "“法人或其他组织·商业企业”列：本年新收 5 + 上年结转 1 = 6，不等于 办理结果总计 5 + 结转下年度继续办理 0 = 5" in message
    assert "“总计”列：本年新收 25" in message
    assert "自然人" not in message


def test_check_catches_a_total_that_is_not_the_sum(ledger, gk):
    table = gk.json("report", "annual", "--year", "2026")["requests"]
    table["partial"]["legal_services"] -= 1
    assert failures(table) == ["“法人或其他组织·法律服务机构”列：各项办理结果之和为 3，不等于（七）总计 4"]
