"""The yearly duty calendar: concrete dates from the rule records, and the .ics export."""

from __future__ import annotations

from collections import defaultdict

import icalendar
import pytest


@pytest.fixture
def unit(tmp_path, monkeypatch):
    """The jurisdiction's whole calendar: outside any unit's folder (in a unit's folder `duties`
    lists only the duties that unit bears: tests/test_duty_records.py)."""

    def make(jurisdiction):
        (tmp_path / "elsewhere").mkdir(exist_ok=True)
        monkeypatch.chdir(tmp_path / "elsewhere")
        monkeypatch.setenv("GONGKAI_JURISDICTION", jurisdiction)
        monkeypatch.delenv("GONGKAI_DATABASE_URL", raising=False)

    return make


def by_rule(data):
    out = defaultdict(list)
    for d in data["duties"]:
        out[d["rule"]].append(d["date"])
    return dict(out)


def test_changning(unit, gk):
    unit("changning")
    assert by_rule(gk.json("duties", "--year", "2026")) == {
        "report.annual.agency": ["2026-01-31"],  # 1月底前, for 2025
        "report.annual.government": ["2026-02-28"],  # 2月28日前 (earlier than the national 3月31日)
        "decision.catalogue": ["2026-03-31"],
        "duty.inspection": ["2026-04-30", "2026-08-31", "2026-12-31"],  # at least 3 a year
        "duty.training": ["2026-12-31"],  # 第五十三条
        "duty.work_report_hearing": ["2026-12-31"],  # 第五十七条
    }


def test_yanta(unit, gk):
    unit("yanta")
    dates = by_rule(gk.json("duties", "--year", "2026"))
    assert dates["duty.progress_report"] == ["2026-03-31", "2026-06-30", "2026-09-30", "2026-12-31"]
    assert dates["report.work_report_progress"] == ["2026-06-30", "2026-12-31"]
    assert dates["duty.inspection"] == ["2026-12-31"]
    assert dates["duty.website_check"] == ["2026-06-30", "2026-12-31"]
    assert dates["duty.training"] == ["2026-12-31"]
    assert dates["report.annual.agency"] == ["2026-01-31"]


def test_xixian_column_updates(unit, gk):
    unit("xixian")
    data = gk.json("duties", "--year", "2026")
    dates = by_rule(data)
    general = dates["platform.column_update"]  # every two weeks
    assert len(general) == 26
    assert general[:3] == ["2026-01-14", "2026-01-28", "2026-02-11"]
    assert general[-1] == "2026-12-31"
    assert dates["platform.column_update.policy"] == ["2026-06-30", "2026-12-31"]  # every half year
    assert dates["duty.training"] == ["2026-12-31"]
    titles = [d["title"] for d in data["duties"] if d["rule"] == "platform.column_update.policy"]
    assert titles == ["专项政策文件类栏目更新（上半年）", "专项政策文件类栏目更新（下半年）"]


def test_wuyuan(unit, gk):
    unit("wuyuan")
    data = gk.json("duties", "--year", "2027")
    dates = by_rule(data)
    assert dates["assessment.schedule"] == ["2027-11-15", "2027-12-05"]  # 11月中旬自查、12月初实地考核
    assert dates["duty.training_hours"] == ["2027-12-31"]
    assert "16学时" in next(d["title"] for d in data["duties"] if d["rule"] == "duty.training_hours")
    monthly = dates["newmedia.inactive.monthly"]  # 超过一个月不发布须说明原因
    assert len(monthly) == 12 and monthly[1] == "2027-02-28"
    assert dates["report.annual.agency"] == ["2027-01-31"]
    report = next(d for d in data["duties"] if d["rule"] == "report.annual.agency")
    assert "2026年度" in report["title"] and "九" in report["citation"]
    assert [d["date"] for d in data["duties"]] == sorted(d["date"] for d in data["duties"])


@pytest.mark.parametrize("jurisdiction", ["xixian", "yanta", "changning", "wuyuan"])
def test_ics_parses_back_with_the_expected_events(unit, gk, tmp_path, jurisdiction):
    unit(jurisdiction)
    path = tmp_path / "duties.ics"
    data = gk.json("duties", "--year", "2026", "--ics", str(path))
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    events = cal.walk("VEVENT")
    assert len(events) == len(data["duties"])
    parsed = {str(e["UID"]): (e.decoded("DTSTART").isoformat(), str(e["SUMMARY"])) for e in events}
    assert parsed == {d["uid"]: (d["date"], d["title"]) for d in data["duties"]}
    for event in events:
        assert (event.decoded("DTEND") - event.decoded("DTSTART")).days == 1  # an all-day event
        assert "依据：" in str(event["DESCRIPTION"])
        assert event.get("DTSTAMP") is not None
    # UIDs are stable, so a re-import updates events instead of duplicating them
    again = tmp_path / "again.ics"
    gk.ok("duties", "--year", "2026", "--ics", str(again))
    assert {str(e["UID"]) for e in icalendar.Calendar.from_ical(again.read_bytes()).walk("VEVENT")} == set(parsed)


def test_ics_has_the_annual_report_event(unit, gk, tmp_path):
    unit("changning")
    path = tmp_path / "c.ics"
    gk.ok("duties", "--year", "2026", "--ics", str(path))
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    assert "长宁区2026年" in str(cal["X-WR-CALNAME"])
    event = next(e for e in cal.walk("VEVENT") if str(e["UID"]) == "changning.report.annual.government.2026-02-28@gongkai")
    assert str(event["SUMMARY"]) == "本级政府信息公开工作年度报告（2025年度）"
    assert "第五十二条" in str(event["DESCRIPTION"])


def test_human_listing(unit, gk):
    unit("yanta")
    text = gk.ok("duties", "--year", "2026").stdout
    assert "雁塔区2026年例行工作" in text and "第三季度" in text
