"""Dates after today (Beijing, core/today.py) are refused by every command that records what
happened, not only the request steps: documents, their reviews and clocks, matters, notices
(issue 15 item 7). Nothing is stored by a refusal. Commands about the future (a deadline, a
schedule, an "as of") keep taking future dates."""

from __future__ import annotations

import pytest

TODAY = "2026-10-20"
LATER = "2026-12-01"


@pytest.fixture
def office(backend, unit, gk, monkeypatch):
    unit("changning")
    monkeypatch.setenv("GONGKAI_TODAY", TODAY)
    gk.ok("document", "new", "--title", "关于某事的通知", "--kind", "其他", "--attribute", "主动公开",
          "--finalised", "2026-10-01")
    gk.ok("request", "new", "--applicant", "张三", "--applicant-type", "自然人", "--channel", "当面提交",
          "--submitted", "2026-10-09", "--subject", "老旧小区改造资金安排")
    gk.ok("matter", "open", "consult.reply", "--at", "2026-10-12")


def events(gk) -> int:
    return gk.json("audit", "verify")["events"]


REFUSED = [
    ("document", "new", "--title", "通知", "--kind", "其他", "--attribute", "主动公开", "--finalised", LATER),
    ("document", "new", "--title", "通知", "--kind", "其他", "--attribute", "主动公开", "--formed", LATER),
    ("document", "new", "--title", "通知", "--kind", "其他", "--attribute", "主动公开", "--finalised", "2026-10-01",
     "--changed", LATER),
    ("document", "review", "1", "--step", "保密审查", "--by", "李四", "--decision", "同意", "--on", LATER),
    ("document", "meet", "1", "--clock", "送交档案馆、图书馆", "--on", LATER),
    ("document", "attach", "1", "--interpretation", "解读材料", "--on", LATER),
    ("matter", "open", "consult.reply", "--at", LATER),
    ("matter", "open", "opinion.major_incident", "--at", f"{LATER}T09:30"),
    ("matter", "close", "1", "--at", LATER),
    ("request", "notice", "1", "--kind", "receipt", "--format", "md", "--out", "x.md", "--on", LATER),
    ("request", "fee", "1", "--method", "按件计收", "--notice-on", LATER, "--notice", "fee.md"),
]


@pytest.mark.parametrize("args", REFUSED, ids=[" ".join(a[:2]) + f"-{i}" for i, a in enumerate(REFUSED)])
def test_a_step_dated_after_today_is_refused_and_nothing_is_stored(office, gk, args):
    before = events(gk)
    refused = gk.fails(*args).stderr
    assert f"晚于今天（{TODAY}，北京时间）" in refused and "请核对日期" in refused
    assert events(gk) == before


def test_the_same_steps_dated_today_are_recorded(office, gk):
    gk.ok("document", "review", "1", "--step", "保密审查", "--by", "李四", "--decision", "同意", "--on", TODAY)
    gk.ok("document", "meet", "1", "--clock", "送交档案馆、图书馆", "--on", TODAY)
    gk.ok("matter", "close", "1", "--at", TODAY)
    gk.ok("request", "notice", "1", "--kind", "receipt", "--format", "md", "--out", "x.md", "--on", TODAY)
    # about the future: a deadline, a schedule, an "as of" still take later dates
    assert gk.json("deadline", "request.reply", "--start", LATER)["due"] > LATER
    gk.ok("ledger", "--as-of", LATER)
    assert gk.json("audit", "verify")["ok"]
