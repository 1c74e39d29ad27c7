"""The conformance suite: the four built-in jurisdictions pass it, and each check catches
the mistake it exists for, naming the plugin and the rule or hook."""

from __future__ import annotations

import types

import pytest

from gongkai.hookspecs import hookimpl
from gongkai.hookspecs.records import (
    CalendarAdjustment,
    CompositeScheme,
    DeadlineRule,
    FindingUnit,
    GradeBand,
    GradeScale,
    Jurisdiction,
    ReviewChain,
    ReviewStep,
    Rubric,
    RubricCategory,
    SourceDocument,
    cite,
)
from gongkai.testing import ConformanceSuite, checks

BUILTIN = ["xixian", "yanta", "changning", "wuyuan"]

pytest_plugins = ["pytester"]


@pytest.mark.parametrize("plugin_name", BUILTIN)
class TestBuiltinConformance(ConformanceSuite):
    __test__ = True


# --------------------------------------------------------------------------- a throwaway plugin

NAME = "testcounty"
SOURCE = SourceDocument(key="办法", title="测试县政务公开工作办法")


def county(**hooks) -> types.ModuleType:
    """An in-process jurisdiction plugin whose hooks return the given values."""
    module = types.ModuleType(NAME)

    def jurisdiction():
        return Jurisdiction(name=NAME, display_name="测试县", sources=[SOURCE])

    module.gongkai_jurisdiction = hookimpl(jurisdiction)
    for hook, value in hooks.items():
        module.__dict__[f"gongkai_{hook}"] = hookimpl(lambda value=value: value)
    return module


def check(name: str, plugin: types.ModuleType) -> list[str]:
    return checks.CHECKS[name](checks.Conformance(NAME, extra=[(NAME, plugin)]))


def deadline(rule_id="mailbox.reply", summary="领导信箱来信5个工作日内答复", article="第二十五条", document="办法"):
    return DeadlineRule(id=rule_id, summary=summary, citation=cite(document, article), unit="working_days", amount=5)


def test_a_correct_plugin_has_no_problems():
    plugin = county(deadline_rules=[deadline(), deadline("request.reply", "申请15个工作日内答复", "第十八条")])
    assert checks.problems(NAME, extra=[(NAME, plugin)]) == {name: [] for name in checks.CHECKS}


# --------------------------------------------------------------------------- hooks


def test_a_hook_returning_the_wrong_type_is_named():
    problems = check("hooks", county(deadline_rules=[{"id": "mailbox.reply"}]))
    assert any("testcounty" in p and "gongkai_deadline_rules" in p and "dict" in p for p in problems), problems


def test_a_hook_that_raises_is_named():
    plugin = county()

    @hookimpl
    def gongkai_provisions():
        raise KeyError("missing")

    plugin.gongkai_provisions = gongkai_provisions
    problems = check("hooks", plugin)
    assert any("testcounty" in p and "gongkai_provisions" in p and "KeyError" in p for p in problems), problems


def test_a_hook_function_without_hookimpl_or_misspelt_is_reported():
    plugin = county()
    plugin.gongkai_deadline_rules = lambda: [deadline()]  # no @hookimpl: never called
    plugin.gongkai_dedline_rules = lambda: [deadline()]  # misspelt and not marked: silently ignored
    problems = check("hooks", plugin)
    assert any("gongkai_deadline_rules" in p and "@hookimpl" in p for p in problems), problems
    assert any("gongkai_dedline_rules" in p and "拼写" in p for p in problems), problems


def test_a_missing_template_dir_is_reported(tmp_path):
    from gongkai.hookspecs.records import TemplateDir

    problems = check("hooks", county(template_dirs=[TemplateDir(str(tmp_path / "nowhere"))]))
    assert any("gongkai_template_dirs" in p and "nowhere" in p for p in problems), problems


# --------------------------------------------------------------------------- citations and IDs


def test_a_citation_of_an_undeclared_document_is_reported():
    problems = check("citations", county(deadline_rules=[deadline(document="某某通知")]))
    assert problems == [p for p in problems if "mailbox.reply" in p and "某某通知" in p] and problems


def test_a_citation_without_an_article_or_with_a_placeholder_is_reported():
    assert any("条款" in p for p in check("citations", county(deadline_rules=[deadline(article="")])))
    assert any("占位" in p for p in check("citations", county(deadline_rules=[deadline(article="第X条")])))


def test_the_national_law_may_be_cited():
    assert check("citations", county(deadline_rules=[deadline(document="条例", article="第三十三条")])) == []


def test_a_new_rule_must_be_documented():
    assert any("mailbox.reply" in p and "说明" in p for p in check("rule_ids", county(deadline_rules=[deadline(summary="见办法")])))
    assert any("占位" in p for p in check("rule_ids", county(deadline_rules=[deadline(summary="TODO 填写领导信箱时限")])))


def test_a_rule_given_twice_by_one_plugin_is_reported():
    problems = check("rule_ids", county(deadline_rules=[deadline(), deadline()]))
    assert any("重复" in p and "mailbox.reply" in p for p in problems), problems


# --------------------------------------------------------------------------- review chains


def chain(*steps, rule_id="request.review_chain", workflow="request"):
    return ReviewChain(id=rule_id, summary="答复前律师审核、负责人审批", citation=cite("办法", "第十八条"),
                       workflow=workflow, steps=steps)


DRAFT = ReviewStep(id="draft", name="承办人拟稿", role="承办人")
LAWYER = ReviewStep(id="lawyer", name="律师审核", role="律师")
HEAD = ReviewStep(id="head", name="主要负责人审批", role="主要负责人", approval=True)  # the text names its approver


