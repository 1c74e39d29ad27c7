"""Publication and related clocks of documents, per jurisdiction, on the 2026 PRC calendar
(day 0 is the triggering day; holidays are off and make-up weekends are on)."""

import pytest


def new(gk, *args):
    return gk.json("document", "new", "--title", "测试文件", "--number", "测试〔2026〕1号", *args)


def clock(data, name):
    return next(c for c in data["clocks"] if c["name"] == name)


def test_yanta_three_working_days_after_finalisation_over_national_day(unit, gk):
    unit("yanta")
    # 9-30 is day 0; 10-1..7 off; 10-8 (1), 10-9 (2), Saturday 10-10 is a make-up day (3).
    data = new(gk, "--kind", "其他", "--attribute", "主动公开", "--finalised", "2026-09-30")
    assert (data["due"], data["limit"]) == ("2026-10-10", None)
    assert clock(data, "publish")["rule"] == "proactive.publish"


def test_changning_target_and_limit_over_spring_festival(unit, gk):
    unit("changning")
    # 2-12 day 0; 2-13 (1); Sat 2-14 make-up (2); 2-15..23 off; 2-24..27 (3-6); Sat 2-28 make-up (7);
    # 3-2, 3-3, 3-4 (8-10) -> target 3-4; ten more working days -> limit 3-18.
    data = new(gk, "--kind", "其他", "--attribute", "主动公开", "--formed", "2026-02-12", "--interpretation", "解读")
    assert (data["due"], data["limit"]) == ("2026-03-04", "2026-03-18")
    # 第四十四条: archive and library within 20 working days of formation
    assert clock(data, "archive_delivery")["due"] == "2026-03-18"


@pytest.mark.parametrize(
    ("published", "timeliness", "register"),
    [("2026-03-04", "on_time", "按期"), ("2026-03-10", "after_target", "超过一般期限，未超过最迟期限"), ("2026-03-19", "late", "逾期")],
)
def test_changning_target_against_limit_when_published(unit, gk, published, timeliness, register):
    unit("changning")
    data = new(gk, "--kind", "其他", "--attribute", "主动公开", "--formed", "2026-02-12", "--handler", "经办人甲")
    doc = str(data["id"])
    gk.ok("document", "review", doc, "--step", "confidentiality", "--by", "甲", "--decision", "approve", "--on", "2026-02-24")
    gk.ok("document", "review", doc, "--step", "approval", "--by", "乙", "--decision", "approve", "--on", "2026-02-25")
    shown = gk.json("document", "publish", doc, "--on", published, "--channel", "政府门户网站", "--by", "丙")
    assert shown["state"] == "closed" and shown["published_on"] == published
    assert clock(shown, "publish")["status"] == "met"
    event = shown["events"][-1]
    assert event["action"] == "published" and event["after"]["timeliness"] == timeliness
    assert gk.json("document", "register")[0]["是否按期"] == register


def test_changning_overdue_listing_uses_target(unit, gk):
    unit("changning")
    new(gk, "--kind", "其他", "--attribute", "主动公开", "--formed", "2026-02-12")
    assert gk.json("documents", "--overdue", "--as-of", "2026-03-04") == []
    overdue = gk.json("documents", "--overdue", "--as-of", "2026-03-05")
    assert [d["due"] for d in overdue] == ["2026-03-04"]
    assert len(gk.json("documents", "--due-within", "5", "--as-of", "2026-02-27")) == 1
    assert gk.json("documents", "--due-within", "4", "--as-of", "2026-02-27") == []


def test_changning_double_publicity_seven_working_days_over_new_year(unit, gk):
    unit("changning")
    # 2025-12-31 day 0; 1-1..3 off; Sunday 1-4 make-up (1); 1-5..1-9 (2-6); 1-12 (7).
    data = new(gk, "--kind", "其他", "--attribute", "主动公开", "--decision-kind", "行政处罚", "--decided", "2025-12-31",
               "--formed", "2025-12-31")
    assert clock(data, "double_publicity")["due"] == "2026-01-12"


