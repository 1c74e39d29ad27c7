"""One "today", in Beijing, whatever the server's timezone; no step dated in the future or
before the step it depends on."""

from __future__ import annotations

import datetime as dt
import time
from zoneinfo import ZoneInfo

import pytest
from requests_helpers import approve_chain, before_steps, new_request

from gongkai.core import today as core_today


@pytest.fixture
def far_timezone(monkeypatch):
    """The server runs in a timezone a day away from Beijing half of the time."""
    monkeypatch.setenv("TZ", "America/Los_Angeles")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_today_is_beijing_whatever_the_server_timezone(far_timezone, gk, unit):
    beijing = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()
    assert core_today.today() == beijing
    unit("xixian")
    rid = str(new_request(gk)["id"])
    step = before_steps(gk, rid)[0]
    shown = gk.json("request", "review", rid, "--step", step, "--by", "甲", "--decision", "approve", "--outcome", "disclosed")
    assert next(s for s in shown["review_steps"] if s["id"] == step)["on"] == beijing.isoformat()
    assert gk.json("digest")["today"] == beijing.isoformat()


def test_a_fixed_today_and_a_bad_one(monkeypatch, gk, unit):
    unit("xixian")
    monkeypatch.setenv("GONGKAI_TODAY", "2026-03-05")
    assert core_today.today() == dt.date(2026, 3, 5)
    refused = gk.fails("request", "new", "--applicant", "张三", "--applicant-type", "natural_person", "--channel",
                       "in_person", "--submitted", "2026-03-06", "--subject", "某信息")
    assert "晚于今天" in refused.stderr and "2026-03-06" in refused.stderr
    monkeypatch.setenv("GONGKAI_TODAY", "昨天")
    assert "GONGKAI_TODAY" in gk.fails("ledger").stderr


def test_steps_in_the_future_or_before_what_they_follow_are_refused(gk, unit):
    unit("xixian")
    rid = str(new_request(gk, submitted="2026-03-02")["id"])
    future = "2099-01-04"
    gk.fails("request", "new", "--applicant", "张三", "--applicant-type", "natural_person", "--channel", "in_person",
             "--submitted", "2026-03-02", "--subject", "某信息", "--entered", future)
    gk.fails("request", "pause", rid, "--reason", "third_party", "--on", future)
    gk.fails("request", "extend", rid, "--days", "5", "--approved-by", "甲", "--on", future)
    gk.fails("request", "extend", rid, "--days", "5", "--approved-by", "甲", "--on", "2026-03-10",
             "--told-on", "2026-03-09")  # told before it was approved
    steps = before_steps(gk, rid)
    gk.ok("request", "review", rid, "--step", steps[0], "--by", "甲", "--decision", "approve", "--on", "2026-03-10",
          "--outcome", "disclosed")
    refused = gk.fails("request", "review", rid, "--step", steps[1], "--by", "乙", "--decision", "approve",
                       "--on", "2026-03-09")  # an approval before the draft it approves
    assert "早于" in refused.stderr
    approve_chain(gk, rid, steps[1:], on="2026-03-11", outcome=None)  # the draft's proposal, as it stands
    assert "早于" in gk.fails("request", "reply", rid, "--outcome", "disclosed", "--on", "2026-03-10").stderr
    gk.fails("request", "reply", rid, "--outcome", "disclosed", "--on", future)
    shown = gk.json("request", "reply", rid, "--outcome", "disclosed", "--on", "2026-03-12")
    assert shown["replied_on"] == "2026-03-12"
    # a query may look ahead
    assert gk.json("ledger", "--as-of", future)
