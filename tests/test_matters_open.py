"""Matters: every kind of every jurisdiction, with holidays, make-up days and hours across midnight.

Expected dates are worked out by hand on the 2026 calendar (day 0 is the event's day):
National Day Oct 1-7 off with Sep 20 (Sun) and Oct 10 (Sat) make-up days; Mid-Autumn
Sep 25-27; Spring Festival Feb 15-23 with Feb 14 and Feb 28 (Sat) make-up; Qingming
Apr 4-6; Labour Day May 1-5 with May 9 (Sat) make-up.
"""

from __future__ import annotations

import pytest

from gongkai.core.matters.kinds import MATTER_FAMILIES, matter_kinds
from gongkai.core.law.plugins import load_registry

KINDS = {
    "xixian": {"mailbox.reply"},
    "yanta": {"opinion.major_incident"},
    "changning": {
        "consult.reply", "consult.reply.simple", "consult.reply.policy_comment", "double_publicity",
        "decision.feedback", "power_list.update", "opinion.major_incident", "request.overturned_registration",
    },
    "wuyuan": {
        "newmedia.first_release", "newmedia.inactive", "newmedia.public_interest_reply",
        "opinion.response", "opinion.response.other",
    },
}

# (jurisdiction, kind, --at, {clock: due}, citation fragment)
CASES = [
    # Wed before National Day: Oct 8, 9, 10 (Sat make-up), 12, 13
    ("xixian", "mailbox.reply", "2026-09-30", {"mailbox.reply": "2026-10-13"}, "附件1 回应关切"),
    # Fri before Spring Festival: Feb 14 (Sat make-up), then Feb 24-27
    ("xixian", "mailbox.reply", "2026-02-13", {"mailbox.reply": "2026-02-27"}, "附件1"),
    ("yanta", "opinion.major_incident", "2026-09-30T21:30",
     {"opinion.major_incident": "2026-10-01T02:30:00+08:00",
      "opinion.major_incident.press_conference": "2026-10-01T21:30:00+08:00"}, "第24项"),
    ("changning", "consult.reply", "2026-09-30", {"consult.reply": "2026-10-13"}, "第三十三条"),
    # Fri Oct 9: the next working day is the Saturday make-up day
    ("changning", "consult.reply.simple", "2026-10-09", {"consult.reply.simple": "2026-10-10"}, "第三十三条"),
    ("changning", "consult.reply.simple", "2026-09-30", {"consult.reply.simple": "2026-10-08"}, "第三十三条"),
    # Thu before Labour Day: May 6, 7, 8, 9 (Sat make-up), 11
    ("changning", "consult.reply.policy_comment", "2026-04-30", {"consult.reply.policy_comment": "2026-05-11"}, "第三十六条"),
    # Thu Sep 24: Mid-Autumn Sep 25, then Sep 28-30, Oct 8, 9, 10 (Sat), 12
    ("changning", "double_publicity", "2026-09-24", {"double_publicity": "2026-10-12"}, "第十八条"),
    # Tue Feb 10: Feb 11-13, 14 (Sat), 24-27, 28 (Sat), Mar 2
    ("changning", "decision.feedback", "2026-02-10", {"decision.feedback": "2026-03-02"}, "第五条"),
    # Thu Apr 2: Apr 3, then Qingming Apr 4-6, Apr 7-10, 13-17
    ("changning", "power_list.update", "2026-04-02", {"power_list.update": "2026-04-17"}, "第十六条"),
    # across midnight and the year's end
    # (the 24-hour press conference only with --condition-met: see the test at the end)
    ("changning", "opinion.major_incident", "2026-12-31T20:00",
     {"opinion.major_incident": "2027-01-01T01:00:00+08:00"}, "第三十三条"),
    # one week, calendar days: the holiday does not stop it
    ("changning", "request.overturned_registration", "2026-09-30", {"request.overturned_registration": "2026-10-07"}, "第四十九条"),
    ("wuyuan", "newmedia.first_release", "2026-10-01T23:10", {"newmedia.first_release": "2026-10-02T01:10:00+08:00"}, "第十二条"),
    ("wuyuan", "newmedia.inactive", "2026-01-31", {"newmedia.inactive": "2026-02-28"}, "第十三条"),
    ("wuyuan", "newmedia.public_interest_reply", "2026-02-13", {"newmedia.public_interest_reply": "2026-02-27"}, "第十六条"),
    ("wuyuan", "opinion.response", "2026-09-30T22:00",
     {"opinion.response": "2026-10-01T03:00:00+08:00",
      "opinion.response.press_conference": "2026-10-01T22:00:00+08:00"}, "第十条"),
    ("wuyuan", "opinion.response.other", "2026-09-30T22:00", {"opinion.response.other": "2026-10-02T22:00:00+08:00"}, "第十条"),
]


