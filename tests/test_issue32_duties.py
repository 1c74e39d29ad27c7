"""Duties the texts set that were missing (issue 32 items 7, 8 and 9): each a rule with its
citation, recorded with `duty occurred` / `duty done` and checked by `check duties`."""

from __future__ import annotations

import pytest


def passed(gk, rule):
    import json

    result = gk("check", "duties", "--year", "2026", "--json")
    return next(r["passed"] for r in json.loads(result.stdout)["results"] if r["rule"] == rule)


@pytest.mark.parametrize("jurisdiction, rule, article, action", [
    ("changning", "document.gazette", "第四十三条", "公报"),
    ("changning", "catalog.update", "第五十五条", "标准目录"),
])
def test_a_triggered_duty_waits_until_done(unit, gk, jurisdiction, rule, article, action):
    unit(jurisdiction)
    shown = gk.ok("rules", rule).stdout
    assert article in shown and action in shown
    out = gk.ok("duty", "occurred", rule, "--on", "2026-06-03", "--note", "某事项").stdout
    assert article in out
    assert passed(gk, rule) is False  # waiting
    gk.ok("duty", "done", rule, "--on", "2026-06-10")
    assert passed(gk, rule) is True


def test_changning_catalogue_self_check_has_no_invented_period(unit, gk):
    unit("changning")
    data = gk.json("rules", "catalog.self_check")
    assert "未规定具体周期" in data[0]["summary"] and "第五十五条" in data[0]["citation"]


@pytest.mark.parametrize("rule, article, action", [
    ("disclosure.meeting_filing", "第十九条", "党政办公室报备"),
    ("proactive.approval_copy", "第二十条（三）", "抄送同级党政办公室"),
])
def test_xixian_filings_and_copies(unit, gk, rule, article, action):
    unit("xixian")
    shown = gk.ok("rules", rule).stdout
    assert article in shown and action in shown
    gk.ok("duty", "occurred", rule, "--on", "2026-06-03", "--note", "某会议")
    assert passed(gk, rule) is False
    gk.ok("duty", "done", rule, "--on", "2026-06-04")
    assert passed(gk, rule) is True


@pytest.mark.parametrize("rule, article, action", [
    ("newmedia.filing_update", "第八条", "更新报备"),
    ("newmedia.third_party_filing", "第十九条", "向县委宣传部报备"),
    ("participation.feedback", "第四条", "未予采纳的原因"),
    ("participation.survey_report", "第六条", "民意调查报告"),
    ("training.before_post", "五", "上岗前"),
])
def test_wuyuan_duties_on_an_occasion(unit, gk, rule, article, action):
    unit("wuyuan")
    shown = gk.ok("rules", rule).stdout
    assert article in shown and action in shown
    gk.ok("duty", "occurred", rule, "--on", "2026-06-03", "--note", "某事项")
    assert passed(gk, rule) is False
    gk.ok("duty", "done", rule, "--on", "2026-06-04")
    assert passed(gk, rule) is True


def test_wuyuan_yearly_plan_is_a_duty(unit, gk):
    unit("wuyuan")
    listed = gk.ok("duties", "--year", "2026").stdout
    assert "政务公开工作年度计划" in listed
    gk.ok("duty", "done", "政务公开工作年度计划", "--on", "2026-02-10")
    assert passed(gk, "plan.annual") is True
