"""The review chain from the jurisdiction's rule: order, self-approval, after-reply steps."""

from __future__ import annotations

import pytest

from requests_helpers import new_request


def review(gk, rid, step, by, decision="approve", on="2026-03-10", *extra):
    if step == "draft" and decision == "approve" and "--outcome" not in extra:
        extra = (*extra, "--outcome", "disclosed")  # the first signature states the proposed reply
    return gk("request", "review", rid, "--step", step, "--by", by, "--decision", decision, "--on", on, *extra)


def test_xixian_refuses_a_reply_without_the_lawyer(gk, unit):
    unit("xixian")
    rid = str(new_request(gk)["id"])
    assert review(gk, rid, "draft", "承办人甲").exit_code == 0
    refused = gk.fails("request", "reply", rid, "--outcome", "disclosed", "--on", "2026-03-11", code=3)
    assert "律师审核" in refused.stderr and "lawyer" not in refused.stderr  # by name, never the code
    # the principal head cannot skip ahead of the lawyer either
    skipped = gk.fails("request", "review", rid, "--step", "principal_head", "--by", "主要负责人", "--decision",
                       "approve", "--on", "2026-03-10", code=3)
    assert "律师审核" in skipped.stderr
    assert review(gk, rid, "lawyer", "律师乙").exit_code == 0
    refused = gk.fails("request", "reply", rid, "--outcome", "disclosed", "--on", "2026-03-11", code=3)
    assert "单位主要负责同志审批" in refused.stderr
    assert review(gk, rid, "principal_head", "主要负责人丙").exit_code == 0
    shown = gk.json("request", "reply", rid, "--outcome", "disclosed", "--on", "2026-03-11")
    assert shown["state"] == "replied"
    filing = next(s for s in shown["review_steps"] if s["id"] == "filing")
    assert filing["stage"] == "after" and filing["done"] is False
    gk.fails("request", "close", rid, "--on", "2026-03-12", code=3)  # filing still missing
    assert review(gk, rid, "filing", "新区公开办丁", on="2026-03-12").exit_code == 0
    assert gk.json("request", "close", rid, "--on", "2026-03-12")["state"] == "closed"


@pytest.mark.parametrize("jurisdiction, steps", [
    ("yanta", ["draft", "office_head"]),
    ("xixian", ["draft", "lawyer", "principal_head"]),
    ("wuyuan", ["draft", "confidentiality", "office_head"]),
])
def test_self_approval_is_refused(gk, unit, jurisdiction, steps):
    unit(jurisdiction)
    rid = str(new_request(gk)["id"])
    assert review(gk, rid, steps[0], "张三").exit_code == 0
    refused = gk.fails("request", "review", rid, "--step", steps[1], "--by", "张三", "--decision", "approve",
                       "--on", "2026-03-10", code=3)
    assert "张三" in refused.stderr and "不能审批自己经手" in refused.stderr
    assert review(gk, rid, steps[1], "李四").exit_code == 0
    if len(steps) > 2:
        # neither the drafter nor the one who did the step right before approves the next one
        gk.fails("request", "review", rid, "--step", steps[2], "--by", "李四", "--decision", "approve",
                 "--on", "2026-03-10", code=3)
        gk.fails("request", "review", rid, "--step", steps[2], "--by", "张三", "--decision", "approve",
                 "--on", "2026-03-10", code=3)
        assert review(gk, rid, steps[2], "王五").exit_code == 0


def test_rejection_sends_the_draft_back(gk, unit):
    unit("yanta")
    rid = str(new_request(gk)["id"])
    review(gk, rid, "draft", "甲")
    assert review(gk, rid, "office_head", "乙", "reject", "2026-03-10", "--comment", "理由不充分").exit_code == 0
    steps = {s["id"]: s["done"] for s in gk.json("request", "show", rid)["review_steps"]}
    assert steps == {"draft": False, "office_head": False}
    gk.fails("request", "reply", rid, "--outcome", "disclosed", "--on", "2026-03-11", code=3)