@pytest.mark.parametrize("jurisdiction", sorted(KINDS))
def test_each_jurisdiction_has_exactly_its_matter_kinds(jurisdiction):
    assert set(matter_kinds(load_registry(jurisdiction))) == KINDS[jurisdiction]


def test_every_kind_is_covered_by_a_case():
    covered = {(j, k) for j, k, *_ in CASES}
    assert covered == {(j, k) for j, kinds in KINDS.items() for k in kinds}


def test_participation_and_fixed_dates_are_not_matters():
    assert not any(f.startswith("participation") for f in MATTER_FAMILIES)
    assert "decision.catalogue" not in matter_kinds(load_registry("changning"))  # 3月31日, a duty


@pytest.mark.parametrize("jurisdiction,kind,at,clocks,citation", CASES, ids=[f"{c[0]}-{c[1]}-{c[2]}" for c in CASES])
def test_open_matter_stores_every_clock(unit, gk, monkeypatch, jurisdiction, kind, at, clocks, citation):
    unit(jurisdiction)
    monkeypatch.setenv("GONGKAI_TODAY", "2027-01-31")  # a matter is opened once it has happened
    data = gk.json("matter", "open", kind, "--at", at, "--note", "测试事项")
    assert data["kind"] == kind
    assert isinstance(data["id"], int)
    assert data["due"] == clocks[kind]
    assert data["limit"] is None
    assert citation in data["citation"]
    assert {c["name"]: c["due"] for c in data["clocks"]} == clocks
    assert all(c["status"] == "open" and c["citation"] for c in data["clocks"])
    # the clocks are stored: `matter show` reads them back
    assert gk.json("matter", "show", str(data["id"]))["clocks"] == data["clocks"]


def test_beyond_the_official_schedule_is_provisional(unit, gk, monkeypatch):
    unit("changning")
    monkeypatch.setenv("GONGKAI_TODAY", "2027-01-31")
    # Dec 25, 28-31, then Jan 1 2027 (New Year, by statutory rule), Jan 4-8
    data = gk.json("matter", "open", "power_list.update", "--at", "2026-12-24")
    assert data["due"] == "2027-01-08"
    assert data["provisional"] is True


def test_an_offset_is_converted_to_beijing_time(unit, gk):
    unit("yanta")
    data = gk.json("matter", "open", "opinion.major_incident", "--at", "2026-09-30T13:30+00:00")
    assert data["opened_at"] == "2026-09-30T21:30:00+08:00"
    assert data["due"] == "2026-10-01T02:30:00+08:00"


def test_unknown_kind_is_refused_with_the_kinds_the_jurisdiction_has(unit, gk):
    unit("xixian")
    result = gk.fails("matter", "open", "consult.reply", "--at", "2026-09-30")
    assert "西咸新区没有事项类型“consult.reply”" in result.stderr
    assert "领导信箱来信办结" in result.stderr
    unit("wuyuan")
    result = gk.fails("matter", "open", "opinion.major_incident", "--at", "2026-09-30T10:00")
    assert "重大突发事件舆情回应" in result.stderr and "政务新媒体突发事件首发" in result.stderr


def test_a_further_clock_is_opened_with_its_kind_not_alone(unit, gk):
    unit("changning")
    result = gk.fails("matter", "open", "opinion.major_incident.press_conference", "--at", "2026-09-30T10:00")
    assert "请开立“重特大事件舆情回应”" in result.stderr and "新闻发布会" in result.stderr


def test_an_hour_rule_needs_a_time_of_day(unit, gk):
    unit("yanta")
    result = gk.fails("matter", "open", "opinion.major_incident", "--at", "2026-09-30")
    assert "时刻" in result.stderr
    assert "--at" in gk.fails("matter", "open", "opinion.major_incident", "--at", "昨天").stderr


