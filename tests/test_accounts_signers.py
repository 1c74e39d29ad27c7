"""Once a unit has accounts, every signer (--by, --approved-by, --head) is an active account
holding the step's role, and the event log's actor is the account."""

from __future__ import annotations

from gongkai.core.app import App

import pytest

from requests_helpers import LoggedIn, new_request
from test_accounts import PASSWORD, _events, add


@pytest.fixture
def gk(gk):
    return LoggedIn(gk, PASSWORD)

ROLES = {  # xixian: 承办人 → 律师 → 单位主要负责同志, then filing with the zone's office
    "admin": ["单位管理员"],
    "clerk": ["承办人"],
    "lawyer": ["律师"],
    "head": ["单位主要负责同志"],
    "both": ["承办人", "律师"],  # drafts, and is a lawyer: may not review their own draft
    "chief": ["政府信息公开工作机构负责人"],
}


def accounts(gk, roles=ROLES):
    for name, its in roles.items():
        assert add(gk, name, *its, by=None if name == "admin" else "admin").exit_code == 0


def review(gk, rid, step, by, decision="approve"):
    proposal = ("--outcome", "disclosed") if step == "draft" else ()  # the first signature states the proposal
    return gk("request", "review", rid, "--step", step, "--by", by, "--decision", decision, "--on", "2026-03-10",
              *proposal)


def test_a_unit_without_accounts_keeps_free_text_signers(gk, unit):
    unit("xixian")
    rid = str(new_request(gk, extra=["--by", "任何人"])["id"])
    assert review(gk, rid, "draft", "随便谁").exit_code == 0
    assert {e.actor for e in _events(App()) if e.subject_kind == "request"} == {"任何人", "随便谁"}


def test_signers_are_accounts_holding_the_steps_role(gk, unit, backend, monkeypatch):
    unit("xixian")
    accounts(gk)
    rid = str(new_request(gk, extra=["--by", "clerk"])["id"])
    # registering: 承办人 only; an unknown, a missing and a disabled signer are refused
    assert "承办人" in gk.fails("request", "new", "--applicant", "李四", "--applicant-type", "natural_person",
                               "--channel", "in_person", "--submitted", "2026-03-02", "--subject", "某事",
                               "--by", "lawyer", code=3).stderr
    assert "不是本单位的账户" in gk.fails("request", "pause", rid, "--reason", "third_party", "--on", "2026-03-03",
                                     "--by", "张三").stderr
    gk.ok("logout")
    assert "未登录" in gk.fails("request", "pause", rid, "--reason", "third_party", "--on", "2026-03-03").stderr
    monkeypatch.setenv("GONGKAI_USER", "clerk")  # the default signer
    gk.ok("login", "clerk", "--password-stdin", input=PASSWORD + "\n")
    gk.ok("request", "pause", rid, "--reason", "third_party", "--on", "2026-03-03")
    monkeypatch.delenv("GONGKAI_USER")
    gk.ok("request", "resume", rid, "--on", "2026-03-04", "--by", "clerk")

    # the chain: each step by its role; the drafter who is also a lawyer may not review the draft
    refused = review(gk, rid, "draft", "lawyer")
    assert refused.exit_code == 3 and "“承办人”" in refused.stderr and "lawyer" in refused.stderr
    assert review(gk, rid, "draft", "both").exit_code == 0
    own = review(gk, rid, "lawyer", "both")
    assert own.exit_code == 3 and "不能审批自己经手" in own.stderr
    assert review(gk, rid, "lawyer", "lawyer").exit_code == 0
    wrong = review(gk, rid, "principal_head", "clerk")
    assert wrong.exit_code == 3 and "“单位主要负责同志”" in wrong.stderr and "单位主要负责同志审批" in wrong.stderr
    admin = review(gk, rid, "principal_head", "admin")  # the administrator signs no workflow step
    assert admin.exit_code == 3
    assert review(gk, rid, "principal_head", "head").exit_code == 0

    # 条例 第三十三条: an extension is approved by the office head, an account with that role
    # nobody approves in another's name: the approver logs in and records it
    extend = ["request", "extend", rid, "--days", "20", "--on", "2026-03-11", "--approved-by"]
    assert "不能以他人名义办理" in gk.fails(*extend, "chief", "--by", "clerk").stderr
    assert "政府信息公开工作机构负责人" in gk.fails(*extend, "head", "--by", "head", code=3).stderr
    gk.ok(*extend, "chief", "--by", "chief")

    # reveal: the request's people, not the administrator
    gk.fails("request", "show", rid, "--reveal", "--by", "admin", code=3)
    gk.ok("request", "show", rid, "--reveal", "--by", "lawyer")

    gk.ok("user", "disable", "clerk", "--by", "admin")
    assert "已停用" in gk.gk("login", "clerk", "--password-stdin", input=PASSWORD + "\n").stderr
    assert "不能以他人名义" in gk.gk("request", "reply", rid, "--outcome", "disclosed", "--on", "2026-03-12",
                                  "--by", "clerk").stderr
    replied = gk.json("request", "reply", rid, "--outcome", "disclosed", "--on", "2026-03-12", "--by", "both")
    assert replied["state"] == "replied"
    assert [s["by"] for s in replied["review_steps"] if s["done"]] == ["both", "lawyer", "head"]

    actors = [(e.action, e.actor) for e in _events(App()) if e.subject_kind == "request"]
    assert actors[0] == ("receive", "clerk") and actors[-1][1] == "both"
    assert {a for _, a in actors} <= set(ROLES)  # every actor in the log is an account
    assert gk.json("audit", "verify")["ok"] is True


