"""The deadline engine: units, target and limit, pauses, restarts, extensions."""

import datetime as dt

import pytest

from gongkai.core.time.calendar import load_calendar
from gongkai.core.time.deadlines import BEIJING, Extension, Pause, check_extension, compute, parse_moment, working_days_used
from gongkai.core.errors import GongkaiError, StepRefused
from gongkai.core.law.national import rules as national
from gongkai.hookspecs.records import DeadlineRule, Unit

D = dt.date
REPLY = next(r for r in national.DEADLINES if r.id == "request.reply")
EXTENSION = next(r for r in national.DEADLINES if r.id == "request.extension")


@pytest.fixture(scope="module")
def cal():
    return load_calendar()


def test_reply_across_national_day(cal):
    d = compute(REPLY, D(2026, 9, 24), cal)
    assert d.due == D(2026, 10, 29)
    assert d.limit is None and not d.provisional


def test_pause_is_excluded_from_the_count(cal):
    # Mon Mar 2 + 20 WD = Mon Mar 30; paused Mar 4 -> Mar 11 (5 WD: 5, 6, 9, 10, 11)
    assert compute(REPLY, D(2026, 3, 2), cal).due == D(2026, 3, 30)
    d = compute(REPLY, D(2026, 3, 2), cal, pauses=[Pause(D(2026, 3, 4), D(2026, 3, 11), "third_party")])
    assert d.paused_working_days == 5
    assert d.due == D(2026, 4, 7)  # Mar 31, Apr 1-3, then 清明 Apr 4-6, Apr 7
    assert working_days_used(cal, D(2026, 3, 2), D(2026, 3, 16), [Pause(D(2026, 3, 4), D(2026, 3, 11))]) == 5


def test_open_pause_stops_the_clock(cal):
    d = compute(REPLY, D(2026, 3, 2), cal, pauses=[Pause(D(2026, 3, 4), None, "third_party")])
    assert d.paused and d.due is None
    # while stopped, the days used stay at 2 (Mar 3, 4) however late it is
    assert working_days_used(cal, D(2026, 3, 2), D(2026, 3, 20), [Pause(D(2026, 3, 4))]) == 2


def test_restart_counts_from_the_corrected_request(cal):
    # 条例 第三十条: the period runs from receipt of the corrected request
    assert compute(REPLY, D(2026, 3, 20), cal).due == D(2026, 4, 20)


def test_target_and_hard_limit(cal):
    rule = DeadlineRule(id="proactive.publish", summary="测试", citation="测试 第四十条",
                        unit="working_days", amount=10, limit=20)
    d = compute(rule, D(2026, 9, 24), cal)
    assert d.due == D(2026, 10, 15)
    assert d.limit == D(2026, 10, 29)


def test_extension_is_bounded_by_the_rule(cal):
    with pytest.raises(StepRefused, match="最长不得超过20个工作日"):
        check_extension(EXTENSION, 21, granted_before=0)
    with pytest.raises(StepRefused, match="最多延长1次"):
        check_extension(EXTENSION, 5, granted_before=1)
    ext = check_extension(EXTENSION, 20, granted_before=0)
    d = compute(REPLY, D(2026, 9, 24), cal, extension=ext)
    assert d.due == cal.add_working_days(D(2026, 10, 29), 20) == D(2026, 11, 26)


def test_extension_in_months(cal):
    rule = DeadlineRule(id="request.extension", summary="测试", citation="测试", unit="months", amount=3, max_count=1)
    ext = check_extension(rule, 3, granted_before=0)
    assert ext == Extension(3, Unit.MONTHS)
    assert compute(REPLY, D(2026, 9, 24), cal, extension=ext).due == D(2027, 1, 29)
    with pytest.raises(StepRefused):
        check_extension(rule, 4, granted_before=0)


def test_hours_and_minutes_across_midnight(cal):
    five_hours = DeadlineRule(id="opinion.major_incident", summary="测试", citation="测试", unit="hours", amount=5)
    start = parse_moment("2026-09-30T21:30", Unit.HOURS)
    assert start.tzinfo is BEIJING
    d = compute(five_hours, start, cal)
    assert d.due == dt.datetime(2026, 10, 1, 2, 30, tzinfo=BEIJING)
    minutes = DeadlineRule(id="newmedia.first_release", summary="测试", citation="测试", unit="minutes", amount=120)
    d = compute(minutes, parse_moment("2026-12-31T23:10+08:00", Unit.MINUTES), cal)
    assert d.due.isoformat() == "2027-01-01T01:10:00+08:00"


def test_calendar_days_months_and_annual_dates(cal):
    week = DeadlineRule(id="request.overturned_registration", summary="测试", citation="测试", unit="calendar_days", amount=7)
    assert compute(week, D(2026, 9, 28), cal).due == D(2026, 10, 5)
    month = DeadlineRule(id="newmedia.inactive", summary="测试", citation="测试", unit="months", amount=1)
    assert compute(month, D(2026, 1, 31), cal).due == D(2026, 2, 28)
    annual = next(r for r in national.DEADLINES if r.id == "report.annual.agency")
    assert compute(annual, D(2026, 6, 1), cal).due == D(2027, 1, 31)


def test_deadline_into_2027_is_provisional(cal):
    assert compute(REPLY, D(2026, 12, 15), cal).provisional
    assert not compute(REPLY, D(2026, 11, 2), cal).provisional


def test_bad_input_is_a_clear_error():
    with pytest.raises(GongkaiError, match="不是有效日期"):
        parse_moment("2026-02-30", Unit.WORKING_DAYS)
    with pytest.raises(GongkaiError, match="日期时间"):
        parse_moment("tomorrow", Unit.HOURS)
    with pytest.raises(ValueError, match="limit"):
        DeadlineRule(id="x.y", summary="s", citation="c", unit="working_days", amount=20, limit=10)
