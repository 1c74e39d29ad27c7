"""The PRC working-day calendar: holidays, make-up days, provisional years, schedule files."""

import datetime as dt

import pytest

from gongkai.core.time.calendar import load_calendar, read_schedule
from gongkai.core.errors import GongkaiError
from gongkai.hookspecs.records import CalendarAdjustment

D = dt.date


@pytest.fixture(scope="module")
def cal():
    return load_calendar()


def test_spring_festival_2026_with_make_up_saturdays(cal):
    # 2026 春节: Feb 15-23 off; Saturdays Feb 14 and Feb 28 are make-up working days.
    assert cal.day(D(2026, 2, 14)).kind == "makeup_workday"
    assert cal.day(D(2026, 2, 14)).workday
    assert cal.day(D(2026, 2, 17)).kind == "holiday"
    assert cal.day(D(2026, 2, 17)).name == "春节"
    assert not cal.is_workday(D(2026, 2, 23))  # Monday, still off
    assert cal.is_workday(D(2026, 2, 28))
    # Thu Feb 12 + 20 WD: 13, 14(Sat), 24-27, 28(Sat), Mar 2-6, 9-13, 16-18
    assert cal.add_working_days(D(2026, 2, 12), 2) == D(2026, 2, 14)
    assert cal.add_working_days(D(2026, 2, 12), 3) == D(2026, 2, 24)
    assert cal.add_working_days(D(2026, 2, 12), 20) == D(2026, 3, 18)


def test_national_day_2026_with_make_up_sunday_and_saturday(cal):
    # 国庆+中秋: Sep 25 and Oct 1-7 off; Sun Sep 20 and Sat Oct 10 are make-up days.
    assert cal.day(D(2026, 9, 20)).kind == "makeup_workday"
    assert cal.day(D(2026, 10, 10)).kind == "makeup_workday"
    assert cal.add_working_days(D(2026, 9, 18), 1) == D(2026, 9, 20)
    # Thu Sep 24: 28, 29, 30, Oct 8, 9, 10(Sat), 12-16, 19-23, 26-29
    assert cal.add_working_days(D(2026, 9, 24), 4) == D(2026, 10, 8)
    assert cal.add_working_days(D(2026, 9, 24), 6) == D(2026, 10, 10)
    assert cal.add_working_days(D(2026, 9, 24), 20) == D(2026, 10, 29)


def test_agrees_with_chinese_calendar_package(cal):
    chinese_calendar = pytest.importorskip("chinese_calendar")
    start = D(2026, 1, 1)
    for n in range(0, 365, 3):
        day = start + dt.timedelta(days=n)
        assert cal.is_workday(day) == chinese_calendar.is_workday(day), day


def test_start_on_a_rest_day_is_day_zero(cal):
    # Sat Mar 7, Sun Mar 8 and Fri Mar 6 all reach the same 20th working day, Apr 3.
    for start in (D(2026, 3, 6), D(2026, 3, 7), D(2026, 3, 8)):
        assert cal.add_working_days(start, 20) == D(2026, 4, 3)
    assert cal.add_working_days(D(2026, 2, 15), 1) == D(2026, 2, 24)  # received during 春节


def test_working_days_between_counts_after_start_up_to_end(cal):
    assert cal.working_days_between(D(2026, 9, 24), D(2026, 10, 29)) == 20
    assert cal.working_days_between(D(2026, 10, 1), D(2026, 10, 7)) == 0
    assert cal.working_days_between(D(2026, 3, 4), D(2026, 3, 11)) == 5


def test_years_without_official_schedule_are_provisional(cal):
    assert cal.last_final_year == 2026
    assert not cal.day(D(2026, 12, 31)).provisional
    assert cal.day(D(2027, 1, 4)).provisional
    # statutory rules still apply in a provisional year: 1 January is off
    assert not cal.is_workday(D(2027, 1, 1))


SCHEDULE_2027 = """\
year = 2027
notice = "国务院办公厅关于2027年部分节假日安排的通知（测试用）"

[[holidays]]
name = "元旦"
off = [2027-01-01, 2027-01-03]

[[holidays]]
name = "春节"
off = [2027-02-05, 2027-02-12]
makeup_workdays = [2027-02-20]
"""


def test_schedule_file_makes_the_year_final(tmp_path):
    folder = tmp_path / "calendar"
    folder.mkdir()
    (folder / "2027.toml").write_text(SCHEDULE_2027, encoding="utf-8")
    cal = load_calendar([folder])
    assert not cal.is_provisional(D(2027, 6, 1))
    assert cal.day(D(2027, 2, 20)).kind == "makeup_workday"
    assert cal.day(D(2027, 2, 20)).name == "春节调休上班"
    assert cal.day(D(2027, 2, 12)).kind == "holiday"
    assert cal.day(D(2028, 1, 3)).provisional