def test_unknown_step_lists_the_chain(gk, unit):
    unit("xixian")
    rid = str(new_request(gk)["id"])
    result = gk.fails("request", "review", rid, "--step", "mayor", "--by", "甲", "--decision", "approve")
    assert "律师审核" in result.stderr and "单位主要负责同志审批" in result.stderr  # the chain, by name


def test_wuyuan_nondisclosure_report_is_a_tracked_deadline(gk, unit):
    unit("wuyuan")
    rid = str(new_request(gk)["id"])
    proposal = ("--outcome", "withheld.state_secret", "--reason", "经定密属于国家秘密")
    for i, step in enumerate(["draft", "confidentiality", "office_head"]):
        assert review(gk, rid, step, f"人{i}", "approve", "2026-03-10", *(proposal if i == 0 else ())).exit_code == 0
    shown = gk.json("request", "reply", rid, "--outcome", "withheld.state_secret", "--on", "2026-03-11",
                    "--reason", "经定密属于国家秘密")
    report = shown["clocks"]["nondisclosure_report"]
    assert report["rule"] == "request.nondisclosure_report"
    assert report["due"] == "2026-03-18" and report["status"] == "open"  # 5 WD after the reply
    assert any(s["id"] == "nondisclosure_report" and not s["done"] for s in shown["review_steps"])
    assert review(gk, rid, "nondisclosure_report", "公开办", on="2026-03-16").exit_code == 0
    shown = gk.json("request", "show", rid)
    assert shown["clocks"]["nondisclosure_report"]["status"] == "met"


def test_wuyuan_disclosed_reply_needs_no_nondisclosure_report(gk, unit):
    unit("wuyuan")
    rid = str(new_request(gk)["id"])
    for i, step in enumerate(["draft", "confidentiality", "office_head"]):
        review(gk, rid, step, f"人{i}")
    shown = gk.json("request", "reply", rid, "--outcome", "disclosed", "--on", "2026-03-11")
    assert "nondisclosure_report" not in shown["clocks"]
    assert [s["id"] for s in shown["review_steps"]] == ["draft", "confidentiality", "office_head"]


def test_wuyuan_confidentiality_opinion_clock_starts_after_the_draft(gk, unit):
    unit("wuyuan")
    rid = str(new_request(gk)["id"])
    review(gk, rid, "draft", "甲", on="2026-03-03")
    clocks = gk.json("request", "show", rid)["clocks"]
    assert clocks["confidentiality"]["rule"] == "review.confidentiality.opinion"
    assert clocks["confidentiality"]["due"] == "2026-03-24"  # 15 WD after 2026-03-03


def test_reply_details_partial_and_other_agency(gk, unit):
    unit("yanta")
    rid = str(new_request(gk)["id"])
    gk.fails("request", "review", rid, "--step", "draft", "--by", "甲", "--decision", "approve", "--outcome", "partial")
    withheld = ("--withheld", "第三方联系电话：个人隐私（条例 第十五条）", "--withheld", "内部讨论记录：过程性信息")
    review(gk, rid, "draft", "甲", "approve", "2026-03-10", "--outcome", "partial", *withheld)
    review(gk, rid, "office_head", "乙")
    gk.fails("request", "reply", rid, "--outcome", "disclosed", "--on", "2026-03-11")
    gk.fails("request", "reply", rid, "--outcome", "unavailable.other_agency", "--on", "2026-03-11",
             "--agency", "区税务局")
    gk.fails("request", "reply", rid, "--outcome", "withheld.nonsense", "--on", "2026-03-11")
    shown = gk.json("request", "reply", rid, "--outcome", "partial", "--on", "2026-03-11",
                    "--withheld", "第三方联系电话：个人隐私（条例 第十五条）", "--withheld", "内部讨论记录：过程性信息")
    assert shown["withheld"] == [{"part": "第三方联系电话", "reason": "个人隐私（条例 第十五条）"},
                                 {"part": "内部讨论记录", "reason": "过程性信息"}]
    gk.fails("request", "reply", rid, "--outcome", "disclosed", "--on", "2026-03-12", code=3)  # already replied


