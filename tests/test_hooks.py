"""One test per hook (``test_hook_<name>``, checked by test_meta_hooks.py): a throwaway
plugin implements the hook, and the registry shows its effect, overrides and conflicts."""

from __future__ import annotations

import datetime as dt
import types

import pytest

from gongkai.core.time.calendar import load_calendar
from gongkai.core.time.deadlines import compute
from gongkai.core.errors import PluginError
from gongkai.core.law.plugins import load_registry
from gongkai.core.paperwork.render import render
from gongkai.hookspecs import hookimpl
from gongkai.hookspecs.records import (
    ApplicationField,
    CalendarAdjustment,
    DeadlineRule,
    Exemption,
    ExemptionList,
    GradeBand,
    GradeScale,
    Jurisdiction,
    Outcome,
    Provision,
    ReviewChain,
    ReviewStep,
    TemplateDir,
    cite,
)

NAME = "testcounty"


def county(**hooks) -> types.ModuleType:
    module = types.ModuleType(NAME)
    module.gongkai_jurisdiction = hookimpl(lambda: Jurisdiction(name=NAME, display_name="测试县"))
    for hook, value in hooks.items():
        module.__dict__[hook] = hookimpl(lambda value=value: value)
    return module


def registry(**hooks):
    return load_registry(NAME, extra=[(NAME, county(**hooks))])


def test_hook_gongkai_jurisdiction():
    reg = registry()
    assert (reg.jurisdiction.name, reg.jurisdiction.display_name) == (NAME, "测试县")
    wrong = types.ModuleType(NAME)
    wrong.gongkai_jurisdiction = hookimpl(lambda: Jurisdiction(name="othercounty", display_name="别县"))
    with pytest.raises(PluginError, match="插件 testcounty 的钩子 gongkai_jurisdiction"):
        load_registry(NAME, extra=[(NAME, wrong)])


def test_hook_gongkai_deadline_rules():
    reply = DeadlineRule(id="request.reply", summary="15个工作日内答复", citation=cite("条例", "第三十三条"),
                         unit="working_days", amount=15)
    reg = registry(gongkai_deadline_rules=[reply])
    entry = reg.rules["request.reply"]
    assert (entry.source, entry.overrides.amount) == (NAME, 20)
    # 2026-09-24 (Thu) is day 0; Sep 25-27 and Oct 1-7 are off, Oct 10 (Sat) is worked: day 15 is Oct 22
    assert compute(reg.deadline("request.reply"), dt.date(2026, 9, 24), load_calendar()).due == dt.date(2026, 10, 22)
    assert compute(load_registry("yanta").deadline("request.reply"), dt.date(2026, 9, 24), load_calendar()).due == dt.date(2026, 10, 29)


def test_hook_gongkai_review_chains():
    chain = ReviewChain(id="request.review_chain", summary="律师审核后负责人审批", citation=cite("条例", "第三十六条"),
                        workflow="request", steps=[ReviewStep(id="draft", name="拟稿", role="承办人"),
                                                   ReviewStep(id="lawyer", name="律师审核", role="律师"),
                                                   ReviewStep(id="head", name="负责人审批", role="负责人")])
    reg = registry(gongkai_review_chains=[chain])
    assert [s.id for s in reg.review_chain("request.review_chain").steps] == ["draft", "lawyer", "head"]
    assert [s.id for s in reg.rules["request.review_chain"].overrides.steps] == ["draft"]


def test_hook_gongkai_rubrics():
    scale = GradeScale(id="assessment.grade", summary="考核等次", citation=cite("条例", "第五十一条"),
                       bands=[GradeBand(name="合格", minimum=60), GradeBand(name="不合格", below=60)])
    reg = registry(gongkai_rubrics=[scale])
    assert [reg.rule("assessment.grade", GradeScale).grade(s) for s in (59.5, 60)] == ["不合格", "合格"]