def test_bad_schedule_file_names_the_problem(tmp_path):
    bad = tmp_path / "2027.toml"
    bad.write_text('year = 2027\n[[holidays]]\nname = "春节"\noff = [2027-02-05]\n', encoding="utf-8")
    with pytest.raises(GongkaiError, match="off 应为"):
        read_schedule(bad)
    bad.write_text(
        'year = 2027\n[[holidays]]\nname = "春节"\noff = [2027-02-05, 2027-02-06]\nmakeup_workdays = [2027-02-10]\n',
        encoding="utf-8",
    )
    with pytest.raises(GongkaiError, match="不是周末"):
        read_schedule(bad)


def test_local_adjustment_changes_the_count(cal):
    local = cal.adjusted([CalendarAdjustment(date="2026-10-29", workday=False, name="台风停工")])
    assert not local.is_workday(D(2026, 10, 29))
    assert local.day(D(2026, 10, 29)).name == "台风停工"
    assert local.add_working_days(D(2026, 9, 24), 20) == D(2026, 10, 30)
    assert local.fingerprint != cal.fingerprint
    assert cal.add_working_days(D(2026, 9, 24), 20) == D(2026, 10, 29)  # the original is untouched


def test_calendar_cli(gk):
    info = gk.json("calendar", "2026-10-10")
    assert info == {
        "date": "2026-10-10",
        "workday": True,
        "kind": "makeup_workday",
        "name": "国庆节调休上班",
        "provisional": False,
    }
    assert gk.json("calendar", "2026-10-01")["kind"] == "holiday"
    assert gk.json("calendar", "2026-10-11")["kind"] == "weekend"
    year = gk.json("calendar", "--year", "2026")
    kinds = {d["date"]: d["kind"] for d in year["days"]}
    assert kinds["2026-02-14"] == "makeup_workday" and kinds["2026-02-17"] == "holiday"
    assert year["provisional"] is False
    assert gk.json("calendar", "--year", "2027")["provisional"] is True
    gk.fails("calendar", "2026-13-01")
    gk.fails("calendar")


def test_calendar_load_command_makes_2027_final(gk, tmp_path, unit):
    unit("changning")
    schedule = tmp_path / "notice-2027.toml"
    schedule.write_text(SCHEDULE_2027, encoding="utf-8")
    assert gk.json("deadline", "request.reply", "--start", "2026-12-15")["provisional"] is True
    result = gk.json("calendar", "--load", str(schedule))
    assert result["year"] == 2027 and result["final"] is True
    assert (tmp_path / "calendar" / "2027.toml").is_file()
    data = gk.json("deadline", "request.reply", "--start", "2026-12-15")
    assert data["provisional"] is False


def test_calendar_load_of_the_file_already_in_place_recomputes(gk, tmp_path, unit, monkeypatch):
    unit("changning")  # the README's own path: calendar/2027.toml in the unit folder
    monkeypatch.setenv("GONGKAI_TODAY", "2027-01-25")  # a request of a year still provisional, on its day
    rid = gk.json("request", "new", "--applicant", "张三", "--applicant-type", "natural_person",
                  "--channel", "in_person", "--submitted", "2027-01-25", "--subject", "某信息")["id"]
    assert gk.json("request", "show", str(rid))["provisional"] is True
    (tmp_path / "calendar").mkdir()
    (tmp_path / "calendar" / "2027.toml").write_text(SCHEDULE_2027, encoding="utf-8")
    result = gk.json("calendar", "--load", "calendar/2027.toml")
    assert result["final"] is True and result["recomputed"] >= 1
    assert (tmp_path / "calendar" / "2027.toml").read_text(encoding="utf-8") == SCHEDULE_2027  # intact


def test_request_show_uses_a_schedule_dropped_in_later(gk, tmp_path, unit, monkeypatch):
    unit("yanta")
    monkeypatch.setenv("GONGKAI_TODAY", "2027-01-25")  # a request of a year still provisional, on its day
    rid = gk.json("request", "new", "--applicant", "张三", "--applicant-type", "natural_person",
                  "--channel", "in_person", "--submitted", "2027-01-25", "--subject", "某信息")["id"]
    before = gk.json("request", "show", str(rid))
    assert before["provisional"] is True
    folder = tmp_path / "calendar"
    folder.mkdir()
    (folder / "2027.toml").write_text(SCHEDULE_2027, encoding="utf-8")
    after = gk.json("request", "show", str(rid))
    assert after["provisional"] is False
    expected = load_calendar([folder]).add_working_days(D(2027, 1, 25), 20)
    assert after["due"] == expected.isoformat() != before["due"]
