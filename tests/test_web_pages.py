"""The 考核 page's scores and the ledger's 本单位编号 (the unit's own reference), over HTTP.

A 雁塔区 unit with the example rubric file (its grade bands included) and three requests left
unanswered past their due date: the 考核 page scores the year from the records as
``gongkai assess score --from-records`` does (total, each item, the grade); the ledger shows
each request's 本单位编号, finds a request by it, and filters on part of it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest

pytest.importorskip("starlette", reason="the web app's dependencies: pip install -e '.[test]'")
from conftest import Cli, write_config  # noqa: E402
from web_support import PASSWORD, signed_in, unit_environment  # noqa: E402

from gongkai.core.app import App  # noqa: E402

EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples"
TODAY = "2026-12-15"
REFS = ["雁申〔2026〕7号", "雁申〔2026〕8号", None]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def office(request, tmp_path_factory, calendar_cache):
    mp, url = unit_environment(request, calendar_cache, TODAY)
    folder = tmp_path_factory.mktemp("web-pages")
    shutil.copy(EXAMPLES / "rubric-yanta.toml", folder / "rubric-yanta.toml")
    config = write_config(folder, "yanta")
    config.write_text(config.read_text(encoding="utf-8") + '\n[assessment]\nrubric_file = "rubric-yanta.toml"\n',
                      encoding="utf-8")
    db = ["--db", url] if url else []
    result = Cli()("--config", str(config), *db, "user", "add", "clerk", "--role", "承办人", "--password-stdin",
                   input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output + result.stderr
    office = App(str(config), database_url=url)
    office.test_args = ["--config", str(config), *db]
    from gongkai.core.requests import intake

    with office.session() as session:
        for n, ref in enumerate(REFS):
            intake.receive(session, office, applicant=f"申请人{n}", applicant_type="natural_person", channel="in_person",
                           submitted=dt.date(2026, 9, 1 + n), confirmed=None, subject=f"第{n}号道路维修预算",
                           actor="clerk", ref=ref)
    yield office
    mp.undo()


@pytest.fixture(scope="module")
def clerk(office):
    from gongkai.core.web.app import create_app

    return signed_in(create_app(office), "clerk")


def cells(html: str, table_id: str) -> list[list[str]]:
    """The text of each row of the table ``table_id``."""
    table = re.search(rf'<table id="{table_id}">(.*?)</table>', html, re.S).group(1)
    return [[text(c) for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)]


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_assessment_page_scores_the_year_from_the_records(office, clerk):
    page = clerk.get("/assess?year=2026").text
    expected = json.loads(Cli()(*office.test_args, "assess", "score", "--from-records", "--year", "2026",
                                "--json").output)["units"][0]
    assert expected["total"] == 90 and expected["grade"] == "好"  # 3 late replies × 4, capped at 10
    score = text(re.search(r'<dl class="facts" id="score">(.*?)</dl>', page, re.S).group(1))
    assert "总分 90 分（满分 100 分）" in score and "等次 好" in score
    rows = {row[0]: row for row in cells(page, "score-items")[1:]}
    by_item = {c["name"]: c for c in expected["assessments"][0]["categories"]}
    assert set(rows) == set(by_item) == {"主动公开", "依申请公开", "培训"}
    for name, row in rows.items():
        assert row[5] == f"{by_item[name]['points']:g}", name  # 得分, as the CLI scores it
    assert rows["依申请公开"][3] == "10（已达上限）" and rows["依申请公开"][5] == "30"
    assert rows["依申请公开"][6].count("申请 #") == 3
    assert [r[0] for r in cells(page, "grades")[1:]] == ["好", "较好", "差"]
    assert "proactive" not in page and "late_reply" not in page  # codes stay out of the page


def test_an_unknown_assessment_kind_is_a_chinese_error(clerk):
    r = clerk.get("/assess?kind=monthly")
    assert r.status_code == 400 and "考核类型“monthly”无效" in r.text


def test_the_ledger_shows_and_finds_the_units_own_reference(office, clerk):
    table = cells(clerk.get("/ledger").text, "ledger")
    assert table[0][:2] == ["编号", "本单位编号"]
    assert {(r[0], r[1]) for r in table[1:]} == {("1", REFS[0]), ("2", REFS[1]), ("3", "")}
    found = cells(clerk.get("/ledger", params={"q": REFS[1]}).text, "ledger")[1:]  # the search box: the whole 本单位编号
    assert [r[0] for r in found] == ["2"]
    found = cells(clerk.get("/ledger", params={"ref": "〔2026〕"}).text, "ledger")[1:]  # part of it
    assert sorted(r[0] for r in found) == ["1", "2"]
    found = cells(clerk.get("/ledger", params={"ref": "7号", "overdue": "1"}).text, "ledger")[1:]
    assert [r[0] for r in found] == ["1"]
    assert REFS[0] in clerk.get("/requests/1").text
    listed = json.loads(Cli()(*office.test_args, "ledger", "--search", REFS[1], "--json").output)
    assert [r["id"] for r in listed] == [2]  # the CLI's search is the same