def test_hook_gongkai_exemptions():
    exemptions = ExemptionList(id="exemptions", summary="不予公开范围", citation=cite("条例", "第十四条"), items=[
        Exemption(code="state_secret", name="国家秘密", outcome="withheld.state_secret")])
    reg = registry(gongkai_exemptions=[exemptions])
    assert [e.code for e in reg.rule("exemptions", ExemptionList).items] == ["state_secret"]
    assert len(reg.rules["exemptions"].overrides.items) == 7  # the national 第十四至十六条 list


def test_hook_gongkai_provisions():
    rule = Provision(id="request.difficult_case", summary="疑难申请提交会商", citation=cite("条例", "第三十六条"))
    reg = registry(gongkai_provisions=[rule])
    assert (reg.rules["request.difficult_case"].source, reg.rules["request.difficult_case"].overrides) == (NAME, None)
    # two plugins giving one ID at the same level: a conflict naming both
    other = types.ModuleType("other")
    other.gongkai_provisions = hookimpl(lambda: [rule])
    with pytest.raises(PluginError, match="规则冲突：插件 testcounty 与插件 other 都定义了规则“request.difficult_case”"):
        load_registry(NAME, extra=[(NAME, county(gongkai_provisions=[rule])), ("other", other)])
    # overriding a national rule with another kind of record is refused
    wrong_kind = Provision(id="request.reply", summary="答复期限", citation=cite("条例", "第三十三条"))
    with pytest.raises(PluginError, match="request.reply.*类型不一致"):
        registry(gongkai_provisions=[wrong_kind])


def test_hook_gongkai_outcomes():
    local = Outcome(code="other.transferred", name="其他处理（转交办理）", report_row="other.other")
    assert registry(gongkai_outcomes=[local]).outcome("other.transferred").report_row == "other.other"
    # a plugin refines a national outcome by giving its code (it is registered after the national baseline)
    refined = Outcome(code="disclosed", name="予以公开", report_row="disclosed", template="letters/county_disclosed.md.j2")
    assert registry(gongkai_outcomes=[refined]).outcome("disclosed").template == "letters/county_disclosed.md.j2"
    bad = Outcome(code="other.transferred", name="其他处理（转交办理）", report_row="other.transferred")
    with pytest.raises(PluginError, match="插件 testcounty 的结果“other.transferred”对应的年报行"):
        registry(gongkai_outcomes=[bad])


def test_hook_gongkai_calendar_adjustments():
    typhoon = CalendarAdjustment(date="2026-08-07", workday=False, name="台风停工")
    reg = registry(gongkai_calendar_adjustments=[typhoon])
    calendar = load_calendar([], reg.calendar_adjustments)
    assert not calendar.is_workday(dt.date(2026, 8, 7))
    assert calendar.add_working_days(dt.date(2026, 8, 6), 1) == dt.date(2026, 8, 10)


def test_hook_gongkai_template_dirs(tmp_path):
    (tmp_path / "letters").mkdir()
    (tmp_path / "letters" / "local.md.j2").write_text("{{ unit }}：本县模板\n", encoding="utf-8")
    reg = registry(gongkai_template_dirs=[TemplateDir(str(tmp_path))])
    assert reg.template_dirs[0] == tmp_path  # plugin directories come before core's
    assert render(reg.template_dirs, "letters/local.md.j2", {"unit": "测试县政府办"}) == "测试县政府办：本县模板\n"


def test_hook_gongkai_application_fields():
    purpose = ApplicationField(name="purpose", label="申请用途", required=True, citation=cite("测试县办法", "第八条"))
    reg = registry(gongkai_application_fields=[purpose])
    assert reg.application_fields == [purpose]
    assert load_registry("changning").application_fields == []  # core and the built-in plugins add none
    with pytest.raises(PluginError, match="subject.*申请表自有字段"):
        registry(gongkai_application_fields=[ApplicationField(name="subject", label="内容")])
    with pytest.raises(ValueError):
        ApplicationField(name="lang", label="文字", kind="choice")  # a choice without its choices
    with pytest.raises(ValueError):
        ApplicationField(name="Bad-Name", label="坏")