def test_document_signers_and_the_second_signer(gk, unit):
    unit("xixian")
    accounts(gk, {"admin": ["单位管理员"], "clerk": ["承办人"], "secrecy": ["保密审查员"],
                  "lead": ["分管保密工作负责人"], "publisher": ["信息发布员"]})
    doc = str(gk.json("document", "new", "--title", "关于开展某项工作的通知", "--kind", "其他", "--attribute", "主动公开",
                      "--finalised", "2026-09-24", "--by", "clerk")["id"])
    step = ["document", "review", doc, "--step", "confidentiality", "--decision", "approve", "--on", "2026-09-25"]
    assert "“保密审查员”" in gk.fails(*step, "--by", "clerk", code=3).stderr
    # the second signer is never a name the reviewer types: lead has not logged in
    named = gk.fails(*step, "--by", "secrecy", "--head", "lead", code=1).stderr
    assert "第二签字人须本人登录" in named and "cosign" in named
    assert gk.json("document", "show", doc)["review_steps"][0]["done"] is False  # nothing half-written
    gk.ok(*step, "--by", "secrecy")
    cosign = ["document", "cosign", doc, "--step", "保密审查"]
    # the second signature is the logged-in account's own, holding the second role, another person
    assert "“分管保密工作负责人”" in gk.fails(*cosign, "--by", "clerk", code=3).stderr
    assert "不是当前登录的账户" in gk.gk.fails(*cosign, "--by", "lead", code=1).stderr  # clerk is logged in
    signed = gk.json(*cosign, "--by", "lead")
    assert [(s["by"], s["head"]) for s in signed["review_steps"][:1]] == [("secrecy", "lead")]
    assert "不能重复签字" in gk.fails(*cosign, "--by", "lead", code=3).stderr
    cosigned = [e for e in _events(App()) if e.subject_kind == "document" and e.action == "review.cosign"]
    assert [e.actor for e in cosigned] == ["lead"]
    refused = gk.fails("document", "publish", doc, "--on", "2026-09-28", "--channel", "政府网站", "--by", "clerk", code=3)
    assert "信息发布员" in refused.stderr or "内容审核" in refused.stderr
    gk.fails("document", "repeal", doc, "--on", "2026-09-28", "--by", "secrecy", code=3)
    gk.ok("document", "repeal", doc, "--on", "2026-09-28", "--by", "clerk")
    events = [e for e in _events(App()) if e.subject_kind == "document"]
    assert [e.actor for e in events][0] == "clerk" and events[-1].actor == "clerk"


def test_matters_are_opened_and_closed_by_a_handler(gk, unit):
    unit("changning")
    assert gk.json("matter", "open", "consult.reply", "--at", "2026-09-24T10:00")["id"]  # no accounts: as before
    accounts(gk, {"admin": ["单位管理员"], "clerk": ["承办人"], "head": ["政府信息公开工作机构负责人"]})
    assert "“承办人”" in gk.fails("matter", "open", "consult.reply", "--at", "2026-09-24T10:00", "--by", "head",
                                 code=3).stderr
    opened = gk.json("matter", "open", "consult.reply", "--at", "2026-09-24T10:00", "--by", "clerk")
    gk.ok("matter", "close", str(opened["id"]), "--at", "2026-09-24T11:00", "--by", "clerk")
    actors = [e.actor for e in _events(App()) if e.subject_kind == "matter"]
    assert actors == ["", "clerk", "clerk"]


def test_corrections_and_withdrawals_are_a_handlers(gk, unit):
    unit("yanta")
    accounts(gk, {"admin": ["单位管理员"], "clerk": ["承办人"], "chief": ["政府信息公开工作机构负责人"]})
    rid = str(new_request(gk, extra=["--by", "clerk"])["id"])
    edit = ["request", "edit", rid, "--subject", "2026年老旧小区改造资金", "--reason", "录入错误", "--by"]
    assert "“承办人”" in gk.fails(*edit, "chief", code=3).stderr
    gk.ok(*edit, "clerk")
    withdraw = ["request", "withdraw", rid, "--on", "2026-03-05", "--how", "书面", "--by"]
    assert "“承办人”" in gk.fails(*withdraw, "admin", code=3).stderr
    assert gk.json(*withdraw, "clerk")["state"] != "received"


def test_the_leader_in_charge_approves_a_catalogue_item_in_that_capacity(gk, unit):
    """Issue 32 item 7 (西咸新区 附件2 备注): an account holding 分管政务公开领导 may sign 单位主要负责人审批,
    and its signature is recorded as that capacity's (列入本单位《政务公开事项目录》), never as the head's."""
    unit("xixian")
    accounts(gk, {"admin": ["单位管理员"], "clerk": ["承办人"], "secrecy": ["保密审查员"], "reviewer": ["审查人"],
                  "leader": ["分管政务公开领导"]})
    doc = str(gk.json("document", "new", "--title", "某目录事项", "--kind", "其他", "--attribute", "主动公开",
                      "--finalised", "2026-09-24", "--interpretation", "解读", "--by", "clerk")["id"])
    step = ["document", "review", doc, "--decision", "approve", "--on", "2026-09-25"]
    gk.ok(*step, "--step", "confidentiality", "--by", "secrecy")
    gk.ok(*step, "--step", "content", "--by", "reviewer")
    assert "“单位主要负责人”或“分管政务公开领导”" in gk.fails(*step, "--step", "approval", "--by", "clerk", code=3).stderr
    shown = gk.json(*step, "--step", "approval", "--by", "leader")
    approval = next(s for s in shown["review_steps"] if s["id"] == "approval")
    assert approval["by"] == "leader" and approval["basis"] == "列入本单位《政务公开事项目录》，由分管政务公开领导审批"
