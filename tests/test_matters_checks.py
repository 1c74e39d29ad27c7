"""Participation checks: the pass and the fail edge of every rule (五原县 重大决策公众参与制度)."""

from __future__ import annotations

import pytest

FAILED = 3  # a failed check exits like a refused step


@pytest.fixture
def wuyuan(unit):
    unit("wuyuan")


def results(data):
    return {r["rule"]: r["passed"] for r in data["results"]}


def run(gk, *args):
    import json

    result = gk(*args, "--json")
    return result.exit_code, json.loads(result.stdout)


def test_comment_period_at_least_ten_days(wuyuan, gk):
    # opened Sep 1 (day 0), closing Sep 11 is the 10th day: enough; Sep 10 is one short
    code, data = run(gk, "check", "comment-period", "--open", "2026-09-01", "--close", "2026-09-11")
    assert code == 0 and data["passed"] is True
    assert data["results"][0]["actual"] == "10日"
    assert "第七条" in data["results"][0]["citation"]
    code, data = run(gk, "check", "comment-period", "--open", "2026-09-01", "--close", "2026-09-10")
    assert code == FAILED and results(data) == {"participation.comment_period": False}
    assert "2026-09-11" in data["results"][0]["detail"]  # the earliest valid closing day


def test_hearing_announced_ten_days_before(wuyuan, gk):
    code, data = run(gk, "check", "hearing", "--announced", "2026-09-01", "--held", "2026-09-11")
    assert code == 0 and results(data) == {"participation.hearing_notice": True}
    assert "第九条" in data["results"][0]["citation"]
    code, data = run(gk, "check", "hearing", "--announced", "2026-09-02", "--held", "2026-09-11")
    assert code == FAILED and results(data) == {"participation.hearing_notice": False}
    assert "2026-09-01" in data["results"][0]["detail"]  # the latest valid announcement day


def test_hearing_at_least_ten_representatives(wuyuan, gk):
    args = ("check", "hearing", "--announced", "2026-09-01", "--held", "2026-09-11")
    code, data = run(gk, *args, "--representatives", "10")
    assert code == 0
    assert results(data) == {"participation.hearing_notice": True, "participation.hearing_notice.representatives": True}
    assert "第十条" in data["results"][1]["citation"]
    code, data = run(gk, *args, "--representatives", "9")
    assert code == FAILED
    assert results(data) == {"participation.hearing_notice": True, "participation.hearing_notice.representatives": False}


def test_forum_materials_five_working_days_before(wuyuan, gk):
    # materials Sep 30; forum Tue Oct 13: Oct 8, 9, 10 (Sat make-up), 12, 13 = 5 working days
    code, data = run(gk, "check", "forum", "--materials", "2026-09-30", "--forum", "2026-10-13")
    assert code == 0 and data["results"][0]["actual"] == "5个工作日"
    assert "第五条" in data["results"][0]["citation"]
    # forum Mon Oct 12: only 4 working days, the National Day holiday does not count
    code, data = run(gk, "check", "forum", "--materials", "2026-09-30", "--forum", "2026-10-12")
    assert code == FAILED and results(data) == {"participation.forum_materials": False}
    assert "2026-09-29" in data["results"][0]["detail"]  # Sep 29 is the 5th working day before Oct 12


def test_failed_check_says_why_on_stderr_in_human_output(wuyuan, gk):
    result = gk("check", "comment-period", "--open", "2026-09-01", "--close", "2026-09-05")
    assert result.exit_code == FAILED
    assert "未通过" in result.stdout and "第七条" in result.stderr and "征求意见" in result.stderr
    assert "participation.comment_period" not in result.stdout + result.stderr  # codes stay in --json


@pytest.mark.parametrize("jurisdiction", ["xixian", "yanta", "changning"])
def test_a_check_the_jurisdiction_has_no_rule_for_is_refused(unit, gk, jurisdiction):
    unit(jurisdiction)
    result = gk.fails("check", "forum", "--materials", "2026-09-30", "--forum", "2026-10-13", code=1)
    assert "没有“forum”检查" in result.stderr and "可用的检查：（无）" in result.stderr


def test_bad_dates_are_refused(wuyuan, gk):
    assert "--open" in gk.fails("check", "comment-period", "--open", "9月1日", "--close", "2026-09-11").stderr
    assert "早于" in gk.fails("check", "hearing", "--announced", "2026-09-11", "--held", "2026-09-01").stderr
