"""Reminders by email (issue 34 item 6), through a real SMTP server on loopback (aiosmtpd):
each account's own digest from `gongkai digest --email`, the note when a step comes to wait for
someone, and a note that could not be sent recorded on the request without undoing the step."""

from __future__ import annotations

import pytest

from mail_helpers import mail_toml, smtp_server
from requests_helpers import LoggedIn, new_request
from test_accounts import PASSWORD
from test_case_work import STAFF, staff


@pytest.fixture
def gk(gk):
    return LoggedIn(gk, PASSWORD)


def addresses(gk):
    for name in STAFF:
        gk.ok("user", "email", name, f"{name}@example.gov.cn", "--by", "admin")


def to(messages, name):
    return [m for m in messages if m["To"] == f"{name}@example.gov.cn"]


def test_notes_and_digests_by_email(gk, unit):
    config = unit("xixian")
    staff(gk)
    addresses(gk)
    assert gk.json("user", "list")[0]["email"].endswith("@example.gov.cn")
    with smtp_server() as (port, messages):
        config.write_text(config.read_text(encoding="utf-8") + mail_toml(port), encoding="utf-8")
        rid = str(new_request(gk, submitted="2026-03-02", extra=["--by", "clerk"])["id"])
        # unassigned: those who assign are told
        assert {m["To"] for m in messages} == {"admin@example.gov.cn", "chief@example.gov.cn"}
        assert "确定承办人" in to(messages, "chief")[0]["Subject"]
        messages.clear()
        gk.ok("request", "assign", rid, "--to", "clerk", "--by", "chief")
        assert [m["To"] for m in messages] == ["clerk@example.gov.cn"]
        assert "编制《政府信息公开告知书》" in messages[0].get_content()
        messages.clear()
        gk.ok("request", "review", rid, "--step", "draft", "--by", "clerk", "--decision", "approve",
              "--on", "2026-03-05", "--outcome", "disclosed")
        assert [m["To"] for m in messages] == ["lawyer@example.gov.cn"]
        assert "律师审核" in messages[0]["Subject"]
        messages.clear()
        # the daily digest: each account its own work, overdue first
        out = gk.ok("digest", "--email", "--as-of", "2026-04-20")
        assert "已发送 1 封" in out.output and "无待办提醒：admin、chief、clerk" in out.output, out.output
        lawyer = to(messages, "lawyer")
        assert len(lawyer) == 1 and "已逾期 1 项" in lawyer[0]["Subject"]
        body = lawyer[0].get_content()
        assert f"申请 {rid}" in body and "律师审核" in body and "已逾期" in body
        assert [m["To"] for m in messages] == ["lawyer@example.gov.cn"]  # nothing waits for the others
    # the mail server is gone: the step is recorded all the same, the failure on the request
    gk.ok("request", "review", rid, "--step", "lawyer", "--by", "lawyer", "--decision", "approve", "--on", "2026-03-06")
    shown = gk.json("request", "show", rid)
    assert [s["done"] for s in shown["review_steps"] if s["id"] == "lawyer"] == [True]
    failed = [e for e in shown["events"] if e["action"] == "mail_failed"]
    assert failed and failed[0]["after"]["to"] == "head"
    assert "提醒邮件未能发出" in gk.ok("request", "show", rid).output
    assert gk("digest", "--email").exit_code != 0
    assert gk("audit", "verify").exit_code == 0


def test_email_addresses_are_checked(gk, unit):
    unit("xixian")
    staff(gk)
    assert "格式不正确" in gk.fails("user", "email", "clerk", "not-an-address", "--by", "admin").stderr
    gk.ok("user", "email", "clerk", "-", "--by", "admin")
    assert "未配置邮件服务器" in gk.fails("digest", "--email").stderr