def test_close_meets_every_clock_and_reports_late_ones(unit, gk):
    unit("changning")
    opened = gk.json("matter", "open", "opinion.major_incident", "--at", "2026-09-30T21:30")
    closed = gk.json("matter", "close", str(opened["id"]), "--at", "2026-10-01T10:00")
    assert closed["closed_at"] == "2026-10-01T10:00:00+08:00"
    assert closed["late"] == ["opinion.major_incident"]  # due 02:30; the press conference (21:30) was in time
    assert {c["status"] for c in closed["clocks"]} == {"met"}
    assert gk.json("matters") == []
    assert [m["id"] for m in gk.json("matters", "--all")] == [opened["id"]]
    # closing twice is a refused step; closing before opening is bad input
    assert "已于" in gk.fails("matter", "close", str(opened["id"]), "--at", "2026-10-02", code=3).stderr
    other = gk.json("matter", "open", "consult.reply", "--at", "2026-09-30")
    assert "早于" in gk.fails("matter", "close", str(other["id"]), "--at", "2026-09-29").stderr
    assert "没有编号为 99" in gk.fails("matter", "close", "99", "--at", "2026-10-02").stderr


def test_matters_overdue_listing(unit, gk):
    unit("changning")
    fast = gk.json("matter", "open", "consult.reply.simple", "--at", "2026-09-30", "--note", "简单咨询")  # due Oct 8
    slow = gk.json("matter", "open", "consult.reply", "--at", "2026-09-30")  # due Oct 13
    assert gk.json("matters", "--overdue", "--as-of", "2026-10-08T23:59") == []
    rows = gk.json("matters", "--overdue", "--as-of", "2026-10-09")
    assert [r["id"] for r in rows] == [fast["id"]]
    assert rows[0]["overdue"] == ["consult.reply.simple"]
    assert [r["id"] for r in gk.json("matters", "--as-of", "2026-10-09")] == [fast["id"], slow["id"]]
    text = gk.ok("matters", "--overdue", "--as-of", "2026-10-09").stdout
    assert "简单咨询" in text and "超期" in text


def test_open_and_close_write_events(unit, gk):
    from gongkai.core.app import App
    from gongkai.core.records.storage import events_for

    unit("xixian")
    opened = gk.json("matter", "open", "mailbox.reply", "--at", "2026-09-30", "--note", "来信")
    gk.ok("matter", "close", str(opened["id"]), "--at", "2026-10-09")
    app = App()
    with app.session() as session:
        actions = [e["action"] for e in events_for(session, "matter", opened["id"])]
    assert actions == ["open", "close"]


def test_kinds_listing(unit, gk):
    unit("wuyuan")
    kinds = {k["kind"]: k for k in gk.json("matter", "kinds")}
    assert set(kinds) == KINDS["wuyuan"]
    assert [c["rule"] for c in kinds["opinion.response"]["clocks"]] == [
        "opinion.response", "opinion.response.press_conference"]


def test_closing_one_clock_of_a_major_incident_leaves_the_other(gk, unit):
    unit("yanta")
    mid = str(gk.json("matter", "open", "opinion.major_incident", "--at", "2026-09-30T21:30")["id"])
    first = gk.json("matter", "close", mid, "--clock", "发布权威信息", "--at", "2026-10-01T01:00")
    status = {c["rule"]: c["status"] for c in first["clocks"]}
    assert status == {"opinion.major_incident": "met", "opinion.major_incident.press_conference": "open"}
    assert first["closed_at"] is None and first["late"] == []
    assert gk.ok("matter", "show", mid).stdout.count("（已办结）") == 1
    assert [m["id"] for m in gk.json("matters")] == [int(mid)]  # still open: the press conference runs on
    gk.fails("matter", "close", mid, "--clock", "发布权威信息", "--at", "2026-10-01T02:00")  # already met
    done = gk.json("matter", "close", mid, "--at", "2026-10-01T20:00")
    assert done["closed_at"] is not None and all(c["status"] == "met" for c in done["clocks"])


def test_changning_press_conference_only_for_incidents_that_meet_its_condition(unit, gk, monkeypatch):
    """Issue 32 item 14: 长宁区 第三十三条's 24 hours bind incidents 造成重大人员伤亡或者社会影响较大的."""
    unit("changning")
    monkeypatch.setenv("GONGKAI_TODAY", "2026-10-08")
    plain = gk.json("matter", "open", "重特大事件舆情回应", "--at", "2026-09-30T21:30", "--note", "某小区火灾")
    assert [c["name"] for c in plain["clocks"]] == ["opinion.major_incident"]
    assert plain["not_opened"][0]["rule"] == "opinion.major_incident.press_conference"
    assert "未开立：新闻发布会" in gk.ok("matter", "open", "重特大事件舆情回应", "--at", "2026-09-30T21:30").stdout
    grave = gk.json("matter", "open", "重特大事件舆情回应", "--at", "2026-09-30T21:30", "--condition-met")
    assert {c["name"] for c in grave["clocks"]} == {"opinion.major_incident", "opinion.major_incident.press_conference"}
