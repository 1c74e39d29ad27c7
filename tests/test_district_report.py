"""The district's (本级政府) annual report: units' sections 三 and 四 summed, the 勾稽 check on
each unit and on the sum, and the per-unit appendix in every output format.

The units' figures come from real databases: copies of the two-year ledger (report_ledger.py),
one of them with a request answered in 2025 removed, so the units differ."""

from __future__ import annotations

import shutil

import pytest
from report_ledger import built_ledger  # noqa: F401 (fixture)
from sqlalchemy import text

from gongkai.core.errors import GongkaiError
from gongkai.core.law.plugins import load_registry
from gongkai.core.paperwork.render import docx_text
from gongkai.core.reports.annual import appeal_table, fees_collected, request_table
from gongkai.core.reports.district import APPENDIX_COLUMNS, combine, unit_row
from gongkai.core.reports.output import write
from gongkai.core.records.storage import make_engine, session_scope

BASE = {"title": "某区2026年政府信息公开工作年度报告", "check": {"ok": True}}


def figures(path, registry, code, name):
    engine = make_engine(f"sqlite:///{path}")
    with session_scope(engine) as session:
        found = {"code": code, "name": name, "requests": request_table(session, registry, 2026),
                 "appeals": appeal_table(session, 2026), "fees_collected": fees_collected(session, 2026)}
    engine.dispose()
    return found


@pytest.fixture
def unit_databases(built_ledger, tmp_path):  # noqa: F811
    first, second = tmp_path / "fgj.db", tmp_path / "jdj.db"
    shutil.copy(built_ledger / "gongkai.db", first)
    shutil.copy(built_ledger / "gongkai.db", second)
    engine = make_engine(f"sqlite:///{second}")
    with engine.begin() as connection:  # 街道: the request carried over and answered 2026-01-20 is a 2027 one
        connection.execute(text("UPDATE disclosure_request SET submitted = '2027-01-02', received = '2027-01-02', "
                                "replied_on = '2027-01-20' WHERE received = '2025-12-22'"))
    engine.dispose()
    return first, second


def test_sections_three_and_four_are_the_sum_and_the_appendix_has_a_row_per_unit(unit_databases):
    registry = load_registry("changning")
    units = [figures(unit_databases[0], registry, "fgj", "区发改委"), figures(unit_databases[1], registry, "jdj", "某街道")]
    report = combine(dict(BASE), units)
    a, b = units
    for row, cells in report["requests"].items():
        assert cells == {c: a["requests"][row][c] + b["requests"][row][c] for c in cells}
    assert report["appeals"]["reconsideration"]["corrected"] == 2 * a["appeals"]["reconsideration"]["corrected"]
    assert report["fees_collected"]["amount_yuan"] == 2 * a["fees_collected"]["amount_yuan"] == 2400
    first, second = report["units"]
    assert first == {"code": "fgj", "name": "区发改委", **unit_row(a["requests"], a["appeals"])}
    # the ledger's 2026 (report_ledger.py): 24 new, 24 answered, 4 carried forward; 5 复议, 11 诉讼, 4 纠正
    assert {k: first[k] for k in APPENDIX_COLUMNS} == {
        "new": 24, "answered": 24, "carried_forward": 4, "reconsideration": 5, "lawsuit": 11, "corrected": 4}
    assert second["carried_forward"] == first["carried_forward"] and second["answered"] == first["answered"] - 1
    assert report["units_total"] == {k: first[k] + second[k] for k in APPENDIX_COLUMNS}


def test_a_unit_that_breaks_the_check_is_named(unit_databases):
    registry = load_registry("changning")
    engine = make_engine(f"sqlite:///{unit_databases[1]}")
    with engine.begin() as connection:  # a bad import: answered before it was received
        connection.execute(text("UPDATE disclosure_request SET replied_on = '2025-11-30' WHERE received = '2026-12-21'"))
    engine.dispose()
    units = [figures(unit_databases[0], registry, "fgj", "区发改委"), figures(unit_databases[1], registry, "jdj", "某街道")]
    with pytest.raises(GongkaiError) as refused:
        combine(dict(BASE), units)
    message = str(refused.value)
    assert "某街道：“自然人”列" in message and "区发改委：" not in message
    assert "全区合计：“自然人”列" in message


def test_no_units_is_refused():
    with pytest.raises(GongkaiError, match="unit add"):
        combine(dict(BASE), [])


def test_the_appendix_is_in_every_format(unit_databases, tmp_path):
    from openpyxl import load_workbook

    from gongkai.core.reports import annual

    registry = load_registry("changning")
    engine = make_engine(f"sqlite:///{unit_databases[0]}")
    with session_scope(engine) as session:
        own = {"year": 2026, "unit": "某区人民政府", "title": BASE["title"], "check": {"ok": True},
               "proactive": annual.proactive_table(session, 2026), "narrative": annual.read_narrative(None),
               "due": {"date": "2027-02-28", "citation": "实施办法 第五十二条"}, "date": "2027-02-20"}
    engine.dispose()
    units = [figures(unit_databases[0], registry, "fgj", "区发改委"), figures(unit_databases[1], registry, "jdj", "某街道")]
    report = combine(own, units)
    heading = "附表：各单位政府信息公开申请办理及行政复议、行政诉讼情况"
    for fmt in ("html", "docx", "xlsx"):
        out = write(registry.template_dirs, report, fmt, tmp_path / f"区年报.{fmt}")
        if fmt == "xlsx":
            sheet = load_workbook(out)["附表、各单位情况"]
            rows = list(sheet.iter_rows(values_only=True))
            assert rows[0][0].endswith(heading)
            assert rows[1] == ("单位", *APPENDIX_COLUMNS.values())
            assert rows[2] == ("区发改委", 24, 24, 4, 5, 11, 4)
            assert rows[4] == ("合计", 48, 47, 8, 10, 22, 8)
            continue
        body = docx_text(out) if fmt == "docx" else out.read_text(encoding="utf-8")
        assert heading in body and "某街道" in body and "结转下年度继续办理" in body
        assert "复议、诉讼结果纠正" in body and "合计" in body
