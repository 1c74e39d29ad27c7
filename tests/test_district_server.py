"""A whole district on one server, end to end through the CLI, on SQLite and on PostgreSQL:
the government-level report (units summed, 勾稽 per unit, appendix), every unit's own report
at once, and the assessment ranked from every unit's records."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from district_helpers import APPEAL_HEADERS, APPENDIX_2025, REQUEST_HEADERS, TOTAL_2025, UNITS, make_district, write_csv
from sqlalchemy import text

from gongkai.core.paperwork.render import docx_text
from gongkai.core.reports.district import APPENDIX_COLUMNS, APPENDIX_TITLE
from gongkai.core.records.storage import make_engine


@pytest.fixture
def district(gk, backend, tmp_path):
    make_district(gk, tmp_path, "changning", backend.url)
    gk.ok("--unit", "zf", "document", "decisions", "--year", "2025", "--licensing", "12")
    gk.ok("--unit", "fgj", "document", "decisions", "--year", "2025", "--licensing", "300")
    return backend


def figures(row):
    return tuple(row[k] for k in APPENDIX_COLUMNS)


def test_the_government_report_sums_every_unit_and_lists_them(district, gk):
    data = gk.json("report", "annual", "--government", "--year", "2025")
    assert data["due"]["date"] == "2026-02-28" and "第五十二条" in data["due"]["citation"]  # 长宁区 实施办法
    assert [u["code"] for u in data["units"]] == list(UNITS)  # the government's office, departments, streets
    assert {u["code"]: figures(u) for u in data["units"]} == APPENDIX_2025
    assert figures(data["units_total"]) == TOTAL_2025
    own = {code: gk.json("--unit", code, "report", "annual", "--year", "2025") for code in UNITS}
    for section in ("requests", "appeals"):
        for row, cells in data[section].items():
            assert cells == {c: sum(own[u][section][row][c] for u in UNITS) for c in cells}, (section, row)
    assert data["proactive"] == own["zf"]["proactive"]  # section 二: the government's own documents
    assert data["proactive"]["licensing"]["decisions"] == 12
    assert data["title"] == "上海市长宁区人民政府办公室2025年政府信息公开工作年度报告"
    for u in data["units"]:  # each unit's chain head the figures were read at
        assert u["audit_head"] == gk.json("--unit", u["code"], "audit", "head")["head"] == own[u["code"]]["audit_head"]["head"]
    text_out = gk.ok("report", "annual", "--government", "--year", "2025").stdout
    assert "3 个单位逐一校验" in text_out and APPENDIX_TITLE in text_out and "上海市长宁区新华路街道办事处" in text_out


def test_the_appendix_is_in_the_word_and_excel_files(district, gk, tmp_path):
    from openpyxl import load_workbook

    gk.ok("report", "annual", "--government", "--year", "2025", "--format", "docx", "--out", tmp_path / "区.docx")
    body = docx_text(tmp_path / "区.docx")
    assert APPENDIX_TITLE in body and "上海市长宁区发展和改革委员会" in body and "前公布" not in body
    gk.ok("report", "annual", "--government", "--year", "2025", "--format", "xlsx", "--out", tmp_path / "区.xlsx")
    rows = list(load_workbook(tmp_path / "区.xlsx")["附表、各单位情况"].iter_rows(values_only=True))
    assert rows[2:] == [(UNITS[c][0], *APPENDIX_2025[c]) for c in UNITS] + [("合计", *TOTAL_2025)]


def test_a_unit_failing_the_check_is_named_and_nothing_is_written(district, gk, tmp_path):
    engine = make_engine(district.url)
    with engine.begin() as connection:  # a bad row written behind gongkai's back in the street's records
        connection.execute(text("UPDATE disclosure_request SET replied_on = '2024-12-01' WHERE ref = '新2' "
                                "AND unit_id = (SELECT id FROM unit WHERE code = 'xhj')"))
    engine.dispose()
    out = tmp_path / "区.html"
    refused = gk.fails("report", "annual", "--government", "--year", "2025", "--format", "html", "--out", out)
    assert "上海市长宁区新华路街道办事处：“自然人”列" in refused.stderr and "全区合计" in refused.stderr
    assert "发展和改革委员会：" not in refused.stderr and not out.exists()
    # every unit's own report: the others are written, the street is named
    result = gk.fails("report", "annual", "--all-units", "--year", "2025", "--out", tmp_path / "各单位")
    assert sorted(p.name for p in (tmp_path / "各单位").iterdir()) == ["fgj-2025.html", "zf-2025.html"]
    assert "1 个单位的报告未生成" in result.stderr and "（xhj）" in result.stderr


def test_every_units_own_report_at_once(district, gk, tmp_path):
    narrative = tmp_path / "文字材料" / "fgj"
    narrative.mkdir(parents=True)
    (narrative / "一.md").write_text("发改委本年度依法办理政府信息公开申请。", encoding="utf-8")
    data = gk.json("report", "annual", "--all-units", "--year", "2025", "--out", tmp_path / "年报",
                   "--format", "docx", "--narrative", tmp_path / "文字材料")
    assert [w["code"] for w in data["written"]] == list(UNITS) and data["refused"] == []
    due = {w["code"]: w["due"] for w in data["written"]}
    assert due == {"zf": "2026-02-28", "fgj": "2026-01-31", "xhj": "2026-01-31"}  # 第五十二条: 政府 / 部门、街镇
    text_fgj = docx_text(tmp_path / "年报" / "fgj-2025.docx")
    assert "上海市长宁区发展和改革委员会\n2025年政府信息公开工作年度报告" in text_fgj and "依法办理" in text_fgj
    assert APPENDIX_TITLE not in text_fgj  # a unit's own report has no appendix
    gk.fails("report", "annual", "--all-units", "--year", "2025")  # where to?
    gk.fails("report", "annual", "--all-units", "--government", "--year", "2025", "--out", tmp_path / "x")
    gk.ok("unit", "edit", "zf", "--level", "department")  # no government unit left to sign the district's report
    refused = gk.fails("report", "annual", "--government", "--year", "2025")
    assert "没有这样的单位" in refused.stderr and "--level 人民政府" in refused.stderr


def test_assessment_ranks_every_unit_from_its_records(gk, backend, tmp_path):
    from openpyxl import load_workbook

    make_district(gk, tmp_path, "xixian", backend.url)
    # the street's own findings file names it by code: one missing ledger (0.5)
    (tmp_path / "xhj.toml").write_text('unit = "xhj"\nyear = 2025\nkind = "year_end"\n[findings]\nrequest = { no_ledger = 1 }\n',
                                       encoding="utf-8")
    data = gk.json("assess", "score", "xhj.toml", "--from-records", "--all-units", "--as-of", "2025-12-31",
                   "--xlsx", "排名.xlsx", "--ranking", "排名.html")
    totals = {u["unit"]: u["total"] for u in data["units"]}
    # 发改委: 发2 late and 发3 overturned, two cases x 2 = 4 (西咸新区 附件1 依申请公开)
    assert totals == {"上海市长宁区人民政府办公室": 83.0, "上海市长宁区发展和改革委员会": 79.0,
                      "上海市长宁区新华路街道办事处": 82.5}
    rows = list(load_workbook("排名.xlsx")["排名"].iter_rows(values_only=True))
    assert [r[:2] for r in rows[1:]] == [(1, "上海市长宁区人民政府办公室"), (2, "上海市长宁区新华路街道办事处"),
                                         (3, "上海市长宁区发展和改革委员会")]
    page = Path("排名.html").read_text(encoding="utf-8")
    assert page.index("人民政府办公室") < page.index("新华路街道") < page.index("发展和改革委员会")
    gk.fails("assess", "score", "--all-units", "--year", "2025")  # --all-units counts records


def test_assessment_of_a_total_graded_jurisdiction(gk, backend, tmp_path):
    make_district(gk, tmp_path, "wuyuan", backend.url)
    (tmp_path / "rubric.toml").write_text("""summary = "五原县政务公开和政务服务工作考核评分标准"
