"""Findings files (TOML, CSV) and TOML rubric files, with their errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongkai.core.assessment.findings import load_all, load_findings
from gongkai.core.assessment.rubric import load_scoring, rubric_from_toml
from gongkai.core.errors import GongkaiError
from gongkai.core.law.plugins import load_registry

EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples"


@pytest.fixture(scope="module")
def rubric():
    return load_scoring(load_registry("xixian")).rubric


def write(name: str, text: str) -> Path:
    path = Path(name)
    path.write_text(text, encoding="utf-8")
    return path


def test_documented_examples_load(rubric):
    [toml] = load_findings(EXAMPLES / "findings-xixian.toml", rubric)
    assert (toml.unit, toml.year, toml.kind) == ("沣东新城管理委员会", 2026, "year_end")
    counts = {(f.category, f.finding): f.count for f in toml.items}
    assert counts[("request", "late_or_overturned")] == 1
    assert counts[("platform", "column_not_updated")] == 3
    csv_sets = load_findings(EXAMPLES / "findings-xixian-peer.csv", rubric)
    assert [(f.unit, f.kind) for f in csv_sets] == [("沣东新城管理委员会", "peer"), ("秦汉新城管理委员会", "peer")]
    assert csv_sets[1].not_carried == {"participation"}


def test_csv_total_and_bom(rubric):
    path = write("t.csv", "\ufeffunit,year,kind,category,finding,value\n甲,2026,self,total,,91.5\n")
    [f] = load_findings(path, rubric)
    assert f.total == 91.5 and f.kind == "self"


BAD_TOML = [
    ('unit = "甲"\nyear = 2026\nkind = "final"\n', "kind = 'final' 无效"),
    ('unit = "甲"\nyear = 26\nkind = "self"\n', "year = 26 无效"),
    ('year = 2026\nkind = "self"\n', "缺少 unit"),
    ('unit = "甲"\nyear = 2026\nkind = "self"\n[findings]\nplatfrom = 1\n', "没有评分项目“platfrom”"),
    ('unit = "甲"\nyear = 2026\nkind = "self"\n[findings]\nrequest = 1\n', "有多种情形（no_ledger、late_or_overturned）"),
    ('unit = "甲"\nyear = 2026\nkind = "self"\n[findings]\nrequest = { late = 1 }\n', "没有情形“late”"),
    ('unit = "甲"\nyear = 2026\nkind = "self"\n[findings]\nplatform = -1\n', "次数应为不小于0的整数"),
    ('unit = "甲"\nyear = 2026\nkind = "self"\n[findings]\nplatform = 1.5\n', "次数应为不小于0的整数"),
    ('unit = "甲"\nyear = 2026\nkind = "self"\n[findings]\nplatform = { points = 2 }\n', "按次数计分，不能直接给分"),
    ('unit = "甲"\nyear = 2026\nkind = "self"\n[findings]\ninnovation = 2\n', "按情况定分"),
    # issue 20 item 6: TOML's inf and nan, and absurd values, are refused
    ('unit = "甲"\nyear = 2026\nkind = "self"\n[findings]\ninnovation = { points = inf }\n', "points = inf 无效"),
    ('unit = "甲"\nyear = 2026\nkind = "self"\n[findings]\ninnovation = { points = nan }\n', "points = nan 无效"),
    ('unit = "甲"\nyear = 2026\nkind = "self"\n[findings]\ninnovation = { points = 1e300 }\n', "points = 1e\\+300 无效"),
    ('unit = "甲"\nyear = 2026\nkind = "self"\n[findings]\nplatform = 99999999999\n', "至多 100,000"),
    ('unit = "甲"\nyear = 2026\nkind = "self"\ntotal = nan\n', "应为 0 到 100 之间"),
    ('unit = "甲"\nyear = 1900\nkind = "self"\n', "1990 至 2100"),
    (
        'unit = "甲"\nyear = 2026\nkind = "self"\nnot_carried = ["platform"]\n[findings]\nplatform = 1\n',
        "既列为不承担",
    ),
    ('unit = "甲"\nyear = 2026\nkind = "self"\ntotal = 90\n[findings]\nplatform = 1\n', "已直接填写 total"),
    ('unit = "甲"\nyear = 2026\nkind = "self"\ntotal = 101\n', "应为 0 到 100 之间"),
    ('unit = "甲"\nyear = 2026\nkind = "self"\ncomment = 1\n', "不认识的字段 comment"),
    ('unit = "甲"\nyear = 2026\nkind = \n', "格式错误"),
]


@pytest.mark.parametrize(("text", "message"), BAD_TOML)
def test_bad_findings_files_are_named_and_explained(rubric, text, message):
    path = write("bad.toml", text)
    with pytest.raises(GongkaiError, match=message.replace("(", r"\(").replace(")", r"\)")) as info:
        load_findings(path, rubric)
    assert "bad.toml" in str(info.value)


def test_csv_errors_name_the_line(rubric):
    path = write("bad.csv", "unit,year,kind,category,finding,value\n甲,2026,self,platform,,1\n甲,2026,self,platform,,x\n")
    with pytest.raises(GongkaiError, match="第3行.*不是数字"):
        load_findings(path, rubric)
    path = write("cols.csv", "unit,year,category\n")
    with pytest.raises(GongkaiError, match="缺少列 kind、finding、value"):
        load_findings(path, rubric)


def test_same_assessment_in_two_files_is_refused(rubric):
    a = write("a.toml", 'unit = "甲"\nyear = 2026\nkind = "self"\n')
    b = write("b.csv", "unit,year,kind,category,finding,value\n甲,2026,self,platform,,1\n")
    with pytest.raises(GongkaiError, match="出现在两个文件中"):
        load_all([a, b], rubric)


def test_findings_without_a_rubric_need_a_total():
    path = write("w.toml", 'unit = "甲"\nyear = 2026\nkind = "year_end"\n[findings]\nplatform = 1\n')
    with pytest.raises(GongkaiError, match="没有评分细则.*total"):
        load_findings(path, None)


YANTA_RUBRIC = (EXAMPLES / "rubric-yanta.toml").read_text(encoding="utf-8")


def test_toml_rubric_builds_the_plugin_records():
    path = write("rubric.toml", YANTA_RUBRIC)
    parts = rubric_from_toml(path)
    rubric = parts["rubric"]
    assert [c.id for c in rubric.categories] == ["proactive", "request", "training"]
    assert rubric.categories[1].units[0].records == ("request.late_reply",)
    assert parts["grade"].grade(90) == "好" and parts["composite"] is None


BAD_RUBRICS = [
    (YANTA_RUBRIC.replace('kind = "activity"', 'kind = "extra"'), "第30行 第3个 \\[\\[category\\]\\]（training）：kind = 'extra' 无效"),
    (YANTA_RUBRIC.replace("cap = 10", "cap = -4"), "第18行 .*（request）：cap = -4 无效"),
    (YANTA_RUBRIC.replace("cap = 10", "cap = inf"), "cap = inf 无效"),
    (YANTA_RUBRIC.replace("cap = 10", "cap = nan"), "cap = nan 无效"),
    (YANTA_RUBRIC.replace("points = 4", 'points = "四"'), "第18行 .*的第1个 unit：points = '四' 无效"),
    (YANTA_RUBRIC.replace('id = "training"', 'id = "Training"'), "第30行 .*id = 'Training' 无效"),
    (YANTA_RUBRIC.replace('"request.late_reply"', '"request.late"'), "records = \\['request.late'\\] 无效"),
    (YANTA_RUBRIC.replace('id = "training"', 'id = "request"'), "项目 id 重复：request"),
    ("total = 100\n", "没有评分项目"),
    (YANTA_RUBRIC + '\n[composite]\nweights = { self = 0.5, year_end = 0.4 }\n', "weights 之和为 0.9"),
]


@pytest.mark.parametrize(("text", "message"), BAD_RUBRICS)
def test_bad_rubric_files_name_line_and_field(text, message):
    path = write("rubric.toml", text)
    with pytest.raises(GongkaiError, match=message):
        rubric_from_toml(path)
