"""The obligations of issue 16 item 6: each a rule with its citation, in `duties` and
`check duties`; what was done is recorded as events (`duty done`, `duty occurred`,
`newmedia open|close`, `assess official`), and refused where the text forbids it."""

import json

import pytest

from gongkai.core.law.plugins import load_registry
from gongkai.hookspecs.records import AccountLimit, GradeRestriction, RecurringDuty, TriggeredDuty

ENCODED = [
    # jurisdiction, rule, record type, citation fragment, (period, times)
    ("xixian", "duty.decision_consultation", RecurringDuty, "附件1 “五公开”情况 1", ("year", 1)),
    ("xixian", "duty.decision_execution", RecurringDuty, "附件1 “五公开”情况 2", ("year", 1)),
    ("xixian", "catalogue.update", RecurringDuty, "管理办法 第十四条", ("year", 1)),
    ("xixian", "opinion.monthly_collection", RecurringDuty, "实施方案 二（四）", ("month", 1)),
    ("yanta", "duty.press_conference", RecurringDuty, "实施方案 第26项", ("year", 1)),
    ("yanta", "duty.work_report_hearing", RecurringDuty, "实施方案 第33项", ("year", 1)),
    ("changning", "duty.work_report_hearing", RecurringDuty, "第五十七条", ("year", 1)),
    ("changning", "duty.training", RecurringDuty, "第五十三条", ("year", 1)),
    ("changning", "staff.change_filing", TriggeredDuty, "第五十八条", None),
    ("wuyuan", "archive.self_check", RecurringDuty, "归档管理制度》三（四）", ("quarter", 1)),
    ("wuyuan", "newmedia.accounts", AccountLimit, "政务新媒体运行管理制度》第八条", None),
    ("wuyuan", "assessment.training_required", GradeRestriction, "政务公开培训制度》四", None),
]


@pytest.mark.parametrize(("jurisdiction", "rule_id", "kind", "article", "period"), ENCODED,
                         ids=[f"{j}:{r}" for j, r, *_ in ENCODED])
def test_each_obligation_is_a_local_rule_with_its_citation(jurisdiction, rule_id, kind, article, period):
    entry = load_registry(jurisdiction).rules[rule_id]
    assert isinstance(entry.rule, kind) and entry.source == jurisdiction
    assert article in str(entry.rule.citation)
    if period:
        assert (entry.rule.period.value, entry.rule.times) == period


def states(gk, year="2026"):
    out = {}
    for d in gk.json("duties", "--year", year)["duties"]:
        out.setdefault(d["rule"], []).append((d["date"], d["state"], d["done_on"]))
    return out


def check(gk, *args):
    result = gk("check", "duties", *args, "--json")
    data = json.loads(result.stdout)
    return result.exit_code, {r["rule"]: r for r in data["results"]}


def test_xixian_five_publics_catalogue_and_monthly_opinion_collection(unit, gk, monkeypatch, backend):
    unit("xixian")
    monkeypatch.setenv("GONGKAI_TODAY", "2026-07-15")
    listed = states(gk)
    assert listed["duty.decision_consultation"] == [("2026-12-31", "open", None)]
    assert listed["catalogue.update"] == [("2026-12-31", "open", None)]
    monthly = listed["opinion.monthly_collection"]
    assert len(monthly) == 12 and monthly[0] == ("2026-01-31", "overdue", None) and monthly[6][1] == "open"
    gk.ok("duty", "done", "政务舆情收集和回应", "--on", "2026-01-28", "--note", "1月12345及领导信箱舆情汇总")
    gk.ok("duty", "done", "opinion.monthly_collection", "--on", "2026-02-27")
    gk.ok("duty", "done", "决策预公开并公开征求意见", "--on", "2026-05-06", "--note", "某规划草案公开征求意见")
    listed = states(gk)
    assert listed["opinion.monthly_collection"][:3] == [
        ("2026-01-31", "done", "2026-01-28"), ("2026-02-28", "done", "2026-02-27"), ("2026-03-31", "overdue", None)]
    assert listed["duty.decision_consultation"] == [("2026-12-31", "done", "2026-05-06")]

    monkeypatch.setenv("GONGKAI_TODAY", "2027-01-05")
    code, results = check(gk, "--year", "2026")
    assert code == 3
    assert results["duty.decision_consultation"]["passed"] is True
    assert results["duty.decision_execution"]["passed"] is False  # 决策执行督查整改: none in 2026
    assert results["catalogue.update"]["passed"] is False
    assert "管理办法 第十四条" in results["catalogue.update"]["citation"]
    human = gk("check", "duties", "--year", "2026")
    assert "公开决策执行及督查整改情况" in human.stderr and "duty.decision_execution" not in human.stdout + human.stderr