def test_a_chain_ending_in_an_approval_is_well_formed():
    filing = ReviewStep(id="filing", name="备案", role="政务公开办", stage="after")
    assert check("review_chains", county(review_chains=[chain(DRAFT, LAWYER, HEAD, filing)])) == []


def test_a_chain_whose_last_decision_is_not_an_approval_is_reported():
    problems = check("review_chains", county(review_chains=[chain(DRAFT, HEAD, LAWYER)]))
    assert any("request.review_chain" in p and "律师审核" in p for p in problems), problems


def test_an_outcome_specific_review_after_the_approval_is_reported():
    secrecy = ReviewStep(id="secrecy", name="保密审查", role="保密员", outcomes=["withheld"])
    problems = check("review_chains", county(review_chains=[chain(DRAFT, HEAD, secrecy)]))
    assert any("withheld." in p and "保密审查" in p for p in problems), problems


def test_review_steps_must_reference_known_deadlines_outcomes_and_opinions():
    odd = ReviewStep(id="odd", name="报送审核", role="办公室", deadline="request.nowhere", outcomes=["refused"],
                     opinions=["同意"], escalate_on="需报审")
    problems = check("review_chains", county(review_chains=[chain(DRAFT, odd, HEAD)]))
    assert any("request.nowhere" in p for p in problems)
    assert any("refused" in p for p in problems)
    assert any("需报审" in p for p in problems)


def test_an_after_step_before_a_before_step_is_reported():
    filing = ReviewStep(id="filing", name="备案", role="政务公开办", stage="after")
    assert any("after" in p for p in check("review_chains", county(review_chains=[chain(DRAFT, filing, HEAD)])))


# --------------------------------------------------------------------------- rubrics


def rubric(*categories):
    return Rubric(id="assessment.rubric", summary="考核评分细则", citation=cite("办法", "附件1"), categories=categories)


def test_a_cap_below_the_points_of_one_finding_is_reported():
    cat = RubricCategory(id="request", name="依申请公开", kind="deduction", cap=1,
                         units=[FindingUnit(id="late", name="逾期答复", points=2)])
    problems = check("rubrics", county(rubrics=[rubric(cat)]))
    assert any("request" in p and "late" in p and "上限" in p for p in problems), problems


def test_deduction_caps_beyond_the_total_are_reported():
    cats = [RubricCategory(id=f"c{i}", name=f"类别{i}", kind="deduction", cap=60) for i in range(2)]
    assert any("120" in p for p in check("rubrics", county(rubrics=[rubric(*cats)])))


def grades(*bands):
    return GradeScale(id="assessment.grade", summary="考核等次", citation=cite("办法", "第七条"), bands=bands)


def test_grade_bands_must_cover_the_range_without_gaps_or_overlaps():
    good = grades(GradeBand(name="优秀", minimum=90), GradeBand(name="合格", minimum=60, below=90),
                  GradeBand(name="不合格", below=60))
    assert check("rubrics", county(rubrics=[good])) == []
    gap = grades(GradeBand(name="优秀", minimum=90), GradeBand(name="合格", minimum=60, below=85),
                 GradeBand(name="不合格", below=60))
    assert any("合格" in p and "空档" in p for p in check("rubrics", county(rubrics=[gap])))
    floor = grades(GradeBand(name="优秀", minimum=90), GradeBand(name="合格", minimum=60, below=90))
    assert any("60" in p for p in check("rubrics", county(rubrics=[floor])))


def test_composite_weights_are_each_positive():
    scheme = CompositeScheme(id="assessment.composite", summary="综合评分", citation=cite("办法", "附件1"),
                             weights={"self": 1.2, "peer": -0.2})
    problems = check("rubrics", county(rubrics=[scheme]))
    assert any("peer" in p for p in problems) and any("self" in p for p in problems)


# --------------------------------------------------------------------------- calendar


def test_calendar_adjustments_within_range_once_each_with_a_name():
    typhoon = CalendarAdjustment(date="2026-08-07", workday=False, name="台风停工")
    assert check("calendar_adjustments", county(calendar_adjustments=[typhoon])) == []
    problems = check("calendar_adjustments", county(calendar_adjustments=[
        typhoon, CalendarAdjustment(date="2026-08-07", workday=True, name="补班"),
        CalendarAdjustment(date="1990-01-02", workday=False, name="旧日"),
        CalendarAdjustment(date="2026-08-10", workday=False),
    ]))
    assert any("2026-08-07" in p and "2 条" in p for p in problems), problems
    assert any("1990-01-02" in p and "范围" in p for p in problems), problems
    assert any("2026-08-10" in p and "名称" in p for p in problems), problems


def test_the_suite_as_a_class_fails_with_every_problem_listed(pytester):
    pytester.makepyfile(
        """
        import types
        from gongkai.hookspecs import hookimpl
        from gongkai.hookspecs.records import DeadlineRule, Jurisdiction, cite
        from gongkai.testing import conformance_suite

        plugin = types.ModuleType("badcounty")
        plugin.gongkai_jurisdiction = hookimpl(lambda: Jurisdiction(name="badcounty", display_name="坏县"))
        plugin.gongkai_deadline_rules = hookimpl(lambda: [DeadlineRule(
            id="mailbox.reply", summary="领导信箱来信5个工作日内答复", citation=cite("无名文件", "第一条"),
            unit="working_days", amount=5)])

        TestConformance = conformance_suite("badcounty", extra=[("badcounty", plugin)])
        """
    )
    result = pytester.runpytest("-q", "-p", "no:cacheprovider")
    assert result.parseoutcomes()["failed"] == 1  # the citations check, and only that one
    result.stdout.fnmatch_lines(["*test_every_rule_cites_its_source*", "*插件 badcounty 的规则“mailbox.reply”引用了“无名文件”*"])