def test_the_reply_is_what_the_chain_approved(gk, unit):
    """A signature signs a proposal; a reply stating anything else is refused, naming the difference."""
    from gongkai.core.app import App
    from test_accounts import _events

    unit("xixian")
    rid = str(new_request(gk)["id"])
    review(gk, rid, "draft", "承办人甲", "approve", "2026-03-10", "--outcome", "予以公开", "--reason", "属于可以公开的信息")
    review(gk, rid, "lawyer", "律师乙")
    # a later step approves the proposal as it stands: it may not slip another one in
    slipped = gk.fails("request", "review", rid, "--step", "principal_head", "--by", "主要负责人丙", "--decision",
                       "approve", "--on", "2026-03-10", "--outcome", "不予公开（属于国家秘密）", "--reason", "经定密属于国家秘密",
                       code=3)
    assert "拟答复内容" in slipped.stderr and "重新签署" in slipped.stderr
    review(gk, rid, "principal_head", "主要负责人丙")
    refused = gk.fails("request", "reply", rid, "--outcome", "不予公开（属于国家秘密）", "--on", "2026-03-11", code=3)
    assert "答复结果" in refused.stderr and "予以公开" in refused.stderr and "不予公开（属于国家秘密）" in refused.stderr
    other_reason = gk.fails("request", "reply", rid, "--on", "2026-03-11", "--reason", "另写的理由", code=3)
    assert "理由" in other_reason.stderr and "另写的理由" in other_reason.stderr
    # what is not given is the approved proposal's
    shown = gk.json("request", "reply", rid, "--on", "2026-03-11")
    assert shown["outcome"] == "disclosed" and shown["reasons"] == "属于可以公开的信息"
    reviews = [e for e in _events(App()) if e.action == "review"]
    assert all(json_of(e)["proposal"]["outcome"] == "disclosed" for e in reviews)
    assert gk("audit", "verify").exit_code == 0


def json_of(event):
    import json

    return json.loads(event.after) if isinstance(event.after, str) else event.after


def test_a_changed_proposal_reopens_the_chain(gk, unit):
    unit("xixian")
    rid = str(new_request(gk)["id"])
    review(gk, rid, "draft", "承办人甲", "approve", "2026-03-10", "--outcome", "予以公开")
    review(gk, rid, "lawyer", "律师乙")
    # the drafter signs again with another proposal: the lawyer's signature lapses
    review(gk, rid, "draft", "承办人甲", "approve", "2026-03-10", "--outcome", "不予公开（属于国家秘密）",
           "--reason", "经定密属于国家秘密")
    steps = {s["id"]: s["done"] for s in gk.json("request", "show", rid)["review_steps"] if s["stage"] == "before"}
    assert steps == {"draft": True, "lawyer": False, "principal_head": False}
    assert gk.fails("request", "reply", rid, "--on", "2026-03-11", code=3)
    review(gk, rid, "lawyer", "律师乙")
    review(gk, rid, "principal_head", "主要负责人丙")
    assert gk.json("request", "reply", rid, "--on", "2026-03-11")["outcome"] == "withheld.state_secret"
    assert gk("audit", "verify").exit_code == 0


def test_request_show_says_what_the_chain_approved(gk, unit):
    unit("yanta")
    rid = str(new_request(gk)["id"])
    review(gk, rid, "draft", "甲", "approve", "2026-03-10", "--outcome", "部分公开", "--withheld", "联系电话：个人隐私")
    shown = gk.json("request", "show", rid)
    assert shown["proposal"]["outcome"] == "partial"
    assert shown["proposal"]["withheld"] == [{"part": "联系电话", "reason": "个人隐私"}]
    assert "审核同意的拟答复：部分公开；不予公开：联系电话：个人隐私" in gk.ok("request", "show", rid).stdout