def test_yanta_press_conference_and_report_hearing(unit, gk, monkeypatch):
    unit("yanta")
    monkeypatch.setenv("GONGKAI_TODAY", "2026-11-20")
    gk.ok("unit", "edit", "main", "--flag", "与宏观经济和社会民生关系密切以及社会关注事项较多")  # 第26项's departments only
    gk.ok("duty", "done", "主要负责同志参加新闻发布会", "--on", "2026-04-16", "--attendee", "王局长",
          "--note", "一季度经济运行新闻发布会")
    data = gk.json("duties", "--year", "2026")
    press = next(d for d in data["duties"] if d["rule"] == "duty.press_conference")
    assert (press["state"], press["done_on"]) == ("done", "2026-04-16") and "第26项" in press["citation"]
    hearing = next(d for d in data["duties"] if d["rule"] == "duty.work_report_hearing")
    assert hearing["state"] == "open" and "第33项" in hearing["citation"]
    human = gk.ok("duties", "--year", "2026").stdout
    assert "已办（2026-04-16）" in human and "主要负责人听取政务公开工作汇报" in human
    unknown = gk.fails("duty", "done", "年终总结", "--on", "2026-04-16")
    assert "没有例行工作“年终总结”" in unknown.stderr and "主要负责同志参加新闻发布会" in unknown.stderr
    future = gk.fails("duty", "done", "duty.press_conference", "--on", "2026-12-01")
    assert "晚于今天" in future.stderr


def test_changning_staff_change_waits_until_filed(unit, gk, monkeypatch, backend):
    unit("changning")
    monkeypatch.setenv("GONGKAI_TODAY", "2026-06-10")
    nothing = gk.fails("duty", "done", "staff.change_filing", "--on", "2026-06-01", code=3)
    assert "没有待办的“政务公开工作人员变动”" in nothing.stderr
    gk.ok("duty", "occurred", "staff.change_filing", "--on", "2026-06-03", "--note", "张三调离，由李四接任")
    pending = [d for d in gk.json("duties", "--year", "2026")["duties"] if d["rule"] == "staff.change_filing"]
    assert [(d["date"], d["state"], d["note"]) for d in pending] == [("2026-06-03", "pending", "张三调离，由李四接任")]
    code, results = check(gk)
    assert code == 3 and results["staff.change_filing"]["passed"] is False
    assert "第五十八条" in results["staff.change_filing"]["citation"]
    done = gk.json("duty", "done", "staff.change_filing", "--on", "2026-06-04", "--note", "已报区政府办公室备案")
    assert done["trigger_on"] == "2026-06-03"
    assert not [d for d in gk.json("duties", "--year", "2026")["duties"] if d["rule"] == "staff.change_filing"]
    code, results = check(gk)
    assert results["staff.change_filing"]["passed"] is True
    assert results["duty.training"]["passed"] is True and results["duty.work_report_hearing"]["passed"] is True
    assert gk.json("audit", "verify")["ok"] is True  # the facts are chained events


