"""Every cell a writer makes from data is text, titles included (issue 33 item 7): a unit named
``=HYPERLINK(...)`` puts no formula in the ledger, report, register or ranking workbooks."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
from report_ledger import ledger  # noqa: F401 (fixture)
from requests_helpers import new_request

NAME = '=HYPERLINK("http://x","点我")'


def formulas(path: Path) -> list[str]:
    """The sheets of ``path`` that hold a formula (an <f> element)."""
    with zipfile.ZipFile(path) as z:
        return [n for n in z.namelist() if n.startswith("xl/worksheets/") and b"<f>" in z.read(n)]


def named_unit(folder: Path, jurisdiction: str) -> None:
    (folder / "gongkai.toml").write_text(
        f'jurisdiction = "{jurisdiction}"\nunit = \'{NAME}\'\nreconsideration_body = "测试区人民政府"\n'
        'database_url = "sqlite:///gongkai.db"\n', encoding="utf-8")


def test_ledger_report_and_register_titles_are_text(gk, tmp_path):
    named_unit(tmp_path, "changning")
    new_request(gk, channel="in_person", submitted="2026-03-02", subject="预算")
    gk.ok("ledger", "--xlsx", "台账.xlsx", "--as-of", "2026-03-10")
    gk.ok("report", "annual", "--year", "2026", "--format", "xlsx", "--out", "年报.xlsx")
    gk.ok("document", "register", "--xlsx", "目录.xlsx")
    for name in ("台账.xlsx", "年报.xlsx", "目录.xlsx"):
        assert formulas(tmp_path / name) == [], name
        title = openpyxl.load_workbook(tmp_path / name).active["A1"]
        assert title.value.startswith(NAME) and title.data_type == "s", name


def test_the_ranking_names_units_as_text(unit, gk, tmp_path):
    unit("xixian")
    (tmp_path / "a.toml").write_text(f"unit = '{NAME}'\nyear = 2026\nkind = \"year_end\"\n[findings]\nplatform = 1\n",
                                     encoding="utf-8")
    gk.ok("assess", "score", "a.toml", "--xlsx", "rank.xlsx")
    assert formulas(tmp_path / "rank.xlsx") == []
    sheet = openpyxl.load_workbook(tmp_path / "rank.xlsx")["排名"]
    assert sheet["B2"].value == NAME and sheet["B2"].data_type == "s"
