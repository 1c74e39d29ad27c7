"""Case work (issue 34): 分办 (a request's 承办人), 我的待办 of each person, comments.

The CLI and the web call the same core functions; these tests drive the CLI on SQLite and
PostgreSQL and read back the ledger, `request show --json`, `todo --as` and `audit verify`."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from gongkai.core.app import App
from requests_helpers import LoggedIn, new_request
from test_accounts import PASSWORD, add

STAFF = {"admin": ["单位管理员"], "clerk": ["承办人"], "clerk2": ["承办人"], "lawyer": ["律师"],
         "head": ["单位主要负责同志"], "chief": ["政府信息公开工作机构负责人"], "filing": ["新区政务公开工作机构"]}


@pytest.fixture
def gk(gk):
    return LoggedIn(gk, PASSWORD)


def staff(gk):
    for name, roles in STAFF.items():
        assert add(gk, name, *roles, by=None if name == "admin" else "admin").exit_code == 0


def todo(gk, who, as_of="2026-03-10"):
    return [(x["kind"], x["request"], x["what"]) for x in gk.json("todo", "--as", who, "--as-of", as_of)]


def test_assignment_todo_and_comments(gk, unit, backend):
    unit("xixian")
    staff(gk)
    one = str(new_request(gk, extra=["--by", "clerk"])["id"])
    two = str(new_request(gk, applicant="李四", extra=["--by", "clerk"])["id"])
    shown = gk.json("request", "show", one)
    assert shown["assignee"] is None  # no unit rule: unassigned
    # unassigned: the assigners see it; every 承办人 sees the draft step marked so
    assert ("assign", int(one), "确定承办人") in todo(gk, "chief")
    assert ("assign", int(one), "确定承办人") in todo(gk, "admin")
    assert any(k == "step" and "尚未分办" in w for k, r, w in todo(gk, "clerk2") if r == int(one))
    # only the administrator or the office head assigns; to a 承办人 only
    assert "承办人" in gk.fails("request", "assign", one, "--to", "clerk", "--by", "clerk", code=3).stderr
    assert "没有“承办人”角色" in gk.fails("request", "assign", one, "--to", "lawyer", "--by", "chief").stderr
    data = gk.json("request", "assign", one, "--to", "clerk", "--reason", "熟悉该领域", "--by", "chief")
    assert data["assignee"] == "clerk"
    gk.ok("request", "assign", two, "--to", "clerk2", "--by", "admin")
    assert [r["id"] for r in gk.json("ledger", "--assignee", "clerk")] == [int(one)]
    assert [r["id"] for r in gk.json("ledger", "--assignee", "clerk2")] == [int(two)]
    assert gk.json("ledger", "--assignee", "-") == []
    assert "承办人" in gk.ok("ledger").output
    # each 承办人's list holds exactly its own requests
    assert todo(gk, "clerk") == [("step", int(one), "编制《政府信息公开告知书》")]
    assert todo(gk, "clerk2") == [("step", int(two), "编制《政府信息公开告知书》")]
    assert todo(gk, "lawyer") == [] and todo(gk, "chief") == []
    # the clerk drafts and comments; the lawyer's list then holds request one
    gk.ok("request", "review", one, "--step", "draft", "--by", "clerk", "--decision", "approve", "--on", "2026-03-05",
          "--outcome", "disclosed", "--reason", "已**主动**公开", "--comment", "已核对原件")
    gk.ok("request", "comment", one, "申请人来电询问进度，已告知", "--by", "clerk")
    gk.ok("request", "comment", one, "理由请写明文件名称", "--step", "律师审核", "--by", "lawyer")
    assert todo(gk, "lawyer") == [("step", int(one), "律师审核")]
    assert todo(gk, "clerk") == []
    gk.ok("request", "review", one, "--step", "lawyer", "--by", "lawyer", "--decision", "approve", "--on", "2026-03-06")
    assert todo(gk, "head") == [("step", int(one), "单位主要负责同志审批")]
    gk.ok("request", "review", one, "--step", "principal_head", "--by", "head", "--decision", "approve",
          "--on", "2026-03-06")
    lines = gk.json("todo", "--as", "clerk", "--as-of", "2026-03-10")
    assert [(x["kind"], x["request"]) for x in lines] == [("reply", int(one))]
    assert lines[0]["due"] and lines[0]["days_left"] > 0 and not lines[0]["overdue"]
    gk.ok("request", "reply", one, "--on", "2026-03-10", "--by", "clerk")
    assert todo(gk, "filing") == [("after", int(one), "报新区政务公开工作机构备案")]
    events = gk.json("request", "show", one)["events"]
    comments = [e for e in events if e["action"] == "comment"]
    assert [c["actor"] for c in comments] == ["clerk", "lawyer"]
    assert "理由请写明文件名称" in gk.ok("request", "show", one).output or comments
    # a reassignment is an event with its reason; the column is under the log
    gk.ok("request", "assign", two, "--to", "clerk", "--reason", "clerk2 休假", "--by", "chief")
    assign = [e for e in gk.json("request", "show", two)["events"] if e["action"] == "assign"]
    assert len(assign) == 2
    assert gk("audit", "verify").exit_code == 0
    app = App()
    with app.engine.begin() as conn:
        conn.execute(text("UPDATE disclosure_request SET assignee = 'clerk2' WHERE id = :i AND unit_id IS NOT NULL"), {"i": int(two)})
    app.engine.dispose()
    found = gk("audit", "verify")
    assert found.exit_code != 0 and "承办人" in found.output + found.stderr


def test_a_unit_rule_assigns_new_requests(gk, unit, tmp_path):
    config = unit("xixian")
    staff(gk)
    config.write_text(config.read_text(encoding="utf-8") + '\n[cases]\nassign_new_to = "登记人"\n', encoding="utf-8")
    rid = new_request(gk, extra=["--by", "clerk2"])["id"]
    assert gk.json("request", "show", str(rid))["assignee"] == "clerk2"
    config.write_text(config.read_text(encoding="utf-8").replace('"登记人"', '"clerk"'), encoding="utf-8")
    rid = new_request(gk, extra=["--by", "clerk2"])["id"]
    assert gk.json("request", "show", str(rid))["assignee"] == "clerk"
    assert gk("audit", "verify").exit_code == 0


def test_todo_refuses_an_unknown_account(gk, unit):
    unit("xixian")
    staff(gk)
    assert "不存在" in gk.fails("todo", "--as", "nobody").stderr


def test_todo_lists_the_open_matters_due_soon(gk, unit, backend):
    """A 承办人's 我的待办 holds the unit's open matters due within the horizon, and a closed
    matter leaves it (the matters are read first, then their clocks)."""
    unit("xixian")
    staff(gk)
    first = gk.json("matter", "open", "mailbox.reply", "--at", "2026-03-09T10:00", "--by", "clerk")["id"]
    second = gk.json("matter", "open", "mailbox.reply", "--at", "2026-03-09T11:00", "--by", "clerk")["id"]
    mine = [x for x in gk.json("todo", "--as", "clerk", "--as-of", "2026-03-10") if x["kind"] == "matter"]
    assert [x["matter"] for x in mine] == [first, second] and all(x["due"] for x in mine)
    assert [x for x in gk.json("todo", "--as", "lawyer", "--as-of", "2026-03-10") if x["kind"] == "matter"] == []
    gk.ok("matter", "close", str(first), "--at", "2026-03-09T12:00", "--by", "clerk")
    assert [x["matter"] for x in gk.json("todo", "--as", "clerk", "--as-of", "2026-03-10")
            if x["kind"] == "matter"] == [second]