def test_changning_training_and_report_hearing_overdue_after_the_year(unit, gk, monkeypatch):
    unit("changning")
    monkeypatch.setenv("GONGKAI_TODAY", "2027-01-04")
    gk.ok("duty", "done", "参加区政府办公室政务公开培训会", "--on", "2026-09-18", "--attendee", "李分管", "--attendee", "王干事")
    code, results = check(gk, "--year", "2026")
    assert results["duty.training"]["passed"] is True
    assert results["duty.work_report_hearing"]["passed"] is False and "第五十七条" in results["duty.work_report_hearing"]["citation"]


def test_wuyuan_archive_self_check_each_quarter(unit, gk, monkeypatch):
    unit("wuyuan")
    monkeypatch.setenv("GONGKAI_TODAY", "2026-10-08")
    gk.ok("duty", "done", "政务公开归档材料自查整理", "--on", "2026-03-25")
    gk.ok("duty", "done", "archive.self_check", "--on", "2026-09-28")
    assert states(gk)["archive.self_check"] == [
        ("2026-03-31", "done", "2026-03-25"), ("2026-06-30", "overdue", None),
        ("2026-09-30", "done", "2026-09-28"), ("2026-12-31", "open", None)]


def test_wuyuan_new_media_accounts_one_each_filed_before_opening(unit, gk, monkeypatch, backend):
    unit("wuyuan")
    monkeypatch.setenv("GONGKAI_TODAY", "2026-10-08")
    base = ("newmedia", "open", "--platform", "微博", "--name", "五原某局发布", "--on", "2026-03-02")
    unfiled = gk.fails(*base, code=3)
    assert "须提前向县委宣传部、网信办和县政务公开领导小组办公室报备" in unfiled.stderr and "第八条" in unfiled.stderr
    late = gk.fails(*base, "--filed-on", "2026-03-05", code=3)
    assert "晚于开通日期" in late.stderr
    bad = gk.fails("newmedia", "open", "--platform", "抖音", "--name", "x", "--on", "2026-03-02")
    assert "须提前" in bad.stderr  # another platform is not barred (原则上), but is filed first too
    assert gk.json("newmedia", "accounts") == []  # refusals stored nothing
    weibo = gk.json(*base, "--filed-on", "2026-02-20")
    second = gk.fails("newmedia", "open", "--platform", "微博", "--name", "五原某局二号", "--on", "2026-05-01",
                      "--filed-on", "2026-04-20", code=3)
    assert "已开通微博账号1个（五原某局发布）" in second.stderr and "原则上只能开通1个" in second.stderr
    gk.ok("newmedia", "open", "--platform", "微信公众号", "--name", "五原某局", "--on", "2026-05-01", "--filed-on", "2026-04-20")
    assert [a["platform"] for a in gk.json("newmedia", "accounts")] == ["微博", "微信公众号"]
    closing = gk.fails("newmedia", "close", str(weibo["event"]), "--on", "2026-06-01", code=3)
    assert "更新报备" in closing.stderr
    gk.ok("newmedia", "close", str(weibo["event"]), "--on", "2026-06-01", "--filed-on", "2026-06-01")
    gk.ok("newmedia", "open", "--platform", "微博", "--name", "五原某局二号", "--on", "2026-07-01", "--filed-on", "2026-06-20")
    code, results = check(gk)
    assert results["newmedia.accounts"]["passed"] is True and results["newmedia.accounts"]["actual"] == "微博1个、微信公众号1个"


def test_newmedia_accounts_need_the_jurisdictions_rule(unit, gk):
    unit("yanta")
    refused = gk.fails("newmedia", "open", "--platform", "微博", "--name", "x", "--on", "2026-03-02", "--filed-on", "2026-03-01")
    assert "雁塔区没有政务新媒体账号开通的规定" in refused.stderr