def test_wuyuan_twenty_working_days_from_formation_over_labour_day(unit, gk):
    unit("wuyuan")
    # 4-30 day 0; 5-1..5 off; 5-6..8 (1-3); Sat 5-9 make-up (4); ... 6-1 is the 20th.
    data = new(gk, "--kind", "其他", "--attribute", "主动公开", "--formed", "2026-04-30")
    assert (data["due"], data["limit"]) == ("2026-06-01", None)



def test_wuyuan_review_clock_counts_from_the_request_for_review_not_from_formation(unit, gk, monkeypatch):
    """Issue 32 item 14: 保密审查制度 第十条 gives 15 working days from 接到信息审查申请: the day the
    document is registered and so put to review (here 4-30), not the day it was formed or 成文 (4-10)."""
    unit("wuyuan")
    monkeypatch.setenv("GONGKAI_TODAY", "2026-04-30")
    data = new(gk, "--kind", "其他", "--attribute", "主动公开", "--finalised", "2026-04-10")
    # 4-30 day 0; 5-1..5 off; 5-6..8 (1-3); Sat 5-9 make-up (4); 5-11..15 (5-9); 5-18..22 (10-14); 5-25 the 15th
    for point in ("review.on_formation", "review.before_publication"):
        assert (clock(data, point)["start"], clock(data, point)["due"]) == ("2026-04-30", "2026-05-25"), point
    assert clock(data, "publish")["start"] == "2026-04-10"  # publication still counts from 成文


def test_wuyuan_nondisclosure_report_within_five_working_days(unit, gk):
    unit("wuyuan")
    # 6-18 day 0; 6-19..21 off (端午); 6-22..26 (1-5).
    data = new(gk, "--kind", "其他", "--attribute", "不予公开", "--reason", "属于国家秘密（条例第十四条）",
               "--finalised", "2026-06-18")
    assert clock(data, "nondisclosure_report")["due"] == "2026-06-26"
    assert "publish" not in [c["name"] for c in data["clocks"]]
    gk.ok("document", "meet", str(data["id"]), "--clock", "nondisclosure_report", "--on", "2026-06-25")
    assert clock(gk.json("document", "show", str(data["id"])), "nondisclosure_report")["status"] == "met"


def test_xixian_twenty_working_days_over_mid_autumn_and_national_day(unit, gk):
    unit("xixian")
    # 9-24 day 0; 9-25..27 and 10-1..7 off; Sat 10-10 make-up; the 20th working day is 10-29.
    data = new(gk, "--kind", "其他", "--attribute", "主动公开", "--finalised", "2026-09-24")
    assert (data["due"], data["limit"]) == ("2026-10-29", None)


def test_changed_document_counts_from_the_change(unit, gk):
    unit("xixian")
    data = new(gk, "--kind", "其他", "--attribute", "主动公开", "--formed", "2026-01-05", "--changed", "2026-09-24")
    assert data["due"] == "2026-10-29"


def test_non_published_attribute_has_no_publication_clock(unit, gk):
    unit("xixian")
    data = new(gk, "--kind", "其他", "--attribute", "依申请公开", "--reason", "过程性信息", "--finalised", "2026-09-24")
    assert data["due"] is None and data["clocks"] == []
    assert data["state"] == "filed"


def test_due_within_marks_the_overdue_ones(unit, gk):
    unit("changning")
    new(gk, "--kind", "其他", "--attribute", "主动公开", "--formed", "2026-02-12")
    new(gk, "--kind", "其他", "--attribute", "主动公开", "--formed", "2026-03-02")
    rows = gk.json("documents", "--due-within", "14", "--as-of", "2026-03-05")
    assert [r["overdue"] for r in rows] == [True, False]  # due 2026-03-04: already late
    table = gk.ok("documents", "--due-within", "14", "--as-of", "2026-03-05").stdout
    header, _, first, second = table.splitlines()[:4]
    assert "逾期" in header and "是" in first and "是" not in second.replace("主动公开", "")