citation = "五原县政务公开考核制度 第六条"
total = 100
[[category]]
id = "request"
name = "依申请公开"
kind = "deduction"
cap = 10
  [[category.unit]]
  id = "late_or_overturned"
  name = "逾期答复或被纠正"
  points = 3
  records = ["request.late_reply", "request.overturned"]
[[category]]
id = "other"
name = "其他工作"
kind = "deduction"
cap = 90
""", encoding="utf-8")
    config = tmp_path / "gongkai.toml"
    config.write_text(config.read_text(encoding="utf-8") + '\n[assessment]\nrubric_file = "rubric.toml"\n', encoding="utf-8")
    data = gk.json("assess", "score", "--from-records", "--all-units", "--year", "2025", "--as-of", "2025-12-31")
    graded = {u["unit"]: (u["total"], u["grade"]) for u in data["units"]}  # 五原县 考核制度 第七条's bands
    assert graded == {"上海市长宁区人民政府办公室": (100.0, "优秀"), "上海市长宁区发展和改革委员会": (94.0, "良好"),
                      "上海市长宁区新华路街道办事处": (100.0, "优秀")}


README = Path(__file__).resolve().parent.parent / "README.md"


def readme_commands() -> list[list[str]]:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## A whole district on one server"):]
    block = re.search(r"```bash\n(.*?)```", section, re.S).group(1)
    return [shlex.split(line)[1:] for line in block.splitlines() if line.startswith("gongkai ")]


def test_the_readme_district_commands_work_as_shown(gk, backend, tmp_path, monkeypatch):
    monkeypatch.delenv("GONGKAI_DATABASE_URL")  # the folders' gongkai.toml say where their databases are
    fgj, office = tmp_path / "fgj", tmp_path / "office"
    fgj.mkdir()
    office.mkdir()
    monkeypatch.chdir(fgj)  # the department's own folder and SQLite database, before moving in
    name, _, _, requests, appeals = UNITS["fgj"]
    gk.ok("init", "--jurisdiction", "changning", "--unit", name)
    gk.ok("request", "import", write_csv(fgj / "台账.csv", REQUEST_HEADERS, requests))
    gk.ok("appeal", "import", write_csv(fgj / "复议诉讼.csv", APPEAL_HEADERS, appeals))
    monkeypatch.chdir(office)
    write_csv(office / "新华路街道2025台账.csv", REQUEST_HEADERS, UNITS["xhj"][3])
    commands = readme_commands()
    assert [c[:2] for c in commands] == [["init", "--jurisdiction"], ["unit", "add"], ["unit", "add"], ["unit", "add"],
                                         ["unit", "import-db"], ["--unit", "xhj"], ["report", "annual"],
                                         ["report", "annual"]]
    for command in commands:
        gk.ok(*(backend.url if a.startswith("postgresql://") else a for a in command))
    data = gk.json("report", "annual", "--government", "--year", "2025")
    assert {u["code"]: figures(u) for u in data["units"]} == {
        "zf": (0, 0, 0, 0, 0, 0), "fgj": APPENDIX_2025["fgj"], "xhj": (2, 2, 0, 0, 0, 0)}
    assert APPENDIX_TITLE in docx_text(office / "长宁区2025年报.docx")
    assert sorted(p.name for p in (office / "各单位年报").iterdir()) == ["fgj-2025.html", "xhj-2025.html", "zf-2025.html"]