def test_wuyuan_untrained_or_failed_officials_cannot_be_graded_excellent(unit, gk, monkeypatch, backend):
    unit("wuyuan")
    monkeypatch.setenv("GONGKAI_TODAY", "2026-12-20")
    untrained = gk.fails("assess", "official", "--name", "王五", "--year", "2026", "--grade", "优秀", code=3)
    assert "“王五”2026年未参加学习培训，当年考核不能评为优秀等次" in untrained.stderr
    assert "政务公开培训制度》四" in untrained.stderr
    assert gk.json("assess", "official", "--name", "王五", "--year", "2026", "--grade", "称职")["grade"] == "称职"
    bad = gk.fails("duty", "done", "duty.training_hours", "--on", "2026-05-10", "--hours", "8", "--attendee", "张三",
                   "--failed", "李四")
    assert "须同时列为参加人员" in bad.stderr
    gk.ok("duty", "done", "政府信息公开工作人员培训", "--on", "2026-05-10", "--hours", "8",
          "--attendee", "张三", "--attendee", "李四", "--failed", "李四", "--note", "条例解读专题培训")
    failed = gk.fails("assess", "official", "--name", "李四", "--year", "2026", "--grade", "优秀", code=3)
    assert "培训考试不合格" in failed.stderr
    assert gk.json("assess", "official", "--name", "张三", "--year", "2026", "--grade", "优秀")["grade"] == "优秀"
    # a training of another year does not count
    assert "未参加学习培训" in gk.fails("assess", "official", "--name", "张三", "--year", "2025", "--grade", "优秀").stderr
    # 培训制度 五: 16 hours a person; 8 each so far, short once the year is over
    monkeypatch.setenv("GONGKAI_TODAY", "2027-01-04")
    result = gk("check", "duties", "--year", "2026", "--json")
    hours = [r for r in json.loads(result.stdout)["results"] if r["rule"] == "duty.training_hours" and "学时" in r["required"]]
    assert result.exit_code == 3 and hours[0]["passed"] is False and "张三8学时" in hours[0]["actual"]


def test_officials_grades_are_unrestricted_where_the_text_says_nothing(unit, gk):
    unit("xixian")
    assert gk.json("assess", "official", "--name", "王五", "--year", "2026", "--grade", "优秀")["grade"] == "优秀"


# issue 32 item 1: every duty says whose it is; a unit is charged only with its own


def test_each_duty_names_its_bearer_as_the_text_does():
    registry = load_registry("yanta")
    rules = registry.rules
    assert rules["report.annual.government"].rule.borne_by == ("government",)  # 条例 第四十九条第二款
    assert rules["report.annual.agency"].rule.borne_by == ("department", "street")
    assert rules["duty.inspection"].rule.borne_by == ("government",)  # 第38项: 区政府政务公开部门
    assert rules["report.work_report_progress"].rule.borne_by == ("government",)  # 第19项: 区政府办牵头
    assert rules["duty.website_check"].rule.unit_flag == "保密行政管理部门"  # 第41项: 区保密局牵头
    assert rules["duty.press_conference"].rule.unit_flag.startswith("与宏观经济和社会民生关系密切")  # 第26项
    changning = load_registry("changning").rules
    assert changning["duty.inspection"].rule.borne_by == ("government",)  # 第五十四条: 区政府办公室
    assert changning["report.annual.government"].rule.borne_by == ("government",)
    assert load_registry("wuyuan").rules["evaluation.social.annual"].rule.borne_by == ("government",)  # 第六条


def test_a_department_is_not_charged_with_the_governments_duties(unit, gk, monkeypatch, backend):
    unit("yanta")
    monkeypatch.setenv("GONGKAI_TODAY", "2027-01-05")
    listed = states(gk)
    for other in ("report.annual.government", "duty.inspection", "report.work_report_progress", "duty.website_check",
                  "duty.press_conference"):
        assert other not in listed, other
    assert "report.annual.agency" in listed
    code, results = check(gk, "--year", "2026")
    assert "duty.inspection" not in results and "report.annual.government" not in results
    refused = gk.fails("duty", "done", "政务公开专项督查", "--on", "2026-05-01", code=3)
    assert "人民政府（含政府办公室）的工作" in refused.stderr and "第38项" in refused.stderr
    # the unit is flagged as the text names it: 第26项's press conference is then its own
    bad = gk.fails("unit", "edit", "main", "--flag", "重点部门")
    assert "保密行政管理部门" in bad.stderr
    gk.ok("unit", "edit", "main", "--flag", "与宏观经济和社会民生关系密切以及社会关注事项较多")
    assert gk.json("unit", "show")["flags"] == ["与宏观经济和社会民生关系密切以及社会关注事项较多"]
    assert "duty.press_conference" in states(gk) and "duty.website_check" not in states(gk)
    gk.ok("unit", "edit", "main", "--drop-flag", "与宏观经济和社会民生关系密切以及社会关注事项较多")
    assert "duty.press_conference" not in states(gk)
    # the government (its office) bears the government's duties and not the departments' report
    gk.ok("unit", "edit", "main", "--level", "人民政府")
    listed = states(gk)
    assert "duty.inspection" in listed and "report.annual.government" in listed and "report.annual.agency" not in listed
    gk.ok("duty", "done", "政务公开专项督查", "--on", "2026-05-01")
    assert gk.json("audit", "verify")["ok"] is True


def test_the_jurisdictions_calendar_names_whose_each_duty_is(gk, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GONGKAI_DATABASE_URL", raising=False)  # no unit's database: the whole calendar
    shown = gk.ok("--jurisdiction", "changning", "duties", "--year", "2026").stdout
    assert "承担单位" in shown and "人民政府（含政府办公室）" in shown and "部门、街道（乡镇）" in shown
    rows = {d["rule"]: d for d in gk.json("--jurisdiction", "changning", "duties", "--year", "2026")["duties"]}
    assert rows["duty.inspection"]["borne_by"] == "人民政府（含政府办公室）"


def test_wuyuan_other_platforms_are_not_barred(unit, gk, monkeypatch):
    """Issue 32 item 14: 第八条 says 原则上 微博、微信公众号 each 1; 抖音 is not refused, and not counted."""
    unit("wuyuan")
    monkeypatch.setenv("GONGKAI_TODAY", "2026-10-08")
    for name in ("五原某局", "五原某局二号"):
        gk.ok("newmedia", "open", "--platform", "抖音", "--name", name, "--on", "2026-03-02", "--filed-on", "2026-03-01")
    assert [a["platform"] for a in gk.json("newmedia", "accounts")] == ["抖音", "抖音"]
    gk.ok("newmedia", "open", "--platform", "微博", "--name", "五原某局发布", "--on", "2026-03-02", "--filed-on", "2026-03-01")


def test_wuyuan_new_media_gap_is_counted_from_the_last_post_not_by_calendar_month(unit, gk, monkeypatch):
    """Issue 32 item 14: 第十三条 asks for an explanation after more than a month without a post.
    Posts on 2 January and 27 February leave no calendar month empty, yet the gap is late; the
    next post is due a month after the one before."""
    unit("wuyuan")
    monkeypatch.setenv("GONGKAI_TODAY", "2026-04-20")
    for day in ("2025-12-20", "2026-01-02", "2026-02-27", "2026-03-20"):
        gk.ok("duty", "done", "newmedia.inactive.monthly", "--on", day)
    assert states(gk)["newmedia.inactive.monthly"] == [
        ("2026-01-20", "done", "2026-01-02"),  # a month after 20 December
        ("2026-02-02", "late", "2026-02-27"),  # 2 January to 27 February: more than a month
        ("2026-03-27", "done", "2026-03-20"),
        ("2026-04-20", "open", None)]
    code, results = check(gk, "--as-of", "2026-04-20")
    result = results["newmedia.inactive.monthly"]
    assert code != 0 and result["passed"] is False and result["required"] == "相邻两次间隔不超过一个月"
    assert "上次2026-01-02，间隔超过一个月，应说明原因" in result["detail"] and "第十三条" in result["citation"]
    monkeypatch.setenv("GONGKAI_TODAY", "2026-05-01")
    assert states(gk)["newmedia.inactive.monthly"][-1] == ("2026-04-20", "overdue", None)
